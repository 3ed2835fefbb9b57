"""The node's LCM: "LifeKeeper is running" on a node means this daemon runs.

One TCP server per node address on LCMPORT; newline-delimited JSON, one request per
connection. Peers use it for heartbeats, switchover hand-offs and state queries; the
node's own commands use it for status, restore, remove, stop and mirror operations.
Run as `python3 -m lksim daemon --root ROOT` (lkstart and `node start` spawn it detached).
"""
import json
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time

from lksim import client, defaults, events, knobs, lcd
from lksim.paths import NodePaths

IN_SERVICE = lcd.IN_SERVICE
LOCK_TIMEOUT = 300


def _now():
    return time.time()


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
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


class Peer(object):
    def __init__(self, name):
        self.name = name
        self.states = {}
        self.mirrors = {}
        self.starting = False
        self.stopped = False        # announced a graceful stop
        self.stopped_boot = None    # boot id of the run that announced it (its late beats are stale)
        self.was_alive = False      # paths were ALIVE since we last declared it down
        self.known = False          # we have its states from a live exchange


class Lcm(object):
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
        self.peers = dict((name, Peer(name)) for name in self.lcd.peers())
        self.last_seen = dict(((p["local"], p["remote"]), 0.0) for p in self.data["comm_paths"])
        self.mirrors = {}           # tag -> this node's state as a mirror target
        self.pending_resync = set()
        self.servers = []
        self.started_at = _now()

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
            lcd.save(self.paths, self.data)
            events.record(self.paths, self.node, tag, old, new, cause)
        self.log("NOTIFY" if new != "OSF" else "ERROR", "set_state", 1 if new != "OSF" else 2,
                 "resource %s changed from %s to %s (%s)" % (tag, old, new, cause))

    def real_states(self):
        with self.lock:
            return dict((r["tag"], r["state"]) for r in self.data["resources"])

    # ------------------------------------------------------------------ paths / peers
    def path_alive(self, key):
        return _now() - self.last_seen.get(key, 0.0) < self.hbeat * self.numhbeats

    def peer_alive(self, name):
        return any(self.path_alive((p["local"], p["remote"]))
                   for p in self.data["comm_paths"] if p["machine"] == name)

    def hb_payload(self, key=None):
        return {"op": "hb", "from": self.node, "path": list(key) if key else None,
                "states": self.real_states(), "mirrors": self.mirror_view(),
                "starting": self.starting, "stopped": self.stopping, "boot": self.started_at}

    def note_peer(self, message, key=None):
        """Update what we know of a peer from its heartbeat or state answer."""
        name = message.get("from")
        if name not in self.peers:
            return
        revived = False
        with self.lock:
            peer = self.peers[name]
            if key is not None:
                if message.get("stopped"):
                    return
                if peer.stopped and message.get("boot") == peer.stopped_boot:
                    return   # a beat of the run that announced its stop, arriving late
                revived = not peer.was_alive
                self.last_seen[key] = _now()
                peer.was_alive = True
                peer.stopped = False
            peer.states = dict(message.get("states", {}))
            peer.mirrors = dict(message.get("mirrors", {}))
            peer.starting = bool(message.get("starting"))
            peer.known = True
            for tag in list(self.pending_resync):
                if peer.states.get(tag) in IN_SERVICE and self.state(tag) not in IN_SERVICE:
                    self.pending_resync.discard(tag)
                    self.begin_resync(tag, "LifeKeeper started on the target")
        if revived:
            self.log("INFO", "comm_up", 10, "communication with %s established" % name)

    def heartbeat_loop(self, path):
        key = (path["local"], path["remote"])
        while not self.stop_event.is_set():
            began = _now()
            self.beat(path)
            self.stop_event.wait(max(0.05, self.hbeat - (_now() - began)))

    def beat(self, path, timeout=None):
        key = (path["local"], path["remote"])
        try:
            answer = client.send(path["remote"], self.port, self.hb_payload(key),
                                 timeout=timeout or min(self.hbeat, 2.0), source=path["local"])
        except client.NotRunning:
            return False
        if answer.get("ok"):
            self.note_peer(answer, key)
            return True
        return False

    def announce(self):
        """Tell the peers our states now (a heartbeat on every path) after a change."""
        threads = [threading.Thread(target=self.beat, args=(path, 1.0), daemon=True)
                   for path in self.data["comm_paths"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(2.0)

    def monitor_loop(self):
        while not self.stop_event.wait(0.2):
            if self.stopping:
                continue
            for name, peer in list(self.peers.items()):
                if peer.was_alive and not self.peer_alive(name):
                    with self.lock:
                        peer.was_alive = False
                    if peer.stopped:
                        self.log("INFO", "comm_down", 11,
                                 "all communication paths to %s are DEAD (graceful stop)" % name)
                        continue
                    self.log("WARN", "comm_down", 12,
                             "all communication paths to %s are DEAD: failover" % name)
                    threading.Thread(target=self.failover, args=(name,), daemon=True).start()
            self.mirror_view()

    # ------------------------------------------------------------------ mirrors
    def begin_resync(self, tag, why):
        with self.lock:
            seconds = float(knobs.load(self.paths).get("resync_seconds", 0))
            self.mirrors[tag] = {"state": "Resyncing", "start": _now(),
                                 "duration": max(seconds, 0.0), "base": 0.0}
        self.log("NOTIFY", "mirror", 20, "mirror %s: resynchronising to %s (%s)"
                 % (tag, self.node, why))

    def mirror_entry(self, tag):
        """{"state", "progress"} of this node as a target of mirror tag, or None."""
        with self.lock:
            entry = self.mirrors.get(tag)
            if entry is None:
                return None
            if entry["state"] == "Resyncing":
                knob = knobs.load(self.paths)
                elapsed = _now() - entry["start"]
                done = 1.0 if entry["duration"] <= 0 else min(1.0, elapsed / entry["duration"])
                progress = entry["base"] + (1.0 - entry["base"]) * done
                if knob.get("resync_never_ends"):
                    progress = min(progress, 0.99)
                elif progress >= 1.0:
                    self.mirrors[tag] = {"state": "Mirroring"}
                    self.log("NOTIFY", "mirror", 21, "mirror %s: target %s in sync"
                             % (tag, self.node))
                    return {"state": "Mirroring", "progress": 100}
                return {"state": "Resyncing", "progress": int(progress * 100)}
            if entry["state"] == "Paused":
                return {"state": "Paused", "progress": int(entry.get("progress", 0) * 100)}
            return {"state": "Mirroring", "progress": 100}

    def mirror_view(self):
        return dict((tag, self.mirror_entry(tag)) for tag in list(self.mirrors))

    def mirror_control(self, tag, action):
        with self.lock:
            entry = self.mirror_entry(tag) or {"state": "Mirroring", "progress": 100}
            progress = entry["progress"] / 100.0
            if action == "pause":
                self.mirrors[tag] = {"state": "Paused", "progress": progress}
            elif action == "resume":
                if entry["state"] == "Paused" and progress < 1.0:
                    seconds = float(knobs.load(self.paths).get("resync_seconds", 0))
                    self.mirrors[tag] = {"state": "Resyncing", "start": _now(),
                                         "duration": seconds * (1.0 - progress), "base": progress}
                elif entry["state"] == "Paused":
                    self.mirrors[tag] = {"state": "Mirroring"}
            elif action == "force":
                self.mirrors[tag] = {"state": "Mirroring"}
            elif action == "fullresync":
                self.begin_resync(tag, "full resync requested")
        self.log("NOTIFY", "mirror", 22, "mirror %s: %s on target %s" % (tag, action, self.node))
        return self.mirror_entry(tag)

    def mirror_report(self, tag):
        """Source and per-target states of mirror tag as seen from here."""
        prio = self.lcd.get(tag)["priorities"]
        nodes = sorted(prio, key=lambda n: (prio[n], n))
        states = {self.node: self.state(tag)}
        views = {}
        for name in nodes:
            if name == self.node:
                views[name] = self.mirror_entry(tag)
                continue
            peer = self.peers.get(name)
            if peer is None or not self.peer_alive(name):
                continue
            answer = self.query_peer(name)
            if answer is not None:
                states[name] = answer.get("states", {}).get(tag)
                views[name] = answer.get("mirrors", {}).get(tag)
        source = None
        for name in nodes:
            if states.get(name) in IN_SERVICE:
                source = name
                break
        targets = []
        for name in nodes:
            if name == source:
                continue
            view = views.get(name)
            if source is None or view is None:
                targets.append({"name": name, "state": "Unknown", "progress": None})
            else:
                targets.append({"name": name, "state": view["state"],
                                "progress": view["progress"]})
        return {"tag": tag, "source": source, "targets": targets}

    def query_peer(self, name):
        """Fresh states of a peer over its first live path, or None."""
        for path in self.data["comm_paths"]:
            if path["machine"] != name:
                continue
            try:
                answer = client.send(path["remote"], self.port, {"op": "states", "from": self.node},
                                     timeout=5.0, source=path["local"])
            except client.NotRunning:
                continue
            if answer.get("ok"):
                self.note_peer(answer)
                return answer
        return None

    def send_peer(self, name, payload, timeout=LOCK_TIMEOUT):
        last = None
        for path in self.data["comm_paths"]:
            if path["machine"] != name:
                continue
            try:
                return client.send(path["remote"], self.port, payload, timeout=timeout,
                                   source=path["local"])
            except client.NotRunning as exc:
                last = exc
        raise client.NotRunning(str(last or "no communication path to %s" % name))

    # ------------------------------------------------------------------ actions
    def restore_local(self, tags, cause, out):
        """Restore tags (already in dependency order) here. Returns the failed tag or None."""
        for tag in tags:
            current = self.state(tag)
            if current == "ISP":
                continue
            if current == "ISU":
                self.set_state(tag, "ISP", cause)
                continue
            out.append('BEGIN restore of "%s" on %s' % (tag, self.node))
            knob = knobs.load(self.paths)
            time.sleep(float(knob.get("resource_seconds", 0)))
            if tag in (knob.get("fail_restore_tags") or []):
                self.set_state(tag, "OSF", cause + ": restore script failed")
                out.append('END failed restore of "%s" on %s' % (tag, self.node))
                return tag
            self.set_state(tag, "ISP", cause)
            if self.lcd.is_mirror(tag):
                with self.lock:
                    self.mirrors.pop(tag, None)
                    self.pending_resync.discard(tag)
            out.append('END successful restore of "%s" on %s' % (tag, self.node))
        return None

    def remove_local(self, tags, cause, out, becomes_target=False):
        for tag in tags:
            current = self.state(tag)
            if current not in IN_SERVICE and current != "OSF":
                continue
            out.append('BEGIN remove of "%s" on %s' % (tag, self.node))
            if current in IN_SERVICE:
                time.sleep(float(knobs.load(self.paths).get("resource_seconds", 0)))
            self.set_state(tag, "OSU", cause)
            if self.lcd.is_mirror(tag) and becomes_target:
                with self.lock:
                    self.mirrors[tag] = {"state": "Mirroring"}
            out.append('END successful remove of "%s" on %s' % (tag, self.node))

    def wait_started(self, limit=60.0):
        deadline = _now() + limit
        while self.starting and _now() < deadline:
            time.sleep(0.05)
        return not self.starting

    def _local_action(self, tag, action):
        """Run action() for an operator's restore/remove of tag: the tag must exist, start-up
        must be over, one action at a time; peers hear the new states right after."""
        if self.lcd.get(tag) is None:
            return {"ok": False, "rc": 7, "err": 'resource "%s" does not exist' % tag}
        if not self.wait_started():
            return {"ok": False, "rc": 1, "err": "LifeKeeper on %s has not finished starting" % self.node}
        if not self.action_lock.acquire(timeout=LOCK_TIMEOUT):
            return {"ok": False, "rc": 1, "err": "another action is in progress on %s" % self.node}
        try:
            return action()
        finally:
            self.action_lock.release()
            self.announce()

    def do_restore(self, tag):
        return self._local_action(tag, lambda: self._restore(tag))

    def _restore(self, tag):
        out = []
        wanted = set(self.lcd.descendants(tag))
        holders = {}
        for name in self.lcd.peers():
            peer = self.peers[name]
            if not self.peer_alive(name):
                held = [t for t in wanted if peer.states.get(t) in IN_SERVICE]
                if peer.stopped and held:
                    return {"ok": False, "rc": 9, "out": out,
                            "err": 'cannot restore "%s" on %s: %s is in service on %s, where '
                                   'LifeKeeper is stopped' % (tag, self.node, held[0], name)}
                continue
            answer = self.query_peer(name)
            if answer is None:
                return {"ok": False, "rc": 9, "out": out,
                        "err": "communication with %s failed: cannot read its resource states"
                               % name}
            holders[name] = answer.get("states", {})
        # what must move: tag and its dependencies, plus whatever a holder runs on top of them
        changed = True
        while changed:
            changed = False
            for states in holders.values():
                for member in list(wanted):
                    if states.get(member) not in IN_SERVICE:
                        continue
                    for parent in self.lcd.ancestors(member):
                        if parent not in wanted and states.get(parent) in IN_SERVICE:
                            wanted.update(self.lcd.descendants(parent))
                            changed = True
        order = self.lcd.children_first(wanted)
        for member in order:
            if self.lcd.is_mirror(member) and self.state(member) not in IN_SERVICE:
                entry = self.mirror_entry(member)
                if entry and entry["state"] in ("Resyncing", "Paused"):
                    message = ('cannot restore "%s" on %s: mirror "%s" is %s to %s (%d%%); '
                               'wait until it is in sync' % (
                                   tag, self.node, member,
                                   "resynchronizing" if entry["state"] == "Resyncing" else "paused",
                                   self.node, entry["progress"]))
                    self.log("ERROR", "restore", 30, message)
                    return {"ok": False, "rc": 1, "out": out, "err": message}
        moving = False
        for name, states in holders.items():
            release = [t for t in order if states.get(t) in IN_SERVICE]
            if not release:
                continue
            moving = True
            self.log("NOTIFY", "switchover", 31, "switchover of %s from %s to %s"
                     % (", ".join(release), name, self.node))
            try:
                answer = self.send_peer(name, {"op": "release", "from": self.node, "tags": release})
            except client.NotRunning as exc:
                return {"ok": False, "rc": 9, "out": out,
                        "err": "communication with %s failed: %s" % (name, exc)}
            out.extend(answer.get("out", []))
            if not answer.get("ok"):
                return {"ok": False, "rc": answer.get("rc", 1), "out": out,
                        "err": answer.get("err", "remove on %s failed" % name)}
        moved_from = [name for name, states in holders.items()
                      if any(states.get(t) in IN_SERVICE for t in order)]
        cause = "switchover from %s" % ", ".join(moved_from) if moving else "restore"
        failed = self.restore_local(order, cause, out)
        if failed:
            return {"ok": False, "rc": 1, "out": out,
                    "err": 'restore of "%s" failed on %s: "%s" is OSF' % (tag, self.node, failed)}
        return {"ok": True, "rc": 0, "out": out}

    def do_release(self, request):
        """A peer takes tags over: remove them (and what runs on top of them) here."""
        if not self.action_lock.acquire(timeout=LOCK_TIMEOUT):
            return {"ok": False, "rc": 1, "err": "another action is in progress on %s" % self.node}
        try:
            tags = [t for t in request.get("tags", []) if self.lcd.get(t) is not None]
            closure = set(tags)
            for tag in tags:
                closure.update(a for a in self.lcd.ancestors(tag) if self.state(a) in IN_SERVICE)
            out = []
            self.remove_local(self.lcd.parents_first(closure),
                              "switchover to %s" % request.get("from"), out, becomes_target=True)
            return {"ok": True, "rc": 0, "out": out}
        finally:
            self.action_lock.release()
            self.announce()

    def do_remove(self, tag):
        return self._local_action(tag, lambda: self._remove(tag))

    def _remove(self, tag):
        """Take tag and everything in service above it out of service, parents first."""
        closure = [tag] + [a for a in self.lcd.ancestors(tag) if self.state(a) in IN_SERVICE]
        out = []
        self.remove_local(self.lcd.parents_first(closure), "remove", out)
        return {"ok": True, "rc": 0, "out": out}

    def failover(self, name):
        with self.action_lock:
            peer = self.peers[name]
            if peer.stopped or self.peer_alive(name) or self.stopping:
                return
            with self.lock:
                held = [t for t in self.lcd.tags() if peer.states.get(t) in IN_SERVICE]
            done = set()
            for tag in held:
                if tag in done:
                    continue
                group = self.lcd.hierarchy_of(tag)
                done.update(group)
                take = set()
                for member in group:
                    if peer.states.get(member) in IN_SERVICE:
                        take.update(self.lcd.descendants(member))
                root = [t for t in group if not self.lcd.parents(t)][0]
                prio = self.lcd.get(root)["priorities"]
                live = [n for n in prio if n != name and (
                    n == self.node or (self.peer_alive(n) and not self.peers[n].stopped))]
                live.sort(key=lambda n: (prio[n], n))
                if not live or live[0] != self.node:
                    continue
                order = self.lcd.children_first(take)
                blocked = [t for t in order if self.lcd.is_mirror(t) and self.state(t) not in IN_SERVICE
                           and (self.mirror_entry(t) or {}).get("state") in ("Resyncing", "Paused")]
                if blocked:
                    self.log("ERROR", "failover", 40, "cannot fail over %s from %s: mirror %s is "
                             "not in sync on %s" % (root, name, blocked[0], self.node))
                    continue
                out = []
                failed = self.restore_local(order, "failover from %s" % name, out)
                if failed:
                    self.log("ERROR", "failover", 41, "failover of %s from %s failed at %s"
                             % (root, name, failed))
                else:
                    self.log("NOTIFY", "failover", 42, "failover of %s from %s complete"
                             % (root, name))
            with self.lock:
                for tag in held:
                    peer.states[tag] = "OSU"
        self.announce()

    def do_stop(self, force):
        if not self.action_lock.acquire(timeout=LOCK_TIMEOUT):
            return {"ok": False, "rc": 1, "err": "another action is in progress on %s" % self.node}
        try:
            out = []
            if not force:
                in_service = [t for t in self.lcd.tags() if self.state(t) in IN_SERVICE]
                self.remove_local(self.lcd.parents_first(in_service), "lkstop", out)
            self.stopping = True
            for name in self.peers:
                try:
                    self.send_peer(name, dict(self.hb_payload(), op="peer_stop"), timeout=1.0)
                except client.NotRunning:
                    pass
            with self.lock:
                self.data["running"] = False
                lcd.save(self.paths, self.data)
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

    # ------------------------------------------------------------------ requests
    def status(self):
        with self.lock:
            data = json.loads(json.dumps(self.data))
            for res in data["resources"]:
                if self.starting:
                    res["state"] = "ILLSTATE"
            for path in data["comm_paths"]:
                path["state"] = "ALIVE" if self.path_alive((path["local"], path["remote"])) else "DEAD"
        return {"ok": True, "rc": 0, "lcd": data, "starting": self.starting}

    def dispatch(self, request):
        op = request.get("op")
        if op == "ping":
            return {"ok": True, "node": self.node, "starting": self.starting}
        if op == "hb":
            if self.stopping:
                return {"ok": False, "stopped": True}
            key = request.get("path")
            if key:
                self.note_peer(request, (key[1], key[0]))
            mine = (key[1], key[0]) if key else None
            return dict(self.hb_payload(mine), ok=True)
        if op == "states":
            return dict(self.hb_payload(), ok=True)
        if op == "peer_stop":
            name = request.get("from")
            if name in self.peers:
                with self.lock:
                    peer = self.peers[name]
                    peer.stopped = True
                    peer.stopped_boot = request.get("boot")
                    peer.states = dict(request.get("states", {}))
                    for path in self.data["comm_paths"]:
                        if path["machine"] == name:
                            self.last_seen[(path["local"], path["remote"])] = 0.0
                self.log("INFO", "comm_down", 13, "%s announced that LifeKeeper stops there" % name)
            return {"ok": True}
        if op == "status":
            return self.status()
        if op == "restore":
            return self.do_restore(request.get("tag"))
        if op == "remove":
            return self.do_remove(request.get("tag"))
        if op == "release":
            return self.do_release(request)
        if op == "stop":
            return self.do_stop(bool(request.get("force")))
        if op in ("mirror_status", "mirror_action"):
            tag = request.get("tag")
            if self.lcd.get(tag) is None:
                return {"ok": False, "rc": 7, "err": 'resource "%s" does not exist' % tag}
            if not self.lcd.is_mirror(tag):
                return {"ok": False, "rc": 5, "err": 'resource "%s" is not a mirror' % tag}
            if op == "mirror_status":
                return dict(self.mirror_report(tag), ok=True, rc=0)
            return self.do_mirror_action(request)
        if op == "mirror_ctl":
            return {"ok": True, "entry": self.mirror_control(request["tag"], request["action"])}
        return {"ok": False, "rc": 2, "err": "unknown request %r" % op}

    def do_mirror_action(self, request):
        tag, action = request["tag"], request["action"]
        report = self.mirror_report(tag)
        targets = request.get("targets") or [t["name"] for t in report["targets"]]
        out = []
        for name in targets:
            if name not in [t["name"] for t in report["targets"]]:
                return {"ok": False, "rc": 5, "out": out,
                        "err": "%s is not a target of mirror %s" % (name, tag)}
            if name == self.node:
                self.mirror_control(tag, action)
            else:
                try:
                    self.send_peer(name, {"op": "mirror_ctl", "tag": tag, "action": action},
                                   timeout=10.0)
                except client.NotRunning as exc:
                    return {"ok": False, "rc": 9, "out": out,
                            "err": "communication with %s failed: %s" % (name, exc)}
            out.append("%s: %s of target %s done" % (tag, action, name))
        return {"ok": True, "rc": 0, "out": out}

    # ------------------------------------------------------------------ life cycle
    def start(self):
        for address in self.info["addresses"]:
            server = _Server((address, self.port), _Handler, bind_and_activate=True)
            server.lcm = self
            self.servers.append(server)
        os.makedirs(self.paths.run_dir, exist_ok=True)
        with open(self.paths.pid_file, "w") as handle:
            handle.write("%d\n" % os.getpid())
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
            lcd.save(self.paths, self.data)
            self.pending_resync = set(t for t in self.lcd.tags()
                                      if self.lcd.is_mirror(t) and self.state(t) not in IN_SERVICE)
        self.log("NOTIFY", "lcm_start", 1, "LifeKeeper starting on %s (port %d)" % (self.node, self.port))
        for server in self.servers:
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                             daemon=True).start()
        for path in self.data["comm_paths"]:
            self.beat(path, timeout=0.5)
        for path in self.data["comm_paths"]:
            threading.Thread(target=self.heartbeat_loop, args=(path,), daemon=True).start()
        threading.Thread(target=self.monitor_loop, daemon=True).start()
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
    if pid and pid != os.getpid() and _is_daemon(pid):
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


# ---------------------------------------------------------------------- process control
def read_pid(paths):
    try:
        with open(paths.pid_file) as handle:
            return int(handle.read().strip() or 0)
    except (IOError, OSError, ValueError):
        return 0


def _is_daemon(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            args = handle.read().split(b"\0")
    except (IOError, OSError):
        return False
    return b"lksim" in args and b"daemon" in args


def daemon_pid(paths):
    """Pid of the node's daemon if it is alive, else 0."""
    pid = read_pid(paths)
    return pid if pid and _is_daemon(pid) else 0


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
        if not _is_daemon(pid):
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
