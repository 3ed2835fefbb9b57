"""Issue 5, scenarios 1 and 5: a run that stops part-way is resumed with the same lk_run_id.

1. setup fails on the second node in order (node1, the node holding the hierarchy): the play
   stops, node2 is updated and healthy, node1 still runs 9.7.0 as a standby, bundles and
   backups are on the controller, the message says how to resume; the rerun skips node2,
   updates node1 and puts the hierarchy back where the FIRST run found it.
5. the controller (ansible-playbook and every child) is SIGKILLed after the first node's
   update is recorded done and before the second node's evacuation: the rerun resumes.

Ground truth: rpm and lcdstatus on the nodes, the simulator's event logs. The report and the
plan are checked in addition (the rerun must really skip, not redo, the first node).
"""
import glob
import json
import os
import re
import signal
import subprocess
import time

import yaml

from harness import REPO, SAVED_SETUP_CONFIG, final_message, resume_command

TARGET = "9.9.0"
MEDIA = "/srv/LKL_V9.9.0_010126.iso"
PROGRESS = "/var/lib/hatools-lifekeeper/update-progress.json"
ROOT = "app-web"
# lean deadlines: nothing in these scenarios should take long
FAST = {"lk_target_version": TARGET, "lk_media": MEDIA, "lk_confirm": "true",
        "lk_update_ready_timeout": 60, "lk_update_setup_timeout": 120, "lk_evacuate_timeout": 60,
        "lk_preflight_mirror_timeout": 30, "lk_verify_timeout": 60, "lk_placement_timeout": 60,
        "lk_rescue_timeout": 60}
# one switchover of a three-resource hierarchy takes ~1-2 s in the simulator
MAX_OUTAGE_S = 15


def host(cluster, node):
    return cluster.container(node)


def plan_line(output, hostname):
    """The plan's line for hostname ('N. host (node): action before -> target [path]')."""
    lines = [l for l in output.splitlines() if re.search(r'\d+\. %s \(' % re.escape(hostname), l)]
    assert lines, "no plan line for %s in:\n%s" % (hostname, output[-4000:])
    return lines[0]


def report_nodes(cluster):
    return dict((n["name"], n) for n in cluster.report()["nodes"])


def check_outages_are_switchovers(cluster, expected_switchovers):
    """Every interval in which the hierarchy was in service nowhere is one of its own
    switchovers (opened by a 'switchover to X' removal, closed by the restore on X), none is
    open; returns {tag: total seconds}."""
    events = cluster.events()
    out = cluster.outages(tags=[ROOT])
    intervals = out.get(ROOT, [])
    assert all(end is not None for _start, end in intervals), "%s still out of service: %s" % (ROOT, intervals)
    assert len(intervals) == expected_switchovers, \
        "%s: %d outage(s), expected %d (one per switchover): %s\n%s" % (
            ROOT, len(intervals), expected_switchovers, intervals, "\n".join(map(json.dumps, events)))
    for start, end in intervals:
        opened = [e for e in events if e["tag"] == ROOT and e["time"] == start and e["to"] not in ("ISP", "ISU")]
        closed = [e for e in events if e["tag"] == ROOT and e["time"] == end and e["to"] in ("ISP", "ISU")]
        assert opened and opened[0]["cause"].startswith("switchover to "), (start, end, opened)
        target = opened[0]["cause"].split()[-1]
        assert closed and closed[0]["node"] == target, (start, end, opened, closed)
        assert end - start < MAX_OUTAGE_S, (start, end)
    downtime = {ROOT: round(sum(end - start for start, end in intervals), 3)}
    # the children move with their root: they are never out longer than the hierarchy's switchovers
    for tag, child_intervals in cluster.outages(tags=["ip-10.0.0.50", "datarep-data"]).items():
        assert len(child_intervals) == expected_switchovers and all(e is not None for _s, e in child_intervals), \
            (tag, child_intervals)
        downtime[tag] = round(sum(end - start for start, end in child_intervals), 3)
    return downtime, intervals


def artifacts_of(cluster, run_id, hostname):
    folder = os.path.join(cluster.artifacts, run_id, hostname)
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def rerun_resumes(cluster, run_id, progress2, placement_file, placement_mtime, command=None):
    """Rerun with the same run id (command: the resume command of the final message, as an
    operator pastes it): node2 (already updated) skipped and untouched, node1 updated, the
    first attempt's placement restored, report success. Returns the run."""
    node1, node2 = host(cluster, "node1"), host(cluster, "node2")
    second = cluster.shell(command) if command else cluster.playbook("rolling_update.yml", dict(FAST, lk_run_id=run_id))
    out2 = second.stdout
    assert second.returncode == 0, out2[-5000:]
    assert plan_line(out2, node2).split(": ", 1)[1].startswith("skip %s -> %s [none]" % (TARGET, TARGET)), \
        plan_line(out2, node2)
    assert plan_line(out2, node1).split(": ", 1)[1].startswith("update 9.7.0"), plan_line(out2, node1)
    # node2 was not touched again: still the progress record of the first attempt
    assert json.loads(cluster.exec("node2", "cat", PROGRESS).stdout) == progress2
    assert cluster.rpm_version("node1") == TARGET and cluster.rpm_version("node2") == TARGET
    cluster.wait_healthy(timeout=30)
    # the hierarchy is back where the FIRST attempt found it
    assert cluster.placement() == {ROOT: "node1"}
    assert os.stat(placement_file).st_mtime == placement_mtime
    report = cluster.report()
    assert report["result"] == "success" and report["hierarchies_lost"] == [], report
    assert report["placement_before"] == {ROOT: node1}, report
    nodes = report_nodes(cluster)
    assert nodes[node2]["action"] == "skipped" and nodes[node1]["action"] == "updated", nodes
    return second


def refused_without_the_placement_record(cluster, run_id, placement_file):
    """A resume whose controller record is gone is refused, moving nothing, instead of recording
    where the failed attempt left the hierarchy as the placement to restore. The record is put
    back afterwards (its mtime kept)."""
    copy = "/var/lib/hatools-lifekeeper/placement-%s.json" % run_id
    for node in cluster.names:      # every node keeps a copy of the first attempt's record
        assert json.loads(cluster.exec(node, "cat", copy).stdout) == {ROOT: host(cluster, "node1")}
    lost = placement_file + ".lost"
    os.rename(placement_file, lost)
    events_before = len(cluster.events())
    try:
        result = cluster.playbook("rolling_update.yml", dict(FAST, lk_run_id=run_id))
        said = " ".join(result.stdout.split())
        assert result.returncode != 0, result.stdout[-4000:]
        assert "the placement record %s is missing on the controller" % placement_file in said, result.stdout[-4000:]
        assert "put the record back at %s (copy %s from" % (placement_file, copy) in said, result.stdout[-4000:]
        assert not os.path.exists(placement_file)          # not recorded again
        # ground truth: nothing moved, node1 not updated
        assert cluster.events()[events_before:] == []
        assert cluster.placement() == {ROOT: "node2"}
        assert cluster.rpm_version("node1") == "9.7.0"
    finally:
        os.rename(lost, placement_file)


def test_setup_fails_on_second_node_then_rerun_resumes(make_cluster):
    cluster = make_cluster(nodes=2, version="9.7.0")
    node1, node2 = host(cluster, "node1"), host(cluster, "node2")
    assert cluster.placement() == {ROOT: "node1"}
    cluster.knob("node1", fail_setup=True)
    started = time.time()

    # ---- first run: no lk_run_id given; the operator takes it from the failure message ----
    first = cluster.playbook("rolling_update.yml", FAST)
    out = first.stdout
    assert first.returncode != 0, out[-4000:]
    assert plan_line(out, node2).split(": ", 1)[1].startswith("update 9.7.0"), plan_line(out, node2)
    assert plan_line(out, node1).split(": ", 1)[1].startswith("update 9.7.0"), plan_line(out, node1)
    assert out.index(plan_line(out, node2)) < out.index(plan_line(out, node1))   # node2 first

    # the message, on several lines: who, which step, each node now, the resume: the command the
    # operator ran with its -e replaced by the vars file the run wrote (every variable given and the run id)
    message = final_message(out)
    assert message, out[-4000:]
    assert "%s failed at 'update'" % node1 in message.split("\n")[0], message
    assert "  %s: LifeKeeper 9.7.0 not running" % node1 in message.split("\n") or \
        "  %s: LifeKeeper 9.7.0 running; in service: -; standby: %s" % (node1, ROOT) in message.split("\n"), message
    assert "  %s: LifeKeeper %s running; in service: %s; standby: -" % (node2, TARGET, ROOT) in message.split("\n")
    run_id = re.search(r"lk_run_id=([A-Za-z0-9._-]+)\)", message).group(1)
    resume = resume_command(message)
    assert resume.startswith("cd %s && ansible-playbook -i %s %s -e @" % (
        cluster.workdir, cluster.inventory, os.path.join(REPO, "playbooks", "rolling_update.yml"))), resume
    vars_file = os.path.join(cluster.artifacts, run_id, "resume-vars.yml")
    assert resume.endswith("-e @" + vars_file), resume
    with open(vars_file) as handle:
        given = yaml.safe_load(handle)
    assert given == dict(FAST, lk_run_id=run_id, lk_report_file=cluster.report_file, lk_artifacts_dir=cluster.artifacts,
                         lk_media_access="extract", lk_accept_perl_change=True,
                         lk_setup_config_file=SAVED_SETUP_CONFIG), given
    assert set(os.listdir(cluster.artifacts)) == {"locks", run_id}   # the controller lock lives there too

    # ground truth after the failure
    assert cluster.rpm_version(node="node2") == TARGET
    assert cluster.rpm_version(node="node1") == "9.7.0"
    cluster.wait_healthy(timeout=30)                        # both nodes up, paths ALIVE, mirror in sync
    assert set(cluster.states("node1").values()) == {"OSU"}, cluster.status("node1")   # standby
    assert cluster.placement() == {ROOT: "node2"}
    # node2 recorded done, node1 started but not done
    progress2 = json.loads(cluster.exec("node2", "cat", PROGRESS).stdout)
    progress1 = json.loads(cluster.exec("node1", "cat", PROGRESS).stdout)
    assert (progress2["step"], progress2["run_id"]) == ("done", run_id)
    assert (progress1["step"], progress1["run_id"]) == ("started", run_id)

    # bundles and backups of both nodes on the controller
    for hostname, name in ((node1, "node1"), (node2, "node2")):
        files = artifacts_of(cluster, run_id, hostname)
        assert any(f.startswith("%s.lksupport." % name) for f in files), (hostname, files)
        assert any(re.match(r"archive\.\d+\.tar\.gz$", f) for f in files), (hostname, files)
        assert "LifeKeeper" in files, (hostname, files)
    placement_file = os.path.join(cluster.artifacts, run_id, "placement.json")
    with open(placement_file) as handle:
        assert json.load(handle) == {ROOT: node1}
    placement_mtime = os.stat(placement_file).st_mtime

    report = cluster.report()
    assert report["result"] == "failed", report
    assert node1 in report["failure"] and "'update'" in report["failure"], report["failure"]
    nodes = report_nodes(cluster)
    assert nodes[node2]["action"] == "updated" and nodes[node1]["action"] == "not done", nodes

    # only the evacuation switchover so far
    check_outages_are_switchovers(cluster, 1)

    # ---- issue 18: the controller lost the placement record (an AWX job's container is gone) ----
    cluster.knob("node1", fail_setup=False)
    refused_without_the_placement_record(cluster, run_id, placement_file)

    # ---- rerun with the resume command of the message, the fault cleared ----
    rerun_resumes(cluster, run_id, progress2, placement_file, placement_mtime, resume)
    assert set(os.listdir(cluster.artifacts)) == {"locks", run_id}   # the controller lock lives there too

    downtime, intervals = check_outages_are_switchovers(cluster, 2)   # evacuation + back
    print("DOWNTIME scenario 1 (setup fails on node1, rerun): %s; outages %s; story %.1f s"
          % (downtime, [round(e - s, 3) for s, e in intervals], time.time() - started))


def test_controller_killed_between_nodes_then_rerun_resumes(make_cluster):
    cluster = make_cluster(nodes=2, version="9.7.0")
    node1 = host(cluster, "node1")
    run_id = "resume-killed"
    started = time.time()

    proc = cluster.playbook("rolling_update.yml", dict(FAST, lk_run_id=run_id), background=True)
    # Wait on node2 (first in order) for its progress record 'done', inside the container so
    # that the kill follows within a few tens of milliseconds; the next thing the playbook
    # does after that record is start node1's batch (read the cluster, then switch).
    watcher = subprocess.Popen(
        ["docker", "exec", cluster.container("node2"), "sh", "-c",
         "until grep -qs '\"step\": \"done\"' %s; do sleep 0.02; done" % PROGRESS])
    deadline = time.time() + 240
    try:
        while watcher.poll() is None:
            assert proc.poll() is None, "the playbook ended (rc %s) before node2 was done" % proc.returncode
            assert time.time() < deadline, "node2 never recorded done"
            time.sleep(0.02)
        assert watcher.returncode == 0
        os.killpg(proc.pid, signal.SIGKILL)                  # the controller dies, children too
        killed_at = time.time()
        proc.wait(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    log = max(glob.glob(os.path.join(cluster.workdir, "playbook-*.log")), key=os.path.getmtime)
    with open(log) as handle:
        out = handle.read()
    assert "PLAY RECAP" not in out, out[-3000:]              # killed, not ended

    # the kill point: node2 done, node1 not touched at all (no evacuation began)
    assert cluster.rpm_version("node2") == TARGET and cluster.rpm_version("node1") == "9.7.0"
    progress2 = json.loads(cluster.exec("node2", "cat", PROGRESS).stdout)
    assert (progress2["step"], progress2["run_id"]) == ("done", run_id)
    assert cluster.exec("node1", "test", "-e", PROGRESS, check=False).returncode != 0
    early = [e for e in cluster.events() if e["tag"] == ROOT]
    assert early == [], "node1's evacuation had begun before the kill: %s" % early
    assert cluster.placement() == {ROOT: "node1"}
    cluster.wait_healthy(timeout=30)
    placement_file = os.path.join(cluster.artifacts, run_id, "placement.json")
    with open(placement_file) as handle:
        assert json.load(handle) == {ROOT: node1}
    placement_mtime = os.stat(placement_file).st_mtime
    assert not os.path.exists(cluster.report_file)           # the killed run wrote no report
    # the killed run's cluster lock stays (on every node and on the controller) ...
    assert [(cluster.lock(n) or {}).get("run_id") for n in cluster.names] == [run_id] * 2
    assert cluster.controller_lock()["run_id"] == run_id
    print("killed %.2f s after the start" % (killed_at - started))

    # ---- rerun with the same run id: takes its lock back, resumes at node1, releases it ----
    rerun_resumes(cluster, run_id, progress2, placement_file, placement_mtime)
    assert json.loads(cluster.exec("node1", "cat", PROGRESS).stdout)["step"] == "done"
    assert [cluster.lock(n) for n in cluster.names] == [None, None] and cluster.controller_lock() is None

    downtime, intervals = check_outages_are_switchovers(cluster, 2)   # evacuation of node1 + back
    print("DOWNTIME scenario 5 (controller killed between nodes, rerun): %s; outages %s; story %.1f s"
          % (downtime, [round(e - s, 3) for s, e in intervals], time.time() - started))
