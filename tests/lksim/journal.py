"""The commands journal: every product command a node runs, as JSON lines in
ROOT/var/log/lksim/commands.jsonl (beside events.jsonl).

Each line: {"time": epoch seconds at the start, "end": epoch seconds at the end, "node":
the node's name, "argv": [command, arg, ...], "rc": exit code, "cpu": the CPU seconds the
command's process and the children it waited for used (make bench tells the simulator's own
cost apart from the collection's)}. Written by the command's
own process when it ends (the $LKROOT/bin launchers through commands.run, and setup on the
media), so it records what was run on the node, whoever ran it. Ground truth for tests:
never computed from what the collection reports.
"""
import json
import os
import time

from lksim import events


def record(paths, argv, rc, started):
    """Append one command of the node (best effort: a journal that cannot be written never
    changes the command's own result)."""
    from lksim.commands._util import node_name   # late: _util imports the daemon client
    used = os.times()
    line = json.dumps({"time": round(started, 3), "end": round(time.time(), 3), "node": node_name(paths),
                       "argv": [str(arg) for arg in argv], "rc": rc,
                       "cpu": round(used.user + used.system + used.children_user + used.children_system, 3)},
                      sort_keys=True)
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
    """Every command of the given journal files, sorted by start time (the event log's format:
    one JSON object a line with its time)."""
    return events.read(files)


def is_stop(argv):
    return argv[:2] == ["lkcli", "stop"] or argv[:1] == ["lkstop"]


def is_start(argv):
    return argv[:2] == ["lkcli", "start"] or argv[:1] == ["lkstart"]


def is_restore(argv):
    return argv[:2] == ["lkbackup", "-x"]


def _in_setup(entry, setups):
    """True for a command a setup ran itself (inside that setup's run on the same node)."""
    return any(s["node"] == entry["node"] and s["time"] <= entry["time"] <= s["end"] and s is not entry for s in setups)


def reinstall_problems(entries, max_restores=None, no_restore=False):
    """What a reinstall did to nodes other than the one being reinstalled, from the merged
    journals of a cluster: (problems, {node: restores}, rmlk entries in order).

    Before the end of the last setup, a stop on a node is its reinstall's when the node's next
    start or rmlk is an rmlk (a peer stopped to be restored is started again first); an archive
    restore (lkbackup -x) is its reinstall's when the node's last rmlk or start before it is an
    rmlk. Commands a setup runs itself (inside its own run on the node) are not judged.
    max_restores caps the restores per node; no_restore allows none."""
    rmlks = [e for e in entries if e["argv"][:1] == ["rmlk"]]
    setups = [e for e in entries if e["argv"][:1] == ["setup"]]
    end = max(e["end"] for e in setups) if setups else None
    found = []
    for entry in entries:
        argv, node, when = entry["argv"], entry["node"], entry["time"]
        if end is None or when > end or not (is_stop(argv) or is_restore(argv)):
            continue
        if _in_setup(entry, setups):
            continue
        mine = [e for e in entries if e["node"] == node and (e["argv"][:1] == ["rmlk"] or is_start(e["argv"]))
                and not _in_setup(e, setups)]
        if is_stop(argv):
            following = [e for e in mine if e["time"] > when]
            if not following or following[0]["argv"][:1] != ["rmlk"]:
                found.append("%s: %s at %.3f, not before its own rmlk (a node not being reinstalled)"
                             % (node, " ".join(argv), when))
        else:
            before = [e for e in mine if e["time"] < when]
            if not before or before[-1]["argv"][:1] != ["rmlk"]:
                found.append("%s: %s at %.3f, not after its own rmlk (a node not being reinstalled)"
                             % (node, " ".join(argv), when))
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
