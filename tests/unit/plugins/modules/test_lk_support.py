# -*- coding: utf-8 -*-
"""lk_support with recorded command output: a private copy, nothing trusted we did not make."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os
import socket
import stat
import time

import pytest

from ansible_collections.hatools.lifekeeper.plugins.modules import lk_support


@pytest.fixture(autouse=True)
def no_system_log(monkeypatch, tmp_path):
    """Not the test machine's /var/log/messages or journal: each test says what the node has."""
    from ansible.module_utils import basic
    monkeypatch.setattr(lk_support, 'MESSAGES', str(tmp_path / 'no-var-log-messages'))
    real = basic.AnsibleModule.get_bin_path
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', lambda self, arg, required=False, opt_dirs=None:
                        None if arg == 'journalctl' else real(self, arg, required, opt_dirs))


def mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


@pytest.fixture
def dest(tmp_path):
    return tmp_path / 'private' / 'support'


def args(lkroot, dest, **extra):
    out = {'lkroot': str(lkroot), 'dest': str(dest)}
    out.update(extra)
    return out


def test_bundle_path_printed_is_moved_into_a_private_directory(lkroot, fake_cli, run, tmp_path, dest):
    bundle = tmp_path / 'out' / 'node1.lksupport.2611220230.tar.gz'
    bundle.parent.mkdir()
    root = str(lkroot)

    def lksupport(argv):
        bundle.write_bytes(b'x' * 1234)
        os.chmod(str(bundle), 0o644)
        return 0, 'Collecting...\nSupport bundle: %s\n' % bundle, ''

    fake_cli.set((root + '/bin/lksupport',), lksupport)
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(tmp_path / 'empty')))
    assert not failed, result
    assert result['changed'] is True
    private = result['private_dir']
    assert os.path.dirname(private) == str(dest)
    assert result['bundle'] == os.path.join(private, bundle.name) and result['size'] == 1234
    assert result['sha256'] == hashlib.sha256(b'x' * 1234).hexdigest()
    assert result['source_bundle'] == str(bundle)
    assert mode(dest) == 0o700 and mode(private) == 0o700 and mode(result['bundle']) == 0o600
    assert not bundle.exists()   # the copy in the shared place is gone
    assert result['cmd'] == [root + '/bin/lksupport'] and result['rc'] == 0
    # lksupport runs within the module's timeout, not command_timeout
    assert fake_cli.calls[0][1]['timeout'] == 300


def test_bundle_found_in_bundle_dir_newest_of_this_host(lkroot, fake_cli, run, tmp_path, dest):
    bundle_dir = tmp_path / 'lksupport'
    bundle_dir.mkdir()
    host = socket.gethostname()
    old = bundle_dir / ('%s.lksupport.2501010000.tar.gz' % host)
    old.write_bytes(b'old')
    past = time.time() - 3600
    os.utime(str(old), (past, past))
    other = bundle_dir / 'otherhost.lksupport.2611220231.tar.gz'
    new = bundle_dir / ('%s.lksupport.2611220230.tar.gz' % host)
    root = str(lkroot)

    def lksupport(argv):
        new.write_bytes(b'new!')
        other.write_bytes(b'other')
        return 0, 'done\n', ''

    fake_cli.set((root + '/bin/lksupport',), lksupport)
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(bundle_dir)))
    assert not failed, result
    assert result['source_bundle'] == str(new) and result['size'] == 4
    assert os.path.basename(result['bundle']) == new.name
    assert old.exists() and other.exists()   # only this run's bundle is taken


def test_no_bundle_written_fails_and_leaves_no_private_directory(lkroot, fake_cli, run, tmp_path, dest):
    bundle_dir = tmp_path / 'lksupport'
    bundle_dir.mkdir()
    stale = bundle_dir / ('%s.lksupport.2501010000.tar.gz' % socket.gethostname())
    stale.write_bytes(b'old')
    past = time.time() - 3600
    os.utime(str(stale), (past, past))
    root = str(lkroot)
    fake_cli.set((root + '/bin/lksupport',), (0, 'done\n', ''))
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(bundle_dir)))
    assert failed and 'no bundle was found' in result['msg'] and result['bundle'] is None
    assert os.listdir(str(dest)) == []


def test_a_printed_symlink_is_not_trusted(lkroot, fake_cli, run, tmp_path, dest):
    secret = tmp_path / 'shadow'
    secret.write_text('root:secret')
    link = tmp_path / 'out' / 'node1.lksupport.2611220230.tar.gz'
    link.parent.mkdir()
    root = str(lkroot)

    def lksupport(argv):
        os.symlink(str(secret), str(link))
        return 0, 'Support bundle: %s\n' % link, ''

    fake_cli.set((root + '/bin/lksupport',), lksupport)
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(tmp_path / 'none')))
    assert failed
    assert 'cannot be trusted' in result['msg'] and 'symbolic link' in result['msg'] and str(link) in result['msg']
    assert os.listdir(str(dest)) == []
    assert secret.read_text() == 'root:secret'


def test_a_hard_linked_bundle_is_not_trusted(lkroot, fake_cli, run, tmp_path, dest):
    bundle = tmp_path / 'out' / 'node1.lksupport.2611220230.tar.gz'
    bundle.parent.mkdir()
    root = str(lkroot)

    def lksupport(argv):
        bundle.write_bytes(b'data')
        os.link(str(bundle), str(tmp_path / 'planted'))
        return 0, 'Support bundle: %s\n' % bundle, ''

    fake_cli.set((root + '/bin/lksupport',), lksupport)
    failed, result = run(lk_support.main, args(lkroot, dest))
    assert failed and '2 hard links' in result['msg']


def test_an_old_printed_file_is_not_trusted(lkroot, fake_cli, run, tmp_path, dest):
    bundle = tmp_path / 'node1.lksupport.2501010000.tar.gz'
    bundle.write_bytes(b'old')
    past = time.time() - 3600
    os.utime(str(bundle), (past, past))
    root = str(lkroot)
    fake_cli.set((root + '/bin/lksupport',), (0, 'Support bundle: %s\n' % bundle, ''))
    failed, result = run(lk_support.main, args(lkroot, dest))
    assert failed and 'not written by this run' in result['msg']


def test_dest_under_a_regular_file_fails_before_lksupport_runs(lkroot, fake_cli, run, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    failed, result = run(lk_support.main, args(lkroot, blocker / 'support'))
    assert failed
    assert str(blocker) in result['msg'] and 'not a directory' in result['msg']
    assert fake_cli.calls == []


def test_world_writable_dest_is_refused(lkroot, fake_cli, run, tmp_path):
    shared = tmp_path / 'shared'
    shared.mkdir()
    os.chmod(str(shared), 0o777)
    root = str(lkroot)
    fake_cli.set((root + '/bin/lksupport',), (0, '', ''))
    failed, result = run(lk_support.main, args(lkroot, shared))
    assert failed and '0777' in result['msg'] and str(shared) in result['msg']
    assert fake_cli.calls == []


def test_check_mode_changes_nothing(lkroot, fake_cli, run, dest):
    failed, result = run(lk_support.main, args(lkroot, dest), check_mode=True)
    assert not failed and result['changed'] is True and result['bundle'] is None
    assert fake_cli.calls == []
    assert not dest.exists()


def test_lksupport_failure(lkroot, fake_cli, run, dest):
    root = str(lkroot)
    fake_cli.set((root + '/bin/lksupport',), (1, '', 'no space left on device'))
    failed, result = run(lk_support.main, args(lkroot, dest))
    assert failed and result['rc'] == 1 and result['stderr'] == 'no space left on device'
    assert 'no space left' in result['msg']
    assert os.listdir(str(dest)) == []


def test_lksupport_hanging_is_killed_at_timeout(lkroot, fake_cli, run, dest):
    from conftest import Hang
    root = str(lkroot)
    hang = Hang()
    fake_cli.set((root + '/bin/lksupport',), hang)
    failed, result = run(lk_support.main, args(lkroot, dest, timeout=7))
    assert failed
    assert 'lksupport did not finish within 7 s' in result['msg']
    assert hang.deadlines == [7]


def test_not_installed(lkroot, fake_cli, run, dest):
    os.remove(str(lkroot / 'bin' / 'lksupport'))
    failed, result = run(lk_support.main, args(lkroot, dest))
    assert failed and 'not installed' in result['msg'] and result['changed'] is False
    assert fake_cli.calls == []


# ---- the system log beside the bundle (v8.4.1 guide: /var/log/messages in v8) -------------------

JOURNALCTL = '/usr/bin/journalctl'
MESSAGES_LINES = ('Dec  6 09:01:02 node1 lcm[812]: ERROR:lcm:restore:000002:resource app-web changed from OSU to OSF\n'
                  'Dec  6 09:01:03 node1 kernel: nbd0: Receive control failed (result -32)\n')


@pytest.fixture
def bundle_written(lkroot, fake_cli, tmp_path):
    bundle = tmp_path / 'out' / 'node1.lksupport.2612060901.tar.gz'
    bundle.parent.mkdir()

    def lksupport(argv):
        bundle.write_bytes(b'tgz')
        return 0, 'Support bundle: %s\n' % bundle, ''
    fake_cli.set((str(lkroot) + '/bin/lksupport',), lksupport)
    return fake_cli


def tools(monkeypatch, journalctl):
    from ansible.module_utils import basic
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', lambda self, arg, required=False, opt_dirs=None:
                        JOURNALCTL if (arg == 'journalctl' and journalctl) else None)


def test_var_log_messages_is_copied_beside_the_bundle(monkeypatch, bundle_written, lkroot, run, tmp_path, dest):
    messages = tmp_path / 'messages'
    messages.write_text(MESSAGES_LINES)
    monkeypatch.setattr(lk_support, 'MESSAGES', str(messages))
    tools(monkeypatch, journalctl=True)
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(tmp_path / 'empty')))
    assert not failed, result
    log = result['system_log']
    assert log == {'source': str(messages), 'path': os.path.join(result['private_dir'], 'messages'),
                   'size': len(MESSAGES_LINES), 'error': None}
    with open(log['path']) as handle:
        assert handle.read() == MESSAGES_LINES
    assert mode(log['path']) == 0o600
    assert [argv[0] for argv in bundle_written.argvs()] == [str(lkroot) + '/bin/lksupport']   # no journalctl


def test_without_var_log_messages_the_journal_of_the_run_is_taken(monkeypatch, bundle_written, lkroot, run, tmp_path,
                                                                  dest):
    monkeypatch.setattr(lk_support, 'MESSAGES', str(tmp_path / 'no-messages'))
    tools(monkeypatch, journalctl=True)
    journal = '2026-12-06T09:01:02+0000 node1 lcm[812]: ERROR:lcm:restore:000002:resource app-web changed\n'
    bundle_written.set((JOURNALCTL, '--no-pager', '-o', 'short-iso', '--since', '@1796547600'), (0, journal, ''))
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(tmp_path / 'empty'), since=1796547600.7))
    assert not failed, result
    assert result['system_log']['source'] == 'journalctl' and result['system_log']['error'] is None
    with open(result['system_log']['path']) as handle:
        assert handle.read() == journal
    assert mode(result['system_log']['path']) == 0o600
    # without since: the current boot
    bundle_written.set((JOURNALCTL, '--no-pager', '-o', 'short-iso', '-b'), (0, journal, ''))
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(tmp_path / 'empty')))
    assert not failed and result['system_log']['path'].endswith('/journal.txt'), result


def test_a_node_with_neither_is_reported_not_failed(monkeypatch, bundle_written, lkroot, run, tmp_path, dest):
    monkeypatch.setattr(lk_support, 'MESSAGES', str(tmp_path / 'no-messages'))
    tools(monkeypatch, journalctl=False)
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(tmp_path / 'empty')))
    assert not failed and result['bundle'], result
    assert result['system_log'] == {'source': None, 'path': None, 'size': None,
                                    'error': 'neither %s nor journalctl on this node' % (tmp_path / 'no-messages')}
    assert os.listdir(result['private_dir']) == ['node1.lksupport.2612060901.tar.gz']


def test_a_failing_journalctl_is_reported(monkeypatch, bundle_written, lkroot, run, tmp_path, dest):
    monkeypatch.setattr(lk_support, 'MESSAGES', str(tmp_path / 'no-messages'))
    tools(monkeypatch, journalctl=True)
    bundle_written.set((JOURNALCTL, '--no-pager', '-o', 'short-iso', '-b'), (1, '', 'No journal files were found.\n'))
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(tmp_path / 'empty')))
    assert not failed
    assert result['system_log']['error'] == 'journalctl exited 1: No journal files were found.'


def test_system_log_false_takes_only_the_bundle(monkeypatch, bundle_written, lkroot, run, tmp_path, dest):
    messages = tmp_path / 'messages'
    messages.write_text(MESSAGES_LINES)
    monkeypatch.setattr(lk_support, 'MESSAGES', str(messages))
    failed, result = run(lk_support.main, args(lkroot, dest, bundle_dir=str(tmp_path / 'empty'), system_log=False))
    assert not failed and 'system_log' not in result


def test_a_negative_since_is_refused_before_lksupport_runs(fake_cli, lkroot, run, dest):
    failed, result = run(lk_support.main, args(lkroot, dest, since=-5))
    assert failed and result['msg'] == 'since must be seconds since the epoch (0 or more), not -5.0'
    assert fake_cli.calls == []
