# -*- coding: utf-8 -*-
"""lk_service with recorded command output."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.modules import lk_service


def rpm_argv():
    # the conftest fake_cli fixture resolves rpm to /usr/bin/rpm
    return ('/usr/bin/rpm', '-q', '--qf', '%{VERSION}', 'steeleye-lk')


class Node(object):
    """A tiny LifeKeeper: lktest answers from `running`, start/stop flip it."""

    def __init__(self, lkroot, fake_cli, version='9.9.0', running=False, start_rc=0, initdone_on_start=True):
        self.lkroot = lkroot
        self.root = str(lkroot)
        self.running = running
        self.initdone = lkroot / 'config' / 'LK_INITDONE'
        if running:
            self.initdone.write_text('')
        self.start_rc = start_rc
        self.initdone_on_start = initdone_on_start
        fake_cli.set(rpm_argv(), (0, version, ''))
        fake_cli.set((self.root + '/bin/lktest',), lambda argv: (0 if self.running else 1, '', ''))
        for argv in (('lkcli', 'start'), ('lkstart',)):
            fake_cli.set((self.root + '/bin/' + argv[0],) + argv[1:], self.start)
        for argv in (('lkcli', 'stop'), ('lkcli', 'stop', '-f'), ('lkstop',), ('lkstop', '-f')):
            fake_cli.set((self.root + '/bin/' + argv[0],) + argv[1:], self.stop)

    def start(self, argv):
        if self.start_rc:
            return self.start_rc, '', 'LifeKeeper failed to start'
        self.running = True
        if self.initdone_on_start:
            self.initdone.write_text('')
        return 0, 'Created symlink /etc/systemd/system/multi-user.target.wants/lifekeeper.service.\n', ''

    def stop(self, argv):
        self.running = False
        if self.initdone.exists():
            self.initdone.unlink()
        return 0, 'Removed /etc/systemd/system/multi-user.target.wants/lifekeeper.service.\n', ''


def actions(fake_cli):
    return [argv for argv in fake_cli.argvs() if argv[0].rsplit('/', 1)[-1] not in ('lktest', 'rpm')]


def test_start_when_stopped(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'started'}, diff=True)
    assert not failed
    assert result['changed'] is True and result['running'] is True and result['ready'] is True
    assert result['running_before'] is False
    assert result['cmd'] == [node.root + '/bin/lkcli', 'start']
    assert actions(fake_cli) == [(node.root + '/bin/lkcli', 'start')]
    assert result['diff'] == {'before': {'running': False}, 'after': {'running': True}}
    assert 'Created symlink' in result['stdout']


def test_start_when_ready_is_unchanged(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli, running=True)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'started'})
    assert not failed and result['changed'] is False and result['cmd'] is None
    assert actions(fake_cli) == []


def test_start_while_starting_waits_without_starting_again(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli, running=True)
    node.initdone.unlink()
    calls = []

    def lktest(argv):
        calls.append(argv)
        if len(calls) == 3:
            node.initdone.write_text('')
        return 0, '', ''

    fake_cli.set((node.root + '/bin/lktest',), lktest)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'started', 'poll_interval': 0.01})
    assert not failed and result['changed'] is False and result['ready'] is True
    assert actions(fake_cli) == []


def test_start_check_mode_predicts_change_and_runs_nothing(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'started'}, check_mode=True, diff=True)
    assert not failed and result['changed'] is True
    assert result['cmd'] == [node.root + '/bin/lkcli', 'start']
    assert result['diff'] == {'before': {'running': False}, 'after': {'running': True}}
    assert actions(fake_cli) == [] and node.running is False


def test_stop_legacy_force(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli, version='8.4.1', running=True)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'stopped', 'force': True})
    assert not failed and result['changed'] is True and result['running'] is False
    assert actions(fake_cli) == [(node.root + '/bin/lkstop', '-f')]
    assert result['generation'] == 'legacy'


@pytest.mark.parametrize('version,expected', [('9.9.0', ('lkcli', 'stop')), ('8.4.1', ('lkstop',))])
def test_stop_plain(lkroot, fake_cli, run, version, expected):
    node = Node(lkroot, fake_cli, version=version, running=True)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'stopped'})
    assert not failed and result['changed'] is True
    assert actions(fake_cli) == [(node.root + '/bin/' + expected[0],) + expected[1:]]


def test_legacy_start(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli, version='8.4.1')
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'started'})
    assert not failed and actions(fake_cli) == [(node.root + '/bin/lkstart',)]


def test_stop_when_stopped_is_unchanged(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'stopped', 'force': True},
                         check_mode=True)
    assert not failed and result['changed'] is False and actions(fake_cli) == []


def test_stop_check_mode(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli, running=True)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'stopped', 'force': True},
                         check_mode=True)
    assert not failed and result['changed'] is True and node.running is True
    assert result['cmd'] == [node.root + '/bin/lkcli', 'stop', '-f'] and actions(fake_cli) == []


def test_start_failure_reports_command(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli, start_rc=1)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'started'})
    assert failed
    assert result['rc'] == 1 and result['stderr'] == 'LifeKeeper failed to start'
    assert result['cmd'] == [node.root + '/bin/lkcli', 'start']
    assert 'lkcli start failed (rc=1)' in result['msg']


def test_start_timeout_when_never_ready(lkroot, fake_cli, run):
    node = Node(lkroot, fake_cli, initdone_on_start=False)
    failed, result = run(lk_service.main, {'lkroot': node.root, 'state': 'started', 'timeout': 0.2,
                                           'poll_interval': 0.02})
    assert failed
    assert result['msg'] == ('timed out after 0.2s waiting for LifeKeeper to be ready '
                             '(running=True, ready=False)')
    assert result['changed'] is True and result['running'] is True and result['ready'] is False
    assert 0.2 <= result['elapsed'] < 2


def test_not_installed_fails(lkroot, fake_cli, run):
    fake_cli.set(rpm_argv(), (1, 'package steeleye-lk is not installed', ''))
    failed, result = run(lk_service.main, {'lkroot': str(lkroot), 'state': 'started'})
    assert failed and 'not installed' in result['msg'] and result['changed'] is False


def test_state_is_required_and_checked(lkroot, fake_cli, run):
    failed, result = run(lk_service.main, {'lkroot': str(lkroot), 'state': 'restarted'})
    assert failed and 'restarted' in result['msg']
    assert fake_cli.calls == []
