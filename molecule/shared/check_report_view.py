"""The report's HTML page against ground truth: the simulator's event logs and command journals.

usage: check_report_view.py --report FILE.json --tags TAG,... --events EVENTS.jsonl,...
       --commands COMMANDS.jsonl,...
Beside the JSON report the run must have written FILE.md and FILE.html. In the HTML page
(parsed with html.parser):
- one lane per node of the report, named by LifeKeeper node name as the logs name them;
- each hierarchy's outages in the event logs (time in service nowhere) are its bars: as many,
  each outage inside its bar (the switchover's start and its downtime_s), within TOLERANCE_S;
- every setup, stop and start of LifeKeeper a node's journal records during the run lies
  inside one of that node's update steps, and every hierarchy taken out of service on a node
  during that node's turn (before its last step ended) inside one of its evacuate steps.
Prints a JSON summary; exits 1 with the problems found.
"""
import argparse
import json
import os
import sys
from html.parser import HTMLParser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
from lksim import events, journal  # noqa: E402

# the module measures a switchover from the node that restores it; the logs are written by
# each node at the moment a state changes; polling (0.5 s) and clocks leave this much slack
TOLERANCE_S = 1.0


class Shapes(HTMLParser):
    """The timeline's lanes (with their steps) and outage bars."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.lanes = {}
        self.bars = []
        self.lane = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "g":
            self.depth += 1
            if "lane" in classes:
                self.lane = (self.depth, attrs["data-node-name"])
                self.lanes[attrs["data-node-name"]] = []
        elif tag == "rect" and "step" in classes and self.lane:
            self.lanes[self.lane[1]].append((attrs["data-step"], float(attrs["data-start"]), float(attrs["data-end"])))
        elif tag == "rect" and "outage" in classes:
            self.bars.append((attrs["data-tag"], float(attrs["data-start"]), float(attrs["data-end"])))

    def handle_endtag(self, tag):
        if tag == "g":
            if self.lane and self.lane[0] == self.depth:
                self.lane = None
            self.depth -= 1


def _inside(moment, spans):
    return any(start - TOLERANCE_S <= moment <= end + TOLERANCE_S for start, end in spans)


def problems_of(report, shapes, log, entries, tags, since):
    problems = []
    names = sorted(node["node_name"] for node in report["nodes"])
    if sorted(shapes.lanes) != names:
        problems.append("lanes %s, expected one per node %s" % (sorted(shapes.lanes), names))
    for tag, intervals in sorted(events.outages(log, tags=tags, since=since).items()):
        bars = sorted((start, end) for bar_tag, start, end in shapes.bars if bar_tag == tag)
        if len(bars) != len(intervals):
            problems.append("%s: %d bar(s) %s, the event logs have %d outage(s) %s"
                            % (tag, len(bars), bars, len(intervals), intervals))
        for start, end in intervals:
            if end is None or not [b for b in bars if b[0] - TOLERANCE_S <= start and end <= b[1] + TOLERANCE_S]:
                problems.append("%s: the outage %.3f-%s of the event logs is in no bar %s" % (tag, start, end, bars))
    for node, steps in sorted(shapes.lanes.items()):
        updates = [(start, end) for name, start, end in steps if name != "evacuate"]
        evacuations = [(start, end) for name, start, end in steps if name == "evacuate"]
        last = max([end for dummy, dummy2, end in steps] or [since])
        for entry in entries:
            argv = entry["argv"]
            if entry["node"] != node or entry["time"] < since:
                continue
            if argv[:1] == ["setup"] or journal.is_stop(argv) or journal.is_start(argv):
                if not (_inside(entry["time"], updates) and _inside(entry["end"], updates)):
                    problems.append("%s: %s at %.3f-%.3f is in none of its update steps %s"
                                    % (node, " ".join(argv), entry["time"], entry["end"], updates))
        for event in log:
            if (event["node"] == node and event["tag"] in tags and since <= event["time"] <= last
                    and event.get("from") in events.IN_SERVICE and event["to"] not in events.IN_SERVICE
                    and not _inside(event["time"], evacuations)):
                problems.append("%s: %s left service at %.3f, in none of its evacuate steps %s"
                                % (node, event["tag"], event["time"], evacuations))
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", required=True)
    parser.add_argument("--tags", required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--commands", required=True)
    args = parser.parse_args()
    base = args.report[:-len(".json")] if args.report.endswith(".json") else args.report
    missing = [path for path in (args.report, base + ".md", base + ".html") if not os.path.isfile(path)]
    if missing:
        print(json.dumps({"problems": ["missing: %s" % ", ".join(missing)]}))
        return 1
    with open(args.report) as handle:
        report = json.load(handle)
    shapes = Shapes()
    with open(base + ".html") as handle:
        shapes.feed(handle.read())
    tags = [t for t in args.tags.split(",") if t]
    log = events.read([f for f in args.events.split(",") if f])
    entries = journal.read([f for f in args.commands.split(",") if f])
    since = min(start for steps in shapes.lanes.values() for dummy, start, dummy2 in steps) - TOLERANCE_S \
        if any(shapes.lanes.values()) else 0
    problems = problems_of(report, shapes, log, entries, tags, since)
    print(json.dumps({"lanes": shapes.lanes, "bars": shapes.bars, "problems": problems}, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
