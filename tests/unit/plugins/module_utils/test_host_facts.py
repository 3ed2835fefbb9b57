# -*- coding: utf-8 -*-
"""host_facts.py: SELinux texts, word size, free space, bounded lookups and connects."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import socket
import time

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import host_facts


@pytest.mark.parametrize('text,mode', [
    ('Enforcing\n', 'enforcing'), ('Permissive', 'permissive'), ('Disabled\n', 'disabled'), ('', None),
    ('getenforce: command failed', None),
])
def test_getenforce(text, mode):
    assert host_facts.selinux_from_getenforce(text) == mode


@pytest.mark.parametrize('text,mode', [
    ('# SELINUX= can take one of these three values:\nSELINUX=enforcing\nSELINUXTYPE=targeted\n', 'enforcing'),
    ('SELINUX="disabled"  # for LifeKeeper 8.x\n', 'disabled'),
    ('SELINUX=permissive\nSELINUX=disabled\n', 'disabled'),
    ('SELINUXTYPE=targeted\n', None),
    ('', None),
])
def test_selinux_config(text, mode):
    assert host_facts.selinux_from_config(text) == mode


@pytest.mark.parametrize('machine,bits', [('x86_64', 64), ('aarch64', 64), ('s390x', 64), ('i686', 32),
                                          ('armv7l', 32), ('quantum', None)])
def test_machine_bits(machine, bits):
    assert host_facts.machine_bits(machine) == bits


def test_disk_free_of_a_path_still_to_create(tmp_path):
    result = host_facts.disk_free(str(tmp_path / 'not' / 'yet'))
    assert result['checked_path'] == str(tmp_path) and result['error'] is None
    assert isinstance(result['free_mb'], int) and result['free_mb'] >= 0


def test_resolve_localhost():
    result = host_facts.resolve('localhost', 5)
    assert result['error'] is None and ('127.0.0.1' in result['addresses'] or '::1' in result['addresses'])


def test_resolve_failure_is_a_result(monkeypatch):
    def fail(*args):
        raise socket.gaierror(-2, 'Name or service not known')
    monkeypatch.setattr(socket, 'getaddrinfo', fail)
    assert host_facts.resolve('nope.invalid', 5) == {'name': 'nope.invalid', 'addresses': [],
                                                     'error': 'Name or service not known'}


def test_a_hanging_lookup_is_bounded(monkeypatch):
    monkeypatch.setattr(socket, 'getaddrinfo', lambda *args: time.sleep(1) or [])
    started = time.monotonic()
    result = host_facts.resolve('slow', 0.2)
    assert result['error'] == 'no answer within 0.2 s' and time.monotonic() - started < 1


def test_connect_ok_and_refused():
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        ok = host_facts.connect('127.0.0.1', port, 2)
    finally:
        server.close()
    assert ok['ok'] is True and ok['error'] is None and ok['seconds'] < 2
    refused = host_facts.connect('127.0.0.1', port, 2)
    assert refused['ok'] is False and 'refused' in refused['error'].lower()


def test_a_hanging_connect_is_bounded(monkeypatch):
    class Late(object):
        def close(self):
            pass
    monkeypatch.setattr(socket, 'create_connection', lambda *args, **kwargs: time.sleep(1.5) or Late())
    started = time.monotonic()
    result = host_facts.connect('10.255.255.1', 7365, 0.2)
    assert result['ok'] is False and 'no answer within' in result['error'] and time.monotonic() - started < 2


# /etc/os-release as RHEL 8.6 and SLES 15 SP4 ship it (os-release(5): shell-style, values may be quoted)
RHEL_86 = '''NAME="Red Hat Enterprise Linux"
VERSION="8.6 (Ootpa)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="8.6"
PLATFORM_ID="platform:el8"
PRETTY_NAME="Red Hat Enterprise Linux 8.6 (Ootpa)"
ANSI_COLOR="0;31"
'''
SLES_15 = '''NAME="SLES"
VERSION="15-SP4"
VERSION_ID="15.4"
PRETTY_NAME="SUSE Linux Enterprise Server 15 SP4"
ID="sles"
ID_LIKE="suse"
'''


def test_os_release():
    assert host_facts.os_release(RHEL_86) == {'name': 'Red Hat Enterprise Linux 8.6 (Ootpa)', 'id': 'rhel',
                                              'version_id': '8.6'}
    assert host_facts.os_release(SLES_15)['name'] == 'SUSE Linux Enterprise Server 15 SP4'
    assert host_facts.os_release("NAME=Debian\nVERSION='12 (bookworm)'\n# comment\n\n") == {
        'name': 'Debian 12 (bookworm)', 'id': None, 'version_id': None}
    assert host_facts.os_release('') == {'name': None, 'id': None, 'version_id': None}


def test_rpm_query():
    out = 'sg3_utils\t1.44\npackage steeleye-lkPPATH is not installed\n'
    assert host_facts.rpm_query(out, ['sg3_utils', 'steeleye-lkPPATH']) == [
        {'name': 'sg3_utils', 'installed': True, 'version': '1.44', 'error': None},
        {'name': 'steeleye-lkPPATH', 'installed': False, 'version': None, 'error': None}]
    assert host_facts.rpm_query('', ['sg3_utils'])[0]['installed'] is False


@pytest.mark.parametrize('file_exists,needs,zypper,expected', [
    (True, None, None, (True, '/var/run/reboot-required')),
    (False, 1, None, (True, 'needs-restarting -r')),
    (False, 0, None, (False, 'needs-restarting -r')),
    (False, None, 102, (True, 'zypper needs-rebooting')),
    (False, None, 0, (False, 'zypper needs-rebooting')),
    # an error exit (2: not root, a broken plugin) answers nothing
    (False, 2, 1, (None, None)),
    (False, None, None, (None, None)),
])
def test_reboot_verdict(file_exists, needs, zypper, expected):
    assert host_facts.reboot_verdict(file_exists, needs, zypper) == expected


@pytest.mark.parametrize('text,expected', [
    ('/boot/vmlinuz-4.18.0-553.el8_10.x86_64\n', '4.18.0-553.el8_10.x86_64'),
    ('/boot/vmlinuz-5.14.21-150500.55.39-default', '5.14.21-150500.55.39-default'),
    ('', None),
    ('/boot/vmlinuz-\n', None),
    ('grubby: no default kernel\n', None),
])
def test_boot_kernel_from_grubby(text, expected):
    assert host_facts.boot_kernel_from_grubby(text) == expected
