"""Issue 9: trust under partial failure (docker clusters; ground truth from the nodes and the
simulator's event logs, the collection's report checked in addition).

1. a node unreachable (the controller's connection cut) through the run's rescue: the reachable nodes are
   rescued (a hierarchy in service nowhere brought back on its recorded node, not on the one
   with the better priority), a hierarchy the unreachable node may hold is not brought back
   anywhere, lksupport failing in the rescue does not stop it, hierarchies_lost is "unknown"
   naming the node, the lock is kept; after the node is back the rerun completes;
2. a node lost while the cluster's flow runs (Ansible marks the leader unreachable and runs no
   rescue there): the rescue runs from the controller; the lock it keeps refuses another run
   (naming it and the exact -e lk_break_lock=<run id>), the same run id from another controller
   (an AWX relaunch) is refused, and of two runs breaking that lock at once (both naming it)
   exactly one wins and completes, the other changes nothing;
3. a backup copy whose sha256 differs on the controller stops the run at the backup; setup
   hangs: killed after lk_update_setup_timeout, named; a status command hangs: the gate fails
   within its timeout plus one command deadline, naming the node and the command.
"""
import json
import os
import re
import subprocess
import time

from harness import final_message
from lksim import journal as lksim_journal

FAST = {"lk_update_ready_timeout": 10, "lk_evacuate_timeout": 60, "lk_placement_timeout": 60,
        "lk_verify_timeout": 30, "lk_preflight_mirror_timeout": 30, "lk_update_setup_timeout": 120,
        "lk_rescue_timeout": 60, "lk_command_timeout": 10}
LKCLI = "/opt/LifeKeeper/bin/lkcli"


def run_vars(version, run_id, **more):
    extra = {"lk_target_version": version, "lk_media": "/srv/LKL_V%s_010126.iso" % version, "lk_confirm": "true",
             "lk_run_id": run_id}
    extra.update(FAST)
    extra.update(more)
    return extra


def failure_message(output):
    message = final_message(output)
    assert message, output[-4000:]
    return message


def log_of(proc):
    """The output of a playbook run started in the background."""
    with open(proc.log_path) as handle:
        return handle.read()


def wait_ended(proc, timeout):
    try:
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()


def node_events(cluster, tag, since):
    return [(e["node"], e["to"], e["cause"]) for e in cluster.events() if e["tag"] == tag and e["time"] >= since]


def no_locks(cluster):
    return [n for n in cluster.names if cluster.lock(n) is not None] + (
        ["controller"] if cluster.controller_lock() is not None else [])


# ---- 1. a node unreachable through the rescue --------------------------------------------------

APP = {"root": "app-web", "in_service_on": "node1", "priorities": {"node2": 1, "node1": 10},
       "resources": [{"tag": "app-web", "id": "app-web", "type": "gen/app", "children": ["ip-10.0.0.50"]},
                     {"tag": "ip-10.0.0.50", "id": "IP-10.0.0.50", "type": "comm/ip", "children": []}]}
DB = {"root": "db", "in_service_on": "node3", "priorities": {"node3": 1, "node2": 10},
      "resources": [{"tag": "db", "id": "db", "type": "gen/app", "children": []}]}


def test_node_unreachable_through_the_rescue_then_rerun(make_cluster):
    """Order node2 (holds nothing), node1 (app-web: evacuated to node2), node3 (db). While
    node1's setup runs (it will fail), the controller loses node3 and someone takes app-web
    out of service on node2. The rescue reads node1 and node2, not node3."""
    cluster = make_cluster(nodes=3, version="9.8.0", hierarchies=[APP, DB], connection="community.docker.docker_api")
    c = cluster.container
    cluster.knob("node1", fail_setup=True, setup_seconds=4, fail_lksupport=True)
    run_id = "unreach"
    started = time.time()
    proc = cluster.playbook("rolling_update.yml", run_vars("9.9.0", run_id), background=True)
    try:
        cluster.wait_progress("node1", "step", "started", 240, "node1's update to start")
        cluster.exec("node2", LKCLI, "resource", "remove", "--tag", "app-web")
        removed_at = time.time()
        cluster.cut("node3")
    finally:
        wait_ended(proc, 300)
    out = log_of(proc)
    assert proc.returncode != 0, out[-4000:]
    message = failure_message(out)
    # the failure, what is lost (unknown: node3 was not read), what the rescue could not do
    assert "%s failed at 'update'" % c("node1") in message, message
    assert "lost: unknown (not read: %s (unreachable" % c("node3") in message, message
    assert "db was not brought back: it may be in service on %s (could not be read" % c("node3") in message, message
    assert "no support bundle from %s: lksupport failed" % c("node1") in message, message
    assert "The cluster lock of run %s was kept" % run_id in message and c("node3") in message, message
    report = cluster.report()
    assert report["result"] == "failed" and report["hierarchies_lost"] == "unknown", report
    assert list(report["unreadable_nodes"]) == [c("node3")], report
    # the lock stays on the nodes that could be reached and on the controller
    assert cluster.lock("node1")["run_id"] == run_id and cluster.controller_lock()["run_id"] == run_id

    cluster.reconnect("node3")
    # ground truth: app-web evacuated to node2, then brought back by the rescue on node1, its
    # recorded node (node2 has the better priority); db untouched on node3
    assert cluster.switchovers(since=started) == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    assert [e[:2] for e in node_events(cluster, "app-web", removed_at - 0.5)] == [("node2", "OSU"), ("node1", "ISP")]
    assert node_events(cluster, "app-web", removed_at - 0.5)[0][2] == "remove"
    assert [e for e in cluster.events() if e["tag"] == "db" and e["time"] >= started] == []
    outages = cluster.outages(tags=["app-web"], since=removed_at - 0.5)["app-web"]
    assert len(outages) == 1 and outages[0][1] is not None, outages
    assert cluster.rpm_version("node1") == "9.8.0" and cluster.rpm_version("node2") == "9.9.0"
    cluster.knob("node1", fail_setup=False, fail_lksupport=False)
    cluster.wait_healthy(timeout=60)
    assert cluster.placement() == {"app-web": "node1", "db": "node3"}

    # node3 back: the rerun (same run id: its lock taken back) completes; node2 is skipped
    resumed = time.time()
    second = cluster.playbook("rolling_update.yml", run_vars("9.9.0", run_id))
    assert second.returncode == 0, second.stdout[-5000:]
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.9.0"] * 3
    assert cluster.placement() == {"app-web": "node1", "db": "node3"}
    assert cluster.switchovers(since=resumed) == [
        ("app-web", "node1", "node2"), ("db", "node3", "node2"), ("app-web", "node2", "node1"), ("db", "node2", "node3")]
    assert no_locks(cluster) == []
    # the resume's record keeps the first attempt: failed at node1's update
    record = cluster.cluster_record(run_id)
    assert record["result"]["report"]["result"] == "success", record
    assert [(a["result"], a["step"]["node"], a["step"]["name"]) for a in record["attempts"]] == [
        ("failed", c("node1"), "update")], record["attempts"]
    print("unreachable in rescue: first run %.1f s, rerun %.1f s" % (resumed - started, time.time() - resumed))


# ---- 2. a node lost during the flow; the cluster lock between runs -------------------------------

def test_lost_node_rescued_from_the_controller_and_the_cluster_lock(make_cluster):
    cluster = make_cluster(nodes=2, version="9.7.0", connection="community.docker.docker_api")
    c = cluster.container
    started = time.time()
    first = cluster.playbook("rolling_update.yml", run_vars("9.9.0", "lock-a"), background=True)
    try:
        # node2's lock is the last one taken; the backups start with node1's
        cluster.wait_json("node2", cluster.lock_file(), "run_id", "lock-a", 180, "lock-a's lock on node2")
        cluster.cut("node2")
    finally:
        wait_ended(first, 300)
    out = log_of(first)
    assert first.returncode != 0, out[-4000:]
    assert "Stage 2b - rescue from the controller" in out and "unreachable=1" in out, out[-4000:]
    message = failure_message(out)
    assert "failed at 'backup'" in message, message
    assert "could not be reached (Ansible marked %s" % c("node1") in message, message
    assert "the rescue ran from the controller" in message, message
    assert "lost: none" in message, message      # app-web is seen in service on node1
    assert "The cluster lock of run lock-a was kept" in message and "%s: not read: unreachable" % c("node2") in message
    report = cluster.report()
    assert report["result"] == "failed" and list(report["unreadable_nodes"]) == [c("node2")], report
    # the cluster's record on the controller: the step the flow was cut at, which the rescue
    # there read back, and the failed result it wrote
    record = cluster.cluster_record("lock-a")
    assert record["step"]["name"] == "backup" and record["result"]["report"]["result"] == "failed", record
    cluster.reconnect("node2")
    assert [e for e in cluster.events() if e["time"] >= started] == []      # nothing changed
    cluster.wait_healthy(timeout=60)
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.7.0", "9.7.0"]

    # another run is refused in pre-flight, naming the holder and the exact value that breaks its lock
    events = len(cluster.events())
    refused = cluster.playbook("rolling_update.yml", run_vars("9.9.0", "lock-b"))
    assert refused.returncode != 0 and "Stage 2" not in refused.stdout, refused.stdout[-3000:]
    text = refused.stdout
    assert "Pre-flight refused the update; nothing was changed on any node: cluster lifekeeper is locked by run " \
           "lock-a (controller " in text, text[-3000:]
    assert re.search(r"user \S+, pid \d+, cluster lifekeeper\), taken [0-9.]+ s ago", text), text[-3000:]
    assert "break its lock by naming it: -e lk_break_lock=lock-a" in text, text[-3000:]
    assert len(cluster.events()) == events and not os.path.exists(os.path.join(cluster.artifacts, "lock-b"))
    assert cluster.lock("node1")["run_id"] == "lock-a" and cluster.controller_lock()["run_id"] == "lock-a"

    # the health check (issue 20) fails on the lock run lock-a left, naming where it is and what to do
    status = cluster.playbook("status.yml")
    assert status.returncode != 0, status.stdout[-3000:]
    assert "cluster lifekeeper is locked by run lock-a (controller " in status.stdout, status.stdout[-3000:]
    assert "on %s, %s, the controller: " % (c("node1"), c("node2")) in status.stdout, status.stdout[-3000:]
    assert "resume that run with lk_run_id=lock-a" in status.stdout, status.stdout[-3000:]
    assert len(cluster.events()) == events and cluster.lock("node1")["run_id"] == "lock-a"

    # the same run id from another controller (an AWX relaunch: a new job in another execution
    # environment, the artifacts folder kept) is refused, naming the variable that takes it over
    controller_lock = os.path.join(cluster.artifacts, "locks", "cluster-lifekeeper.lock")
    other = cluster.controller_lock()
    other["owner"] = dict(other["owner"], controller="awx-ee-job-7", pid=7)
    other["token"] = "awx-ee-job-7-token"
    with open(controller_lock, "w") as handle:
        json.dump(other, handle)
    relaunch = cluster.playbook("rolling_update.yml", run_vars("9.9.0", "lock-a"))
    assert relaunch.returncode != 0 and "Stage 2" not in relaunch.stdout, relaunch.stdout[-3000:]
    text = relaunch.stdout
    assert "cluster lifekeeper is locked by run lock-a (controller awx-ee-job-7" in text, text[-3000:]
    assert "this run id, but it was taken from controller awx-ee-job-7, not from this one" in text, text[-3000:]
    assert "take its lock over with -e lk_break_lock=lock-a" in text, text[-3000:]
    assert len(cluster.events()) == events and cluster.controller_lock()["token"] == "awx-ee-job-7-token"

    # two runs break the same stale lock at once (both name lock-a): exactly one wins and updates
    # the cluster; the other is refused (the lock changed since its pre-flight, or pre-flight saw
    # the winner's lock) and changes nothing
    broke_at = time.time()
    racers = {run: cluster.playbook("rolling_update.yml", run_vars("9.9.0", run, lk_break_lock="lock-a"),
                                    background=True) for run in ("lock-c", "lock-e")}
    try:
        for proc in racers.values():
            proc.wait(timeout=500)
    finally:
        for proc in racers.values():
            wait_ended(proc, 1)
    outputs = {run: log_of(proc) for run, proc in racers.items()}
    winners = [run for run, proc in racers.items() if proc.returncode == 0]
    assert len(winners) == 1, {run: out[-3000:] for run, out in outputs.items()}
    winner = winners[0]
    loser = [run for run in racers if run != winner][0]
    assert "the lock of run lock-a" in outputs[winner] and "will be broken" in outputs[winner], outputs[winner][-5000:]
    lost = outputs[loser]
    assert ("changed since pre-flight read it (now: run %s" % winner) in lost \
        or ("cluster lifekeeper is locked by run %s" % winner) in lost, lost[-4000:]
    assert "nothing was changed" in lost, lost[-4000:]
    # ground truth: exactly the winner's switchovers, all caused by switchovers (nothing from the loser)
    assert cluster.switchovers(since=broke_at) == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    assert all(e["cause"].startswith("switchover ") for e in cluster.events() if e["time"] >= broke_at)
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.9.0", "9.9.0"]
    assert not os.path.isdir(os.path.join(cluster.artifacts, loser, c("node1")))      # no backup by the loser
    assert no_locks(cluster) == []
    print("lost node + locks: %.1f s" % (time.time() - started))


# ---- 3. a corrupted backup copy, setup hanging, a status command hanging -------------------------

# Each new archive grows by a byte every 0.05 s for 6 s from 0.1 s after it appears: whenever
# lk_backup read its sha256 on the node, the fetch that follows (a new connection, at least
# 0.1 s later) copies other bytes. One byte at a fixed delay raced the two reads: on a loaded
# machine it came before the module's read and the run passed.
CORRUPT_NEW_BACKUPS = (
    "mkdir -p /var/lib/hatools-lifekeeper/backups; cd /var/lib/hatools-lifekeeper/backups; "
    "while true; do for f in archive.*.tar.gz; do [ -e \"$f\" ] || continue; [ -e \"/tmp/done-$f\" ] && continue; "
    "touch \"/tmp/done-$f\"; (sleep 0.1; i=0; while [ $i -lt 120 ]; do printf x >> \"$f\"; sleep 0.05; i=$((i+1)); "
    "done) & done; sleep 0.05; done")


def test_corrupt_backup_copy_setup_hangs_status_hangs(make_cluster):
    cluster = make_cluster(nodes=2, version="9.7.0")
    c = cluster.container

    # (a) node1's archive changes on the node after lk_backup read its sha256 and before the
    # fetch: the controller copy's sha256 differs; the run stops at the backup, changes nothing
    corrupter = subprocess.Popen(["docker", "exec", c("node1"), "sh", "-c", CORRUPT_NEW_BACKUPS],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.time()
    try:
        corrupt = cluster.playbook("rolling_update.yml", run_vars("9.9.0", "corrupt"))
    finally:
        corrupter.kill()
        cluster.exec("node1", "pkill", "-f", "done-", check=False)
    message = failure_message(corrupt.stdout)
    assert "failed at 'backup'" in message, message
    assert re.search(r"the fetched archive \S+/corrupt/%s/archive\.\d+\.tar\.gz does not match sha256 [0-9a-f]{64} on %s"
                     % (c("node1"), c("node1")), message), message
    assert [e for e in cluster.events() if e["time"] >= started] == []
    assert no_locks(cluster) == []

    # (b) setup hangs on node1 (second in order: app-web is evacuated to the updated node2 first)
    # after closing its stdout and stderr (issue 18: like a setup that logs to a file and waits
    # on a lock; the deadline used to end only when the pipes did, so this run never ended)
    cluster.knob("node1", setup_hangs_closed=True)
    started = time.time()
    hang = cluster.playbook("rolling_update.yml", run_vars("9.9.0", "hang", lk_update_setup_timeout=8,
                                                           lk_setup_kill_grace=5))
    took = time.time() - started
    message = failure_message(hang.stdout)
    assert "%s failed at 'update'" % c("node1") in message, message
    assert "setup was killed at its deadline (timeout 8 s, kill_grace 5 s)" in message, message
    assert "did not finish within 8 s: its process group was killed" in message, message
    assert "installed now: steeleye-lk 9.7.0" in message, message
    assert "lost: none" in message
    assert cluster.rpm_version("node1") == "9.7.0" and cluster.rpm_version("node2") == "9.9.0"
    assert cluster.switchovers(since=started) == [("app-web", "node1", "node2")]
    assert cluster.placement() == {"app-web": "node2"}
    assert cluster.states("node2").get("app-web") == "ISP"       # in service, on the updated node
    assert cluster.exec("node1", "pgrep", "-f", "/setup -f", check=False).returncode != 0   # nothing left running
    assert cluster.report()["hierarchies_lost"] == []
    assert no_locks(cluster) == []           # node1 runs its old version: not left mid-update
    print("setup hangs with its output closed: run %.1f s" % took)

    # (c) the rerun: node1's setup works, then its lcdstatus hangs: the gate fails within
    # lk_update_ready_timeout (10) plus one command deadline (lk_command_timeout 4)
    cluster.knob("node1", setup_hangs_closed=False)
    before = cluster.progress("node1")["time"]
    proc = cluster.playbook("rolling_update.yml", run_vars("9.9.0", "hang", lk_command_timeout=4), background=True)
    try:
        cluster.wait_progress("node1", "time", before, 180, "node1's update to start again", differs=True)
        cluster.knob("node1", hang_commands=["lcdstatus"])
    finally:
        wait_ended(proc, 300)
    out = log_of(proc)
    assert proc.returncode != 0, out[-4000:]
    gate = out[out.index("TASK [hatools.lifekeeper.update : Gate - ready"):]
    waited = float(re.search(r'"waited": ([0-9.]+)', gate).group(1))
    assert 10 <= waited <= 10 + 4 + 1.5, waited
    message = failure_message(out)
    assert "%s failed at 'update'" % c("node1") in message, message
    assert "lcdstatus" in message and "did not finish within 4 s" in message, message
    cluster.knob("node1", hang_commands=[])
    assert cluster.placement() == {"app-web": "node2"} and cluster.rpm_version("node1") == "9.9.0"
    print("status hangs: gate waited %.1f s" % waited)


# ---- 4. the 8.x reinstall path: rmlk leaving packages, completed by a rerun; an 8.x rollback ------

def test_8x_reinstall_rmlk_leaves_packages_resume_then_rollback(make_cluster):
    """8.1.2 -> 8.4.1 is outside the direct window (8.2.x, 8.3.x, 8.4.0): the reinstall path.
    On node2 (first: it holds nothing) rmlk answers and exits 0 but leaves the packages: the
    run stops there, node2 without a working LifeKeeper (rmlk ran with LifeKeeper stopped: its
    peer was not told and keeps it). Another run is refused with the manual steps; the same run
    id completes the reinstall from its own archive (the node copy gone: the controller copy is
    used), the 8.4.1 guide's way: no peer stopped or restored, one archive restore per node
    (commands journals). Then rollback.yml takes both nodes back to 8.1.2 and their archives."""
    cluster = make_cluster(nodes=2, version="8.1.2", media=("8.4.1", "8.1.2"))
    c = cluster.container
    cluster.knob("node2", rmlk_leaves_packages=True)
    # an update from 8.1.x needs the new licence keys (pre-flight check licence)
    key = "/root/lk-keys/cluster.lic"
    for node in cluster.names:
        cluster.exec(node, "sh", "-c", "mkdir -p /root/lk-keys && echo LKLIC > %s" % key)
    run_id = "r8"
    extra = run_vars("8.4.1", run_id, lk_allow_reinstall="true", lk_license_files=[key])
    started = time.time()
    first = cluster.playbook("rolling_update.yml", extra)
    message = failure_message(first.stdout)
    assert "%s failed at 'update'" % c("node2") in message, message
    assert "rmlk ended, but steeleye-lk 8.1.2 is still installed" in message, message
    assert "The cluster lock of run r8 was kept" in message and "%s: LifeKeeper is not running" % c("node2") in message
    assert cluster.placement() == {"app-web": "node1"} and cluster.switchovers(since=started) == []
    record = cluster.progress("node2")
    assert (record["run_id"], record["step"], record["version_before"]) == (run_id, "removing", "8.1.2"), record
    assert record["kits"] == ["steeleye-lkDR"] and record["mode"] == "archive" and "peer_archives" not in record, record
    assert os.stat(record["controller_copy"]).st_mode & 0o777 == 0o600
    assert os.stat(os.path.join(cluster.artifacts, run_id)).st_mode & 0o777 == 0o700

    # another run (even breaking the lock) is refused, naming the run that completes it and the steps
    cluster.knob("node2", rmlk_leaves_packages=False)
    events = len(cluster.events())
    other = cluster.playbook("rolling_update.yml", dict(extra, lk_run_id="r8-other", lk_break_lock="true"))
    assert other.returncode != 0 and "Stage 2" not in other.stdout, other.stdout[-3000:]
    assert ("%s: run r8 stopped while reinstalling LifeKeeper here (step removing, after its backups): rerun with "
            "-e lk_run_id=r8 to complete it, or by hand: 1. install LifeKeeper 8.4.1" % c("node2")) in other.stdout
    assert "lkstop -f" not in other.stdout and "/opt/LifeKeeper/bin/lkbackup -x -f" in other.stdout
    assert len(cluster.events()) == events

    # the same run id completes it, from the controller copy when the node copy is gone
    cluster.exec("node2", "rm", record["archive"])
    resumed = time.time()
    second = cluster.playbook("rolling_update.yml", extra)
    assert second.returncode == 0, second.stdout[-5000:]
    assert "completing the reinstall this run left at step removing" in second.stdout
    assert [cluster.rpm_version(n) for n in cluster.names] == ["8.4.1", "8.4.1"]
    for node in cluster.names:
        kit = cluster.exec(node, "rpm", "-q", "--qf", "%{VERSION}", "steeleye-lkDR").stdout.strip()
        assert kit == "8.4.1", (node, kit)
    cluster.wait_healthy(timeout=60)          # every path ALIVE on both ends: the peers kept the nodes
    assert cluster.placement() == {"app-web": "node1"}
    # ground truth: only the node being reinstalled was stopped or restored, at most once each
    journal = [e for e in cluster.commands() if e["time"] >= started]
    assert lksim_journal.reinstall_problems(journal, max_restores=1)[0] == [], journal
    assert sorted(e["node"] for e in journal if e["argv"][:2] == ["lkbackup", "-x"]) == ["node1", "node2"]
    assert cluster.switchovers(since=resumed) == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    assert all(e["cause"].startswith("switchover ") for e in cluster.events() if e["time"] >= resumed)
    report = cluster.report()
    assert [n["action"] for n in report["nodes"]] == ["reinstalled", "reinstalled"], report
    assert no_locks(cluster) == []

    # the 8.x rollback to 8.1.2 and each node's archive of the first attempt (8.1.2 configuration)
    archives = dict((c(n), "/var/lib/hatools-lifekeeper/backups/" + sorted(
        cluster.exec(n, "ls", "/var/lib/hatools-lifekeeper/backups").stdout.split())[0]) for n in cluster.names)
    back_at = time.time()
    rollback = cluster.playbook("rollback.yml", {
        "lk_rollback_archive": archives, "lk_rollback_version": "8.1.2", "lk_rollback_media": "/srv/LKL_V8.1.2_010126.iso",
        "lk_confirm": "true", "lk_run_id": "r8-back", "lk_evacuate_timeout": 60, "lk_rollback_timeout": 60,
        "lk_rollback_setup_timeout": 120, "lk_placement_timeout": 60, "lk_verify_timeout": 60})
    assert rollback.returncode == 0, rollback.stdout[-5000:]
    assert [cluster.rpm_version(n) for n in cluster.names] == ["8.1.2", "8.1.2"]
    cluster.wait_healthy(timeout=60)
    assert cluster.placement() == {"app-web": "node1"}
    assert cluster.switchovers(since=back_at) == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    assert all(e["cause"].startswith("switchover ") for e in cluster.events() if e["time"] >= back_at)
    print("8.x: failed run %.1f s, resume %.1f s, rollback %.1f s"
          % (resumed - started, back_at - resumed, time.time() - back_at))
