#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r"""
module: lk_setup
short_description: Install, update or remove LifeKeeper from the product media
version_added: 1.0.0
author:
  - hatools developers (@hatools)
description:
  - With O(state=present), installs LifeKeeper (fresh install) or updates it in place to O(version) by
    running the C(setup) program of the product media, the way the vendor update guide does it.
  - The media is the product ISO (C(LKL_V<ver>_<mmddyy>.iso)) on the managed node, which holds
    C(sps_<ver>.img), an ISO9660 image with C(setup) at its root. O(media_access=mount) loop-mounts
    both read-only; O(media_access=extract) unpacks both with C(xorriso) for hosts that cannot
    loop-mount ISO9660. Alternatively O(setup_dir) names a directory that already holds C(setup).
    Everything the module mounted is unmounted again, also when setup fails.
  - The module checks before anything changes that the media exists, matches O(media_sha256) and is
    of O(version) (the C(sps_<ver>.img) name and the ISO file name), and that O(version) can be
    reached from the installed version by a fresh install or a direct update. A source outside the
    direct update window or a downgrade is refused; the reinstall path (M(hatools.lifekeeper.lk_backup)
    with O(hatools.lifekeeper.lk_backup#module:dest), O(state=absent), O(state=present),
    M(hatools.lifekeeper.lk_backup) O(hatools.lifekeeper.lk_backup#module:state=restored)) must be
    used for those.
  - Nothing is done when the installed C(steeleye-lk) version already equals O(version).
  - After setup the module requires C(Setup Complete.) in its output and exit code 0, and verifies that
    the installed C(steeleye-lk) version equals O(version).
  - With O(state=absent), runs C(rmlk) and answers its confirmation prompt with C(y). This removes
    everything under C($LKROOT), including lkbackup archives kept there.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
attributes:
  check_mode:
    support: full
    details:
      - Check mode verifies the media (existence, checksum, version in its names) and the update path,
        and predicts the change; it does not mount, extract or run anything.
  diff_mode:
    support: full
    details:
      - The installed version before and after.
  platform:
    platforms: posix
options:
  state:
    description:
      - V(present) installs or updates to O(version); V(absent) removes LifeKeeper with C(rmlk).
    type: str
    choices: [present, absent]
    default: present
  version:
    description:
      - The version that must be installed afterwards, in the form C(N.N.N) (for example C(9.9.0)).
      - Required with O(state=present).
    type: str
  media:
    description:
      - Path of the product ISO on the managed node.
      - One of O(media) and O(setup_dir) is required with O(state=present).
    type: path
  media_access:
    description:
      - How to reach the content of O(media).
      - V(mount) loop-mounts the ISO and then C(sps_<ver>.img) read-only (C(mount -o loop,ro)).
      - V(extract) unpacks both with C(xorriso -osirrox on -indev IMAGE -extract / DIR), for hosts
        that cannot loop-mount ISO9660 (containers, kernels without the iso9660 driver).
    type: str
    choices: [mount, extract]
    default: mount
  media_sha256:
    description:
      - Expected SHA-256 checksum of O(media). A mismatch fails before anything changes.
    type: str
  setup_dir:
    description:
      - A directory that already holds the C(setup) program (an image mounted or unpacked beforehand).
    type: path
  setup_args:
    description:
      - The exact arguments passed to C(setup), one list element per argument (no shell).
      - When omitted, the defaults are C([-f, CONFIG_FILE]) for a 9.x or later target (non-interactive
        run from a configuration file) and C([-y]) (accept the defaults) for an 8.x target.
    type: list
    elements: str
  config_file:
    description:
      - Setup configuration file (saved from the setup menu) used by the default O(setup_args) of a
        9.x or later target.
      - When omitted, an empty configuration file is used, which accepts what setup preselects
        (for an update, the installed components).
      - Not used for an 8.x target or when O(setup_args) is set.
    type: path
  validate_only:
    description:
      - Only check the media (existence, O(media_sha256), the version in its names, also inside the ISO
        when C(xorriso) is available) and report RV(update_path) and RV(update_reason); refuse no path and
        change nothing, also outside check mode.
      - Used by pre-flight checks that decide themselves what to do with each path.
    type: bool
    default: false
  tmp_dir:
    description:
      - Directory under which the temporary mount points or the extracted media are created.
      - Defaults to the system temporary directory. With O(media_access=extract) it needs room for
        the content of the ISO.
    type: path
notes:
  - The setup configuration flag C(-f) of 9.x setup is an assumption of this collection (the vendor
    documents that choices can be saved to and loaded from a file, not the flag). Pass O(setup_args)
    to match your release.
  - If LifeKeeper was running before setup, setup starts it again at the end.
  - O(timeout) is not used by this module; setup runs until it ends.
seealso:
  - module: hatools.lifekeeper.lk_backup
  - module: hatools.lifekeeper.lk_status
"""

EXAMPLES = r"""
- name: Update LifeKeeper in place to 9.9.0 from the product ISO
  hatools.lifekeeper.lk_setup:
    version: 9.9.0
    media: /srv/media/LKL_V9.9.0_112226.iso
    media_sha256: 0f3c8d...e1
  register: lk_update

- name: Update on a host that cannot loop-mount ISO9660
  hatools.lifekeeper.lk_setup:
    version: 9.9.0
    media: /srv/media/LKL_V9.9.0_112226.iso
    media_access: extract
    config_file: /root/lk-setup.conf

- name: Update an 8.x node, media already mounted at /mnt
  hatools.lifekeeper.lk_setup:
    version: 8.4.1
    setup_dir: /mnt

- name: Remove LifeKeeper (reinstall path)
  hatools.lifekeeper.lk_setup:
    state: absent
"""

RETURN = r"""
version_before:
  description: Installed C(steeleye-lk) version before the task, null when none was installed.
  type: str
  returned: always
  sample: 9.8.0
version_after:
  description: Installed C(steeleye-lk) version after the task (in check mode, the predicted one).
  type: str
  returned: always
  sample: 9.9.0
update_path:
  description:
    - How O(version) is reached from the installed version (V(fresh), V(none), V(direct)); with
      O(validate_only=true) also V(reinstall) or V(downgrade).
  type: str
  returned: when O(state=present)
  sample: direct
update_reason:
  description: The rule behind RV(update_path), naming both versions.
  type: str
  returned: when O(state=present) and the installed version could be compared
  sample: direct update from 9.7.0 to 9.9.0 (v9.9.0 update guide)
setup_args:
  description: The arguments setup was (or, in check mode, would be) run with.
  type: list
  elements: str
  returned: when setup ran or would run
setup_output_tail:
  description: The last lines (about 20) of the output of setup or rmlk.
  type: list
  elements: str
  returned: when setup or rmlk ran
media_sha256:
  description: SHA-256 checksum of O(media).
  type: str
  returned: when O(media) is set
media_version:
  description: The version named by C(sps_<ver>.img) inside the media (when it could be read).
  type: str
  returned: when the media content was read
perl_change:
  description:
    - Whether the update crosses 9.8.0, where the bundled Perl changed from 5.8.8 to 5.32.1
      (Perl-based Generic ARK scripts may break). A warning is also issued.
  type: bool
  returned: when setup runs or would run
"""

import contextlib
import os
import re
import shutil
import stat
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import (
    LifeKeeper, LifeKeeperError, ModuleFailure, lifekeeper_argument_spec)
from ansible_collections.hatools.lifekeeper.plugins.module_utils import versions
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import version_major

TAIL_LINES = 20
ISO_NAME_RE = re.compile(r'^LKL_V([0-9][0-9.]*?)_')
IMG_NAME_RE = re.compile(r'^sps_(.+)\.img$')


class SetupFailure(ModuleFailure):
    """A failure to report after cleaning up (see ModuleFailure)."""


def _same_version(found, target):
    """sps_9.9.0.img and sps_990.img both name 9.9.0."""
    return found == target or found.replace('.', '') == target.replace('.', '')


def _tail(out, err=''):
    text = (out or '').rstrip('\n')
    if err and err.strip():
        text = (text + '\n' + err.rstrip('\n')) if text else err.rstrip('\n')
    lines = text.splitlines()
    return lines[-TAIL_LINES:]


def _rmtree(path):
    """Remove a tree extracted from read-only media (directories may lack the write bit)."""
    def onerror(func, failed, exc_info):
        parent = os.path.dirname(failed)
        try:
            os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, os.stat(failed).st_mode | stat.S_IWUSR | stat.S_IXUSR | stat.S_IRUSR)
            func(failed)
        except OSError:
            pass
    shutil.rmtree(path, onerror=onerror)


class LkSetup(object):
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.lk = LifeKeeper(module, lkroot=module.params['lkroot'])
        self.result = dict(changed=False)
        self.cleanup_errors = []

    # ---- helpers -------------------------------------------------------------------------
    def run_tool(self, args, check=True):
        """Run a system tool (mount, xorriso) by absolute path through the adapter."""
        try:
            return self.lk.run(args, check=check)
        except LifeKeeperError as exc:
            msg = exc.msg
            if os.path.basename(args[0]) == 'mount':
                msg += ' (on hosts that cannot loop-mount ISO9660 images use media_access=extract)'
            raise SetupFailure(msg, cmd=exc.cmd, rc=exc.rc, stdout=exc.stdout, stderr=exc.stderr)

    def set_versions(self, before, after):
        self.result['version_before'] = before
        self.result['version_after'] = after
        self.result['diff'] = dict(before=dict(version=before), after=dict(version=after))

    # ---- media checks (read-only) ----------------------------------------------------------
    def check_media(self, target):
        media = self.params['media']
        if not os.path.isfile(media):
            raise SetupFailure('media %s does not exist on this node' % media)
        checksum = self.module.sha256(media)
        self.result['media_sha256'] = checksum
        expected = self.params['media_sha256']
        if expected and expected.strip().lower() != checksum:
            raise SetupFailure('media %s has sha256 %s, but media_sha256 is %s' % (media, checksum, expected.strip().lower()))
        match = ISO_NAME_RE.match(os.path.basename(media))
        if match and not _same_version(match.group(1).rstrip('.'), target):
            raise SetupFailure('media %s is named for version %s, but version is %s' % (media, match.group(1).rstrip('.'), target))

    def list_media_root(self, media):
        """Names at the root of the ISO, read with xorriso without mounting (None without xorriso)."""
        xorriso = self.module.get_bin_path('xorriso')
        if not xorriso:
            return None
        rc, out, err = self.run_tool([xorriso, '-indev', media, '-ls', '/'], check=False)
        if rc != 0:
            return None
        return [line.strip().strip("'") for line in out.splitlines() if line.strip()]

    def check_image_name(self, names, target, where):
        images = sorted(name for name in names if IMG_NAME_RE.match(name))
        if not images:
            raise SetupFailure('no sps_<version>.img found in %s' % where)
        if len(images) > 1:
            raise SetupFailure('more than one sps_<version>.img in %s: %s' % (where, ', '.join(images)))
        found = IMG_NAME_RE.match(images[0]).group(1)
        self.result['media_version'] = found
        if not _same_version(found, target):
            raise SetupFailure('media %s holds %s (version %s), but version is %s'
                               % (self.params['media'], images[0], found, target))
        return images[0]

    # ---- reaching setup --------------------------------------------------------------------
    @contextlib.contextmanager
    def setup_source(self, target):
        """Yield the directory holding setup; undo every mount and extraction afterwards."""
        if self.params['setup_dir']:
            yield self.params['setup_dir']
            return
        media = self.params['media']
        workdir = tempfile.mkdtemp(prefix='lk_setup.', dir=self.params['tmp_dir'])
        mounted = []
        try:
            iso_dir = os.path.join(workdir, 'iso')
            sps_dir = os.path.join(workdir, 'sps')
            os.mkdir(iso_dir)
            os.mkdir(sps_dir)
            if self.params['media_access'] == 'mount':
                mount = self.module.get_bin_path('mount', required=True)
                self.run_tool([mount, '-o', 'loop,ro', media, iso_dir])
                mounted.append(iso_dir)
                image = self.check_image_name(os.listdir(iso_dir), target, media)
                self.run_tool([mount, '-t', 'iso9660', '-o', 'loop,ro', os.path.join(iso_dir, image), sps_dir])
                mounted.append(sps_dir)
            else:
                xorriso = self.module.get_bin_path('xorriso', required=True)
                self.run_tool([xorriso, '-osirrox', 'on', '-indev', media, '-extract', '/', iso_dir])
                image = self.check_image_name(os.listdir(iso_dir), target, media)
                self.run_tool([xorriso, '-osirrox', 'on', '-indev', os.path.join(iso_dir, image),
                               '-extract', '/', sps_dir])
                setup = os.path.join(sps_dir, 'setup')
                if os.path.isfile(setup):
                    os.chmod(setup, os.stat(setup).st_mode | stat.S_IXUSR | stat.S_IRUSR)
            yield sps_dir
        finally:
            self.unmount_all(mounted)
            if not self.cleanup_errors:
                _rmtree(workdir)

    def unmount_all(self, mounted):
        if not mounted:
            return
        umount = self.module.get_bin_path('umount', required=True)
        for path in reversed(mounted):
            rc, out, err = self.lk.run([umount, path], check=False)
            if rc != 0:
                message = 'could not unmount %s (rc=%s): %s' % (path, rc, (err or out).strip())
                self.cleanup_errors.append(message)
                self.module.warn(message)

    def default_setup_args(self, target, workdir_holder):
        if version_major(target) >= 9:
            config = self.params['config_file']
            if not config:
                handle, config = tempfile.mkstemp(prefix='lk_setup.', suffix='.conf', dir=self.params['tmp_dir'])
                os.close(handle)
                workdir_holder.append(config)
            return ['-f', config]
        if self.params['config_file']:
            self.module.warn('config_file is not used for an 8.x target; setup runs with -y')
        return ['-y']

    # ---- states ----------------------------------------------------------------------------
    def state_present(self):
        target = self.params['version']
        try:
            versions.parse_version(target)
        except ValueError as exc:
            raise SetupFailure('invalid version: %s' % exc)

        if self.params['media']:
            self.check_media(target)
        else:
            setup = os.path.join(self.params['setup_dir'], 'setup')
            if not os.path.isfile(setup):
                raise SetupFailure('setup_dir %s holds no setup program (%s missing)' % (self.params['setup_dir'], setup))
        config = self.params['config_file']
        if config and not os.path.isfile(config):
            raise SetupFailure('config_file %s does not exist on this node' % config)

        before = self.lk.version()
        self.set_versions(before, before)
        try:
            path = versions.update_path(before, target)
        except ValueError as exc:
            raise SetupFailure('cannot compare the installed version with %s: %s' % (target, exc))
        self.result['update_path'] = path.kind
        self.result['update_reason'] = path.reason
        if self.params['validate_only']:
            # Pre-flight: the media is checked (also inside the ISO), the path is reported, the
            # decision (skip, update, reinstall, refuse) is left to the caller.
            if self.params['media']:
                names = self.list_media_root(self.params['media'])
                if names is not None:
                    self.check_image_name(names, target, self.params['media'])
            return
        if path.kind == 'none' or (before is not None and _same_version(before, target)):
            self.result['update_path'] = 'none'
            return
        if path.kind == 'reinstall':
            raise SetupFailure('cannot update from %s to %s in place: %s; the reinstall path must be used '
                               '(back up with lk_backup and dest, remove with lk_setup state=absent, install, '
                               'restore the backup)' % (before, target, path.reason))
        if path.kind not in ('fresh', 'direct'):
            raise SetupFailure('refusing to go from %s to %s (%s): %s' % (before, target, path.kind, path.reason))

        self.result['perl_change'] = versions.crosses_perl_change(before, target)
        if self.result['perl_change']:
            self.module.warn('the update from %s to %s crosses 9.8.0, where the bundled Perl changed from 5.8.8 '
                             'to 5.32.1: Perl-based Generic ARK scripts may need changes' % (before, target))

        if self.module.check_mode and self.params['media']:
            names = self.list_media_root(self.params['media'])
            if names is not None:
                self.check_image_name(names, target, self.params['media'])

        temp_files = []
        args = self.params['setup_args']
        if args is None:
            args = ['-f', config or '<empty config file>'] if version_major(target) >= 9 else ['-y']
        self.result['setup_args'] = list(args)
        if self.module.check_mode:
            self.set_versions(before, target)
            self.result['changed'] = True
            return

        try:
            if self.params['setup_args'] is None:
                args = self.default_setup_args(target, temp_files)
                self.result['setup_args'] = list(args)
            with self.setup_source(target) as setup_dir:
                setup = os.path.join(setup_dir, 'setup')
                if not os.path.isfile(setup):
                    raise SetupFailure('no setup program in the media (%s missing)' % setup)
                self.result['changed'] = True
                rc, out, err = self.lk.run([setup] + list(args), check=False)
                self.result['setup_output_tail'] = _tail(out, err)
        finally:
            for name in temp_files:
                os.remove(name)

        after = self.lk.version()
        self.set_versions(before, after)
        if rc != 0 or 'Setup Complete.' not in (out or '') + (err or ''):
            last = self.result['setup_output_tail'][-1] if self.result['setup_output_tail'] else ''
            raise SetupFailure('setup failed (rc=%s, no "Setup Complete."): %s' % (rc, last), rc=rc)
        if after is None or not _same_version(after, target):
            raise SetupFailure('setup reported success, but the installed steeleye-lk version is %s, expected %s'
                               % (after, target))

    def state_absent(self):
        before = self.lk.version()
        self.set_versions(before, before)
        rmlk = self.lk.bin('rmlk')
        if before is None and not os.path.exists(rmlk):
            return
        if not os.path.exists(rmlk):
            raise SetupFailure('steeleye-lk %s is installed but %s is missing; remove the packages by hand' % (before, rmlk))
        self.set_versions(before, None)
        self.result['changed'] = True
        if self.module.check_mode:
            return
        rc, out, err = self.lk.run(['rmlk'], check=False, data='y\n')
        self.result['setup_output_tail'] = _tail(out, err)
        after = self.lk.version()
        self.set_versions(before, after)
        if rc != 0:
            raise SetupFailure('rmlk failed (rc=%s)' % rc, rc=rc)
        if after is not None:
            raise SetupFailure('rmlk ended, but steeleye-lk %s is still installed' % after)

    def run(self):
        try:
            getattr(self, 'state_' + self.params['state'])()
        except SetupFailure as exc:
            result = dict(self.result)
            result.update(exc.details)
            if self.cleanup_errors:
                result['cleanup_errors'] = self.cleanup_errors
            self.module.fail_json(msg=exc.msg, **result)
        if self.cleanup_errors:
            self.module.fail_json(msg='setup finished but cleanup failed: %s' % '; '.join(self.cleanup_errors),
                                  cleanup_errors=self.cleanup_errors, **self.result)
        self.module.exit_json(**self.result)


def main():
    argument_spec = lifekeeper_argument_spec()
    argument_spec.update(
        state=dict(type='str', default='present', choices=['present', 'absent']),
        version=dict(type='str'),
        media=dict(type='path'),
        media_access=dict(type='str', default='mount', choices=['mount', 'extract']),
        media_sha256=dict(type='str'),
        setup_dir=dict(type='path'),
        setup_args=dict(type='list', elements='str'),
        config_file=dict(type='path'),
        tmp_dir=dict(type='path'),
        validate_only=dict(type='bool', default=False),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        required_if=[
            ('state', 'present', ['version']),
            ('state', 'present', ['media', 'setup_dir'], True),
        ],
        mutually_exclusive=[('media', 'setup_dir')],
        supports_check_mode=True,
    )
    LkSetup(module).run()


if __name__ == '__main__':
    main()
