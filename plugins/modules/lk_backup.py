#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r"""
module: lk_backup
short_description: Create or restore a LifeKeeper configuration backup (lkbackup)
version_added: 1.0.0
author:
  - hatools developers (@hatools)
description:
  - With O(state=present), runs C(lkbackup -c -f ARCHIVE) on the node and returns the archive path,
    its size and its SHA-256 checksum.
  - The archive is created under C($LKROOT/config) with a unique name
    C(archive.<YYMMDDhhmmss>.tar.gz) (seconds resolution, unlike the default name of lkbackup,
    so that two backups in one minute do not collide).
  - C(rmlk) deletes everything under C($LKROOT), including the archives kept there. Use O(dest)
    to copy the archive to a directory outside C($LKROOT/config) before a reinstall.
  - With O(state=restored), runs C(lkbackup -x -f ARCHIVE), which restores the LifeKeeper
    configuration, C(/etc/default/LifeKeeper) included.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
attributes:
  check_mode:
    support: full
    details:
      - In check mode nothing is run; O(state=present) always predicts a change.
  diff_mode:
    support: partial
    details:
      - With O(state=restored) and O(defaults=merge), the defaults file before and after the merge.
  platform:
    platforms: posix
options:
  state:
    description:
      - V(present) creates a new archive (every run creates one, so the task always reports a change).
      - V(restored) restores the configuration from O(archive).
    type: str
    choices: [present, restored]
    default: present
  archive:
    description:
      - Path of the archive to restore, on the managed node.
      - Required with O(state=restored); not used with O(state=present).
    type: path
  dest:
    description:
      - With O(state=present), a directory on the managed node to copy the new archive to.
      - It is created when missing (mode 0700). It must not be inside C($LKROOT/config).
    type: path
  defaults:
    description:
      - With O(state=restored), what becomes of O(defaults_file), which the archive also holds.
      - V(archive) leaves the file from the archive (what C(lkbackup -x) does).
      - V(merge) keeps the file that was there before the restore (the one a fresh install wrote) and
        carries over from the archive's file the values that differ and the parameters it lacks,
        as the v8.4.1 update guide describes for the reinstall path; C(LK_SERV_ENV) (owned by setup)
        keeps the new value. Added parameters follow a comment line, as they may be obsolete.
    type: str
    choices: [archive, merge]
    default: archive
  defaults_file:
    description:
      - The LifeKeeper defaults file.
    type: path
    default: /etc/default/LifeKeeper
notes:
  - Use M(ansible.builtin.fetch) with RV(archive) or RV(dest_archive) to keep a copy on the controller.
  - lkbackup refuses to restore (O(state=restored)) while LifeKeeper runs on some releases and in the
    simulator; stop it first (M(hatools.lifekeeper.lk_service)).
  - O(timeout) is not used by this module.
seealso:
  - module: hatools.lifekeeper.lk_setup
"""

EXAMPLES = r"""
- name: Back up the LifeKeeper configuration and keep a copy outside $LKROOT
  hatools.lifekeeper.lk_backup:
    dest: /var/backups/lifekeeper
  register: lk_backup

- name: Fetch the archive to the controller
  ansible.builtin.fetch:
    src: "{{ lk_backup.dest_archive }}"
    dest: "backups/{{ inventory_hostname }}/"
    flat: true

- name: Restore the configuration after a reinstall
  hatools.lifekeeper.lk_backup:
    state: restored
    archive: "{{ lk_backup.dest_archive }}"
"""

RETURN = r"""
archive:
  description: Path of the archive that was created (or restored from). In check mode, the predicted path.
  type: str
  returned: always
  sample: /opt/LifeKeeper/config/archive.261122021530.tar.gz
size:
  description: Size of the archive in bytes.
  type: int
  returned: when the archive exists
  sample: 20480
sha256:
  description: SHA-256 checksum of the archive.
  type: str
  returned: when the archive exists
  sample: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
dest_archive:
  description: Path of the copy made in O(dest).
  type: str
  returned: when O(dest) is set and O(state=present)
  sample: /var/backups/lifekeeper/archive.261122021530.tar.gz
defaults_changes:
  description: With O(defaults=merge), each value carried over from the archive's defaults file.
  type: list
  elements: dict
  returned: when O(state=restored) and O(defaults=merge)
  sample: [{key: LCMHBEATTIME, new: '5', old: '2', action: kept old value}]
stdout:
  description: Output of lkbackup.
  type: str
  returned: when lkbackup ran
stderr:
  description: Error output of lkbackup.
  type: str
  returned: when lkbackup ran
"""

import os
import shutil
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils import defaults_file as defaults_file_utils
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import (
    LifeKeeper, LifeKeeperError, lifekeeper_argument_spec)


def _inside(path, directory):
    """True when path is directory or lies below it (after resolving symlinks)."""
    path = os.path.realpath(path)
    directory = os.path.realpath(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


class LkBackup(object):
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.lk = LifeKeeper(module, lkroot=module.params['lkroot'])
        self.config_dir = os.path.join(self.lk.lkroot, 'config')
        self.result = dict(changed=False)

    def fail(self, msg, **kwargs):
        result = dict(self.result)
        result.update(kwargs)
        self.module.fail_json(msg=msg, **result)

    def run_lkbackup(self, args):
        try:
            rc, out, err = self.lk.run(['lkbackup'] + args)
        except LifeKeeperError as exc:
            self.fail('lkbackup failed: %s' % exc.msg, cmd=exc.cmd, rc=exc.rc, stdout=exc.stdout, stderr=exc.stderr)
        self.result.update(stdout=out, stderr=err)
        return out

    def describe(self, path):
        self.result['size'] = os.path.getsize(path)
        self.result['sha256'] = self.module.sha256(path)

    def new_archive_path(self):
        for dummy in range(5):
            name = 'archive.%s.tar.gz' % time.strftime('%y%m%d%H%M%S')
            path = os.path.join(self.config_dir, name)
            if not os.path.exists(path):
                return path
            time.sleep(1)
        self.fail('could not find a free archive name under %s' % self.config_dir)

    def require_installed(self):
        if not os.path.exists(self.lk.bin('lkbackup')):
            self.fail('LifeKeeper is not installed under %s (no %s)' % (self.lk.lkroot, self.lk.bin('lkbackup')))

    def state_present(self):
        if self.params['archive']:
            self.module.warn('archive is only used with state=restored; the new archive gets a unique name '
                             'under %s' % self.config_dir)
        dest = self.params['dest']
        if dest and _inside(dest, self.config_dir):
            self.fail('dest %s is inside %s, which rmlk deletes; choose a directory outside it' % (dest, self.config_dir))
        if dest and os.path.exists(dest) and not os.path.isdir(dest):
            self.fail('dest %s exists and is not a directory' % dest)
        self.require_installed()

        archive = self.new_archive_path()
        self.result.update(changed=True, archive=archive)
        if dest:
            self.result['dest_archive'] = os.path.join(dest, os.path.basename(archive))
        if self.module.check_mode:
            return

        self.run_lkbackup(['-c', '-f', archive])
        if not os.path.isfile(archive):
            self.fail('lkbackup reported success but did not create %s' % archive)
        self.describe(archive)

        if dest:
            if not os.path.isdir(dest):
                os.makedirs(dest, 0o700)
            copy = self.result['dest_archive']
            try:
                shutil.copy2(archive, copy)
            except (IOError, OSError) as exc:
                self.fail('archive %s created, but copying it to %s failed: %s' % (archive, copy, exc))
            copy_sum = self.module.sha256(copy)
            if copy_sum != self.result['sha256']:
                self.fail('copy %s of %s has sha256 %s, expected %s' % (copy, archive, copy_sum, self.result['sha256']))

    def state_restored(self):
        archive = self.params['archive']
        self.result['archive'] = archive
        if not os.path.isfile(archive):
            self.fail('archive %s does not exist on this node' % archive)
        self.require_installed()
        self.describe(archive)
        self.result['changed'] = True
        if self.module.check_mode:
            return
        defaults_file = self.params['defaults_file']
        new_text = None
        if self.params['defaults'] == 'merge':
            try:
                with open(defaults_file) as handle:
                    new_text = handle.read()
            except (IOError, OSError) as exc:
                self.fail('defaults=merge needs the new %s: %s' % (defaults_file, exc))
        self.run_lkbackup(['-x', '-f', archive])
        if new_text is not None:
            self.merge_defaults(defaults_file, new_text)

    def merge_defaults(self, defaults_file, new_text):
        """Keep the new defaults file (written by setup) with the old values carried over."""
        try:
            with open(defaults_file) as handle:
                old_text = handle.read()
        except (IOError, OSError):
            old_text = ''
        merged, changes = defaults_file_utils.merge(new_text, old_text)
        tmp = defaults_file + '.hatools-tmp'
        with open(tmp, 'w') as handle:
            handle.write(merged)
        os.chmod(tmp, 0o644)
        os.rename(tmp, defaults_file)
        self.result['defaults_changes'] = changes
        self.result['diff'] = dict(before=old_text, after=merged,
                                   before_header='%s (from the archive)' % defaults_file,
                                   after_header='%s (new, old values carried over)' % defaults_file)

    def run(self):
        getattr(self, 'state_' + self.params['state'])()
        self.module.exit_json(**self.result)


def main():
    argument_spec = lifekeeper_argument_spec()
    argument_spec.update(
        state=dict(type='str', default='present', choices=['present', 'restored']),
        defaults=dict(type='str', default='archive', choices=['archive', 'merge']),
        defaults_file=dict(type='path', default='/etc/default/LifeKeeper'),
        archive=dict(type='path'),
        dest=dict(type='path'),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        required_if=[('state', 'restored', ['archive'])],
        supports_check_mode=True,
    )
    LkBackup(module).run()


if __name__ == '__main__':
    main()
