"""Cluster membership of a node's daemon: peers, communication paths and heartbeats.

Membership(lcm) beats on every comm path, keeps what each peer last said (its resource
and mirror target states, starting, stopped), decides path and peer liveness, and starts
a failover when all paths to a peer go DEAD without an announced stop (ASSUMPTIONS.md,
"The LCM (daemon) and comm paths").
"""
import threading
import time

from lksim import client, knobs

LOCK_TIMEOUT = 300


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


class Membership(object):
    def __init__(self, lcm):
        self.lcm = lcm
        self.peers = dict((name, Peer(name)) for name in lcm.lcd.peers())
        self.last_seen = dict(((p["local"], p["remote"]), 0.0) for p in lcm.data["comm_paths"])
        self.path_up = {}           # path key -> ALIVE at the last monitor round
        self.comm_downs = {}        # path key -> ALIVE -> DEAD transitions seen since start

    @property
    def comm_paths(self):
        return self.lcm.data["comm_paths"]

    # ------------------------------------------------------------------ liveness
    def path_alive(self, key):
        lcm = self.lcm
        return time.time() - self.last_seen.get(key, 0.0) < lcm.hbeat * lcm.numhbeats

    def peer_alive(self, name):
        return any(self.path_alive((p["local"], p["remote"]))
                   for p in self.comm_paths if p["machine"] == name)

    def count_comm_downs(self):
        """Count the paths that went from ALIVE to DEAD since the last round."""
        for path in self.comm_paths:
            key = (path["local"], path["remote"])
            alive = self.path_alive(key)
            if self.path_up.get(key) and not alive:
                self.comm_downs[key] = self.comm_downs.get(key, 0) + 1
            self.path_up[key] = alive

    def usable(self, name):
        """A peer that is alive and did not announce a stop (a failover or switchover target)."""
        return self.peer_alive(name) and not self.peers[name].stopped

    def refused(self, address):
        """True when knob lcm_refuse_from lists address: no connection from or to it."""
        return address in (knobs.load(self.lcm.paths).get("lcm_refuse_from") or [])

    def _send(self, path, payload, timeout):
        """client.send over one comm path (from its local to its remote address)."""
        if self.refused(path["remote"]):
            raise client.NotRunning("%s:%s: blocked (knob lcm_refuse_from)"
                                    % (path["remote"], self.lcm.port))
        return client.send(path["remote"], self.lcm.port, payload, timeout=timeout,
                           source=path["local"])

    # ------------------------------------------------------------------ heartbeats
    def hb_payload(self, key=None):
        lcm = self.lcm
        return {"op": "hb", "from": lcm.node, "path": list(key) if key else None,
                "states": lcm.real_states(), "mirrors": lcm.mirrors.view(),
                "starting": lcm.starting, "stopped": lcm.stopping, "boot": lcm.started_at}

    def note_peer(self, message, key=None):
        """Update what we know of a peer from its heartbeat or state answer."""
        lcm = self.lcm
        name = message.get("from")
        if name not in self.peers:
            return
        revived = False
        with lcm.lock:
            peer = self.peers[name]
            if key is not None:
                if message.get("stopped"):
                    return
                if peer.stopped and message.get("boot") == peer.stopped_boot:
                    return   # a beat of the run that announced its stop, arriving late
                revived = not peer.was_alive
                self.last_seen[key] = time.time()
                peer.was_alive = True
                peer.stopped = False
            peer.states = dict(message.get("states", {}))
            peer.mirrors = dict(message.get("mirrors", {}))
            peer.starting = bool(message.get("starting"))
            peer.known = True
            lcm.mirrors.peer_seen(peer.states)
        if revived:
            lcm.log("INFO", "comm_up", 10, "communication with %s established" % name)

    def known(self, request):
        """A peer request (hb, states, release) comes from a system of our LCD. A system this
        node does not know (removed by rmlk, not re-learned) gets no answer to count on: its
        comm paths stay DEAD on its side too."""
        name = request.get("from")
        return name is None or name in self.peers

    def unknown_answer(self, request):
        return {"ok": False, "rc": 9, "err": "%s is not a system of %s's cluster"
                % (request.get("from"), self.lcm.node)}

    def answer_heartbeat(self, request):
        """The answer to a peer's heartbeat on one of our paths (the request names its path)."""
        if self.lcm.stopping:
            return {"ok": False, "stopped": True}
        if not self.known(request):
            return self.unknown_answer(request)
        key = request.get("path")
        if key:
            self.note_peer(request, (key[1], key[0]))
        mine = (key[1], key[0]) if key else None
        return dict(self.hb_payload(mine), ok=True)

    def heartbeat_loop(self, path):
        lcm = self.lcm
        while not lcm.stop_event.is_set() and path in self.comm_paths:
            began = time.time()
            self.beat(path)
            lcm.stop_event.wait(max(0.05, lcm.hbeat - (time.time() - began)))

    def beat(self, path, timeout=None):
        lcm = self.lcm
        key = (path["local"], path["remote"])
        try:
            answer = self._send(path, self.hb_payload(key), timeout or min(lcm.hbeat, 2.0))
        except client.NotRunning:
            return False
        if answer.get("ok"):
            self.note_peer(answer, key)
            return True
        return False

    def announce(self):
        """Tell the peers our states now (a heartbeat on every path) after a change."""
        threads = [threading.Thread(target=self.beat, args=(path, 1.0), daemon=True)
                   for path in self.comm_paths]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(2.0)

    def start_beating(self):
        """One heartbeat round now, then a heartbeat thread per path."""
        for path in self.comm_paths:
            self.beat(path, timeout=0.5)
        for path in self.comm_paths:
            threading.Thread(target=self.heartbeat_loop, args=(path,), daemon=True).start()

    def monitor_loop(self):
        lcm = self.lcm
        while not lcm.stop_event.wait(0.2):
            if lcm.stopping:
                continue
            self.count_comm_downs()
            for name, peer in list(self.peers.items()):
                if peer.was_alive and not self.peer_alive(name):
                    with lcm.lock:
                        peer.was_alive = False
                    if peer.stopped:
                        lcm.log("INFO", "comm_down", 11,
                                "all communication paths to %s are DEAD (graceful stop)" % name)
                        continue
                    lcm.log("WARN", "comm_down", 12,
                            "all communication paths to %s are DEAD: failover" % name)
                    threading.Thread(target=lcm.resources.failover, args=(name,),
                                     daemon=True).start()
            lcm.mirrors.view()

    # ------------------------------------------------------------------ stops
    def peer_stopped(self, request):
        """A peer announced a graceful stop: its paths are DEAD at once, no failover."""
        lcm = self.lcm
        name = request.get("from")
        if name in self.peers:
            with lcm.lock:
                peer = self.peers[name]
                peer.stopped = True
                peer.stopped_boot = request.get("boot")
                peer.states = dict(request.get("states", {}))
                for path in self.comm_paths:
                    if path["machine"] == name:
                        self.last_seen[(path["local"], path["remote"])] = 0.0
            lcm.log("INFO", "comm_down", 13, "%s announced that LifeKeeper stops there" % name)
        return {"ok": True}

    def announce_stop(self):
        """Tell every peer that LifeKeeper stops here (best effort)."""
        for name in self.peers:
            try:
                self.send_peer(name, dict(self.hb_payload(), op="peer_stop"), timeout=1.0)
            except client.NotRunning:
                pass

    def forget(self, request):
        """rmlk on a peer removes it from the cluster: drop its comm paths, its system entry
        and every equivalency (resource priority) with it; save the LCD."""
        lcm = self.lcm
        name = request.get("node")
        if name == lcm.node or name not in lcm.data["systems"]:
            return {"ok": False, "rc": 7, "err": "%s is not a peer system of %s" % (name, lcm.node)}
        with lcm.lock:
            lcm.data["comm_paths"][:] = [p for p in lcm.data["comm_paths"] if p["machine"] != name]
            del lcm.data["systems"][name]
            for res in lcm.data["resources"]:
                res["priorities"].pop(name, None)
            self.peers.pop(name, None)
            for key in [k for k in self.last_seen if k not in
                        [(p["local"], p["remote"]) for p in lcm.data["comm_paths"]]]:
                self.last_seen.pop(key, None)
            lcm.save()
        lcm.log("NOTIFY", "comm_remove", 14, "%s was removed from the cluster (rmlk on %s): its "
                "communication paths and equivalencies are gone" % (name, name))
        return {"ok": True, "rc": 0}

    # ------------------------------------------------------------------ talking to peers
    def query_peer(self, name):
        """Fresh states of a peer over its first live path, or None."""
        lcm = self.lcm
        for path in self.comm_paths:
            if path["machine"] != name:
                continue
            try:
                answer = self._send(path, {"op": "states", "from": lcm.node}, 5.0)
            except client.NotRunning:
                continue
            if answer.get("ok"):
                self.note_peer(answer)
                return answer
        return None

    def send_peer(self, name, payload, timeout=LOCK_TIMEOUT):
        last = None
        for path in self.comm_paths:
            if path["machine"] != name:
                continue
            try:
                return self._send(path, payload, timeout)
            except client.NotRunning as exc:
                last = exc
        raise client.NotRunning(str(last or "no communication path to %s" % name))
