"""Ground truth of a multi-hop update from the simulator's setup logs: every node went through
the expected versions, one setup each, and at no moment did two nodes run versions outside
the vendor's direct update window (the collection's own versions module states the window).

usage: check_hops.py --start 9.6.0 --chain 9.7.0,9.9.0 NODE=SETUP_JSONL...
Prints a JSON summary; exits 1 naming what differs.
"""
import argparse
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location(
    "lk_versions", os.path.join(HERE, "..", "..", "plugins", "module_utils", "versions.py"))
versions = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(versions)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", required=True)
    parser.add_argument("--chain", required=True, help="comma-separated versions every node goes through")
    parser.add_argument("logs", nargs="+", help="NODE=path of the node's setup.jsonl")
    args = parser.parse_args()
    chain = args.chain.split(",")
    runs = []
    for item in args.logs:
        node, path = item.split("=", 1)
        with open(path) as handle:
            runs.extend(dict(json.loads(line), node=node) for line in handle if line.strip())
    problems = []
    installed = dict((item.split("=", 1)[0], args.start) for item in args.logs)
    timeline = []
    for run in sorted((r for r in runs if r.get("result") == "complete"), key=lambda r: r["time"]):
        installed[run["node"]] = run["version_after"]
        seen = sorted(set(installed.values()), key=versions.parse_version)
        timeline.append({"node": run["node"], "from": run["version_before"], "to": run["version_after"],
                         "cluster": dict(installed)})
        if len(seen) > 1 and versions.update_path(seen[0], seen[-1]).kind != "direct":
            problems.append("after %s's setup to %s the cluster ran %s: outside the direct window of %s"
                            % (run["node"], run["version_after"], ", ".join(seen), seen[-1]))
    for node in installed:
        steps = [(r["version_before"], r["version_after"]) for r in sorted(runs, key=lambda r: r["time"])
                 if r["node"] == node and r.get("result") == "complete"]
        expected = list(zip([args.start] + chain[:-1], chain))
        if steps != expected:
            problems.append("%s: setups %s, expected %s" % (node, steps, expected))
    print(json.dumps({"timeline": timeline, "problems": problems}, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
