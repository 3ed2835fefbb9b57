"""The per-node event log (JSON lines) and the cross-node downtime analysis.

Each line: {"time": epoch seconds, "node": name, "tag": tag, "from": state, "to": state,
"cause": why}. Written by the node that owns the resource instance, at the moment its
state changes. Ground truth for tests: never computed from what the collection reports.
"""
import json
import os
import time

IN_SERVICE = ("ISP", "ISU")


def record(paths, node, tag, from_state, to_state, cause):
    """Append one state change of node's instance of tag."""
    os.makedirs(os.path.dirname(paths.events_file), exist_ok=True)
    line = json.dumps({"time": round(time.time(), 3), "node": node, "tag": tag,
                       "from": from_state, "to": to_state, "cause": cause}, sort_keys=True)
    with open(paths.events_file, "a") as handle:
        handle.write(line + "\n")


def read(files):
    """All events of the given files, sorted by time."""
    events = []
    for name in files:
        if not os.path.exists(name):
            continue
        with open(name) as handle:
            events.extend(json.loads(line) for line in handle if line.strip())
    events.sort(key=lambda event: event["time"])
    return events


def outages(events, tags=None, since=None, until=None):
    """Intervals during which a tag was in service on no node.

    Returns {tag: [(start, end), ...]}; end is None when still out at the end of the log.
    Only tags that were in service somewhere at some point are considered (a tag never
    brought up has no outage to speak of). since/until bound the window (epoch seconds).
    """
    state = {}          # (tag, node) -> state
    out_since = {}      # tag -> time it went out of service everywhere
    seen_up = set()
    result = {}
    for event in events:
        tag = event["tag"]
        if tags is not None and tag not in tags:
            continue
        if since is not None and event["time"] < since:
            state[(tag, event["node"])] = event["to"]
            if event["to"] in IN_SERVICE:
                seen_up.add(tag)
            continue
        # the first event of an instance tells its state before (e.g. ISP since creation)
        state.setdefault((tag, event["node"]), event.get("from"))
        was_up = any(s in IN_SERVICE for (t, dummy), s in state.items() if t == tag)
        if was_up:
            seen_up.add(tag)
        state[(tag, event["node"])] = event["to"]
        now_up = any(s in IN_SERVICE for (t, dummy), s in state.items() if t == tag)
        if now_up:
            seen_up.add(tag)
        if was_up and not now_up:
            out_since[tag] = event["time"]
        elif not was_up and now_up and tag in out_since:
            result.setdefault(tag, []).append((out_since.pop(tag), event["time"]))
    for tag, start in out_since.items():
        result.setdefault(tag, []).append((start, until))
    return result


def switchovers(events, tags=None, since=None):
    """[{tag, from, to}] in time order: each time a hierarchy came in service on a node other
    than the one that held it before (which node restored which tag). Events before since
    only tell who held what."""
    holder = {}
    found = []
    for event in events:
        tag = event["tag"]
        if tags is not None and tag not in tags:
            continue
        if event.get("from") in IN_SERVICE:
            holder.setdefault(tag, event["node"])
        if event["to"] in IN_SERVICE:
            if holder.get(tag) not in (None, event["node"]) and (since is None or event["time"] >= since):
                found.append({"tag": tag, "from": holder[tag], "to": event["node"]})
            holder[tag] = event["node"]
    return found


def downtime_seconds(events, tags=None, since=None, until=None):
    """Total seconds each tag was in service nowhere (open intervals end at until or now)."""
    end = until if until is not None else time.time()
    totals = {}
    for tag, intervals in outages(events, tags, since, until).items():
        totals[tag] = round(sum((stop if stop is not None else end) - start
                                for start, stop in intervals), 3)
    return totals
