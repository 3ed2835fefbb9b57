"""Where a playbook run's CPU goes, per task (tests only; make bench).

TaskCostLedger is what the lk_task_cost callback keeps: at each play and task start (and at
the end) it takes a reading (wall clock, the machine's busy CPU, the docker containers' CPU,
the ansible-playbook main process's own CPU) and charges the difference to the previous
reading to the task that was running (or to the play, between its start and its first
task). Under the linear strategy a task runs on every host in lock-step, so the whole
interval is that task's; under the free strategy hosts run different tasks at once and the
interval goes to the task started last (an approximation).

controller_cpu_s = busy_cpu_s - containers_cpu_s: the CPU of everything outside the
containers (ansible-playbook, its forked workers, the docker exec clients, dockerd). It is
the controller's only while the run is alone on the machine.

The summary functions turn the ledger's document into what bench.json records.
"""
import os

# where the callback writes its document
OUTPUT_ENV = "LK_TASK_COST_FILE"
STATUSES = ("ok", "changed", "failed", "ignored", "skipped", "unreachable")
# the PLAY RECAP counters whose sum is one result per host and task: changed is inside ok
# (and so is ignored), a failure in a block with a rescue counts as rescued, not failures
RECAP_RESULTS = ("ok", "failures", "unreachable", "skipped", "rescued")
RECAP_KEYS = RECAP_RESULTS + ("changed", "ignored")
COSTS = ("wall_s", "busy_cpu_s", "containers_cpu_s", "controller_cpu_s", "main_process_cpu_s")
BEFORE_TASKS = "(before the first task)"
PLAY_START = "(play start, before its first task)"


def reading(wall, busy, containers, main_process):
    """One reading: seconds of wall clock and CPU (containers may be None: not measurable)."""
    return {"wall": wall, "busy": busy, "containers": containers, "main_process": main_process}


def interval(before, after):
    """The costs between two readings (containers_cpu_s and controller_cpu_s None when the
    containers' CPU could not be read)."""
    busy = after["busy"] - before["busy"]
    containers = None
    if before["containers"] is not None and after["containers"] is not None:
        containers = after["containers"] - before["containers"]
    return {"wall_s": after["wall"] - before["wall"], "busy_cpu_s": busy, "containers_cpu_s": containers,
            "controller_cpu_s": None if containers is None else busy - containers,
            "main_process_cpu_s": after["main_process"] - before["main_process"]}


def _new_entry(play, name, role, path):
    entry = {"play": play, "name": name, "role": role, "path": path, "starts": 0,
             "results": dict.fromkeys(STATUSES, 0)}
    entry.update(dict.fromkeys(COSTS, 0.0))
    return entry


def _add(entry, costs):
    for key in COSTS:
        if costs[key] is None or entry[key] is None:
            entry[key] = None
        else:
            entry[key] += costs[key]


class TaskCostLedger:
    """Costs and results per task, keyed by the play, the task's file:line and name (a task
    file included many times is one entry; starts counts its starts)."""

    def __init__(self, first_reading):
        self.first = self.last = first_reading
        self.entries = {}
        self.current = None
        self.play = None

    def _entry(self, name, role, path):
        key = "%s|%s|%s" % (self.play, path, name)
        if key not in self.entries:
            self.entries[key] = _new_entry(self.play, name, role, path)
        return key

    def _charge(self, now):
        if self.current is None:
            self.current = self._entry(BEFORE_TASKS, None, None)
        _add(self.entries[self.current], interval(self.last, now))
        self.last = now

    def play_started(self, play, now):
        """A play starts: until its first task, the interval is the play's own (its hosts,
        its batches)."""
        self._charge(now)
        self.play = play
        self.current = self._entry(PLAY_START, None, None)

    def task_started(self, name, role, path, now):
        self._charge(now)
        self.current = self._entry(name, role, path)
        self.entries[self.current]["starts"] += 1

    def task_result(self, name, role, path, status):
        if status not in STATUSES:
            raise ValueError("unknown result status %r (allowed: %s)" % (status, ", ".join(STATUSES)))
        self.entries[self._entry(name, role, path)]["results"][status] += 1

    def finish(self, now, recap=None):
        """The document: tasks in the order first started, totals, and the PLAY RECAP counters
        summed over hosts (recap: {host: {ok, failures, ...}})."""
        self._charge(now)
        tasks = []
        for entry in self.entries.values():
            tasks.append(dict(entry, **{k: None if entry[k] is None else round(entry[k], 3) for k in COSTS}))
        totals = {k: None if v is None else round(v, 3) for k, v in interval(self.first, now).items()}
        return {"tasks": tasks, "totals": totals, "recap": recap_sum(recap or {})}


def recap_sum(recap):
    """The PLAY RECAP counters summed over the hosts."""
    return {key: sum(int(counters.get(key, 0)) for counters in recap.values()) for key in RECAP_KEYS}


def task_results(document):
    """task_results for bench.json: the PLAY RECAP's result count (one per host and task)."""
    recap = document["recap"]
    return {"total": sum(recap[key] for key in RECAP_RESULTS),
            "by_status": {key: recap[key] for key in RECAP_KEYS}}


def short_path(path, roots=()):
    """A task's file relative to the collection (.../ansible_collections/<ns>/<name>/roles/x/...
    -> roles/x/...) or to one of roots; None stays None."""
    if not path:
        return path
    marker = os.sep + "ansible_collections" + os.sep
    if marker in path:
        parts = path.split(marker, 1)[1].split(os.sep, 2)
        if len(parts) == 3:
            return parts[2]
    for root in roots:
        prefix = root.rstrip(os.sep) + os.sep
        if path.startswith(prefix):
            return path[len(prefix):]
    return path


def task_file(path):
    """file:line -> file."""
    if path and ":" in path and path.rsplit(":", 1)[1].isdigit():
        return path.rsplit(":", 1)[0]
    return path


def _result_count(entry):
    # the statuses are disjoint but for changed, which is inside ok
    return sum(entry["results"][s] for s in STATUSES if s != "changed")


def _rounded(entry):
    return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in entry.items()}


def _group(tasks, label):
    groups = {}
    for task in tasks:
        name = label(task)
        group = groups.setdefault(name, dict({"tasks": 0, "starts": 0, "results": 0}, **dict.fromkeys(COSTS, 0.0)))
        group["tasks"] += 1
        group["starts"] += task["starts"]
        group["results"] += _result_count(task)
        _add(group, task)
    rows = [dict(_rounded(group), name=name) for name, group in groups.items()]
    return sorted(rows, key=lambda row: (-(row["busy_cpu_s"] or 0), row["name"]))


def summarise(document, top=15, roots=()):
    """What bench.json records of a ledger document: totals (with the share the tasks
    account for), the top tasks by busy CPU, and the sums by play, by role and by task file."""
    tasks = [dict(task, path=short_path(task["path"], roots)) for task in document["tasks"]]
    totals = dict(document["totals"])
    totals["tasks"] = len(tasks)
    totals["starts"] = sum(task["starts"] for task in tasks)
    totals["results_seen"] = sum(_result_count(task) for task in tasks)
    ranked = sorted(tasks, key=lambda task: (-(task["busy_cpu_s"] or 0), task["path"] or "", task["name"]))
    top_tasks = [dict(_rounded({k: v for k, v in task.items() if k != "results"}),
                      results={k: v for k, v in task["results"].items() if v}) for task in ranked[:top]]
    return {"task_results": task_results(document), "task_cost_totals": totals, "top_tasks": top_tasks,
            "cpu_by_play": _group(tasks, lambda task: task["play"] or "(no play)"),
            "cpu_by_role": _group(tasks, lambda task: task["role"] or "(playbook, no role)"),
            "cpu_by_file": _group(tasks, lambda task: task_file(task["path"]) or "(none)")}


def cost_table(summary, rows=15):
    """The summary as lines of text for the bench's output."""
    results = summary["task_results"]
    totals = summary["task_cost_totals"]
    lines = ["task_results = %s (PLAY RECAP: %s)" % (results["total"], ", ".join(
        "%s %s" % (k, v) for k, v in results["by_status"].items())),
        "the playbook from its start to its PLAY RECAP: wall %s s, busy CPU %s s, containers %s s, "
        "controller side (busy - containers) %s s, ansible-playbook main process %s s; %s tasks started %s times"
        % (totals["wall_s"], totals["busy_cpu_s"], totals["containers_cpu_s"], totals["controller_cpu_s"],
           totals["main_process_cpu_s"], totals["tasks"], totals["starts"])]
    row = "%-72s %6s %7s %7s %8s %8s %8s"

    def add(title, entries, label):
        lines.append(row % (title, "starts", "results", "wall s", "busy cpu", "ctl cpu", "main cpu"))
        for entry in entries[:rows]:
            results_count = entry["results"] if isinstance(entry["results"], int) else sum(
                v for k, v in entry["results"].items() if k != "changed")
            lines.append(row % (label(entry)[:72], entry["starts"], results_count, entry["wall_s"],
                                entry["busy_cpu_s"], entry["controller_cpu_s"], entry["main_process_cpu_s"]))
    add("by play", summary["cpu_by_play"], lambda e: "  " + e["name"])
    add("by role", summary["cpu_by_role"], lambda e: "  " + e["name"])
    add("by task file", summary["cpu_by_file"], lambda e: "  " + e["name"])
    add("top tasks by busy CPU (file:line task)", summary["top_tasks"],
        lambda e: "  %s %s" % (e["path"] or "", e["name"]))
    return lines
