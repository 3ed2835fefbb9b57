# -*- coding: utf-8 -*-
"""lk_support with recorded command output."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import socket
import time

from ansible_collections.hatools.lifekeeper.plugins.modules import lk_support


def test_bundle_path_printed(lkroot, fake_cli, run, tmp_path):
    bundle = tmp_path / 'out' / 'node1.lksupport.2611220230.tar.gz'
    bundle.parent.mkdir()
    root = str(lkroot)

    def lksupport(argv):
        bundle.write_bytes(b'x' * 1234)
        return 0, 'Collecting...\nSupport bundle: %s\n' % bundle, ''

    fake_cli.set((root + '/bin/lksupport',), lksupport)
    failed, result = run(lk_support.main, {'lkroot': root, 'bundle_dir': str(tmp_path / 'empty')})
    assert not failed and result['changed'] is True
    assert result['bundle'] == str(bundle) and result['size'] == 1234
    assert result['cmd'] == [root + '/bin/lksupport']


def test_bundle_found_in_bundle_dir_newest_of_this_host(lkroot, fake_cli, run, tmp_path):
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
    failed, result = run(lk_support.main, {'lkroot': root, 'bundle_dir': str(bundle_dir)})
    assert not failed and result['bundle'] == str(new) and result['size'] == 4


def test_no_bundle_written_fails(lkroot, fake_cli, run, tmp_path):
    bundle_dir = tmp_path / 'lksupport'
    bundle_dir.mkdir()
    stale = bundle_dir / ('%s.lksupport.2501010000.tar.gz' % socket.gethostname())
    stale.write_bytes(b'old')
    past = time.time() - 3600
    os.utime(str(stale), (past, past))
    root = str(lkroot)
    fake_cli.set((root + '/bin/lksupport',), (0, 'done\n', ''))
    failed, result = run(lk_support.main, {'lkroot': root, 'bundle_dir': str(bundle_dir)})
    assert failed and 'no bundle was found' in result['msg'] and result['bundle'] is None


def test_check_mode_changes_nothing(lkroot, fake_cli, run):
    failed, result = run(lk_support.main, {'lkroot': str(lkroot)}, check_mode=True)
    assert not failed and result['changed'] is True and result['bundle'] is None
    assert fake_cli.calls == []


def test_lksupport_failure(lkroot, fake_cli, run):
    root = str(lkroot)
    fake_cli.set((root + '/bin/lksupport',), (1, '', 'no space left on device'))
    failed, result = run(lk_support.main, {'lkroot': root})
    assert failed and result['rc'] == 1 and result['stderr'] == 'no space left on device'
    assert 'no space left' in result['msg']


def test_not_installed(lkroot, fake_cli, run):
    os.remove(str(lkroot / 'bin' / 'lksupport'))
    failed, result = run(lk_support.main, {'lkroot': str(lkroot)})
    assert failed and 'not installed' in result['msg'] and result['changed'] is False
    assert fake_cli.calls == []
