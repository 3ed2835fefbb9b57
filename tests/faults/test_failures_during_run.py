"""Issue 5, scenarios 2 and 6: failures while the rolling update runs.

2. a node's LifeKeeper crashes while another node is being updated: its hierarchies fail
   over, the run stops at the next gate saying what is wrong and where everything is, nothing
   else is touched, and a rerun after the node is back completes.
6. a restore fails during an evacuation (the resource goes OSF on the target): the hierarchy
   is brought back on the node it came from, the run stops and says so; a rerun completes.

Ground truth: the nodes (rpm -q, lcdstatus) and the simulator's event logs.
"""
import glob
import json
import os
import time

from harness import final_message

GATE_FAST = {"lk_update_ready_timeout": 10, "lk_evacuate_timeout": 60, "lk_placement_timeout": 60,
             "lk_verify_timeout": 30, "lk_preflight_mirror_timeout": 30, "lk_update_setup_timeout": 120,
             "lk_rescue_timeout": 60}

APP_WEB_3 = {
    "root": "app-web", "in_service_on": "node1",
    "priorities": {"node1": 1, "node2": 10, "node3": 20},
    "resources": [
        {"tag": "app-web", "id": "app-web", "type": "gen/app", "children": ["ip-10.0.0.50", "datarep-data"]},
        {"tag": "ip-10.0.0.50", "id": "IP-10.0.0.50", "type": "comm/ip", "children": []},
        {"tag": "datarep-data", "id": "/data", "type": "scsi/netraid", "children": []},
    ],
}
DB_3 = {
    "root": "db", "in_service_on": "node2",
    "priorities": {"node2": 1, "node3": 10, "node1": 20},
    "resources": [
        {"tag": "db", "id": "db", "type": "gen/app", "children": ["ip-10.0.0.60"]},
        {"tag": "ip-10.0.0.60", "id": "IP-10.0.0.60", "type": "comm/ip", "children": []},
    ],
}


def _run_vars(cluster, version, run_id, **more):
    extra = {"lk_target_version": version, "lk_media": "/srv/LKL_V%s_010126.iso" % version,
             "lk_confirm": "true", "lk_run_id": run_id}
    extra.update(GATE_FAST)
    extra.update(more)
    return extra


def _progress(cluster, node):
    text = cluster.exec(node, "sh", "-c", "cat /var/lib/hatools-lifekeeper/update-progress.json 2>/dev/null || true"
                        ).stdout.strip()
    return json.loads(text) if text else None


def _downtime(outages, end):
    return dict((tag, [round((stop if stop is not None else end) - start, 3) for start, stop in spans])
                for tag, spans in outages.items())


def _print_downtime(cluster, result, label, since):
    """Print the true per-hierarchy downtime since `since` (from the event logs)."""
    outages = cluster.outages(tags=["app-web", "db"], since=since)
    print("DOWNTIME %s %s (rc %d)" % (label, json.dumps(_downtime(outages, time.time()), sort_keys=True),
                                      result.returncode))
    return outages


def test_daemon_dies_while_another_node_is_updated(make_cluster):
    """Scenario 2: node1 crashes while node3 runs setup; the run stops at node3's gate."""
    cluster = make_cluster(nodes=3, version="9.8.0", hierarchies=[APP_WEB_3, DB_3])
    c = cluster.container
    # setup on node3 (updated first: it holds nothing) takes a while: the crash lands in it
    cluster.knob("node3", setup_seconds=5)
    assert cluster.placement() == {"app-web": "node1", "db": "node2"}
    run_id = "fault-crash"

    start = time.time()
    proc = cluster.playbook("rolling_update.yml", _run_vars(cluster, "9.9.0", run_id), background=True)
    try:
        # pre-flight and three backups come first: on a busy 2-core machine that took over 120 s
        cluster.wait_progress("node3", "step", "started", 360, "node3's update to start")
        assert _progress(cluster, "node1") is None and _progress(cluster, "node2") is None
        killed_at = time.time()
        cluster.kill("node1")
        proc.wait(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    first = _log(cluster)
    elapsed = time.time() - start
    assert proc.returncode != 0, first[-3000:]
    print("first run: %.1fs" % elapsed)

    # the run stopped at node3's gate: the message says which path is dead and where
    # every hierarchy is in service
    assert "Gate - ready, every communication path ALIVE" in first, first[-4000:]
    message = _failure_message(first)
    assert "%s failed at 'update'" % c("node3") in message, message
    assert "timed out after 10.0s waiting for ready, paths_alive" in message, message
    assert "paths_alive: DEAD: node1" in message, message
    assert '"app-web": "%s"' % c("node2") in message, message
    assert '"db": "%s"' % c("node2") in message, message
    assert "  %s: LifeKeeper 9.8.0 running; in service: app-web, db; standby: -" % c("node2") in message.split("\n")
    assert "lk_run_id=%s)" % run_id in message, message

    # ground truth: app-web failed over to node2 and stayed there; db never moved
    assert cluster.placement() == {"app-web": "node2", "db": "node2"}
    assert cluster.rpm_version("node1") == "9.8.0" and cluster.rpm_version("node2") == "9.8.0"
    assert cluster.rpm_version("node3") == "9.9.0"
    # nothing else touched: after the crash only the crash and the failover are in the logs,
    # and neither node1 nor node2 started its update
    after = [e for e in cluster.events() if e["time"] >= killed_at]
    causes = sorted(set((e["node"], e["tag"], e["cause"]) for e in after))
    assert all(cause.startswith("node killed") or cause == "failover from node1" for _n, _t, cause in causes), causes
    assert [(e["node"], e["to"]) for e in after if e["tag"] == "app-web"] == [("node1", "OSU"), ("node2", "ISP")]
    assert not [e for e in after if e["tag"] in ("db", "ip-10.0.0.60")], after
    assert _progress(cluster, "node1") is None and _progress(cluster, "node2") is None
    assert (_progress(cluster, "node3") or {}).get("step") == "started"
    report = cluster.report()
    assert report["result"] == "failed" and c("node3") in report["failure"], report
    outages = _print_downtime(cluster, proc, "crash (first run)", start)
    # app-web was out only for the failover gap (crash -> restore on node2), db never
    assert list(outages) == ["app-web"] and len(outages["app-web"]) == 1, outages
    gap_start, gap_end = outages["app-web"][0]
    assert gap_end is not None and gap_end - gap_start < 15, outages

    # node1 back: the rerun with the same run id completes
    cluster.start("node1")
    cluster.wait_healthy(timeout=60)
    node3_daemon = _daemon_pid(cluster, "node3")
    resume_at = time.time()
    second = cluster.playbook("rolling_update.yml", _run_vars(cluster, "9.9.0", run_id))
    assert second.returncode == 0, second.stdout[-4000:]
    print("rerun: %.1fs" % (time.time() - resume_at))
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.9.0"] * 3
    # placement restored to the first run's record (app-web on node1, not where it was at the rerun)
    assert cluster.placement() == {"app-web": "node1", "db": "node2"}
    report = cluster.report()
    assert report["result"] == "success", report
    assert report["placement_before"] == {"app-web": c("node1"), "db": c("node2")}, report
    node3 = [n for n in report["nodes"] if n["name"] == c("node3")][0]
    assert node3["action"] == "skipped", report
    # node3 was not updated again: its LifeKeeper kept running (same daemon, no setup)
    assert _daemon_pid(cluster, "node3") == node3_daemon
    outages = _print_downtime(cluster, second, "crash (rerun)", resume_at)
    for tag, spans in outages.items():
        assert all(stop is not None and stop - begin < 10 for begin, stop in spans), outages
    # app-web: from node2 to node1 once (node1 is updated before node2 and is its home);
    # db: evacuated from node2 to node3 (updated, priority 10 before node1's 20) and put back
    assert len(outages.get("app-web", [])) == 1 and len(outages.get("db", [])) == 2, outages
    assert cluster.switchovers(tags=["app-web", "db"], since=resume_at) == [
        ("app-web", "node2", "node1"), ("db", "node2", "node3"), ("db", "node3", "node2")]


def test_restore_fails_during_evacuation(make_cluster):
    """Scenario 6: app-web's restore on node2 fails (ip OSF); it is brought back on node1."""
    cluster = make_cluster(nodes=2, version="9.7.0")
    c = cluster.container
    # node2 only (knobs are re-read on use): it bites when node1 is evacuated onto node2,
    # after node2 (which holds nothing) has been updated
    cluster.knob("node2", fail_restore_tags=["ip-10.0.0.50"])
    run_id = "fault-restore"
    start = time.time()
    first = cluster.playbook("rolling_update.yml", _run_vars(cluster, "9.9.0", run_id))
    assert first.returncode != 0, first.stdout[-3000:]
    print("first run: %.1fs" % (time.time() - start))

    # ground truth: app-web in service on node1 again, node1 never updated, node2 updated
    assert cluster.placement() == {"app-web": "node1"}
    assert cluster.rpm_version("node1") == "9.7.0" and cluster.rpm_version("node2") == "9.9.0"
    assert _progress(cluster, "node1") is None
    assert (_progress(cluster, "node2") or {}).get("step") == "done"
    outages = _print_downtime(cluster, first, "failed restore (first run)", start)
    assert len(outages["app-web"]) == 1, outages
    assert cluster.switchovers(tags=["app-web"], since=start) == []      # back where it was, on node1
    gap_start, gap_end = outages["app-web"][0]
    assert gap_end is not None and gap_end - gap_start < 15, outages
    # the restore really failed on node2 (OSF) and app-web came back on node1
    events = [e for e in cluster.events() if e["time"] >= start]
    assert [e for e in events if e["node"] == "node2" and e["tag"] == "ip-10.0.0.50" and e["to"] == "OSF"], events
    assert [e for e in events if e["node"] == "node1" and e["tag"] == "app-web" and e["to"] == "ISP"], events

    message = _failure_message(first.stdout)
    assert "%s failed at 'evacuate'" % c("node1") in message, message
    assert "restore of app-web failed" in message and "ip-10.0.0.50" in message and "is OSF" in message, message
    assert "Left failed (OSF): ip-10.0.0.50 on %s" % c("node2") in message, message
    assert "brought back in service here: app-web" in message, message
    assert '{"app-web": "%s"}' % c("node1") in message, message
    report = cluster.report()
    assert report["result"] == "failed" and "brought back" in report["failure"], report
    bundles = _bundles(cluster, run_id)
    assert sorted(bundles) == sorted(c(n) for n in cluster.names), bundles

    assert 'restore of "app-web" failed on node2' in report["failure"], report

    # the failed restore left ip-10.0.0.50 OSF on node2: a rerun refuses before any change,
    # naming it, until the user clears it as the message says
    assert cluster.states("node2")["ip-10.0.0.50"] == "OSF"
    cluster.knob("node2", fail_restore_tags=[])
    before = len(cluster.events())
    refused = cluster.playbook("rolling_update.yml", _run_vars(cluster, "9.9.0", run_id))
    assert refused.returncode != 0 and "resource ip-10.0.0.50 is OSF" in refused.stdout, refused.stdout[-3000:]
    assert len(cluster.events()) == before
    cluster.exec("node2", "/opt/LifeKeeper/bin/perform_action", "-t", "ip-10.0.0.50", "-a", "remove")
    assert cluster.states("node2")["ip-10.0.0.50"] == "OSU"
    resume_at = time.time()
    second = cluster.playbook("rolling_update.yml", _run_vars(cluster, "9.9.0", run_id))
    assert second.returncode == 0, second.stdout[-4000:]
    print("rerun: %.1fs" % (time.time() - resume_at))
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.9.0"] * 2
    assert cluster.placement() == {"app-web": "node1"}
    assert "OSF" not in cluster.states("node1").values() and "OSF" not in cluster.states("node2").values()
    assert cluster.report()["result"] == "success"
    outages = _print_downtime(cluster, second, "failed restore (rerun)", resume_at)
    assert len(outages["app-web"]) == 2, outages
    assert cluster.switchovers(tags=["app-web"], since=resume_at) == [("app-web", "node1", "node2"),
                                                                      ("app-web", "node2", "node1")]
    assert all(stop is not None and stop - begin < 10 for begin, stop in outages["app-web"]), outages


def _daemon_pid(cluster, node):
    return cluster.exec(node, "cat", "/var/run/lksim/lcm.pid").stdout.strip()


def _log(cluster):
    logs = sorted(glob.glob(os.path.join(cluster.workdir, "playbook-*.log")))
    with open(logs[-1]) as handle:
        return handle.read()


def _failure_message(output):
    """The final message of a stopped run (the 'The rolling update stopped: ...' fail), its lines and all."""
    message = final_message(output)
    assert message, output[-4000:]
    return message


def _bundles(cluster, run_id):
    """Nodes with an lksupport bundle on the controller for run_id."""
    return [cluster.container(node) for node in cluster.names
            if glob.glob(os.path.join(cluster.artifacts, run_id, cluster.container(node), "*lksupport*"))]
