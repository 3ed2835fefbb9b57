"""make bench: what the rolling update costs, on docker with the LifeKeeper simulator.

Writes build/bench/bench.json and prints a table:
- overhead_s: wall time of a 2-node rolling update with every simulator timing 0 (the
  automation's own cost), with controller_cpu_s (user+sys of ansible-playbook and all it
  started on the controller, docker exec clients included); where that run's CPU goes per
  task (the test-only callback tests/bench/callback_plugins/lk_task_cost.py, accounting in
  task_cost.py): task_results (the PLAY RECAP sum, by status), task_cost_totals, top_tasks,
  cpu_by_play, cpu_by_role and cpu_by_file, the callback's own document in task-cost-overhead.json beside
  bench.json;
- downtime: each switchover's outage measured from the simulator's event logs, next to the
  simulator's own switchover time (resources x resource_seconds for the remove plus the
  restore); downtime_excess_s = the largest difference;
- fleet: wall time and controller CPU of one run over 1, 4, 10 two-node clusters under the
  reference timings (resource_seconds=1, setup_seconds=20, start_seconds=3,
  resync_seconds=5); fleet_ratio_10 = wall(10) / wall(1); and the same clusters without
  fleet mode: separate runs one after another (sequential_s) and started at once
  (parallel_processes_s), each with its controller CPU;
- for every timed run also the CPU the nodes' containers used (and the part of it the
  simulator's own product commands used, from their journals: simulator_commands_cpu_s) and
  the machine's busy CPU (every process, /proc/stat): busy CPU / cores is the shortest wall time the machine's
  cores allowed for that work, which shows when a target is out of reach on this machine;
- the CPU one module run costs its node however little it does (module_run: ansible.builtin.ping),
  the busy CPU per cluster of the 10-cluster run and the most the cores allow for
  fleet_ratio_10 to meet its target (busy_cpu_per_cluster_budget_s);
- the machine (cores, memory, load average at the start, the CPU a fixed Python loop takes at
  the start and the end: shared hosts are not as fast every day) and the versions used.

Reuses tests/faults/harness.py (containers, knobs, inventory, playbook runs). Not part of
`make test`. Options: --sizes 1,4,10 (fleet sizes), --separate N (clusters of the runs
started at once; 0 skips them), --sequential N (of the runs one after another; default
--separate), --fleet-cost N (one more fleet run of N clusters with the cost per play and role:
fleet_cost), --out FILE. Results are written after each phase.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "faults"))
import harness  # noqa: E402
from harness import APP_WEB, Cluster  # noqa: E402
import task_cost  # noqa: E402
from meters import containers_cpu, cpu_children, machine_busy_cpu  # noqa: E402

REFERENCE = {"resource_seconds": 1.0, "setup_seconds": 20.0, "start_seconds": 3.0, "resync_seconds": 5.0}
ZERO = {"resource_seconds": 0.0, "setup_seconds": 0.0, "start_seconds": 0.0, "resync_seconds": 0.0}
TARGETS = {"fleet_ratio_10": 1.5, "downtime_excess_s": 0.5, "overhead_s": 20.0}
PREFIX = "lkbench"


class Meter:
    """Wall time, controller CPU, the containers' CPU and the machine's busy CPU of a phase."""

    def __init__(self):
        self.start = (time.time(), cpu_children(), containers_cpu(), machine_busy_cpu())

    def read(self):
        wall0, cpu0, nodes0, busy0 = self.start
        nodes = containers_cpu()
        busy = machine_busy_cpu() - busy0
        return {"wall_s": round(time.time() - wall0, 2), "controller_cpu_s": round(cpu_children() - cpu0, 2),
                "nodes_cpu_s": round(nodes - nodes0, 2) if None not in (nodes, nodes0) else None,
                "machine_busy_cpu_s": round(busy, 2), "cpu_floor_s": round(busy / (os.cpu_count() or 1), 2)}


def simulator_commands_cpu(clusters, since):
    """CPU seconds the simulator's product commands (lcdstatus, lkcli, setup...: Python processes
    standing in for the vendor's) used on the clusters' nodes since the given time, from their
    commands journals: a part of nodes_cpu_s that is not the collection's."""
    return round(sum(entry.get("cpu") or 0.0 for cluster in clusters for entry in cluster.commands()
                     if entry["time"] >= since), 2)


def run_vars(run_id):
    return {"lk_target_version": "9.9.0", "lk_media": "/srv/LKL_V9.9.0_010126.iso", "lk_confirm": True,
            "lk_run_id": run_id}


def make_clusters(count, knobs, tag):
    clusters = [Cluster("%s-%s%02d" % (PREFIX, tag, i), nodes=2, knobs=dict(knobs), hierarchies=[APP_WEB])
                for i in range(1, count + 1)]
    for cluster in clusters:
        cluster.up()
    return clusters


def teardown(clusters):
    for cluster in clusters:
        cluster.down()


def task_cost_env(output):
    """The environment that enables the lk_task_cost callback (tests/bench/callback_plugins)."""
    enabled = [name for name in os.environ.get("ANSIBLE_CALLBACKS_ENABLED", "").split(",") if name.strip()]
    return {"ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": ",".join(enabled + ["lk_task_cost"]), task_cost.OUTPUT_ENV: output}


def timed_run(cluster, extra_vars, inventory=None, extra_env=None):
    """One ansible-playbook run (fleet mode when inventory names several clusters)."""
    if inventory:
        cluster.inventory = inventory
    meter = Meter()
    proc = cluster.playbook("rolling_update.yml", extra_vars, timeout=3600, extra_env=extra_env)
    measured = meter.read()
    if proc.returncode != 0:
        raise AssertionError("the run failed (rc %d):\n%s" % (proc.returncode, proc.stdout[-4000:]))
    return measured


def record_task_cost(result, cost_file):
    """The overhead run's cost per task (the lk_task_cost callback's document) into result:
    task_results, task_cost_totals, top_tasks, cpu_by_play, cpu_by_role, cpu_by_file; and the part of the
    run's busy CPU outside the playbook (ansible-playbook's start before its first task and its
    exit after the PLAY RECAP)."""
    if not os.path.exists(cost_file):
        result["not_measured"].append("task_results and the cost per task (the lk_task_cost callback wrote no %s)"
                                      % os.path.basename(cost_file))
        return
    with open(cost_file) as handle:
        summary = task_cost.summarise(json.load(handle), roots=[harness.REPO])
    summary["task_cost_file"] = os.path.basename(cost_file)
    totals = summary["task_cost_totals"]
    totals["busy_cpu_outside_playbook_s"] = round(result["overhead"]["machine_busy_cpu_s"] - totals["busy_cpu_s"], 2)
    totals["wall_outside_playbook_s"] = round(result["overhead"]["wall_s"] - totals["wall_s"], 2)
    result.update(summary)


def fleet_cost(size, cost_file):
    """Where a fleet run of size clusters spends its time and CPU, per play and per role (the
    lk_task_cost callback, whose own CPU makes this run slower than the measured fleets)."""
    clusters = make_clusters(size, REFERENCE, "c%d-" % size)
    try:
        if os.path.exists(cost_file):
            os.remove(cost_file)
        inventory = os.path.join(clusters[0].workdir, "fleet-inventory.json")
        harness.fleet_inventory(clusters, inventory)
        measured = timed_run(clusters[0], run_vars("bench-fleet-cost-%d" % size), inventory,
                             extra_env=task_cost_env(cost_file))
        check_updated(clusters)
    finally:
        teardown(clusters)
    with open(cost_file) as handle:
        summary = task_cost.summarise(json.load(handle), roots=[harness.REPO])
    return dict(measured, clusters=size, task_cost_file=os.path.basename(cost_file),
                task_results=summary["task_results"], cpu_by_play=summary["cpu_by_play"],
                cpu_by_role=summary["cpu_by_role"])


def check_updated(clusters):
    for cluster in clusters:
        versions = [cluster.rpm_version(n) for n in cluster.names]
        if versions != ["9.9.0"] * len(cluster.names):
            raise AssertionError("%s: not updated: %s" % (cluster.prefix, versions))


def downtimes(cluster, knobs, since):
    """Each switchover's outage from the event logs next to the simulator's own time."""
    resources = len(APP_WEB["resources"])
    expected = round(2 * resources * knobs["resource_seconds"], 3)
    rows = []
    for tag, intervals in sorted(cluster.outages(tags=[APP_WEB["root"]], since=since).items()):
        for begin, end in intervals:
            if end is None:
                raise AssertionError("%s never came back in service" % tag)
            measured = round(end - begin, 3)
            rows.append({"cluster": cluster.prefix, "tag": tag, "measured_s": measured, "simulator_s": expected,
                         "excess_s": round(measured - expected, 3)})
    return rows


def separate_runs(count, at_once):
    """count two-node clusters, each updated by its own ansible-playbook run: one after another
    (at_once False) or all started together."""
    clusters = make_clusters(count, REFERENCE, "p" if at_once else "s")
    try:
        meter = Meter()
        if at_once:
            procs = [c.playbook("rolling_update.yml", run_vars("bench-proc-%d" % i), background=True)
                     for i, c in enumerate(clusters)]
            codes = [p.wait(timeout=3600) for p in procs]
            if any(codes):
                logs = [open(p.log_path).read()[-2000:] for p, code in zip(procs, codes) if code]
                raise AssertionError("a separate run failed: %s" % logs[0])
        else:
            for i, cluster in enumerate(clusters):
                proc = cluster.playbook("rolling_update.yml", run_vars("bench-seq-%d" % i), timeout=3600)
                if proc.returncode != 0:
                    raise AssertionError("a sequential run failed:\n%s" % proc.stdout[-4000:])
        measured = meter.read()
        check_updated(clusters)
        return measured
    finally:
        teardown(clusters)


def versions():
    def out(argv):
        # the first line of stdout (a tool's warnings go to stderr and are not its version)
        try:
            return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True,
                                  check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return None
    return {"ansible-core": out([os.path.join(harness.VENV_BIN, "ansible"), "--version"]),
            "python": platform.python_version(), "docker": out(["docker", "--version"]),
            "collection": out(["git", "-C", harness.REPO, "describe", "--always", "--dirty"])}


def python_loop_cpu_s():
    """CPU seconds of a fixed pure-Python loop: the machine's speed, so that benches of different
    days (a shared host is not always as fast) can be set side by side."""
    started = time.process_time()
    total = 0
    for i in range(6000000):
        total += i % 7
    return round(time.process_time() - started, 3)


def module_run_cost(cluster, runs=5):
    """The CPU one module run costs on its node however little it does (ansible.builtin.ping, the
    inventory and connection of the flow): the node's Python start and module unpacking. Per run;
    the controller's side is not told apart from the ansible command's own start."""
    meter = Meter()
    for _run in range(runs):
        subprocess.run([os.path.join(harness.VENV_BIN, "ansible"), "-i", cluster.inventory,
                        cluster.container(cluster.names[0]), "-m", "ansible.builtin.ping"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cluster.ansible_env(),
                       cwd=cluster.workdir, check=True)
    measured = meter.read()
    return {"nodes_cpu_s": round(measured["nodes_cpu_s"] / runs, 3) if measured["nodes_cpu_s"] is not None else None}


def machine():
    with open("/proc/meminfo") as handle:
        mem_kb = int(handle.readline().split()[1])
    return {"cores": os.cpu_count(), "memory_mb": mem_kb // 1024, "loadavg_start": list(os.getloadavg()),
            "kernel": platform.release(), "python_loop_cpu_s": python_loop_cpu_s()}


def table(result):
    row = "%-44s %8s %10s %10s %10s %10s %12s"
    lines = [row % ("measurement", "wall s", "ctl cpu s", "nodes cpu", "(sim cmds)", "busy cpu", "busy / cores")]

    def add(label, measured):
        lines.append(row % (label, measured["wall_s"], measured["controller_cpu_s"], measured["nodes_cpu_s"],
                            measured.get("simulator_commands_cpu_s", "-"), measured["machine_busy_cpu_s"],
                            measured["cpu_floor_s"]))
    add("overhead (2 nodes, simulator timings 0)", result["overhead"])
    if "task_results" in result:
        lines.append("  task_results = %s (PLAY RECAP sum of the overhead run; per task and role: see above)"
                     % result["task_results"]["total"])
    for size, entry in sorted(result["fleet"]["runs"].items(), key=lambda kv: int(kv[0])):
        add("fleet mode, %s cluster(s), one run" % size, entry)
    separate = result["fleet"].get("separate") or {}
    if "sequential" in separate:
        add("%d separate runs, one after another" % separate["sequential_clusters"], separate["sequential"])
    if "parallel_processes" in separate:
        add("%d separate runs, started at once" % separate["clusters"], separate["parallel_processes"])
    lines.append("fleet_ratio_10 = %s (target <= %s; the cores alone allowed no less than %s); downtime_excess_s = %s "
                 "(target <= %s); overhead_s = %s (target <= %s)" % (
                     result["fleet"].get("fleet_ratio_10"), TARGETS["fleet_ratio_10"],
                     result["fleet"].get("fleet_ratio_10_cpu_floor"), result["downtime_excess_s"],
                     TARGETS["downtime_excess_s"], result["overhead_s"], TARGETS["overhead_s"]))
    fleet = result["fleet"]
    if "busy_cpu_per_cluster_s" in fleet:
        lines.append("  busy CPU per cluster in the 10-cluster run %s s; for fleet_ratio_10 <= %s the cores allow at most "
                     "%s s" % (fleet["busy_cpu_per_cluster_s"], TARGETS["fleet_ratio_10"],
                               fleet["busy_cpu_per_cluster_budget_s"]))
    if "module_run" in result:
        lines.append("one module run (ansible.builtin.ping) costs its node %s s of CPU" % result["module_run"]["nodes_cpu_s"])
    for entry in result["downtime"]:
        lines.append("  switchover %-20s measured %6.3f s, simulator %6.3f s, excess %6.3f s" % (
            entry["cluster"], entry["measured_s"], entry["simulator_s"], entry["excess_s"]))
    for missing in result.get("not_measured") or []:
        lines.append("not measured: %s" % missing)
    lines.append("load average (1, 5, 15 min) before each phase: %s" % result.get("loadavg"))
    lines.append("machine: %(cores)s cores, %(memory_mb)s MB, load average at start %(loadavg_start)s, "
                 "a fixed Python loop %(python_loop_cpu_s)s s of CPU at the start" % result["machine"]
                 + (", %s s at the end" % result["python_loop_cpu_s_end"] if "python_loop_cpu_s_end" in result else ""))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="1,4,10", help="fleet sizes (two-node clusters), comma-separated")
    parser.add_argument("--separate", type=int, default=10,
                        help="clusters of the separate runs started at once (0: skip them)")
    parser.add_argument("--sequential", type=int, default=None,
                        help="clusters of the separate runs one after another (default: --separate; 0: skip them)")
    parser.add_argument("--fleet-cost", type=int, default=0,
                        help="one more fleet run of N clusters with the cost per task and per play (0: none); "
                             "its callback adds CPU, so it is kept apart from the fleet ratio")
    parser.add_argument("--out", default=os.path.join(harness.REPO, "build", "bench", "bench.json"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    result = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": machine(),
              "versions": versions(), "reference_timings": REFERENCE, "targets": TARGETS,
              "fleet": {"runs": {}}, "downtime": [], "not_measured": []}
    harness.media_iso("9.9.0")
    # a fleet run drives every cluster's leader at once: Ansible's forks must cover them
    os.environ.setdefault("ANSIBLE_FORKS", "25")
    result["forks"] = int(os.environ["ANSIBLE_FORKS"])

    def load(phase):
        result.setdefault("loadavg", {})[phase] = [round(x, 2) for x in os.getloadavg()]

    def save():
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as handle:
            json.dump(result, handle, indent=2, sort_keys=True)
            handle.write("\n")

    # the automation's own cost: every simulator timing 0
    load("overhead")
    clusters = make_clusters(1, ZERO, "o")
    cost_file = os.path.join(os.path.dirname(os.path.abspath(args.out)), "task-cost-overhead.json")
    try:
        os.makedirs(os.path.dirname(cost_file), exist_ok=True)
        if os.path.exists(cost_file):
            os.remove(cost_file)     # this run's, not an earlier one's
        since = time.time()
        measured = timed_run(clusters[0], run_vars("bench-overhead"), extra_env=task_cost_env(cost_file))
        measured["simulator_commands_cpu_s"] = simulator_commands_cpu(clusters, since)
        check_updated(clusters)
        result["overhead"] = measured
        result["overhead_s"], result["controller_cpu_s"] = measured["wall_s"], measured["controller_cpu_s"]
        result["module_run"] = module_run_cost(clusters[0])
    finally:
        teardown(clusters)
    record_task_cost(result, cost_file)
    save()
    if "task_results" in result:
        print("\n".join(task_cost.cost_table(result)), flush=True)

    # fleets under the reference timings, one run each; the downtime from every switchover
    for size in sizes:
        load("fleet-%d" % size)
        clusters = make_clusters(size, REFERENCE, "f%d-" % size)
        try:
            inventory = os.path.join(clusters[0].workdir, "fleet-inventory.json")
            harness.fleet_inventory(clusters, inventory)
            since = time.time()
            measured = timed_run(clusters[0], run_vars("bench-fleet-%d" % size), inventory)
            measured["simulator_commands_cpu_s"] = simulator_commands_cpu(clusters, since)
            check_updated(clusters)
            result["fleet"]["runs"][str(size)] = dict(measured, clusters=size)
            for cluster in clusters:
                result["downtime"].extend(dict(row, fleet=size) for row in downtimes(cluster, REFERENCE, since))
        finally:
            teardown(clusters)
        save()
    runs = result["fleet"]["runs"]
    if "1" in runs and "10" in runs:
        result["fleet"]["fleet_ratio_10"] = round(runs["10"]["wall_s"] / runs["1"]["wall_s"], 3)
        # the lowest ratio the machine's cores allowed for the work the 10-cluster run did
        result["fleet"]["fleet_ratio_10_cpu_floor"] = round(runs["10"]["cpu_floor_s"] / runs["1"]["wall_s"], 3)
        # the CPU one cluster used in the 10-cluster run, and the most it may use for the cores to
        # allow the target ratio at all (every core busy from the start to the end)
        result["fleet"]["busy_cpu_per_cluster_s"] = round(runs["10"]["machine_busy_cpu_s"] / 10, 2)
        result["fleet"]["busy_cpu_per_cluster_budget_s"] = round(
            TARGETS["fleet_ratio_10"] * runs["1"]["wall_s"] * (os.cpu_count() or 1) / 10, 2)
    else:
        result["not_measured"].append("fleet_ratio_10 (needs fleet sizes 1 and 10)")

    if args.fleet_cost:
        load("fleet-cost")
        result["fleet_cost"] = fleet_cost(args.fleet_cost, os.path.join(os.path.dirname(os.path.abspath(args.out)),
                                                                        "task-cost-fleet-%d.json" % args.fleet_cost))
        save()

    result["downtime_excess_s"] = max([row["excess_s"] for row in result["downtime"]] or [None])
    sequential = args.separate if args.sequential is None else args.sequential
    separate = result["fleet"]["separate"] = {}
    if args.separate:
        load("parallel-processes")
        measured = separate_runs(args.separate, at_once=True)
        separate.update(clusters=args.separate, parallel_processes=measured, parallel_processes_s=measured["wall_s"],
                        parallel_processes_cpu_s=measured["controller_cpu_s"])
        save()
    else:
        result["not_measured"].append("parallel_processes_s (--separate 0)")
    if sequential:
        load("sequential")
        measured = separate_runs(sequential, at_once=False)
        separate.update(sequential_clusters=sequential, sequential=measured, sequential_s=measured["wall_s"],
                        sequential_cpu_s=measured["controller_cpu_s"])
    else:
        result["not_measured"].append("sequential_s (--sequential 0)")
    if sequential and args.separate and sequential != args.separate:
        result["not_measured"].append("sequential_s of %d clusters (measured with %d)" % (args.separate, sequential))

    load("end")
    result["python_loop_cpu_s_end"] = python_loop_cpu_s()
    result["ended"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    save()
    print(table(result))
    print("written: %s" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
