"""lkstart [-w waitperiod], lkstop [-f|-n|-r], lktest."""
import sys
import time

from lksim import client, daemon
from lksim.commands import _util


def start(paths, wait=None):
    node = _util.node_name(paths)
    if client.running(paths, timeout=1.0):
        sys.stdout.write("LifeKeeper is already running on %s.\n" % node)
        return 0
    ok, message = daemon.spawn(paths)
    if not ok:
        sys.stderr.write("LifeKeeper failed to start on %s: %s\n" % (node, message))
        return 1
    if wait:
        deadline = time.time() + wait
        import os
        while time.time() < deadline and not os.path.exists(paths.initdone):
            time.sleep(0.1)
    sys.stdout.write("LifeKeeper is starting on %s.\n" % node)
    return 0


# What `lkcli stop` prints on a systemd host (the vendor's 9.9.0 update guide, verbatim).
SYSTEMD_STOP_LINES = (
    "Removed /etc/systemd/system/lifekeeper-graphical.target.requires/lifekeeper.service.",
    "Removed /etc/systemd/system/lifekeeper-multi-user.target.requires/lifekeeper.service.",
)


def stop(paths, force=False, name="lkstop"):
    node = _util.node_name(paths)
    pid = daemon.daemon_pid(paths)
    answer = _util.ask(paths, {"op": "stop", "force": bool(force)})
    if answer is None:
        sys.stdout.write("LifeKeeper is not running on %s.\n" % node)
        return 0
    rc = _util.report(name, answer)
    if rc != 0:
        return rc
    if pid and not daemon.wait_stopped(paths, pid, 60.0):
        sys.stderr.write("%s: LifeKeeper on %s did not stop within 60 s\n" % (name, node))
        return 1
    if not pid:
        deadline = time.time() + 30
        while time.time() < deadline and client.running(paths, timeout=0.5):
            time.sleep(0.05)
    if name == "lkcli":
        sys.stdout.write("".join(line + "\n" for line in SYSTEMD_STOP_LINES))
    sys.stdout.write("LifeKeeper stopped on %s%s.\n" % (
        node, " (resources left in service)" if force else ""))
    return 0


def main(name, argv, paths):
    if name == "lkstart":
        parser = _util.Parser(prog="lkstart", description="start LifeKeeper")
        parser.add_argument("-w", dest="wait", type=float, metavar="waitperiod",
                            help="seconds to wait for initialization to complete")
        args = parser.parse_args(argv)
        return start(paths, args.wait)
    if name == "lkstop":
        parser = _util.Parser(prog="lkstop", description="stop LifeKeeper")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("-f", action="store_true",
                           help="stop LifeKeeper only; leave the resources in service")
        group.add_argument("-n", action="store_true", help="no failover (same as plain stop)")
        group.add_argument("-r", action="store_true", help="stop for a restart (same as plain stop)")
        args = parser.parse_args(argv)
        return stop(paths, force=args.f)
    # lktest
    parser = _util.Parser(prog="lktest", description="exit 0 when LifeKeeper is running")
    parser.parse_args(argv)
    return 0 if client.running(paths, timeout=3.0) else 1
