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
  - The archive is made private (mode 0600).
  - C(rmlk) deletes everything under C($LKROOT), including the archives kept there. Use O(dest)
    to copy the archive to a directory outside C($LKROOT/config) before a reinstall.
  - Nothing is left half-done. When the copy to O(dest) fails, the new archive (and a directory
    O(dest) the module created) is removed again and the module fails naming the path.
  - With O(state=restored), runs C(lkbackup -x -f ARCHIVE), which restores the LifeKeeper
    configuration, C(/etc/default/LifeKeeper) included.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
  - hatools.lifekeeper.lifekeeper.requirements
attributes:
  check_mode:
    support: full
    details:
      - In check mode nothing is run or created; O(state=present) always predicts a change.
  diff_mode:
    support: partial
    details:
      - With O(state=restored) and O(defaults=merge) or O(defaults=keep_new), the defaults file before and after.
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
      - With O(state=present), a directory on the managed node to copy the new archive to
        (the copy is mode 0600).
      - It is created when missing (mode 0700). It must not be inside C($LKROOT/config); an
        existing one must belong to this user or root and must not be writable by other users
        (unless sticky). A regular file at the path or above it is refused before anything runs.
    type: path
  defaults:
    description:
      - With O(state=restored), what becomes of O(defaults_file), which the archive also holds.
      - V(archive) leaves the file from the archive (what C(lkbackup -x) does).
      - V(merge) keeps the file that was there before the restore (the one a fresh install wrote) and
        carries over from the archive's file the values that differ and the parameters it lacks,
        as the v8.4.1 update guide describes for the reinstall path; C(LK_SERV_ENV) (owned by setup)
        keeps the new value. Added parameters follow a comment line, as they may be obsolete.
      - V(keep_new) keeps the file that was there before the restore (both update guides keep the new
        release's file) and carries over from the archive's file only the keys listed in
        O(defaults_carry); every other old value that differs is returned in RV(defaults_review)
        for the operator to look at, nothing else changes.
    type: str
    choices: [archive, merge, keep_new]
    default: archive
  defaults_carry:
    description:
      - With O(defaults=keep_new), the keys whose old value (from the archive's defaults file) is
        carried over into the new file. C(LK_SERV_ENV) (owned by setup) is never carried over.
    type: list
    elements: str
    default: []
    version_added: 2.0.0
  defaults_file:
    description:
      - The LifeKeeper defaults file.
    type: path
    default: /etc/default/LifeKeeper
  fetch_to:
    description:
      - With O(state=present), a folder on the controller to bring the new archive (RV(dest_archive), else
        RV(archive)) and O(defaults_file) to, in the same task, once the archive exists (not in check mode).
      - Each file is fetched as M(ansible.builtin.fetch) does (its checksum checked after the transfer; with
        C(become), read as the become user), made mode 0600; the folder and its missing parents are created with
        mode 0700. The archive is then checked against RV(sha256), read on the node.
      - The module itself never sees this option; the collection's action plugin handles it on the controller.
    type: path
    version_added: 2.0.0
notes:
  - O(fetch_to) keeps a copy on the controller (or use M(ansible.builtin.fetch) with RV(archive) or RV(dest_archive)).
  - lkbackup refuses to restore (O(state=restored)) while LifeKeeper runs on some releases and in the
    simulator; stop it first (M(hatools.lifekeeper.lk_service)).
  - C(lkbackup) runs within O(timeout).
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
  returned: when O(state=restored) and O(defaults) is V(merge) or V(keep_new)
  sample: [{key: LCMHBEATTIME, new: '5', old: '2', action: kept old value}]
defaults_review:
  description:
    - With O(defaults=keep_new), each key of the archive's defaults file whose value differs from the new
      file's (C(new) null when the new file lacks it) and that was not carried over, for review.
  type: list
  elements: dict
  returned: when O(state=restored) and O(defaults=keep_new)
  sample: [{key: LCMHBEATTIME, new: '5', old: '2'}]
controller_archive:
  description: The archive's copy on the controller.
  type: str
  returned: when O(fetch_to) is set and the archive was fetched
  sample: /srv/artifacts/run1/lk1/archive.261122021530.tar.gz
controller_defaults:
  description: The defaults file's copy on the controller.
  type: str
  returned: when O(fetch_to) is set and the archive was fetched
  sample: /srv/artifacts/run1/lk1/LifeKeeper
controller_folder:
  description: O(fetch_to).
  type: str
  returned: when O(fetch_to) is set
  sample: /srv/artifacts/run1/lk1
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
import time

from ansible_collections.hatools.lifekeeper.plugins.module_utils import defaults_file as defaults_file_utils
from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule, describe_os_error
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import DEFAULTS_FILE
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError


def _inside(path, directory):
    """True when path is directory or lies below it (after resolving symlinks)."""
    path = os.path.realpath(path)
    directory = os.path.realpath(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


class LkBackup(LkModule):
    argument_spec = dict(
        state=dict(type='str', default='present', choices=['present', 'restored']),
        defaults=dict(type='str', default='archive', choices=['archive', 'merge', 'keep_new']),
        defaults_carry=dict(type='list', elements='str', default=[]),
        defaults_file=dict(type='path', default=DEFAULTS_FILE),
        archive=dict(type='path'),
        dest=dict(type='path'),
        # the controller side (plugins/action/lk_backup.py) takes it; declared for the documentation
        fetch_to=dict(type='path'),
    )
    module_kwargs = dict(required_if=[('state', 'restored', ['archive'])])

    def __init__(self, module):
        LkModule.__init__(self, module)
        self.config_dir = os.path.join(self.lk.lkroot, 'config')

    def validate(self):
        dest = self.params['dest']
        if dest and self.params['state'] == 'present':
            if _inside(dest, self.config_dir):
                raise LifeKeeperError('dest %s is inside %s, which rmlk deletes; choose a directory outside it'
                                      % (dest, self.config_dir))
            files.check_creatable_dir(dest, 'dest')

    def run_lkbackup(self, args):
        try:
            rc, out, err = self.lk.run(['lkbackup'] + args, timeout=self.params['timeout'])
        except LifeKeeperError as exc:
            exc.msg = 'lkbackup failed: %s' % exc.msg
            raise
        self.result.update(stdout=out, stderr=err)
        return out

    def describe(self, path):
        self.result['size'] = os.path.getsize(path)
        self.result['sha256'] = files.sha256_of(path)

    def new_archive_path(self):
        for dummy in range(5):
            name = 'archive.%s.tar.gz' % time.strftime('%y%m%d%H%M%S')
            path = os.path.join(self.config_dir, name)
            if not os.path.exists(path):
                return path
            time.sleep(1)
        raise LifeKeeperError('could not find a free archive name under %s' % self.config_dir)

    def require_installed(self):
        if not os.path.exists(self.lk.bin('lkbackup')):
            raise LifeKeeperError('LifeKeeper is not installed under %s (no %s)' % (self.lk.lkroot, self.lk.bin('lkbackup')))

    def state_present(self):
        if self.params['archive']:
            self.module.warn('archive is only used with state=restored; the new archive gets a unique name '
                             'under %s' % self.config_dir)
        dest = self.params['dest']
        self.require_installed()
        archive = self.new_archive_path()
        self.result.update(changed=True, archive=archive)
        if dest:
            self.result['dest_archive'] = os.path.join(dest, os.path.basename(archive))
        if self.check_mode:
            return
        created = False
        if dest:
            created, warnings = files.ensure_private_dir(dest, 'dest')
            for warning in warnings:
                self.module.warn(warning)
        started = time.time() - 2
        try:
            self.run_lkbackup(['-c', '-f', archive])
            if not os.path.isfile(archive):
                raise LifeKeeperError('lkbackup reported success but did not create %s' % archive)
            os.chmod(archive, files.PRIVATE_FILE_MODE)
            self.describe(archive)
            if dest:
                self.copy(archive, self.result['dest_archive'], started)
        except BaseException:
            # Nothing half-done: no orphan archive in $LKROOT/config, no empty dest we made.
            if files.remove_quietly(archive):
                self.result['archive_removed'] = True
            if created:
                try:
                    os.rmdir(dest)
                except OSError:
                    pass
            raise

    def copy(self, archive, copy, not_before):
        try:
            info = files.trusted_file(archive, not_before)
            copy_sum = files.private_copy(archive, copy, expected=info)
        except (IOError, OSError) as exc:
            raise LifeKeeperError('archive %s created, but copying it to %s failed: %s; the archive was removed'
                                  % (archive, copy, describe_os_error(exc)))
        except LifeKeeperError as exc:
            raise LifeKeeperError('archive %s created, but it cannot be copied to %s: %s; the archive was removed'
                                  % (archive, copy, exc.msg))
        if copy_sum != self.result['sha256']:
            files.remove_quietly(copy)
            raise LifeKeeperError('copy %s of %s has sha256 %s, expected %s' % (copy, archive, copy_sum, self.result['sha256']))

    def state_restored(self):
        archive = self.params['archive']
        self.result['archive'] = archive
        if not os.path.isfile(archive):
            raise LifeKeeperError('archive %s does not exist on this node' % archive)
        self.require_installed()
        self.describe(archive)
        self.result['changed'] = True
        if self.check_mode:
            return
        defaults_file = self.params['defaults_file']
        new_text = None
        if self.params['defaults'] in ('merge', 'keep_new'):
            try:
                new_text = defaults_file_utils.read(defaults_file)
            except (IOError, OSError) as exc:
                raise LifeKeeperError('defaults=%s needs the new %s: %s' % (
                    self.params['defaults'], defaults_file, exc.strerror or exc))
            except defaults_file_utils.DefaultsFileError as exc:
                raise LifeKeeperError('defaults=%s needs the new %s: %s; nothing was restored' % (
                    self.params['defaults'], defaults_file, exc))
        self.run_lkbackup(['-x', '-f', archive])
        if new_text is not None and self.params['defaults'] == 'keep_new':
            self.keep_new_defaults(defaults_file, new_text)
        elif new_text is not None:
            self.merge_defaults(defaults_file, new_text)

    def keep_new_defaults(self, defaults_file, new_text):
        """Put the new defaults file back (the restore wrote the archive's), with only the keys of
        defaults_carry carried over; the other old values that differ are returned for review."""
        try:
            old_text = defaults_file_utils.read(defaults_file)
        except (IOError, OSError):
            old_text = ''
        except defaults_file_utils.DefaultsFileError as exc:
            try:
                files.write_atomic(defaults_file, new_text, mode=0o644)
            except (IOError, OSError) as write_exc:
                raise LifeKeeperError('the archive was restored (lkbackup -x ran); the %s it put back cannot be '
                                      'read (%s) and putting the new one back failed: %s; the new release\'s '
                                      'text is in defaults_new_text' % (defaults_file, exc, write_exc.strerror or write_exc),
                                      defaults_new_text=new_text)
            raise LifeKeeperError('the archive was restored (lkbackup -x ran) and the new release\'s %s put back, '
                                  'but the archive\'s version cannot be read (%s): nothing of lk_defaults_carry was '
                                  'carried over and its old values were not compared; review them in the archive'
                                  % (defaults_file, exc))
        kept, review, carried = defaults_file_utils.keep_new(new_text, old_text, self.params['defaults_carry'])
        self.write_defaults(defaults_file, kept, 'putting back the new')
        self.result['defaults_changes'] = carried
        self.result['defaults_review'] = review
        self.set_diff(old_text, kept, before_header='%s (from the archive)' % defaults_file,
                      after_header='%s (new, lk_defaults_carry carried over)' % defaults_file)

    @staticmethod
    def write_defaults(defaults_file, text, doing):
        """Write the defaults file after the restore; a failure says the archive's version is there."""
        try:
            files.write_atomic(defaults_file, text, mode=0o644)
        except (IOError, OSError) as exc:
            raise LifeKeeperError('the archive was restored, but %s %s failed: %s; it holds the archive\'s '
                                  'version now' % (doing, defaults_file, exc.strerror or exc))

    def merge_defaults(self, defaults_file, new_text):
        """Keep the new defaults file (written by setup) with the old values carried over."""
        try:
            old_text = defaults_file_utils.read(defaults_file)
        except (IOError, OSError):
            old_text = ''
        except defaults_file_utils.DefaultsFileError as exc:
            raise LifeKeeperError('the archive was restored (lkbackup -x ran), but the %s it put back cannot be '
                                  'merged: %s; the file holds the archive\'s version now, the new release\'s '
                                  'text is in defaults_new_text' % (defaults_file, exc), defaults_new_text=new_text)
        merged, changes = defaults_file_utils.merge(new_text, old_text)
        self.write_defaults(defaults_file, merged, 'writing the merged')
        self.result['defaults_changes'] = changes
        self.set_diff(old_text, merged, before_header='%s (from the archive)' % defaults_file,
                      after_header='%s (new, old values carried over)' % defaults_file)


def main():
    LkBackup.main()


if __name__ == '__main__':
    main()
