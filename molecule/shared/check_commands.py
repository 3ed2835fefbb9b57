"""Ground truth from the simulator's commands journals (commands.jsonl of every node): during a
reinstall, which nodes had LifeKeeper stopped or an archive restored.

usage: check_commands.py [--max-restores-per-node N] [--no-restore] JOURNAL.jsonl...
Prints a JSON summary; exits 1 when, before the end of the last node's setup, a node other
than the one being reinstalled had LifeKeeper stopped (a stop is the reinstalled node's when
the next rmlk of the cluster runs on it) or an archive restored (lkbackup -x: the reinstalled
node's when the rmlk before it ran on it), when a node had more than N restores, or, with
--no-restore, when any archive was restored.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
from lksim import journal  # noqa: E402


def is_stop(argv):
    return argv[:2] == ["lkcli", "stop"] or argv[:1] == ["lkstop"]


def is_restore(argv):
    return argv[:2] == ["lkbackup", "-x"]


def problems(entries, max_restores=None, no_restore=False):
    rmlks = [e for e in entries if e["argv"][:1] == ["rmlk"]]
    setups = [e for e in entries if e["argv"][:1] == ["setup"]]
    end = max(e["end"] for e in setups) if setups else None
    found = []
    for entry in entries:
        argv, node = entry["argv"], entry["node"]
        if end is not None and entry["time"] <= end and is_stop(argv):
            following = [r for r in rmlks if r["time"] >= entry["time"]]
            if not following or following[0]["node"] != node:
                found.append("%s: %s at %.3f while %s was being reinstalled"
                             % (node, " ".join(argv), entry["time"], following[0]["node"] if following else "no node"))
        if end is not None and entry["time"] <= end and is_restore(argv):
            before = [r for r in rmlks if r["time"] <= entry["time"]]
            if not before or before[-1]["node"] != node:
                found.append("%s: %s at %.3f, a node that was not being reinstalled"
                             % (node, " ".join(argv), entry["time"]))
    restores = {}
    for entry in entries:
        if is_restore(entry["argv"]):
            restores[entry["node"]] = restores.get(entry["node"], 0) + 1
    for node, count in sorted(restores.items()):
        if no_restore:
            found.append("%s: %d archive restore(s) (lkbackup -x); none expected" % (node, count))
        elif max_restores is not None and count > max_restores:
            found.append("%s: %d archive restores (lkbackup -x), at most %d expected" % (node, count, max_restores))
    return found, restores, rmlks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-restores-per-node", type=int)
    parser.add_argument("--no-restore", action="store_true")
    parser.add_argument("journals", nargs="+")
    args = parser.parse_args(argv)
    entries = journal.read(args.journals)
    found, restores, rmlks = problems(entries, args.max_restores_per_node, args.no_restore)
    print(json.dumps({"problems": found, "restores": restores, "rmlk": [r["node"] for r in rmlks],
                      "commands": len(entries)}, sort_keys=True))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
