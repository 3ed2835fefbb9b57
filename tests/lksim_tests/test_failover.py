"""Failover when every comm path to a node is DEAD (node crash)."""
import time

from conftest import wait_for

WEB = ["app-web", "ip-10.0.0.50", "datarep-data"]
DB = ["db", "ip-10.0.0.60", "datarep-dbdata"]


def test_failover_after_node_dies(make_cluster):
    lk = make_cluster()
    assert lk.path_states("node2") == {"node1": "ALIVE"}
    killed_at = time.time()
    proc = lk.lksim("node", "kill", "--dir", lk.dir, "node1")
    assert proc.returncode == 0, proc.stderr
    # LCMHBEATTIME=1 * LCMNUMHBEATS=3 + 2 s
    assert wait_for(lambda: lk.path_states("node2").get("node1") == "DEAD", 5, 0.2)
    assert time.time() - killed_at <= 5.5
    assert wait_for(lambda: lk.states("node2") == dict.fromkeys(WEB, "ISP"), 5)
    failover = [e for e in lk.events("node2") if e["time"] >= killed_at]
    assert [e["cause"] for e in failover] == ["failover from node1"] * 3
    assert failover[-1]["tag"] == "app-web"       # children first
    assert lk.run("node1", "lcdstatus", "-q").stdout == "LifeKeeper does not appear to be running.\n"
    # the crashed node comes back with everything out of service, as a mirror target
    assert lk.lksim("node", "start", "--dir", lk.dir, "node1").returncode == 0
    assert lk.ready("node1")
    assert lk.states("node1") == dict.fromkeys(WEB, "OSU")
    status = lk.run("node2", "mirror_status", "datarep-data").stdout.splitlines()
    assert status[1] == "Source: node2"
    assert wait_for(lambda: lk.mirror_in_sync("node2"), 5)
    downtime = lk.lksim("events", "--dir", lk.dir, "--downtime", "--tag", "app-web")
    assert 0 < float(downtime.stdout.split(":")[1].strip(" }\n")) < 8


def test_mixed_preset_failover_goes_to_next_priority(make_cluster):
    lk = make_cluster(nodes=3, preset="mixed", wait_sync=False)
    assert lk.states("node1")["app-web"] == "ISP" and lk.states("node2")["db"] == "ISP"
    assert set(lk.states("node3").values()) == {"OSU"}
    assert wait_for(lambda: lk.mirror_in_sync("node2", "datarep-dbdata"), 5)
    assert lk.lksim("node", "kill", "--dir", lk.dir, "node2").returncode == 0
    # db: node2 (1), node3 (10), node1 (20) -> node3 takes it; app-web stays on node1
    assert wait_for(lambda: all(lk.states("node3").get(t) == "ISP" for t in DB), 8)
    assert all(lk.states("node1")[t] == "OSU" for t in DB)
    assert all(lk.states("node1")[t] == "ISP" for t in WEB)
    assert lk.path_states("node1") == {"node2": "DEAD", "node3": "ALIVE"}
