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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-restores-per-node", type=int)
    parser.add_argument("--no-restore", action="store_true")
    parser.add_argument("journals", nargs="+")
    args = parser.parse_args(argv)
    entries = journal.read(args.journals)
    found, restores, rmlks = journal.reinstall_problems(entries, args.max_restores_per_node, args.no_restore)
    print(json.dumps({"problems": found, "restores": restores, "rmlk": [r["node"] for r in rmlks],
                      "commands": len(entries)}, sort_keys=True))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
