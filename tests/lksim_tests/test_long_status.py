"""The long status display (lcdstatus without -q/-e, lkcli status): tests/lksim/ASSUMPTIONS.md, "Status displays"."""
import re

import pytest

from conftest import one_hierarchy, wait_for
from lksim import cluster, lcd

# What node1 of the default preset prints: the shapes of the vendor's published samples
# (ASSUMPTIONS.md, "Status displays"), verbatim where a sample shows them.
CONTRACT_SAMPLE = '''\
Resource Hierarchy Information

Resource hierarchies for machine "node1":

ROOT of RESOURCE HIERARCHY
app-web: id=app-web app=gen type=app state=ISP
        initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by LifeKeeper
        info=app-web
        reason=restore action has succeeded
        depends on resources: ip-10.0.0.50,datarep-data
        Local priority = 1
        SHARED equivalency with resource app-web on machine node2, priority = 10
                FAILOVER ALLOWED

ip-10.0.0.50: id=IP-10.0.0.50 app=comm type=ip state=ISP
        initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by LifeKeeper
        info=10.0.0.50
        reason=restore action has succeeded
        These resources are dependent: app-web
        Local priority = 1
        SHARED equivalency with resource ip-10.0.0.50 on machine node2, priority = 10
                FAILOVER ALLOWED

datarep-data: id=/data app=scsi type=netraid state=ISP
        initialize=(AUTORES_ISP) automatic restore to IN-SERVICE by LifeKeeper
        info=/data
        reason=restore action has succeeded
        These resources are dependent: app-web
        Local priority = 1
        SHARED equivalency with resource datarep-data on machine node2, priority = 10
                FAILOVER ALLOWED

Communication Status Information

The following LifeKeeper machines are known:
        machine=node1 state=ALIVE
        machine=node2 state=ALIVE

Network and TTY communication paths from machine "node1":
        to machine=node2 type=TCP addresses=127.0.0.11/127.0.0.12
                state="ALIVE" priority=1 #comm_downs=0

LifeKeeper Flags

The following LifeKeeper flags are on:

Shutdown Strategy

The shutdown strategy is set to: do not switch over resources (default).
'''
NOT_RUNNING = "LifeKeeper does not appear to be running.\n"

RESOURCE_LINE = re.compile(r"^(\S+):\s+id=")


def resources_of(text):
    """{tag: {key: value}} of the resource lines (the parser rule of tests/lksim/ASSUMPTIONS.md, "Status displays")."""
    found = {}
    for line in text.splitlines():
        if RESOURCE_LINE.match(line):
            tag, rest = line.split(":", 1)
            assert tag not in found, "tag %s shown twice" % tag
            found[tag] = dict(item.split("=", 1) for item in rest.split())
    return found


def test_long_display_is_the_contract_sample(make_cluster):
    lk = make_cluster()
    assert wait_for(lambda: lk.path_states("node1").get("node2") == "ALIVE", 5)
    proc = lk.run("node1", "lcdstatus")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == CONTRACT_SAMPLE
    # lkcli status without flags is the long form; -q/-e are the short forms
    assert lk.run("node1", "lkcli", "status").stdout == CONTRACT_SAMPLE
    assert lk.run("node1", "lkcli", "status", "-q").stdout == lk.run("node1", "lcdstatus", "-q").stdout
    assert lk.run("node1", "lkcli", "status", "-e").stdout == lk.run("node1", "lcdstatus", "-e").stdout
    # the standby: OSU, no reason line, the same resource types
    standby = lk.run("node2", "lkcli", "status").stdout
    assert resources_of(standby) == {
        "app-web": {"id": "app-web", "app": "gen", "type": "app", "state": "OSU"},
        "ip-10.0.0.50": {"id": "IP-10.0.0.50", "app": "comm", "type": "ip", "state": "OSU"},
        "datarep-data": {"id": "/data", "app": "scsi", "type": "netraid", "state": "OSU"}}
    assert "reason=" not in standby
    assert 'Resource hierarchies for machine "node2":' in standby
    assert ('        to machine=node1 type=TCP addresses=127.0.0.12/127.0.0.11\n'
            '                state="ALIVE" priority=1 #comm_downs=0\n') in standby
    assert "        Local priority = 10\n" in standby
    assert "        SHARED equivalency with resource app-web on machine node1, priority = 1\n" in standby


SHARED_CHILD = one_hierarchy([
    {"tag": "web", "id": "web", "type": "gen/app", "children": ["fs", "ip"]},
    {"tag": "api", "id": "api", "type": "gen/app", "children": ["fs"]},
    {"tag": "fs", "id": "/srv", "type": "gen/filesys", "children": ["mirror-export"]},
    {"tag": "mirror-export", "id": "/dev/md0", "type": "scsi/netraid", "info": "md0 from node1",
     "children": []},
    {"tag": "ip", "id": "IP-10.0.0.9", "type": "comm/ip", "info": "10.0.0.9", "children": []}])


def test_each_resource_once_types_info_subtree_and_comm_downs(make_cluster):
    lk = make_cluster(spec=SHARED_CHILD)
    text = lk.run("node1", "lcdstatus").stdout
    shown = resources_of(text)
    # fs has two parents: one block only, under the first root (web)
    assert list(shown) == ["web", "fs", "mirror-export", "ip", "api"]
    assert shown["mirror-export"]["app"] == "scsi" and shown["mirror-export"]["type"] == "netraid"
    assert shown["fs"]["type"] == "filesys"
    assert "        info=md0 from node1\n" in text
    assert "        depends on resources: fs,ip\n" in text
    # -r: only the subtree under the tag
    sub = lk.run("node1", "lcdstatus", "-r", "fs").stdout
    assert list(resources_of(sub)) == ["fs", "mirror-export"]
    assert "Communication Status Information" in sub
    # a crash of the peer: the path goes DEAD and is counted
    assert wait_for(lambda: lk.path_states("node1").get("node2") == "ALIVE", 5)
    assert lk.lksim("node", "kill", "--dir", lk.dir, "node2").returncode == 0
    assert wait_for(lambda: '\n                state="DEAD" priority=1 #comm_downs=1\n'
                    in lk.run("node1", "lcdstatus").stdout, 10)
    # not running: the one-line message, like the short form
    assert lk.run("node2", "lcdstatus").stdout == NOT_RUNNING
    assert lk.run("node2", "lkcli", "status").stdout == NOT_RUNNING


def test_long_display_during_start_shows_illstate_without_reason(make_cluster):
    lk = make_cluster(wait_sync=False)
    assert lk.run("node2", "lkstop", "-f").returncode == 0
    lk.knob("node2", start_seconds=3.0)
    assert lk.run("node2", "lkstart").returncode == 0
    text = lk.run("node2", "lcdstatus").stdout
    assert set(r["state"] for r in resources_of(text).values()) == {"ILLSTATE"}
    assert "reason=" not in text


@pytest.mark.parametrize("bad", ["app", "gen/", "/app", "gen/app/x", "gen/my app"])
def test_malformed_resource_type_is_refused_naming_it(tmp_path, bad):
    spec = {"nodes": [{"name": "node1", "address": "127.0.0.11"}],
            "hierarchies": [{"root": "x", "in_service_on": "node1", "priorities": {"node1": 1},
                             "resources": [{"tag": "x", "id": "x", "type": bad, "children": []}]}]}
    with pytest.raises(lcd.LcdError) as err:
        cluster.node_init(str(tmp_path / "node1"), "node1", spec, None)
    assert repr(bad) in str(err.value) and "app/restype" in str(err.value)
