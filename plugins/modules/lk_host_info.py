#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r"""
module: lk_host_info
short_description: Read the node facts the LifeKeeper update guides ask to check before an update
version_added: 1.0.0
author:
  - hatools developers (@hatools)
description:
  - Reads, and does not judge, what the pre-flight checks of a rolling update need from a node
    (the controller decides what passes) - the SELinux mode (8.x needs it disabled), the machine
    type and its word size (64-bit only since 8.2), the free space where the media is extracted and
    the backup written, how names resolve (every node's name and C(localhost)), and whether TCP
    connections open (every peer's LCM port over each communication path address).
  - Every lookup and connection is bounded (O(connect_timeout)); a failure is a result with its
    C(error), not a failure of the module.
  - Changes nothing; LifeKeeper is not needed. The shared options O(lkroot) and O(timeout) are
    accepted (for module_defaults of the action group) and not used; O(command_timeout) bounds
    C(getenforce).
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
attributes:
  check_mode:
    support: full
    details:
      - The module only reads; it runs the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  paths:
    description:
      - Paths to report the free space of (RV(disk)); a path that does not exist yet is measured at the
        nearest existing directory above it.
    type: list
    elements: path
    default: []
  names:
    description:
      - Host names to resolve (RV(resolve)); C(localhost) is always added.
    type: list
    elements: str
    default: []
  connect:
    description:
      - TCP endpoints to try (RV(connect)), for example every peer's LCM port on each communication path address.
    type: list
    elements: dict
    default: []
    suboptions:
      address:
        description: Address or name to connect to.
        type: str
        required: true
      port:
        description: TCP port, 1 to 65535.
        type: int
        required: true
  connect_timeout:
    description:
      - Seconds each connection attempt and each name lookup may take (more than 0, at most 7 days).
    type: float
    default: 3
  packages:
    description:
      - rpm package names to query (RV(packages)), for example C(sg3_utils); C(rpm -q) bounded by O(command_timeout).
    type: list
    elements: str
    default: []
    version_added: 2.0.0
  files:
    description:
      - Files to report the presence and size of (RV(files)), for example the product media (its extraction needs
        room) and the licence key files. Links are followed.
    type: list
    elements: path
    default: []
    version_added: 2.0.0
  lock:
    description:
      - A cluster lock to read, as M(hatools.lifekeeper.lk_lock) with O(hatools.lifekeeper.lk_lock#module:state=query)
        reads it (RV(lock)), so that pre-flight reads a node's facts and its lock in one module run. Nothing changes.
    type: dict
    suboptions:
      name:
        description: The lock's name (letters, digits, C(.), C(_), C(-)).
        type: str
        required: true
      lock_dir:
        description: The directory of the lock file.
        type: path
        required: true
    version_added: 2.0.0
  records:
    description:
      - JSON records to read (RV(records)), for example the progress record the rolling update keeps on each node.
    type: list
    elements: path
    default: []
    version_added: 2.0.0
  reboot_required:
    description:
      - Ask the system whether it needs a reboot (RV(reboot)) - C(needs-restarting -r) (RHEL family), C(zypper
        needs-rebooting) (SUSE), or the file C(/var/run/reboot-required) (Debian, Ubuntu) - and which kernel it boots
        next (C(grubby --default-kernel)); each command bounded by O(command_timeout).
    type: bool
    default: false
    version_added: 2.0.0
seealso:
  - module: hatools.lifekeeper.lk_status
"""

EXAMPLES = r"""
- name: Read the facts of each node
  hatools.lifekeeper.lk_host_info:
    paths: [/srv/media, /var/backups/lifekeeper]
    names: "{{ ansible_play_hosts_all }}"
    connect:
      - {address: 10.0.0.12, port: 7365}
    packages: [sg3_utils]
  register: host

- name: SELinux must be disabled for an 8.x target (the controller decides)
  ansible.builtin.assert:
    that: host.selinux.mode in ['disabled', 'absent']
"""

RETURN = r"""
selinux:
  description:
    - C(mode) - V(enforcing), V(permissive), V(disabled), or V(absent) (no SELinux on this node);
      C(source) - where it was read (C(getenforce), the configuration file), null when absent.
  type: dict
  returned: always
  sample: {mode: disabled, source: getenforce}
arch:
  description: C(machine) (uname -m) and C(bits) (64, 32, or null for a machine type not known).
  type: dict
  returned: always
  sample: {machine: x86_64, bits: 64}
disk:
  description:
    - One entry per O(paths) element - C(path), C(free_mb) (MiB free for unprivileged use, null on
      error), C(checked_path) (where it was measured) and C(error).
  type: list
  elements: dict
  returned: always
  sample: [{path: /srv/media, free_mb: 20480, checked_path: /srv, error: null}]
lock:
  description:
    - With O(lock), the lock as M(hatools.lifekeeper.lk_lock) reads it - C(holder) (null when there is no lock),
      C(age_s), C(path), C(fingerprint), C(process), C(host) - and C(error), why it could not be read (null when read).
  type: dict
  returned: when O(lock) is given
  sample: {holder: null, age_s: null, path: /var/lib/hatools-lifekeeper/locks/prod.lock, fingerprint: null,
           process: null, host: lk1, error: null}
  version_added: 2.0.0
records:
  description:
    - One entry per O(records) element - C(path), C(exists), C(content) (what the JSON file holds, null when missing
      or unreadable) and C(error) (why it could not be read, null when it is missing or was read).
  type: list
  elements: dict
  returned: always
  sample: [{path: /var/lib/hatools-lifekeeper/update-progress.json, exists: false, content: null, error: null}]
  version_added: 2.0.0
files:
  description:
    - One entry per O(files) element - C(path), C(exists), C(size) (bytes, null when missing) and C(error) (why it
      could not be read, null when it is missing or was read).
  type: list
  elements: dict
  returned: always
  sample: [{path: /srv/LKL_V9.9.0.iso, exists: true, size: 734003200, error: null}]
resolve:
  description: One entry per O(names) element and C(localhost) - C(name), C(addresses) (in the resolver's order), C(error).
  type: list
  elements: dict
  returned: always
  sample: [{name: node2, addresses: [10.0.0.12], error: null}, {name: localhost, addresses: [127.0.0.1], error: null}]
os:
  description:
    - C(name) (PRETTY_NAME of C(/etc/os-release)), C(id), C(version_id), C(kernel) (the running kernel's release,
      C(uname -r)) and C(error) (why C(/etc/os-release) could not be read, else null).
  type: dict
  returned: always
  sample: {name: Red Hat Enterprise Linux 8.6 (Ootpa), id: rhel, version_id: '8.6', kernel: 4.18.0-372.9.1.el8.x86_64,
           error: null}
packages:
  description:
    - One entry per O(packages) element - C(name), C(installed), C(version) (null when not installed) and C(error)
      (why rpm could not be asked, else null).
  type: list
  elements: dict
  returned: always
  sample: [{name: sg3_utils, installed: true, version: '1.44', error: null}]
reboot:
  description:
    - With O(reboot_required) - C(required) (V(true), V(false), or null when no method answered), C(method) (how it was
      asked, null when none did), C(kernel) (the running kernel's release) and C(boot_kernel) (the release the node boots
      next, from C(grubby --default-kernel); null where grubby is not installed or names no kernel).
  type: dict
  returned: when O(reboot_required) is true
  sample: {required: true, method: needs-restarting -r, kernel: 4.18.0-513.el8.x86_64, boot_kernel: 4.18.0-553.el8_10.x86_64}
  version_added: 2.0.0
connect:
  description: One entry per O(connect) element - C(address), C(port), C(ok), C(error) and C(seconds) taken.
  type: list
  elements: dict
  returned: always
  sample: [{address: 10.0.0.12, port: 7365, ok: true, error: null, seconds: 0.002}]
"""

import os

from ansible_collections.hatools.lifekeeper.plugins.module_utils import host_facts
from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock as lklock
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule, describe_os_error
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

# Read here when getenforce is not there (module-level so that tests can point it elsewhere).
SELINUX_CONFIG = '/etc/selinux/config'
OS_RELEASE = '/etc/os-release'
REBOOT_REQUIRED_FILE = host_facts.REBOOT_REQUIRED_FILE


class LkHostInfo(LkModule):
    argument_spec = dict(
        paths=dict(type='list', elements='path', default=[]),
        names=dict(type='list', elements='str', default=[]),
        connect=dict(type='list', elements='dict', default=[], options=dict(
            address=dict(type='str', required=True),
            port=dict(type='int', required=True),
        )),
        connect_timeout=dict(type='float', default=3),
        packages=dict(type='list', elements='str', default=[]),
        files=dict(type='list', elements='path', default=[]),
        lock=dict(type='dict', options=dict(
            name=dict(type='str', required=True),
            lock_dir=dict(type='path', required=True),
        )),
        records=dict(type='list', elements='path', default=[]),
        reboot_required=dict(type='bool', default=False),
    )
    state_option = None
    seconds_options = ('connect_timeout',)

    def validate(self):
        if self.params['lock']:
            lklock.check_identifier('lock name', self.params['lock']['name'])
        for target in self.params['connect']:
            if not 1 <= target['port'] <= 65535:
                raise LifeKeeperError('connect port must be from 1 to 65535, not %r (address %s)'
                                      % (target['port'], target['address']))
            if not target['address'].strip():
                raise LifeKeeperError('connect address must not be empty')

    def selinux(self):
        getenforce = self.module.get_bin_path('getenforce')
        if getenforce:
            try:
                rc, out, dummy = self.lk.run([getenforce], check=False)
            except LifeKeeperError as exc:
                self.module.warn('%s; reading %s instead' % (exc.msg, SELINUX_CONFIG))
            else:
                mode = host_facts.selinux_from_getenforce(out) if rc == 0 else None
                if mode:
                    return {'mode': mode, 'source': 'getenforce'}
        if os.path.isfile(SELINUX_CONFIG):
            with open(SELINUX_CONFIG) as handle:
                mode = host_facts.selinux_from_config(handle.read())
            if mode:
                return {'mode': mode, 'source': SELINUX_CONFIG}
        return {'mode': 'absent', 'source': None}

    def os_info(self):
        found = {'name': None, 'id': None, 'version_id': None, 'error': None}
        try:
            with open(OS_RELEASE) as handle:
                found.update(host_facts.os_release(handle.read()))
        except (IOError, OSError) as exc:
            found['error'] = '%s: %s' % (OS_RELEASE, exc.strerror or exc)
        found['kernel'] = os.uname()[2]
        return found

    def packages(self):
        names = self.params['packages']
        if not names:
            return []
        rpm = self.module.get_bin_path('rpm')
        error = None if rpm else 'rpm is not installed'
        if rpm:
            try:
                dummy, out, dummy2 = self.lk.run([rpm, '-q', '--qf', '%{NAME}\t%{VERSION}\n'] + names, check=False)
            except LifeKeeperError as exc:
                error = exc.msg
            else:
                return host_facts.rpm_query(out, names)
        return [{'name': name, 'installed': False, 'version': None, 'error': error} for name in names]

    def run_module(self):
        seconds = self.params['connect_timeout']
        machine = os.uname()[4]
        names = list(self.params['names'])
        if 'localhost' not in names:
            names.append('localhost')
        self.result.update(
            selinux=self.selinux(),
            arch={'machine': machine, 'bits': host_facts.machine_bits(machine)},
            disk=[host_facts.disk_free(path) for path in self.params['paths']],
            resolve=[host_facts.resolve(name, seconds) for name in names],
            connect=[host_facts.connect(t['address'], t['port'], seconds) for t in self.params['connect']],
            os=self.os_info(),
            packages=self.packages(),
            files=[host_facts.file_info(path) for path in self.params['files']],
            records=[host_facts.json_record(path) for path in self.params['records']],
        )
        if self.params['lock']:
            self.result['lock'] = self.read_lock()
        if self.params['reboot_required']:
            self.result['reboot'] = self.reboot()

    def _exit_code(self, argv):
        """(exit code, output) of a command found on the node, or (None, '') (not installed, no answer)."""
        path = self.module.get_bin_path(argv[0])
        if not path:
            return None, ''
        try:
            rc, out, dummy = self.lk.run([path] + argv[1:], check=False)
        except LifeKeeperError as exc:
            self.module.warn(exc.msg)
            return None, ''
        return rc, out

    def reboot(self):
        exists = os.path.exists(REBOOT_REQUIRED_FILE)
        needs = None if exists else self._exit_code(['needs-restarting', '-r'])[0]
        zypper = None if exists or needs in (0, 1) else self._exit_code(['zypper', 'needs-rebooting'])[0]
        required, method = host_facts.reboot_verdict(exists, needs, zypper)
        rc, out = self._exit_code(['grubby', '--default-kernel'])
        return {'required': required, 'method': method, 'kernel': os.uname()[2],
                'boot_kernel': host_facts.boot_kernel_from_grubby(out) if rc == 0 else None}

    def read_lock(self):
        """The lock as lk_lock state=query reads it, with error null; or its path and why not."""
        lock_dir, name = self.params['lock']['lock_dir'], self.params['lock']['name']
        try:
            found = lklock.query(lock_dir, name)
        except LifeKeeperError as exc:
            return {'path': lklock.lock_path(lock_dir, name), 'error': exc.msg}
        except (IOError, OSError) as exc:
            return {'path': lklock.lock_path(lock_dir, name), 'error': describe_os_error(exc)}
        found.pop('changed', None)
        found['error'] = None
        return found


def main():
    LkHostInfo.main()


if __name__ == '__main__':
    main()
