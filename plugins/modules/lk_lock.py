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
  - A lock is the file C(<lock_dir>/<name>.lock) (mode 0600, in a directory of mode 0700, both owned by the user the
    module runs as) holding JSON - the run id, the O(token) of the process that took it, the O(owner) fields and the
    time it was taken.
  - The file is opened without blocking and without following links. A lock file that is not a regular file of this
    user with mode 0600 (a FIFO, a link, another user's file), or a directory that is not this user's with mode 0700, is
    refused with a message naming the path and what was found; it is never read as a lock and never replaced.
  - Every change holds an exclusive C(flock) of the lock directory, so reading the lock and writing what depends on it
    is one step for every lk_lock; the new content is published atomically (a link that fails when a lock exists, as
    C(O_EXCL) does, or a rename), so of two runs taking or breaking a lock at the same moment exactly one wins.
  - With O(state=present), takes the lock for O(run_id). When this process (same O(run_id) and O(token)) holds it,
    nothing changes. The same O(run_id) taken by another process is taken over (RV(action=resumed)) only when that
    process ended on this host (the module runs on the controller that took it and the process is gone) or when its
    token is O(resume_token); otherwise it is refused (an AWX relaunch, another controller, another operator) naming
    the variable that takes it over. Another run's lock is refused naming its run id, controller, user, pid, age and how
    to break it; O(break_lock) naming that run id replaces it (a warning names the run whose lock was broken).
  - Every replacement is a compare-and-swap - with O(expected_fingerprint), only the lock whose content has that
    fingerprint (the one the caller saw, RV(fingerprint) of O(state=query)) is replaced; a lock that changed since is
    refused and left as it is.
  - With O(state=absent), removes the lock when O(run_id) holds it (and, with O(token), this process - the lock of
    another process of the same run id stays). Another run's lock is removed only when O(break_lock) names it; else it is
    left in place with a warning, and RV(holder) names it.
  - With O(state=query), returns the holder, the lock's age and fingerprint, and whether the holder's process still runs
    (known on its controller only); nothing changes.
  - Runs on a LifeKeeper node or on the controller; LifeKeeper is not needed. The shared options
    O(lkroot), O(timeout) and O(command_timeout) are accepted (for module_defaults of the action
    group) and not used.
  - On the controller itself (delegated to localhost through the local connection, without become or async)
    the module runs inside the task's worker, without a Python process of its own; the result is the same.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
attributes:
  check_mode:
    support: full
    details:
      - Check mode reads the lock and checks the directory and the file as the real run does, and predicts the change or
        the refusal; it creates nothing.
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
  token:
    description:
      - The identity of the process that takes or releases the lock (the C(token) of
        P(hatools.lifekeeper.lk_controller#lookup)), recorded in the lock. The same O(run_id) with another token is
        another process of that run.
      - Without it, a lock of O(run_id) is this run's whatever process took it (as before tokens were recorded).
    type: str
    version_added: 2.0.0
  name:
    description:
      - Name of the lock (the file is C(<name>.lock)); same characters as O(run_id).
    type: str
    default: cluster
  lock_dir:
    description:
      - Directory of the lock files, created with mode 0700 when missing. An existing one must be a directory of this user
        with mode 0700 (nothing for group or others).
    type: path
    default: /var/lib/hatools-lifekeeper/lock
  owner:
    description:
      - What is recorded about the run in the lock, for example C(controller), C(user), C(pid) and
        C(cluster) (these four are named in the message that refuses another run). With C(controller), C(pid), and
        C(boot_id) and C(started) (P(hatools.lifekeeper.lk_controller#lookup)), the module running on that controller
        later can tell whether the process still runs.
    type: dict
    default: {}
  break_lock:
    description:
      - The run id of the lock to break (several separated by commas, or a list); V(unreadable) for a lock file whose
        content is not a lock. With O(state=present), a lock held by that run is replaced; with O(state=absent), it is
        removed. V(false) (the default) breaks nothing.
      - Only for a lock whose run is dead (killed controller, lost connection); breaking a live run's lock lets two runs
        work on one cluster.
      - Formerly a boolean; V(true), which named no run, is refused with a message naming the run id to give.
    type: raw
    default: false
  expected_fingerprint:
    description:
      - With O(state=present), the RV(fingerprint) of the lock as the caller saw it (pre-flight), V(none) when it saw no
        lock. A lock is replaced (resumed or broken) only if it still has exactly this content; otherwise the task fails
        and changes nothing. Without it, the lock read by this task is the one compared.
    type: str
    version_added: 2.0.0
  resume_token:
    description:
      - With O(state=present), the token of a process of this O(run_id) known to have ended (RV(replaced) of the
        controller lock's task, whose module could see it). A lock of this run id with that token is taken over.
    type: str
    version_added: 2.0.0
seealso:
  - module: hatools.lifekeeper.lk_status
"""

EXAMPLES = r"""
- name: Take the cluster lock on every node before anything changes
  hatools.lifekeeper.lk_lock:
    run_id: "{{ lk_run_id }}"
    token: "{{ lookup('hatools.lifekeeper.lk_controller').token }}"
    owner: "{{ lookup('hatools.lifekeeper.lk_controller') | combine({'cluster': 'prod-a'}) }}"

- name: Who holds the lock (changes nothing)
  hatools.lifekeeper.lk_lock:
    state: query
  register: lock

- name: Release it at the end of the run
  hatools.lifekeeper.lk_lock:
    state: absent
    run_id: "{{ lk_run_id }}"
    token: "{{ lookup('hatools.lifekeeper.lk_controller').token }}"

- name: Break the lock of run 20261122T0230, which died, if the lock is still the one read above
  hatools.lifekeeper.lk_lock:
    run_id: "{{ lk_run_id }}"
    break_lock: 20261122T0230
    expected_fingerprint: "{{ lock.fingerprint | default('none', true) }}"
"""

RETURN = r"""
path:
  description: The lock file.
  type: str
  returned: always
  sample: /var/lib/hatools-lifekeeper/lock/cluster.lock
holder:
  description:
    - The lock's content - C(run_id), C(token), C(owner) (the O(owner) fields), C(time) (seconds since the epoch)
      and C(created) (UTC) - null when there is no lock. After O(state=present) this run's record
      (in check mode, the one it would write); after O(state=absent), the lock left in place (another
      run's) or null. A lock file whose content is not a lock gives C(run_id) null and C(error).
  type: dict
  returned: always
  sample: {run_id: 20261122T0230, token: 6f1c0a9e2b7d4c3a8e5f1b2c3d4e5f60,
           owner: {controller: ctl1, user: ops, pid: 4242, cluster: prod-a},
           time: 1795314600.5, created: '2026-11-22T02:30:00.500Z'}
age_s:
  description: Seconds since the lock in RV(holder) was taken; null when there is none.
  type: float
  returned: always
  sample: 12.5
fingerprint:
  description: With O(state=query), the sha256 of the lock file's content (for O(expected_fingerprint)); null when there
    is no lock.
  type: str
  returned: when O(state=query)
process:
  description: With O(state=query), whether the holder's process still runs - V(alive), V(dead), or V(unknown) when this
    host is not the controller that took the lock; null when there is no lock.
  type: str
  returned: when O(state=query)
  sample: dead
host:
  description: With O(state=query), the name of the host the module ran on (compared with the holder's C(controller)).
  type: str
  returned: when O(state=query)
action:
  description: With O(state=present), V(taken) (there was no lock), V(resumed) (this process held it, or this run's
    process that ended) or V(broken).
  type: str
  returned: when O(state=present)
  sample: taken
broken:
  description: The holder (with its C(age_s)) of the lock this task broke.
  type: dict
  returned: when another run's lock was broken
replaced:
  description: The record (with its C(age_s)) this task replaced - a broken lock, or this run's lock of a process that
    ended (its C(token) is the O(resume_token) of the node locks); null when none was replaced.
  type: dict
  returned: when O(state=present)
released:
  description: With O(state=absent), whether a lock was removed.
  type: bool
  returned: when O(state=absent)
  sample: true
"""

import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock as lklock
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError


class LkLock(LkModule):
    argument_spec = dict(
        state=dict(type='str', default='present', choices=['present', 'absent', 'query']),
        run_id=dict(type='str'),
        # a process identity, not a secret (it is in the lock file and the results)
        token=dict(type='str', no_log=False),
        name=dict(type='str', default=lklock.DEFAULT_NAME),
        lock_dir=dict(type='path', default=lklock.DEFAULT_LOCK_DIR),
        owner=dict(type='dict', default={}),
        break_lock=dict(type='raw', default=False),
        expected_fingerprint=dict(type='str'),
        resume_token=dict(type='str', no_log=False),
    )
    module_kwargs = dict(required_if=[('state', 'present', ['run_id']), ('state', 'absent', ['run_id'])])

    def validate(self):
        params = self.params
        lklock.check_identifier('name', params['name'])
        if params['run_id'] is not None:
            lklock.check_identifier('run_id', params['run_id'])
        lklock.break_names(params['break_lock'])
        expected = params['expected_fingerprint']
        if expected is not None and expected != 'none' and not re.match(r'^[0-9a-f]{64}$', expected):
            raise LifeKeeperError('expected_fingerprint must be the sha256 (64 hexadecimal digits) of a lock, or none, '
                                  'not %r' % expected)
        files.check_creatable_dir(params['lock_dir'], 'lock_dir')

    def report(self, outcome, before):
        self.result.update(outcome)
        after = (outcome.get('holder') or {}).get('run_id') if outcome.get('holder') else None
        self.set_diff(dict(run_id=before), dict(run_id=after))

    def state_present(self):
        params = self.params
        expected = params['expected_fingerprint']
        outcome = lklock.acquire(params['lock_dir'], params['name'], params['run_id'], params['owner'],
                                 token=params['token'], break_lock=params['break_lock'],
                                 expected=None if expected == 'none' else expected, expect_given=expected is not None,
                                 resume_token=params['resume_token'], check_mode=self.check_mode)
        if outcome['broken']:
            self.module.warn('broke the lock %s of %s' % (outcome['path'], lklock.describe(
                outcome['broken'], outcome['broken']['age_s'])))
        replaced = outcome['replaced']
        before = replaced['run_id'] if replaced else (
            None if outcome['action'] == 'taken' else outcome['holder']['run_id'])
        self.report(outcome, before)

    def state_absent(self):
        params = self.params
        outcome = lklock.release(params['lock_dir'], params['name'], params['run_id'], token=params['token'],
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
