#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: lk_support
short_description: Collect a SIOS LifeKeeper support bundle (lksupport) into a private directory
version_added: 1.0.0
description:
  - Runs C($LKROOT/bin/lksupport), which writes C(/tmp/lksupport/<host>.lksupport.<timestamp>.tar.gz),
    and moves that bundle into a new private directory (mode 0700) the module creates under
    O(dest); the bundle there is mode 0600. RV(bundle) is its path.
  - The bundle written by this run is the file C(lksupport) prints, or else the newest bundle in
    O(bundle_dir) written during this run. It is trusted only when it is a regular file (not a
    symbolic link) with one hard link, owned by this user or root, in a directory owned by this
    user or root, and written after the module started; anything else fails naming the file.
    The original is removed once it is copied, so the configuration it holds does not stay in
    a shared temporary directory.
  - With O(system_log) (the default) the system log goes into the same private directory
    beside the bundle, as the v8.4.1 update guide asks support data to include
    C(/var/log/messages) - a copy of C(/var/log/messages) (C(messages), mode 0600) or, on a node
    without that file, C(journalctl --no-pager -o short-iso) from O(since) (else the current
    boot) to now (C(journal.txt), mode 0600). A node with neither is reported in RV(system_log)
    (C(error)); that does not fail the module.
  - O(fetch_to) brings the bundle and the system log to the controller in the same task (else fetch the bundle with
    M(ansible.builtin.fetch)).
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - hatools.lifekeeper.lifekeeper
  - hatools.lifekeeper.lifekeeper.requirements
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reports RV(ignore:changed=true) and runs nothing, creates nothing.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  bundle_dir:
    description:
      - Where C(lksupport) writes its bundles; searched when its output names no existing file.
    type: path
    default: /tmp/lksupport
  dest:
    description:
      - Directory under which each run creates its private directory for the bundle. It is
        created with mode 0700 when missing; an existing one must belong to this user or root
        and must not be writable by other users (unless sticky).
    type: path
    default: /var/lib/hatools-lifekeeper/support
  system_log:
    description:
      - Also copy the system log into the private directory (RV(system_log)).
    type: bool
    default: true
    version_added: 2.0.0
  since:
    description:
      - Start of the journal's window, in seconds since the epoch (the run's start), used when the node has no
        C(/var/log/messages); without it the journal of the current boot is taken. Must not be negative.
    type: float
    version_added: 2.0.0
  fetch_to:
    description:
      - A folder on the controller to bring the bundle (RV(bundle)) and the system log beside it (RV(system_log)) to,
        in the same task, once the bundle exists (not in check mode).
      - Each file is fetched as M(ansible.builtin.fetch) does (its checksum checked after the transfer; with C(become),
        read as the become user) and made mode 0600; the folder and its missing parents are created with mode 0700.
        A bundle that does not arrive fails the task, naming it; a system log that does not arrive is a warning.
      - The module itself never sees this option; the collection's action plugin handles it on the controller.
    type: path
    version_added: 2.0.0
notes:
  - C(lksupport) runs within O(timeout) (collecting logs can take minutes on a busy node).
  - Every run writes a new bundle, so the module always reports a change.
seealso:
  - module: ansible.builtin.fetch
'''

EXAMPLES = r'''
- name: Collect a support bundle
  hatools.lifekeeper.lk_support:
  register: support

- name: Bring it to the controller
  ansible.builtin.fetch:
    src: "{{ support.bundle }}"
    dest: "support/{{ inventory_hostname }}/"
    flat: true

- name: Collect a support bundle and bring it with the system log to a private folder of the controller
  hatools.lifekeeper.lk_support:
    fetch_to: "/srv/artifacts/{{ inventory_hostname }}"
'''

RETURN = r'''
bundle:
  description: Absolute path of the private copy of the bundle on the managed node; null in check mode.
  returned: always
  type: str
  sample: /var/lib/hatools-lifekeeper/support/lk_support.k2j4x9/node1.lksupport.2611220230.tar.gz
size:
  description: Size of the bundle in bytes; null in check mode.
  returned: always
  type: int
  sample: 1048576
sha256:
  description: SHA-256 checksum of the bundle.
  returned: when a bundle was collected
  type: str
  sample: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
source_bundle:
  description: Where C(lksupport) wrote the bundle (removed after the copy).
  returned: when a bundle was collected
  type: str
  sample: /tmp/lksupport/node1.lksupport.2611220230.tar.gz
private_dir:
  description: The private directory (mode 0700) this run created for the bundle.
  returned: when a bundle was collected
  type: str
  sample: /var/lib/hatools-lifekeeper/support/lk_support.k2j4x9
system_log:
  description:
    - What was taken of the system log - C(source) (C(/var/log/messages), C(journalctl), or null when the node has
      neither), C(path) (its private copy beside the bundle, mode 0600, null when none), C(size) in bytes and
      C(error) (why there is none, else null).
  returned: when a bundle was collected and O(system_log) is true
  type: dict
  sample: {source: /var/log/messages, path: /var/lib/hatools-lifekeeper/support/lk_support.k2j4x9/messages, size: 52100,
           error: null}
controller_folder:
  description: O(fetch_to).
  type: str
  returned: when O(fetch_to) is set and the bundle was fetched
  sample: /srv/artifacts/run1/lk1
  version_added: 2.0.0
controller_bundle:
  description: The bundle's copy on the controller (mode 0600).
  type: str
  returned: when O(fetch_to) is set and the bundle was fetched
  sample: /srv/artifacts/run1/lk1/node1.lksupport.2611220230.tar.gz
  version_added: 2.0.0
controller_system_log:
  description: The system log's copy on the controller (mode 0600); null when the node had none or it did not arrive.
  type: str
  returned: when O(fetch_to) is set and the bundle was fetched
  sample: /srv/artifacts/run1/lk1/messages
  version_added: 2.0.0
cmd:
  description: The command run (or that would run in check mode).
  returned: always
  type: list
  elements: str
  sample: [/opt/LifeKeeper/bin/lksupport]
rc:
  description: Exit code of C(lksupport).
  returned: when it ran
  type: int
  sample: 0
stdout:
  description: Output of C(lksupport).
  returned: when it ran
  type: str
  sample: /tmp/lksupport/node1.lksupport.2611220230.tar.gz
stderr:
  description: Error output of C(lksupport).
  returned: when it ran
  type: str
  sample: ''
'''

import glob
import os
import re
import tempfile
import time

from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import local_node_name
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

_BUNDLE_RE = re.compile(r'(/\S*lksupport\S*\.tar\.gz)')
# The v8.4.1 update guide: support wants /var/log/messages with the bundle (module-level so
# that tests can point it elsewhere); the journal where a node has no such file.
MESSAGES = '/var/log/messages'


def printed_bundles(text):
    """Existing bundle paths printed by lksupport, last printed first."""
    found = []
    for path in reversed(_BUNDLE_RE.findall(text or '')):
        path = path.rstrip('.,;:\'"')
        if os.path.lexists(path) and path not in found:
            found.append(path)
    return found


def newest_bundle(bundle_dir, not_before):
    """Newest <host>.lksupport.*.tar.gz in bundle_dir modified at or after not_before."""
    names = set()
    host = local_node_name()
    for name in (host, host.split('.')[0]):
        names.update(glob.glob(os.path.join(glob.escape(bundle_dir), glob.escape(name) + '.lksupport.*.tar.gz')))
    if not names:
        names.update(glob.glob(os.path.join(glob.escape(bundle_dir), '*.lksupport.*.tar.gz')))
    fresh = [path for path in names if os.lstat(path).st_mtime >= not_before]
    if not fresh:
        return None
    return max(fresh, key=lambda path: os.lstat(path).st_mtime)


class LkSupport(LkModule):
    argument_spec = dict(
        bundle_dir=dict(type='path', default='/tmp/lksupport'),
        dest=dict(type='path', default='/var/lib/hatools-lifekeeper/support'),
        system_log=dict(type='bool', default=True),
        since=dict(type='float'),
        # handled by the action plugin (plugins/action/lk_support.py), never passed to the module
        fetch_to=dict(type='path'),
    )
    state_option = None

    def validate(self):
        files.check_creatable_dir(self.params['dest'], 'dest')
        if self.params['since'] is not None and self.params['since'] < 0:
            raise LifeKeeperError('since must be seconds since the epoch (0 or more), not %r' % self.params['since'])

    def copy_system_log(self, private_dir):
        """{source, path, size, error}: /var/log/messages, else the journal, copied into private_dir."""
        if os.path.lexists(MESSAGES):
            path = os.path.join(private_dir, 'messages')
            try:
                files.private_copy(MESSAGES, path)
            except (LifeKeeperError, OSError, IOError) as exc:
                return {'source': MESSAGES, 'path': None, 'size': None,
                        'error': getattr(exc, 'msg', None) or '%s: %s' % (MESSAGES, getattr(exc, 'strerror', exc))}
            return {'source': MESSAGES, 'path': path, 'size': os.path.getsize(path), 'error': None}
        journalctl = self.module.get_bin_path('journalctl')
        if not journalctl:
            return {'source': None, 'path': None, 'size': None,
                    'error': 'neither %s nor journalctl on this node' % MESSAGES}
        since = self.params['since']
        argv = [journalctl, '--no-pager', '-o', 'short-iso'] + (
            ['--since', '@%d' % int(since)] if since is not None else ['-b'])
        try:
            rc, out, err = self.lk.run(argv, check=False, timeout=self.params['timeout'])
        except LifeKeeperError as exc:
            return {'source': 'journalctl', 'path': None, 'size': None, 'error': exc.msg}
        if rc != 0:
            return {'source': 'journalctl', 'path': None, 'size': None,
                    'error': 'journalctl exited %d: %s' % (rc, (err or out).strip()[-300:])}
        path = os.path.join(private_dir, 'journal.txt')
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0), 0o600)
        with os.fdopen(handle, 'w') as stream:
            stream.write(out)
        return {'source': 'journalctl', 'path': path, 'size': os.path.getsize(path), 'error': None}

    def run_module(self):
        lk = self.lk
        self.result.update(changed=True, bundle=None, size=None, cmd=[lk.bin('lksupport')])
        if not os.path.exists(lk.bin('lksupport')):
            self.result['changed'] = False
            raise LifeKeeperError('LifeKeeper is not installed under %s (%s missing)' % (lk.lkroot, lk.bin('lksupport')))
        if self.check_mode:
            return
        dummy, warnings = files.ensure_private_dir(self.params['dest'], 'dest')
        for warning in warnings:
            self.module.warn(warning)
        # Filesystem timestamps may be coarser than the clock: allow a little slack.
        not_before = time.time() - 2
        rc, out, err = lk.run(['lksupport'], timeout=self.params['timeout'])
        self.record_command(self.result['cmd'], rc, out, err)
        source, info = self.find_bundle(out, err, not_before)
        private_dir = tempfile.mkdtemp(prefix='lk_support.', dir=self.params['dest'])
        self.result['private_dir'] = private_dir
        bundle = os.path.join(private_dir, os.path.basename(source))
        try:
            self.result['sha256'] = files.private_copy(source, bundle, expected=info)
        except BaseException:
            os.rmdir(private_dir)
            raise
        self.result.update(bundle=bundle, size=os.path.getsize(bundle), source_bundle=source)
        if not files.remove_quietly(source):
            self.module.warn('the bundle was copied, but %s could not be removed' % source)
        if self.params['system_log']:
            self.result['system_log'] = self.copy_system_log(private_dir)
            if self.result['system_log']['error']:
                self.module.warn('no system log beside the bundle: %s' % self.result['system_log']['error'])

    def find_bundle(self, out, err, not_before):
        """(path, lstat) of the bundle this run wrote; LifeKeeperError when none can be trusted."""
        candidates = printed_bundles(out) + printed_bundles(err)
        newest = newest_bundle(self.params['bundle_dir'], not_before) if os.path.isdir(self.params['bundle_dir']) else None
        if newest and newest not in candidates:
            candidates.append(newest)
        if not candidates:
            raise LifeKeeperError('lksupport ran but no bundle was found (output names none, nothing new in %s)'
                                  % self.params['bundle_dir'])
        reasons = []
        for path in candidates:
            try:
                return path, files.trusted_file(path, not_before)
            except LifeKeeperError as exc:
                reasons.append(exc.msg)
        raise LifeKeeperError('lksupport ran but its bundle cannot be trusted: %s' % '; '.join(reasons))


def main():
    LkSupport.main()


if __name__ == '__main__':
    main()
