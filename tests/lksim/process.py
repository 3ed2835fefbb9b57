"""Process control of a node's daemon: find it, spawn it detached, wait for it, crash it.

Used by lkstart/lkstop (commands/service.py), `lksim node start|kill` and local clusters
(cluster.py), through the names daemon.py re-exports.
"""
import os
import signal
import subprocess
import sys
import time

from lksim import client, events, lcd

IN_SERVICE = lcd.IN_SERVICE


def read_pid(paths):
    try:
        with open(paths.pid_file) as handle:
            return int(handle.read().strip() or 0)
    except (IOError, OSError, ValueError):
        return 0


def is_daemon(pid):
    """True when pid is an lksim daemon process."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            args = handle.read().split(b"\0")
    except (IOError, OSError):
        return False
    return b"lksim" in args and b"daemon" in args


def daemon_pid(paths):
    """Pid of the node's daemon if it is alive, else 0."""
    pid = read_pid(paths)
    return pid if pid and is_daemon(pid) else 0


def lksim_path(paths):
    try:
        return paths.node_info().get("lksim_path")
    except (IOError, OSError, ValueError):
        return None


def spawn(paths, wait=15.0):
    """Start the node's daemon detached; wait until it answers. Returns (ok, message)."""
    if client.running(paths, timeout=1.0):
        return True, "already running"
    log_file = os.path.join(paths.root, "var", "log", "lksim", "daemon.log")
    os.makedirs(os.path.dirname(log_file), exist_ok=True)
    env = dict(os.environ)
    here = lksim_path(paths) or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with open(log_file, "a") as log, open(os.devnull) as null:
        proc = subprocess.Popen([sys.executable or "python3", "-m", "lksim", "daemon", "--root",
                                 paths.root], stdin=null, stdout=log, stderr=log, cwd="/",
                                env=env, start_new_session=True, close_fds=True)
    deadline = time.time() + wait
    while time.time() < deadline:
        if client.running(paths, timeout=1.0):
            return True, "started (pid %d)" % proc.pid
        if proc.poll() is not None:
            return False, "the daemon exited with %s (see %s)" % (proc.returncode, log_file)
        time.sleep(0.05)
    return False, "the daemon did not answer within %.0f s (see %s)" % (wait, log_file)


def wait_stopped(paths, pid, limit=60.0):
    deadline = time.time() + limit
    while time.time() < deadline:
        if not is_daemon(pid):
            return True
        try:
            os.waitpid(pid, os.WNOHANG)
        except OSError:
            pass
        time.sleep(0.05)
    return False


def kill(paths, cause="node killed (simulated crash)"):
    """SIGKILL the node's daemon: a crash. Its resources die with it (events recorded)."""
    pid = daemon_pid(paths)
    if not pid:
        return False
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        return False
    wait_stopped(paths, pid, 10.0)
    try:
        data = lcd.load(paths)
    except lcd.LcdError:
        data = None
    if data is not None:
        for res in data["resources"]:
            if res["state"] in IN_SERVICE:
                events.record(paths, data["node"], res["tag"], res["state"], "OSU", cause)
                res["state"] = "OSU"
        data["running"] = False
        lcd.save(paths, data)
    for name in (paths.pid_file, paths.initdone):
        try:
            os.unlink(name)
        except OSError:
            pass
    return True
