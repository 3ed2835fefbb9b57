# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private files on a node: directories 0700, copies 0600, nothing trusted that we did not make.

Files that hold a cluster's configuration (backups, support bundles, locks, progress
records) must not be readable by other users, and a file someone else could have placed
(a world-writable /tmp, a directory owned by another user, a symbolic link) is never taken
for ours. Every failure is a LifeKeeperError naming the path and why.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import errno
import hashlib
import os
import stat

from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_CHUNK = 1024 * 1024


def existing_ancestor(path):
    """The nearest existing directory at or above path (for messages and free-space checks)."""
    current = os.path.abspath(path)
    while not os.path.exists(current):
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return current


def check_creatable_dir(path, what):
    """Refuse, before anything changes, a directory path that cannot be one or be created:
    a regular file at the path or above it, or a missing directory under an unwritable one."""
    current = os.path.abspath(path)
    if os.path.lexists(current) and not os.path.isdir(current):
        raise LifeKeeperError('%s %s exists and is not a directory' % (what, path))
    ancestor = existing_ancestor(current)
    if not os.path.isdir(ancestor):
        raise LifeKeeperError('%s %s cannot be created: %s is not a directory' % (what, path, ancestor))
    if ancestor != current and not os.access(ancestor, os.W_OK | os.X_OK):
        raise LifeKeeperError('%s %s cannot be created: %s is not writable' % (what, path, ancestor))


def ensure_private_dir(path, what):
    """Create path (and missing parents) with mode 0700, or check an existing one.

    Returns (created, warnings). An existing directory is used as it is when it belongs to
    this user (or root) and nobody else can write in it without the sticky bit; one that
    others can read gets a warning (the files we put there are 0600 anyway). Its mode is never
    changed: it may be a shared directory the user chose.
    """
    check_creatable_dir(path, what)
    warnings = []
    created = False
    if not os.path.isdir(path):
        try:
            os.makedirs(path, PRIVATE_DIR_MODE)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise LifeKeeperError('cannot create %s %s: %s' % (what, path, exc.strerror or exc))
        else:
            created = True
            os.chmod(path, PRIVATE_DIR_MODE)  # the umask may have taken bits away, never added
    info = os.stat(path)
    if info.st_uid not in (os.geteuid(), 0):
        raise LifeKeeperError('%s %s belongs to uid %d, not to this user (uid %d) or root: refusing to '
                              'keep private files there' % (what, path, info.st_uid, os.geteuid()))
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o022 and not mode & stat.S_ISVTX:
        raise LifeKeeperError('%s %s has mode %04o: other users can replace files in it; use a '
                              'directory only its owner can write to' % (what, path, mode))
    if mode & 0o077:
        warnings.append('%s %s has mode %04o (other users can list it); the files written there are 0600'
                        % (what, path, mode))
    return created, warnings


def trusted_file(path, not_before=None):
    """lstat of path when it is a file this user (or root) made: a regular file, not a link,
    one hard link, owned by this user or root, in a directory owned by this user or root and
    (when given) modified at or after not_before. Raises LifeKeeperError saying why not."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise LifeKeeperError('%s: %s' % (path, exc.strerror or exc))
    if stat.S_ISLNK(info.st_mode):
        raise LifeKeeperError('%s is a symbolic link: not trusted' % path)
    if not stat.S_ISREG(info.st_mode):
        raise LifeKeeperError('%s is not a regular file: not trusted' % path)
    owners = (os.geteuid(), 0)
    if info.st_uid not in owners:
        raise LifeKeeperError('%s belongs to uid %d: not trusted' % (path, info.st_uid))
    if info.st_nlink != 1:
        raise LifeKeeperError('%s has %d hard links: not trusted' % (path, info.st_nlink))
    parent = os.lstat(os.path.dirname(os.path.abspath(path)))
    if stat.S_ISLNK(parent.st_mode) or parent.st_uid not in owners:
        raise LifeKeeperError('%s is in a directory another user owns or links: not trusted' % path)
    if not_before is not None and info.st_mtime < not_before:
        raise LifeKeeperError('%s was not written by this run (older than its start): not trusted' % path)
    return info


def private_copy(src, dest, expected=None):
    """Copy the trusted file src to dest (created exclusively, 0600); returns dest's sha256.

    src is opened without following links and must still be the file ``expected`` (an lstat
    result) describes. A partial dest is removed when the copy fails.
    """
    flags = os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0)
    src_fd = os.open(src, flags)
    try:
        info = os.fstat(src_fd)
        if expected is not None and (info.st_dev, info.st_ino) != (expected.st_dev, expected.st_ino):
            raise LifeKeeperError('%s changed while it was being copied: not trusted' % src)
        dest_fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0),
                          PRIVATE_FILE_MODE)
        try:
            digest = hashlib.sha256()
            with os.fdopen(dest_fd, 'wb') as out:
                while True:
                    chunk = os.read(src_fd, _CHUNK)
                    if not chunk:
                        break
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            remove_quietly(dest)
            raise
        os.chmod(dest, PRIVATE_FILE_MODE)
        return digest.hexdigest()
    finally:
        os.close(src_fd)


def write_atomic(path, text, mode=PRIVATE_FILE_MODE, encoding=None):
    """Write text to path atomically (a temporary file beside it, then rename), with mode;
    encoded with encoding (default: the locale's)."""
    tmp = '%s.hatools-tmp.%d' % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0), mode)
    try:
        with os.fdopen(fd, 'w', **({'encoding': encoding} if encoding else {})) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.rename(tmp, path)
    except BaseException:
        remove_quietly(tmp)
        raise


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                break
            digest.update(chunk)
    return digest.hexdigest()


def remove_quietly(path):
    """Remove a file if it is there; True when it was removed."""
    try:
        os.unlink(path)
        return True
    except OSError:
        return False
