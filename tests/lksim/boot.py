"""The machine under a simulated node: its init (`lksim node boot`, PID 1 of a node container)
and its reboot (`lksim node reboot`, behind the image's shutdown and reboot shims).

A boot writes a fresh boot id (what ansible.builtin.reboot compares, boot_time_command `cat
/var/lib/lksim/boot_id`), removes the runtime state a machine loses when it goes down, starts
LifeKeeper as its enabled service would (knobs boot_start, boot_seconds) and appends one line to
boots.jsonl. Then the init waits: SIGTERM (docker stop) ends it with 0; a reboot request stops
LifeKeeper as the OS shutdown does and ends it with REBOOT_EXIT, which the container's restart
policy on-failure turns into the next boot. As PID 1 it reaps every orphan of the container.
"""
import json
import os
import signal
import sys
import time
import uuid

from lksim import knobs, process
from lksim.paths import NodePaths

# non-zero, so that docker's restart policy on-failure starts the container again (0 is a stop)
REBOOT_EXIT = 1
REBOOT_SIGNAL = signal.SIGUSR1
# between a reboot request and the shutdown: the asking command returns to its caller first
REBOOT_GRACE = 1.0
POLL = 0.2

SHIM = '''#!/bin/sh
# %(name)s of a simulated LifeKeeper node (lksim): asks the container's init to reboot
PYTHONPATH=/usr/lib/lksim exec python3 -m lksim node reboot --root / --as %(name)s -- "$@"
'''
# the image's /usr/local/sbin/shutdown and /usr/local/sbin/reboot (tests/images/build.sh)
SHIMS = dict((name, SHIM % {"name": name}) for name in ("shutdown", "reboot"))


class RebootError(ValueError):
    """A reboot that is refused (one `lksim: ...` line, exit 1)."""


# ---------------------------------------------------------------------- journal
def append(paths, entry):
    os.makedirs(os.path.dirname(paths.boots_file), exist_ok=True)
    with open(paths.boots_file, "a") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")


def read(paths):
    """The node's boots.jsonl lines (boots and shutdowns, oldest first)."""
    try:
        with open(paths.boots_file) as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (IOError, OSError):
        return []


def boot_id(paths):
    try:
        with open(paths.boot_id_file) as handle:
            return handle.read().strip()
    except (IOError, OSError):
        return None


# ---------------------------------------------------------------------- a boot
def new_boot_id(paths):
    """Write a fresh boot id (atomically: a reader never sees an empty file)."""
    value = str(uuid.uuid4())
    os.makedirs(os.path.dirname(paths.boot_id_file), exist_ok=True)
    tmp = paths.boot_id_file + ".tmp"
    with open(tmp, "w") as handle:
        handle.write(value + "\n")
    os.replace(tmp, paths.boot_id_file)
    return value


def clear_runtime(paths):
    """Remove what a running machine kept in /var/run (a tmpfs on a real host, a plain directory
    in a container that restarts) and LK_INITDONE: a pid file left by the last boot could name
    an unrelated process of the new PID namespace, and LifeKeeper must read as not running."""
    removed = []
    for name in sorted(os.listdir(paths.run_dir)) if os.path.isdir(paths.run_dir) else []:
        target = os.path.join(paths.run_dir, name)
        if os.path.isfile(target) or os.path.islink(target):
            os.unlink(target)
            removed.append(os.path.relpath(target, paths.root))
    if os.path.exists(paths.initdone):
        os.unlink(paths.initdone)
        removed.append(os.path.relpath(paths.initdone, paths.root))
    # what a Debian package leaves in /run when it needs a reboot: gone with the tmpfs
    for name in ("reboot-required", "reboot-required.pkgs"):
        target = os.path.join(paths.root, "var", "run", name)
        if os.path.isfile(target):
            os.unlink(target)
            removed.append(os.path.relpath(target, paths.root))
    return removed


def installed(paths):
    """LifeKeeper is installed on an initialised node (rmlk removes $LKROOT/bin)."""
    return os.path.exists(paths.node_file) and os.path.exists(os.path.join(paths.bin_dir, "lkstart"))


def reap():
    """Collect every child that ended (as PID 1: also the orphans re-parented to it)."""
    while True:
        try:
            pid, dummy_status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def pause(seconds):
    """Sleep seconds, reaping meanwhile."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        reap()
        time.sleep(max(0.0, min(POLL, deadline - time.time())))
    reap()


def become_subreaper():
    """Outside a container (the simulator's tests) orphans of the init's children come to it
    as they would to PID 1 (Linux prctl PR_SET_CHILD_SUBREAPER; best effort)."""
    if os.getpid() == 1:
        return
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Init(object):
    """One boot of the machine, from start to the request that ends it."""

    def __init__(self, root):
        self.paths = NodePaths(root)
        self.request = None         # "stop" (SIGTERM/SIGINT) or "reboot" (REBOOT_SIGNAL)

    def on_signal(self, signum, dummy_frame):
        if signum == REBOOT_SIGNAL:
            self.request = self.request or "reboot"
        else:
            self.request = "stop"   # docker stop wins over a reboot in progress

    def install_handlers(self):
        # PID 1 ignores every signal it has no handler for: these are the ones it obeys
        for signum in (signal.SIGTERM, signal.SIGINT, REBOOT_SIGNAL):
            signal.signal(signum, self.on_signal)

    def wait(self, seconds=None):
        """Reap and sleep until a request arrives (or seconds passed); True when one did."""
        deadline = None if seconds is None else time.time() + seconds
        while self.request is None and (deadline is None or time.time() < deadline):
            reap()
            time.sleep(POLL if deadline is None else max(0.0, min(POLL, deadline - time.time())))
        reap()
        return self.request is not None

    def start_lifekeeper(self, settings):
        """(started, why) after boot_seconds, as the enabled service starts it (lkstart's way)."""
        if not installed(self.paths):
            return False, "not initialised (no node.json) or LifeKeeper not installed"
        if not settings.get("boot_start"):
            return False, "not enabled at boot (knob boot_start=false)"
        if self.wait(float(settings.get("boot_seconds") or 0)):
            return False, "%s requested before LifeKeeper was started" % self.request
        ok, message = process.spawn(self.paths)
        return ok, message

    def boot(self):
        """Run the boot; returns the init's exit code."""
        paths = self.paths
        entry = {"event": "boot", "boot_id": new_boot_id(paths), "time": round(time.time(), 3),
                 "pid": os.getpid(), "stale_removed": clear_runtime(paths)}
        settings = knobs.load(paths)
        if settings.get("reboot_stays_down"):
            # one boot only: the operator who powers the machine on again (docker start) gets it
            knobs.update(paths, {"reboot_stays_down": False})
            append(paths, dict(entry, came_up=False, lifekeeper_started=False,
                               why="knob reboot_stays_down: the machine does not come back"))
            return 0
        started, why = self.start_lifekeeper(settings)
        append(paths, dict(entry, came_up=True, lifekeeper_started=started, why=why,
                           boot_start=bool(settings.get("boot_start")),
                           boot_seconds=settings.get("boot_seconds")))
        sys.stdout.write("lksim: %s booted (%s); LifeKeeper %s: %s\n" % (
            _name(paths), entry["boot_id"], "started" if started else "not started", why))
        sys.stdout.flush()
        self.wait()
        if self.request == "reboot":
            self.shut_down()
            return 0 if self.request == "stop" else REBOOT_EXIT
        return 0

    def shut_down(self):
        """The OS shutdown of a reboot: LifeKeeper's service stops (lkstop's stop path:
        resources here out of service, the peers told), then the machine goes down."""
        paths = self.paths
        request = _read_request(paths)
        pause(max(0.0, REBOOT_GRACE - (time.time() - request.get("time", time.time()))))
        was_running = bool(process.daemon_pid(paths)) or _lifekeeper_answers(paths)
        rc = None
        if was_running:
            from lksim.commands import service     # late: the commands need a provisioned node
            rc = service.stop(paths)
            sys.stdout.flush()
        reap()
        append(paths, {"event": "shutdown", "boot_id": boot_id(paths),
                       "time": request.get("time", round(time.time(), 3)),
                       "end": round(time.time(), 3), "argv": request.get("argv"),
                       "message": request.get("message"), "lifekeeper_was_running": was_running,
                       "lifekeeper_stop_rc": rc})


def _name(paths):
    try:
        return paths.node_info()["name"]
    except (IOError, OSError, ValueError, KeyError):
        return "machine"


def _lifekeeper_answers(paths):
    from lksim import client
    try:
        return client.running(paths, timeout=1.0)
    except (IOError, OSError, ValueError, KeyError):
        return False


def _read_request(paths):
    try:
        with open(paths.reboot_request_file) as handle:
            return json.load(handle)
    except (IOError, OSError, ValueError):
        return {}


def main(root):
    """Entry point of `python3 -m lksim node boot --root ROOT`."""
    init = Init(root)
    init.install_handlers()
    become_subreaper()
    return init.boot()


# ---------------------------------------------------------------------- a reboot
def parse_request(command, args):
    """The wall message of `shutdown -r [TIME] [MESSAGE...]` or `reboot`; refuses anything else."""
    if command == "reboot":
        if args:
            raise RebootError("reboot: only a plain `reboot` is simulated, not %s" % " ".join(args))
        return None
    if not args or args[0] not in ("-r", "--reboot"):
        raise RebootError("shutdown: only a reboot (shutdown -r [TIME] [MESSAGE]) is simulated")
    rest = list(args[1:])
    delayed = rest and (rest[0].startswith("+") or rest[0].isdigit() or ":" in rest[0])
    if delayed and rest[0] not in ("now", "0", "+0"):
        raise RebootError("shutdown: only an immediate reboot is simulated (TIME now, 0 or +0), "
                          "not %s" % rest[0])
    if rest and rest[0] in ("now", "0", "+0"):
        rest = rest[1:]
    return " ".join(rest) or None


def is_init(pid, root):
    """True when process pid is `lksim node boot` of root."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            args = [a.decode("utf-8", "replace") for a in handle.read().split(b"\0")]
    except (IOError, OSError):
        return False
    if "lksim" not in args or args[args.index("lksim") + 1:args.index("lksim") + 3] != ["node", "boot"]:
        return False
    return "--root" in args[:-1] and os.path.abspath(args[args.index("--root") + 1]) == root


def reboot(root, command, args, init_pid=1, own_root=True):
    """`lksim node reboot`: ask the init to reboot the machine; returns 0 at once (the shutdown
    follows REBOOT_GRACE later). init_pid and own_root are the tests' way around PID 1."""
    paths = NodePaths(root)
    if own_root and paths.root != "/":
        raise RebootError("node reboot reboots the container it runs in (--root /), not %s" % root)
    if not is_init(init_pid, paths.root):
        raise RebootError("PID %d is not the simulated init (`lksim node boot --root %s`): this "
                          "machine cannot reboot (start its container with that command)"
                          % (init_pid, paths.root))
    message = parse_request(command, args)
    os.makedirs(paths.run_dir, exist_ok=True)
    with open(paths.reboot_request_file, "w") as handle:
        json.dump({"argv": [command] + list(args), "message": message,
                   "time": round(time.time(), 3)}, handle)
    os.kill(init_pid, REBOOT_SIGNAL)
    return 0
