#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r"""
module: lk_resource_switch
short_description: Bring LifeKeeper resource hierarchies in service on this node (switchover) or out of service
version_added: 1.0.0
author:
  - hatools developers (@hatools)
description:
  - With O(state=in_service), restores each hierarchy on this node (C(lkcli resource restore --tag TAG)
    on 9.x, C(perform_action -t TAG -a restore) on 8.x). A hierarchy in service on another node is
    switched over to this node.
  - With O(state=out_of_service), takes each hierarchy out of service on this node
    (C(lkcli resource remove --tag TAG) / C(perform_action -t TAG -a remove)).
  - Waits (polling inside the module) until every resource of each hierarchy is C(ISP) here
    (O(state=in_service)) or C(OSU) here (O(state=out_of_service)). Hierarchies already in that
    state are left alone.
  - Unknown tags fail before anything changes, with the tags known to this node listed.
  - A switchover onto this node is refused while a DataKeeper mirror of the hierarchy (a
    resource of type C(scsi/netraid), read from the long status display, whatever its tag) is
    not in sync on this node, or its state cannot be read, unless O(wait_for_mirror_sync=true).
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
  - hatools.lifekeeper.lifekeeper.progress
  - hatools.lifekeeper.lifekeeper.requirements
attributes:
  check_mode:
    support: full
    details:
      - Check mode reads the states (and mirror states) and predicts the change without running
        restore or remove.
  diff_mode:
    support: full
    details:
      - The local state of each root tag before and after.
  platform:
    platforms: posix
options:
  tags:
    description:
      - Tags of the resource hierarchies to act on (normally hierarchy root tags).
      - Empty or omitted means every hierarchy known to this node.
    type: list
    elements: str
    default: []
  state:
    description:
      - V(in_service) brings the hierarchies in service here (switching them over from wherever they are).
      - V(out_of_service) takes them out of service here.
    type: str
    choices: [in_service, out_of_service]
    default: in_service
  wait_for_mirror_sync:
    description:
      - When a mirror of a hierarchy to bring in service here is resynchronising on this node, wait
        (within O(timeout)) until it is in sync instead of failing.
    type: bool
    default: false
notes:
  - O(timeout) applies to each hierarchy (its restore or remove command included) and to the wait
    for mirror sync; a restore or remove still running at the end of it is killed with its process group.
  - The hierarchies are handled one after the other, in the order given.
  - The layout of the long status display (for the resource types) and the output of C(mirror_status)
    are assumptions of this collection (see M(hatools.lifekeeper.lk_status)).
seealso:
  - module: hatools.lifekeeper.lk_status
"""

EXAMPLES = r"""
- name: Switch every hierarchy over to this node
  hatools.lifekeeper.lk_resource_switch:
    state: in_service
    wait_for_mirror_sync: true
    timeout: 600

- name: Take app-web out of service on this node
  hatools.lifekeeper.lk_resource_switch:
    tags: [app-web]
    state: out_of_service
"""

RETURN = r"""
results:
  description: One record per tag, in the order handled.
  type: list
  elements: dict
  returned: always
  contains:
    tag:
      description: The tag.
      type: str
    before:
      description: The local state of the tag before the task.
      type: str
      sample: OSU
    after:
      description: The local state of the tag afterwards (in check mode, the predicted one).
      type: str
      sample: ISP
    changed:
      description: Whether restore or remove was (or, in check mode, would be) run for this tag.
      type: bool
    from_node:
      description: For O(state=in_service), the node where the hierarchy was in service before, when known.
      type: str
      sample: node1
    start:
      description: When the action started (UTC, ISO 8601); null when nothing was done.
      type: str
    end:
      description: When the target state was reached (UTC, ISO 8601); null when nothing was done.
      type: str
    duration_s:
      description: Seconds from start to end (0 when nothing was done).
      type: float
  sample:
    - tag: app-web
      before: OSU
      after: ISP
      changed: true
      from_node: node1
      start: "2026-11-22T02:30:01.120000Z"
      end: "2026-11-22T02:30:04.871000Z"
      duration_s: 3.751
node:
  description: This node's name, when it was needed and could be read.
  type: str
  returned: when a mirror was checked
mirror_wait_s:
  description: Seconds spent waiting for mirrors to get in sync on this node before the switchover.
  type: float
  returned: when O(wait_for_mirror_sync=true) and a mirror was not in sync
states:
  description: The local state of every resource at the end (tag -> state).
  type: dict
  returned: always
  sample: {app-web: ISP, ip-10.0.0.50: ISP, datarep-data: ISP}
done:
  description: Tags whose action completed before a failure.
  type: list
  elements: str
  returned: failure
failed_tag:
  description: The tag whose restore or remove failed (or timed out).
  type: str
  returned: failure of an action
known_tags:
  description: The hierarchy root tags known to this node.
  type: list
  elements: str
  returned: failure on an unknown tag
mirrors:
  description: The mirrors that were not in sync on this node.
  type: list
  elements: str
  returned: failure because a mirror is not in sync
"""

import time

from ansible_collections.hatools.lifekeeper.plugins.module_utils import switch as lkswitch
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

POLL_INTERVAL = 0.5


def _iso(moment):
    """UTC ISO 8601 text of a time.time() value."""
    seconds, millis = divmod(int(round(moment * 1000)), 1000)
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + '.%03dZ' % millis


def _states(cluster):
    return dict((res.tag, res.state) for res in cluster.resources)


class LkResourceSwitch(LkModule):
    """One method per state; what to do is decided by module_utils/switch.py (pure)."""

    progress_option = True

    argument_spec = dict(
        tags=dict(type='list', elements='str', default=[]),
        state=dict(type='str', default='in_service', choices=list(lkswitch.STATES)),
        wait_for_mirror_sync=dict(type='bool', default=False),
    )

    def __init__(self, module):
        LkModule.__init__(self, module)
        self.timeout = self.params['timeout']
        self.state = self.params['state']
        self.results = []
        self.done = []
        self.node = None
        self.last = None
        self.long = None
        self.attempted = False
        self.mirror_wait = None

    # ---- states ------------------------------------------------------------------------------
    def state_in_service(self):
        """Restore each hierarchy here (a switchover when it runs elsewhere), mirrors in sync first."""
        cluster, dummy, todo = self.prepare()
        peer_views = []
        if todo:
            self.check_mirrors(cluster, todo)
            peer_views = [(peer, self.peer_view(peer)) for peer in lkswitch.alive_peers(cluster)]
        for record in self.results:
            if record['changed']:
                record['from_node'] = lkswitch.remote_holder(peer_views, record['tag'])
        return self.act_all(self.restore_hierarchy)

    def state_out_of_service(self):
        """Remove each hierarchy here, then what stays in service below it."""
        self.prepare()
        return self.act_all(self.remove_hierarchy)

    # ---- reading -----------------------------------------------------------------------------
    def read(self):
        cluster = self.lk.status()
        if not cluster.running:
            raise LifeKeeperError('LifeKeeper is not running on this node%s'
                                  % (': %s' % cluster.message if cluster.message else ''))
        self.last = cluster
        return cluster

    def peer_view(self, peer):
        """The peer's own view (lcdstatus -d PEER -q), or None when it does not answer usably."""
        try:
            return self.lk.peer_status(peer)
        except LifeKeeperError:
            return None

    def prepare(self):
        """Check LifeKeeper, read the state, choose the tags; (cluster, tags, tags to act on)."""
        lk = self.lk
        if not lk.installed():
            raise LifeKeeperError('LifeKeeper is not installed under %s' % lk.lkroot)
        if not lk.running():
            raise LifeKeeperError('LifeKeeper is not running on this node (lktest failed): start it with %s/bin/lkstart '
                                  'and look in /var/log/lifekeeper.log for why it stopped; then run again'
                                  % lk.lkroot.rstrip('/'))
        if not lk.ready():
            done, dummy = lk.wait(lambda: (lk.ready(), None), self.timeout, POLL_INTERVAL)
            if not done:
                raise LifeKeeperError('LifeKeeper is not running and ready on this node (lktest and %s) after %s s'
                                      % (lk.initdone_path, self.timeout))
        cluster = self.read()
        tags, unknown, known = lkswitch.requested_tags(cluster, self.params['tags'])
        if unknown:
            raise LifeKeeperError('unknown tag%s %s; hierarchies known to this node: %s' % (
                's' if len(unknown) > 1 else '', ', '.join(repr(t) for t in unknown),
                ', '.join(known) if known else 'none'), known_tags=known)
        todo = [tag for tag in tags if not lkswitch.reached(cluster, tag, self.state)]
        for tag in tags:
            before = cluster.resource(tag).state
            self.results.append(dict(tag=tag, before=before, after=before, changed=tag in todo,
                                     start=None, end=None, duration_s=0.0))
        return cluster, tags, todo

    # ---- mirrors -----------------------------------------------------------------------------
    def mirror_blockers(self, cluster, tags):
        """Mirrors (by type, from the long display) of tags' hierarchies that block a switchover here."""
        if self.long is None:
            try:
                self.long = self.lk.long_status()
            except LifeKeeperError as exc:
                raise LifeKeeperError('cannot tell which resources of %s are mirrors: %s'
                                      % (', '.join(tags), exc.msg))
            cluster.apply_types(self.long.types())
            self.node = self.long.node
        mirrors = lkswitch.mirrors_of(cluster, tags)
        reports = []
        for mirror in mirrors:
            try:
                reports.append((mirror, self.lk.mirror_status(mirror)))
            except LifeKeeperError as exc:
                reports.append((mirror, exc.msg))
        return lkswitch.mirror_blockers(reports, self.node)

    def check_mirrors(self, cluster, tags):
        blockers = self.mirror_blockers(cluster, tags)
        if not blockers:
            return
        what = lkswitch.describe_blockers(blockers)
        if not self.params['wait_for_mirror_sync']:
            raise LifeKeeperError('refusing to switch %s over to this node: %s; a hierarchy cannot be switched '
                                  'to a mirror target that is not in sync (set wait_for_mirror_sync=true to wait)'
                                  % (', '.join(tags), what), mirrors=[b['mirror'] for b in blockers])
        if self.check_mode:
            self.module.warn('check mode does not wait for mirror sync: %s' % what)
            return
        holder = {}

        def synced():
            holder['blockers'] = self.mirror_blockers(cluster, tags)
            return not holder['blockers'], None
        started = self.lk.clock()
        done, dummy = self.lk.wait(synced, self.timeout, POLL_INTERVAL)
        self.mirror_wait = round(self.lk.clock() - started, 3)
        if not done:
            raise LifeKeeperError('mirror not in sync after %s s: %s' % (
                self.timeout, lkswitch.describe_blockers(holder['blockers'])),
                mirrors=[b['mirror'] for b in holder['blockers']])

    # ---- acting ------------------------------------------------------------------------------
    def act_all(self, act):
        if self.check_mode:
            wanted = lkswitch.wanted_state(self.state)
            for record in self.results:
                if record['changed']:
                    record['after'] = wanted
            return any(record['changed'] for record in self.results)
        for record in self.results:
            if not record['changed']:
                continue
            tag = record['tag']
            started = time.time()
            record['start'] = _iso(started)
            self.attempted = True
            action = 'restore' if self.state == 'in_service' else 'remove'
            try:
                cluster = act(tag, self.lk.clock() + self.timeout)
            except LifeKeeperError as exc:
                exc.details.setdefault('failed_tag', tag)
                exc.msg = '%s of %s failed: %s' % (action, tag, exc.msg)
                raise
            ended = time.time()
            record['end'] = _iso(ended)
            record['duration_s'] = round(ended - started, 3)
            record['after'] = cluster.resource(tag).state
            self.done.append(tag)
        return any(record['changed'] for record in self.results)

    def remaining(self, deadline):
        return max(0.0, deadline - self.lk.clock())

    def wait_for(self, tags, deadline, failed_before=()):
        """Poll until every tag of tags is in the target state; LifeKeeperError on OSF or timeout.

        A resource that was OSF before the action (failed_before) must reach the target state
        too, but showing OSF is not taken as a new failure for it.
        """
        holder = {}

        def check():
            cluster = self.read()
            failed = lkswitch.failed_members(cluster, tags, failed_before)
            holder['failed'] = failed
            return bool(failed) or all(lkswitch.reached_one(cluster, t, self.state) for t in tags), cluster
        done, cluster = self.lk.wait(check, self.remaining(deadline), POLL_INTERVAL)
        if holder.get('failed'):
            raise LifeKeeperError('resource(s) %s failed (OSF)' % ', '.join(holder['failed']))
        if not done:
            raise LifeKeeperError('timed out after %s s waiting for %s' % (self.timeout, ', '.join(tags)))
        return cluster

    def failed_before(self, tag):
        members = lkswitch.members(self.last, tag, 'in_service')
        return members, lkswitch.failed_members(self.last, members)

    def restore_hierarchy(self, tag, deadline):
        members, failed_before = self.failed_before(tag)
        self.lk.restore(tag, timeout=self.remaining(deadline))
        return self.wait_for(members, deadline, failed_before)

    def remove_hierarchy(self, tag, deadline):
        """remove takes the tag and everything above it down. If resources of the hierarchy
        below it stay in service, remove the topmost of those too (bounded)."""
        dummy, failed_before = self.failed_before(tag)
        self.lk.remove(tag, timeout=self.remaining(deadline))
        removed = [tag]
        cluster = self.wait_for(removed, deadline, failed_before)
        for dummy in range(len(lkswitch.members(cluster, tag, 'in_service'))):
            tops = lkswitch.next_removals(cluster, tag)
            if not tops:
                return cluster
            for member in tops:
                self.lk.remove(member, timeout=self.remaining(deadline))
                removed.append(member)
            cluster = self.wait_for(removed, deadline, failed_before)
        return cluster

    # ---- result ------------------------------------------------------------------------------
    def finish_result(self, changed):
        after = dict((r['tag'], r['after']) for r in self.results)
        before = dict((r['tag'], r['before']) for r in self.results)
        self.result.update(changed=changed, results=self.results)
        self.set_diff(before, after)
        if self.node is not None:
            self.result['node'] = self.node
        if self.mirror_wait is not None:
            self.result['mirror_wait_s'] = self.mirror_wait
        self.result['states'] = _states(self.last) if self.last is not None else {}

    def dispatch(self):
        try:
            changed = LkModule.dispatch(self)
        except LifeKeeperError as exc:
            if self.attempted:
                self.reread()
            self.finish_result(self.attempted)
            self.result['done'] = self.done
            failed_tag = exc.details.get('failed_tag')
            if failed_tag:
                exc.msg = '%s; done: %s; failed: %s; local states now: %s' % (
                    exc.msg, ', '.join(self.done) or 'none', failed_tag,
                    ', '.join('%s=%s' % item for item in sorted(self.result['states'].items())) or 'unknown')
            raise
        self.finish_result(changed)

    def reread(self):
        """After a failed action: report where things stand now (when it can be read)."""
        try:
            cluster = self.read()
        except LifeKeeperError:
            return
        for record in self.results:
            res = cluster.resource(record['tag'])
            if res is not None:
                record['after'] = res.state


def main():
    LkResourceSwitch.main()


if __name__ == '__main__':
    main()
