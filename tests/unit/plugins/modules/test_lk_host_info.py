# -*- coding: utf-8 -*-
"""lk_host_info through main(): facts read, nothing judged, nothing changed."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import socket

import pytest

from ansible.module_utils import basic
from conftest import Hang
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_host_info

GETENFORCE = '/usr/sbin/getenforce'


@pytest.fixture
def getenforce(monkeypatch, fake_cli):
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, arg, required=False, opt_dirs=None: GETENFORCE if arg == 'getenforce' else None)
    return fake_cli


@pytest.fixture
def no_getenforce(monkeypatch, fake_cli, tmp_path):
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', lambda self, arg, required=False, opt_dirs=None: None)
    config = tmp_path / 'selinux-config'
    monkeypatch.setattr(lk_host_info, 'SELINUX_CONFIG', str(config))
    return config


def test_every_fact(getenforce, run, tmp_path):
    getenforce.set((GETENFORCE,), (0, 'Permissive\n', ''))
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        failed, result = run(lk_host_info.main, {'paths': [str(tmp_path / 'media')], 'names': ['localhost'],
                                                 'connect': [{'address': '127.0.0.1', 'port': port}]})
    finally:
        server.close()
    assert not failed, result
    assert result['changed'] is False
    assert result['selinux'] == {'mode': 'permissive', 'source': 'getenforce'}
    assert result['arch']['machine'] == os.uname()[4] and result['arch']['bits'] in (32, 64, None)
    assert result['disk'][0]['checked_path'] == str(tmp_path) and result['disk'][0]['free_mb'] >= 0
    assert [r['name'] for r in result['resolve']] == ['localhost']      # not added twice
    assert result['connect'][0]['ok'] is True and result['connect'][0]['port'] == port
    assert getenforce.calls[0][1]['timeout'] == 60


def test_localhost_is_always_resolved(getenforce, run):
    getenforce.set((GETENFORCE,), (0, 'Disabled\n', ''))
    failed, result = run(lk_host_info.main, {'names': ['node2.invalid']})
    assert not failed
    assert [r['name'] for r in result['resolve']] == ['node2.invalid', 'localhost']
    assert result['resolve'][0]['error'] and result['resolve'][0]['addresses'] == []


@pytest.mark.parametrize('content,expected', [
    ('SELINUX=enforcing\n', {'mode': 'enforcing', 'source': 'CONFIG'}),
    (None, {'mode': 'absent', 'source': None}),
    ('SELINUXTYPE=targeted\n', {'mode': 'absent', 'source': None}),
])
def test_selinux_without_getenforce(no_getenforce, run, content, expected):
    if content is not None:
        no_getenforce.write_text(content)
    failed, result = run(lk_host_info.main, {})
    assert not failed
    if expected['source'] == 'CONFIG':
        expected = dict(expected, source=str(no_getenforce))
    assert result['selinux'] == expected


def test_a_hanging_getenforce_falls_back_to_the_config(getenforce, run, monkeypatch, tmp_path):
    config = tmp_path / 'selinux-config'
    config.write_text('SELINUX=disabled\n')
    monkeypatch.setattr(lk_host_info, 'SELINUX_CONFIG', str(config))
    getenforce.set((GETENFORCE,), Hang())
    failed, result = run(lk_host_info.main, {'command_timeout': 2})
    assert not failed and result['selinux'] == {'mode': 'disabled', 'source': str(config)}


@pytest.mark.parametrize('extra,says', [
    ({'connect': [{'address': 'n', 'port': 70000}]}, '70000'),
    ({'connect': [{'address': ' ', 'port': 7365}]}, 'address must not be empty'),
    ({'connect': [{'address': 'n'}]}, 'port'),
    ({'connect_timeout': -1}, "connect_timeout must be a number of seconds more than 0 and at most 604800 (7 days), not -1"),
    ({'connect_timeout': 'inf'}, 'inf'),
])
def test_bad_input_is_refused(getenforce, run, extra, says):
    failed, result = run(lk_host_info.main, extra)
    assert failed and says in result['msg']
    assert getenforce.calls == []


def test_check_mode_reads_the_same(getenforce, run):
    getenforce.set((GETENFORCE,), (0, 'Enforcing\n', ''))
    failed, result = run(lk_host_info.main, {}, check_mode=True)
    assert not failed and result['changed'] is False and result['selinux']['mode'] == 'enforcing'


RPM = '/usr/bin/rpm'
QF = '%{NAME}\t%{VERSION}\n'


@pytest.fixture
def rpm_tools(monkeypatch, fake_cli, tmp_path):
    tools = {'getenforce': GETENFORCE, 'rpm': RPM}
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, arg, required=False, opt_dirs=None: tools.get(arg))
    release = tmp_path / 'os-release'
    release.write_text('NAME="Red Hat Enterprise Linux"\nVERSION="8.6 (Ootpa)"\nID="rhel"\nVERSION_ID="8.6"\n'
                       'PRETTY_NAME="Red Hat Enterprise Linux 8.6 (Ootpa)"\n')
    monkeypatch.setattr(lk_host_info, 'OS_RELEASE', str(release))
    fake_cli.set((GETENFORCE,), (0, 'Disabled\n', ''))
    return fake_cli


def test_the_distribution_the_kernel_and_the_packages(rpm_tools, run):
    # rpm -q prints the installed ones with the query format, a sentence for the others (exit 1)
    rpm_tools.set((RPM, '-q', '--qf', QF, 'sg3_utils', 'steeleye-lkDMMP'),
                  (1, 'sg3_utils\t1.44\npackage steeleye-lkDMMP is not installed\n', ''))
    failed, result = run(lk_host_info.main, {'packages': ['sg3_utils', 'steeleye-lkDMMP']})
    assert not failed, result
    assert result['os'] == {'name': 'Red Hat Enterprise Linux 8.6 (Ootpa)', 'id': 'rhel', 'version_id': '8.6',
                            'kernel': os.uname()[2], 'error': None}
    assert result['packages'] == [{'name': 'sg3_utils', 'installed': True, 'version': '1.44', 'error': None},
                                  {'name': 'steeleye-lkDMMP', 'installed': False, 'version': None, 'error': None}]


def test_no_os_release_and_no_rpm_are_results(monkeypatch, rpm_tools, run, tmp_path):
    monkeypatch.setattr(lk_host_info, 'OS_RELEASE', str(tmp_path / 'missing'))
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, arg, required=False, opt_dirs=None: GETENFORCE if arg == 'getenforce' else None)
    failed, result = run(lk_host_info.main, {'packages': ['sg3_utils']})
    assert not failed, result
    assert result['os']['name'] is None and result['os']['kernel'] == os.uname()[2]
    assert result['os']['error'].startswith('%s: ' % (tmp_path / 'missing'))
    assert result['packages'] == [{'name': 'sg3_utils', 'installed': False, 'version': None,
                                   'error': 'rpm is not installed'}]


def test_files_are_reported_present_with_their_size_or_missing(getenforce, run, tmp_path):
    getenforce.set((GETENFORCE,), (0, 'Disabled\n', ''))
    media = tmp_path / 'LKL_V9.9.0.iso'
    media.write_bytes(b'x' * 2048)
    link = tmp_path / 'media-link.iso'
    link.symlink_to(media)
    missing = str(tmp_path / 'k.lic')
    failed, result = run(lk_host_info.main, {'files': [str(media), str(link), missing,
                                                       str(media / 'below-a-file')]})
    assert not failed, result
    assert result['files'] == [
        {'path': str(media), 'exists': True, 'size': 2048, 'error': None},
        {'path': str(link), 'exists': True, 'size': 2048, 'error': None},
        {'path': missing, 'exists': False, 'size': None, 'error': None},
        {'path': str(media / 'below-a-file'), 'exists': False, 'size': None, 'error': None},
    ]


def test_the_lock_is_read_as_lk_lock_reads_it_and_the_records_as_json(getenforce, run, tmp_path):
    from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock as lklock
    from ansible_collections.hatools.lifekeeper.plugins.modules import lk_lock
    getenforce.set((GETENFORCE,), (0, 'Disabled\n', ''))
    lock_dir = str(tmp_path / 'locks')
    lklock.acquire(lock_dir, 'cluster-erp', 'R1', {'controller': 'ctl1', 'cluster': 'erp'})
    record = tmp_path / 'update-progress.json'
    record.write_text('{"run_id": "R1", "step": "started"}\n')
    broken = tmp_path / 'broken.json'
    broken.write_text('{"run_id": ')
    args = {'lock': {'name': 'cluster-erp', 'lock_dir': lock_dir},
            'records': [str(record), str(tmp_path / 'none.json'), str(broken), str(tmp_path)]}
    failed, result = run(lk_host_info.main, args)
    assert not failed, result
    dummy, query = run(lk_lock.main, {'state': 'query', 'name': 'cluster-erp', 'lock_dir': lock_dir})
    same = ('holder', 'path', 'fingerprint', 'process', 'host')
    assert sorted(result['lock']) == sorted(same + ('age_s', 'error')) and result['lock']['error'] is None
    assert dict((key, result['lock'][key]) for key in same) == dict((key, query[key]) for key in same)
    assert result['lock']['holder']['run_id'] == 'R1' and result['lock']['age_s'] >= 0
    assert result['records'][0] == {'path': str(record), 'exists': True, 'content': {'run_id': 'R1', 'step': 'started'},
                                    'error': None}
    missing = str(tmp_path / 'none.json')
    assert result['records'][1] == {'path': missing, 'exists': False, 'content': None, 'error': None}
    assert result['records'][2]['exists'] is True and result['records'][2]['content'] is None
    assert result['records'][2]['error'].startswith('not JSON: ')
    assert result['records'][3]['exists'] is True and result['records'][3]['error'] == 'Is a directory'


def test_a_lock_that_cannot_be_read_is_the_reason_not_a_failure(getenforce, run, tmp_path):
    getenforce.set((GETENFORCE,), (0, 'Disabled\n', ''))
    lock_dir = tmp_path / 'locks'
    lock_dir.mkdir()
    lock_dir.chmod(0o777)
    failed, result = run(lk_host_info.main, {'lock': {'name': 'cluster-erp', 'lock_dir': str(lock_dir)}})
    assert not failed, result
    assert result['lock']['path'] == str(lock_dir / 'cluster-erp.lock')
    assert str(lock_dir) in result['lock']['error'] and '0777' in result['lock']['error']
    assert 'holder' not in result['lock']
    failed, result = run(lk_host_info.main, {'lock': {'name': '../etc', 'lock_dir': str(lock_dir)}})
    assert failed and "lock name" in result['msg'] and '../etc' in result['msg']


@pytest.fixture
def reboot_tools(monkeypatch, fake_cli, tmp_path):
    """needs-restarting and zypper on the node as the test says; the Debian file under tmp_path."""
    found = {}
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, arg, required=False, opt_dirs=None: found.get(arg))
    monkeypatch.setattr(lk_host_info, 'REBOOT_REQUIRED_FILE', str(tmp_path / 'reboot-required'))
    return found, fake_cli, tmp_path / 'reboot-required'


def test_reboot_required_by_needs_restarting(reboot_tools, run):
    found, cli, dummy = reboot_tools
    found['needs-restarting'] = '/usr/bin/needs-restarting'
    cli.set(('/usr/bin/needs-restarting', '-r'), (1, 'Reboot is required to fully utilize these updates.\n', ''))
    failed, result = run(lk_host_info.main, {'reboot_required': True})
    assert not failed, result
    assert result['reboot'] == {'required': True, 'method': 'needs-restarting -r', 'kernel': os.uname()[2],
                                'boot_kernel': None}


def test_the_kernel_booted_next_from_grubby(reboot_tools, run):
    found, cli, dummy = reboot_tools
    found['grubby'] = '/usr/sbin/grubby'
    cli.set(('/usr/sbin/grubby', '--default-kernel'), (0, '/boot/vmlinuz-4.18.0-553.el8_10.x86_64\n', ''))
    failed, result = run(lk_host_info.main, {'reboot_required': True})
    assert not failed and result['reboot']['boot_kernel'] == '4.18.0-553.el8_10.x86_64'
    cli.set(('/usr/sbin/grubby', '--default-kernel'), (1, '', 'grubby: no default kernel'))
    failed, result = run(lk_host_info.main, {'reboot_required': True})
    assert not failed and result['reboot']['boot_kernel'] is None


def test_reboot_required_on_suse_and_debian(reboot_tools, run):
    found, cli, debian_file = reboot_tools
    found['zypper'] = '/usr/bin/zypper'
    cli.set(('/usr/bin/zypper', 'needs-rebooting'), (0, '', ''))
    failed, result = run(lk_host_info.main, {'reboot_required': True})
    assert not failed and result['reboot']['required'] is False and result['reboot']['method'] == 'zypper needs-rebooting'
    debian_file.write_text('*** System restart required ***\n')
    failed, result = run(lk_host_info.main, {'reboot_required': True})
    assert result['reboot']['required'] is True and result['reboot']['method'] == '/var/run/reboot-required'


def test_reboot_unknown_and_not_asked(reboot_tools, run):
    failed, result = run(lk_host_info.main, {'reboot_required': True})
    assert not failed and result['reboot']['required'] is None and result['reboot']['method'] is None
    failed, result = run(lk_host_info.main, {})
    assert 'reboot' not in result
