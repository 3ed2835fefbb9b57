"""Issue 5, scenarios 3 and 4: the rolling update refuses or stops before harm.

3. before start: a communication path DEAD, a resource OSF, a hierarchy with no standby, an
   inventory group that leaves out a node of LifeKeeper's cluster:
   pre-flight refuses naming the problem, and no node changed (event logs, rpm -q, no backup).
4. a mirror that never finishes resynchronising: the run stops before any switchover onto
   the node it targets; the message names the mirror and its progress. Pre-flight also refuses
   when such a resync is already under way before the run.

Ground truth: the nodes (rpm -q, lcdstatus, mirror_status) and the simulator's event logs.
"""
import json
import os
import time

import pytest
import yaml

from harness import APP_WEB, REFUSED, Cluster, TwoPathCluster, report_views, stopped_message

MEDIA = "/srv/LKL_V9.9.0_010126.iso"
FAST = {"lk_update_ready_timeout": 20, "lk_evacuate_timeout": 20, "lk_preflight_mirror_timeout": 6,
        "lk_placement_timeout": 30, "lk_verify_timeout": 20, "lk_update_setup_timeout": 120,
        "lk_rescue_timeout": 30}
LKCLI = "/opt/LifeKeeper/bin/lkcli"


def _vars(run_id, **more):
    extra = {"lk_target_version": "9.9.0", "lk_media": MEDIA, "lk_confirm": "true", "lk_run_id": run_id}
    extra.update(FAST)
    extra.update(more)
    return extra


def _print_downtime(cluster, label, since):
    """The true per-hierarchy downtime since `since`, from the event logs."""
    now = time.time()
    outages = cluster.outages(since=since)
    seconds = dict((tag, round(sum((end if end is not None else now) - start for start, end in spans), 3))
                   for tag, spans in outages.items())
    print("DOWNTIME %s %s" % (label, json.dumps(seconds, sort_keys=True)))
    return seconds


def _no_backup(cluster, node):
    return cluster.exec(node, "test", "-e", "/var/lib/hatools-lifekeeper", check=False).returncode != 0


def _assert_refused(cluster, run_id, says, label):
    """Run the update; it must stop in pre-flight naming `says` (one string per problem)
    and change nothing on any node (harness.Cluster.refused checks the nodes)."""
    started = time.time()
    cluster.remove_report()
    dummy, problems = cluster.refused(_vars(run_id))
    for sentence in says:
        assert any(sentence in problem for problem in problems), "%r not among %s" % (sentence, problems)
    assert len(problems) == len(says), "unexpected problems: %s" % problems
    # the refused run wrote its report, with the Markdown summary and the HTML page beside it
    report, dummy, dummy2 = report_views(cluster.report_file, "refused")
    assert report["run_id"] == run_id, report
    assert _print_downtime(cluster, label, started) == {}
    return problems


# ---- scenario 3: pre-flight refuses an unhealthy cluster ------------------------------------

@pytest.fixture(scope="module")
def shared(request):
    """Two nodes at 9.7.0, app-web in service on node1 (each case puts the cluster back)."""
    cluster = Cluster("lkf-refusals-shared", version="9.7.0").up()
    request.addfinalizer(cluster.down)
    return cluster


def _assert_healthy(cluster):
    cluster.wait_healthy()
    assert cluster.placement() == {"app-web": "node1"}
    for node in cluster.names:
        assert set(cluster.states(node).values()) <= {"ISP", "OSU"}, cluster.status(node)


def test_refuses_a_crashed_node(shared):
    """node2's LifeKeeper crashed: node1's path to it is DEAD, node2 is not running, so
    app-web (on node1) has no live standby."""
    cluster = shared
    _assert_healthy(cluster)
    cluster.kill("node2")
    cluster.wait_dead_path("node1", 20, "node1 to see its path to node2 DEAD")
    address = cluster.address("node2")
    problems = _assert_refused(cluster, "refuse-crashed", [
        "%s: LifeKeeper is not running" % cluster.container("node2"),
        "%s: communication path to node2 (" % cluster.container("node1"),
        "hierarchy app-web (in service on %s) has no standby node to switch to" % cluster.container("node1")],
        "crashed-node")
    assert address in " ".join(problems) and "is DEAD" in " ".join(problems), problems
    cluster.start("node2")
    _assert_healthy(cluster)


def test_refuses_a_group_that_leaves_a_member_out(make_cluster):
    """LifeKeeper's cluster is node1, node2 and node3 (their communication paths and known
    machines); the inventory group holds node1 and node2 only. Pre-flight names node3 as a
    member left out of the group (it would be neither evacuated nor updated) instead of
    planning the two nodes it was given, and changes nothing on any of the three; so does
    switchover.yml and rolling_maintenance.yml. discover.yml, given node1 alone, writes the whole
    cluster as an inventory."""
    cluster = make_cluster(nodes=3, version="9.7.0")
    with open(cluster.inventory) as handle:
        inventory = json.load(handle)
    inventory["lifekeeper"]["hosts"].pop(cluster.container("node3"))
    cluster.inventory = os.path.join(cluster.workdir, "inventory-without-node3.json")
    with open(cluster.inventory, "w") as handle:
        json.dump(inventory, handle)
    _assert_refused(cluster, "refuse-left-out", [
        "%s: LifeKeeper there knows node3, not a node of this inventory group" % cluster.container(node)
        for node in ("node1", "node2")], "member-left-out")
    # the switchover playbook refuses the same group before its lock, nothing moved
    events = len(cluster.events())
    proc = cluster.playbook("switchover.yml", {"lk_switch_to": cluster.container("node2"), "lk_switch_tags": "app-web",
                                               "lk_run_id": "switch-left-out"})
    assert proc.returncode != 0, proc.stdout[-4000:]
    assert ("Pre-flight refused the switchover; nothing was changed on any node: %s: LifeKeeper there knows node3, "
            "not a node of this inventory group" % cluster.container("node1")) in " ".join(proc.stdout.split()), \
        proc.stdout[-4000:]
    assert len(cluster.events()) == events and cluster.placement() == {"app-web": "node1"}
    assert [node for node in cluster.names if cluster.lock(node, "lifekeeper") is not None] == []
    # so does the rolling maintenance: refused before its lock, no node evacuated or rebooted
    proc = cluster.playbook("rolling_maintenance.yml", {"lk_confirm": "true", "lk_run_id": "maintain-left-out",
                                                        "lk_maintenance_reboot": "always"})
    assert proc.returncode != 0, proc.stdout[-4000:]
    assert ("Pre-flight refused the maintenance; nothing was changed on any node: %s: LifeKeeper there knows node3, "
            "not a node of this inventory group" % cluster.container("node1")) in " ".join(proc.stdout.split()), \
        proc.stdout[-4000:]
    assert len(cluster.events()) == events and cluster.placement() == {"app-web": "node1"}
    assert [node for node in cluster.names if cluster.lock(node, "lifekeeper") is not None] == []
    assert cluster.report()["result"] == "refused" and cluster.report()["operation"] == "maintenance"
    # discover.yml, from node1 alone in a flat inventory, writes the whole cluster: node2 and
    # node3 by their LifeKeeper names, at the addresses docker gave them
    seed = dict(inventory["lifekeeper"]["vars"], lksim_node_name="node1")
    cluster.inventory = os.path.join(cluster.workdir, "inventory-seed.json")
    with open(cluster.inventory, "w") as handle:
        json.dump({"all": {"hosts": {cluster.container("node1"): seed}}}, handle)
    written = os.path.join(cluster.workdir, "discovered.yml")
    proc = cluster.playbook("discover.yml", {"lk_discover_file": written})
    assert proc.returncode == 0, proc.stdout[-4000:]
    with open(written) as handle:
        found = yaml.safe_load(handle)
    assert found == {"lifekeeper": {"children": {"lk_node1": {"hosts": {
        cluster.container("node1"): {},
        "node2": {"ansible_host": cluster.address("node2")},
        "node3": {"ansible_host": cluster.address("node3")}}}}}}, found
    assert len(cluster.events()) == events


def test_refuses_a_resource_osf(shared):
    """A failed restore left ip-10.0.0.50 OSF on node2 (app-web back in service on node1)."""
    cluster = shared
    _assert_healthy(cluster)
    cluster.knob("node2", fail_restore_tags=["ip-10.0.0.50"])
    failed = cluster.exec("node2", LKCLI, "resource", "restore", "--tag", "app-web", check=False)
    assert failed.returncode != 0, failed.stdout
    cluster.knob("node2", fail_restore_tags=[])
    cluster.exec("node1", LKCLI, "resource", "restore", "--tag", "app-web")
    assert cluster.placement() == {"app-web": "node1"}
    assert cluster.states("node2")["ip-10.0.0.50"] == "OSF", cluster.status("node2")
    cluster.wait_healthy()
    _assert_refused(cluster, "refuse-osf",
                    ["%s: resource ip-10.0.0.50 is OSF" % cluster.container("node2")], "resource-osf")
    # put the cluster back: the OSF instance out of service (OSU)
    cluster.exec("node2", LKCLI, "resource", "remove", "--tag", "ip-10.0.0.50")
    _assert_healthy(cluster)


def test_refuses_a_hierarchy_without_standby(make_cluster):
    """app-web exists on node1 only (no equivalency on node2): it has nowhere to go."""
    alone = dict(APP_WEB, priorities={"node1": 1})
    cluster = make_cluster(version="9.7.0", hierarchies=[alone])
    assert cluster.placement() == {"app-web": "node1"}
    assert cluster.states("node2") == {}
    _assert_refused(cluster, "refuse-nostandby", [
        "hierarchy app-web (in service on %s) has no standby node to switch to" % cluster.container("node1")],
        "no-standby")


def test_refuses_a_dead_path(request):
    """Both nodes run; one of their two communication paths is DEAD (no failover happens)."""
    cluster = TwoPathCluster("lkf-refusals-deadpath", version="9.7.0")
    request.addfinalizer(cluster.down)
    cluster.up()
    assert cluster.status("node1").count("ALIVE") == 2, cluster.status("node1")
    address = cluster.cut_second_path("node2")
    for node in cluster.names:
        cluster.wait_dead_path(node, 20, "the second path to go DEAD on both nodes")
    for node in cluster.names:   # the first path keeps the peers alive: nothing failed over
        assert cluster.status(node).count("ALIVE") == 1, cluster.status(node)
    assert cluster.placement() == {"app-web": "node1"}
    problems = _assert_refused(cluster, "refuse-deadpath", [
        "%s: communication path to node2 (" % cluster.container("node1"),
        "%s: communication path to node1 (" % cluster.container("node2"),
        # the vendor's check says it too: LifeKeeper cannot reach the peer's LCM port over that path
        "pre-flight check lcm_port failed: %s: the path to node2 over " % cluster.container("node1")], "dead-path")
    assert any(address in p and p.endswith("is DEAD") for p in problems), problems


# ---- scenario 4: a mirror that never finishes resynchronising -------------------------------

MIRROR_STATUS = ["/opt/LifeKeeper/bin/mirror_status", "datarep-data"]


def _mirror(cluster, node):
    return cluster.exec(node, *MIRROR_STATUS).stdout


def test_mirror_never_in_sync(make_cluster):
    """Pre-flight refuses a resync already stuck; a resync that starts with node2's update and
    never ends stops the run before anything is switched onto node2."""
    cluster = make_cluster(version="9.7.0")
    c = cluster.container
    assert cluster.placement() == {"app-web": "node1"}
    # mirrors targeting node2 never finish from now on (in sync now)
    cluster.knob("node2", resync_never_ends=True)

    # (a) a resync stuck before the run: pre-flight waits lk_preflight_mirror_timeout, refuses
    cluster.exec("node1", "/opt/LifeKeeper/bin/mirror_action", "datarep-data", "fullresync")
    cluster.wait_output("node1", MIRROR_STATUS, "99%", 20, "the resync to stall at 99%")
    events_before = len(cluster.events())
    started = time.time()
    result = cluster.playbook("rolling_update.yml", _vars("mirror-preflight"))
    out = result.stdout
    assert result.returncode != 0, out[-3000:]
    assert "Stage 2" not in out, out[-3000:]
    assert REFUSED in out and "datarep-data: node2 Resyncing 99%" in out, out[-3000:]
    assert len(cluster.events()) == events_before
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.7.0", "9.7.0"]
    assert all(_no_backup(cluster, n) for n in cluster.names)
    assert _print_downtime(cluster, "mirror-preflight", started) == {}

    # the stuck resync is forced in sync; the knob stays: the next resync on node2 never ends
    cluster.exec("node1", "/opt/LifeKeeper/bin/mirror_action", "datarep-data", "force")
    cluster.wait_healthy()

    # (b) the run: node2 (standby) is updated, its restart starts a resync that never ends
    run_id = "mirror-stuck"
    events_before = len(cluster.events())
    started = time.time()
    result = cluster.playbook("rolling_update.yml", _vars(run_id))
    out = result.stdout
    assert result.returncode != 0, out[-3000:]
    assert "%s failed at 'update'" % c("node2") in (stopped_message(out) or ""), out[-3000:]
    assert "datarep-data: node2 Resyncing 99%" in out, out[-3000:]
    # ground truth: node2 updated, node1 not; app-web never left node1
    assert cluster.rpm_version("node2") == "9.9.0"
    assert cluster.rpm_version("node1") == "9.7.0"
    assert "Resyncing" in _mirror(cluster, "node1") and "99%" in _mirror(cluster, "node1")
    assert cluster.placement() == {"app-web": "node1"}
    run_events = cluster.events()[events_before:]
    assert not [e for e in run_events if e["node"] == "node1"], run_events
    assert not [e for e in run_events if e["to"] in ("ISP", "ISU")], run_events
    assert _print_downtime(cluster, "mirror-stuck", started) == {}
    # the collection's own account (in addition): failed, support bundles of both nodes
    report = cluster.report()
    assert report["result"] == "failed", report
    for node in cluster.names:
        folder = os.path.join(cluster.artifacts, run_id, c(node))
        bundles = [f for f in os.listdir(folder) if ".lksupport." in f] if os.path.isdir(folder) else []
        assert bundles, "no support bundle for %s in %s" % (node, folder)
