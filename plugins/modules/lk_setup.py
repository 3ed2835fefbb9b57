#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r"""
module: lk_setup
short_description: Install, update or remove LifeKeeper, its recovery kits and licence keys from the product media
version_added: 1.0.0
author:
  - hatools developers (@hatools)
description:
  - With O(state=present), installs LifeKeeper (fresh install) or updates it in place to O(version) by
    running the C(setup) program of the product media, the way the vendor update guide does it, and
    installs or updates the recovery kits in O(kits) and the licence keys in O(license_files).
  - The media is the product ISO (C(LKL_V<ver>_<mmddyy>.iso)) on the managed node, which holds
    C(sps_<ver>.img), an ISO9660 image with C(setup) at its root. O(media_access=mount) loop-mounts
    both read-only; O(media_access=extract) unpacks both with C(xorriso) for hosts that cannot
    loop-mount ISO9660. Alternatively O(setup_dir) names a directory that already holds C(setup).
    Everything the module mounted is unmounted again, also when setup fails.
  - The module checks before anything changes that the media exists, matches O(media_sha256) and is
    of O(version) (the C(sps_<ver>.img) name and the ISO file name), that O(version) can be
    reached from the installed version by a fresh install or a direct update, and that O(tmp_dir),
    O(config_file) and every O(license_files) entry exist. A source outside the direct update window
    or a downgrade is refused; the reinstall path (M(hatools.lifekeeper.lk_backup)
    with O(hatools.lifekeeper.lk_backup#module:dest), O(state=absent), O(state=present),
    M(hatools.lifekeeper.lk_backup) O(hatools.lifekeeper.lk_backup#module:state=restored)) must be
    used for those.
  - Nothing is done when the installed C(steeleye-lk) version already equals O(version), every kit of
    O(kits) is installed at that version and every key file of O(license_files) is already installed
    (the same content in C(/var/LifeKeeper/license)). Kits or keys to install when the core is already
    at O(version) are a change; 9.x setup runs again for the same version from O(config_file), 8.x
    setup runs as C(setup -k) for kits. Licence keys are installed with C(lkkeyins) after setup (the
    8.4.1 guide, step 12), for every target.
  - Setup runs from the directory that holds it (the mounted image), as the guide's C(cd /mnt; ./setup).
  - For a 9.x or later target, setup runs non-interactively from the operator's configuration file
    O(config_file), saved from setup's own menu, passed unchanged as C(setup -f CONFIG_FILE) (the
    flag is an assumption - the vendor documents a non-interactive installation from a saved file, see
    the notes); the module writes no keys of its own. Without O(config_file) (and without O(setup_args))
    a 9.x target is refused before anything changes. Kits of O(kits) must be chosen in that file;
    the module checks afterwards that they are installed.
  - For an 8.x target, setup's screens are passed one by one, as the 8.4.1 guide shows them - screens
    that only wait for Enter (the start, the stop of LifeKeeper and its completion, the base packages,
    C(Java is already properly installed on this system.), the required and the core packages) get
    Enter; questions are answered from facts, not with C(-y) (which would enable the NFS utilities and
    restart the NFS daemons on every node) - the DataKeeper kernel module only when C(steeleye-lkDR) is
    installed or in O(kits); the NFS utilities only when a resource of type C(gen/nfs) exists (read
    from the long status display; when LifeKeeper does not run, when C(steeleye-lkNFS) is installed);
    the NFS daemon restart only with O(nfs_restart=true); licence keys no (C(lkkeyins) installs them
    after setup); the installed recovery kits kept for update and the kits of O(kits) added.
    O(answers) adds the operator's answers for site-specific screens. A screen nobody recognises
    stops setup (its process group is killed while it waits, before it changes more) and the module
    fails naming the screen with its last lines. RV(answers) lists every answer given.
  - After setup the module requires C(Setup Complete.) in its output and exit code 0, and verifies with
    rpm that the installed C(steeleye-lk) version equals O(version) and that every recovery kit the node
    had and every kit of O(kits) is installed at O(version) (naming the missing ones), then installs
    O(license_files) with C(lkkeyins) and checks they are in C(/var/LifeKeeper/license).
  - With O(state=absent), runs C(rmlk) and answers its confirmation prompt with C(y) (before 7.5, which has no
    C(rmlk), removes the C(steeleye*) and C(HADR*) packages with C(rpm -e), as the update guides say). This removes
    everything under C($LKROOT), including lkbackup archives kept there.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
  - hatools.lifekeeper.lifekeeper.progress
  - hatools.lifekeeper.lifekeeper.requirements
attributes:
  check_mode:
    support: full
    details:
      - Check mode verifies the media (existence, checksum, version in its names), the update path, the
        kits and licence files, predicts the change and the 8.x answers; it does not mount, extract or
        run anything.
  diff_mode:
    support: full
    details:
      - The installed version and the installed C(steeleye-*) packages before and after.
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
      - The version that must be installed afterwards, in the form C(N.N.N) (for example C(9.9.0)); a
        leading C(v) and a missing patch level are accepted (C(v9.9) is C(9.9.0)).
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
      - The exact arguments passed to C(setup), one list element per argument (no shell), instead of
        the module's own (C([-f, CONFIG_FILE]) for 9.x, none for an 8.x update, C([-k]) for 8.x kits only).
      - For an 8.x target the screens setup still shows are answered as described above.
    type: list
    elements: str
  config_file:
    description:
      - Setup configuration file of a 9.x or later target, saved from setup's own menu (its Save
        button), on the managed node. Passed to setup unchanged (C(setup -f CONFIG_FILE)); the module
        writes nothing into it.
      - Required for a 9.x or later target unless O(setup_args) is set.
      - Not used for an 8.x target or when O(setup_args) is set.
    type: path
  kits:
    description:
      - Recovery kit packages to install or update (for example C(steeleye-lkDR), C(steeleye-lkNFS)).
        Installed kits are updated by setup anyway; list the kits that must be there afterwards.
      - 8.x setup is given them at its kit selection; for a 9.x target they must be selected in
        O(config_file) (the module checks after setup that they are installed, naming any missing).
      - A kit that is missing, or older than O(version), is a change even when the core is already at
        O(version).
    type: list
    elements: str
    default: []
  license_files:
    description:
      - Licence key files on the managed node, installed with C(lkkeyins) after setup (8.4.1 guide,
        step 12), one command per file.
      - A file whose content is already in C(/var/LifeKeeper/license) is not installed again.
    type: list
    elements: path
    default: []
  nfs_restart:
    description:
      - For an 8.x target with NFS hierarchies, answer setup's "Restart the NFS daemons now?" with yes.
        Restarting the NFS daemons interrupts every NFS export of the node.
    type: bool
    default: false
  answers:
    description:
      - The operator's answers to 8.x setup screens the module does not know (site-specific
        screens), a dict of screen text to answer - when a screen that waits for input contains the text, the answer
        is typed (an empty string is Enter). Looked up before the module's own answers.
    type: dict
    default: {}
    version_added: 2.0.0
  kill_grace:
    description:
      - Seconds between SIGTERM and SIGKILL when setup (or C(rmlk)) is killed at its O(timeout) or at a
        screen nobody recognises, so that an rpm transaction in progress can finish. At most O(timeout).
      - The task can therefore take up to O(timeout) + O(kill_grace) seconds.
    type: float
    default: 60
    version_added: 2.0.0
  output_log:
    description:
      - A file on the node where the whole output of setup (or C(rmlk)) is written when it ran (mode 0600,
        replaced each time; its directory is created when missing). A failure names it, so the operator
        knows where to read why setup failed.
      - Not written in check mode or when nothing ran.
    type: path
    version_added: 2.0.0
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
      - An existing directory under which the temporary mount points, the extracted media and the
        setup configuration copy are created.
      - Defaults to the system temporary directory. With O(media_access=extract) it needs room for
        the content of the ISO.
    type: path
  timeout:
    description:
      - Seconds C(setup) (or C(rmlk)) may run. When they pass, setup and everything it started are
        killed (its process group) and the module fails naming the command and the seconds.
      - Mounting or extracting the media gets the same deadline, each command on its own.
      - From 0 to 604800 (7 days).
    type: float
    default: 3600
notes:
  - The 9.x setup flag C(-f) and the 8.x screen texts (all but C(Java is already properly installed on this
    system.)) are assumptions of this collection. The vendor documents that 9.x setup's choices can be
    saved to a file used for non-interactive installation (9.9.0 update guide; spslinux "Software
    Packaging" - "A non-user interactive install can be performed as well"), and the order and defaults
    of the 8.x screens, not their exact texts. Pass O(setup_args) and O(answers) to match your release.
  - If LifeKeeper was running before setup, setup starts it again at the end.
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
    timeout: 1800
  register: lk_update

- name: Update on a host that cannot loop-mount ISO9660; the kits are selected in the saved configuration
  hatools.lifekeeper.lk_setup:
    version: 9.9.0
    media: /srv/media/LKL_V9.9.0_112226.iso
    media_access: extract
    config_file: /root/lk-setup.conf
    kits: [steeleye-lkDR, steeleye-lkNFS]
    license_files: [/root/keys/node1.lic]

- name: Update an 8.x node, media already mounted at /mnt (screens answered from facts, one site screen)
  hatools.lifekeeper.lk_setup:
    version: 8.4.1
    setup_dir: /mnt
    answers:
      "Apply the site hardening profile?": "n"

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
packages_before:
  description: Every installed C(steeleye-*) rpm (core and recovery kits) before the task.
  type: list
  elements: dict
  returned: always
  sample: [{name: steeleye-lk, version: 9.8.0}, {name: steeleye-lkDR, version: 9.8.0}]
packages_after:
  description: Every installed C(steeleye-*) rpm after the task (in check mode, the same as RV(packages_before)).
  type: list
  elements: dict
  returned: always
  sample: [{name: steeleye-lk, version: 9.9.0}, {name: steeleye-lkDR, version: 9.9.0}]
pending:
  description:
    - What the task had to do (in check mode, what it would do) - C(core) (the core package to
      install or update), C(kits) (kits missing or older than O(version)) and C(licenses) (key files
      not installed yet).
  type: dict
  returned: when O(state=present)
  sample: {core: false, kits: [steeleye-lkNFS], licenses: [/root/keys/node1.lic]}
answers:
  description:
    - The answers given to 8.x setup's screens, by screen id (C(intro), C(stop_lifekeeper), C(stop_done),
      C(base_packages), C(java_current), C(java), C(datakeeper), C(nfs_utils), C(nfs_restart),
      C(required_packages), C(core_packages), C(gui_users), C(license), C(kit_selection), C(kit_confirm)),
      or by the operator's text of O(answers); an empty string is Enter. In check mode, the answers that
      would be given. Empty for a 9.x target.
  type: dict
  returned: when O(state=present)
  sample: {intro: '', stop_lifekeeper: '', stop_done: '', datakeeper: y, nfs_utils: n, core_packages: '',
           gui_users: '', license: n, kit_selection: '', kit_confirm: y}
answer_order:
  description: The screens answered, in order (screen ids or the operator's texts).
  type: list
  elements: str
  returned: when 8.x setup ran
killed:
  description: Whether setup (or rmlk) was killed (at its deadline, or at a screen nobody recognised).
  type: bool
  returned: when setup or rmlk ran
timed_out:
  description: Whether setup (or rmlk) was killed at its deadline (O(timeout)).
  type: bool
  returned: when setup or rmlk ran
kill_signal:
  description: The signal that ended the killed setup - C(SIGTERM) (it stopped within O(kill_grace)) or C(SIGKILL).
  type: str
  returned: when setup or rmlk was killed
license_commands:
  description: The C(lkkeyins) commands run (or that would run) for the licence key files not installed yet.
  type: list
  elements: list
  returned: when keys were installed with lkkeyins
running:
  description:
    - Whether LifeKeeper answered (C(lktest) exited 0) when the module ended; setup starts it again when it ran before.
  returned: with O(state=present), unless O(validate_only) or in check mode
  type: bool
  sample: true
  version_added: 2.0.0
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
  description: The last lines (about 20) of the output of setup or rmlk (with the answers given, as on a terminal).
  type: list
  elements: str
  returned: when setup or rmlk ran
output_log:
  description: The file O(output_log) when the whole output of setup or rmlk was written there.
  type: str
  returned: when setup or rmlk ran and O(output_log) was given
  sample: /var/lib/hatools-lifekeeper/setup-9.9.0.log
  version_added: 2.0.0
erased_packages:
  description:
    - With O(state=absent) on a LifeKeeper older than 7.5 (no C(rmlk)), the C(steeleye*) and C(HADR*) packages removed
      with C(rpm -e), as the update guides say for those versions.
  type: list
  elements: str
  returned: when O(state=absent) and the installed version is older than 7.5
  sample: [HADR-generic-2.6, steeleye-lk, steeleye-lkDR]
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

from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils import legacy_removal
from ansible_collections.hatools.lifekeeper.plugins.module_utils import setup_answers
from ansible_collections.hatools.lifekeeper.plugins.module_utils import versions
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule, check_seconds
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    LICENSE_DIR, NFS_KIT, NFS_TYPE, PRODUCT_RPM, version_major)
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

TAIL_LINES = 20
ISO_NAME_RE = re.compile(r'^LKL_V([0-9][0-9.]*?)_')
IMG_NAME_RE = re.compile(r'^sps_(.+)\.img\Z')
# Where installed licence keys are (module-level so that tests can point it elsewhere).
LICENSE_KEY_DIR = LICENSE_DIR


def _same_version(found, target):
    """sps_9.9.0.img and sps_990.img both name 9.9.0."""
    return found == target or found.replace('.', '') == target.replace('.', '')


def _seconds(value):
    text = ('%.3f' % float(value)).rstrip('0').rstrip('.')
    return text or '0'


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


def installed_kits(packages):
    """{name: version} of the installed recovery kits (every steeleye-* rpm but the core)."""
    return dict((p['name'], p['version']) for p in packages if p['name'] != PRODUCT_RPM)


def pending_kits(kits, installed, target):
    """Kits of ``kits`` that are not installed, or installed older than target."""
    pending = []
    for kit in kits:
        version = installed.get(kit)
        if version is None:
            pending.append(kit)
            continue
        try:
            if versions.parse_version(version) < versions.parse_version(target):
                pending.append(kit)
        except ValueError:
            pass  # a kit version of another form: installed is all we can say
    return pending


def installed_license_sums(directory):
    """sha256 of every regular file in the licence key directory (empty when there is none)."""
    sums = set()
    if not os.path.isdir(directory):
        return sums
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isfile(path) and not os.path.islink(path):
            sums.add(files.sha256_of(path))
    return sums


class LkSetup(LkModule):

    progress_option = True

    argument_spec = dict(
        state=dict(type='str', default='present', choices=['present', 'absent']),
        version=dict(type='str'),
        media=dict(type='path'),
        media_access=dict(type='str', default='mount', choices=['mount', 'extract']),
        media_sha256=dict(type='str'),
        setup_dir=dict(type='path'),
        setup_args=dict(type='list', elements='str'),
        config_file=dict(type='path'),
        kits=dict(type='list', elements='str', default=[]),
        license_files=dict(type='list', elements='path', default=[]),
        nfs_restart=dict(type='bool', default=False),
        answers=dict(type='dict', default={}),
        kill_grace=dict(type='float', default=60),
        output_log=dict(type='path'),
        tmp_dir=dict(type='path'),
        validate_only=dict(type='bool', default=False),
    )
    module_kwargs = dict(
        required_if=[
            ('state', 'present', ['version']),
            ('state', 'present', ['media', 'setup_dir'], True),
        ],
        mutually_exclusive=[('media', 'setup_dir')],
    )
    default_timeout = 3600

    # ---- input ---------------------------------------------------------------------------------
    def validate(self):
        params = self.params
        tmp_dir = params['tmp_dir']
        if tmp_dir and not os.path.isdir(tmp_dir):
            raise LifeKeeperError('tmp_dir %s is not an existing directory on this node' % tmp_dir)
        params['kill_grace'] = check_seconds('kill_grace', params['kill_grace'], allow_zero=True)
        if params['timeout'] and params['kill_grace'] > params['timeout']:
            params['kill_grace'] = params['timeout']     # the grace never exceeds the deadline itself
        bad = [(text, answer) for text, answer in (params['answers'] or {}).items()
               if not isinstance(text, str) or not text.strip() or not isinstance(answer, str) or '\n' in answer]
        if bad:
            raise LifeKeeperError('answers must map the text of a setup screen (not empty) to the line to type '
                                  '(a string without newlines, \'\' for Enter); bad: %s'
                                  % ', '.join('%r: %r' % item for item in bad))
        if params['state'] != 'present':
            return
        try:
            # v9.9.0 and 9.9 name 9.9.0: the module works with the normalised form only
            params['version'] = str(versions.parse_version(params['version']))
        except ValueError as exc:
            raise LifeKeeperError('invalid version: %s' % exc)
        bad = [kit for kit in params['kits'] if not setup_answers.KIT_NAME_RE.match(kit) or kit == PRODUCT_RPM]
        if bad:
            raise LifeKeeperError('invalid recovery kit name(s) %s: a kit is a steeleye-<name> package other than '
                                  'the core %s (for example steeleye-lkDR)' % (', '.join(repr(k) for k in bad), PRODUCT_RPM))
        for path in params['license_files']:
            if not os.path.isfile(path):
                raise LifeKeeperError('license file %s does not exist on this node' % path)
        config = params['config_file']
        if config and not os.path.isfile(config):
            raise LifeKeeperError('config_file %s does not exist on this node' % config)
        if (version_major(params['version']) >= 9 and not config and params['setup_args'] is None
                and not params['validate_only']):
            raise LifeKeeperError('a %s target needs config_file (lk_setup_config_file): the setup configuration '
                                  'file saved from setup\'s own menu, used for its non-interactive installation; '
                                  'the collection writes no setup keys of its own. Nothing was changed'
                                  % params['version'])

    def run_tool(self, args, check=True, timeout=None):
        """Run a system tool (mount, xorriso, umount) by absolute path through the adapter."""
        try:
            return self.lk.run(args, check=check, timeout=timeout)
        except LifeKeeperError as exc:
            if os.path.basename(args[0]) == 'mount':
                exc.msg += ' (on hosts that cannot loop-mount ISO9660 images use media_access=extract)'
            raise

    def set_versions(self, before, after, packages_after=None):
        self.result['version_before'] = before
        self.result['version_after'] = after
        if packages_after is not None:
            self.result['packages_after'] = packages_after
        self.set_diff(dict(version=before, packages=self.result.get('packages_before', [])),
                      dict(version=after, packages=self.result.get('packages_after', [])))

    # ---- media checks (read-only) ----------------------------------------------------------
    def check_media(self, target):
        media = self.params['media']
        if not os.path.isfile(media):
            raise LifeKeeperError('media %s does not exist on this node: put the product ISO there, or give its path on '
                                  'the controller as lk_media_src (the collection\'s playbooks copy it to the media '
                                  'path on every node)' % media)
        checksum = files.sha256_of(media)
        self.result['media_sha256'] = checksum
        expected = self.params['media_sha256']
        if expected and expected.strip().lower() != checksum:
            raise LifeKeeperError('media %s has sha256 %s, but media_sha256 is %s' % (media, checksum, expected.strip().lower()))
        match = ISO_NAME_RE.match(os.path.basename(media))
        if match and not _same_version(match.group(1).rstrip('.'), target):
            raise LifeKeeperError('media %s is named for version %s, but version is %s' % (media, match.group(1).rstrip('.'), target))

    def list_media_root(self, media):
        """Names at the root of the ISO, read with xorriso without mounting (None without xorriso)."""
        xorriso = self.module.get_bin_path('xorriso')
        if not xorriso:
            return None
        rc, out, dummy = self.run_tool([xorriso, '-indev', media, '-ls', '/'], check=False)
        if rc != 0:
            return None
        return [line.strip().strip("'") for line in out.splitlines() if line.strip()]

    def check_image_name(self, names, target, where):
        images = sorted(name for name in names if IMG_NAME_RE.match(name))
        if not images:
            raise LifeKeeperError('no sps_<version>.img found in %s' % where)
        if len(images) > 1:
            raise LifeKeeperError('more than one sps_<version>.img in %s: %s' % (where, ', '.join(images)))
        found = IMG_NAME_RE.match(images[0]).group(1)
        self.result['media_version'] = found
        if not _same_version(found, target):
            raise LifeKeeperError('media %s holds %s (version %s), but version is %s'
                                  % (self.params['media'], images[0], found, target))
        return images[0]

    def check_media_inside(self, target):
        if self.params['media']:
            names = self.list_media_root(self.params['media'])
            if names is not None:
                self.check_image_name(names, target, self.params['media'])

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
                self.run_tool([mount, '-o', 'loop,ro', media, iso_dir], timeout=self.params['timeout'])
                mounted.append(iso_dir)
                image = self.check_image_name(os.listdir(iso_dir), target, media)
                self.run_tool([mount, '-t', 'iso9660', '-o', 'loop,ro', os.path.join(iso_dir, image), sps_dir],
                              timeout=self.params['timeout'])
                mounted.append(sps_dir)
            else:
                # Extracting a large ISO is part of the run: it gets the time left of timeout.
                xorriso = self.module.get_bin_path('xorriso', required=True)
                self.run_tool([xorriso, '-osirrox', 'on', '-indev', media, '-extract', '/', iso_dir],
                              timeout=self.params['timeout'])
                image = self.check_image_name(os.listdir(iso_dir), target, media)
                self.run_tool([xorriso, '-osirrox', 'on', '-indev', os.path.join(iso_dir, image),
                               '-extract', '/', sps_dir], timeout=self.params['timeout'])
                setup = os.path.join(sps_dir, 'setup')
                if os.path.isfile(setup):
                    os.chmod(setup, os.stat(setup).st_mode | stat.S_IXUSR | stat.S_IRUSR)
            yield sps_dir
        finally:
            if not self.unmount_all(mounted):
                _rmtree(workdir)

    def unmount_all(self, mounted):
        """Unmount in reverse order; returns the errors (kept as cleanup errors of the module)."""
        errors = []
        if not mounted:
            return errors
        umount = self.module.get_bin_path('umount', required=True)
        for path in reversed(mounted):
            rc, out, err = self.lk.run([umount, path], check=False)
            if rc != 0:
                message = 'could not unmount %s (rc=%s): %s' % (path, rc, (err or out).strip())
                errors.append(message)
                self.module.warn(message)
        if errors:
            self.on_exit(self.raise_cleanup_errors, errors)
        return errors

    @staticmethod
    def raise_cleanup_errors(errors):
        raise LifeKeeperError('; '.join(errors))

    # ---- facts for the answers and the pending work -----------------------------------------
    def nfs_in_use(self, kits_now):
        """An NFS hierarchy exists (type gen/nfs in the long display; when LifeKeeper does not
        answer, the NFS kit being installed stands for it)."""
        try:
            if self.lk.running():
                long_status = self.lk.long_status()
                if long_status.running:
                    return any(res.type == NFS_TYPE for res in long_status.resources)
        except LifeKeeperError as exc:
            self.module.warn('could not read the resource types (%s); NFS counts as used because %s is %s'
                             % (exc.msg, NFS_KIT, 'installed' if NFS_KIT in kits_now else 'not installed'))
        return NFS_KIT in kits_now

    # ---- states ----------------------------------------------------------------------------
    def state_present(self):
        self.install()
        if not self.params['validate_only'] and not self.check_mode:
            # the caller starts LifeKeeper only when it does not answer (setup restarts it when it ran before)
            self.result['running'] = self.lk.running()

    def install(self):
        target = self.params['version']
        if self.params['media']:
            self.check_media(target)
        else:
            setup = os.path.join(self.params['setup_dir'], 'setup')
            if not os.path.isfile(setup):
                raise LifeKeeperError('setup_dir %s holds no setup program (%s missing)' % (self.params['setup_dir'], setup))

        before = self.lk.version()
        self.result['packages_before'] = self.lk.packages() if before else []
        self.set_versions(before, before, packages_after=self.result['packages_before'])
        try:
            path = versions.update_path(before, target)
        except ValueError as exc:
            raise LifeKeeperError('cannot compare the installed version with %s: %s' % (target, exc))
        self.result['update_path'] = path.kind
        self.result['update_reason'] = path.reason
        self.result['answers'] = {}
        if self.params['validate_only']:
            # Pre-flight: the media is checked (also inside the ISO), the path is reported, the
            # decision (skip, update, reinstall, refuse) is left to the caller.
            self.check_media_inside(target)
            return
        at_target = path.kind == 'none' or (before is not None and _same_version(before, target))
        if at_target:
            self.result['update_path'] = 'none'
        elif path.kind == 'reinstall':
            raise LifeKeeperError('cannot update from %s to %s in place: %s; the reinstall path must be used '
                                  '(back up with lk_backup and dest, remove with lk_setup state=absent, install, '
                                  'restore the backup)' % (before, target, path.reason))
        elif path.kind not in ('fresh', 'direct'):
            raise LifeKeeperError('refusing to go from %s to %s (%s): %s' % (before, target, path.kind, path.reason))

        kits_now = installed_kits(self.result['packages_before'])
        self.kits_before = sorted(kits_now)
        license_sums = installed_license_sums(LICENSE_KEY_DIR)
        self.pending = dict(
            core=not at_target,
            kits=pending_kits(self.params['kits'], kits_now, target),
            licenses=[f for f in self.params['license_files'] if files.sha256_of(f) not in license_sums],
        )
        self.result['pending'] = self.pending
        if at_target and not self.pending['kits'] and not self.pending['licenses']:
            return

        if not at_target:
            self.result['perl_change'] = versions.crosses_perl_change(before, target)
            if self.result['perl_change']:
                self.module.warn('the update from %s to %s crosses 9.8.0, where the bundled Perl changed from 5.8.8 '
                                 'to 5.32.1: Perl-based Generic ARK scripts may need changes' % (before, target))
        legacy = version_major(target) < 9
        if legacy:
            self.plan_legacy(at_target, kits_now)
        elif not at_target or self.pending['kits']:
            self.result['setup_args'] = (list(self.params['setup_args']) if self.params['setup_args'] is not None
                                         else setup_answers.setup_args_9x(self.params['config_file']))
        if self.pending['licenses']:
            # after setup, one lkkeyins per file (8.4.1 guide step 12)
            self.result['license_commands'] = [[self.lk.bin('lkkeyins'), f] for f in self.pending['licenses']]
        if self.check_mode:
            self.check_media_inside(target)
            self.result['changed'] = True
            self.set_versions(before, target)
            return
        if self.result.get('setup_args') is not None:
            self.run_setup(target, legacy)
        self.verify_packages(target)
        for argv in self.result.get('license_commands', []):
            self.result['changed'] = True
            self.lk.run(argv)
        self.verify_licenses()

    def plan_legacy(self, at_target, kits_now):
        """8.x: the answers from facts, the setup arguments, and lkkeyins for keys when at the target."""
        facts = setup_answers.facts_answers(
            datakeeper=setup_answers.datakeeper_wanted(kits_now, self.params['kits']),
            nfs_in_use=self.nfs_in_use(kits_now),
            nfs_restart=self.params['nfs_restart'])
        self.conversation = setup_answers.SetupConversation(facts, requested_kits=self.params['kits'],
                                                            extra=self.params['answers'])
        if self.params['setup_args'] is not None:
            self.result['setup_args'] = list(self.params['setup_args'])
        elif not at_target:
            self.result['setup_args'] = list(setup_answers.SETUP_ARGS_8X)
        elif self.pending['kits']:
            self.result['setup_args'] = list(setup_answers.SETUP_ARGS_8X_KITS)
        if self.check_mode:
            predicted = dict(facts)
            if self.result.get('setup_args') == list(setup_answers.SETUP_ARGS_8X_KITS):
                predicted = dict((k, facts[k]) for k in ('kit_confirm',))
            predicted['kit_selection'] = setup_answers.kit_selection(
                dict((kit, 'u') for kit in kits_now), self.params['kits'])
            self.result['answers'] = predicted

    def run_setup(self, target, legacy):
        args = list(self.result['setup_args'])
        with self.setup_source(target) as setup_dir:
            setup = os.path.join(setup_dir, 'setup')
            if not os.path.isfile(setup):
                raise LifeKeeperError('no setup program in the media (%s missing)' % setup)
            self.result['changed'] = True
            self.result['killed'] = self.result['timed_out'] = False
            try:
                # from the image's directory, as the guide's `cd /mnt; ./setup`
                rc, out, err = self.lk.run([setup] + args, check=False, timeout=self.params['timeout'],
                                           conversation=self.conversation if legacy else None,
                                           kill_grace=self.params['kill_grace'], cwd=setup_dir)
            except LifeKeeperError as exc:
                self.result['setup_output_tail'] = _tail(exc.stdout, exc.stderr)
                self.keep_output(exc.stdout, exc.stderr)
                self.note_killed(exc, 'setup')
                raise
            finally:
                if legacy:
                    self.result['answers'] = dict(self.conversation.given)
                    self.result['answer_order'] = list(self.conversation.order)
            self.result['setup_output_tail'] = _tail(out, err)
            self.keep_output(out, err)
        if rc != 0 or 'Setup Complete.' not in (out or '') + (err or ''):
            self.record_after()
            last = self.result['setup_output_tail'][-1] if self.result['setup_output_tail'] else ''
            raise LifeKeeperError('setup failed (rc=%s, no "Setup Complete."): %s. %s' % (
                rc, last, setup_answers.after_failed_setup(self.result.get('output_log'))), rc=rc)

    def keep_output(self, out, err):
        """Write the whole output of setup or rmlk to output_log (when given); a write that fails
        is a warning: it must not hide why setup failed."""
        path = self.params['output_log']
        if not path or (out is None and err is None):
            return
        text = (out or '') + ('\n---- standard error ----\n%s' % err if err and err.strip() else '')
        try:
            directory = os.path.dirname(path)
            if directory and not os.path.isdir(directory):
                os.makedirs(directory, 0o700)
            files.write_atomic(path, text)
            self.result['output_log'] = path
        except (IOError, OSError) as exc:
            self.module.warn('the output could not be written to output_log %s: %s' % (path, exc))

    def note_killed(self, exc, what):
        """Record in the result (and the message) that setup or rmlk was killed; the node's
        version and packages as they are now."""
        if not exc.details.get('kill_signal'):
            return
        self.result['killed'] = True
        self.result['timed_out'] = bool(exc.timed_out)
        self.result['kill_signal'] = exc.details['kill_signal']
        if exc.timed_out:
            exc.msg = '%s was killed at its deadline (timeout %s s, kill_grace %s s): %s' % (
                what, _seconds(self.params['timeout']), _seconds(self.params['kill_grace']), exc.msg)
        try:
            self.record_after()
        except LifeKeeperError as again:
            exc.msg += '; the installed version could not be read afterwards: %s' % again.msg
        else:
            exc.msg += '; installed now: steeleye-lk %s' % (self.result['version_after'] or 'none')

    def record_after(self):
        after = self.lk.version()
        self.set_versions(self.result['version_before'], after, packages_after=self.lk.packages() if after else [])
        return after

    def verify_packages(self, target):
        """rpm: the core at the target, and every kit the node had and every kit requested too."""
        after = self.record_after()
        if after is None or not _same_version(after, target):
            raise LifeKeeperError('setup reported success, but the installed steeleye-lk version is %s, expected %s'
                                  % (after, target))
        kits_after = installed_kits(self.result['packages_after'])
        had = self.kits_before if self.result.get('setup_args') is not None else []   # setup updates them
        wanted = list(had) + [kit for kit in self.params['kits'] if kit not in had]
        missing = pending_kits(wanted, kits_after, target)
        if missing:
            raise LifeKeeperError('setup reported success, but these recovery kits are missing or older than %s: %s '
                                  '(installed: %s)%s' % (target, ', '.join(missing), ', '.join(
                                      '%s %s' % item for item in sorted(kits_after.items())) or 'none',
                                      '; for a 9.x target select them in config_file (lk_setup_config_file)'
                                      if version_major(target) >= 9 else ''))

    def verify_licenses(self):
        sums = installed_license_sums(LICENSE_KEY_DIR)
        absent = [f for f in self.pending['licenses'] if files.sha256_of(f) not in sums]
        if absent:
            raise LifeKeeperError('lkkeyins ended, but these licence key files are not in %s: %s'
                                  % (LICENSE_KEY_DIR, ', '.join(absent)))

    def state_absent(self):
        before = self.lk.version()
        self.result['packages_before'] = self.lk.packages() if before else []
        self.set_versions(before, before, packages_after=self.result['packages_before'])
        rmlk = self.lk.bin('rmlk')
        if before is None and not os.path.exists(rmlk):
            return
        if before is not None and legacy_removal.removes_with_rpm(before):
            self.erase_legacy_packages(before)
            return
        if not os.path.exists(rmlk):
            raise LifeKeeperError('steeleye-lk %s is installed but %s is missing; remove the packages by hand' % (before, rmlk))
        self.set_versions(before, None, packages_after=[])
        self.result['changed'] = True
        if self.check_mode:
            return
        try:
            rc, out, err = self.lk.run(['rmlk'], check=False, data='y\n', timeout=self.params['timeout'],
                                       kill_grace=self.params['kill_grace'])
        except LifeKeeperError as exc:
            self.result['setup_output_tail'] = _tail(exc.stdout, exc.stderr)
            self.keep_output(exc.stdout, exc.stderr)
            self.note_killed(exc, 'rmlk')
            self.record_after()
            raise
        self.result['setup_output_tail'] = _tail(out, err)
        self.keep_output(out, err)
        after = self.record_after()
        if rc != 0:
            raise LifeKeeperError('rmlk failed (rc=%s)' % rc, rc=rc)
        if after is not None:
            raise LifeKeeperError('rmlk ended, but steeleye-lk %s is still installed' % after)
        left = self.lk.packages()
        if left:
            self.result['packages_after'] = left
            raise LifeKeeperError('rmlk ended, but these packages are still installed: %s'
                                  % ', '.join('%s %s' % (p['name'], p['version']) for p in left))

    def erase_legacy_packages(self, before):
        """Before 7.5 there is no rmlk: the guides remove the steeleye and HADR packages with rpm -e."""
        rpm = self.module.get_bin_path('rpm', required=True)
        dummy, out, dummy_err = self.lk.run(legacy_removal.query_argv(rpm, self.lk.rpm_root), check=False,
                                            timeout=self.params['timeout'])
        names = legacy_removal.packages_to_erase(out)
        self.result['erased_packages'] = names
        self.set_versions(before, None, packages_after=[])
        self.result['changed'] = True
        if self.check_mode:
            return
        rc, out, err = self.lk.run(legacy_removal.erase_argv(rpm, names, self.lk.rpm_root), check=False,
                                   timeout=self.params['timeout'])
        self.result['setup_output_tail'] = _tail(out, err)
        after = self.record_after()
        if rc != 0:
            raise LifeKeeperError('rpm -e %s failed (rc=%s)' % (' '.join(names), rc), rc=rc)
        if after is not None:
            raise LifeKeeperError('rpm -e ended, but steeleye-lk %s is still installed' % after)


def main():
    LkSetup.main()


if __name__ == '__main__':
    main()
