"""The small playbooks: status, backup, collect_support, switchover and rollback.

One shared two-node cluster (9.7.0, app-web in service on node1) serves the read-only
playbooks, the switchover and the rollback refusals, in file order; the rollback story
(rolling update 9.7.0 -> 9.9.0, then rollback.yml to 9.7.0 and the archives) has its own
cluster. Ground truth: rpm, lcdstatus and files on the nodes, the simulator's event logs.
"""
import hashlib
import json
import os
import re
import time

import pytest

from harness import BACKUP_DIR, Cluster, custom_stats
from conftest import _docker_ready

ROOT = "app-web"
CHILDREN = ["ip-10.0.0.50", "datarep-data"]
# sha256 of every configuration file of a node (to prove a read-only playbook changed nothing)
CONFIG_SUMS = "cd / && find opt/LifeKeeper/config etc/default/LifeKeeper -type f | sort | xargs sha256sum"
# one switchover of a three-resource hierarchy takes ~1-2 s in the simulator
MAX_OUTAGE_S = 15
HEALTHY = ("cluster lifekeeper: healthy: every node read and running, every hierarchy in service once with a "
           "standby, all paths ALIVE, mirrors in sync, one version, no lock held")


def sha256_file(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def sha256_node(cluster, node, path):
    return cluster.exec(node, "sha256sum", path).stdout.split()[0]


def msg_lines(output, task):
    """The debug message lines (strings) printed by the task named task."""
    block = re.search(r"TASK \[%s\].*?\n(.*?)\n\n" % re.escape(task), output, re.S)
    assert block, "no task %r in:\n%s" % (task, output[-4000:])
    return re.findall(r'^\s+"(.*)",?$', block.group(1), re.M) + re.findall(r'"msg": "(.*)"$', block.group(1), re.M)


# the progress lines an operator follows (the step's task name, or a line a module's progress option prints):
# "[lifekeeper] node 1/2 <host>: evacuate (+00:00:12)", "[lifekeeper] verify (+00:01:02)",
# "[lifekeeper] node 1/2 <host>: still waiting for setup (+00:00:45, 30 s of at most 120 s)"
STEP_LINE = re.compile(r"^TASK \[\[lifekeeper\] (?:node (\d)/(\d) (\S+): )?([a-z ]+) \(\+(\d\d):(\d\d):(\d\d)\)\]", re.M)
WAITING_LINE = re.compile(r"^\[lifekeeper\] node (\d)/2 (\S+): still waiting for setup "
                          r"\(\+(\d\d):(\d\d):(\d\d), (\d+) s of at most 120 s\)$", re.M)
SLOW_SETUP_S = 38


def check_progress_lines(output, hosts, node_steps, slow_setup_on=None):
    """Every node's steps and the cluster's steps printed once, in order, with node i/N and a
    time since the run started that never goes back; a setup slower than 30 s said so once."""
    steps = [(m.group(3), m.group(4), int(m.group(1) or 0), int(m.group(2) or 0),
              int(m.group(5)) * 3600 + int(m.group(6)) * 60 + int(m.group(7))) for m in STEP_LINE.finditer(output)]
    assert steps, output[-4000:]
    assert all(count in (0, 2) for _h, _s, _i, count, _t in steps), steps
    for host in hosts.values():
        mine = [(step, i) for h, step, i, _n, _t in steps if h == host]
        assert [step for step, _i in mine] == node_steps, (host, steps)
        assert len(set(i for _s, i in mine)) == 1, (host, steps)
    assert sorted(set(i for h, _s, i, _n, _t in steps if h)) == [1, 2], steps
    assert [s for h, s, _i, _n, _t in steps if h is None][-2:] == ["placement", "verify"], steps
    times = [t for _h, _s, _i, _n, t in steps]
    assert times == sorted(times), steps
    progress = [line for line in output.splitlines() if "[lifekeeper] " in line]
    assert not [line for line in progress if "None" in line], progress
    waits = [(m.group(2), int(m.group(6))) for m in WAITING_LINE.finditer(output)]
    if slow_setup_on is None:
        assert waits == [], waits
        return
    assert [h for h, _w in waits] == [slow_setup_on] and 30 <= waits[0][1] < SLOW_SETUP_S, waits
    # said while the setup ran: after the node's update step began, before the next node's steps
    update_at = output.index("node 1/2 %s: update (+" % slow_setup_on)
    assert update_at < output.index("still waiting for setup") < output.index("node 2/2 "), output[-6000:]
    assert times[-1] >= SLOW_SETUP_S, steps


def snapshot(cluster):
    """What must not change under a read-only or refused run: events, versions, config."""
    return {
        "events": len(cluster.events()),
        "rpm": dict((n, cluster.rpm_version(n)) for n in cluster.names),
        "placement": cluster.placement(),
        "config": dict((n, cluster.exec(n, "sh", "-c", CONFIG_SUMS).stdout) for n in cluster.names),
    }


def switchover_outages(cluster, expected, since=None):
    """Every interval in which app-web (or a child) was in service nowhere is a switchover
    (a 'switchover to X' removal closed by the restore on X), short, none open; returns the
    downtime per tag and the intervals of the root."""
    events = cluster.events()
    intervals = cluster.outages(tags=[ROOT], since=since).get(ROOT, [])
    assert len(intervals) == expected and all(end is not None for _s, end in intervals), \
        "%s: outages %s, expected %d switchovers\n%s" % (ROOT, intervals, expected, "\n".join(map(json.dumps, events)))
    for start, end in intervals:
        opened = [e for e in events if e["tag"] == ROOT and e["time"] == start and e["to"] not in ("ISP", "ISU")]
        closed = [e for e in events if e["tag"] == ROOT and e["time"] == end and e["to"] in ("ISP", "ISU")]
        assert opened and opened[0]["cause"].startswith("switchover to "), (start, end, opened)
        assert closed and closed[0]["node"] == opened[0]["cause"].split()[-1], (opened, closed)
        assert end - start < MAX_OUTAGE_S, (start, end)
    downtime = {ROOT: round(sum(e - s for s, e in intervals), 3)}
    for tag, child in cluster.outages(tags=CHILDREN, since=since).items():
        assert len(child) == expected and all(e is not None for _s, e in child), (tag, child)
        downtime[tag] = round(sum(e - s for s, e in child), 3)
    return downtime, intervals


@pytest.fixture(scope="module")
def shared(request):
    """One two-node 9.7.0 cluster for the read-only playbooks, the switchover and the refusals."""
    if not _docker_ready():
        pytest.fail("docker or the image hatools/lksim-node:latest is missing: run `make images` first")
    cluster = Cluster("lkf-pb-shared", nodes=2, version="9.7.0", media=())
    try:
        cluster.up()
        yield cluster
    finally:
        failed = request.session.testsfailed > 0
        cluster.down(keep_logs=failed)
        if failed:
            print("\nplaybook logs of the shared cluster in %s" % cluster.workdir)


def test_status_is_read_only_and_says_healthy(shared, monkeypatch):
    cluster = shared
    monkeypatch.setenv("ANSIBLE_SHOW_CUSTOM_STATS", "1")
    before = snapshot(cluster)
    proc = cluster.playbook("status.yml")
    out = proc.stdout
    assert proc.returncode == 0, out[-4000:]
    assert snapshot(cluster) == before                    # nothing changed, no event
    lines = msg_lines(out, "Show every node")
    for node, here, standby in (("node1", ROOT, "-"), ("node2", "-", ROOT)):
        host = cluster.container(node)
        assert "%s: LifeKeeper 9.7.0 running=True ready=True" % host in lines, lines
        i = lines.index("%s: LifeKeeper 9.7.0 running=True ready=True" % host)
        assert lines[i + 1:i + 4] == ["in service here: %s" % here, "standby here: %s" % standby, "paths: ALIVE"], \
            lines[i:i + 4]
    assert msg_lines(out, "Show the cluster's health") == [HEALTHY], out[-2000:]
    assert "changed=0" in out.split("PLAY RECAP")[1]
    # the health check's stats: healthy, every node as the nodes said above
    health = custom_stats(out)["lifekeeper_health"]
    assert health["healthy"] is True and health["unhealthy"] == [], health
    nodes = health["clusters"]["lifekeeper"]["nodes"]
    seen = [(nodes[cluster.container(n)]["version"], nodes[cluster.container(n)]["in_service"]) for n in cluster.names]
    assert seen == [("9.7.0", [ROOT]), ("9.7.0", [])], nodes


def test_backup_lands_on_the_controller(shared):
    cluster = shared
    before = snapshot(cluster)
    proc = cluster.playbook("backup.yml", {"lk_run_id": "pb-backup"})
    assert proc.returncode == 0, proc.stdout[-4000:]
    after = snapshot(cluster)
    assert after["events"] == before["events"] and after["placement"] == before["placement"] == {ROOT: "node1"}
    for node in cluster.names:
        host = cluster.container(node)
        folder = os.path.join(cluster.artifacts, "pb-backup", host)
        files = sorted(os.listdir(folder))
        archives = [f for f in files if re.match(r"archive\.\d{12}\.tar\.gz$", f)]
        assert len(archives) == 1 and "LifeKeeper" in files, files
        node_copy = os.path.join(BACKUP_DIR, archives[0])
        assert sha256_file(os.path.join(folder, archives[0])) == sha256_node(cluster, node, node_copy)
        assert sha256_file(os.path.join(folder, "LifeKeeper")) == sha256_node(cluster, node, "/etc/default/LifeKeeper")
        listing = cluster.exec(node, "tar", "tzf", node_copy).stdout.split()
        assert "opt/LifeKeeper/config/lcd.json" in listing and "etc/default/LifeKeeper" in listing, listing


def test_collect_support_bundle_per_node(shared):
    cluster = shared
    events_before = len(cluster.events())
    proc = cluster.playbook("collect_support.yml", {"lk_run_id": "pb-support"})
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert len(cluster.events()) == events_before
    for node in cluster.names:
        folder = os.path.join(cluster.artifacts, "pb-support", cluster.container(node))
        bundles = [f for f in os.listdir(folder) if re.match(r"%s\.lksupport\.\d{14}\.tar\.gz$" % node, f)]
        assert len(bundles) == 1, os.listdir(folder)
        # lk_support moved the bundle into a private folder of its own under its dest
        on_node = cluster.exec(node, "find", "/var/lib/hatools-lifekeeper/support", "-name", bundles[0]).stdout.split()
        assert len(on_node) == 1, on_node
        on_node = on_node[0]
        assert sha256_file(os.path.join(folder, bundles[0])) == sha256_node(cluster, node, on_node)
        listing = cluster.exec(node, "tar", "tzf", on_node).stdout.split()
        assert "opt/LifeKeeper/config/lcd.json" in listing and "rpm-packages.txt" in listing, listing


def test_switchover_there_unchanged_and_back(shared):
    cluster = shared
    cluster.wait_healthy(timeout=30)
    assert cluster.placement() == {ROOT: "node1"}
    since = time.time()
    there = {"lk_switch_to": cluster.container("node2"), "lk_switch_tags": ROOT, "lk_switch_timeout": 60}
    started = time.time()
    # a line every second while the switchover runs (the simulator's takes seconds)
    proc = cluster.playbook("switchover.yml", dict(there, lk_progress_interval=1))
    took = time.time() - started
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert cluster.placement() == {ROOT: "node2"}
    waited = [int(s) for s in re.findall(r"^\[\S+\] still waiting for %s in service on %s \((\d+) s of at most 60 s\)$"
                                         % (ROOT, cluster.container("node2")), proc.stdout, re.M)]
    assert waited and waited == sorted(waited) and waited[0] >= 1 and waited[-1] <= took, proc.stdout[-3000:]
    assert set(cluster.states("node1").values()) == {"OSU"}, cluster.status("node1")
    downtime, intervals = switchover_outages(cluster, 1, since=since)
    print("DOWNTIME switchover to node2: %s; outages %s; playbook %.1f s"
          % (downtime, [round(e - s, 3) for s, e in intervals], took))

    # the same request again: nothing to do, no event
    events = len(cluster.events())
    again = cluster.playbook("switchover.yml", there)
    assert again.returncode == 0, again.stdout[-4000:]
    assert len(cluster.events()) == events
    assert cluster.placement() == {ROOT: "node2"}
    assert "changed=0" in again.stdout.split("PLAY RECAP")[1], again.stdout[-2000:]

    back = cluster.playbook("switchover.yml", dict(there, lk_switch_to=cluster.container("node1")))
    assert back.returncode == 0, back.stdout[-4000:]
    assert cluster.placement() == {ROOT: "node1"}
    cluster.wait_healthy(timeout=30)
    downtime, intervals = switchover_outages(cluster, 2, since=since)
    print("DOWNTIME switchover there and back: %s; outages %s" % (downtime, [round(e - s, 3) for s, e in intervals]))


@pytest.mark.parametrize("extra, named", [
    ({"lk_confirm": "true"}, "archive ''"),
    ({"lk_rollback_archive": "archive.tar.gz", "lk_confirm": "true"}, "archive 'archive.tar.gz'"),
    ({"lk_rollback_archive": "/var/lib/hatools-lifekeeper/backups/archive.1.tar.gz"}, "confirm 'False'"),
    ({"lk_rollback_archive": "/var/lib/hatools-lifekeeper/backups/archive.1.tar.gz", "lk_confirm": "no"},
     "confirm 'no'"),
    ({"lk_rollback_archive": "/var/lib/hatools-lifekeeper/backups/missing.tar.gz", "lk_confirm": "true"},
     "/var/lib/hatools-lifekeeper/backups/missing.tar.gz does not exist"),
    ({"lk_rollback_archive": "/var/lib/hatools-lifekeeper/backups/missing.tar.gz", "lk_confirm": "true",
      "lk_rollback_version": "9.6.0"}, "lk_rollback_media"),
], ids=["no-archive", "relative-archive", "no-confirm", "confirm-no", "archive-missing", "no-media"])
def test_rollback_refusals_change_nothing(shared, extra, named):
    cluster = shared
    before = snapshot(cluster)
    proc = cluster.playbook("rollback.yml", extra)
    out = proc.stdout
    assert proc.returncode != 0, out[-4000:]
    assert named in out, out[-3000:]
    assert "Move this node's hierarchies" not in out and "Stop LifeKeeper" not in out, out[-3000:]
    assert snapshot(cluster) == before


def test_pb_rolling_update_then_rollback(make_cluster):   # containers lkf-test-pb-...
    cluster = make_cluster(nodes=2, version="9.7.0", media=("9.9.0", "9.7.0"))
    hosts = dict((n, cluster.container(n)) for n in cluster.names)
    # a mark in the configuration that only the archive can bring back after rmlk
    for node in cluster.names:
        cluster.exec(node, "sh", "-c", "echo %s > /opt/LifeKeeper/config/pb-mark" % node)
    defaults_before = dict((n, cluster.exec(n, "cat", "/etc/default/LifeKeeper").stdout) for n in cluster.names)
    # node2's setup (node2 is updated first: it holds nothing) takes longer than the 30 s between
    # two "still waiting" lines
    cluster.knob("node2", setup_seconds=SLOW_SETUP_S)
    started = time.time()

    update = cluster.playbook("rolling_update.yml", {
        "lk_target_version": "9.9.0", "lk_media": "/srv/LKL_V9.9.0_010126.iso", "lk_confirm": "true",
        "lk_run_id": "pb-update", "lk_update_ready_timeout": 60, "lk_update_setup_timeout": 120,
        "lk_evacuate_timeout": 60, "lk_preflight_mirror_timeout": 30, "lk_verify_timeout": 60,
        "lk_placement_timeout": 60, "lk_rescue_timeout": 60})
    assert update.returncode == 0, update.stdout[-4000:]
    assert all(cluster.rpm_version(n) == "9.9.0" for n in cluster.names)
    cluster.knob("node2", setup_seconds=0.5)
    check_progress_lines(update.stdout, hosts, ["evacuate", "update"], slow_setup_on=hosts["node2"])
    assert cluster.placement() == {ROOT: "node1"}
    updated_at = time.time()
    # the archives the rolling update left on the nodes (and on the controller)
    archives = {}
    for node in cluster.names:
        names = cluster.exec(node, "ls", BACKUP_DIR).stdout.split()
        assert len(names) == 1, names
        archives[hosts[node]] = os.path.join(BACKUP_DIR, names[0])
        fetched = os.path.join(cluster.artifacts, "pb-update", hosts[node], names[0])
        assert sha256_file(fetched) == sha256_node(cluster, node, archives[hosts[node]])
    # after the update: something the rollback must undo
    for node in cluster.names:
        cluster.exec(node, "sh", "-c", "rm /opt/LifeKeeper/config/pb-mark")
    # name the archives where lkbackup made them, under $LKROOT/config (which rmlk deletes): the
    # rollback must restore from the copy outside $LKROOT, on node2 a copy it has to make itself
    in_lkroot = dict((h, "/opt/LifeKeeper/config/" + os.path.basename(a)) for h, a in archives.items())
    for node in cluster.names:
        assert sha256_node(cluster, node, in_lkroot[hosts[node]]) == sha256_node(cluster, node, archives[hosts[node]])
    cluster.exec("node2", "rm", archives[hosts["node2"]])

    rollback = cluster.playbook("rollback.yml", {
        "lk_rollback_archive": in_lkroot, "lk_rollback_version": "9.7.0",
        "lk_rollback_media": "/srv/LKL_V9.7.0_010126.iso", "lk_confirm": "true", "lk_media_access": "extract",
        "lk_run_id": "pb-rollback", "lk_evacuate_timeout": 60, "lk_rollback_timeout": 60,
        "lk_rollback_setup_timeout": 120, "lk_placement_timeout": 60, "lk_verify_timeout": 60})
    out = rollback.stdout
    assert rollback.returncode == 0, out[-5000:]
    check_progress_lines(out, hosts, ["evacuate", "rollback", "gate"])
    ended = time.time()

    # ground truth: versions, placement, health, the configuration from the archive
    assert dict((n, cluster.rpm_version(n)) for n in cluster.names) == {"node1": "9.7.0", "node2": "9.7.0"}
    cluster.wait_healthy(timeout=30)
    assert cluster.placement() == {ROOT: "node1"}
    assert set(cluster.states("node2").values()) == {"OSU"}, cluster.status("node2")
    for node in cluster.names:
        assert cluster.exec(node, "cat", "/opt/LifeKeeper/config/pb-mark").stdout.strip() == node
        assert cluster.exec(node, "cat", "/etc/default/LifeKeeper").stdout == defaults_before[node]
        assert sorted(t for t, _s, _d in cluster.rows(node)) == sorted([ROOT] + CHILDREN)
    assert sha256_node(cluster, "node2", archives[hosts["node2"]]) == sha256_file(
        os.path.join(cluster.artifacts, "pb-update", hosts["node2"], os.path.basename(archives[hosts["node2"]])))
    # every node was rmlk'd and installed fresh (the events of setup are not logged; the rpm
    # database is): the rollback really reinstalled, it did not only restore files
    for node in cluster.names:
        installed = cluster.exec(node, "rpm", "-q", "--qf", "%{INSTALLTIME}", "steeleye-lk").stdout.strip()
        assert int(installed) >= int(updated_at) - 1, (node, installed, updated_at)

    # event logs: the update's two switchovers, the rollback's two (node1 evacuated, then
    # node2 evacuated back to node1), nothing else out of service
    downtime, intervals = switchover_outages(cluster, 4)
    rollback_intervals = [(s, e) for s, e in intervals if s >= updated_at]
    # nothing came in service or went out of service other than by a switchover (no second
    # copy of a hierarchy, nothing taken down by a restored archive or a peer re-learning a
    # reinstalled node), and exactly these: node1 emptied to node2, node2 emptied back to node1
    late = [e for e in cluster.events() if e["time"] >= updated_at]
    assert all(e["cause"].startswith("switchover ") for e in late), late
    assert cluster.switchovers(tags=[ROOT], since=updated_at) == [(ROOT, "node1", "node2"), (ROOT, "node2", "node1")]
    assert len(rollback_intervals) == 2, intervals
    rollback_lengths = [round(e - s, 3) for s, e in rollback_intervals]
    print("DOWNTIME rollback (rolling update + rollback, 4 switchovers): %s; rollback outages %s; "
          "update %.1f s, rollback %.1f s" % (downtime, rollback_lengths, updated_at - started, ended - updated_at))
