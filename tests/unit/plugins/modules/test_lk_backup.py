# -*- coding: utf-8 -*-
"""lk_backup with recorded lkbackup behaviour (fake run_command keyed by argv)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os
import re
import stat

from ansible_collections.hatools.lifekeeper.plugins.modules import lk_backup

ARCHIVE_RE = re.compile(r'^archive\.\d{12}\.tar\.gz$')
CONTENT = b'lcd.json and /etc/default/LifeKeeper, packed\n'


def lkbackup_argv(lkroot, *args):
    return (str(lkroot / 'bin' / 'lkbackup'),) + tuple(args)


def creating(argv):
    """lkbackup -c -f ARCHIVE: writes the archive and says so (as the real one prints)."""
    with open(argv[-1], 'wb') as handle:
        handle.write(CONTENT)
    return 0, 'Creating archive %s\n' % argv[-1], ''


class CreateAny(object):
    """Accept lkbackup -c -f <any archive name>: the name is chosen by the module."""

    def __init__(self, cli, lkroot, response=creating):
        self.cli = cli
        self.lkroot = lkroot
        self.response = response

    def install(self):
        cli = self

        class Responses(dict):
            def __contains__(self, argv):
                return dict.__contains__(self, argv) or cli.matches(argv)

            def __getitem__(self, argv):
                if dict.__contains__(self, argv):
                    return dict.__getitem__(self, argv)
                return cli.response

        self.cli.responses = Responses(self.cli.responses)

    def matches(self, argv):
        return argv[:3] == lkbackup_argv(self.lkroot, '-c', '-f') and len(argv) == 4


def setup_create(fake_cli, lkroot, response=creating):
    CreateAny(fake_cli, lkroot, response).install()


def test_present_creates_unique_archive_with_size_and_sha256(lkroot, fake_cli, run):
    setup_create(fake_cli, lkroot)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot)})
    assert not failed, result
    assert result['changed'] is True
    archive = result['archive']
    assert os.path.dirname(archive) == str(lkroot / 'config')
    assert ARCHIVE_RE.match(os.path.basename(archive)), archive
    assert fake_cli.argvs() == [lkbackup_argv(lkroot, '-c', '-f', archive)]
    assert result['size'] == len(CONTENT)
    assert result['sha256'] == hashlib.sha256(CONTENT).hexdigest()
    assert 'Creating archive' in result['stdout']
    assert 'dest_archive' not in result
    assert mode(archive) == 0o600
    # lkbackup runs within the module's timeout
    assert fake_cli.calls[0][1]['timeout'] == 300


def test_present_copies_archive_to_dest_outside_config(lkroot, fake_cli, run, tmp_path):
    setup_create(fake_cli, lkroot)
    dest = tmp_path / 'keep' / 'lk'
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(dest)})
    assert not failed, result
    copy = result['dest_archive']
    assert copy == str(dest / os.path.basename(result['archive']))
    with open(copy, 'rb') as handle:
        assert handle.read() == CONTENT
    assert os.path.isfile(result['archive'])
    assert mode(dest) == 0o700 and mode(copy) == 0o600 and mode(result['archive']) == 0o600


def mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_dest_under_a_regular_file_fails_before_lkbackup_runs(lkroot, fake_cli, run, tmp_path):
    setup_create(fake_cli, lkroot)
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(blocker / 'sub')})
    assert failed
    assert str(blocker) in result['msg'] and 'not a directory' in result['msg']
    assert fake_cli.calls == []
    assert os.listdir(str(lkroot / 'config')) == []


def test_dest_that_is_a_file_fails_before_lkbackup_runs(lkroot, fake_cli, run, tmp_path):
    setup_create(fake_cli, lkroot)
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(blocker)})
    assert failed and str(blocker) in result['msg'] and 'is not a directory' in result['msg']
    assert fake_cli.calls == []


def test_failed_copy_leaves_no_orphan_archive(lkroot, fake_cli, run, tmp_path, monkeypatch):
    setup_create(fake_cli, lkroot)
    dest = tmp_path / 'keep'

    def broken_copy(src, dst, expected=None):
        raise OSError(28, 'No space left on device', dst)
    monkeypatch.setattr(lk_backup.files, 'private_copy', broken_copy)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(dest)})
    assert failed
    assert 'No space left on device' in result['msg'] and str(dest) in result['msg']
    assert 'the archive was removed' in result['msg']
    assert os.listdir(str(lkroot / 'config')) == []      # no orphan archive
    assert not dest.exists()                             # nor the dest it created
    assert result['archive_removed'] is True


def test_copy_with_another_checksum_fails_and_removes_both(lkroot, fake_cli, run, tmp_path, monkeypatch):
    setup_create(fake_cli, lkroot)
    dest = tmp_path / 'keep'
    dest.mkdir(mode=0o700)

    def corrupt_copy(src, dst, expected=None):
        with open(dst, 'wb') as handle:
            handle.write(b'corrupt')
        return hashlib.sha256(b'corrupt').hexdigest()
    monkeypatch.setattr(lk_backup.files, 'private_copy', corrupt_copy)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(dest)})
    assert failed and 'expected %s' % hashlib.sha256(CONTENT).hexdigest() in result['msg']
    assert os.listdir(str(lkroot / 'config')) == [] and os.listdir(str(dest)) == []
    assert dest.exists()   # it was there before: kept


def test_failed_lkbackup_removes_the_dest_it_created(lkroot, fake_cli, run, tmp_path):
    setup_create(fake_cli, lkroot, response=(1, '', 'lkbackup: cannot write archive\n'))
    dest = tmp_path / 'new' / 'keep'
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(dest)})
    assert failed and 'cannot write archive' in result['msg']
    assert not dest.exists()


def test_world_writable_dest_is_refused(lkroot, fake_cli, run, tmp_path):
    setup_create(fake_cli, lkroot)
    shared = tmp_path / 'shared'
    shared.mkdir()
    os.chmod(str(shared), 0o777)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(shared)})
    assert failed and '0777' in result['msg']
    assert fake_cli.calls == []


def test_merge_write_failure_is_named(lkroot, fake_cli, run, tmp_path, monkeypatch):
    archive = tmp_path / 'archive.tar.gz'
    archive.write_bytes(CONTENT)
    defaults = tmp_path / 'default-LifeKeeper'
    defaults.write_text('LCMPORT=0\n')
    fake_cli.set(lkbackup_argv(lkroot, '-x', '-f', str(archive)), (0, 'Restoring\n', ''))

    def no_write(path, text, mode=0o600):
        raise OSError(30, 'Read-only file system', path + '.hatools-tmp')
    monkeypatch.setattr(lk_backup.files, 'write_atomic', no_write)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored', 'archive': str(archive),
                                          'defaults': 'merge', 'defaults_file': str(defaults)})
    assert failed and 'Read-only file system' in result['msg'] and str(defaults) in result['msg']
    assert 'Traceback' not in result['msg']


def test_second_backup_in_the_same_second_gets_another_name(lkroot, fake_cli, run, monkeypatch):
    setup_create(fake_cli, lkroot)
    stamps = ['261122021500', '261122021500', '261122021501']
    monkeypatch.setattr(lk_backup.time, 'strftime', lambda fmt: stamps.pop(0))
    monkeypatch.setattr(lk_backup.time, 'sleep', lambda seconds: None)
    (lkroot / 'config' / 'archive.261122021500.tar.gz').write_bytes(b'earlier backup')
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot)})
    assert not failed, result
    assert os.path.basename(result['archive']) == 'archive.261122021501.tar.gz'
    assert (lkroot / 'config' / 'archive.261122021500.tar.gz').read_bytes() == b'earlier backup'


def test_dest_inside_config_fails_before_anything_runs(lkroot, fake_cli, run):
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(lkroot / 'config' / 'keep')})
    assert failed
    assert 'rmlk' in result['msg'] and str(lkroot / 'config') in result['msg']
    assert fake_cli.calls == []


def test_check_mode_predicts_change_and_runs_nothing(lkroot, fake_cli, run, tmp_path):
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'dest': str(tmp_path / 'd')}, check_mode=True)
    assert not failed, result
    assert result['changed'] is True
    assert ARCHIVE_RE.match(os.path.basename(result['archive']))
    assert fake_cli.calls == []
    assert os.listdir(str(lkroot / 'config')) == []
    assert not (tmp_path / 'd').exists()


def test_lkbackup_failure_is_reported_with_output(lkroot, fake_cli, run):
    setup_create(fake_cli, lkroot, response=(1, '', 'lkbackup: cannot write archive: No space left on device\n'))
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot)})
    assert failed
    assert 'No space left on device' in result['msg']
    assert result['rc'] == 1
    assert result['cmd'][0] == str(lkroot / 'bin' / 'lkbackup')


def test_lkbackup_success_without_archive_fails(lkroot, fake_cli, run):
    setup_create(fake_cli, lkroot, response=(0, 'Creating archive\n', ''))
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot)})
    assert failed
    assert 'did not create' in result['msg']


def test_not_installed_fails_clearly(tmp_path, fake_cli, run):
    failed, result = run(lk_backup.main, {'lkroot': str(tmp_path / 'nothing')})
    assert failed
    assert 'not installed' in result['msg']
    assert fake_cli.calls == []


def test_restored_passes_archive_as_one_argv_element(lkroot, fake_cli, run, tmp_path):
    archive = tmp_path / 'a b;$(x)"\'.tar.gz'
    archive.write_bytes(CONTENT)
    argv = lkbackup_argv(lkroot, '-x', '-f', str(archive))
    fake_cli.set(argv, (0, 'Restoring archive\n', ''))
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored', 'archive': str(archive)})
    assert not failed, result
    assert result['changed'] is True
    assert fake_cli.argvs() == [argv]
    assert result['sha256'] == hashlib.sha256(CONTENT).hexdigest()


def test_restored_missing_archive_fails_naming_it(lkroot, fake_cli, run, tmp_path):
    missing = str(tmp_path / 'archive.261122021500.tar.gz')
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored', 'archive': missing})
    assert failed
    assert missing in result['msg']
    assert fake_cli.calls == []


def test_restored_check_mode_runs_nothing(lkroot, fake_cli, run, tmp_path):
    archive = tmp_path / 'archive.tar.gz'
    archive.write_bytes(CONTENT)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored', 'archive': str(archive)},
                         check_mode=True)
    assert not failed
    assert result['changed'] is True
    assert fake_cli.calls == []


def test_restored_requires_archive(lkroot, fake_cli, run):
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored'})
    assert failed
    assert 'archive' in result['msg']


def test_a_new_defaults_file_that_is_not_utf8_fails_before_lkbackup_runs(lkroot, fake_cli, run, tmp_path):
    archive = tmp_path / 'archive.tar.gz'
    archive.write_bytes(CONTENT)
    defaults = tmp_path / 'default-LifeKeeper'
    defaults.write_bytes(b'LCMPORT=0\nNAME=\xff\n')
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored', 'archive': str(archive),
                                          'defaults': 'merge', 'defaults_file': str(defaults)})
    assert failed
    assert result['msg'] == ('defaults=merge needs the new %s: %s is not UTF-8 text: byte 0xff on line 2 cannot be '
                             'read; nothing was restored' % (defaults, defaults))
    assert fake_cli.calls == []


def test_an_archived_defaults_file_that_is_not_utf8_says_lkbackup_already_ran(lkroot, fake_cli, run, tmp_path):
    archive = tmp_path / 'archive.tar.gz'
    archive.write_bytes(CONTENT)
    defaults = tmp_path / 'default-LifeKeeper'
    defaults.write_text('LCMPORT=0\n')

    def restore(argv):
        defaults.write_bytes(b'LCMPORT=7400\n# \xe9t\xe9\n')     # the archive's copy, Latin-1
        return (0, 'Restoring\n', '')
    fake_cli.set(lkbackup_argv(lkroot, '-x', '-f', str(archive)), restore)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored', 'archive': str(archive),
                                          'defaults': 'merge', 'defaults_file': str(defaults)})
    assert failed
    assert result['msg'].startswith('the archive was restored (lkbackup -x ran), but the %s it put back cannot be '
                                    'merged: %s is not UTF-8 text: byte 0xe9 on line 2' % (defaults, defaults))
    assert result['defaults_new_text'] == 'LCMPORT=0\n'


def test_keep_new_puts_the_new_defaults_back_and_returns_the_old_values_for_review(lkroot, fake_cli, run, tmp_path):
    archive = tmp_path / 'archive.tar.gz'
    archive.write_bytes(CONTENT)
    defaults = tmp_path / 'default-LifeKeeper'
    defaults.write_text('LCMHBEATTIME=5\nLCMNUMHBEATS=3\n')

    def restoring(argv):      # lkbackup -x writes the archive's (old) defaults file back
        defaults.write_text('LCMHBEATTIME=1\nLCMNUMHBEATS=5\nOLDPARAM=x\n')
        return 0, 'Restoring archive %s\n' % argv[-1], ''
    fake_cli.set(lkbackup_argv(lkroot, '-x', '-f', str(archive)), restoring)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored', 'archive': str(archive),
                                          'defaults': 'keep_new', 'defaults_carry': ['LCMNUMHBEATS'],
                                          'defaults_file': str(defaults)})
    assert not failed, result
    assert defaults.read_text() == 'LCMHBEATTIME=5\nLCMNUMHBEATS=5\n'
    assert result['defaults_changes'] == [{'key': 'LCMNUMHBEATS', 'new': '3', 'old': '5', 'action': 'kept old value'}]
    assert result['defaults_review'] == [{'key': 'LCMHBEATTIME', 'new': '5', 'old': '1'},
                                         {'key': 'OLDPARAM', 'new': None, 'old': 'x'}]


def test_keep_new_with_an_archived_defaults_file_that_is_not_utf8_puts_the_new_one_back_and_fails(
        lkroot, fake_cli, run, tmp_path):
    archive = tmp_path / 'archive.tar.gz'
    archive.write_bytes(CONTENT)
    defaults = tmp_path / 'default-LifeKeeper'
    defaults.write_text('LCMHBEATTIME=5\n')

    def restoring(argv):      # the archive's copy is Latin-1
        defaults.write_bytes(b'LCMHBEATTIME=1\n# \xe9t\xe9\n')
        return 0, 'Restoring archive %s\n' % argv[-1], ''
    fake_cli.set(lkbackup_argv(lkroot, '-x', '-f', str(archive)), restoring)
    failed, result = run(lk_backup.main, {'lkroot': str(lkroot), 'state': 'restored', 'archive': str(archive),
                                          'defaults': 'keep_new', 'defaults_carry': ['LCMHBEATTIME'],
                                          'defaults_file': str(defaults)})
    assert failed
    assert defaults.read_text() == 'LCMHBEATTIME=5\n'      # the new release's file, as both guides say
    assert result['msg'].startswith('the archive was restored (lkbackup -x ran) and the new release\'s %s put back, '
                                    'but the archive\'s version cannot be read (%s is not UTF-8 text: byte 0xe9 on '
                                    'line 2' % (defaults, defaults))
    assert 'nothing of lk_defaults_carry was carried over' in result['msg']
