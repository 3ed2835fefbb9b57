"""The commands journal: every product command a node runs, as JSON lines in
ROOT/var/log/lksim/commands.jsonl (beside events.jsonl).

Each line: {"time": epoch seconds at the start, "end": epoch seconds at the end, "node":
the node's name, "argv": [command, arg, ...], "rc": exit code}. Written by the command's
own process when it ends (the $LKROOT/bin launchers through commands.run, and setup on the
media), so it records what was run on the node, whoever ran it. Ground truth for tests:
never computed from what the collection reports.
"""
import json
import os
import time


def record(paths, argv, rc, started):
    """Append one command of the node (best effort: a journal that cannot be written never
    changes the command's own result)."""
    from lksim.commands._util import node_name   # late: _util imports the daemon client
    line = json.dumps({"time": round(started, 3), "end": round(time.time(), 3), "node": node_name(paths),
                       "argv": [str(arg) for arg in argv], "rc": rc}, sort_keys=True)
    try:
        os.makedirs(os.path.dirname(paths.commands_file), exist_ok=True)
        with open(paths.commands_file, "a") as handle:
            handle.write(line + "\n")
    except (IOError, OSError):
        pass


def journaled(paths, argv, call):
    """call() -> exit code, recorded with argv; an exception is recorded as rc None and raised."""
    started = time.time()
    rc = None
    try:
        rc = call()
        return rc
    finally:
        record(paths, argv, rc, started)


def read(files):
    """Every command of the given journal files, sorted by start time."""
    entries = []
    for name in files:
        if not os.path.exists(name):
            continue
        with open(name) as handle:
            entries.extend(json.loads(line) for line in handle if line.strip())
    entries.sort(key=lambda entry: entry["time"])
    return entries
