"""Timing and fault knobs, per node, re-read on every use so they can change while running.

knobs.json is a flat JSON object; missing keys take DEFAULTS.
"""
import json
import os

DEFAULTS = {
    # seconds one resource takes to be restored or removed
    "resource_seconds": 0.2,
    # seconds from lkstart until LK_INITDONE exists and resources leave ILLSTATE
    "start_seconds": 0.5,
    # seconds setup spends installing
    "setup_seconds": 0.5,
    # seconds a mirror target resynchronises after LifeKeeper starts on it
    "resync_seconds": 2.0,
    # faults
    "fail_setup": False,          # setup on this node fails (no change to the installed rpms)
    "fail_restore_tags": [],      # restore of these tags fails on this node (resource -> OSF)
    "resync_never_ends": False,   # mirrors targeting this node never finish resynchronising
}


def load(paths):
    """Current knobs of the node at paths (a NodePaths)."""
    values = dict(DEFAULTS)
    try:
        with open(paths.knobs_file) as handle:
            values.update(json.load(handle))
    except (IOError, OSError, ValueError):
        pass
    return values


def update(paths, changes):
    """Merge changes into the node's knobs file (atomic replace)."""
    current = {}
    try:
        with open(paths.knobs_file) as handle:
            current = json.load(handle)
    except (IOError, OSError, ValueError):
        pass
    unknown = sorted(set(changes) - set(DEFAULTS))
    if unknown:
        raise KeyError("unknown knob(s): %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(DEFAULTS))))
    current.update(changes)
    os.makedirs(os.path.dirname(paths.knobs_file), exist_ok=True)
    tmp = paths.knobs_file + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(current, handle, indent=1, sort_keys=True)
    os.replace(tmp, paths.knobs_file)
    return current
