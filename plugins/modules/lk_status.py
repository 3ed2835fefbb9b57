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
    generation, the installed C(steeleye-*) packages, the heartbeat settings, the resource
    hierarchies with their local states and types, every mirror, the communication paths and
    a summary, as seen from the managed node (C(lcdstatus -e) for the states, the long display
    C(lcdstatus) for the resource types and the node's name, C(mirror_status) for each mirror).
  - A mirror is a resource of type C(scsi/netraid) (a DataKeeper replicated volume), whatever
    its tag. The long display's layout is an assumption of this collection (the vendor
    documents its elements, not their exact layout).
  - LifeKeeper not running is a result (RV(running=false)), not a failure.
  - A status command that times out (see O(command_timeout)) or answers nothing usable is a
    result too, RV(answered=false) with RV(message) naming the command and why; with
    O(wait_for) it counts as "not yet" until O(timeout), then the module fails naming it.
  - With O(wait_for) the module polls until every listed condition holds, so a gate in a
    rolling update costs one task; on timeout it fails with the last state and the
    conditions still missing.
  - This module never changes anything.
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - hatools.lifekeeper.lifekeeper
  - hatools.lifekeeper.lifekeeper.progress
  - hatools.lifekeeper.lifekeeper.requirements
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
      - V(mirrors_in_sync) every mirror resource (type C(scsi/netraid)) has all its targets in
        sync (C(mirror_status)); a mirror whose state cannot be read counts as not in sync, and so
        does a mirror the long display shows but C(lcdstatus -e) does not (the long display is
        read again at every poll to cross-check).
      - A row of C(lcdstatus -e) that cannot be read makes the whole answer unusable, never a
        shorter list; the result is RV(answered=false) with RV(message) naming the row, and
        "not yet" while waiting.
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
      - Seconds between two polls while waiting (more than 0, at most 7 days).
    type: float
    default: 0.5
  defaults_file:
    description:
      - The LifeKeeper defaults file read for RV(settings).
    type: path
    default: /etc/default/LifeKeeper
notes:
  - The layout of the long status display and the output of C(mirror_status) (C(Mirror:), C(Source:),
    a C(TARGET STATE PROGRESS) header and one row per target) are assumptions of this collection; the
    vendor documents the elements, not the exact text. A C(mirror_status) answer about another tag or
    without target rows is taken as unknown, never as in sync.
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
    type:
      description: Resource type C(app/type) from the long display (for example C(gen/app), C(comm/ip),
        C(scsi/netraid)); null when it could not be read.
      type: str
    mirror:
      description: The resource is a DataKeeper mirror (type C(scsi/netraid)).
      type: bool
  sample:
    - {tag: app-web, id: app-web, state: ISP, priority: 1, primary: node1, depth: 0,
       parent: null, parents: [], children: [ip-10.0.0.50], first: node2, type: gen/app, mirror: false}
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
  description:
    - One entry per mirror resource (type C(scsi/netraid)) with its C(mirror_status); empty when
      LifeKeeper is not running.
    - C(known) is false when the answer could not be used (the command failed or timed out, it was
      about another tag, or it had no target rows); C(in_sync) is then false and C(error) says why.
  returned: always
  type: list
  elements: dict
  contains:
    tag:
      description: The mirror's tag.
      type: str
    source:
      description: The node the mirror replicates from; null when in service nowhere or unknown.
      type: str
    in_sync:
      description: Every target is C(Mirroring) (and there is at least one).
      type: bool
    targets:
      description: One entry per target, C(name), C(state) and C(progress) (percent, null when unknown).
      type: list
      elements: dict
    known:
      description: The answer was usable.
      type: bool
    error:
      description: Why the answer could not be used (only when C(known) is false).
      type: str
  sample:
    - {tag: datarep-data, source: node1, in_sync: false, known: true,
       targets: [{name: node2, state: Resyncing, progress: 45}]}
answered:
  description:
    - Every status command answered usably at the last poll. False when one timed out or answered
      nothing usable; RV(message) then names the command and why.
  returned: always
  type: bool
  sample: true
packages:
  description: Every installed C(steeleye-*) rpm (the core C(steeleye-lk) and the recovery kits), by name.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Package name.
      type: str
    version:
      description: Package version.
      type: str
  sample: [{name: steeleye-lk, version: 9.9.0}, {name: steeleye-lkDR, version: 9.9.0}]
settings:
  description:
    - The heartbeat settings of O(defaults_file) (null when not set there), which must match on every
      node, and the effective LCM port.
  returned: always
  type: dict
  contains:
    LCMPORT:
      description: The LCMPORT value as written (0 means 7365).
      type: str
    LCMHBEATTIME:
      description: Seconds between heartbeats, as written.
      type: str
    LCMNUMHBEATS:
      description: Missed heartbeats before a path is DEAD, as written.
      type: str
    lcm_port:
      description:
        - The port LifeKeeper uses (LCMPORT, 7365 when it is 0 or not set).
        - An LCMPORT that is not a port number (1-65535 in digits 0-9), or a defaults file that is
          not UTF-8 text, fails the module naming the file and the value.
      type: int
  sample: {LCMPORT: '0', LCMHBEATTIME: '5', LCMNUMHBEATS: '3', lcm_port: 7365}
message:
  description:
    - What LifeKeeper printed instead of a status display (for example the not-running message), or
      why a status command gave no usable answer (naming the command).
  returned: always
  type: str
  sample: LifeKeeper does not appear to be running.
holds:
  description:
    - Whether each condition O(wait_for) can name (but V(tags_in_service)) held at the last read, whatever was waited
      for - a caller that has just read the node need not wait for what already holds.
  returned: always
  type: dict
  sample: {ready: true, paths_alive: true, mirrors_in_sync: true, local_resources_osu: false}
  version_added: 2.0.0
missing:
  description: Conditions of O(wait_for) that did not hold at the last poll (empty on success).
  returned: always
  type: list
  elements: str
  sample: []
known_machines:
  description:
    - The LifeKeeper machines this node knows (the long display's C(The following LifeKeeper machines are known)),
      this node among them, sorted. With the communication paths, the membership that pre-flight compares with the
      inventory group. Empty when LifeKeeper is not running.
  returned: always
  type: list
  elements: str
  version_added: 2.0.0
  sample: [node1, node2]
node_name:
  description:
    - This node's LifeKeeper system name (the machine of the long display, or the node named by
      the not-running message); the host name when the display does not show it. Null when
      LifeKeeper is not installed.
  returned: always
  type: str
  sample: node1
node_name_from:
  description:
    - Where RV(node_name) comes from - V(display) (LifeKeeper's own displays named this machine) or V(hostname) (they did
      not; the host name stands in, which LifeKeeper's name of the node may differ from, an FQDN against a short name).
      Null when LifeKeeper is not installed.
  returned: always
  type: str
  sample: display
  version_added: 2.0.0
waited:
  description: Seconds spent polling.
  returned: always
  type: float
  sample: 1.5
'''

import os

from ansible_collections.hatools.lifekeeper.plugins.module_utils import defaults_file as defaults_file_utils
from ansible_collections.hatools.lifekeeper.plugins.module_utils import status as lkstatus
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    ACTIVE_STATE, DEFAULTS_FILE, HEARTBEAT_SETTINGS, MIRROR_IN_SYNC_STATE, STANDBY_STATE,
    local_node_name)
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

CONDITIONS = ['ready', 'local_resources_osu', 'tags_in_service', 'paths_alive', 'mirrors_in_sync']
# the conditions the result's holds reports (tags_in_service needs tags)
HOLDS = [cond for cond in CONDITIONS if cond != 'tags_in_service']


def read_settings(path):
    """{LCMPORT, LCMHBEATTIME, LCMNUMHBEATS (strings or None), lcm_port (int)} of a defaults file
    (a missing file: nothing set). ValueError naming the file when it is not UTF-8 or LCMPORT is
    not a port number."""
    try:
        values = defaults_file_utils.parse(defaults_file_utils.read(path))
    except (IOError, OSError):
        values = {}
    settings = {}
    for key in HEARTBEAT_SETTINGS:
        value = values.get(key)
        if value is not None and len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
            value = value[1:-1]
        settings[key] = value
    settings['lcm_port'] = defaults_file_utils.lcm_port(settings['LCMPORT'], path)
    return settings


class Unanswered(Exception):
    """A status command gave no usable answer (timed out, failed, or unreadable output)."""


class LkStatus(LkModule):
    """Reads the node's state (one poll = lktest, lcdstatus -e, the long display when needed,
    mirror_status of each mirror) and checks the wait_for conditions against it."""

    progress_option = True

    argument_spec = dict(
        wait_for=dict(type='list', elements='str', choices=CONDITIONS, default=[]),
        tags=dict(type='list', elements='str', default=[]),
        poll_interval=dict(type='float', default=0.5),
        defaults_file=dict(type='path', default=DEFAULTS_FILE),
    )
    state_option = None
    seconds_options = ('poll_interval',)

    def __init__(self, module):
        LkModule.__init__(self, module)
        self.wait_for = self.params['wait_for'] or []
        self.tags = self.params['tags'] or []
        self.types = {}
        self.node = None
        self.long = None

    def validate(self):
        if 'tags_in_service' in self.wait_for and not self.tags:
            raise LifeKeeperError('wait_for=tags_in_service needs a non-empty tags list')

    # ---- reading ----------------------------------------------------------------------------
    def read_installation(self):
        """installed, version, generation, packages, settings (read once: they do not change while polling)."""
        lk = self.lk
        version = lk.version()
        installed = version is not None and os.path.exists(lk.bin('lcdstatus'))
        return {
            'installed': installed,
            'version': version,
            'generation': lk.generation() if version else None,
            'packages': lk.packages() if version else [],
            'settings': read_settings(self.params['defaults_file']),
        }

    def ask(self, problems, what, func, *args):
        """func(*args), or None with the reason in problems when the command gives no usable answer."""
        try:
            return func(*args)
        except LifeKeeperError as exc:
            problems.append('%s: %s' % (what, exc.msg) if what not in exc.msg else exc.msg)
        except ValueError as exc:
            problems.append('%s answered nothing usable: %s' % (what, exc))
        return None

    def long_display(self, problems):
        """Types and the node name from the long display (cached; read again for new tags, and
        at every poll when waiting for mirrors_in_sync: its mirrors are cross-checked)."""
        parsed = self.ask(problems, 'lcdstatus (long display)', self.lk.long_status)
        if parsed is not None:
            self.types.update(parsed.types())
            self.node = parsed.node or self.node
            self.long = parsed
        return parsed

    def read(self, installation):
        """One poll: (state, cluster); cluster is the parsed short display or None."""
        lk = self.lk
        state = {
            'running': False, 'ready': False, 'resources': [], 'comm_paths': [], 'mirrors': [],
            'summary': lkstatus.summary(lkstatus.ClusterStatus()), 'message': None, 'answered': True,
        }
        state.update(installation)
        if not state['installed']:
            state['message'] = 'LifeKeeper is not installed under %s' % lk.lkroot
            return state, None
        problems = []
        state['problems'] = problems
        running = self.ask(problems, 'lktest', lk.running)
        long_read = self.node is None
        if long_read:
            self.long_display(problems)
        if running is None:
            state['blocked'] = 'no usable answer (%s)' % problems[-1]
            return self.unanswered(state), None
        state['running'] = running
        if not running:
            state['message'] = 'LifeKeeper is not running'
            return self.unanswered(state), None
        state['ready'] = os.path.exists(lk.initdone_path)
        cluster = self.ask(problems, 'lcdstatus -e', self.short_display)
        if cluster is None:
            state['blocked'] = 'no usable answer (%s)' % problems[-1]
            return self.unanswered(state), None
        if not cluster.running:
            state['message'] = cluster.message
            return self.unanswered(state), cluster
        if not long_read and (any(tag not in self.types for tag in cluster.tags) or 'mirrors_in_sync' in self.wait_for):
            self.long_display(problems)
        cluster.apply_types(self.types)
        state['resources'] = [res.as_dict() for res in cluster.resources]
        state['comm_paths'] = [path.as_dict() for path in cluster.comm_paths]
        state['summary'] = lkstatus.summary(cluster)
        state['mirrors'] = self.mirrors(cluster, problems)
        return self.unanswered(state), cluster

    def known_machines(self):
        """The machines the long display lists as known (this node among them), sorted; empty
        when the long display was not read or lists none."""
        if self.long is None or not self.long.running:
            return []
        return sorted(set(entry['machine'] for entry in self.long.machines if entry.get('machine')))

    def short_display(self):
        lk = self.lk
        if not os.path.exists(lk.bin('lcdstatus')):
            raise LifeKeeperError('%s not found' % lk.bin('lcdstatus'))
        return lk.status()

    def unanswered(self, state):
        problems = state.get('problems') or []
        if problems:
            state['answered'] = False
            state['message'] = '; '.join(problems)
        return state

    def mirrors(self, cluster, problems):
        """mirror_status of every mirror (by type). An answer that cannot be used (about another
        tag, or without target rows, as on a node whose peer was removed by rmlk) is an unknown
        mirror, never in sync, and so is a mirror of the long display missing from lcdstatus -e;
        a command that fails or times out is also LifeKeeper not answering (problems)."""
        records = []
        # Cross-check: a mirror the long display shows but lcdstatus -e does not is never in sync.
        long_only = [tag for tag in (self.long.mirrors if self.long is not None and self.long.running else [])
                     if tag not in cluster.mirrors]
        for tag in long_only:
            records.append(lkstatus.unknown_mirror(tag, 'the long display (lcdstatus) shows mirror %s, '
                                                        'lcdstatus -e does not' % tag))
        for tag in cluster.mirrors:
            try:
                records.append(self.lk.mirror_status(tag).as_dict())
            except LifeKeeperError as exc:
                why = exc.msg if 'mirror_status %s' % tag in exc.msg else 'mirror_status %s: %s' % (tag, exc.msg)
                if not exc.details.get('unusable_answer'):
                    problems.append(why)
                records.append(lkstatus.unknown_mirror(tag, why))
        return records

    # ---- conditions -------------------------------------------------------------------------
    def missing(self, state, cluster, conditions=None):
        """The conditions of wait_for (or of conditions) that do not hold (human-readable)."""
        missing = []
        have_status = cluster is not None and cluster.running
        tags_pending = False
        if have_status and self.tags:
            unknown = [tag for tag in self.tags if cluster.resource(tag) is None]
            if unknown:
                msg = 'unknown tag(s) %s; known tags: %s' % (', '.join(unknown), ', '.join(cluster.tags) or '(none)')
                if cluster.resources or 'tags_in_service' not in self.wait_for:
                    raise LifeKeeperError(msg, known_tags=cluster.tags)
                # An empty display (LifeKeeper still loading its configuration): keep waiting.
                missing.append('tags_in_service: %s' % msg)
                tags_pending = True
        for cond in self.wait_for if conditions is None else conditions:
            if cond == 'ready':
                if not state['ready']:
                    if state.get('blocked') and not state['running']:
                        missing.append('ready: %s' % state['blocked'])
                    else:
                        why = 'running but not ready (no LK_INITDONE)' if state['running'] else 'not running'
                        missing.append('ready: LifeKeeper is %s' % why)
                continue
            if not have_status:
                missing.append('%s: %s' % (cond, state.get('blocked') or 'LifeKeeper is not running'))
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
                not_typed = [tag for tag in cluster.tags if self.types.get(tag) is None]
                if not_typed:
                    missing.append('mirrors_in_sync: resource types unknown for %s (%s)' % (
                        ', '.join(not_typed), state['message'] or 'not in the long display'))
                problems_here = [self.describe_mirror(m) for m in state['mirrors'] if not m['in_sync']]
                if problems_here:
                    missing.append('mirrors_in_sync: %s' % '; '.join(problems_here))
        return missing

    @staticmethod
    def describe_mirror(mirror):
        if not mirror['known']:
            return '%s: state unknown (%s)' % (mirror['tag'], mirror['error'])
        return '%s: %s' % (mirror['tag'], ', '.join(
            '%s %s%s' % (t['name'], t['state'], '' if t['progress'] is None else ' %s%%' % t['progress'])
            for t in mirror['targets'] if t['state'] != MIRROR_IN_SYNC_STATE))

    # ---- the run -----------------------------------------------------------------------------
    def run_module(self):
        started = self.lk.clock()
        installation = self.read_installation()

        last = {}

        def poll():
            state, cluster = self.read(installation)
            state['missing'] = self.missing(state, cluster)
            last['cluster'] = cluster
            return not state['missing'], state

        if self.wait_for and not installation['installed']:
            state, dummy = self.read(installation)
            state.pop('problems', None)
            self.result.update(state, missing=list(self.wait_for), waited=0.0, node_name=None, node_name_from=None)
            raise LifeKeeperError('cannot wait for %s: %s' % (', '.join(self.wait_for), state['message']))
        if self.wait_for:
            done, state = self.lk.wait(poll, self.params['timeout'], self.params['poll_interval'])
        else:
            done, state = poll()
        # what holds at this read, whatever was waited for: a caller that read once need not wait
        state['holds'] = dict((cond, not self.missing(state, last.get('cluster'), [cond])) for cond in HOLDS)
        state.pop('problems', None)
        state.pop('blocked', None)
        state['node_name'] = local_node_name(self.node) if state['installed'] else None
        # the host name stands in when the display named no local machine: a guess, said so
        state['node_name_from'] = ('display' if self.node else 'hostname') if state['installed'] else None
        state['known_machines'] = self.known_machines() if state['running'] else []
        state['waited'] = round(self.lk.clock() - started, 3)
        self.result.update(state)
        if not done:
            raise LifeKeeperError('timed out after %ss waiting for %s; still missing: %s' % (
                self.params['timeout'], ', '.join(self.wait_for), '; '.join(state['missing'])))


def main():
    LkStatus.main()


if __name__ == '__main__':
    main()
