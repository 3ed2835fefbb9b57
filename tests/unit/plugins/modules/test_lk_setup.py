# -*- coding: utf-8 -*-
"""lk_setup with recorded mount/xorriso/setup/rpm/rmlk behaviour (fake run_command keyed by argv).

The fake mount "mounts" by writing the image's files into the mount point and umount
removes them again, so the tests see what the module would find on real media.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os
import shutil
import stat
import sys
import time

import pytest

from ansible.module_utils import basic
from conftest import SETUP8_QUESTIONS, Hang, with_kwargs
from ansible_collections.hatools.lifekeeper.plugins.module_utils import runner as lkrunner
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


# The 8.x questions of tests/lksim/ASSUMPTIONS.md, "8.x setup screens" (the texts the simulator prints).
Q = SETUP8_QUESTIONS
MEDIA_KITS = ('steeleye-lkDR', 'steeleye-lkNFS', 'steeleye-lkORA')
LONG_NFS = """Resource Hierarchy Information

Resource hierarchies for machine "node1":

nfs-export: id=/export app=gen type=nfs state=ISP
        info=/export
"""
LONG_NO_NFS = LONG_NFS.replace('app=gen type=nfs', 'app=gen type=app')


class Node(object):
    """The state the fake commands share: installed version, kits, licences, mounts, what setup saw.

    8.x setup asks the questions of tests/lksim/ASSUMPTIONS.md ("8.x setup screens") through the
    module's conversation, as runner.run_command would offer them (a question left unanswered
    kills setup)."""

    def __init__(self, cli, version, image='sps_9.9.0.img'):
        self.cli = cli
        self.version = version
        self.image = image
        self.kits = {'steeleye-lkDR': version} if version else {}
        self.license_dir = None
        self.running = False
        self.long = LONG_NO_NFS
        self.mounted = []
        self.setup_seen = {}
        self.asked = []
        self.setup_result = None  # (rc, out, err); default success that installs target
        self.setup_hook = None    # called with argv instead of setup when set
        self.extra_question = None
        self.rmlk_leaves = False

    def rpm(self, argv):
        if '-qa' in argv:
            rows = []
            if self.version:
                rows.append('steeleye-lk\t%s' % self.version)
            rows += ['%s\t%s' % item for item in sorted(self.kits.items())]
            return 0, ''.join(row + '\n' for row in rows), ''
        if self.version is None:
            return NOT_INSTALLED
        return 0, self.version, ''

    def install_licenses(self, paths):
        for path in paths:
            shutil.copy(path, os.path.join(self.license_dir, os.path.basename(path)))

    def ask(self, conversation, key, out, text=None):
        """Show a screen; the conversation sees what was printed since the last answer."""
        question = text or Q[key]
        out.append(question)
        screen = ''.join(out)[self.answered_at:]
        answer = conversation.reply(screen, ''.join(out))
        if answer is None:
            raise lkrunner.CommandInterrupted(self.setup_seen['argv'], 'prompt', 1.0, ''.join(out), '',
                                              prompt=question.strip().splitlines()[-1],
                                              signal_name='SIGTERM', screen=lkrunner.last_lines(screen))
        self.asked.append((key, answer))
        out.append(answer + '\n')
        self.answered_at = len(''.join(out))
        return answer

    def setup_8x(self, argv, conversation):
        """The 8.x screens in the guide's order (as the simulator prints them); returns (rc, out, err)."""
        out = []
        self.answered_at = 0
        kits_only = '-k' in argv
        if not kits_only:
            self.ask(conversation, 'intro', out, Q['intro'] % self.target)
            if self.running:
                self.ask(conversation, 'stop_lifekeeper', out)
                out.append('Stopping LifeKeeper (lkstop -f: protected resources stay in service)\n')
                self.ask(conversation, 'stop_done', out)
            out.append('Checking the distribution and kernel: supported.\n')
            self.ask(conversation, 'base_packages', out)
            self.ask(conversation, 'java_current', out)
            if self.extra_question:
                self.ask(conversation, 'extra', out, self.extra_question)
            self.setup_seen['datakeeper'] = self.ask(conversation, 'datakeeper', out)
            nfs = self.ask(conversation, 'nfs_utils', out)
            if nfs == 'y':
                self.setup_seen['nfs_restart'] = self.ask(conversation, 'nfs_restart', out)
            self.ask(conversation, 'required_packages', out)
            text = (Q['core_update'] % (self.version, self.target) if self.version
                    else Q['core_fresh'] % self.target)
            self.ask(conversation, 'core_packages', out, text)
            self.ask(conversation, 'gui_users', out)
            if self.ask(conversation, 'license', out) == 'y':
                self.install_licenses(self.ask(conversation, 'license_files', out).split())
        for kit in MEDIA_KITS:
            out.append('  [%s] %s  recovery kit\n' % ('u' if kit in self.kits else ' ', kit))
        chosen = self.ask(conversation, 'kit_selection', out).split() or [k for k in MEDIA_KITS if k in self.kits]
        out.append('The following recovery kits will be installed or updated:\n')
        out.extend('  %s\n' % kit for kit in chosen)
        if self.ask(conversation, 'kit_confirm', out) == 'y':
            for kit in chosen:
                self.kits[kit] = self.target
        if not kits_only:
            self.version = self.target
        out.append('Setup Complete.\n')
        return 0, ''.join(out), ''

    def setup_9x(self, argv):
        args = argv[1:]
        config = {}
        if '-f' in args:
            conf = args[args.index('-f') + 1]
            self.setup_seen['config_exists'] = os.path.isfile(conf)
            self.setup_seen['config_mode'] = stat.S_IMODE(os.stat(conf).st_mode) if os.path.isfile(conf) else None
            self.setup_seen['config_text'] = open(conf).read() if os.path.isfile(conf) else None
            for line in (self.setup_seen['config_text'] or '').splitlines():
                if '=' in line and not line.startswith('#'):
                    key, value = line.split('=', 1)
                    config[key.strip()] = value.strip()
        wanted = config.get('RECOVERY_KITS', '').split()
        licenses = config.get('LICENSE_FILES', '').split()
        if self.version == self.target and not wanted and not licenses:
            return 0, 'LifeKeeper %s is already installed; nothing to do.\n' % self.target, ''
        for kit in list(self.kits) + wanted:
            self.kits[kit] = self.target
        self.install_licenses(licenses)
        self.version = self.target
        return 0, SETUP_OK, ''

    def handle_call(self, argv, **kwargs):
        """Through self.handle, which a test may replace."""
        return self.handle(argv, **kwargs)

    def handle(self, argv, timeout=None, data=None, conversation=None, cwd=None, kill_grace=None, **_kw):
        name = argv[0]
        if name == RPM:
            return self.rpm(argv)
        if name.endswith('/lktest'):
            return (0 if self.running else 1), '', ''
        if name.endswith('/lcdstatus'):
            return 0, self.long, ''
        if name.endswith('/lkkeyins'):
            self.install_licenses([argv[1]])
            return 0, 'License key installed.\n', ''
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
            self.setup_seen['timeout'] = timeout
            self.setup_seen['conversation'] = conversation
            self.setup_seen['cwd'] = cwd
            self.setup_seen['kill_grace'] = kill_grace
            self.setup_seen['mounted'] = list(self.mounted)
            if self.setup_hook is not None:
                return self.setup_hook(argv, timeout)
            if self.setup_result is not None:
                if '-f' in argv:
                    conf = argv[argv.index('-f') + 1]
                    self.setup_seen['config_text'] = open(conf).read() if os.path.isfile(conf) else None
                return self.setup_result
            if conversation is not None:
                return self.setup_8x(argv, conversation)
            return self.setup_9x(argv)
        if name.endswith('/rmlk'):
            self.setup_seen['rmlk_kwargs'] = dict(self.cli.calls[-1][1])
            self.version = None
            if not self.rmlk_leaves:
                self.kits = {}
            return 0, 'Removing LifeKeeper...\nRemoval complete.\n', ''
        raise AssertionError('unexpected command %r' % (argv,))


@pytest.fixture
def node(fake_cli, monkeypatch, tmp_path):
    """A node with steeleye-lk and steeleye-lkDR 9.8.0; every command goes to Node.handle."""
    state = Node(fake_cli, '9.8.0')
    state.target = '9.9.0'
    state.license_dir = str(tmp_path / 'license')
    os.mkdir(state.license_dir)
    monkeypatch.setattr(lk_setup, 'LICENSE_KEY_DIR', state.license_dir)
    fake_cli.route(with_kwargs(state.handle_call))
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


def actions(cli):
    """What ran besides the read-only queries (rpm, lktest, the status display)."""
    return [name for name in names(cli) if name != RPM and os.path.basename(name) not in ('lktest', 'lcdstatus')]


SAVED_CONFIG = '# saved from the setup menu (stand-in)\nRECOVERY_KITS=steeleye-lkDR\n'


def params(lkroot, media, work, **extra):
    """Module arguments; a 9.x target gets the operator's saved configuration file."""
    args = {'lkroot': str(lkroot), 'version': '9.9.0', 'media': str(media), 'tmp_dir': str(work)}
    args.update(extra)
    if (args.get('state', 'present') == 'present' and not str(args['version']).lstrip('v').startswith('8')
            and 'config_file' not in args and args.get('setup_args') is None):
        config = os.path.join(os.path.dirname(str(work)), 'lk-setup.conf')
        with open(config, 'w') as handle:
            handle.write(SAVED_CONFIG)
        args['config_file'] = config
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
    assert result['diff'] == {
        'before': {'version': '9.8.0', 'packages': [{'name': 'steeleye-lk', 'version': '9.8.0'},
                                                    {'name': 'steeleye-lkDR', 'version': '9.8.0'}]},
        'after': {'version': '9.9.0', 'packages': [{'name': 'steeleye-lk', 'version': '9.9.0'},
                                                   {'name': 'steeleye-lkDR', 'version': '9.9.0'}]}}
    assert result['packages_after'] == result['diff']['after']['packages']
    assert result['pending'] == {'core': True, 'kits': [], 'licenses': []}
    assert node.setup_seen['timeout'] == 3600   # setup runs within timeout
    calls = fake_cli.argvs()
    iso_mount = [c for c in calls if c[0] == MOUNT and '-t' not in c][0]
    img_mount = [c for c in calls if c[0] == MOUNT and '-t' in c][0]
    assert iso_mount[1:4] == ('-o', 'loop,ro', str(media))
    assert img_mount[1:5] == ('-t', 'iso9660', '-o', 'loop,ro')
    assert img_mount[5] == os.path.join(iso_mount[-1], 'sps_9.9.0.img')
    assert actions(fake_cli) == [MOUNT, MOUNT, node.setup_seen['argv'][0], UMOUNT, UMOUNT]
    # the versions before and after, then whether LifeKeeper answers (the caller starts it only when not)
    assert names(fake_cli)[:2] == [RPM, RPM] and names(fake_cli)[-3:-1] == [RPM, RPM]
    assert names(fake_cli)[-1] == str(lkroot / 'bin' / 'lktest') and result['running'] is node.running
    assert [c[-1] for c in calls if c[0] == UMOUNT] == [img_mount[-1], iso_mount[-1]]
    # 9.x default: -f with an empty configuration file that exists while setup runs
    argv = node.setup_seen['argv']
    assert argv[0] == os.path.join(img_mount[-1], 'setup')
    assert argv[1] == '-f' and len(argv) == 3
    # the operator's saved configuration, passed unchanged (its own path, no copy, no keys added)
    assert node.setup_seen['argv'][1:] == ('-f', os.path.join(os.path.dirname(str(work)), 'lk-setup.conf'))
    assert node.setup_seen['config_text'] == SAVED_CONFIG
    # run from the mounted image's directory (the guide's `cd /mnt; ./setup`), grace 60 s
    assert node.setup_seen['cwd'] == os.path.dirname(node.setup_seen['argv'][0])
    assert node.setup_seen['kill_grace'] == 60
    assert result['killed'] is False and result['timed_out'] is False
    assert os.path.exists(argv[2])          # the operator's file is theirs: kept
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
    args = params(lkroot, None, work, setup_dir=str(setup_dir))
    del args['media']
    failed, result = run(lk_setup.main, args)
    assert not failed, result
    assert node.setup_seen['argv'][0] == str(setup_dir / 'setup')
    assert node.setup_seen['cwd'] == str(setup_dir)
    assert MOUNT not in names(fake_cli)
    assert 'media_sha256' not in result


def test_already_at_version_is_unchanged(lkroot, node, media, work, run, fake_cli):
    node.version = '9.9.0'
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert not failed, result
    assert result['changed'] is False
    assert result['update_path'] == 'none'
    assert actions(fake_cli) == []


def test_check_mode_predicts_change_without_mounting_or_running(lkroot, node, media, work, run, fake_cli):
    failed, result = run(lk_setup.main, params(lkroot, media, work), check_mode=True, diff=True)
    assert not failed, result
    assert result['changed'] is True
    assert result['version_after'] == '9.9.0'
    assert result['diff']['after']['version'] == '9.9.0'
    for argv in fake_cli.argvs():
        assert argv[0] in (RPM, XORRISO), argv
        if argv[0] == XORRISO:
            assert '-ls' in argv and '-extract' not in argv
    assert 'argv' not in node.setup_seen
    assert os.listdir(str(work)) == []
    assert node.version == '9.8.0'
    assert 'running' not in result


@pytest.mark.parametrize('running', [True, False])
def test_the_result_says_whether_lifekeeper_answers_after_setup(lkroot, node, media, work, run, fake_cli, running):
    # setup starts LifeKeeper again when it ran before (the update role then skips lk_service)
    node.running = running
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert not failed, result
    assert result['changed'] is True and result['running'] is running
    assert fake_cli.argvs()[-1] == (str(lkroot / 'bin' / 'lktest'),)


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
    assert str(missing) in result['msg'] and 'lk_media_src' in result['msg']
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
    assert actions(fake_cli) == [MOUNT, UMOUNT]
    assert node.mounted == []
    assert os.listdir(str(work)) == []


def test_outside_direct_window_refused_pointing_to_reinstall(lkroot, node, media, work, run, fake_cli):
    node.version = '9.5.0'
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed
    assert '9.5.0' in result['msg'] and '9.9.0' in result['msg']
    assert 'reinstall path must be used' in result['msg']
    assert '9.7.x' in result['msg']
    assert actions(fake_cli) == []


def test_downgrade_refused(lkroot, node, run, fake_cli, tmp_path):
    node.version = '10.0.0'
    (tmp_path / 'setup').write_text('#!/bin/sh\n')
    args = params(lkroot, None, tmp_path / 'work', setup_dir=str(tmp_path))
    del args['media'], args['tmp_dir']
    failed, result = run(lk_setup.main, args)
    assert failed
    assert '10.0.0' in result['msg'] and '9.9.0' in result['msg'] and 'downgrade' in result['msg']
    assert actions(fake_cli) == []


def test_setup_failure_reports_tail_and_still_unmounts(lkroot, node, media, work, run, fake_cli):
    node.setup_result = (1, 'line\n' * 30 + 'ERROR: package steeleye-lkDR failed to install\n', '')
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed
    assert 'steeleye-lkDR failed to install' in result['msg']
    assert len(result['setup_output_tail']) == 20
    assert result['version_after'] == '9.8.0'
    assert actions(fake_cli)[-2:] == [UMOUNT, UMOUNT]
    assert node.mounted == []


def test_a_failed_setup_names_its_output_log_and_what_to_do(lkroot, node, media, work, run, tmp_path):
    node.setup_result = (1, 'line\n' * 30 + 'ERROR: package steeleye-lkDR failed to install\n', 'rpm: disk full\n')
    log = tmp_path / 'state' / 'setup-9.9.0.log'
    failed, result = run(lk_setup.main, params(lkroot, media, work, output_log=str(log)))
    assert failed and result['output_log'] == str(log)
    assert result['msg'].startswith('setup failed (rc=1, no "Setup Complete."): rpm: disk full. '
                                    'Its whole output is in %s on this node: find the first error there' % log)
    assert 'rpm -q steeleye-lk' in result['msg'] and result['msg'].endswith('then run again')
    text = log.read_text()
    assert text.startswith('line\n') and 'steeleye-lkDR failed to install' in text and 'rpm: disk full' in text
    assert oct(log.stat().st_mode & 0o777) == '0o600'


def test_without_an_output_log_a_failed_setup_points_to_its_last_lines(lkroot, node, media, work, run):
    node.setup_result = (1, 'ERROR: no space\n', '')
    failed, result = run(lk_setup.main, params(lkroot, media, work))
    assert failed and 'output_log' not in result
    assert 'Its last lines are in the task result (setup_output_tail)' in result['msg']


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


@pytest.fixture
def media8(tmp_path, node):
    node.version = '8.3.0'
    node.kits = {'steeleye-lkDR': '8.3.0'}
    node.target = '8.4.1'
    node.image = 'sps_8.4.1.img'
    iso = tmp_path / 'media8' / 'LKL_V8.4.1_010120.iso'
    iso.parent.mkdir()
    iso.write_bytes(ISO_BYTES)
    return iso


def test_8x_questions_are_answered_from_facts_not_with_dash_y(lkroot, node, media8, work, run):
    node.running = True
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1'))
    assert not failed, result
    assert node.setup_seen['argv'][1:] == ()
    assert result['setup_args'] == []
    # DataKeeper installed: y; no NFS hierarchy: n (so no restart question); keys: n; marks kept
    # every Enter screen of the guide gets Enter, in the guide's order
    assert node.asked == [('intro', ''), ('stop_lifekeeper', ''), ('stop_done', ''), ('base_packages', ''),
                          ('java_current', ''), ('datakeeper', 'y'), ('nfs_utils', 'n'),
                          ('required_packages', ''), ('core_packages', ''), ('gui_users', ''),
                          ('license', 'n'), ('kit_selection', ''), ('kit_confirm', 'y')]
    assert result['answers'] == dict(node.asked)
    assert result['answer_order'] == [key for key, _answer in node.asked]
    assert 'nfs_restart' not in node.setup_seen
    assert result['version_after'] == '8.4.1'
    assert result['packages_after'] == [{'name': 'steeleye-lk', 'version': '8.4.1'},
                                        {'name': 'steeleye-lkDR', 'version': '8.4.1'}]
    # the answers appear after their questions in the output tail, as on a terminal
    assert any(line.endswith('[n] n') for line in result['setup_output_tail'])


def test_8x_without_datakeeper_says_no_to_its_kernel_module(lkroot, node, media8, work, run):
    node.kits = {}
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1'))
    assert not failed, result
    assert result['answers']['datakeeper'] == 'n'
    assert 'stop_lifekeeper' not in result['answers']          # LifeKeeper was not running


@pytest.mark.parametrize('nfs_restart,restart_answer', [(False, 'n'), (True, 'y')])
def test_8x_nfs_only_with_an_nfs_hierarchy_and_restart_only_when_allowed(
        lkroot, node, media8, work, run, nfs_restart, restart_answer):
    node.running = True
    node.long = LONG_NFS
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1', nfs_restart=nfs_restart))
    assert not failed, result
    assert result['answers']['nfs_utils'] == 'y'
    assert node.setup_seen['nfs_restart'] == restart_answer == result['answers']['nfs_restart']


def test_8x_nfs_kit_stands_for_nfs_when_lifekeeper_does_not_run(lkroot, node, media8, work, run):
    node.kits['steeleye-lkNFS'] = '8.3.0'
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1'))
    assert not failed, result
    assert result['answers']['nfs_utils'] == 'y' and result['answers']['nfs_restart'] == 'n'


def test_8x_licence_keys_and_new_kits_are_answered(lkroot, node, media8, work, run, tmp_path, fake_cli):
    key = tmp_path / 'node1.lic'
    key.write_text('LICENSE KEY 1')
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1', kits=['steeleye-lkNFS'],
                                               license_files=[str(key)]))
    assert not failed, result
    answers = result['answers']
    # keys: n in setup, then lkkeyins after it (8.4.1 guide step 12)
    assert answers['license'] == 'n' and 'license_files' not in answers
    assert answers['kit_selection'] == 'steeleye-lkDR steeleye-lkNFS'   # installed kept, new added
    assert node.kits == {'steeleye-lkDR': '8.4.1', 'steeleye-lkNFS': '8.4.1'}
    assert os.listdir(node.license_dir) == ['node1.lic']
    assert result['license_commands'] == [[str(lkroot / 'bin' / 'lkkeyins'), str(key)]]
    assert os.path.basename(actions(fake_cli)[-1]) == 'lkkeyins'     # after setup
    assert result['pending'] == {'core': True, 'kits': ['steeleye-lkNFS'], 'licenses': [str(key)]}


def test_8x_unrecognised_question_kills_setup_naming_it(lkroot, node, media8, work, run):
    node.extra_question = 'Reformat the shared disk now? (y/n) [y] '
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1'))
    assert failed
    assert "does not recognise: 'Reformat the shared disk now? (y/n) [y]'" in result['msg']
    # the screen with its last lines, and the fact that setup was killed while it waited
    assert result['msg'].endswith('the screen was:\nReformat the shared disk now? (y/n) [y]; installed now: '
                                  'steeleye-lk 8.3.0')
    assert result['killed'] is True and result['timed_out'] is False and result['kill_signal'] == 'SIGTERM'
    assert node.version == '8.3.0'
    assert node.mounted == []
    assert result['setup_output_tail'][-1].startswith('Reformat the shared disk')


def test_8x_operator_answers_a_site_screen(lkroot, node, media8, work, run):
    node.extra_question = 'Site check: apply the hardening profile now? (y/n) [y] '
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1',
                                               answers={'apply the hardening profile': 'n'}))
    assert not failed, result
    assert ('extra', 'n') in node.asked
    assert result['answers']['apply the hardening profile'] == 'n'
    assert result['answer_order'].index('apply the hardening profile') == result['answer_order'].index('datakeeper') - 1


def test_8x_check_mode_predicts_the_answers(lkroot, node, media8, work, run, fake_cli):
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1', kits=['steeleye-lkORA']),
                         check_mode=True)
    assert not failed, result
    assert result['changed'] is True
    assert result['answers']['datakeeper'] == 'y' and result['answers']['nfs_utils'] == 'n'
    assert result['answers']['kit_selection'] == 'steeleye-lkDR steeleye-lkORA'
    assert 'argv' not in node.setup_seen
    assert actions(fake_cli) == [XORRISO]    # only the look inside the ISO


def test_8x_kits_at_the_target_run_setup_dash_k(lkroot, node, media8, work, run):
    node.version = '8.4.1'
    node.kits = {'steeleye-lkDR': '8.4.1'}
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1', kits=['steeleye-lkNFS']))
    assert not failed, result
    assert result['changed'] is True and result['update_path'] == 'none'
    assert node.setup_seen['argv'][1:] == ('-k',)
    assert node.asked == [('kit_selection', 'steeleye-lkDR steeleye-lkNFS'), ('kit_confirm', 'y')]
    assert node.kits['steeleye-lkNFS'] == '8.4.1'


def test_8x_licences_at_the_target_use_lkkeyins(lkroot, node, media8, work, run, tmp_path, fake_cli):
    node.version = '8.4.1'
    node.kits = {'steeleye-lkDR': '8.4.1'}
    key = tmp_path / 'new.lic'
    key.write_text('NEW KEY')
    failed, result = run(lk_setup.main, params(lkroot, media8, work, version='8.4.1', license_files=[str(key)]))
    assert not failed, result
    assert result['changed'] is True
    assert result['license_commands'] == [[str(lkroot / 'bin' / 'lkkeyins'), str(key)]]
    assert 'argv' not in node.setup_seen
    assert os.listdir(node.license_dir) == ['new.lic']


def test_setup_args_and_config_file_are_passed_as_given(lkroot, node, media, work, run, tmp_path):
    conf = tmp_path / 'my setup.conf'
    conf.write_text('SERVER_ENVIRONMENT=generic\n')
    failed, result = run(lk_setup.main, params(lkroot, media, work, config_file=str(conf)))
    assert not failed, result
    # the operator's file itself, unchanged (issue 18: no keys of ours, nothing unquoted)
    assert node.setup_seen['argv'][1:] == ('-f', str(conf))
    assert node.setup_seen['config_text'] == 'SERVER_ENVIRONMENT=generic\n'
    assert conf.read_text() == 'SERVER_ENVIRONMENT=generic\n'
    assert os.listdir(str(work)) == []       # no copy was written

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
    assert result['diff']['before']['version'] == '9.8.0' and result['diff']['after'] == {'version': None, 'packages': []}
    assert rmlk[0][1]['timeout'] == 3600


def test_absent_check_mode_runs_nothing(lkroot, node, run, fake_cli):
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'state': 'absent'}, check_mode=True)
    assert not failed
    assert result['changed'] is True
    assert actions(fake_cli) == []


def test_absent_when_not_installed_is_unchanged(tmp_path, node, run, fake_cli):
    node.version = None
    failed, result = run(lk_setup.main, {'lkroot': str(tmp_path / 'none'), 'state': 'absent'})
    assert not failed
    assert result['changed'] is False
    assert actions(fake_cli) == []


def test_present_requires_version_and_a_source(lkroot, node, run, fake_cli):
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'media': '/x.iso'})
    assert failed and 'version' in result['msg']
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'version': '9.9.0'})
    assert failed and 'media' in result['msg']
    assert fake_cli.calls == []


def test_mount_failure_is_reported_unchanged_with_a_hint(lkroot, node, media, work, run, fake_cli):
    original = node.handle

    def handle(argv, **kwargs):
        if argv[0] == MOUNT:
            return 32, '', "mount: %s: unknown filesystem type 'iso9660'.\n" % argv[-1]
        return original(argv, **kwargs)
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


def test_9x_configuration_is_passed_unchanged_keys_go_in_with_lkkeyins(lkroot, node, media, work, run, tmp_path,
                                                                       fake_cli):
    key = tmp_path / 'node1.lic'
    key.write_text('LICENSE KEY 1')
    conf = tmp_path / 'setup.conf'
    text = 'SERVER_ENVIRONMENT=generic\nRECOVERY_KITS=steeleye-lkDR steeleye-lkNFS steeleye-lkORA\n'
    conf.write_text(text)
    failed, result = run(lk_setup.main, params(lkroot, media, work, config_file=str(conf),
                                               kits=['steeleye-lkDR', 'steeleye-lkNFS'], license_files=[str(key)]))
    assert not failed, result
    assert node.setup_seen['config_text'] == text and conf.read_text() == text
    assert 'setup_config' not in result and result['answers'] == {}
    assert [p['name'] for p in result['packages_after']] == ['steeleye-lk', 'steeleye-lkDR', 'steeleye-lkNFS',
                                                             'steeleye-lkORA']
    assert os.listdir(node.license_dir) == ['node1.lic']
    assert [os.path.basename(a) for a in actions(fake_cli)][-4:] == ['setup', 'umount', 'umount', 'lkkeyins']


def test_9x_requested_kit_not_in_the_configuration_fails_naming_it(lkroot, node, media, work, run):
    failed, result = run(lk_setup.main, params(lkroot, media, work, kits=['steeleye-lkNFS']))
    assert failed
    assert 'recovery kits are missing or older than 9.9.0: steeleye-lkNFS' in result['msg']
    assert 'select them in config_file (lk_setup_config_file)' in result['msg']


def test_a_kit_the_node_had_that_setup_left_behind_fails_naming_it(lkroot, node, media, work, run, tmp_path):
    node.kits['steeleye-lkORA'] = '9.8.0'
    conf = tmp_path / 'plain.conf'
    conf.write_text('')

    def setup_forgets_ora(argv, timeout):
        node.version = '9.9.0'
        node.kits['steeleye-lkDR'] = '9.9.0'
        return 0, 'Setup Complete.\n', ''
    node.setup_hook = setup_forgets_ora
    failed, result = run(lk_setup.main, params(lkroot, media, work, config_file=str(conf)))
    assert failed and 'missing or older than 9.9.0: steeleye-lkORA' in result['msg']


def test_9x_without_a_configuration_is_refused_before_anything(lkroot, node, media, work, run, fake_cli):
    args = params(lkroot, media, work)
    del args['config_file']
    failed, result = run(lk_setup.main, args)
    assert failed and 'needs config_file (lk_setup_config_file)' in result['msg']
    assert fake_cli.calls == []
    ok, dummy = run(lk_setup.main, dict(args, validate_only=True))
    assert not ok


def test_9x_kit_at_the_target_is_a_change_run_as_same_version_setup(lkroot, node, media, work, run, tmp_path):
    node.version = '9.9.0'
    node.kits = {'steeleye-lkDR': '9.9.0'}
    conf = tmp_path / 'kits.conf'
    conf.write_text('RECOVERY_KITS=steeleye-lkDR steeleye-lkNFS\n')
    failed, result = run(lk_setup.main, params(lkroot, media, work, config_file=str(conf),
                                               kits=['steeleye-lkDR', 'steeleye-lkNFS']))
    assert not failed, result
    assert result['changed'] is True and result['update_path'] == 'none'
    assert result['pending'] == {'core': False, 'kits': ['steeleye-lkNFS'], 'licenses': []}
    assert node.setup_seen['argv'][1:] == ('-f', str(conf))
    assert node.kits == {'steeleye-lkDR': '9.9.0', 'steeleye-lkNFS': '9.9.0'}


def test_installed_kits_and_known_licences_are_no_change(lkroot, node, media, work, run, tmp_path, fake_cli):
    node.version = '9.9.0'
    node.kits = {'steeleye-lkDR': '9.9.0'}
    key = tmp_path / 'keys' / 'mine.lic'
    key.parent.mkdir()
    key.write_text('THE KEY')
    shutil.copy(str(key), os.path.join(node.license_dir, 'installed-under-another-name'))
    failed, result = run(lk_setup.main, params(lkroot, media, work, kits=['steeleye-lkDR'], license_files=[str(key)]))
    assert not failed, result
    assert result['changed'] is False
    assert result['pending'] == {'core': False, 'kits': [], 'licenses': []}
    assert actions(fake_cli) == []


def test_check_mode_predicts_a_kit_change_at_the_target(lkroot, node, media, work, run):
    node.version = '9.9.0'
    node.kits = {'steeleye-lkDR': '9.8.0'}     # older than the target: to be updated
    failed, result = run(lk_setup.main, params(lkroot, media, work, kits=['steeleye-lkDR']), check_mode=True)
    assert not failed and result['changed'] is True
    assert result['pending']['kits'] == ['steeleye-lkDR']
    assert 'argv' not in node.setup_seen


def test_kit_missing_after_setup_fails_naming_it(lkroot, node, media, work, run):
    node.setup_hook = lambda argv, timeout: (setattr(node, 'version', '9.9.0') or (0, SETUP_OK, ''))
    failed, result = run(lk_setup.main, params(lkroot, media, work, kits=['steeleye-lkNFS']))
    assert failed and 'steeleye-lkNFS' in result['msg'] and 'missing or older' in result['msg']


@pytest.mark.parametrize('extra,says', [
    ({'kits': ['lkDR']}, "'lkDR'"),
    ({'kits': ['steeleye-lk']}, "'steeleye-lk'"),
    ({'kits': ['steeleye-lkDR; rm -rf /']}, 'rm -rf'),
    ({'license_files': ['/nonexistent/key.lic']}, '/nonexistent/key.lic'),
    ({'tmp_dir': '/nonexistent/tmp'}, '/nonexistent/tmp'),
    ({'answers': {'': 'y'}}, 'answers must map'),
    ({'answers': {'Go on?': 'y\nrm'}}, 'answers must map'),
    ({'kill_grace': -1}, 'kill_grace'),
    ({'timeout': 'inf'}, 'inf'),
    ({'timeout': -1}, '-1'),
    ({'command_timeout': 'nan'}, 'nan'),
    ({'timeout': 10 ** 7}, '10000000'),
])
def test_bad_input_is_refused_before_anything_runs(lkroot, node, media, work, run, fake_cli, extra, says):
    failed, result = run(lk_setup.main, params(lkroot, media, work, **extra))
    assert failed
    assert says in result['msg']
    assert fake_cli.calls == []


def test_licence_path_with_blanks_is_one_lkkeyins_argument(lkroot, node, media, work, run, tmp_path, fake_cli):
    key = tmp_path / 'my key.lic'
    key.write_text('K')
    failed, result = run(lk_setup.main, params(lkroot, media, work, license_files=[str(key)]))
    assert not failed, result
    assert fake_cli.argvs()[-2] == (str(lkroot / 'bin' / 'lkkeyins'), str(key))
    assert os.listdir(node.license_dir) == ['my key.lic']


def test_hanging_setup_is_killed_at_timeout(lkroot, node, media, work, run):
    hang = Hang()
    node.setup_hook = lambda argv, timeout: hang(list(argv), timeout)
    failed, result = run(lk_setup.main, params(lkroot, media, work, timeout=5))
    assert failed
    assert 'did not finish within' in result['msg'] and 'setup -f' in result['msg']
    assert result['msg'].startswith('setup was killed at its deadline (timeout 5 s, kill_grace 5 s)')
    assert result['killed'] is True and result['timed_out'] is True and result['kill_signal'] == 'SIGTERM'
    assert result['version_after'] == '9.8.0'
    assert 0 < hang.deadlines[0] <= 5
    assert node.mounted == [] and os.listdir(str(work)) == []


def test_rmlk_leaving_packages_fails_naming_them(lkroot, node, run):
    node.rmlk_leaves = True
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'state': 'absent'})
    assert failed
    assert 'still installed: steeleye-lkDR 9.8.0' in result['msg']


def write_script(path, body):
    path.write_text('#!%s\n%s' % (sys.executable, body))
    path.chmod(0o755)
    return str(path)


def test_issue_9_reproduction_timeout_1_with_a_6_s_setup_fails_after_about_1_s(lkroot, tmp_path, run, monkeypatch):
    """Real processes (no fake runner): setup sleeps 6 s and starts a child that sleeps too."""
    rpm = write_script(tmp_path / 'rpm', 'import sys\n'
                       'print("steeleye-lk\\t9.8.0") if "-qa" in sys.argv else sys.stdout.write("9.8.0")\n')
    pidfile = tmp_path / 'child.pid'
    setup_dir = tmp_path / 'media'
    setup_dir.mkdir()
    write_script(setup_dir / 'setup', 'import subprocess, sys, time\n'
                 'child = subprocess.Popen(["sleep", "30"])\n'
                 'open(%r, "w").write(str(child.pid))\n'
                 'print("LifeKeeper setup", flush=True)\n'
                 'time.sleep(6)\nprint("Setup Complete.")\n' % str(pidfile))
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, arg, required=False, opt_dirs=None: rpm if arg == 'rpm' else None)
    started = time.monotonic()
    failed, result = run(lk_setup.main, {'lkroot': str(lkroot), 'version': '9.9.0', 'setup_dir': str(setup_dir),
                                         'setup_args': [], 'timeout': 1})
    elapsed = time.monotonic() - started
    assert failed
    assert 'setup did not finish within 1 s: its process group was killed' in result['msg']
    assert elapsed < 3, elapsed
    assert result['setup_output_tail'] == ['LifeKeeper setup']
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except OSError:
            break
        with open('/proc/%d/stat' % child) as handle:
            if handle.read().split()[2] == 'Z':
                break
        time.sleep(0.05)
    else:
        pytest.fail('the child of setup (pid %d) is still running' % child)


@pytest.mark.parametrize('given', ['v9.9.0', '9.9', 'V9.9.0'])
def test_the_version_is_normalised_once(lkroot, node, media, work, run, given):
    failed, result = run(lk_setup.main, params(lkroot, media, work, version=given))
    assert not failed, result
    assert result['version_after'] == '9.9.0' and result['update_path'] == 'direct'


# ---- validate_only: the pre-flight media check (reports the path, refuses none, changes nothing)

@pytest.mark.parametrize('installed, path, check_mode', [
    ('9.8.0', 'direct', False), ('9.6.0', 'reinstall', False), ('9.9.0', 'none', False), (None, 'fresh', False),
    ('10.0.0', 'downgrade', False), ('9.6.0', 'reinstall', True),
])
def test_validate_only_reports_every_path_and_changes_nothing(lkroot, node, media, work, run, fake_cli, installed,
                                                              path, check_mode):
    node.version = installed
    node.kits = {'steeleye-lkDR': installed} if installed else {}
    failed, result = run(lk_setup.main, params(lkroot, media, work, validate_only=True), check_mode=check_mode)
    assert not failed, result
    assert result['changed'] is False
    assert result['update_path'] == path
    assert (installed or '') in (result.get('update_reason') or '')
    assert result['media_sha256'] == hashlib.sha256(ISO_BYTES).hexdigest()
    # the ISO's content was read with xorriso -ls, nothing mounted, extracted or run
    assert result['media_version'] == '9.9.0'
    assert actions(fake_cli) == [XORRISO]
    assert [c for c in fake_cli.argvs() if c[0] == XORRISO][0][1:] == ('-indev', str(media), '-ls', '/')
    assert node.version == installed and os.listdir(str(work)) == []
    assert 'running' not in result


@pytest.mark.parametrize('image, extra, says', [
    ('sps_9.8.0.img', {}, 'holds sps_9.8.0.img (version 9.8.0), but version is 9.9.0'),
    ('sps_9.9.0.img', {'media_sha256': 'ab' * 32}, 'but media_sha256 is ' + 'ab' * 32),
    ('sps_9.9.0.img', {'version': '9.8'}, 'is named for version 9.9.0, but version is 9.8.0'),
    ('sps_9.9.0.img', {'version': 'nine'}, "invalid version: invalid LifeKeeper version 'nine'"),
])
def test_validate_only_refuses_wrong_media_naming_it(lkroot, node, media, work, run, fake_cli, image, extra, says):
    node.image = image
    failed, result = run(lk_setup.main, params(lkroot, media, work, validate_only=True, **extra))
    assert failed and says in result['msg'], result
    assert 'Traceback' not in result['msg']
    assert actions(fake_cli) in ([], [XORRISO])


def test_validate_only_missing_media_is_named(lkroot, node, work, run, fake_cli, tmp_path):
    missing = str(tmp_path / 'LKL_V9.9.0_112226.iso')
    failed, result = run(lk_setup.main, params(lkroot, missing, work, validate_only=True))
    assert failed
    assert result['msg'].startswith('media %s does not exist on this node: put the product ISO there' % missing)
    assert actions(fake_cli) == []


def test_validate_only_without_xorriso_checks_the_names_only(lkroot, node, media, work, run, fake_cli, monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', lambda self, arg, required=False, opt_dirs=None:
                        RPM if arg == 'rpm' else None)
    failed, result = run(lk_setup.main, params(lkroot, media, work, validate_only=True))
    assert not failed and result['update_path'] == 'direct' and 'media_version' not in result
    assert actions(fake_cli) == []
