"""rmlk follows the 9.9.0 guide's two samples: with LifeKeeper running on the node it removes
the node from the running peers (section 6.5); with LifeKeeper stopped there, as the update
procedure runs it (section 5 step 4), the peers are not told and keep the node. Every
product command lands in the node's commands journal (README.md "rmlk and the cluster",
ASSUMPTIONS.md)."""
import json
import os
import time

import pytest

import lksim_b_helpers as h
from conftest import install_launchers, wait_for
from lksim import cluster, journal


def lcd_of(lk, node):
    with open(lk.paths(node).lcd_file) as handle:
        return json.load(handle)


def comm_rows(lk, node):
    """{machine: state} of the comm path section of `lcdstatus -q`."""
    rows = lk.run(node, "lcdstatus", "-q").stdout.split("\n\n")[1].splitlines()[1:]
    return dict((row.split()[0], row.split()[3]) for row in rows)


def went_down(lk, since):
    return [e for e in lk.events() if e["time"] >= since and e["to"] not in ("ISP", "ISU")]


def commands(lk, node):
    return journal.read([lk.paths(node).commands_file])


def test_rmlk_running_removes_the_node_from_the_running_peers(make_cluster):
    lk = make_cluster(nodes=3, wait_sync=False)
    assert lk.run("node3", "lkcli", "stop").returncode == 0
    since = time.time()
    proc = h.run_bin(lk.paths("node2"), "rmlk", stdin="y\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "does not appear to be running on the following systems:\nnode3\n" in proc.stdout
    after = proc.stdout.split("(y/n) [n] ? \n", 1)[1]
    assert after.startswith("Removing node2 from the cluster\nLifeKeeper GUI Server Setup Starting\n")
    # node1 (running) forgot node2: no system, no comm path, no equivalency
    data = lcd_of(lk, "node1")
    assert sorted(data["systems"]) == ["node1", "node3"]
    assert [p["machine"] for p in data["comm_paths"]] == ["node3"]
    assert all(sorted(r["priorities"]) == ["node1", "node3"] for r in data["resources"])
    assert "node2" not in lk.run("node1", "lcdstatus", "-q").stdout
    assert lk.run("node1", "eqv_list", "-f", ":").stdout.count(":node2:") == 0
    assert "node2" not in lk.run("node1", "sys_list").stdout
    # node3 was not running: it still knows node2 (the Note's "incomplete removal")
    assert "node2" in lcd_of(lk, "node3")["systems"]
    assert went_down(lk, since) == []
    assert lk.states("node1")["app-web"] == "ISP"
    time.sleep(4)           # longer than LCMHBEATTIME * LCMNUMHBEATS: no failover, no DEAD row
    assert comm_rows(lk, "node1") == {"node3": "DEAD"}
    assert went_down(lk, since) == []


def test_rmlk_stopped_tells_no_peer(make_cluster):
    """Section 5 step 4: LifeKeeper stopped on the node; the running peer keeps the node."""
    lk = make_cluster(wait_sync=False)
    assert lk.run("node2", "lkcli", "stop").returncode == 0
    proc = h.run_bin(lk.paths("node2"), "rmlk", stdin="y\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "does not appear to be running on the following systems:\nnode2\n\n" in proc.stdout
    after = proc.stdout.split("(y/n) [n] ? \n", 1)[1]
    assert after == ("The LifeKeeper GUI server is not running.\nRemoving kit packages\nRemoving core packages\n"
                     "Removing supporting packages\nRemoving any remaining LifeKeeper files in /etc and /lib/modules\n")
    assert not os.path.exists(lk.paths("node2").gui_server_file)
    data = lcd_of(lk, "node1")
    assert sorted(data["systems"]) == ["node1", "node2"]
    assert [p["machine"] for p in data["comm_paths"]] == ["node2"]
    assert comm_rows(lk, "node1") == {"node2": "DEAD"}


def test_stopped_rmlk_then_own_archive_brings_the_node_back_without_touching_the_peer(make_cluster, tmp_path):
    """The 8.4.1 guide's reinstall: the node's own archive restored; the peer that kept the node
    sees it ALIVE again, with no stop and no restore on the peer (commands journal)."""
    lk = make_cluster()
    archive = str(tmp_path / "node2.tar.gz")
    assert lk.run("node2", "lkbackup", "-c", "-f", archive).returncode == 0
    since = time.time()
    assert lk.run("node2", "lkcli", "stop").returncode == 0
    assert h.run_bin(lk.paths("node2"), "rmlk", stdin="y\n").returncode == 0
    install_launchers(lk.paths("node2"), "9.9.0")
    assert lk.run("node2", "lkbackup", "-x", "-f", archive).returncode == 0
    assert lk.run("node2", "lkcli", "start").returncode == 0
    assert lk.ready("node2")
    assert wait_for(lambda: comm_rows(lk, "node1") == {"node2": "ALIVE"}
                    and comm_rows(lk, "node2") == {"node1": "ALIVE"}, 10)
    assert lk.states("node1")["app-web"] == "ISP"
    assert went_down(lk, since) == []
    node1 = [e["argv"] for e in commands(lk, "node1") if e["time"] >= since]
    assert not [argv for argv in node1 if argv[:2] in (["lkcli", "stop"], ["lkbackup", "-x"])], node1


def test_stopped_rmlk_then_fresh_install_knows_no_peer(make_cluster):
    """The 9.9.0 guide's reinstall without a restore: the fresh node knows nobody, the peer
    still lists it with its path DEAD until the structure is rebuilt (what a collection must
    read, not guess)."""
    lk = make_cluster(wait_sync=False)
    assert lk.run("node2", "lkcli", "stop").returncode == 0
    assert h.run_bin(lk.paths("node2"), "rmlk", stdin="y\n").returncode == 0
    install_launchers(lk.paths("node2"), "9.9.0")
    assert lk.run("node2", "lkcli", "start").returncode == 0
    assert lk.ready("node2")
    time.sleep(4)
    assert comm_rows(lk, "node2") == {}
    assert comm_rows(lk, "node1") == {"node2": "DEAD"}
    assert lk.states("node2") == {}
    # the stand-in for the guide's rebuild (step 7): refused while LifeKeeper runs, then the
    # spec's paths and resources, out of service; the paths come ALIVE on both ends
    spec = cluster.preset("default", 2, lk.port)
    with pytest.raises(cluster.ClusterError, match="stop it before the rebuild"):
        cluster.node_rebuild(lk.roots["node2"], spec)
    assert lk.run("node2", "lkcli", "stop").returncode == 0
    assert cluster.node_rebuild(lk.roots["node2"], spec) == "node2"
    assert lk.run("node2", "lkcli", "start").returncode == 0
    assert lk.ready("node2")
    assert wait_for(lambda: comm_rows(lk, "node1") == {"node2": "ALIVE"}
                    and comm_rows(lk, "node2") == {"node1": "ALIVE"}, 10)
    assert set(lk.states("node2").values()) == {"OSU"} and lk.states("node1")["app-web"] == "ISP"


def test_commands_journal_records_argv_and_exit_code(make_cluster):
    lk = make_cluster(wait_sync=False)
    since = time.time()
    assert lk.run("node1", "lkcli", "status", "-q").returncode == 0
    assert lk.run("node1", "lkcli", "resource", "restore", "--tag", "no-such").returncode != 0
    entries = [e for e in commands(lk, "node1") if e["time"] >= since]
    assert [(e["argv"], e["rc"] == 0, e["node"]) for e in entries] == [
        (["lkcli", "status", "-q"], True, "node1"),
        (["lkcli", "resource", "restore", "--tag", "no-such"], False, "node1")]
    assert all(e["end"] >= e["time"] for e in entries)
    assert not [e for e in commands(lk, "node2") if e["time"] >= since]


def test_lkbackup_x_keeps_the_states_of_a_cleanly_stopped_node(tmp_path):
    paths = h.make_node(tmp_path, version="9.9.0")

    def lcd(states, running):
        return {"node": "node1", "systems": {}, "comm_paths": [], "running": running,
                "resources": [{"tag": t, "id": t, "type": "gen/app", "state": s,
                               "priorities": {"node1": 1}, "children": []}
                              for t, s in states.items()]}
    archive = str(tmp_path / "a.tar.gz")
    h.write(paths.lcd_file, json.dumps(lcd({"a": "OSU", "b": "ISP", "c": "OSU"}, True)))
    assert h.run_bin(paths, "lkbackup", ["-c", "-f", archive]).returncode == 0
    # now: stopped cleanly (stop -f) with a ISP, b OSU; c is not in this LCD
    h.write(paths.lcd_file, json.dumps(lcd({"a": "ISP", "b": "OSU"}, False)))
    assert h.run_bin(paths, "lkbackup", ["-x", "-f", archive]).returncode == 0
    data = json.loads(h.read(paths.lcd_file))
    assert [(r["tag"], r["state"]) for r in data["resources"]] == [("a", "ISP"), ("b", "OSU"), ("c", "OSU")]
    assert data["running"] is False
    os.remove(paths.lcd_file)       # a fresh install: no LCD, everything out of service
    assert h.run_bin(paths, "lkbackup", ["-x", "-f", archive]).returncode == 0
    assert [r["state"] for r in json.loads(h.read(paths.lcd_file))["resources"]] == ["OSU"] * 3


def test_reinstall_problems_of_the_journals():
    def e(t, node, *argv):
        return {"time": t, "end": t + 0.5, "node": node, "argv": list(argv), "rc": 0}
    clean = [e(1, "node2", "lkcli", "stop"), e(2, "node2", "rmlk"), e(3, "node2", "setup", "-f", "c"),
             e(4, "node2", "lkbackup", "-x", "-f", "a"), e(5, "node1", "lkcli", "stop"), e(6, "node1", "rmlk"),
             e(7, "node1", "setup", "-f", "c"), e(8, "node1", "lkbackup", "-x", "-f", "b"),
             e(9, "node2", "lkcli", "stop")]     # after the last setup: the operator's rebuild
    assert journal.reinstall_problems(clean, max_restores=1)[0] == []
    assert journal.reinstall_problems(clean, no_restore=True)[0] == [
        "node1: 1 archive restore(s) (lkbackup -x); none expected",
        "node2: 1 archive restore(s) (lkbackup -x); none expected"]
    # the former re-learning of node2 by node1: stop -f, restore, start, before node1's own turn
    relearn = clean[:4] + [e(4.2, "node1", "lkcli", "stop", "-f"), e(4.4, "node1", "lkbackup", "-x", "-f", "p"),
                           e(4.6, "node1", "lkcli", "start")] + clean[4:]
    assert journal.reinstall_problems(relearn, max_restores=1)[0] == [
        "node1: lkcli stop -f at 4.200, not before its own rmlk (a node not being reinstalled)",
        "node1: lkbackup -x -f p at 4.400, not after its own rmlk (a node not being reinstalled)",
        "node1: 2 archive restores (lkbackup -x), at most 1 expected"]
    # what a setup runs itself (inside its run on the node) is not judged
    inside = clean[:2] + [e(3.1, "node2", "lkstop"), e(3.2, "node2", "lkstart")] + clean[2:]
    assert journal.reinstall_problems(inside, max_restores=1)[0] == []
