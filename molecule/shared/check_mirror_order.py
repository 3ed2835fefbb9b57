"""Ground truth for a mirror found by type, not by tag: every switchover that brought the
mirror in service on a node happened after that node's last resync of it had finished.

usage: check_mirror_order.py --tag TAG --log NODE=LIFEKEEPER_LOG ... EVENTS.jsonl...

The simulator's lifekeeper.log (tests/lksim/mirrors.py) says on the target node when a resync
starts (`mirror TAG: resynchronising to NODE`) and when it is in sync (`mirror TAG: target
NODE in sync`), to the second, in the node's local time (UTC in the containers). The event
logs say when the mirror resource came in service on a node. Prints a JSON summary; exits 1
naming each switchover that came before the end of the resync (or had no resync before it).
"""
import argparse
import calendar
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
from lksim import events  # noqa: E402

LINE = re.compile(r"^(\w{3} +\d+ \d\d:\d\d:\d\d) (\S+) lcm\[\d+\]: \S+:lcm:mirror:\d+:mirror (\S+): "
                  r"(?:resynchronising to (\S+)|target (\S+) in sync)")


def log_times(path, tag, year):
    """([resync start], [in sync]) epoch seconds (whole seconds) of tag in one node's log."""
    starts, synced = [], []
    with open(path) as handle:
        for line in handle:
            match = LINE.match(line)
            if not match or match.group(3) != tag:
                continue
            moment = calendar.timegm(time.strptime("%d %s" % (year, " ".join(match.group(1).split())), "%Y %b %d %H:%M:%S"))
            (starts if match.group(4) else synced).append(moment)
    return starts, synced


def arrivals(log, tag):
    """[(node, time)] each time tag came in service on a node other than the one holding it before."""
    holder, found = None, []
    for event in log:
        if event["tag"] != tag:
            continue
        if event.get("from") in events.IN_SERVICE and holder is None:
            holder = event["node"]
        if event["to"] in events.IN_SERVICE:
            if holder not in (None, event["node"]):
                found.append((event["node"], event["time"]))
            holder = event["node"]
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tag", required=True)
    parser.add_argument("--log", action="append", default=[], help="NODE=path of that node's lifekeeper.log")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    log = events.read(args.files)
    year = time.gmtime(log[0]["time"]).tm_year if log else time.gmtime().tm_year
    node_logs = dict(item.split("=", 1) for item in args.log)
    times = dict((node, log_times(path, args.tag, year)) for node, path in node_logs.items())
    checked, problems = [], []
    for node, moment in arrivals(log, args.tag):
        starts, synced = times.get(node, ([], []))
        before = [s for s in starts if s <= moment]
        if not before:
            problems.append("%s came in service on %s at %.3f with no resync of it there before" % (args.tag, node, moment))
            continue
        done = [s for s in synced if max(before) <= s <= int(moment)]
        if not done:
            problems.append("%s came in service on %s at %.3f before its resync there (started %d) was in sync"
                            % (args.tag, node, moment, max(before)))
            continue
        checked.append({"node": node, "switchover": round(moment, 3), "resync_started": max(before),
                        "in_sync": min(done)})
    if not checked and not problems:
        problems.append("%s never switched over: nothing was proved" % args.tag)
    print(json.dumps({"tag": args.tag, "switchovers": checked, "problems": problems}, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
