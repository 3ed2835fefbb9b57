"""Timing and fault knobs, per node, re-read on every use so they can change while running.

knobs.json is a flat JSON object; missing keys take DEFAULTS. update() refuses unknown
knobs and values of the wrong kind, naming them, before anything is written.
"""
import ipaddress
import json
import os
import time

from lksim import generations

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
    "hang_commands": [],          # these $LKROOT/bin commands print nothing and hang until killed
    "setup_hangs": False,         # setup prints its banner, then hangs until killed
    "setup_hangs_closed": False,  # setup prints its banner, closes stdout/stderr, hangs until killed
    "rmlk_leaves_packages": False,  # rmlk says it removed LifeKeeper but the rpms stay
    "fail_lksupport": False,      # lksupport fails (stderr, exit 1, no bundle)
    "lcm_refuse_from": [],        # the daemon neither accepts from nor connects to these addresses
    "sync_port_blocked": [],      # no DataKeeper sync port listener here for these mirror tags (sync_ports.py)
    # the machine (lksim/boot.py: `node boot` as a container's init)
    "boot_start": True,           # LifeKeeper starts at boot (its service is enabled)
    "boot_seconds": 0.0,          # seconds from boot until LifeKeeper is started
    "reboot_stays_down": False,   # the next boot ends at once (exit 0): the machine does not come back
}
COMMANDS = generations.COMMON_COMMANDS + generations.LKCLI_COMMANDS


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def check(key, value):
    """None when value suits knob key, else the reason (naming the value and what is allowed)."""
    default = DEFAULTS[key]
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "%s must be true or false, not %r" % (key, value)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            return "%s must be a number of seconds >= 0, not %r" % (key, value)
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "%s must be a list of strings, not %r" % (key, value)
    if key == "hang_commands":
        unknown = [v for v in value if v not in COMMANDS]
        if unknown:
            return "hang_commands: %s not a $LKROOT/bin command (known: %s)" % (
                ", ".join(map(repr, unknown)), ", ".join(sorted(COMMANDS)))
    if key == "lcm_refuse_from":
        bad = [v for v in value if not _is_address(v)]
        if bad:
            return "lcm_refuse_from: %s not an IP address" % ", ".join(map(repr, bad))
    return None


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
    problems = [p for p in (check(k, v) for k, v in sorted(changes.items())) if p]
    if problems:
        raise ValueError("; ".join(problems))
    current.update(changes)
    os.makedirs(os.path.dirname(paths.knobs_file), exist_ok=True)
    tmp = paths.knobs_file + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(current, handle, indent=1, sort_keys=True)
    os.replace(tmp, paths.knobs_file)
    return current


def hang():
    """LifeKeeper not answering (knobs hang_commands, setup_hangs): print nothing more, sleep
    until killed. The default signal actions stay in place, so SIGTERM or SIGKILL of the
    process (group) ends it at once; SIGINT ends it with exit 130."""
    while True:
        time.sleep(3600)
