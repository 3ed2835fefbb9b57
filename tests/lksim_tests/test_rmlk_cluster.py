"""rmlk removes the node from the cluster (peers drop its comm paths and equivalencies); a
restored archive brings a node's own configuration back, a peer's archive its knowledge of
the node (README.md "rmlk and the cluster", ASSUMPTIONS.md)."""
import json
import os
import time

import lksim_b_helpers as h
from conftest import install_launchers, wait_for


def lcd_of(lk, node):
    with open(lk.paths(node).lcd_file) as handle:
        return json.load(handle)


def comm_rows(lk, node):
    """{machine: state} of the comm path section of `lcdstatus -q`."""
    rows = lk.run(node, "lcdstatus", "-q").stdout.split("\n\n")[1].splitlines()[1:]
    return dict((row.split()[0], row.split()[3]) for row in rows)


def went_down(lk, since):
    return [e for e in lk.events() if e["time"] >= since and e["to"] not in ("ISP", "ISU")]


def test_rmlk_removes_the_node_from_the_running_peers(make_cluster):
    lk = make_cluster(nodes=3, wait_sync=False)
    assert lk.run("node3", "lkcli", "stop").returncode == 0
    since = time.time()
    proc = h.run_bin(lk.paths("node2"), "rmlk", stdin="y\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "does not appear to be running on the following systems:\nnode3\n" in proc.stdout
    after_stop = proc.stdout.split("LifeKeeper stopped on node2.\n", 1)[1]
    assert after_stop.startswith("Removing node2 from the cluster\nLifeKeeper GUI Server Setup Starting\n")
    # node1 (running) forgot node2: no system, no comm path, no equivalency
    data = lcd_of(lk, "node1")
    assert sorted(data["systems"]) == ["node1", "node3"]
    assert [p["machine"] for p in data["comm_paths"]] == ["node3"]
    assert all(sorted(r["priorities"]) == ["node1", "node3"] for r in data["resources"])
    assert "node2" not in lk.run("node1", "lcdstatus", "-q").stdout
    assert "node2" not in lk.run("node1", "lcdstatus").stdout
    assert lk.run("node1", "eqv_list", "-f", ":").stdout.count(":node2:") == 0
    assert "node2" not in lk.run("node1", "sys_list").stdout
    # node3 was not running: it still knows node2 (the Note's "incomplete removal")
    assert "node2" in lcd_of(lk, "node3")["systems"]
    # the removed node's crash-free exit moved nothing and took nothing down on node1
    assert went_down(lk, since) == []
    assert lk.states("node1")["app-web"] == "ISP"
    time.sleep(4)           # longer than LCMHBEATTIME * LCMNUMHBEATS: no failover, no DEAD row
    assert comm_rows(lk, "node1") == {"node3": "DEAD"}
    assert went_down(lk, since) == []


def test_no_running_peer_no_removal(make_cluster):
    """No peer runs: no removal line, the stopped peer keeps knowing the node."""
    lk = make_cluster(wait_sync=False)
    assert lk.run("node1", "lkcli", "stop").returncode == 0
    proc = h.run_bin(lk.paths("node2"), "rmlk", stdin="y\n")
    assert proc.returncode == 0
    assert "from the cluster" not in proc.stdout
    assert "node2" in lcd_of(lk, "node1")["systems"]


def test_reinstall_restores_own_and_peer_archives(make_cluster, tmp_path):
    lk = make_cluster()
    archives = dict((n, str(tmp_path / ("%s.tar.gz" % n))) for n in lk.nodes)
    for node, archive in archives.items():
        assert lk.run(node, "lkbackup", "-c", "-f", archive).returncode == 0
    since = time.time()
    assert h.run_bin(lk.paths("node2"), "rmlk", stdin="y\n").returncode == 0
    assert "node2" not in lcd_of(lk, "node1")["systems"]
    # fresh install of node2 (the launchers), its own archive back, start it
    install_launchers(lk.paths("node2"), "9.9.0")
    assert lk.run("node2", "lkbackup", "-x", "-f", archives["node2"]).returncode == 0
    assert sorted(lcd_of(lk, "node2")["systems"]) == ["node1", "node2"]
    assert lk.run("node2", "lkcli", "start").returncode == 0
    assert lk.ready("node2")
    # node1 does not re-learn node2 by itself: both ends show the path DEAD, nothing moves
    time.sleep(4)
    assert comm_rows(lk, "node2") == {"node1": "DEAD"}
    assert comm_rows(lk, "node1") == {}
    assert set(lk.states("node2").values()) == {"OSU"}
    # node1's own archive (taken before the rmlk), restored while LifeKeeper is stopped
    # there (stop -f: app-web keeps running), brings node2 back
    assert lk.run("node1", "lkcli", "stop", "-f").returncode == 0
    restored = lk.run("node1", "lkbackup", "-x", "-f", archives["node1"])
    assert restored.returncode == 0, restored.stderr
    assert [r["state"] for r in lcd_of(lk, "node1")["resources"]] == ["ISP", "ISP", "ISP"]
    assert lk.run("node1", "lkcli", "start").returncode == 0
    assert lk.ready("node1")
    assert wait_for(lambda: comm_rows(lk, "node1") == {"node2": "ALIVE"}
                    and comm_rows(lk, "node2") == {"node1": "ALIVE"}, 10)
    assert set(lk.states("node1").values()) == {"ISP"}
    assert went_down(lk, since) == []
    assert [e for e in lk.events("node1") if e["time"] >= since] == []
    # the mirror resynchronises to node2, then a switchover works both ways
    assert wait_for(lambda: lk.mirror_in_sync("node1"), 10)
    assert lk.run("node2", "lkcli", "resource", "restore", "--tag", "app-web").returncode == 0
    assert lk.states("node2")["app-web"] == "ISP" and lk.states("node1")["app-web"] == "OSU"


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
