# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Node facts for the pre-flight checks (lk_host_info): reading them, no judgement.

The pure parts (SELinux texts, the word size of a machine type) are functions of their input;
the lookups (free space, name resolution, TCP connects) are bounded by a timeout each.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import errno
import json
import os
import re
import socket
import threading
import time

SELINUX_MODES = ('enforcing', 'permissive', 'disabled')
_SELINUX_LINE = re.compile(r'^\s*SELINUX\s*=\s*["\']?([A-Za-z]+)["\']?\s*(?:#.*)?$')

# Machine types (uname -m) by word size; the 8.2 and later releases run on 64-bit only.
BITS_64 = ('x86_64', 'amd64', 'aarch64', 'arm64', 'ppc64', 'ppc64le', 's390x', 'riscv64', 'mips64',
           'sparc64', 'ia64', 'loongarch64', 'alpha')
BITS_32 = ('i386', 'i486', 'i586', 'i686', 'x86', 'armv6l', 'armv7l', 'armv8l', 'arm', 'ppc', 's390', 'mips',
           'sparc')


def selinux_from_getenforce(text):
    """'enforcing' | 'permissive' | 'disabled' from getenforce's answer; None when it is something else."""
    word = (text or '').strip().lower()
    return word if word in SELINUX_MODES else None


def selinux_from_config(text):
    """The SELINUX= mode of /etc/selinux/config (the last assignment); None when there is none."""
    mode = None
    for line in (text or '').splitlines():
        match = _SELINUX_LINE.match(line)
        if match and match.group(1).lower() in SELINUX_MODES:
            mode = match.group(1).lower()
    return mode


def machine_bits(machine):
    """64, 32, or None for a machine type this table does not know."""
    if machine in BITS_64:
        return 64
    if machine in BITS_32:
        return 32
    return None


def disk_free(path):
    """{path, free_mb, checked_path, error}: free space for unprivileged use at path, or at the
    nearest existing directory above it (where it would be created)."""
    checked = os.path.abspath(path)
    while not os.path.exists(checked) and os.path.dirname(checked) != checked:
        checked = os.path.dirname(checked)
    try:
        info = os.statvfs(checked)
    except OSError as exc:
        return {'path': path, 'free_mb': None, 'checked_path': checked, 'error': exc.strerror or str(exc)}
    return {'path': path, 'free_mb': int(info.f_bavail * info.f_frsize // (1024 * 1024)), 'checked_path': checked,
            'error': None}


def file_info(path):
    """{path, exists, size, error}: whether the file is there (links followed) and its size."""
    try:
        info = os.stat(path)
    except OSError as exc:
        missing = exc.errno in (errno.ENOENT, errno.ENOTDIR)
        return {'path': path, 'exists': False, 'size': None, 'error': None if missing else exc.strerror or str(exc)}
    return {'path': path, 'exists': True, 'size': info.st_size, 'error': None}


# A record larger than this is not one of the collection's (they are a few KiB).
RECORD_MAX_BYTES = 1024 * 1024


def json_record(path):
    """{path, exists, content, error}: the JSON document in the file at path (content: what it
    holds, null when missing or unreadable; error: why it could not be read, null when it is
    missing or was read)."""
    found = {'path': path, 'exists': False, 'content': None, 'error': None}
    try:
        with open(path, 'rb') as handle:
            data = handle.read(RECORD_MAX_BYTES + 1)
    except (IOError, OSError) as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            found.update(exists=os.path.lexists(path), error=exc.strerror or str(exc))
        return found
    found['exists'] = True
    if len(data) > RECORD_MAX_BYTES:
        found['error'] = 'larger than %d bytes: not a record' % RECORD_MAX_BYTES
        return found
    try:
        found['content'] = json.loads(data.decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as exc:
        found['error'] = 'not JSON: %s' % exc
    return found


def _bounded(func, timeout):
    """(value, error) of func() run in a thread for at most timeout seconds."""
    box = {}

    def work():
        try:
            box['value'] = func()
        except (socket.error, socket.herror, socket.gaierror, UnicodeError, ValueError) as exc:
            box['error'] = getattr(exc, 'strerror', None) or str(exc) or type(exc).__name__
    thread = threading.Thread(target=work)
    thread.daemon = True
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return None, 'no answer within %s s' % ('%g' % timeout)
    return box.get('value'), box.get('error')


def resolve(name, timeout):
    """{name, addresses, error}: the addresses name resolves to (in the resolver's order)."""
    def lookup():
        found = []
        for info in socket.getaddrinfo(name, None):
            address = info[4][0]
            if address not in found:
                found.append(address)
        return found
    addresses, error = _bounded(lookup, timeout)
    return {'name': name, 'addresses': addresses or [], 'error': error}


def connect(address, port, timeout):
    """{address, port, ok, error, seconds}: whether a TCP connection to address:port opens."""
    started = time.monotonic()

    def attempt():
        sock = socket.create_connection((address, port), timeout=timeout)
        sock.close()
        return True
    ok, error = _bounded(attempt, timeout + 1)
    return {'address': address, 'port': port, 'ok': bool(ok), 'error': None if ok else error,
            'seconds': round(time.monotonic() - started, 3)}


def os_release(text):
    """{name, id, version_id} from /etc/os-release (shell-style KEY=value lines, quotes removed);
    name is PRETTY_NAME, else NAME VERSION; None values for what the file does not say."""
    values = {}
    for line in (text or '').splitlines():
        line = line.strip()
        if not line or line.startswith('#') or '=' not in line:
            continue
        key, value = line.split('=', 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
            value = value[1:-1]
        values[key.strip()] = value
    name = values.get('PRETTY_NAME') or ' '.join(v for v in (values.get('NAME'), values.get('VERSION')) if v) or None
    return {'name': name, 'id': values.get('ID'), 'version_id': values.get('VERSION_ID')}


def rpm_query(text, names):
    """[{name, installed, version}] for names from ``rpm -q --qf '%{NAME}\\t%{VERSION}\\n' NAMES`` output
    (a name rpm does not list, for example "package X is not installed", is not installed)."""
    found = {}
    for line in (text or '').splitlines():
        words = line.split('\t')
        if len(words) == 2 and words[0] in names:
            found[words[0]] = words[1].strip()
    return [{'name': name, 'installed': name in found, 'version': found.get(name), 'error': None} for name in names]


# Where a distribution says a reboot is needed: Debian and Ubuntu leave this file after a
# package that needs one (a tmpfs, gone at the next boot).
REBOOT_REQUIRED_FILE = '/var/run/reboot-required'


def reboot_verdict(file_exists, needs_restarting_rc=None, zypper_rc=None):
    """Whether the system says it needs a reboot, and how it was asked: (True, False or None
    when no method answered, the method). needs-restarting -r (RHEL family): 1 needed, 0 not;
    zypper needs-rebooting (SUSE): 102 needed, 0 not; the Debian file."""
    if file_exists:
        return True, REBOOT_REQUIRED_FILE
    if needs_restarting_rc in (0, 1):
        return needs_restarting_rc == 1, 'needs-restarting -r'
    if zypper_rc in (0, 102):
        return zypper_rc == 102, 'zypper needs-rebooting'
    return None, None


def boot_kernel_from_grubby(text):
    """The kernel release grubby --default-kernel names (/boot/vmlinuz-RELEASE), or None."""
    line = (text or '').strip().splitlines()[0].strip() if (text or '').strip() else ''
    name = os.path.basename(line)
    if not name.startswith('vmlinuz-') or len(name) == len('vmlinuz-'):
        return None
    return name[len('vmlinuz-'):]
