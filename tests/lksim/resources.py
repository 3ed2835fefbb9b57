"""Resources of a node's daemon: restore, remove, switchover hand-off and failover.

Resources(lcm) carries out the operator's restore/remove (children first, parents first),
the peer side of a switchover (release) and the failover of a dead peer's hierarchies
(ASSUMPTIONS.md, "Resources" and "The LCM (daemon) and comm paths").
"""
import time

from lksim import client, knobs, lcd
from lksim.membership import LOCK_TIMEOUT

IN_SERVICE = lcd.IN_SERVICE


class Resources(object):
    def __init__(self, lcm):
        self.lcm = lcm

    # ------------------------------------------------------------------ local actions
    def restore_local(self, tags, cause, out):
        """Restore tags (already in dependency order) here. Returns the failed tag or None."""
        lcm = self.lcm
        for tag in tags:
            current = lcm.state(tag)
            if current == "ISP":
                continue
            if current == "ISU":
                lcm.set_state(tag, "ISP", cause)
                continue
            out.append('BEGIN restore of "%s" on %s' % (tag, lcm.node))
            knob = knobs.load(lcm.paths)
            time.sleep(float(knob.get("resource_seconds", 0)))
            if tag in (knob.get("fail_restore_tags") or []):
                lcm.set_state(tag, "OSF", cause + ": restore script failed")
                out.append('END failed restore of "%s" on %s' % (tag, lcm.node))
                return tag
            lcm.set_state(tag, "ISP", cause)
            if lcm.lcd.is_mirror(tag):
                lcm.mirrors.restored_here(tag)
            out.append('END successful restore of "%s" on %s' % (tag, lcm.node))
        return None

    def remove_local(self, tags, cause, out, becomes_target=False):
        lcm = self.lcm
        for tag in tags:
            current = lcm.state(tag)
            if current not in IN_SERVICE and current != "OSF":
                continue
            out.append('BEGIN remove of "%s" on %s' % (tag, lcm.node))
            if current in IN_SERVICE:
                time.sleep(float(knobs.load(lcm.paths).get("resource_seconds", 0)))
            lcm.set_state(tag, "OSU", cause)
            if lcm.lcd.is_mirror(tag) and becomes_target:
                lcm.mirrors.released_here(tag)
            out.append('END successful remove of "%s" on %s' % (tag, lcm.node))

    def wait_started(self, limit=60.0):
        lcm = self.lcm
        deadline = time.time() + limit
        while lcm.starting and time.time() < deadline:
            time.sleep(0.05)
        return not lcm.starting

    def _local_action(self, tag, action):
        """Run action() for an operator's restore/remove of tag: the tag must exist, start-up
        must be over, one action at a time; peers hear the new states right after."""
        lcm = self.lcm
        if lcm.lcd.get(tag) is None:
            return {"ok": False, "rc": 7, "err": 'resource "%s" does not exist' % tag}
        if not self.wait_started():
            return {"ok": False, "rc": 1, "err": "LifeKeeper on %s has not finished starting" % lcm.node}
        if not lcm.action_lock.acquire(timeout=LOCK_TIMEOUT):
            return {"ok": False, "rc": 1, "err": "another action is in progress on %s" % lcm.node}
        try:
            return action()
        finally:
            lcm.action_lock.release()
            lcm.membership.announce()

    # ------------------------------------------------------------------ restore = switchover
    def do_restore(self, tag):
        return self._local_action(tag, lambda: self._restore(tag))

    def _holders(self, tag, wanted, out):
        """({peer: its fresh states} of the live peers, None) or (None, an error answer)."""
        lcm = self.lcm
        holders = {}
        for name in lcm.lcd.peers():
            peer = lcm.membership.peers[name]
            if not lcm.membership.peer_alive(name):
                held = [t for t in wanted if peer.states.get(t) in IN_SERVICE]
                if peer.stopped and held:
                    return None, {"ok": False, "rc": 9, "out": out,
                                  "err": 'cannot restore "%s" on %s: %s is in service on %s, '
                                         'where LifeKeeper is stopped'
                                         % (tag, lcm.node, held[0], name)}
                continue
            answer = lcm.membership.query_peer(name)
            if answer is None:
                return None, {"ok": False, "rc": 9, "out": out,
                              "err": "communication with %s failed: cannot read its resource "
                                     "states" % name}
            holders[name] = answer.get("states", {})
        return holders, None

    def _restore(self, tag):
        lcm = self.lcm
        out = []
        wanted = set(lcm.lcd.descendants(tag))
        holders, error = self._holders(tag, wanted, out)
        if error:
            return error
        # what must move: tag and its dependencies, plus whatever a holder runs on top of them
        changed = True
        while changed:
            changed = False
            for states in holders.values():
                for member in list(wanted):
                    if states.get(member) not in IN_SERVICE:
                        continue
                    for parent in lcm.lcd.ancestors(member):
                        if parent not in wanted and states.get(parent) in IN_SERVICE:
                            wanted.update(lcm.lcd.descendants(parent))
                            changed = True
        order = lcm.lcd.children_first(wanted)
        for member in order:
            if lcm.lcd.is_mirror(member) and lcm.state(member) not in IN_SERVICE:
                entry = lcm.mirrors.not_in_sync(member)
                if entry:
                    message = ('cannot restore "%s" on %s: mirror "%s" is %s to %s (%d%%); '
                               'wait until it is in sync' % (
                                   tag, lcm.node, member,
                                   "resynchronizing" if entry["state"] == "Resyncing" else "paused",
                                   lcm.node, entry["progress"]))
                    lcm.log("ERROR", "restore", 30, message)
                    return {"ok": False, "rc": 1, "out": out, "err": message}
        moving = False
        for name, states in holders.items():
            release = [t for t in order if states.get(t) in IN_SERVICE]
            if not release:
                continue
            moving = True
            lcm.log("NOTIFY", "switchover", 31, "switchover of %s from %s to %s"
                    % (", ".join(release), name, lcm.node))
            try:
                answer = lcm.membership.send_peer(name, {"op": "release", "from": lcm.node,
                                                         "tags": release})
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
                    "err": 'restore of "%s" failed on %s: "%s" is OSF' % (tag, lcm.node, failed)}
        return {"ok": True, "rc": 0, "out": out}

    def do_release(self, request):
        """A peer takes tags over: remove them (and what runs on top of them) here."""
        lcm = self.lcm
        if not lcm.action_lock.acquire(timeout=LOCK_TIMEOUT):
            return {"ok": False, "rc": 1, "err": "another action is in progress on %s" % lcm.node}
        try:
            tags = [t for t in request.get("tags", []) if lcm.lcd.get(t) is not None]
            closure = set(tags)
            for tag in tags:
                closure.update(a for a in lcm.lcd.ancestors(tag) if lcm.state(a) in IN_SERVICE)
            out = []
            self.remove_local(lcm.lcd.parents_first(closure),
                              "switchover to %s" % request.get("from"), out, becomes_target=True)
            return {"ok": True, "rc": 0, "out": out}
        finally:
            lcm.action_lock.release()
            lcm.membership.announce()

    # ------------------------------------------------------------------ remove
    def do_remove(self, tag):
        return self._local_action(tag, lambda: self._remove(tag))

    def _remove(self, tag):
        """Take tag and everything in service above it out of service, parents first."""
        lcm = self.lcm
        closure = [tag] + [a for a in lcm.lcd.ancestors(tag) if lcm.state(a) in IN_SERVICE]
        out = []
        self.remove_local(lcm.lcd.parents_first(closure), "remove", out)
        return {"ok": True, "rc": 0, "out": out}

    def remove_all(self, cause, out):
        """Everything in service here out of service, parents first (a plain stop)."""
        lcm = self.lcm
        in_service = [t for t in lcm.lcd.tags() if lcm.state(t) in IN_SERVICE]
        self.remove_local(lcm.lcd.parents_first(in_service), cause, out)

    # ------------------------------------------------------------------ failover
    def failover(self, name):
        lcm = self.lcm
        membership = lcm.membership
        with lcm.action_lock:
            peer = membership.peers.get(name)
            if peer is None or peer.stopped or membership.peer_alive(name) or lcm.stopping:
                return      # removed from the cluster, stopped gracefully, back, or we stop
            with lcm.lock:
                held = [t for t in lcm.lcd.tags() if peer.states.get(t) in IN_SERVICE]
            done = set()
            for tag in held:
                if tag in done:
                    continue
                group = lcm.lcd.hierarchy_of(tag)
                done.update(group)
                self._fail_over_hierarchy(name, peer, group)
            with lcm.lock:
                for tag in held:
                    peer.states[tag] = "OSU"
        membership.announce()

    def _fail_over_hierarchy(self, name, peer, group):
        """Restore here what the dead peer had in service of one hierarchy, if this node is
        the live node with the best priority for its root."""
        lcm = self.lcm
        take = set()
        for member in group:
            if peer.states.get(member) in IN_SERVICE:
                take.update(lcm.lcd.descendants(member))
        root = [t for t in group if not lcm.lcd.parents(t)][0]
        prio = lcm.lcd.get(root)["priorities"]
        live = [n for n in prio if n != name and (n == lcm.node or lcm.membership.usable(n))]
        live.sort(key=lambda n: (prio[n], n))
        if not live or live[0] != lcm.node:
            return
        order = lcm.lcd.children_first(take)
        blocked = [t for t in order if lcm.lcd.is_mirror(t) and lcm.state(t) not in IN_SERVICE
                   and lcm.mirrors.not_in_sync(t)]
        if blocked:
            lcm.log("ERROR", "failover", 40, "cannot fail over %s from %s: mirror %s is "
                    "not in sync on %s" % (root, name, blocked[0], lcm.node))
            return
        out = []
        failed = self.restore_local(order, "failover from %s" % name, out)
        if failed:
            lcm.log("ERROR", "failover", 41, "failover of %s from %s failed at %s"
                    % (root, name, failed))
        else:
            lcm.log("NOTIFY", "failover", 42, "failover of %s from %s complete"
                    % (root, name))
