#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: lk_status
short_description: Read the state of SIOS LifeKeeper on a node, optionally waiting for conditions
version_added: 1.0.0
description:
  - Reports whether LifeKeeper is installed, running and ready, its version and command
    generation, the resource hierarchies with their local states, the communication paths
    and a summary, as seen from the managed node (C(lcdstatus -e)).
  - LifeKeeper not running is a result (RV(running=false)), not a failure.
  - With O(wait_for) the module polls until every listed condition holds, so a gate in a
    rolling update costs one task; on timeout it fails with the last state and the
    conditions still missing.
  - This module never changes anything.
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - hatools.lifekeeper.lifekeeper
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  wait_for:
    description:
      - Conditions to wait for, all of which must hold at the same time.
      - V(ready) LifeKeeper runs (C(lktest)) and start-up finished (C($LKROOT/config/LK_INITDONE)).
      - V(local_resources_osu) every resource on this node is OSU (out of service, standby),
        as needed before updating the node.
      - V(tags_in_service) every tag in O(tags) is ISP on this node.
      - V(paths_alive) there is at least one communication path and all are ALIVE.
      - V(mirrors_in_sync) every mirror resource (tag starting with C(datarep-)) has all
        its targets in sync (C(mirror_status)).
      - Every condition except V(ready) also needs LifeKeeper running.
    type: list
    elements: str
    choices: [ready, local_resources_osu, tags_in_service, paths_alive, mirrors_in_sync]
    default: []
  tags:
    description:
      - Resource tags for O(wait_for=tags_in_service). A tag that is not in the status
        display fails the module (whether or not it is waited for), listing the known tags.
    type: list
    elements: str
    default: []
  poll_interval:
    description:
      - Seconds between two polls while waiting.
    type: float
    default: 0.5
seealso:
  - module: hatools.lifekeeper.lk_service
  - module: hatools.lifekeeper.lk_resource_switch
'''

EXAMPLES = r'''
- name: Read the LifeKeeper state
  hatools.lifekeeper.lk_status:
  register: lk

- name: Show what runs here
  ansible.builtin.debug:
    msg: "{{ lk.summary.in_service_here }}"

- name: Gate before updating a node - everything standby here, mirrors in sync
  hatools.lifekeeper.lk_status:
    wait_for: [ready, local_resources_osu, paths_alive, mirrors_in_sync]
    timeout: 600

- name: Wait until the web hierarchy is in service on this node
  hatools.lifekeeper.lk_status:
    wait_for: [tags_in_service]
    tags: [app-web]
    timeout: 120
    poll_interval: 0.25
'''

RETURN = r'''
installed:
  description: LifeKeeper is installed (C($LKROOT/bin/lcdstatus) and the C(steeleye-lk) rpm).
  returned: always
  type: bool
  sample: true
running:
  description: LifeKeeper is running (C(lktest) exits 0).
  returned: always
  type: bool
  sample: true
ready:
  description: LifeKeeper is running and its start-up initialisation has finished.
  returned: always
  type: bool
  sample: true
version:
  description: Version of the C(steeleye-lk) rpm, null when not installed.
  returned: always
  type: str
  sample: 9.9.0
generation:
  description: Command set of the installed release, V(lkcli) (9.x and later) or V(legacy) (8.x); null when not installed.
  returned: always
  type: str
  sample: lkcli
resources:
  description: Resources in display order (empty when not running).
  returned: always
  type: list
  elements: dict
  contains:
    tag:
      description: Resource tag.
      type: str
    id:
      description: Resource identifier.
      type: str
    state:
      description: Local state, one of ISP, ISU, OSU, OSF, ILLSTATE, UNKNOWN.
      type: str
    priority:
      description: This node's priority for the resource (1 = highest).
      type: int
    primary:
      description: The node with the highest priority (configuration, not where it runs).
      type: str
    depth:
      description: Dependency depth, 0 for a hierarchy root.
      type: int
    parent:
      description: Tag of the resource that depends on this one, null for a root.
      type: str
    parents:
      description: All tags depending on this one (a shared resource has several).
      type: list
      elements: str
    children:
      description: Tags this resource depends on.
      type: list
      elements: str
    first:
      description: Value of the first display column (the backup node, or dashes when there is none).
      type: str
  sample:
    - {tag: app-web, id: app-web, state: ISP, priority: 1, primary: node1, depth: 0,
       parent: null, parents: [], children: [ip-10.0.0.50], first: node2}
comm_paths:
  description: Communication paths (empty when not running).
  returned: always
  type: list
  elements: dict
  contains:
    machine:
      description: The peer node.
      type: str
    network:
      description: TCP or TTY.
      type: str
    addresses:
      description: C(local/remote) address pair or a tty device.
      type: str
    state:
      description: ALIVE or DEAD.
      type: str
    priority:
      description: Path priority, null where the display shows C(--).
      type: int
  sample:
    - {machine: node2, network: TCP, addresses: 10.0.0.11/10.0.0.12, state: ALIVE, priority: 1}
summary:
  description: Summary of the local view.
  returned: always
  type: dict
  contains:
    in_service_here:
      description: Roots of the hierarchies in service (ISP or ISU) on this node.
      type: list
      elements: str
    standby_here:
      description: Roots of the hierarchies out of service, unimpaired (OSU) on this node.
      type: list
      elements: str
    failed_anywhere:
      description: Tags shown OSF.
      type: list
      elements: str
    all_paths_alive:
      description: At least one communication path and all of them ALIVE.
      type: bool
    dead_paths:
      description: C(machine addresses) of each DEAD path.
      type: list
      elements: str
    hierarchies:
      description: One entry per hierarchy with its C(root), the root's local C(state) and its C(tags).
      type: list
      elements: dict
  sample:
    in_service_here: [app-web]
    standby_here: []
    failed_anywhere: []
    all_paths_alive: true
    dead_paths: []
    hierarchies: [{root: app-web, state: ISP, tags: [app-web, ip-10.0.0.50]}]
mirrors:
  description: C(mirror_status) of each mirror resource, only when O(wait_for) contains V(mirrors_in_sync).
  returned: when mirrors_in_sync is waited for
  type: list
  elements: dict
  sample:
    - {tag: datarep-data, source: node1, in_sync: false,
       targets: [{name: node2, state: Resyncing, progress: 45}]}
message:
  description: What LifeKeeper printed instead of a status display (for example the not-running message).
  returned: always
  type: str
  sample: LifeKeeper is not running on node1.
missing:
  description: Conditions of O(wait_for) that did not hold at the last poll (empty on success).
  returned: always
  type: list
  elements: str
  sample: []
node_name:
  description:
    - This node's LifeKeeper system name (the LOCAL column of C(lcdstatus -q), or the node
      named by the not-running message); the host name (C(uname -n)) when the display does
      not show it. Null when LifeKeeper is not installed.
  returned: always
  type: str
  sample: node1
waited:
  description: Seconds spent polling.
  returned: always
  type: float
  sample: 1.5
'''

import os
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import (
    LifeKeeper, LifeKeeperError, lifekeeper_argument_spec, wait_until,
)
from ansible_collections.hatools.lifekeeper.plugins.module_utils import status as lkstatus
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    ACTIVE_STATE, MIRROR_IN_SYNC_STATE, STANDBY_STATE, local_node_name)

CONDITIONS = ['ready', 'local_resources_osu', 'tags_in_service', 'paths_alive', 'mirrors_in_sync']
MIRROR_TAG_PREFIX = 'datarep-'


class UnknownTags(Exception):
    def __init__(self, msg, known):
        super(UnknownTags, self).__init__(msg)
        self.known = known


class StatusReader(object):
    """Reads the node's state and checks the wait_for conditions against it."""

    def __init__(self, module, lk):
        self.module = module
        self.lk = lk
        self.wait_for = module.params['wait_for'] or []
        self.tags = module.params['tags'] or []

    def read_installation(self):
        """installed, version, generation (read once: they do not change while polling)."""
        lk = self.lk
        version = lk.version()
        installed = version is not None and os.path.exists(lk.bin('lcdstatus'))
        return {
            'installed': installed,
            'version': version,
            'generation': lk.generation() if version else None,
        }

    def read(self, installation):
        """One poll: the installation facts plus running, ready and the parsed display."""
        lk = self.lk
        state = {
            'running': False, 'ready': False, 'resources': [], 'comm_paths': [],
            'summary': lkstatus.summary(lkstatus.ClusterStatus()), 'message': None,
        }
        state.update(installation)
        if not state['installed']:
            state['message'] = 'LifeKeeper is not installed under %s' % lk.lkroot
            return state, None
        state['running'] = lk.running()
        cluster = None
        if state['running']:
            state['ready'] = os.path.exists(lk.initdone_path)
            cluster = lk.status()
            if cluster.running:
                state['resources'] = [res.as_dict() for res in cluster.resources]
                state['comm_paths'] = [path.as_dict() for path in cluster.comm_paths]
                state['summary'] = lkstatus.summary(cluster)
            else:
                state['message'] = cluster.message
        else:
            state['message'] = 'LifeKeeper is not running'
        return state, cluster

    def missing(self, state, cluster):
        """The conditions of wait_for that do not hold (human-readable)."""
        missing = []
        have_status = cluster is not None and cluster.running
        tags_pending = False
        if have_status and self.tags:
            unknown = [tag for tag in self.tags if cluster.resource(tag) is None]
            if unknown:
                msg = 'unknown tag(s) %s; known tags: %s' % (', '.join(unknown), ', '.join(cluster.tags) or '(none)')
                if cluster.resources or 'tags_in_service' not in self.wait_for:
                    raise UnknownTags(msg, cluster.tags)
                # An empty display (LifeKeeper still loading its configuration): keep waiting.
                missing.append('tags_in_service: %s' % msg)
                tags_pending = True
        for cond in self.wait_for:
            if cond == 'ready':
                if not state['ready']:
                    why = 'running but not ready (no LK_INITDONE)' if state['running'] else 'not running'
                    missing.append('ready: LifeKeeper is %s' % why)
                continue
            if not have_status:
                missing.append('%s: LifeKeeper is not running' % cond)
                continue
            if cond == 'local_resources_osu':
                not_osu = ['%s=%s' % (res.tag, res.state) for res in cluster.resources if res.state != STANDBY_STATE]
                if not_osu:
                    missing.append('local_resources_osu: not OSU here: %s' % ', '.join(not_osu))
            elif cond == 'tags_in_service' and not tags_pending:
                not_isp = ['%s=%s' % (tag, cluster.resource(tag).state) for tag in self.tags
                           if cluster.resource(tag).state != ACTIVE_STATE]
                if not_isp:
                    missing.append('tags_in_service: not ISP here: %s' % ', '.join(not_isp))
            elif cond == 'paths_alive':
                if not cluster.comm_paths:
                    missing.append('paths_alive: no communication paths')
                else:
                    dead = ['%s %s' % (p.machine, p.addresses) for p in cluster.comm_paths if not p.alive]
                    if dead:
                        missing.append('paths_alive: DEAD: %s' % ', '.join(dead))
            elif cond == 'mirrors_in_sync':
                mirrors, problems = self.mirrors(cluster)
                state['mirrors'] = mirrors
                if problems:
                    missing.append('mirrors_in_sync: %s' % '; '.join(problems))
        return missing

    def mirrors(self, cluster):
        mirrors = []
        problems = []
        for res in cluster.resources:
            if not res.tag.startswith(MIRROR_TAG_PREFIX):
                continue
            try:
                mirror = self.lk.mirror_status(res.tag)
            except LifeKeeperError as exc:
                problems.append('%s: %s' % (res.tag, exc.msg))
                continue
            mirrors.append(mirror.as_dict())
            if not mirror.in_sync:
                problems.append('%s: %s' % (res.tag, ', '.join(
                    '%s %s%s' % (t['name'], t['state'], '' if t['progress'] is None else ' %s%%' % t['progress'])
                    for t in mirror.targets if t['state'] != MIRROR_IN_SYNC_STATE)))
        return mirrors, problems


def main():
    argument_spec = lifekeeper_argument_spec()
    argument_spec.update(
        wait_for=dict(type='list', elements='str', choices=CONDITIONS, default=[]),
        tags=dict(type='list', elements='str', default=[]),
        poll_interval=dict(type='float', default=0.5),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
    )
    if 'tags_in_service' in module.params['wait_for'] and not module.params['tags']:
        module.fail_json(msg='wait_for=tags_in_service needs a non-empty tags list')
    if module.params['timeout'] < 0 or module.params['poll_interval'] <= 0:
        module.fail_json(msg='timeout must be >= 0 and poll_interval > 0')

    lk = LifeKeeper(module, module.params['lkroot'])
    reader = StatusReader(module, lk)
    started = time.monotonic()

    try:
        installation = reader.read_installation()

        def poll():
            state, cluster = reader.read(installation)
            missing = reader.missing(state, cluster)
            state['missing'] = missing
            return not missing, state

        if reader.wait_for and not installation['installed']:
            state, _cluster = reader.read(installation)
            module.fail_json(msg='cannot wait for %s: %s' % (', '.join(reader.wait_for), state['message']),
                             changed=False, missing=list(reader.wait_for), waited=0.0, **state)
        if reader.wait_for:
            done, state = wait_until(poll, module.params['timeout'], module.params['poll_interval'])
        else:
            done, state = poll()
    except UnknownTags as exc:
        module.fail_json(msg=str(exc), changed=False, known_tags=exc.known)
    except LifeKeeperError as exc:
        result = exc.as_dict()
        module.fail_json(changed=False, **result)

    waited = round(time.monotonic() - started, 3)
    state['node_name'] = None
    if state['installed']:
        try:
            state['node_name'] = local_node_name(lk.node_name())
        except LifeKeeperError:
            state['node_name'] = local_node_name()
    if not done:
        module.fail_json(
            msg='timed out after %ss waiting for %s; still missing: %s' % (
                module.params['timeout'], ', '.join(reader.wait_for), '; '.join(state['missing'])),
            changed=False, waited=waited, **state)
    module.exit_json(changed=False, waited=waited, **state)


if __name__ == '__main__':
    main()
