"""Ground truth from the simulator's event logs: how long each hierarchy was in service nowhere,
and which switchovers happened.

usage: check_events.py --max-outages N --max-seconds S [--expect-moves TAG:FROM>TO,...]
       [--report FILE --names HOST=NODE,...] EVENTS.jsonl... (root tags from --tags)
Prints a JSON summary; exits 1 when a hierarchy is out of service at the end, had more
outages than allowed (each switchover is one), or one outage lasted longer than allowed.
With --expect-moves (node names) the switchovers of the event logs (which node restored
which tag, in order) must be exactly those, and each hierarchy must have been out of service
exactly once per switchover of it (no outage that is not a switchover).
With --report (the collection's JSON report) it also exits 1 unless the moves the report
says were made equal the plan's moves and, followed by the moves of the switchover test
(report key switchover_test, when it ran), the switchovers of the event logs, in order
(--names maps inventory hosts to LifeKeeper node names).
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
from lksim import events  # noqa: E402


def report_problems(report_file, names, made):
    """Why the report's moves differ from the plan's or from the event logs."""
    with open(report_file) as handle:
        report = json.load(handle)
    named = [{"tag": m["tag"], "from": names.get(m["from"], m["from"]), "to": names.get(m["to"], m["to"])}
             for m in report["moves_made"]]
    # the optional switchover test runs after the update: its moves follow, reported apart
    tested = [{"tag": m["tag"], "from": names.get(m["from"], m["from"]), "to": names.get(m["to"], m["to"])}
              for m in (report.get("switchover_test") or {}).get("moves") or []]
    problems = []
    if report["moves_made"] != report["moves_planned"]:
        problems.append("the report's moves %s differ from the plan's %s" % (report["moves_made"], report["moves_planned"]))
    if named + tested != made:
        problems.append("the report's moves %s (switchover test: %s) differ from the event logs' %s"
                        % (named, tested, made))
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tags", required=True, help="comma-separated hierarchy root tags")
    parser.add_argument("--max-outages", type=int, required=True)
    parser.add_argument("--max-seconds", type=float, required=True)
    parser.add_argument("--since", type=float, help="ignore what happened before (epoch seconds)")
    parser.add_argument("--report", help="the collection's JSON report: its moves must match the plan and the logs")
    parser.add_argument("--names", default="", help="comma-separated HOST=NODE pairs (inventory -> LifeKeeper name)")
    parser.add_argument("--expect-moves", help="comma-separated TAG:FROM>TO, in order: exactly these switchovers")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    tags = [t for t in args.tags.split(",") if t]
    log = events.read(args.files)
    outages = events.outages(log, tags=tags, since=args.since)
    problems = []
    summary = {}
    for tag in tags:
        intervals = outages.get(tag, [])
        lengths = [round(end - start, 3) if end is not None else None for start, end in intervals]
        summary[tag] = {"outages": len(intervals), "seconds": lengths,
                        "total_s": round(sum(x for x in lengths if x is not None), 3)}
        if any(x is None for x in lengths):
            problems.append("%s is in service on no node at the end of the log" % tag)
        if len(intervals) > args.max_outages:
            problems.append("%s was out of service %d times (allowed %d)" % (tag, len(intervals), args.max_outages))
        if any(x is not None and x > args.max_seconds for x in lengths):
            problems.append("%s had an outage over %ss: %s" % (tag, args.max_seconds, lengths))
    made = events.switchovers(log, tags)
    if args.expect_moves is not None:
        expected = [dict(zip(("tag", "from", "to"), [item.split(":", 1)[0]] + item.split(":", 1)[1].split(">", 1)))
                    for item in args.expect_moves.split(",") if item]
        if made != expected:
            problems.append("the event logs' switchovers %s differ from the expected %s" % (made, expected))
        for tag in tags:
            count = len([m for m in expected if m["tag"] == tag])
            if summary[tag]["outages"] != count:
                problems.append("%s was out of service %d times, expected exactly %d (one per switchover)"
                                % (tag, summary[tag]["outages"], count))
    if args.report:
        names = dict(pair.split("=", 1) for pair in args.names.split(",") if pair)
        problems.extend(report_problems(args.report, names, made))
    print(json.dumps({"downtime": summary, "moves": made, "problems": problems, "events": len(log)}, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
