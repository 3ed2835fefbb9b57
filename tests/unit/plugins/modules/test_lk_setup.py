# -*- coding: utf-8 -*-
"""lk_setup with recorded mount/xorriso/setup/rpm/rmlk behaviour (fake run_command keyed by argv).

The fake mount "mounts" by writing the image's files into the mount point and umount
removes them again, so the tests see what the module would find on real media.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os

import pytest

from ansible.module_utils import basic
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_setup

RPM = '/usr/bin/rpm'
MOUNT = '/usr/bin/mount'
UMOUNT = '/usr/bin/umount'
XORRISO = '/usr/bin/xorriso'
RPM_Q = (RPM, '-q', '--qf', '%{VERSION}', 'steeleye-lk')
NOT_INSTALLED = (1, 'package steeleye-lk is not installed\n', '')
ISO_BYTES = b'ISO9660 product image (stand-in)\n'
SETUP_OK = ('Checking installed packages...\n'
            'Updating steeleye-lk...\n'
            'Starting LifeKeeper...\n'
            'Setup Complete.\n')
MUTATING = (MOUNT, UMOUNT)


class Node(object):
    """The state the fake commands share: installed version, mounts, what setup saw."""

    def __init__(self, cli, version, image='sps_9.9.0.img'):
        self.cli = cli
        self.version = version
        self.image = image
        self.mounted = []
        self.setup_seen = {}
        self.setup_result = None  # (rc, out, err); default success that installs target

    def rpm(self, argv):
        if self.version is None:
            return NOT_INSTALLED
        return 0, self.version, ''

    def handle(self, argv):
        name = argv[0]
        if name == RPM:
            return self.rpm(argv)
        if name == MOUNT:
            target = argv[-1]
            if '-t' in argv:
                with open(os.path.join(target, 'setup'), 'w') as handle:
                    handle.write('#!/bin/sh\n')
            else:
                with open(os.path.join(target, self.image), 'w') as handle:
                    handle.write('inner image')
            self.mounted.append(target)
            return 0, '', ''
        if name == UMOUNT:
            target = argv[-1]
            assert target == self.mounted[-1], 'unmounted %s before %s' % (target, self.mounted[-1])
            for entry in os.listdir(target):
                os.remove(os.path.join(target, entry))
            self.mounted.pop()
            return 0, '', ''
        if name == XORRISO:
            if '-ls' in argv:
                return 0, "'%s'\n" % self.image, 'xorriso 1.5.4 : RockRidge filesystem manipulator\n'
            target = argv[-1]
            source = argv[argv.index('-indev') + 1]
            if source.endswith('.iso'):
                with open(os.path.join(target, self.image), 'w') as handle:
                    handle.write('inner image')
            else:
                with open(os.path.join(target, 'setup'), 'w') as handle:
                    handle.write('#!/bin/sh\n')
                os.chmod(os.path.join(target, 'setup'), 0o444)
            return 0, '', 'xorriso : UPDATE : 1 files restored\n'
        if name.endswith('/setup'):
            self.setup_seen['argv'] = argv
            args = argv[1:]
            if '-f' in args:
                conf = args[args.index('-f') + 1]
                self.setup_seen['config_exists'] = os.path.isfile(conf)
                self.setup_seen['config_text'] = open(conf).read() if os.path.isfile(conf) else None
            self.setup_seen['mounted'] = list(self.mounted)
            if self.setup_result is not None:
                return self.setup_result
            self.version = self.target
            return 0, SETUP_OK, ''
        if name.endswith('/rmlk'):
            self.setup_seen['rmlk_kwargs'] = dict(self.cli.calls[-1][1])
            self.version = None
            return 0, 'Removing LifeKeeper...\nRemoval complete.\n', ''
        raise AssertionError('unexpected command %r' % (argv,))


@pytest.fixture
def node(fake_cli, monkeypatch):
    """A node with steeleye-lk 9.8.0; every command goes to Node.handle."""
    state = Node(fake_cli, '9.8.0')
    state.target = '9.9.0'

    class Everything(dict):
        def __contains__(self, argv):
            return True

        def __getitem__(self, argv):
            return state.handle

    fake_cli.responses = Everything()
    paths = {'rpm': RPM, 'mount': MOUNT, 'umount': UMOUNT, 'xorriso': XORRISO}
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, arg, required=False, opt_dirs=None: paths.get(arg))
    return state


@pytest.fixture
def media(tmp_path):
    path = tmp_path / 'media' / 'LKL_V9.9.0_112226.iso'
    path.parent.mkdir()
    path.write_bytes(ISO_BYTES)
    return path


@pytest.fixture
def work(tmp_path):
    path = tmp_path / 'work'
    path.mkdir()
    return path


def names(cli):
    return [argv[0] for argv, _kw in cli.calls]


def params(lkroot, media, work, **extra):
    args = {'lkroot': str(lkroot), 'version': '9.9.0', 'media': str(media), 'tmp_dir': str(work)}
    args.update(extra)
    return args


def test_update_by_mount_runs_setup_and_unmounts_in_reverse(lkroot, node, media, work, run, fake_cli):
    failed, result = run(lk_setup.main, params(lkroot, media, work), diff=True)
    assert not failed, result
    assert result['changed'] is True
    assert result['version_before'] == '9.8.0'
    assert result['version_after'] == '9.9.0'
    assert result['update_path'] == 'direct'
    assert result['media_sha256'] == hashlib.sha256(ISO_BYTES).hexdigest()
    assert result['setup_output_tail'][-1] == 'Setup Complete.'
    assert result['diff'] == {'before': {'version': '9.8.0'}, 'after': {'version': '9.9.0'}}
    calls = fake_cli.argvs()
    iso_mount = [c for c in calls if c[0] == MOUNT and '-t' not in c][0]
    img_mount = [c for c in calls if c[0] == MOUNT and '-t' in c][0]
    assert iso_mount[1:4] == ('-o', 'loop,ro', str(media))
    assert img_mount[1:5] == ('-t', 'iso9660', '-o', 'loop,ro')
    assert img_mount[5] == os.path.join(iso_mount[-1], 'sps_9.9.0.img')
    assert names(fake_cli) == [RPM, MOUNT, MOUNT, node.setup_seen['argv'][0], UMOUNT, UMOUNT, RPM]
    assert [c[-1] for c in calls if c[0] == UMOUNT] == [img_mount[-1], iso_mount[-1]]
    # 9.x default: -f with an empty configuration file that exists while setup runs
    argv = node.setup_seen['argv']
    assert argv[0] == os.path.join(img_mount[-1], 'setup')
    assert argv[1] == '-f' and len(argv) == 3
    assert node.setup_seen['config_exists'] and node.setup_seen['config_text'] == ''
    assert not os.path.exists(argv[2])
    assert node.mounted == []
    assert os.listdir(str(work)) == []


def test_update_by_extract_never_mounts(lkroot, node, media, work, run, fake_cli):
    failed, result = run(lk_setup.main, params(lkroot, media, work, media_access='extract'))
    assert not failed, result
    calls = fake_cli.argvs()
    assert MOUNT not in names(fake_cli) and UMOUNT not in names(fake_cli)
    extracts = [c for c in calls if c[0] == XORRISO]
    assert extracts[0][:5] == (XORRISO, '-osirrox', 'on', '-indev', str(media))
    assert extracts[0][5:7] == ('-extract', '/')
    assert extracts[1][4].endswith('sps_9.9.0.img')
    assert node.setup_seen['argv'][0] == os.path.join(extracts[1][-1], 'setup')
    assert result['version_after'] == '9.9.0'
    assert os.listdir(str(work)) == []


def test_setup_dir_runs_setup_there(lkroot, node, work, run, fake_cli, tmp_path):
    setup_dir = tmp_path / 'mnt'
    setup_dir.mkdir()
    (setup_dir / 'setup').write_text('#!/bin/sh\n')
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'version': '9.9.0', 'setup_dir': str(setup_dir)})
    assert not failed, result
    assert node.setup_seen['argv'][0] == str(setup_dir / 'setup')
    assert MOUNT not in names(fake_cli)
    assert 'media_sha256' not in result


def test_already_at_version_is_unchanged(lkroot, node, media, work, run, fake_cli):
    node.version = '9.9.0'
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert not failed, result
    assert result['changed'] is False
    assert result['update_path'] == 'none'
    assert names(fake_cli) == [RPM]


def test_check_mode_predicts_change_without_mounting_or_running(lkroot, node, media, work, run, fake_cli):
    failed, result = run(lk_setup.main, params(lkroot, media, work), check_mode=True, diff=True)
    assert not failed, result
    assert result['changed'] is True
    assert result['version_after'] == '9.9.0'
    assert result['diff']['after'] == {'version': '9.9.0'}
    for argv in fake_cli.argvs():
        assert argv[0] in (RPM, XORRISO), argv
        if argv[0] == XORRISO:
            assert '-ls' in argv and '-extract' not in argv
    assert 'argv' not in node.setup_seen
    assert os.listdir(str(work)) == []
    assert node.version == '9.8.0'


def test_check_mode_detects_media_of_another_version_inside(lkroot, node, media, work, run, fake_cli):
    node.image = 'sps_9.8.0.img'
    failed, result = run(lk_setup.main, params(lkroot, media, work), check_mode=True)
    assert failed
    assert '9.8.0' in result['msg'] and '9.9.0' in result['msg']
    assert MOUNT not in names(fake_cli)


def test_media_missing_fails_naming_it(lkroot, node, work, run, fake_cli, tmp_path):
    missing = tmp_path / 'LKL_V9.9.0_112226.iso'
    failed, result = run(lk_setup.main, params(lkroot, missing, work))
    assert failed
    assert str(missing) in result['msg']
    assert fake_cli.calls == []


def test_checksum_mismatch_names_both_sums(lkroot, node, media, work, run, fake_cli):
    wrong = 'ab' * 32
    failed, result = run(lk_setup.main, params(lkroot, media, work, media_sha256=wrong))
    assert failed
    assert wrong in result['msg']
    assert hashlib.sha256(ISO_BYTES).hexdigest() in result['msg']
    assert fake_cli.calls == []


def test_checksum_match_is_accepted_in_any_case(lkroot, node, media, work, run):
    good = hashlib.sha256(ISO_BYTES).hexdigest().upper()
    failed, result = run(lk_setup.main, params(lkroot, media, work, media_sha256=good))
    assert not failed, result


def test_iso_named_for_another_version_fails(lkroot, node, work, run, fake_cli, tmp_path):
    other = tmp_path / 'LKL_V9.8.0_010126.iso'
    other.write_bytes(ISO_BYTES)
    failed, result = run(lk_setup.main, params(lkroot, other, work))
    assert failed
    assert '9.8.0' in result['msg'] and '9.9.0' in result['msg']
    assert fake_cli.calls == []


def test_image_of_another_version_fails_and_unmounts(lkroot, node, media, work, run, fake_cli):
    node.image = 'sps_9.8.0.img'
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed
    assert 'sps_9.8.0.img' in result['msg'] and '9.9.0' in result['msg']
    assert 'argv' not in node.setup_seen
    assert names(fake_cli) == [RPM, MOUNT, UMOUNT]
    assert node.mounted == []
    assert os.listdir(str(work)) == []


def test_outside_direct_window_refused_pointing_to_reinstall(lkroot, node, media, work, run, fake_cli):
    node.version = '9.5.0'
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed
    assert '9.5.0' in result['msg'] and '9.9.0' in result['msg']
    assert 'reinstall path must be used' in result['msg']
    assert '9.7.x' in result['msg']
    assert names(fake_cli) == [RPM]


def test_downgrade_refused(lkroot, node, run, fake_cli, tmp_path):
    node.version = '10.0.0'
    (tmp_path / 'setup').write_text('#!/bin/sh\n')
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'version': '9.9.0', 'setup_dir': str(tmp_path)})
    assert failed
    assert '10.0.0' in result['msg'] and '9.9.0' in result['msg'] and 'downgrade' in result['msg']
    assert names(fake_cli) == [RPM]


def test_setup_failure_reports_tail_and_still_unmounts(lkroot, node, media, work, run, fake_cli):
    node.setup_result = (1, 'line\n' * 30 + 'ERROR: package steeleye-lkDR failed to install\n', '')
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed
    assert 'steeleye-lkDR failed to install' in result['msg']
    assert len(result['setup_output_tail']) == 20
    assert result['version_after'] == '9.8.0'
    assert names(fake_cli)[-3:] == [UMOUNT, UMOUNT, RPM]
    assert node.mounted == []


def test_setup_rc0_without_setup_complete_fails(lkroot, node, media, work, run):
    node.setup_result = (0, 'Aborted by user.\n', '')
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed
    assert 'Setup Complete.' in result['msg']


def test_wrong_version_after_setup_fails(lkroot, node, media, work, run):
    node.setup_result = (0, SETUP_OK, '')  # claims success, installs nothing
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed
    assert '9.8.0' in result['msg'] and '9.9.0' in result['msg']


def test_8x_target_defaults_to_dash_y(lkroot, node, work, run, tmp_path):
    node.version = '8.3.0'
    node.target = '8.4.1'
    node.image = 'sps_8.4.1.img'
    iso = tmp_path / 'media' / 'LKL_V8.4.1_010120.iso'
    iso.parent.mkdir()
    iso.write_bytes(ISO_BYTES)
    failed, result = run(lk_setup.main, params(lkroot, iso, work, version='8.4.1'))
    assert not failed, result
    assert node.setup_seen['argv'][1:] == ('-y',)
    assert result['setup_args'] == ['-y']


def test_setup_args_and_config_file_are_passed_as_given(lkroot, node, media, work, run, tmp_path):
    conf = tmp_path / 'my setup.conf'
    conf.write_text('LICENSE_FILES=/root/keys\n')
    failed, result = run(lk_setup.main, params(lkroot, media, work, config_file=str(conf)))
    assert not failed, result
    assert node.setup_seen['argv'][1:] == ('-f', str(conf))
    assert node.setup_seen['config_text'] == 'LICENSE_FILES=/root/keys\n'
    assert os.path.isfile(str(conf))

    node.version = '9.8.0'
    failed, result = run(lk_setup.main, params(lkroot, media, work, setup_args=['-f', 'a b;$(x)"\'']))
    assert not failed, result
    assert node.setup_seen['argv'][1:] == ('-f', 'a b;$(x)"\'')


def test_missing_config_file_fails_before_anything(lkroot, node, media, work, run, fake_cli, tmp_path):
    failed, result = run(lk_setup.main, params(lkroot, media, work, config_file=str(tmp_path / 'none.conf')))
    assert failed
    assert 'none.conf' in result['msg']
    assert fake_cli.calls == []


def test_invalid_version_fails(lkroot, node, media, work, run, fake_cli):
    failed, result = run(lk_setup.main, params(lkroot, media, work, version='nine'))
    assert failed
    assert 'nine' in result['msg'] and 'N.N.N' in result['msg']
    assert fake_cli.calls == []


def test_fresh_install(lkroot, node, media, work, run):
    node.version = None
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert not failed, result
    assert result['update_path'] == 'fresh'
    assert result['version_before'] is None
    assert result['version_after'] == '9.9.0'


def test_absent_runs_rmlk_answering_yes(lkroot, node, run, fake_cli):
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'state': 'absent'}, diff=True)
    assert not failed, result
    assert result['changed'] is True
    assert result['version_before'] == '9.8.0'
    assert result['version_after'] is None
    rmlk = [(argv, kw) for argv, kw in fake_cli.calls if argv[0].endswith('/rmlk')]
    assert rmlk[0][0] == (str(lkroot / 'bin' / 'rmlk'),)
    assert rmlk[0][1]['data'] == 'y\n'
    assert result['diff'] == {'before': {'version': '9.8.0'}, 'after': {'version': None}}


def test_absent_check_mode_runs_nothing(lkroot, node, run, fake_cli):
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'state': 'absent'}, check_mode=True)
    assert not failed
    assert result['changed'] is True
    assert names(fake_cli) == [RPM]


def test_absent_when_not_installed_is_unchanged(tmp_path, node, run, fake_cli):
    node.version = None
    failed, result = run(lk_setup.main, {'lkroot': str(tmp_path / 'none'), 'state': 'absent'})
    assert not failed
    assert result['changed'] is False
    assert names(fake_cli) == [RPM]


def test_present_requires_version_and_a_source(lkroot, node, run, fake_cli):
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'media': '/x.iso'})
    assert failed and 'version' in result['msg']
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'version': '9.9.0'})
    assert failed and 'media' in result['msg']
    assert fake_cli.calls == []


def test_mount_failure_is_reported_unchanged_with_a_hint(lkroot, node, media, work, run, fake_cli):
    original = node.handle

    def handle(argv):
        if argv[0] == MOUNT:
            return 32, '', "mount: %s: unknown filesystem type 'iso9660'.\n" % argv[-1]
        return original(argv)
    node.handle = handle
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed
    assert "unknown filesystem type 'iso9660'" in result['msg']
    assert 'media_access=extract' in result['msg']
    assert result['changed'] is False
    assert result['version_after'] == '9.8.0'
    assert UMOUNT not in names(fake_cli)
    assert os.listdir(str(work)) == []


def record_warnings(monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, msg: warnings.append(msg))
    return warnings


def test_crossing_the_perl_change_warns(lkroot, node, media, work, run, monkeypatch):
    warnings = record_warnings(monkeypatch)
    node.version = '9.7.2'
    failed, result = run(lk_setup.main, params(lkroot, media, work), check_mode=True)
    assert not failed, result
    assert result['perl_change'] is True
    assert any('Perl' in warning and '9.7.2' in warning for warning in warnings)


def test_no_perl_warning_from_9_8(lkroot, node, media, work, run, monkeypatch):
    warnings = record_warnings(monkeypatch)
    failed, result = run(lk_setup.main, params(lkroot, media, work), check_mode=True)
    assert not failed
    assert result['perl_change'] is False
    assert warnings == []
