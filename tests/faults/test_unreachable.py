"""Issue 18: a node that cannot be reached (its host down, the connection lost) never ends a
run silently, and every ending writes the report.

Two clusters of one fleet (erp, crm; docker_api connection: a container that is stopped or
not found is unreachable, as ssh reports a host that does not answer), in file order:
1. a check-mode run and a run without lk_confirm change nothing and each write a report
   (planned with the plans; refused) naming the run;
2. crm's node2 is down (docker stop): status.yml shows every reachable node's state and
   crm's node2 as unknown, and fails for crm only (erp healthy); switchover.yml is refused
   in crm (nothing changed) and switches erp's hierarchy there and back;
3. with crm's node2 still down, the rolling update refuses crm before any change and updates
   erp; the run ends failed and the report is written; backup.yml backs up every node that
   answers and fails naming crm's node2.
4. (its own cluster) the controller loses node2 after node2 was updated and before node1:
   node1's evacuation finds no live standby (node2 not read), the cluster is rescued with
   node2 unknown and its lock kept, and once node2 is back the rerun of the same run completes.
Ground truth: rpm, lcdstatus, the simulator's event logs and files on the nodes; the report
is checked for being written, its result and its run id.
"""
import json
import os
import time

import pytest

from conftest import _docker_ready
from harness import BACKUP_DIR, Cluster, final_message, fleet_inventory, report_views

FAST = {"lk_update_ready_timeout": 10, "lk_evacuate_timeout": 60, "lk_placement_timeout": 60,
        "lk_verify_timeout": 30, "lk_preflight_mirror_timeout": 30, "lk_update_setup_timeout": 120,
        "lk_rescue_timeout": 60, "lk_command_timeout": 10}
STATE_DIR = "/var/lib/hatools-lifekeeper"
HOLD_AFTER = """---
- name: Hold the run a few seconds after the update of %s
  ansible.builtin.wait_for:
    timeout: 8
  delegate_to: localhost
  when: lk_hook_node == '%s'
"""


def run_vars(run_id, **more):
    extra = {"lk_target_version": "9.9.0", "lk_media": "/srv/LKL_V9.9.0_010126.iso", "lk_confirm": "true",
             "lk_run_id": run_id}
    extra.update(FAST)
    extra.update(more)
    return extra


def node_events(cluster, node):
    """The node's own event log (a node that is down has none to read)."""
    text = cluster.exec(node, "sh", "-c", "cat /var/log/lksim/events.jsonl 2>/dev/null || true").stdout
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def in_service_on(cluster, node):
    """The root hierarchies in service on node, from its lcdstatus."""
    return sorted(tag for tag, state, depth in cluster.rows(node) if depth == 0 and state in ("ISP", "ISU"))


def untouched(cluster, nodes, events):
    """Nothing changed on these nodes: no event, the old version, app-web on node1, no state folder."""
    for node in nodes:
        assert len(node_events(cluster, node)) == events[node], node_events(cluster, node)[events[node]:]
        assert cluster.rpm_version(node) == "9.7.0", node
        assert cluster.exec(node, "test", "-e", STATE_DIR, check=False).returncode != 0, node
    assert in_service_on(cluster, "node1") == ["app-web"]


def read_report(path):
    assert os.path.exists(path), "no report written at %s" % path
    with open(path) as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def fleet(request):
    """erp and crm, two-node 9.7.0 clusters, one inventory; erp's work folder holds it."""
    if not _docker_ready():
        pytest.fail("docker or the image hatools/lksim-node:latest is missing: run `make images` first")
    erp = Cluster("lkf-reach-erp", connection="community.docker.docker_api")
    crm = Cluster("lkf-reach-crm", connection="community.docker.docker_api")
    try:
        erp.up()
        crm.up()
        erp.inventory = fleet_inventory([erp, crm], os.path.join(erp.workdir, "fleet.json"), ["erp", "crm"])
        yield erp, crm
    finally:
        failed = request.session.testsfailed > 0
        for cluster in (erp, crm):
            cluster.down(keep_logs=failed)
            if failed:
                print("\nplaybook logs in %s" % cluster.workdir)


def test_check_mode_and_a_missing_confirmation_change_nothing_and_write_the_report(fleet):
    erp, crm = fleet
    events = dict(((c.prefix, n), len(node_events(c, n))) for c in (erp, crm) for n in c.names)

    planned = erp.playbook("rolling_update.yml", run_vars("reach-plan"), check=True)
    assert planned.returncode == 0, planned.stdout[-4000:]
    report = read_report(erp.report_file)
    assert report["result"] == "planned" and report["run_id"] == "reach-plan", report
    assert [(c["name"], c["result"], c["run_id"]) for c in report["clusters"]] == [
        ("erp", "planned", "reach-plan"), ("crm", "planned", "reach-plan")]
    assert [n["name"] for n in report["clusters"][0]["plan"]["nodes"]] and report["clusters"][0]["moves_planned"]
    # beside it the Markdown summary and the HTML page, each with every cluster's plan
    dummy, markdown, page = report_views(erp.report_file, "planned")
    for name in ("erp", "crm"):
        assert '<section class="cluster" data-cluster="%s" data-result="planned">' % name in page, page[-3000:]
        assert "## Cluster %s" % name in markdown, markdown
    assert page.count('<pre class="plan">') == 2 and "check mode: nothing ran" in page, page[-3000:]
    erp.remove_report()

    unconfirmed = erp.playbook("rolling_update.yml", run_vars("reach-noconfirm", lk_confirm="false"))
    assert unconfirmed.returncode != 0 and "lk_confirm is 'false'" in unconfirmed.stdout, unconfirmed.stdout[-4000:]
    assert "Stage 2" not in unconfirmed.stdout, unconfirmed.stdout[-4000:]
    report = read_report(erp.report_file)
    assert report["result"] == "refused" and report["run_id"] == "reach-noconfirm", report
    assert "lk_confirm is 'false'" in report["failure"], report["failure"]
    assert [(c["name"], c["result"], c["run_id"]) for c in report["clusters"]] == [
        ("erp", "refused", "reach-noconfirm"), ("crm", "refused", "reach-noconfirm")]
    dummy, markdown, page = report_views(erp.report_file, "refused")
    assert "lk_confirm is &#x27;false&#x27;" in page and "lk_confirm is 'false'" in markdown, page[-3000:]
    erp.remove_report()

    for cluster in (erp, crm):
        untouched(cluster, cluster.names, dict((n, events[(cluster.prefix, n)]) for n in cluster.names))


def test_status_shows_the_reachable_nodes_when_one_is_down(fleet):
    erp, crm = fleet
    crm.stop("node2")
    crm.wait_dead_path("node1", 30, "crm's node1 to see node2 DEAD")
    proc = erp.playbook("status.yml")
    out = proc.stdout
    assert "Show the cluster's health" in out, out[-4000:]
    assert "%s: state unknown, the node could not be read (unreachable" % crm.container("node2") in out, out[-4000:]
    # every reachable node as the node itself says (rpm)
    for cluster, node in ((erp, "node1"), (erp, "node2"), (crm, "node1")):
        assert "%s: LifeKeeper %s running=True" % (cluster.container(node), cluster.rpm_version(node)) in out, \
            out[-4000:]
    # the health check fails for crm, naming its node that is down; erp was checked and is healthy
    assert proc.returncode != 0, out[-4000:]
    assert "LifeKeeper health check failed: 1 of 2 cluster(s) not healthy (crm)" in out, out[-4000:]
    assert "cluster erp: healthy: " in out, out[-4000:]
    assert "  - %s: state unknown, the node could not be read (unreachable" % crm.container("node2") in out, \
        out[-4000:]


def test_switchover_goes_on_in_a_healthy_cluster_and_is_refused_in_the_one_with_a_node_down(fleet):
    erp, crm = fleet
    crm_events = len(node_events(crm, "node1"))
    refused = erp.playbook("switchover.yml", {"lk_switch_to": crm.container("node1"), "lk_switch_tags": "app-web",
                                              "lk_run_id": "reach-switch-crm"})
    out = refused.stdout
    assert refused.returncode != 0, out[-4000:]
    assert "Pre-flight refused the switchover; nothing was changed on any node: %s: the lock could not be read " \
           "(unreachable" % crm.container("node2") in out, out[-4000:]
    untouched(crm, ["node1"], {"node1": crm_events})
    since = time.time()
    for target in ("node2", "node1"):
        moved = erp.playbook("switchover.yml", {"lk_switch_to": erp.container(target), "lk_switch_tags": "app-web",
                                                "lk_run_id": "reach-switch-erp-" + target})
        assert moved.returncode == 0, moved.stdout[-4000:]
        assert erp.placement() == {"app-web": target}
    assert erp.switchovers(since=since) == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    assert [n for n in erp.names if erp.lock(n, "erp") is not None] == [] and erp.controller_lock("erp") is None


def test_a_node_down_before_the_run_refuses_its_cluster_and_the_other_is_updated(fleet):
    erp, crm = fleet
    assert crm.exec("node2", "true", check=False).returncode != 0, "crm's node2 should still be down"
    crm_events = len(node_events(crm, "node1"))
    started = time.time()
    proc = erp.playbook("rolling_update.yml", run_vars("reach-fleet", lk_fleet_parallel="1"))
    out = proc.stdout
    assert proc.returncode != 0, out[-4000:]
    assert "cluster crm: REFUSED, nothing will be changed on it" in out, out[-4000:]
    assert "Clusters: erp success, crm refused." in out, out[-4000:]
    assert crm.container("node2") in out.split("Clusters: erp success, crm refused.")[1], out[-4000:]
    # erp updated, node by node, its hierarchy back on node1
    assert [erp.rpm_version(n) for n in erp.names] == ["9.9.0", "9.9.0"]
    assert erp.placement() == {"app-web": "node1"}
    assert erp.switchovers(since=started) == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    # crm: nothing happened on the node that could be reached
    untouched(crm, ["node1"], {"node1": crm_events})
    report = read_report(erp.report_file)
    assert report["result"] == "failed" and report["run_id"] == "reach-fleet", report
    assert [(c["name"], c["result"], c["run_id"]) for c in report["clusters"]] == [
        ("erp", "success", "reach-fleet"), ("crm", "refused", "reach-fleet")]
    print("fleet with a node down: %.1f s" % (time.time() - started))


def test_backup_goes_on_on_the_reachable_nodes_and_fails_naming_the_one_down(fleet):
    """backup.yml with crm's node2 still down: every node that answers is backed up (its
    archive on the node and fetched), the run fails naming the node it could not reach."""
    erp, crm = fleet
    assert crm.exec("node2", "true", check=False).returncode != 0, "crm's node2 should still be down"
    proc = erp.playbook("backup.yml", {"lk_run_id": "reach-backup"})
    out = proc.stdout
    assert proc.returncode != 0, out[-4000:]
    assert crm.container("node2") in out.split("PLAY RECAP")[-1], out[-4000:]
    for cluster, node in ((erp, "node1"), (erp, "node2"), (crm, "node1")):
        host = cluster.container(node)
        fetched = os.listdir(os.path.join(erp.artifacts, "reach-backup", host))
        archives = [f for f in fetched if f.startswith("archive.") and f.endswith(".tar.gz")]
        assert len(archives) == 1, (host, fetched)
        on_node = cluster.exec(node, "ls", BACKUP_DIR).stdout.split()
        assert archives[0] in on_node, (host, on_node)
    assert not os.path.exists(os.path.join(erp.artifacts, "reach-backup", crm.container("node2")))


def test_a_node_lost_between_two_nodes_is_rescued_then_the_rerun_completes(make_cluster):
    cluster = make_cluster(connection="community.docker.docker_api")
    c = cluster.container
    # node2 (the standby) is updated first; a hook holds the run after its update, so that the
    # controller loses node2 before anything of node1 starts (node1's evacuation moves app-web to node2)
    hold = os.path.join(cluster.workdir, "hold.yml")
    with open(hold, "w") as handle:
        handle.write(HOLD_AFTER % (c("node2"), c("node2")))
    started = time.time()
    first = cluster.playbook("rolling_update.yml", run_vars("reach-cut", lk_hook_after_update=hold), background=True)
    try:
        cluster.wait_progress("node2", "step", "done", 240, "node2's update to be done")
        cluster.cut("node2")
    finally:
        try:
            first.wait(timeout=300)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, 9)
                first.wait()
    with open(first.log_path) as handle:
        out = handle.read()
    assert first.returncode != 0, out[-4000:]
    message = final_message(out)
    # node1's evacuation found no live standby (node2 not read): refused there, the cluster rescued
    assert message and "%s failed at 'evacuate'" % c("node1") in message, out[-4000:]
    assert "not read: %s (unreachable" % c("node2") in message, message
    assert "The cluster lock of run reach-cut was kept" in message, message
    # rescued: app-web never left node1 (ground truth on node1, node2 cannot be read)
    assert in_service_on(cluster, "node1") == ["app-web"]
    assert not [e for e in node_events(cluster, "node1") if e["time"] >= started and e["tag"] == "app-web"]
    report = cluster.report()
    assert report["result"] == "failed" and report["run_id"] == "reach-cut", report
    assert list(report["unreadable_nodes"]) == [c("node2")], report

    cluster.reconnect("node2")
    cluster.wait_healthy(timeout=60)
    assert cluster.rpm_version("node2") == "9.9.0" and cluster.rpm_version("node1") == "9.7.0"
    rerun = cluster.playbook("rolling_update.yml", run_vars("reach-cut"))
    assert rerun.returncode == 0, rerun.stdout[-4000:]
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.9.0", "9.9.0"]
    assert cluster.placement() == {"app-web": "node1"}
    assert cluster.switchovers(since=started) == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    assert [n for n in cluster.names if cluster.lock(n) is not None] == [] and cluster.controller_lock() is None
    print("node lost between two nodes, rerun: %.1f s" % (time.time() - started))
