"""The node's LCM: "LifeKeeper is running" on a node means this daemon runs.

One TCP server per node address on LCMPORT; newline-delimited JSON, one request per
connection. Peers use it for heartbeats, switchover hand-offs and state queries; the
node's own commands use it for status, restore, remove, stop and mirror operations.
Run as `python3 -m lksim daemon --root ROOT` (lkstart and `node start` spawn it detached).

This module holds the LCM's core (LCD, states, requests, start and stop); the concerns are
in membership.py (peers, comm paths, heartbeats), resources.py (restore, remove,
switchover, failover), mirrors.py (DataKeeper targets) and process.py (spawn, kill, pid).
"""
import json
import os
import signal
import socketserver
import sys
import threading
import time

from lksim import defaults, events, knobs, lcd
from lksim.membership import LOCK_TIMEOUT, Membership
from lksim.mirrors import Mirrors
from lksim.paths import NodePaths
# process control: the names lkstart/lkstop, `lksim node` and cluster.py use as daemon.X
from lksim.process import (daemon_pid, is_daemon, kill, lksim_path, read_pid, spawn,
                           wait_stopped)
from lksim.resources import Resources
from lksim.sync_ports import SyncPorts

__all__ = ["Lcm", "main", "daemon_pid", "is_daemon", "kill", "lksim_path", "read_pid", "spawn",
           "wait_stopped"]

IN_SERVICE = lcd.IN_SERVICE


def _now():
    return time.time()


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        if self.server.lcm.membership.refused(self.client_address[0]):
            return      # knob lcm_refuse_from: a firewall drops the connection unanswered
        try:
            line = self.rfile.readline(1 << 20)
            if not line.strip():
                return
            request = json.loads(line.decode("utf-8"))
            answer = self.server.lcm.dispatch(request)
        except Exception as exc:  # pylint: disable=broad-except
            answer = {"ok": False, "rc": 3, "err": "internal error: %s" % exc}
        try:
            self.wfile.write((json.dumps(answer) + "\n").encode("utf-8"))
        except OSError:
            pass


class Lcm(object):
    """The node's LCM: LCD, resource states and life cycle; the concerns live in
    Membership (peers, paths, heartbeats), Resources (restore, remove, switchover,
    failover) and Mirrors (DataKeeper target states)."""

    def __init__(self, root):
        self.paths = NodePaths(root)
        self.info = self.paths.node_info()
        self.node = self.info["name"]
        self.tunables = defaults.load(self.paths)
        self.port = defaults.port(self.tunables)
        self.hbeat = defaults.hbeattime(self.tunables)
        self.numhbeats = defaults.numhbeats(self.tunables)
        self.lock = threading.RLock()
        self.action_lock = threading.Lock()
        self.stop_event = threading.Event()
        if os.path.exists(self.paths.lcd_file):
            self.data = lcd.load(self.paths)
        else:   # fresh install: an empty LCD that knows only this system
            self.data = lcd.empty(self.node)
            self.data["systems"][self.node] = {"addresses": list(self.info["addresses"])}
        self.lcd = lcd.Lcd(self.data)
        self.starting = True
        self.stopping = False
        self.servers = []
        self.started_at = _now()
        self.mirrors = Mirrors(self)
        self.membership = Membership(self)
        self.resources = Resources(self)

    # ------------------------------------------------------------------ logging
    def log(self, level, function, code, message):
        stamp = time.strftime("%b %d %H:%M:%S")
        line = "%s %s lcm[%d]: %s:lcm:%s:%06d:%s\n" % (stamp, self.node, os.getpid(), level,
                                                       function, code, message)
        try:
            os.makedirs(os.path.dirname(self.paths.lifekeeper_log), exist_ok=True)
            with open(self.paths.lifekeeper_log, "a") as handle:
                handle.write(line)
        except OSError:
            pass

    # ------------------------------------------------------------------ states
    def state(self, tag):
        return self.lcd.get(tag)["state"]

    def set_state(self, tag, new, cause):
        with self.lock:
            res = self.lcd.get(tag)
            old = res["state"]
            if old == new:
                return
            res["state"] = new
            self.save()
            events.record(self.paths, self.node, tag, old, new, cause)
        self.log("NOTIFY" if new != "OSF" else "ERROR", "set_state", 1 if new != "OSF" else 2,
                 "resource %s changed from %s to %s (%s)" % (tag, old, new, cause))

    def save(self):
        """Write the LCD (lcd.json) as it is now."""
        with self.lock:
            lcd.save(self.paths, self.data)

    def real_states(self):
        with self.lock:
            return dict((r["tag"], r["state"]) for r in self.data["resources"])

    # ------------------------------------------------------------------ requests
    def status(self):
        with self.lock:
            data = json.loads(json.dumps(self.data))
            for res in data["resources"]:
                if self.starting:
                    res["state"] = "ILLSTATE"
            for path in data["comm_paths"]:
                key = (path["local"], path["remote"])
                path["state"] = "ALIVE" if self.membership.path_alive(key) else "DEAD"
                path["comm_downs"] = self.membership.comm_downs.get(key, 0)
        return {"ok": True, "rc": 0, "lcd": data, "starting": self.starting}

    def dispatch(self, request):
        op = request.get("op")
        if op == "ping":
            return {"ok": True, "node": self.node, "starting": self.starting}
        if op == "hb":
            return self.membership.answer_heartbeat(request)
        if op in ("states", "release") and not self.membership.known(request):
            return self.membership.unknown_answer(request)
        if op == "states":
            return dict(self.membership.hb_payload(), ok=True)
        if op == "peer_stop":
            return self.membership.peer_stopped(request)
        if op == "forget":
            return self.membership.forget(request)
        if op == "status":
            return self.status()
        if op == "restore":
            return self.resources.do_restore(request.get("tag"))
        if op == "remove":
            return self.resources.do_remove(request.get("tag"))
        if op == "release":
            return self.resources.do_release(request)
        if op == "stop":
            return self.do_stop(bool(request.get("force")))
        if op in ("mirror_status", "mirror_action"):
            return self.mirrors.dispatch(op, request)
        if op == "mirror_ctl":
            return {"ok": True, "entry": self.mirrors.control(request["tag"], request["action"])}
        return {"ok": False, "rc": 2, "err": "unknown request %r" % op}

    # ------------------------------------------------------------------ life cycle
    def do_stop(self, force):
        if not self.action_lock.acquire(timeout=LOCK_TIMEOUT):
            return {"ok": False, "rc": 1, "err": "another action is in progress on %s" % self.node}
        try:
            out = []
            if not force:
                self.resources.remove_all("lkstop", out)
            self.stopping = True
            self.membership.announce_stop()
            with self.lock:
                self.data["running"] = False
                self.save()
            try:
                os.unlink(self.paths.initdone)
            except OSError:
                pass
            self.log("NOTIFY", "lcm_stop", 3, "LifeKeeper stopped on %s%s" % (
                self.node, " (resources left in service, unprotected)" if force else ""))
            self.stop_event.set()
            return {"ok": True, "rc": 0, "out": out}
        finally:
            self.action_lock.release()

    def start(self):
        for address in self.info["addresses"]:
            server = _Server((address, self.port), _Handler, bind_and_activate=True)
            server.lcm = self
            self.servers.append(server)
        os.makedirs(self.paths.run_dir, exist_ok=True)
        with open(self.paths.pid_file, "w") as handle:
            handle.write("%d\n" % os.getpid())
        with open(self.paths.gui_server_file, "w") as handle:   # the GUI server starts too
            handle.write("%d\n" % int(_now()))
        try:
            os.unlink(self.paths.initdone)
        except OSError:
            pass
        if self.data.get("running"):
            for res in self.data["resources"]:
                if res["state"] in IN_SERVICE:
                    self.set_state(res["tag"], "OSU",
                                   "recovery: LifeKeeper was not stopped on %s (crash)" % self.node)
        with self.lock:
            self.data["running"] = True
            self.save()
            self.mirrors.at_start()
        self.log("NOTIFY", "lcm_start", 1, "LifeKeeper starting on %s (port %d)" % (self.node, self.port))
        for server in self.servers:
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                             daemon=True).start()
        self.membership.start_beating()
        threading.Thread(target=self.membership.monitor_loop, daemon=True).start()
        SyncPorts(self).start()     # DataKeeper sync ports of the mirrors this node is a target of
        delay = float(knobs.load(self.paths).get("start_seconds", 0))
        if not self.stop_event.wait(max(0.0, delay - (_now() - self.started_at))):
            self.starting = False
            with open(self.paths.initdone, "w") as handle:
                handle.write("%d\n" % int(_now()))
            self.log("NOTIFY", "lcm_start", 2, "LifeKeeper initialization complete on %s" % self.node)

    def serve(self):
        self.start()
        self.stop_event.wait()
        time.sleep(0.1)   # let the stop answer reach the client
        for server in self.servers:
            server.shutdown()
            server.server_close()
        try:
            os.unlink(self.paths.pid_file)
        except OSError:
            pass
        return 0


def main(root):
    """Entry point of `python3 -m lksim daemon --root ROOT`."""
    paths = NodePaths(root)
    pid = read_pid(paths)
    if pid and pid != os.getpid() and is_daemon(pid):
        sys.stderr.write("lksim daemon already running (pid %d)\n" % pid)
        return 1
    try:
        lcm = Lcm(root)
    except (lcd.LcdError, IOError, OSError, ValueError, KeyError) as exc:
        sys.stderr.write("lksim daemon: cannot start: %s\n" % exc)
        return 1

    def on_term(signum, frame):  # SIGTERM = stop leaving resources as they are
        threading.Thread(target=lcm.do_stop, args=(True,), daemon=True).start()
    signal.signal(signal.SIGTERM, on_term)
    try:
        return lcm.serve()
    except OSError as exc:
        sys.stderr.write("lksim daemon: cannot start: %s\n" % exc)
        lcm.log("FATAL", "lcm_start", 9, "cannot start: %s" % exc)
        try:
            os.unlink(paths.pid_file)
        except OSError:
            pass
        return 1
