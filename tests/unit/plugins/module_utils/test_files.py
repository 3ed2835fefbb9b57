# -*- coding: utf-8 -*-
"""files.py: private directories and copies, and files we do not trust."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os
import stat
import time

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError


def mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_private_dir_is_created_0700_with_parents(tmp_path):
    path = tmp_path / 'a' / 'b'
    old = os.umask(0o022)
    try:
        created, warnings = files.ensure_private_dir(str(path), 'dest')
    finally:
        os.umask(old)
    assert created is True and warnings == [] and mode(path) == 0o700


def test_existing_dir_is_used_without_changing_its_mode(tmp_path):
    path = tmp_path / 'shared'
    path.mkdir()
    os.chmod(str(path), 0o755)
    created, warnings = files.ensure_private_dir(str(path), 'dest')
    assert created is False and mode(path) == 0o755
    assert warnings == ['dest %s has mode 0755 (other users can list it); the files written there are 0600' % path]


def test_sticky_world_writable_dir_is_accepted(tmp_path):
    path = tmp_path / 'tmp'
    path.mkdir()
    os.chmod(str(path), 0o1777)
    assert files.ensure_private_dir(str(path), 'dest')[0] is False


@pytest.mark.parametrize('bits', [0o777, 0o775, 0o757])
def test_dir_others_can_write_to_is_refused(tmp_path, bits):
    path = tmp_path / 'open'
    path.mkdir()
    os.chmod(str(path), bits)
    with pytest.raises(LifeKeeperError, match='mode %04o: other users can replace files' % bits):
        files.ensure_private_dir(str(path), 'dest')


def test_a_file_in_the_way_is_named(tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    with pytest.raises(LifeKeeperError, match='dest %s exists and is not a directory' % blocker):
        files.check_creatable_dir(str(blocker), 'dest')
    with pytest.raises(LifeKeeperError, match='cannot be created: %s is not a directory' % blocker):
        files.check_creatable_dir(str(blocker / 'sub' / 'dir'), 'dest')


def test_existing_ancestor(tmp_path):
    assert files.existing_ancestor(str(tmp_path / 'x' / 'y')) == str(tmp_path)


def test_trusted_file_and_private_copy(tmp_path):
    src = tmp_path / 'bundle.tar.gz'
    src.write_bytes(b'data' * 1000)
    os.chmod(str(src), 0o644)
    info = files.trusted_file(str(src), time.time() - 5)
    dest = tmp_path / 'copy'
    digest = files.private_copy(str(src), str(dest), expected=info)
    assert digest == hashlib.sha256(b'data' * 1000).hexdigest() == files.sha256_of(str(dest))
    assert mode(dest) == 0o600
    with pytest.raises(OSError):      # never over an existing file
        files.private_copy(str(src), str(dest))


def test_private_copy_refuses_a_swapped_file(tmp_path):
    src = tmp_path / 'a'
    src.write_text('a')
    info = files.trusted_file(str(src))
    other = tmp_path / 'b'
    other.write_text('b')
    os.rename(str(other), str(src))   # another inode under the same name
    with pytest.raises(LifeKeeperError, match='changed while it was being copied'):
        files.private_copy(str(src), str(tmp_path / 'copy'), expected=info)
    assert not (tmp_path / 'copy').exists()


def test_untrusted_files(tmp_path):
    target = tmp_path / 'target'
    target.write_text('x')
    link = tmp_path / 'link'
    os.symlink(str(target), str(link))
    with pytest.raises(LifeKeeperError, match='symbolic link'):
        files.trusted_file(str(link))
    with pytest.raises(LifeKeeperError, match='not a regular file'):
        files.trusted_file(str(tmp_path))
    os.link(str(target), str(tmp_path / 'hard'))
    with pytest.raises(LifeKeeperError, match='2 hard links'):
        files.trusted_file(str(target))
    old = tmp_path / 'old'
    old.write_text('x')
    os.utime(str(old), (1, 1))
    with pytest.raises(LifeKeeperError, match='not written by this run'):
        files.trusted_file(str(old), not_before=time.time() - 5)
    with pytest.raises(LifeKeeperError, match='No such file'):
        files.trusted_file(str(tmp_path / 'missing'))


def test_write_atomic_sets_the_mode_and_leaves_no_temporary(tmp_path):
    path = tmp_path / 'defaults'
    files.write_atomic(str(path), 'A=1\n', mode=0o644)
    assert path.read_text() == 'A=1\n' and mode(path) == 0o644
    files.write_atomic(str(path), 'A=2\n')
    assert path.read_text() == 'A=2\n' and mode(path) == 0o600
    assert os.listdir(str(tmp_path)) == ['defaults']


def test_remove_quietly(tmp_path):
    path = tmp_path / 'f'
    path.write_text('x')
    assert files.remove_quietly(str(path)) is True and files.remove_quietly(str(path)) is False
