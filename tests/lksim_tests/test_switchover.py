"""Switchover, resync blocking, restore failures, stop vs stop -f."""
import json
import os
import re
import time

from conftest import wait_for

WEB = ["app-web", "ip-10.0.0.50", "datarep-data"]


def test_switchover_dependency_order_and_downtime(make_cluster):
    lk = make_cluster()
    began = time.time()
    proc = lk.run("node2", "perform_action", "-t", "app-web", "-a", "restore")
    assert proc.returncode == 0, proc.stderr
    assert lk.states("node2") == dict.fromkeys(WEB, "ISP")
    assert lk.states("node1") == dict.fromkeys(WEB, "OSU")
    log = [e for e in lk.events() if e["time"] >= began]
    removed = [e for e in log if e["node"] == "node1"]
    restored = [e for e in log if e["node"] == "node2"]
    assert sorted(e["tag"] for e in removed) == sorted(WEB)
    assert all(e["from"] == "ISP" and e["to"] == "OSU" for e in removed)
    assert all(e["to"] == "ISP" for e in restored) and len(restored) == 3
    # parents first on the old node, children first on the new one, hand-off in between
    assert removed[0]["tag"] == "app-web"
    assert restored[-1]["tag"] == "app-web"
    assert max(e["time"] for e in removed) <= min(e["time"] for e in restored)
    assert all("switchover" in e["cause"] for e in log)
    # downtime across both nodes' logs, via the operator CLI
    out = lk.lksim("events", "--dir", lk.dir, "--downtime")
    assert out.returncode == 0, out.stderr
    downtime = json.loads(out.stdout)
    assert set(downtime) == set(WEB)
    assert 0 < downtime["app-web"] < 3
    assert downtime["app-web"] >= max(downtime["ip-10.0.0.50"], downtime["datarep-data"])
    # after the switchover the old source is a target in sync
    status = lk.run("node1", "mirror_status", "datarep-data").stdout.splitlines()
    assert status[1] == "Source: node2"
    assert re.match(r"^node1\s+Mirroring\s+100%$", status[3])
    # restoring what is already ISP here changes nothing
    count = len(lk.events())
    assert lk.run("node2", "lkcli", "resource", "restore", "--tag", "app-web").returncode == 0
    assert len(lk.events()) == count


def test_switchover_of_a_child_moves_its_hierarchy_and_remove_takes_parents(make_cluster):
    lk = make_cluster()
    assert lk.run("node2", "lkcli", "resource", "restore", "--tag", "ip-10.0.0.50").returncode == 0
    assert lk.states("node2") == dict.fromkeys(WEB, "ISP")
    assert lk.states("node1") == dict.fromkeys(WEB, "OSU")
    # remove of a child takes its parents down first; siblings stay
    proc = lk.run("node2", "perform_action", "-t", "datarep-data", "-a", "remove")
    assert proc.returncode == 0, proc.stderr
    assert lk.states("node2") == {"app-web": "OSU", "ip-10.0.0.50": "ISP", "datarep-data": "OSU"}
    tail = [e["tag"] for e in lk.events("node2")[-2:]]
    assert tail == ["app-web", "datarep-data"]


def test_resync_blocks_switchover_and_names_the_mirror(make_cluster):
    lk = make_cluster(node_knobs={"resync_never_ends": True}, wait_sync=False)
    status = lk.run("node1", "mirror_status", "datarep-data")
    lines = status.stdout.splitlines()
    assert status.returncode == 0
    assert lines[:3] == ["Mirror: datarep-data", "Source: node1", "TARGET   STATE       PROGRESS"]
    assert re.match(r"^node2    Resyncing   \d{1,2}%$", lines[3]), lines[3]
    before = lk.events()
    proc = lk.run("node2", "perform_action", "-t", "app-web", "-a", "restore")
    assert proc.returncode != 0
    assert "datarep-data" in proc.stderr and "resync" in proc.stderr.lower()
    assert lk.events() == before       # failed before anything changed
    assert lk.states("node1") == dict.fromkeys(WEB, "ISP")
    # lkcli says the same; a forced mirror lets the switchover through
    assert lk.run("node2", "lkcli", "resource", "restore", "--tag", "app-web").returncode != 0
    assert lk.run("node1", "mirror_action", "datarep-data", "force").returncode == 0
    assert lk.mirror_in_sync("node1")
    assert lk.run("node2", "lkcli", "resource", "restore", "--tag", "app-web").returncode == 0
    assert lk.states("node2") == dict.fromkeys(WEB, "ISP")


def test_mirror_pause_resume_and_fullresync(make_cluster):
    lk = make_cluster()
    lk.knob("node2", resync_seconds=3.0)
    assert lk.run("node1", "mirror_action", "datarep-data", "pause").returncode == 0
    assert re.match(r"^node2\s+Paused\s+100%$", lk.run("node1", "mirror_status", "datarep-data").stdout.splitlines()[3])
    blocked = lk.run("node2", "perform_action", "-t", "app-web", "-a", "restore")
    assert blocked.returncode == 1 and 'mirror "datarep-data" is paused' in blocked.stderr
    assert lk.run("node1", "mirror_action", "datarep-data", "resume").returncode == 0
    assert lk.mirror_in_sync("node1")
    assert lk.run("node1", "mirror_action", "datarep-data", "fullresync").returncode == 0
    assert " Resyncing " in lk.run("node1", "mirror_status", "datarep-data").stdout
    assert wait_for(lambda: lk.mirror_in_sync("node1"), 8)


def test_failing_restore_leaves_osf_and_stops(make_cluster):
    lk = make_cluster()
    lk.knob("node2", fail_restore_tags=["ip-10.0.0.50"])
    proc = lk.run("node2", "perform_action", "-t", "app-web", "-a", "restore")
    assert proc.returncode != 0
    assert "ip-10.0.0.50" in proc.stderr
    states = lk.states("node2")
    assert states["ip-10.0.0.50"] == "OSF"
    assert states["app-web"] == "OSU"     # the action stopped before the parent
    osf = [e for e in lk.events("node2") if e["to"] == "OSF"]
    assert [e["tag"] for e in osf] == ["ip-10.0.0.50"]
    # lkcli fails the same way (9.x), non-zero
    assert lk.run("node2", "lkcli", "resource", "restore", "--tag", "app-web").returncode != 0


def test_stop_force_leaves_resources_stop_takes_them_out(make_cluster):
    lk = make_cluster()
    count = len(lk.events("node1"))
    proc = lk.run("node1", "lkstop", "-f")
    assert proc.returncode == 0, proc.stderr
    assert lk.run("node1", "lktest").returncode != 0
    assert len(lk.events("node1")) == count           # nothing taken out of service
    # announced stop: the peer sees the path DEAD but does not fail over
    assert wait_for(lambda: lk.path_states("node2").get("node1") == "DEAD", 5)
    time.sleep(3.5)   # LCMHBEATTIME * LCMNUMHBEATS
    assert lk.states("node2") == dict.fromkeys(WEB, "OSU")
    # a restore on the peer refuses to take resources from a node where LifeKeeper is stopped
    refused = lk.run("node2", "perform_action", "-t", "app-web", "-a", "restore")
    assert refused.returncode == 9 and "node1" in refused.stderr
    assert lk.run("node1", "lkcli", "start").returncode == 0
    assert lk.ready("node1")
    assert lk.states("node1") == dict.fromkeys(WEB, "ISP")
    assert wait_for(lambda: lk.path_states("node2").get("node1") == "ALIVE", 5)
    # plain stop takes everything out of service, parents first
    began = time.time()
    assert lk.run("node1", "lkcli", "stop").returncode == 0
    out = [e for e in lk.events("node1") if e["time"] >= began]
    assert [e["tag"] for e in out][0] == "app-web"
    assert sorted(e["tag"] for e in out) == sorted(WEB)
    assert all(e["to"] == "OSU" and e["cause"] == "lkstop" for e in out)
    assert not os.path.exists(lk.paths("node1").initdone)
    assert lk.run("node1", "lkstart").returncode == 0
    assert lk.ready("node1")
    assert lk.states("node1") == dict.fromkeys(WEB, "OSU")
