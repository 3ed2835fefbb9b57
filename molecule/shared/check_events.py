"""Ground truth from the simulator's event logs: how long each hierarchy was in service nowhere.

usage: check_events.py --max-outages N --max-seconds S EVENTS.jsonl... (root tags from --tags)
Prints a JSON summary; exits 1 when a hierarchy is out of service at the end, had more
outages than allowed (each switchover is one), or one outage lasted longer than allowed.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
from lksim import events  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tags", required=True, help="comma-separated hierarchy root tags")
    parser.add_argument("--max-outages", type=int, required=True)
    parser.add_argument("--max-seconds", type=float, required=True)
    parser.add_argument("--since", type=float, help="ignore what happened before (epoch seconds)")
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
    print(json.dumps({"downtime": summary, "problems": problems, "events": len(log)}, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
