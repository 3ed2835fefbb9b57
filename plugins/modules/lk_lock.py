#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r"""
module: lk_lock
short_description: Take, release or read the lock that lets one run at a time work on a LifeKeeper cluster
version_added: 1.0.0
author:
  - hatools developers (@hatools)
description:
  - A lock is the file C(<lock_dir>/<name>.lock) (mode 0600, in a directory created with mode 0700)
    holding JSON - the run id, the O(owner) fields and the time it was taken.
  - With O(state=present), takes the lock for O(run_id). The file is created atomically (written
    to a temporary file, then published with a link that fails when the lock exists, as
    C(O_EXCL) does), so of two runs taking it at the same moment exactly one wins. When this
    O(run_id) holds the lock already, it is taken back (a resumed run) and nothing changes. When
    another run holds it, the module fails naming that run's id, controller, user, pid and the
    lock's age in seconds, and how to break it; with O(break_lock=true) the lock is replaced
    instead (a warning names the run whose lock was broken).
  - With O(state=absent), removes the lock when O(run_id) holds it. Another run's lock is never
    removed unless O(break_lock=true); it is left in place with a warning, and RV(holder) names it.
  - With O(state=query), returns the holder and the lock's age; nothing changes.
  - Runs on a LifeKeeper node or on the controller; LifeKeeper is not needed. The shared options
    O(lkroot), O(timeout) and O(command_timeout) are accepted (for module_defaults of the action
    group) and not used.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
attributes:
  check_mode:
    support: full
    details:
      - Check mode reads the lock and predicts the change (and the refusal); it creates nothing.
  diff_mode:
    support: full
    details:
      - The holder's run id before and after.
  platform:
    platforms: posix
options:
  state:
    description:
      - V(present) takes the lock, V(absent) releases it, V(query) reads it.
    type: str
    choices: [present, absent, query]
    default: present
  run_id:
    description:
      - The run that takes or releases the lock; letters, digits, C(.), C(_) and C(-) only.
      - Required with O(state=present) and O(state=absent).
    type: str
  name:
    description:
      - Name of the lock (the file is C(<name>.lock)); same characters as O(run_id).
    type: str
    default: cluster
  lock_dir:
    description:
      - Directory of the lock files, created with mode 0700 when missing. An existing one must belong
        to this user or root and must not be writable by other users (unless sticky).
    type: path
    default: /var/lib/hatools-lifekeeper/lock
  owner:
    description:
      - What is recorded about the run in the lock, for example C(controller), C(user), C(pid) and
        C(cluster) (these four are named in the message that refuses another run).
    type: dict
    default: {}
  break_lock:
    description:
      - With O(state=present), replace another run's lock; with O(state=absent), remove it.
      - Only for a lock whose run is dead (killed controller, lost connection); breaking a live run's
        lock lets two runs work on one cluster.
    type: bool
    default: false
seealso:
  - module: hatools.lifekeeper.lk_status
"""

EXAMPLES = r"""
- name: Take the cluster lock on every node before anything changes
  hatools.lifekeeper.lk_lock:
    run_id: "{{ lk_run_id }}"
    owner:
      controller: "{{ lookup('ansible.builtin.pipe', 'hostname') }}"
      user: "{{ lookup('ansible.builtin.env', 'USER') }}"
      cluster: prod-a

- name: Who holds the lock (changes nothing)
  hatools.lifekeeper.lk_lock:
    state: query
  register: lock

- name: Release it at the end of the run
  hatools.lifekeeper.lk_lock:
    state: absent
    run_id: "{{ lk_run_id }}"

- name: Break the lock of a run that died
  hatools.lifekeeper.lk_lock:
    run_id: "{{ lk_run_id }}"
    break_lock: true
"""

RETURN = r"""
path:
  description: The lock file.
  type: str
  returned: always
  sample: /var/lib/hatools-lifekeeper/lock/cluster.lock
holder:
  description:
    - The lock's content - C(run_id), C(owner) (the O(owner) fields), C(time) (seconds since the epoch)
      and C(created) (UTC) - null when there is no lock. After O(state=present) this run's record
      (in check mode, the one it would write); after O(state=absent), the lock left in place (another
      run's) or null. An unreadable lock file gives C(run_id) null and C(error).
  type: dict
  returned: always
  sample: {run_id: 20261122T0230, owner: {controller: ctl1, user: ops, pid: 4242, cluster: prod-a},
           time: 1795314600.5, created: '2026-11-22T02:30:00.500Z'}
age_s:
  description: Seconds since the lock in RV(holder) was taken; null when there is none.
  type: float
  returned: always
  sample: 12.5
action:
  description: With O(state=present), V(taken) (there was no lock), V(resumed) (this run held it) or V(broken).
  type: str
  returned: when O(state=present)
  sample: taken
broken:
  description: The holder (with its C(age_s)) of the lock this task broke.
  type: dict
  returned: when another run's lock was broken
released:
  description: With O(state=absent), whether a lock was removed.
  type: bool
  returned: when O(state=absent)
  sample: true
"""

from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock as lklock
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule


class LkLock(LkModule):
    argument_spec = dict(
        state=dict(type='str', default='present', choices=['present', 'absent', 'query']),
        run_id=dict(type='str'),
        name=dict(type='str', default=lklock.DEFAULT_NAME),
        lock_dir=dict(type='path', default=lklock.DEFAULT_LOCK_DIR),
        owner=dict(type='dict', default={}),
        break_lock=dict(type='bool', default=False),
    )
    module_kwargs = dict(required_if=[('state', 'present', ['run_id']), ('state', 'absent', ['run_id'])])

    def validate(self):
        lklock.check_identifier('name', self.params['name'])
        if self.params['run_id'] is not None:
            lklock.check_identifier('run_id', self.params['run_id'])
        files.check_creatable_dir(self.params['lock_dir'], 'lock_dir')

    def report(self, outcome, before):
        self.result.update(outcome)
        after = (outcome.get('holder') or {}).get('run_id') if outcome.get('holder') else None
        self.set_diff(dict(run_id=before), dict(run_id=after))

    def state_present(self):
        params = self.params
        if not self.check_mode:
            dummy, warnings = files.ensure_private_dir(params['lock_dir'], 'lock_dir')
            for warning in warnings:
                self.module.warn(warning)
        before = lklock.query(params['lock_dir'], params['name'])
        self.result.update(path=before['path'], holder=before['holder'], age_s=before['age_s'])
        outcome = lklock.acquire(params['lock_dir'], params['name'], params['run_id'], params['owner'],
                                 break_lock=params['break_lock'], check_mode=self.check_mode)
        if outcome['broken']:
            self.module.warn('broke the lock %s of %s' % (outcome['path'], lklock.describe(
                outcome['broken'], outcome['broken']['age_s'])))
        self.report(outcome, (before['holder'] or {}).get('run_id'))

    def state_absent(self):
        params = self.params
        outcome = lklock.release(params['lock_dir'], params['name'], params['run_id'],
                                 break_lock=params['break_lock'], check_mode=self.check_mode)
        broken = outcome.pop('broken', None)
        if broken:
            self.module.warn('removed the lock %s of %s' % (outcome['path'], lklock.describe(broken, broken['age_s'])))
        elif outcome['holder'] is not None:
            self.module.warn('the lock %s is not this run\'s (%s): it was left in place'
                             % (outcome['path'], lklock.describe(outcome['holder'], outcome['age_s'])))
        before = params['run_id'] if outcome['released'] and not broken else (
            broken['run_id'] if broken else (outcome['holder'] or {}).get('run_id'))
        self.report(outcome, before)

    def state_query(self):
        outcome = lklock.query(self.params['lock_dir'], self.params['name'])
        self.result.update(outcome)


def main():
    LkLock.main()


if __name__ == '__main__':
    main()
