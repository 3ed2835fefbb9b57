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
  - A switchover onto this node is refused while a data replication mirror of the hierarchy
    (a resource whose tag starts with C(datarep)) is not in sync on this node, unless
    O(wait_for_mirror_sync=true).
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
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
  - O(timeout) applies to each hierarchy (and to the wait for mirror sync).
  - The hierarchies are handled one after the other, in the order given.
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

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import (
    LifeKeeper, LifeKeeperError, ModuleFailure, lifekeeper_argument_spec, wait_until)
from ansible_collections.hatools.lifekeeper.plugins.module_utils import status as lkstatus
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    ACTIVE_STATE, FAILED_STATE, MIRROR_IN_SYNC_STATE, STANDBY_STATE)

POLL_INTERVAL = 0.5
MIRROR_PREFIX = 'datarep'


class SwitchFailure(ModuleFailure):
    """A failure to report after cleaning up (see ModuleFailure)."""


def _iso(moment):
    """UTC ISO 8601 text of a time.time() value."""
    seconds, millis = divmod(int(round(moment * 1000)), 1000)
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + '.%03dZ' % millis


def _states(cluster):
    return dict((res.tag, res.state) for res in cluster.resources)


class LkResourceSwitch(object):
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.lk = LifeKeeper(module, lkroot=module.params['lkroot'])
        self.timeout = module.params['timeout']
        self.state = module.params['state']
        self.results = []
        self.done = []
        self.node = None
        self.last = None
        self.attempted = False
        self.mirror_wait = None

    # ---- reading ---------------------------------------------------------------------------
    def read(self):
        try:
            cluster = self.lk.status()
        except LifeKeeperError as exc:
            raise SwitchFailure('cannot read the LifeKeeper status: %s' % exc.msg)
        if not cluster.running:
            raise SwitchFailure('LifeKeeper is not running on this node%s'
                                % (': %s' % cluster.message if cluster.message else ''))
        self.last = cluster
        return cluster

    def local_node(self):
        """This node's name: the LOCAL column of lcdstatus -q (None when it cannot be read)."""
        if self.node is None:
            rc, out, err = self.lk.run(['lcdstatus', '-q'], check=False)
            if rc == 0:
                self.node = lkstatus.parse_short_status(out).node
        return self.node

    def remote_holder(self, cluster, tag):
        """The peer where tag is in service (asks each peer with lcdstatus -d), or None."""
        peers = []
        for path in cluster.comm_paths:
            if path.alive and path.machine not in peers:
                peers.append(path.machine)
        for peer in peers:
            rc, out, err = self.lk.run(['lcdstatus', '-d', peer, '-q'], check=False)
            if rc != 0:
                continue
            res = lkstatus.parse_short_status(out).resource(tag)
            if res is not None and res.in_service:
                return peer
        return None

    # ---- target states ---------------------------------------------------------------------
    def members(self, cluster, tag):
        """The resources of tag's hierarchy that must reach the target state.

        Out of service: a dependency shared with a hierarchy outside this one (it has a parent
        outside) may stay in service for that one and is not waited for.
        """
        tags = lkstatus.hierarchy(cluster.resources, tag)
        if self.state == 'in_service':
            return tags
        inside = set(tags)
        return [t for t in tags
                if t == tag or all(parent in inside for parent in cluster.resource(t).parents)]

    def reached(self, cluster, tag):
        wanted = ACTIVE_STATE if self.state == 'in_service' else STANDBY_STATE
        return all(cluster.resource(t) is not None and cluster.resource(t).state == wanted
                   for t in self.members(cluster, tag))

    # ---- mirrors ---------------------------------------------------------------------------
    def mirror_blockers(self, cluster, tags):
        """[(mirror, state, progress)] of mirrors in tags' hierarchies not in sync on this node."""
        mirrors = []
        for tag in tags:
            for member in lkstatus.hierarchy(cluster.resources, tag):
                if member.startswith(MIRROR_PREFIX) and member not in mirrors:
                    mirrors.append(member)
        if not mirrors:
            return []
        node = self.local_node()
        blockers = []
        for mirror in mirrors:
            try:
                info = self.lk.mirror_status(mirror)
            except LifeKeeperError as exc:
                raise SwitchFailure('cannot read the state of mirror %s: %s' % (mirror, exc.msg))
            if not info.source or info.source.strip('-') == '' or info.source == node:
                # No source (the hierarchy is in service nowhere), or this node is the source.
                continue
            for target in info.targets:
                if (node is None or target['name'] == node) and target['state'] != MIRROR_IN_SYNC_STATE:
                    blockers.append((mirror, target['name'], target['state'], target['progress']))
        return blockers

    @staticmethod
    def describe_blockers(blockers):
        return ', '.join('mirror %s is %s on %s (%s)' % (
            mirror, state, name, '%s%%' % progress if progress is not None else 'progress unknown')
            for mirror, name, state, progress in blockers)

    def check_mirrors(self, cluster, tags):
        blockers = self.mirror_blockers(cluster, tags)
        if not blockers:
            return
        what = self.describe_blockers(blockers)
        if not self.params['wait_for_mirror_sync']:
            raise SwitchFailure('refusing to switch %s over to this node: %s; a hierarchy cannot be switched '
                                'to a mirror target that is not in sync (set wait_for_mirror_sync=true to wait)'
                                % (', '.join(tags), what), mirrors=[b[0] for b in blockers])
        if self.module.check_mode:
            self.module.warn('check mode does not wait for mirror sync: %s' % what)
            return
        holder = {}

        def synced():
            holder['blockers'] = self.mirror_blockers(cluster, tags)
            return not holder['blockers'], None
        started = time.time()
        done, dummy = wait_until(synced, self.timeout, interval=POLL_INTERVAL)
        self.mirror_wait = round(time.time() - started, 3)
        if not done:
            raise SwitchFailure('mirror not in sync after %s s: %s' % (self.timeout, self.describe_blockers(holder['blockers'])),
                                mirrors=[b[0] for b in holder['blockers']])

    # ---- acting ----------------------------------------------------------------------------
    def act(self, tag):
        if self.state == 'in_service':
            return self.lk.restore(tag)
        return self.lk.remove(tag)

    def wait_for(self, tags, deadline, failed_before=()):
        """Poll until every tag of tags is in the target state; SwitchFailure on OSF or timeout.

        A resource that was OSF before the action (failed_before) must reach the target state
        too, but showing OSF is not taken as a new failure for it.
        """
        holder = {}

        def check():
            cluster = self.read()
            holder['cluster'] = cluster
            failed = [t for t in tags if t not in failed_before and cluster.resource(t) is not None
                      and cluster.resource(t).state == FAILED_STATE]
            holder['failed'] = failed
            return bool(failed) or all(self.reached_one(cluster, t) for t in tags), cluster
        done, cluster = wait_until(check, max(0.0, deadline - time.time()), interval=POLL_INTERVAL)
        if holder.get('failed'):
            raise SwitchFailure('resource(s) %s failed (OSF)' % ', '.join(holder['failed']))
        if not done:
            raise SwitchFailure('timed out after %s s waiting for %s' % (self.timeout, ', '.join(tags)))
        return cluster

    def reached_one(self, cluster, tag):
        """One resource (not its hierarchy) in the target state."""
        res = cluster.resource(tag)
        wanted = ACTIVE_STATE if self.state == 'in_service' else STANDBY_STATE
        return res is not None and res.state == wanted

    def switch(self, tag):
        deadline = time.time() + self.timeout
        members = lkstatus.hierarchy(self.last.resources, tag)
        failed_before = [t for t in members if self.last.resource(t).state == FAILED_STATE]
        self.act(tag)
        if self.state == 'in_service':
            return self.wait_for(members, deadline, failed_before)
        # Out of service: remove takes the tag and everything above it down. If resources of the
        # hierarchy below it stay in service, remove the topmost of those too (bounded).
        removed = [tag]
        cluster = self.wait_for(removed, deadline, failed_before)
        for dummy in range(len(lkstatus.hierarchy(cluster.resources, tag))):
            remaining = [t for t in self.members(cluster, tag) if cluster.resource(t).state != STANDBY_STATE]
            if not remaining:
                return cluster
            tops = [t for t in remaining
                    if not any(parent in remaining for parent in cluster.resource(t).parents)]
            for member in tops:
                self.lk.remove(member)
                removed.append(member)
            cluster = self.wait_for(removed, deadline, failed_before)
        return cluster

    # ---- main ------------------------------------------------------------------------------
    def plan(self, cluster):
        known = lkstatus.roots(cluster.resources)
        tags = []
        for tag in self.params['tags'] or known:
            if tag not in tags:
                tags.append(tag)
        unknown = [tag for tag in tags if cluster.resource(tag) is None]
        if unknown:
            raise SwitchFailure('unknown tag%s %s; hierarchies known to this node: %s' % (
                's' if len(unknown) > 1 else '', ', '.join(repr(t) for t in unknown),
                ', '.join(known) if known else 'none'), known_tags=known)
        return tags

    def execute(self):
        if not self.lk.installed():
            raise SwitchFailure('LifeKeeper is not installed under %s' % self.lk.lkroot)
        if not self.lk.running():
            raise SwitchFailure('LifeKeeper is not running on this node (lktest failed)')
        if not self.lk.ready():
            done, dummy = wait_until(lambda: (self.lk.ready(), None), self.timeout, interval=POLL_INTERVAL)
            if not done:
                raise SwitchFailure('LifeKeeper is not running and ready on this node (lktest and %s) after %s s'
                                    % (self.lk.initdone_path, self.timeout))
        cluster = self.read()
        tags = self.plan(cluster)
        before = dict((tag, cluster.resource(tag).state) for tag in tags)
        todo = [tag for tag in tags if not self.reached(cluster, tag)]
        wanted = ACTIVE_STATE if self.state == 'in_service' else STANDBY_STATE

        if self.state == 'in_service' and todo:
            self.check_mirrors(cluster, todo)

        for tag in tags:
            record = dict(tag=tag, before=before[tag], after=before[tag], changed=tag in todo,
                          start=None, end=None, duration_s=0.0)
            if self.state == 'in_service' and tag in todo:
                record['from_node'] = self.remote_holder(cluster, tag)
            self.results.append(record)

        if self.module.check_mode:
            for record in self.results:
                if record['changed']:
                    record['after'] = wanted
            return bool(todo)

        for record in self.results:
            if not record['changed']:
                continue
            tag = record['tag']
            started = time.time()
            record['start'] = _iso(started)
            self.attempted = True
            try:
                cluster = self.switch(tag)
            except LifeKeeperError as exc:
                raise SwitchFailure('%s of %s failed: %s' % (
                    'restore' if self.state == 'in_service' else 'remove', tag, exc.msg),
                    failed_tag=tag, rc=exc.rc, stdout=exc.stdout, stderr=exc.stderr, cmd=exc.cmd)
            except SwitchFailure as exc:
                exc.details.setdefault('failed_tag', tag)
                exc.msg = '%s of %s failed: %s' % ('restore' if self.state == 'in_service' else 'remove', tag, exc.msg)
                raise
            ended = time.time()
            record['end'] = _iso(ended)
            record['duration_s'] = round(ended - started, 3)
            record['after'] = cluster.resource(tag).state
            self.done.append(tag)
        return bool(todo)

    def finish_result(self, changed):
        after = dict((r['tag'], r['after']) for r in self.results)
        before = dict((r['tag'], r['before']) for r in self.results)
        result = dict(changed=changed, results=self.results,
                      diff=dict(before=before, after=after))
        if self.node is not None:
            result['node'] = self.node
        if self.mirror_wait is not None:
            result['mirror_wait_s'] = self.mirror_wait
        result['states'] = _states(self.last) if self.last is not None else {}
        return result

    def run(self):
        try:
            changed = self.execute()
        except SwitchFailure as exc:
            failed_tag = exc.details.get('failed_tag')
            if self.attempted:
                # Report where things stand now.
                try:
                    cluster = self.read()
                    for record in self.results:
                        res = cluster.resource(record['tag'])
                        if res is not None:
                            record['after'] = res.state
                except SwitchFailure:
                    pass
            result = self.finish_result(self.attempted)
            result.update(exc.details)
            result['done'] = self.done
            msg = exc.msg
            if failed_tag:
                msg = '%s; done: %s; failed: %s; local states now: %s' % (
                    msg, ', '.join(self.done) or 'none', failed_tag,
                    ', '.join('%s=%s' % item for item in sorted(result['states'].items())) or 'unknown')
            self.module.fail_json(msg=msg, **result)
        self.module.exit_json(**self.finish_result(changed))


def main():
    argument_spec = lifekeeper_argument_spec()
    argument_spec.update(
        tags=dict(type='list', elements='str', default=[]),
        state=dict(type='str', default='in_service', choices=['in_service', 'out_of_service']),
        wait_for_mirror_sync=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    LkResourceSwitch(module).run()


if __name__ == '__main__':
    main()
