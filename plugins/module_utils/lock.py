# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run per cluster: a lock file created atomically, holding who took it.

``<lock_dir>/<name>.lock`` (mode 0600, in a directory of mode 0700, both owned by the user
that runs the module) holds JSON: ``run_id``, ``token`` (the identity of the process that
took it: the controller's host, boot, ansible-playbook pid and its start time, hashed),
``owner`` (what the caller records: controller, user, pid, cluster, ...), ``time`` (seconds
since the epoch) and ``created`` (UTC, ISO 8601).

Every change (take, swap, release) runs under an exclusive ``flock`` of the lock directory,
so a read and the write that depends on it are one step for every lk_lock (no read-then-write
race); the new content is written to a temporary file and published with ``os.link`` (take:
fails when a lock exists) or ``os.rename`` (swap), so nobody ever reads a half-written lock.

Who may replace a lock (``decide``): the process that holds it (same token) keeps it; the same
run id from the same controller once the process that took it has ended (a resume) or with the
token of that dead process (``resume_token``, for the node locks); any lock whose run id
``break_lock`` names (a compare-and-swap against the content the caller saw, ``expected``).
Anything that is not a regular file of this user, mode 0600, in a 0700 directory of this user,
is refused and never replaced: somebody else put it there. Works wherever Python runs: no
LifeKeeper needed.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import socket
import stat
import time

from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import RUN_ID_PATTERN, RUN_ID_RE
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

DEFAULT_LOCK_DIR = '/var/lib/hatools-lifekeeper/lock'
DEFAULT_NAME = 'cluster'
SUFFIX = '.lock'
# break_lock's name for a lock file whose content is not a lock (no run id to name)
UNREADABLE = 'unreadable'
# the largest lock file read (a lock is a few hundred bytes)
MAX_LOCK_BYTES = 65536
# how long a change waits for another lk_lock working on the same directory
GUARD_SECONDS = 10.0
BOOL_TRUE = ('true', 'yes', 'on', 'y', 't', '1')
BOOL_FALSE = ('false', 'no', 'off', 'n', 'f', '0', '', 'none')


class LockHeld(LifeKeeperError):
    """Another run (or another process of this run) holds the lock."""


class LockUnsafe(LifeKeeperError):
    """The lock file or its directory is not what lk_lock creates: never read as a lock, never replaced."""


def check_identifier(what, value):
    """run_id and name: letters, digits, '.', '_' and '-' only (never a path)."""
    if not isinstance(value, str) or not RUN_ID_RE.match(value) or value in ('.', '..'):
        raise LifeKeeperError('%s must match %s (letters, digits, ".", "_", "-"), not %r' % (what, RUN_ID_PATTERN, value))
    return value


def break_names(value, what='break_lock'):
    """The run ids a break_lock value names: a frozenset (empty: break nothing), or True for a
    plain true, which names no holder (refused by decide, with the run id to give instead).
    Accepts a run id, several separated by commas, or a list of them."""
    if value is None or value is False:
        return frozenset()
    if value is True:
        return True
    if isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value).strip()
        if text.lower() in BOOL_FALSE:
            return frozenset()
        if text.lower() in BOOL_TRUE:
            return True
        items = text.split(',')
    else:
        raise LifeKeeperError('%s must be the run id of the lock to break (or false), not %r' % (what, value))
    names = [item.strip() for item in items if item.strip()]
    for name in names:
        check_identifier('%s (the run id whose lock to break)' % what, name)
    return frozenset(names)


def lock_path(lock_dir, name):
    return os.path.join(lock_dir, check_identifier('name', name) + SUFFIX)


def iso_utc(moment):
    seconds, millis = divmod(int(round(moment * 1000)), 1000)
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + '.%03dZ' % millis


def record(run_id, owner, now, token=None):
    out = {'run_id': run_id, 'owner': dict(owner or {}), 'time': now, 'created': iso_utc(now)}
    if token:
        out['token'] = token
    return out


# ---- the process that took a lock ---------------------------------------------------------

def boot_id():
    """This machine's boot id (Linux), or None."""
    try:
        with open('/proc/sys/kernel/random/boot_id') as handle:
            return handle.read().strip() or None
    except (IOError, OSError):
        return None


def process_start(pid):
    """When process pid started (clock ticks since boot, /proc/<pid>/stat field 22), or None:
    with the pid it names one process, even after the pid is reused."""
    try:
        with open('/proc/%d/stat' % int(pid)) as handle:
            text = handle.read()
    except (IOError, OSError, ValueError):
        return None
    fields = text.rsplit(')', 1)[-1].split()
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def process_token(controller, boot, pid, started, uid):
    """The token of one ansible-playbook process: same process, same token, from any worker."""
    text = '|'.join(str(part) for part in (controller, boot, pid, started, uid))
    return hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]


def process_state(owner, hostname=None):
    """Whether the process recorded in a lock's owner still runs: 'alive', 'dead', or
    'unknown' when it ran on another host (only its controller can tell)."""
    owner = owner or {}
    if not owner.get('controller') or owner.get('controller') != (hostname or socket.gethostname()):
        return 'unknown'
    recorded_boot, current_boot = owner.get('boot_id'), boot_id()
    if recorded_boot and current_boot and recorded_boot != current_boot:
        return 'dead'               # the controller rebooted since
    pid = owner.get('pid')
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return 'unknown'
    try:
        os.kill(pid, 0)
    except OSError as exc:
        if exc.errno == errno.ESRCH:
            return 'dead'
        if exc.errno != errno.EPERM:
            return 'unknown'
    started = owner.get('started')
    if started is not None:
        now_started = process_start(pid)
        if now_started is not None and now_started != started:
            return 'dead'           # the pid belongs to another process now
    return 'alive'


# ---- the directory and the file -------------------------------------------------------------

def _kind(mode):
    for test, name in ((stat.S_ISLNK, 'a symbolic link'), (stat.S_ISFIFO, 'a FIFO'), (stat.S_ISSOCK, 'a socket'),
                       (stat.S_ISCHR, 'a character device'), (stat.S_ISBLK, 'a block device'),
                       (stat.S_ISDIR, 'a directory'), (stat.S_ISREG, 'a regular file')):
        if test(mode):
            return name
    return 'an unknown kind of file'


def _unsafe(path, found, expected, remedy='check who put it there and remove it by hand'):
    return LockUnsafe('%s is %s, expected %s; lk_lock never reads or replaces it: %s' % (path, found, expected, remedy))


def check_dir_info(path, info):
    """Refuse a lock directory that is not a directory of mode 0700 owned by this user."""
    uid = os.geteuid()
    expected = 'a directory of mode 0700 owned by uid %d (this user)' % uid
    if not stat.S_ISDIR(info.st_mode):
        raise _unsafe(path, _kind(info.st_mode), expected)
    mode = stat.S_IMODE(info.st_mode)
    if info.st_uid != uid or mode & 0o077:
        raise _unsafe(path, 'a directory of mode %04o owned by uid %d' % (mode, info.st_uid), expected,
                      'check who made it so, then give it to this user with mode 0700 (chown, chmod 0700), or use '
                      'another folder')


def check_dir(lock_dir):
    """An existing lock directory checked (True), or False when it does not exist."""
    try:
        info = os.lstat(lock_dir)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return False
        raise
    check_dir_info(lock_dir, info)
    return True


def ensure_dir(lock_dir, check_mode=False):
    """Create the lock directory (mode 0700) when it is missing (not in check mode: only
    whether it could be), then check it. Returns whether it exists."""
    files.check_creatable_dir(lock_dir, 'lock_dir')
    if not os.path.lexists(lock_dir):
        if check_mode:
            return False
        try:
            os.makedirs(lock_dir, files.PRIVATE_DIR_MODE)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise LifeKeeperError('cannot create lock_dir %s: %s' % (lock_dir, exc.strerror or exc))
        else:
            os.chmod(lock_dir, files.PRIVATE_DIR_MODE)  # the umask may have taken bits away, never added
    return check_dir(lock_dir)


def fingerprint_of(data):
    return hashlib.sha256(data).hexdigest()


def read(path, now):
    """(holder, age_s, fingerprint) of the lock at path: holder None when there is none; a lock
    whose content is not a lock is a holder with run_id None and ``error``. The file is opened
    without blocking and without following a link (a FIFO never hangs); one that is not a
    regular file of this user with mode 0600 raises LockUnsafe naming the path and what is there."""
    flags = os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NOCTTY', 0)
    expected = 'a regular file of mode 0600 owned by uid %d (this user)' % os.geteuid()
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None, None, None
        try:
            info = os.lstat(path)
        except OSError:
            raise LifeKeeperError('cannot open the lock %s: %s' % (path, exc.strerror or exc))
        raise _unsafe(path, _kind(info.st_mode), expected)
    try:
        info = os.fstat(fd)
        mode = stat.S_IMODE(info.st_mode)
        if not stat.S_ISREG(info.st_mode):
            raise _unsafe(path, _kind(info.st_mode), expected)
        if info.st_uid != os.geteuid() or mode & 0o077:
            raise _unsafe(path, 'a regular file of mode %04o owned by uid %d' % (mode, info.st_uid), expected)
        data = os.read(fd, MAX_LOCK_BYTES + 1)
    finally:
        os.close(fd)
    fingerprint = fingerprint_of(data)
    try:
        if len(data) > MAX_LOCK_BYTES:
            raise ValueError('more than %d bytes' % MAX_LOCK_BYTES)
        holder = json.loads(data.decode('utf-8'))
        if not isinstance(holder, dict) or not isinstance(holder.get('run_id'), str):
            raise ValueError('no run_id in it')
    except ValueError as exc:       # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return ({'run_id': None, 'owner': {}, 'error': 'unreadable content (%s)' % exc},
                round(now - info.st_mtime, 1), fingerprint)
    since = holder.get('time')
    if not isinstance(since, (int, float)) or isinstance(since, bool):
        since = info.st_mtime
    return holder, round(now - since, 1), fingerprint


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


@contextlib.contextmanager
def guarded(lock_dir, timeout=None):
    """Hold the exclusive flock of the lock directory (checked through the open descriptor:
    the directory that is locked is the one that was checked). Ends when the process ends."""
    fd = os.open(lock_dir, os.O_RDONLY | getattr(os, 'O_DIRECTORY', 0) | getattr(os, 'O_NOFOLLOW', 0))
    try:
        check_dir_info(lock_dir, os.fstat(fd))
        timeout = GUARD_SECONDS if timeout is None else timeout
        deadline = time.time() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (IOError, OSError) as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                if time.time() >= deadline:
                    raise LifeKeeperError('another lk_lock has been changing the locks in %s for more than %s s; '
                                          'try again' % (lock_dir, timeout))
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def unguarded():
    """Check mode changes nothing: no flock needed (and the directory may not exist)."""
    yield


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
    """Put content in place of the lock there (atomic rename); under guarded() only."""
    tmp = _write_temp(os.path.dirname(path), content)
    try:
        os.rename(tmp, path)
    except BaseException:
        files.remove_quietly(tmp)
        raise


# ---- who may take what ----------------------------------------------------------------------

def _break_hint(run_id):
    return '-e lk_break_lock=%s (lk_lock: break_lock=%s)' % (run_id, run_id)


def held_message(path, holder, age_s):
    name = holder.get('run_id') or UNREADABLE
    return ('%s is held by %s; wait until that run ends, or, if it is dead (no process or play runs for it any '
            'more), break its lock by naming it: %s' % (path, describe(holder, age_s), _break_hint(name)))


def same_run_message(path, holder, age_s, process):
    """The same run id, taken by another process: why it is not resumed."""
    owner = holder.get('owner') or {}
    if process == 'alive':
        why = ('its process (pid %s on %s) is still running: two processes of one run would work on the cluster '
               'at once' % (owner.get('pid'), owner.get('controller')))
    else:
        why = ('it was taken by another process (controller %s, pid %s) that this host cannot see ended; a run '
               'resumes by itself only from the controller that took the lock, once that process ended (an AWX '
               'relaunch, another operator or another controller is refused)' % (owner.get('controller'), owner.get('pid')))
    return ('%s is held by %s - this run id, but %s; if no process runs for it any more, take it over with %s'
            % (path, describe(holder, age_s), why, _break_hint(holder['run_id'])))


def changed_message(path, holder, age_s):
    now_held = describe(holder, age_s) if holder else 'nobody'
    return ('%s changed since pre-flight read it (now: %s); nothing was broken or changed - run again to see '
            'the lock as it is now' % (path, now_held))


def decide(holder, age_s, fingerprint, path, run_id, token=None, names=frozenset(), expected=None,
           expect_given=False, resume_token=None, process='unknown'):
    """What a take does with the lock there (holder not None): 'keep', 'resume' or 'break';
    or it raises LockHeld with the reason. Pure: the caller reads and writes.

    keep: this process holds it (no token: any process of this run id). resume: the same run id whose process ended (process 'dead',
    known only on its controller) or whose token is resume_token. break: names holds the
    holder's run id (UNREADABLE for a lock without one). Every replacement is a
    compare-and-swap: when expect_given, a lock whose content does not have this fingerprint
    (expected None: the caller saw no lock) is refused as changed since."""
    own_run = holder.get('run_id') == run_id
    if own_run and (not token or holder.get('token') == token):
        return 'keep'           # without a token, any process of the run (as before tokens existed)
    if expect_given and expected != fingerprint:
        raise LockHeld(changed_message(path, holder, age_s), holder=holder, age_s=age_s, path=path)
    name = holder.get('run_id') or UNREADABLE
    if own_run and ((resume_token and holder.get('token') == resume_token) or process == 'dead'):
        action = 'resume'
    elif names is not True and name in names:
        action = 'break'
    elif names is True:
        raise LockHeld('break_lock=true no longer breaks whatever lock is there: name the run whose lock to break. '
                       + held_message(path, holder, age_s), holder=holder, age_s=age_s, path=path)
    elif own_run:
        raise LockHeld(same_run_message(path, holder, age_s, process), holder=holder, age_s=age_s, path=path)
    else:
        raise LockHeld('lock ' + held_message(path, holder, age_s), holder=holder, age_s=age_s, path=path)
    return action


def acquire(lock_dir, name, run_id, owner, token=None, break_lock=None, expected=None, expect_given=False,
            resume_token=None, check_mode=False, now=None):
    """Take the lock for run_id. Returns {changed, action, holder, age_s, path, broken, replaced}.

    action: 'taken' (there was none), 'resumed' (this process held it: unchanged; or this run's
    dead process held it: replaced), 'broken' (the lock of the run break_lock names replaced).
    broken/replaced: the record replaced (with its age_s). Raises LockHeld naming the holder,
    LockUnsafe for a file lk_lock did not make. check_mode: the same answer, nothing written.
    """
    check_identifier('run_id', run_id)
    names = break_names(break_lock)
    path = lock_path(lock_dir, name)
    exists = ensure_dir(lock_dir, check_mode)
    moment = time.time() if now is None else now
    mine = record(run_id, owner, moment, token)
    guard = guarded(lock_dir) if exists and not check_mode else unguarded()
    with guard:
        holder, age_s, fingerprint = read(path, moment) if exists else (None, None, None)
        if holder is None:
            if not check_mode and not create(path, mine):
                raise LifeKeeperError('lock %s appeared while it was being taken (a writer that does not lock '
                                      '%s?); try again' % (path, lock_dir))
            return dict(changed=True, action='taken', holder=mine, age_s=0.0, path=path, broken=None, replaced=None)
        action = decide(holder, age_s, fingerprint, path, run_id, token, names, expected, expect_given,
                        resume_token, process_state(holder.get('owner')))
        if action == 'keep':
            return dict(changed=False, action='resumed', holder=holder, age_s=age_s, path=path, broken=None,
                        replaced=None)
        if not check_mode:
            replace(path, mine)
    replaced = dict(holder, age_s=age_s)
    return dict(changed=True, action='resumed' if action == 'resume' else 'broken', holder=mine, age_s=0.0,
                path=path, broken=replaced if action == 'break' else None, replaced=replaced)


def release(lock_dir, name, run_id, token=None, break_lock=None, check_mode=False, now=None):
    """Remove the lock when run_id holds it (and, given a token, this process: another process
    of the same run id keeps its lock), or when break_lock names its holder. Returns
    {changed, released, holder, age_s, path, broken}; holder is the lock left in place."""
    check_identifier('run_id', run_id)
    names = break_names(break_lock)
    path = lock_path(lock_dir, name)
    moment = time.time() if now is None else now
    if not check_dir(lock_dir):
        return dict(changed=False, released=False, holder=None, age_s=None, path=path, broken=None)
    guard = guarded(lock_dir) if not check_mode else unguarded()
    with guard:
        holder, age_s, dummy = read(path, moment)
        if holder is None:
            return dict(changed=False, released=False, holder=None, age_s=None, path=path, broken=None)
        mine = holder.get('run_id') == run_id and (not token or holder.get('token') == token)
        named = names is not True and (holder.get('run_id') or UNREADABLE) in names
        if names is True and not mine:
            raise LockHeld('break_lock=true no longer removes whatever lock is there: name the run whose lock to '
                           'remove. ' + held_message(path, holder, age_s), holder=holder, age_s=age_s, path=path)
        if not mine and not named:
            return dict(changed=False, released=False, holder=holder, age_s=age_s, path=path, broken=None)
        if not check_mode:
            os.unlink(path)
    return dict(changed=True, released=True, holder=None, age_s=None, path=path,
                broken=None if mine else dict(holder, age_s=age_s))


def query(lock_dir, name, now=None):
    """The lock as it is: {changed, holder, age_s, path, fingerprint, process, host}. process:
    whether the holder's process still runs ('alive', 'dead', 'unknown' when this host is not
    its controller); host: this host's name (on the controller, the controller's)."""
    path = lock_path(lock_dir, name)
    holder, age_s, fingerprint = read(path, time.time() if now is None else now) if check_dir(lock_dir) \
        else (None, None, None)
    return dict(changed=False, holder=holder, age_s=age_s, path=path, fingerprint=fingerprint,
                process=process_state(holder.get('owner')) if holder else None, host=socket.gethostname())
