"""Ground truth of a run with the bigip_drain hooks: the BIG-IP double's record against the
simulator's event logs (never against the collection's own report).

usage: check_bigip.py --records FILE --mapping FILE --rule PATH --virtuals A,B [--ledger FILE]
                      [--tags T,U] [--names HOST=NODE,...] EVENTS.jsonl...
The mapping's `node` entries are inventory names (what the hooks are given); --names maps them
to the LifeKeeper node names of the event logs.
Checks, for every switchover of a hierarchy (from the moment it leaves service on node A to
the moment it is in service on node B):
  - the maintenance iRule is attached to every virtual server in --virtuals;
  - the members mapped to node A and to the hierarchy are disabled, and each of them had
    drained (a `drained` record) before the iRule went on for that switchover;
and at the end: no member this run disabled is left disabled, the iRule is on no virtual
server, the ledger holds nothing. Prints a JSON summary; exits 1 with the problems.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
from lksim import events as lksim_events  # noqa: E402

IN_SERVICE = ("ISP", "ISU")


def read_lines(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def member_key(entry):
    partition = entry.get("partition") or "Common"
    pool = entry["pool"] if entry["pool"].startswith("/") else "/%s/%s" % (partition, entry["pool"])
    return "%s/%s:%s" % (pool, entry.get("name") or entry["address"], entry["port"])


def switchovers(log, tags):
    """[(tag, from_node, to_node, left_at, back_at)] from the event log, in time order."""
    where = {}
    left = {}
    result = []
    for event in log:
        tag = event["tag"]
        if tags and tag not in tags:
            continue
        if event.get("from") in IN_SERVICE and event["to"] not in IN_SERVICE and where.get(tag) in (None, event["node"]):
            left[tag] = (event["node"], event["time"])
        if event["to"] in IN_SERVICE:
            if tag in left and left[tag][0] != event["node"]:
                result.append((tag, left[tag][0], event["node"], left[tag][1], event["time"]))
            left.pop(tag, None)
            where[tag] = event["node"]
    return result


def intervals(records, what, key, on):
    """{key: [(start, end)]} while on(record) holds, from the records of kind `what`."""
    state = {}
    since = {}
    result = {}
    for record in records:
        if record["what"] != what:
            continue
        name = key(record)
        now_on = on(record["after"])
        if now_on and not state.get(name):
            since[name] = record["time"]
        elif not now_on and state.get(name):
            result.setdefault(name, []).append((since.pop(name), record["time"]))
        state[name] = now_on
    for name, start in since.items():
        result.setdefault(name, []).append((start, None))
    return result


def covers(spans, start, end):
    return any(s <= start and (e is None or e >= end) for s, e in spans)


def check(records, mapping, rule, virtuals, log, tags, ledger=None):
    problems = []
    disabled = intervals(records, "member", lambda r: r["path"],
                         lambda after: after["session"] == "user-disabled")
    attached = intervals(records, "virtual.rules", lambda r: r["path"], lambda after: rule in after["rules"])
    drained = {}
    for record in records:
        if record["what"] == "drained":
            drained.setdefault(record["path"], []).append(record["time"])
    moves = switchovers(log, tags)
    first_change = min((r["time"] for r in records if r["what"] != "mark"), default=None)
    checked = 0
    for tag, source, target, left_at, back_at in moves:
        if first_change is None or left_at < first_change:
            continue
        checked += 1
        for virtual in virtuals:
            spans = attached.get(virtual, [])
            if not covers(spans, left_at, back_at):
                problems.append("%s moved %s->%s at %.3f-%.3f without the iRule on %s (on: %s)"
                                % (tag, source, target, left_at, back_at, virtual, spans))
        for entry in mapping:
            if entry.get("node") != source and entry.get("hierarchy") != tag:
                continue
            key = member_key(entry)
            spans = disabled.get(key, [])
            if not covers(spans, left_at, back_at):
                problems.append("%s moved %s->%s at %.3f-%.3f while member %s was not disabled (disabled: %s)"
                                % (tag, source, target, left_at, back_at, key, spans))
                continue
            start = [s for s, e in spans if s <= left_at and (e is None or e >= back_at)][0]
            irule_on = [s for virtual in virtuals for s, e in attached.get(virtual, []) if s <= left_at and s >= start]
            if not any(start <= t <= min(irule_on or [left_at]) for t in drained.get(key, [])):
                problems.append("member %s had not drained before the iRule went on for %s->%s" % (key, source, target))
    for key, spans in sorted(disabled.items()):
        if spans and spans[-1][1] is None:
            problems.append("member %s is left disabled (since %.3f)" % (key, spans[-1][0]))
    for virtual, spans in sorted(attached.items()):
        if spans and spans[-1][1] is None:
            problems.append("iRule %s is left on %s" % (rule, virtual))
    if ledger is not None and (ledger.get("held") or ledger.get("attached")):
        problems.append("the ledger still holds %s" % json.dumps(ledger, sort_keys=True))
    return {"switchovers_checked": checked, "switchovers": [list(m) for m in moves],
            "members_disabled": sorted(disabled), "problems": problems}


def lifekeeper_names(mapping, names):
    """The mapping with each `node` (an inventory name) replaced by its LifeKeeper name."""
    return [dict(entry, node=names.get(entry["node"], entry["node"])) if entry.get("node") else entry
            for entry in mapping]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", required=True)
    parser.add_argument("--mapping", required=True, help="JSON file: the lk_bigip_members list")
    parser.add_argument("--rule", required=True)
    parser.add_argument("--virtuals", required=True, help="comma-separated virtual server paths")
    parser.add_argument("--ledger")
    parser.add_argument("--tags", default="", help="hierarchy root tags (default: every tag)")
    parser.add_argument("--min-switchovers", type=int, default=1)
    parser.add_argument("--names", default="", help="comma-separated HOST=NODE pairs (inventory -> LifeKeeper name)")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    with open(args.mapping) as handle:
        mapping = json.load(handle)
    mapping = lifekeeper_names(mapping, dict(pair.split("=", 1) for pair in args.names.split(",") if pair))
    ledger = None
    if args.ledger and os.path.exists(args.ledger):
        with open(args.ledger) as handle:
            ledger = json.load(handle)
    tags = [t for t in args.tags.split(",") if t]
    result = check(read_lines(args.records), mapping, args.rule, [v for v in args.virtuals.split(",") if v],
                   lksim_events.read(args.files), tags, ledger)
    if result["switchovers_checked"] < args.min_switchovers:
        result["problems"].append("only %d switchover(s) during the run, expected at least %d"
                                  % (result["switchovers_checked"], args.min_switchovers))
    print(json.dumps(result, sort_keys=True))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
