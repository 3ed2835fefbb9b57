# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run per cluster: a lock file created atomically, holding who took it.

``<lock_dir>/<name>.lock`` (mode 0600) holds JSON: ``run_id``, ``owner`` (what the caller
records: controller, user, pid, cluster, ...), ``time`` (seconds since the epoch) and
``created`` (UTC, ISO 8601). It is written to a temporary file first and published with
``os.link``, which fails when the lock exists (the same guarantee as ``O_EXCL``, and nobody
ever reads a half-written lock). The same run id takes its own lock back (resume); another
run's lock is only replaced or removed when asked to break it. Works wherever Python runs:
no LifeKeeper needed.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import errno
import json
import os
import time

from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import RUN_ID_PATTERN, RUN_ID_RE
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

DEFAULT_LOCK_DIR = '/var/lib/hatools-lifekeeper/lock'
DEFAULT_NAME = 'cluster'
SUFFIX = '.lock'


def check_identifier(what, value):
    """run_id and name: letters, digits, '.', '_' and '-' only (never a path)."""
    if not isinstance(value, str) or not RUN_ID_RE.match(value) or value in ('.', '..'):
        raise LifeKeeperError('%s must match %s (letters, digits, ".", "_", "-"), not %r' % (what, RUN_ID_PATTERN, value))
    return value


def lock_path(lock_dir, name):
    return os.path.join(lock_dir, check_identifier('name', name) + SUFFIX)


def iso_utc(moment):
    seconds, millis = divmod(int(round(moment * 1000)), 1000)
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + '.%03dZ' % millis


def record(run_id, owner, now):
    return {'run_id': run_id, 'owner': dict(owner or {}), 'time': now, 'created': iso_utc(now)}


def read(path, now):
    """(holder, age_s, inode): the lock's content (None when there is no lock), its age in
    seconds and its inode. An unreadable lock is a holder with run_id None and ``error``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0))
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None, None, None
        info = os.lstat(path)
        return ({'run_id': None, 'owner': {}, 'error': 'cannot open it: %s' % (exc.strerror or exc)},
                round(now - info.st_mtime, 1), info.st_ino)
    try:
        info = os.fstat(fd)
        with os.fdopen(os.dup(fd), 'r') as handle:
            text = handle.read()
    finally:
        os.close(fd)
    try:
        holder = json.loads(text)
        if not isinstance(holder, dict) or not isinstance(holder.get('run_id'), str):
            raise ValueError('no run_id in it')
    except ValueError as exc:
        return ({'run_id': None, 'owner': {}, 'error': 'unreadable content (%s)' % exc},
                round(now - info.st_mtime, 1), info.st_ino)
    since = holder.get('time')
    if not isinstance(since, (int, float)) or isinstance(since, bool):
        since = info.st_mtime
    return holder, round(now - since, 1), info.st_ino


def describe(holder, age_s):
    """'run R (controller C, user U, pid P), taken N s ago' for messages."""
    if holder.get('error'):
        return 'an unreadable lock (%s), written %s s ago' % (holder['error'], age_s)
    owner = holder.get('owner') or {}
    details = ', '.join('%s %s' % (key, owner[key]) for key in ('controller', 'user', 'pid', 'cluster')
                        if owner.get(key) not in (None, ''))
    return 'run %s%s, taken %s s ago%s' % (
        holder['run_id'], ' (%s)' % details if details else '', age_s,
        ' (%s)' % holder['created'] if holder.get('created') else '')


def _write_temp(lock_dir, content):
    tmp = os.path.join(lock_dir, '.%s.%d.%d.tmp' % (SUFFIX.lstrip('.'), os.getpid(), int(time.time() * 1e6)))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0), files.PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, 'w') as handle:
            json.dump(content, handle, sort_keys=True)
            handle.write('\n')
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, files.PRIVATE_FILE_MODE)
    except BaseException:
        files.remove_quietly(tmp)
        raise
    return tmp


def create(path, content):
    """Publish the lock atomically; False when a lock exists already (nothing changed)."""
    tmp = _write_temp(os.path.dirname(path), content)
    try:
        os.link(tmp, path)
        return True
    except OSError as exc:
        if exc.errno == errno.EEXIST:
            return False
        raise
    finally:
        files.remove_quietly(tmp)


def replace(path, content):
    """Put content in place of the lock there (atomic rename)."""
    tmp = _write_temp(os.path.dirname(path), content)
    try:
        os.rename(tmp, path)
    except BaseException:
        files.remove_quietly(tmp)
        raise


def remove_if_same(path, inode):
    """Remove the lock only if it is still the file that was read (another run may have broken
    it and taken it meanwhile); True when removed."""
    try:
        if os.lstat(path).st_ino != inode:
            return False
        os.unlink(path)
        return True
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return False
        raise


class LockHeld(LifeKeeperError):
    """Another run holds the lock."""


def held_message(path, holder, age_s):
    return ('%s is held by %s; wait until that run ends, or, if it is dead (no process or play runs for it any '
            'more), break the lock with break_lock=true (the rolling update: -e lk_break_lock=true)'
            % (path, describe(holder, age_s)))


def acquire(lock_dir, name, run_id, owner, break_lock=False, check_mode=False, now=None):
    """Take the lock for run_id. Returns {changed, action, holder, age_s, path, broken}.

    action: 'taken' (there was none), 'resumed' (this run held it), 'broken' (another run's lock
    replaced, break_lock). Raises LockHeld naming the holder when another run holds it.
    """
    check_identifier('run_id', run_id)
    path = lock_path(lock_dir, name)
    for dummy in range(5):
        moment = time.time() if now is None else now
        holder, age_s, dummy_inode = read(path, moment)
        mine = record(run_id, owner, moment)
        if holder is None:
            if check_mode or create(path, mine):
                return dict(changed=True, action='taken', holder=mine, age_s=0.0, path=path, broken=None)
            continue  # another run took it between read and create: look again
        if holder.get('run_id') == run_id:
            return dict(changed=False, action='resumed', holder=holder, age_s=age_s, path=path, broken=None)
        if not break_lock:
            raise LockHeld('lock ' + held_message(path, holder, age_s), holder=holder, age_s=age_s, path=path)
        if not check_mode:
            replace(path, mine)
        return dict(changed=True, action='broken', holder=mine, age_s=0.0, path=path,
                    broken=dict(holder, age_s=age_s))
    raise LifeKeeperError('lock %s kept changing while it was being taken; try again' % path)


def release(lock_dir, name, run_id, break_lock=False, check_mode=False, now=None):
    """Remove the lock when run_id holds it (any lock with break_lock). Returns
    {changed, released, holder, age_s, path}; holder is the lock left in place (another run's)."""
    check_identifier('run_id', run_id)
    path = lock_path(lock_dir, name)
    moment = time.time() if now is None else now
    holder, age_s, inode = read(path, moment)
    if holder is None:
        return dict(changed=False, released=False, holder=None, age_s=None, path=path)
    if holder.get('run_id') != run_id and not break_lock:
        return dict(changed=False, released=False, holder=holder, age_s=age_s, path=path)
    if not check_mode and not remove_if_same(path, inode):
        holder, age_s, dummy = read(path, moment)
        return dict(changed=False, released=False, holder=holder, age_s=age_s, path=path)
    return dict(changed=True, released=True, holder=None, age_s=None, path=path,
                broken=None if holder.get('run_id') == run_id else dict(holder, age_s=age_s))


def query(lock_dir, name, now=None):
    path = lock_path(lock_dir, name)
    holder, age_s, dummy = read(path, time.time() if now is None else now)
    return dict(changed=False, holder=holder, age_s=age_s, path=path)
