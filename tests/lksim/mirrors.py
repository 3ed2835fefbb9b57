"""DataKeeper mirrors as the node's daemon keeps them (see ASSUMPTIONS.md, "Mirrors").

A node is a target of mirror TAG while the mirror resource is out of service here and in
service on a peer. Mirrors(lcm) holds this node's target states (Resyncing, Paused,
Mirroring), starts resyncs, answers mirror_status and carries out mirror_action.
"""
import time

from lksim import client, knobs, lcd

IN_SERVICE = lcd.IN_SERVICE
NOT_IN_SYNC = ("Resyncing", "Paused")


class Mirrors(object):
    def __init__(self, lcm):
        self.lcm = lcm
        self.targets = {}           # tag -> this node's state as a mirror target
        self.pending_resync = set()

    # ------------------------------------------------------------------ life cycle hooks
    def at_start(self):
        """Mirrors out of service here resync once a peer is seen with them in service."""
        lcm = self.lcm
        self.pending_resync = set(t for t in lcm.lcd.tags()
                                  if lcm.lcd.is_mirror(t) and lcm.state(t) not in IN_SERVICE)

    def peer_seen(self, states):
        """A peer's states arrived (under lcm.lock): start the resyncs that waited for it."""
        for tag in list(self.pending_resync):
            if states.get(tag) in IN_SERVICE and self.lcm.state(tag) not in IN_SERVICE:
                self.pending_resync.discard(tag)
                self.begin_resync(tag, "LifeKeeper started on the target")

    def restored_here(self, tag):
        """This node became the source of mirror tag."""
        with self.lcm.lock:
            self.targets.pop(tag, None)
            self.pending_resync.discard(tag)

    def released_here(self, tag):
        """A switchover took mirror tag away from here: this node is a target in sync."""
        with self.lcm.lock:
            self.targets[tag] = {"state": "Mirroring"}

    # ------------------------------------------------------------------ target states
    def begin_resync(self, tag, why):
        lcm = self.lcm
        with lcm.lock:
            seconds = float(knobs.load(lcm.paths).get("resync_seconds", 0))
            self.targets[tag] = {"state": "Resyncing", "start": time.time(),
                                 "duration": max(seconds, 0.0), "base": 0.0}
        lcm.log("NOTIFY", "mirror", 20, "mirror %s: resynchronising to %s (%s)"
                % (tag, lcm.node, why))

    def entry(self, tag):
        """{"state", "progress"} of this node as a target of mirror tag, or None."""
        lcm = self.lcm
        with lcm.lock:
            entry = self.targets.get(tag)
            if entry is None:
                return None
            if entry["state"] == "Resyncing":
                knob = knobs.load(lcm.paths)
                elapsed = time.time() - entry["start"]
                done = 1.0 if entry["duration"] <= 0 else min(1.0, elapsed / entry["duration"])
                progress = entry["base"] + (1.0 - entry["base"]) * done
                if knob.get("resync_never_ends"):
                    progress = min(progress, 0.99)
                elif progress >= 1.0:
                    self.targets[tag] = {"state": "Mirroring"}
                    lcm.log("NOTIFY", "mirror", 21, "mirror %s: target %s in sync"
                            % (tag, lcm.node))
                    return {"state": "Mirroring", "progress": 100}
                return {"state": "Resyncing", "progress": int(progress * 100)}
            if entry["state"] == "Paused":
                return {"state": "Paused", "progress": int(entry.get("progress", 0) * 100)}
            return {"state": "Mirroring", "progress": 100}

    def not_in_sync(self, tag):
        """The entry of tag when this node is a target still Resyncing or Paused, else None."""
        entry = self.entry(tag)
        return entry if entry and entry["state"] in NOT_IN_SYNC else None

    def view(self):
        return dict((tag, self.entry(tag)) for tag in list(self.targets))

    def control(self, tag, action):
        lcm = self.lcm
        with lcm.lock:
            entry = self.entry(tag) or {"state": "Mirroring", "progress": 100}
            progress = entry["progress"] / 100.0
            if action == "pause":
                self.targets[tag] = {"state": "Paused", "progress": progress}
            elif action == "resume":
                if entry["state"] == "Paused" and progress < 1.0:
                    seconds = float(knobs.load(lcm.paths).get("resync_seconds", 0))
                    self.targets[tag] = {"state": "Resyncing", "start": time.time(),
                                         "duration": seconds * (1.0 - progress), "base": progress}
                elif entry["state"] == "Paused":
                    self.targets[tag] = {"state": "Mirroring"}
            elif action == "force":
                self.targets[tag] = {"state": "Mirroring"}
            elif action == "fullresync":
                self.begin_resync(tag, "full resync requested")
        lcm.log("NOTIFY", "mirror", 22, "mirror %s: %s on target %s" % (tag, action, lcm.node))
        return self.entry(tag)

    # ------------------------------------------------------------------ commands
    def report(self, tag):
        """Source and per-target states of mirror tag as seen from here."""
        lcm = self.lcm
        prio = lcm.lcd.get(tag)["priorities"]
        nodes = sorted(prio, key=lambda n: (prio[n], n))
        states = {lcm.node: lcm.state(tag)}
        views = {}
        for name in nodes:
            if name == lcm.node:
                views[name] = self.entry(tag)
                continue
            if name not in lcm.membership.peers or not lcm.membership.peer_alive(name):
                continue
            answer = lcm.membership.query_peer(name)
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

    def do_action(self, request):
        lcm = self.lcm
        tag, action = request["tag"], request["action"]
        report = self.report(tag)
        targets = request.get("targets") or [t["name"] for t in report["targets"]]
        out = []
        for name in targets:
            if name not in [t["name"] for t in report["targets"]]:
                return {"ok": False, "rc": 5, "out": out,
                        "err": "%s is not a target of mirror %s" % (name, tag)}
            if name == lcm.node:
                self.control(tag, action)
            else:
                try:
                    lcm.membership.send_peer(name, {"op": "mirror_ctl", "tag": tag,
                                                    "action": action}, timeout=10.0)
                except client.NotRunning as exc:
                    return {"ok": False, "rc": 9, "out": out,
                            "err": "communication with %s failed: %s" % (name, exc)}
            out.append("%s: %s of target %s done" % (tag, action, name))
        return {"ok": True, "rc": 0, "out": out}

    def dispatch(self, op, request):
        """Answer a mirror_status / mirror_action request (tag checked here)."""
        lcm = self.lcm
        tag = request.get("tag")
        if lcm.lcd.get(tag) is None:
            return {"ok": False, "rc": 7, "err": 'resource "%s" does not exist' % tag}
        if not lcm.lcd.is_mirror(tag):
            return {"ok": False, "rc": 5, "err": 'resource "%s" is not a mirror' % tag}
        if op == "mirror_status":
            return dict(self.report(tag), ok=True, rc=0)
        return self.do_action(request)
