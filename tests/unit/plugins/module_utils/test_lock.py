# -*- coding: utf-8 -*-
"""lock.py with real files: one winner among concurrent takers and breakers, a resume only by
this run's ended process on its controller, breaking by name as a compare-and-swap, and
nothing read or replaced that lk_lock did not make (FIFO, link, another user's file)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import fcntl
import json
import multiprocessing
import os
import socket
import stat
import threading
import time

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

OWNER = {'controller': 'ctl1', 'user': 'ops', 'pid': 4242, 'cluster': 'prod-a'}
HOST = socket.gethostname()
ROOT = os.geteuid() == 0


@pytest.fixture
def lock_dir(tmp_path):
    path = tmp_path / 'lock'
    path.mkdir(mode=0o700)
    os.chmod(str(path), 0o700)
    return str(path)


def path_of(lock_dir):
    return os.path.join(lock_dir, 'cluster.lock')


def content(lock_dir):
    with open(path_of(lock_dir)) as handle:
        return json.load(handle)


def dead_pid():
    """The pid of a process that has ended (reaped)."""
    proc = multiprocessing.get_context('fork').Process(target=os._exit, args=(0,))
    proc.start()
    proc.join(10)
    return proc.pid


def this_process_owner(**more):
    owner = {'controller': HOST, 'user': 'ops', 'pid': os.getpid(), 'boot_id': lock.boot_id(),
             'started': lock.process_start(os.getpid())}
    owner.update(more)
    return owner


# ---- one winner ---------------------------------------------------------------------------------

def take(lock_dir, run_id, results, barrier):
    barrier.wait()
    try:
        results.append((run_id, lock.acquire(lock_dir, 'cluster', run_id, {'pid': os.getpid()}, token=run_id)['action']))
    except lock.LockHeld:
        results.append((run_id, 'refused'))


def test_two_concurrent_threads_one_wins(lock_dir):
    for dummy in range(20):
        if os.path.exists(path_of(lock_dir)):
            os.unlink(path_of(lock_dir))
        results = []
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=take, args=(lock_dir, run, results, barrier)) for run in ('run-a', 'run-b')]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(action for _run, action in results) == ['refused', 'taken'], results
        winner = [run for run, action in results if action == 'taken'][0]
        assert content(lock_dir)['run_id'] == winner
    assert sorted(os.listdir(lock_dir)) == ['cluster.lock']     # no temporary file left


def in_process(queue, start, index, func, *args, **kwargs):
    start.wait(10)
    try:
        queue.put((index, ('ok', func(*args, **kwargs).get('action', 'released'))))
    except lock.LockHeld as exc:
        queue.put((index, ('refused', exc.msg)))


def race(calls):
    """Run each (func, args, kwargs) in its own process, released at the same moment; the
    results in the order of calls."""
    context = multiprocessing.get_context('fork')
    queue, start = context.Queue(), context.Event()
    procs = [context.Process(target=in_process, args=(queue, start, index, func) + tuple(args), kwargs=kwargs)
             for index, (func, args, kwargs) in enumerate(calls)]
    for proc in procs:
        proc.start()
    start.set()
    results = dict(queue.get(timeout=30) for dummy in calls)
    for proc in procs:
        proc.join(10)
    return [results[index] for index in range(len(calls))]


def test_many_concurrent_processes_one_wins(lock_dir):
    runs = ['run-%d' % i for i in range(6)]
    results = race([(lock.acquire, (lock_dir, 'cluster', run, {}), {'token': run}) for run in runs])
    assert [kind for kind, dummy in results].count('ok') == 1, results
    winner = content(lock_dir)['run_id']
    assert all(('held by run %s' % winner) in text for kind, text in results if kind == 'refused'), results


def test_two_processes_breaking_the_same_stale_lock_exactly_one_wins(lock_dir):
    for attempt in range(10):
        if os.path.exists(path_of(lock_dir)):
            os.unlink(path_of(lock_dir))
        lock.acquire(lock_dir, 'cluster', 'stale', OWNER, token='t-stale')
        seen = lock.query(lock_dir, 'cluster')['fingerprint']        # both pre-flights saw the stale lock
        results = race([(lock.acquire, (lock_dir, 'cluster', run, {}),
                         dict(token=run, break_lock='stale', expected=seen, expect_given=True))
                        for run in ('breaker-a', 'breaker-b')])
        kinds = sorted(kind for kind, dummy in results)
        assert kinds == ['ok', 'refused'], results
        refusal = [text for kind, text in results if kind == 'refused'][0]
        winner = content(lock_dir)['run_id']
        assert winner in ('breaker-a', 'breaker-b')
        assert 'changed since pre-flight read it (now: run %s' % winner in refusal, refusal
        assert [text for kind, text in results if kind == 'ok'] == ['broken']
    assert sorted(os.listdir(lock_dir)) == ['cluster.lock']


def test_a_break_and_a_live_take_racing_never_both_hold(lock_dir):
    """The stale lock is released by its run while a breaker and a fresh run race for it: the
    lock ends with exactly one of them, and the other knows it does not hold it."""
    for attempt in range(10):
        if os.path.exists(path_of(lock_dir)):
            os.unlink(path_of(lock_dir))
        lock.acquire(lock_dir, 'cluster', 'old', OWNER, token='t-old')
        seen = lock.query(lock_dir, 'cluster')['fingerprint']
        results = race([
            (lock.release, (lock_dir, 'cluster', 'old'), {'token': 't-old'}),
            (lock.acquire, (lock_dir, 'cluster', 'fresh', {}), {'token': 'fresh'}),
            (lock.acquire, (lock_dir, 'cluster', 'breaker', {}),
             dict(token='breaker', break_lock='old', expected=seen, expect_given=True))])
        holders = {'fresh': results[1][0] == 'ok', 'breaker': results[2][0] == 'ok'}
        now = content(lock_dir)['run_id'] if os.path.exists(path_of(lock_dir)) else None
        assert [run for run, held in holders.items() if held] == ([now] if now in holders else []), (results, now)


# ---- the record -------------------------------------------------------------------------------

def test_lock_file_content_and_mode(lock_dir):
    outcome = lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='tok-1', now=1000.0)
    assert outcome == {'changed': True, 'action': 'taken', 'path': path_of(lock_dir),
                       'holder': {'run_id': 'run-1', 'owner': OWNER, 'token': 'tok-1', 'time': 1000.0,
                                  'created': '1970-01-01T00:16:40.000Z'},
                       'age_s': 0.0, 'broken': None, 'replaced': None}
    assert stat.S_IMODE(os.stat(outcome['path']).st_mode) == 0o600
    assert content(lock_dir) == outcome['holder']


def test_query_returns_fingerprint_process_and_host(lock_dir):
    assert lock.query(lock_dir, 'cluster', now=5.0) == {
        'changed': False, 'holder': None, 'age_s': None, 'path': path_of(lock_dir), 'fingerprint': None,
        'process': None, 'host': HOST}
    lock.acquire(lock_dir, 'cluster', 'run-1', this_process_owner(), token='t', now=1000.0)
    found = lock.query(lock_dir, 'cluster', now=1002.0)
    with open(path_of(lock_dir), 'rb') as handle:
        assert found['fingerprint'] == lock.fingerprint_of(handle.read())
    assert (found['age_s'], found['process'], found['holder']['run_id']) == (2.0, 'alive', 'run-1')
    assert lock.query(str(os.path.join(lock_dir, 'missing')), 'cluster')['holder'] is None


# ---- this run: the same process, a resume, another controller -----------------------------------

def test_the_same_process_keeps_its_lock(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='tok', now=1000.0)
    outcome = lock.acquire(lock_dir, 'cluster', 'run-1', {'pid': 1}, token='tok', now=1012.5)
    assert (outcome['changed'], outcome['action'], outcome['age_s'], outcome['replaced']) == (False, 'resumed', 12.5, None)
    assert content(lock_dir)['owner'] == OWNER      # unchanged


def test_the_same_run_id_from_another_controller_is_refused_naming_the_variable(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='tok-awx-job-1', now=1000.0)
    for check_mode in (True, False):
        with pytest.raises(lock.LockHeld) as info:
            lock.acquire(lock_dir, 'cluster', 'run-1', this_process_owner(), token='tok-awx-job-2', check_mode=check_mode)
        msg = info.value.msg
        assert 'held by run run-1 (controller ctl1, user ops, pid 4242' in msg and 'this run id, but' in msg, msg
        assert 'AWX relaunch' in msg and '-e lk_break_lock=run-1' in msg, msg
    assert content(lock_dir)['token'] == 'tok-awx-job-1'
    outcome = lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='tok-awx-job-2', break_lock='run-1')
    assert outcome['action'] == 'broken' and outcome['replaced']['token'] == 'tok-awx-job-1'
    assert content(lock_dir)['token'] == 'tok-awx-job-2'


def test_a_lock_without_token_of_this_run_id_is_another_process(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, now=1000.0)      # written before tokens existed
    with pytest.raises(lock.LockHeld, match='this run id, but'):
        lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='tok')
    # a caller without a token (as before tokens existed) takes any lock of its run id back
    assert lock.acquire(lock_dir, 'cluster', 'run-1', {})['action'] == 'resumed'


def test_a_resume_from_the_same_controller_once_the_process_ended(lock_dir):
    owner = this_process_owner(pid=dead_pid())
    lock.acquire(lock_dir, 'cluster', 'run-1', owner, token='tok-dead', now=1000.0)
    assert lock.query(lock_dir, 'cluster')['process'] == 'dead'
    predicted = lock.acquire(lock_dir, 'cluster', 'run-1', this_process_owner(), token='tok-new', check_mode=True)
    assert (predicted['action'], predicted['changed']) == ('resumed', True) and content(lock_dir)['token'] == 'tok-dead'
    outcome = lock.acquire(lock_dir, 'cluster', 'run-1', this_process_owner(), token='tok-new', now=1100.0)
    assert (outcome['action'], outcome['changed'], outcome['broken']) == ('resumed', True, None)
    assert outcome['replaced']['token'] == 'tok-dead' and outcome['replaced']['age_s'] == 100.0
    assert content(lock_dir)['token'] == 'tok-new'


def test_a_process_still_running_on_this_controller_is_refused(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', this_process_owner(), token='tok-live')
    with pytest.raises(lock.LockHeld, match=r'its process \(pid %d on %s\) is still running' % (os.getpid(), HOST)):
        lock.acquire(lock_dir, 'cluster', 'run-1', this_process_owner(), token='tok-other')


def test_a_reused_pid_or_a_reboot_is_a_process_that_ended(lock_dir):
    started = lock.process_start(os.getpid())
    assert lock.process_state(this_process_owner()) == 'alive'
    assert lock.process_state(this_process_owner(started=started + 1)) == 'dead'       # the pid is another process's
    assert lock.process_state(this_process_owner(boot_id='another-boot')) == 'dead'
    assert lock.process_state(this_process_owner(controller='elsewhere')) == 'unknown'
    assert lock.process_state(this_process_owner(pid=None)) == 'unknown'
    assert lock.process_state({}) == 'unknown'


def test_the_node_locks_follow_the_controller_with_resume_token(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='tok-dead')
    with pytest.raises(lock.LockHeld):
        lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='tok-new', resume_token='tok-someone-else')
    outcome = lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='tok-new', resume_token='tok-dead')
    assert outcome['action'] == 'resumed' and content(lock_dir)['token'] == 'tok-new'


def test_process_token_is_stable_and_distinct():
    one = lock.process_token('ctl1', 'boot', 42, 1000, 0)
    assert one == lock.process_token('ctl1', 'boot', 42, 1000, 0) and len(one) == 32
    assert one != lock.process_token('ctl2', 'boot', 42, 1000, 0)
    assert one != lock.process_token('ctl1', 'boot', 42, 1001, 0)


# ---- another run: refused, broken by name, compare-and-swap --------------------------------------

def test_another_run_is_refused_naming_holder_age_and_the_exact_break(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='t1', now=1000.0)
    with pytest.raises(lock.LockHeld) as info:
        lock.acquire(lock_dir, 'cluster', 'run-2', {}, token='t2', now=1090.0)
    msg = info.value.msg
    assert 'held by run run-1 (controller ctl1, user ops, pid 4242, cluster prod-a), taken 90.0 s ago' in msg
    assert '-e lk_break_lock=run-1 (lk_lock: break_lock=run-1)' in msg
    assert info.value.details['holder']['run_id'] == 'run-1' and info.value.details['age_s'] == 90.0


def test_break_by_name_replaces_and_reports_the_broken_holder(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='t1', now=1000.0)
    with pytest.raises(lock.LockHeld, match='held by run run-1'):
        lock.acquire(lock_dir, 'cluster', 'run-2', {}, token='t2', break_lock='run-9')
    outcome = lock.acquire(lock_dir, 'cluster', 'run-2', {'user': 'other'}, token='t2', break_lock='run-9, run-1',
                           now=1100.0)
    assert outcome['action'] == 'broken' and outcome['changed'] is True
    assert outcome['broken']['run_id'] == 'run-1' and outcome['broken']['age_s'] == 100.0
    assert outcome['replaced'] == outcome['broken']
    assert content(lock_dir)['run_id'] == 'run-2'


@pytest.mark.parametrize('value', [True, 'true', 'yes', 'True'])
def test_break_lock_true_names_no_run_and_is_refused_with_the_run_id(lock_dir, value):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='t1')
    with pytest.raises(lock.LockHeld) as info:
        lock.acquire(lock_dir, 'cluster', 'run-2', {}, token='t2', break_lock=value)
    assert 'break_lock=true no longer breaks' in info.value.msg and 'lk_break_lock=run-1' in info.value.msg
    assert content(lock_dir)['run_id'] == 'run-1'
    assert lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='t1', break_lock=value)['action'] == 'resumed'


def test_a_lock_that_changed_since_pre_flight_is_not_broken(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'stale', OWNER, token='t-stale')
    seen = lock.query(lock_dir, 'cluster')['fingerprint']
    # after pre-flight, the stale run's lock was broken and taken by a live run of the same name
    lock.acquire(lock_dir, 'cluster', 'stale', this_process_owner(), token='t-live', break_lock='stale')
    for check_mode in (True, False):
        with pytest.raises(lock.LockHeld, match='changed since pre-flight read it') as info:
            lock.acquire(lock_dir, 'cluster', 'mine', {}, token='t-mine', break_lock='stale', expected=seen,
                         expect_given=True, check_mode=check_mode)
        assert 'nothing was broken or changed' in info.value.msg
    assert content(lock_dir)['token'] == 't-live'
    # pre-flight saw no lock: one found now is not broken either
    with pytest.raises(lock.LockHeld, match='changed since pre-flight'):
        lock.acquire(lock_dir, 'cluster', 'mine', {}, token='t-mine', break_lock='stale', expected=None,
                     expect_given=True)
    current = lock.query(lock_dir, 'cluster')['fingerprint']
    assert lock.acquire(lock_dir, 'cluster', 'mine', {}, token='t-mine', break_lock='stale', expected=current,
                        expect_given=True)['action'] == 'broken'


def test_a_lock_gone_since_pre_flight_is_simply_taken(lock_dir):
    assert lock.acquire(lock_dir, 'cluster', 'mine', {}, token='t', break_lock='stale', expected='0' * 64,
                        expect_given=True)['action'] == 'taken'


@pytest.mark.parametrize('content_text', ['', 'not json', '[1, 2]', '{"owner": {}}', '\xff\xfe'])
def test_an_unreadable_lock_is_refused_until_broken_as_unreadable(lock_dir, content_text):
    with open(path_of(lock_dir), 'wb') as handle:
        handle.write(content_text.encode('latin-1'))
    os.chmod(path_of(lock_dir), 0o600)
    holder = lock.query(lock_dir, 'cluster')['holder']
    assert holder['run_id'] is None and 'unreadable' in holder['error']
    with pytest.raises(lock.LockHeld, match='an unreadable lock.*-e lk_break_lock=unreadable'):
        lock.acquire(lock_dir, 'cluster', 'run-1', OWNER)
    assert lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, break_lock='unreadable')['action'] == 'broken'


# ---- what lk_lock did not make ------------------------------------------------------------------

def no_hang(func, *args, **kwargs):
    """Call func in a thread; fail when it does not return within 5 s (a FIFO would hang it)."""
    box = []

    def call():
        try:
            box.append(('ok', func(*args, **kwargs)))
        except Exception as exc:   # pylint: disable=broad-except
            box.append(('raised', exc))
    thread = threading.Thread(target=call)
    thread.daemon = True
    thread.start()
    thread.join(5)
    assert box, '%s hung' % func.__name__
    return box[0]


def test_a_fifo_lock_is_refused_without_hanging(lock_dir):
    os.mkfifo(path_of(lock_dir), 0o600)
    for func, args, kwargs in ((lock.query, (lock_dir, 'cluster'), {}),
                               (lock.acquire, (lock_dir, 'cluster', 'run-1', {}), {'break_lock': 'unreadable'}),
                               (lock.acquire, (lock_dir, 'cluster', 'run-1', {}), {'check_mode': True}),
                               (lock.release, (lock_dir, 'cluster', 'run-1'), {'break_lock': 'unreadable'})):
        kind, exc = no_hang(func, *args, **kwargs)
        assert kind == 'raised' and isinstance(exc, lock.LockUnsafe), exc
        assert '%s is a FIFO, expected a regular file of mode 0600' % path_of(lock_dir) in exc.msg
    assert stat.S_ISFIFO(os.lstat(path_of(lock_dir)).st_mode)       # never replaced


def test_a_symbolic_link_is_refused(lock_dir, tmp_path):
    target = tmp_path / 'elsewhere.json'
    target.write_text(json.dumps({'run_id': 'run-1', 'owner': {}}))
    os.symlink(str(target), path_of(lock_dir))
    with pytest.raises(lock.LockUnsafe, match='is a symbolic link'):
        lock.acquire(lock_dir, 'cluster', 'run-1', {})


def test_a_lock_others_can_read_or_write_is_refused(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='t')
    os.chmod(path_of(lock_dir), 0o644)
    with pytest.raises(lock.LockUnsafe, match='a regular file of mode 0644 owned by uid %d' % os.geteuid()):
        lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='t')


@pytest.mark.skipif(not ROOT, reason='needs root to give a file to another user')
def test_a_lock_planted_by_another_user_with_my_run_id_is_refused(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='t')
    os.chown(path_of(lock_dir), 4321, 4321)
    for check_mode in (True, False):
        with pytest.raises(lock.LockUnsafe, match='owned by uid 4321'):
            lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='t', check_mode=check_mode)
    with pytest.raises(lock.LockUnsafe):
        lock.release(lock_dir, 'cluster', 'run-1', token='t')
    assert os.path.exists(path_of(lock_dir))


@pytest.mark.parametrize('mode', [0o755, 0o770, 0o1777])
def test_a_lock_directory_others_can_enter_is_refused_in_check_mode_too(tmp_path, mode):
    shared = tmp_path / 'shared'
    shared.mkdir()
    os.chmod(str(shared), mode)
    for check_mode in (True, False):
        with pytest.raises(lock.LockUnsafe) as info:
            lock.acquire(str(shared), 'cluster', 'run-1', {}, check_mode=check_mode)
        assert '%s is a directory of mode %04o owned by uid %d, expected a directory of mode 0700' % (
            shared, mode, os.geteuid()) in info.value.msg
    with pytest.raises(lock.LockUnsafe):
        lock.query(str(shared), 'cluster')
    assert os.listdir(str(shared)) == []


@pytest.mark.skipif(not ROOT, reason='needs root to give a directory to another user')
def test_a_lock_directory_of_another_user_is_refused(lock_dir):
    os.chown(lock_dir, 4321, 4321)
    with pytest.raises(lock.LockUnsafe, match='owned by uid 4321'):
        lock.acquire(lock_dir, 'cluster', 'run-1', {})


def test_a_missing_directory_is_created_0700_and_predicted_in_check_mode(tmp_path):
    where = str(tmp_path / 'a' / 'lock')
    assert lock.acquire(where, 'cluster', 'run-1', {}, check_mode=True)['action'] == 'taken'
    assert not os.path.exists(where)
    assert lock.acquire(where, 'cluster', 'run-1', {})['action'] == 'taken'
    assert stat.S_IMODE(os.stat(where).st_mode) == 0o700


def test_a_change_waits_for_another_one_and_gives_up_naming_the_directory(lock_dir, monkeypatch):
    monkeypatch.setattr(lock, 'GUARD_SECONDS', 0.3)
    fd = os.open(lock_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        started = time.time()
        with pytest.raises(LifeKeeperError, match='another lk_lock has been changing the locks in %s' % lock_dir):
            lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='t')
        assert time.time() - started < 3
    finally:
        os.close(fd)
    assert lock.acquire(lock_dir, 'cluster', 'run-1', {}, token='t')['action'] == 'taken'


# ---- check mode and release -----------------------------------------------------------------------

def test_check_mode_changes_nothing(lock_dir):
    assert lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='t1', check_mode=True)['changed'] is True
    assert os.listdir(lock_dir) == []
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='t1')
    assert lock.acquire(lock_dir, 'cluster', 'run-2', {}, break_lock='run-1', check_mode=True)['action'] == 'broken'
    assert lock.release(lock_dir, 'cluster', 'run-1', token='t1', check_mode=True)['released'] is True
    assert content(lock_dir)['run_id'] == 'run-1'


def test_release_only_this_process_lock(lock_dir):
    assert lock.release(lock_dir, 'cluster', 'run-1') == {
        'changed': False, 'released': False, 'holder': None, 'age_s': None, 'path': path_of(lock_dir), 'broken': None}
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, token='t1', now=1000.0)
    kept = lock.release(lock_dir, 'cluster', 'run-2', now=1005.0)
    assert (kept['changed'], kept['released'], kept['holder']['run_id'], kept['age_s']) == (False, False, 'run-1', 5.0)
    other_process = lock.release(lock_dir, 'cluster', 'run-1', token='t-other')
    assert other_process['released'] is False and os.path.exists(path_of(lock_dir))
    with pytest.raises(lock.LockHeld, match='break_lock=true no longer removes'):
        lock.release(lock_dir, 'cluster', 'run-2', break_lock=True)
    broken = lock.release(lock_dir, 'cluster', 'run-2', break_lock='run-1')
    assert broken['released'] is True and broken['broken']['run_id'] == 'run-1'
    lock.acquire(lock_dir, 'cluster', 'run-3', OWNER, token='t3')
    assert lock.release(lock_dir, 'cluster', 'run-3', token='t3')['released'] is True
    lock.acquire(lock_dir, 'cluster', 'run-4', OWNER, token='t4')
    assert lock.release(lock_dir, 'cluster', 'run-4')['released'] is True       # no token: any process of the run
    assert os.listdir(lock_dir) == []


def test_release_of_a_missing_directory_changes_nothing(tmp_path):
    assert lock.release(str(tmp_path / 'none'), 'cluster', 'run-1')['released'] is False
    assert not (tmp_path / 'none').exists()


# ---- input ------------------------------------------------------------------------------------

@pytest.mark.parametrize('bad', ['', 'a b', '../etc/passwd', 'x/y', '..', 'run;id', None, 7])
def test_identifiers_are_checked(lock_dir, bad):
    with pytest.raises(LifeKeeperError, match='must match'):
        lock.acquire(lock_dir, 'cluster', bad, OWNER)
    with pytest.raises(LifeKeeperError, match='name must match'):
        lock.query(lock_dir, bad)


@pytest.mark.parametrize('value, names', [
    (False, frozenset()), (None, frozenset()), ('false', frozenset()), ('no', frozenset()), ('', frozenset()),
    (True, True), ('true', True), ('yes', True),
    ('run-1', frozenset(['run-1'])), ('run-1, run-2', frozenset(['run-1', 'run-2'])), (['a', 'b'], frozenset(['a', 'b'])),
])
def test_break_names(value, names):
    assert lock.break_names(value) == names


@pytest.mark.parametrize('bad', ['a b', '../x', 'run;1', {'run': 1}, 1.5])
def test_bad_break_names_are_named(bad):
    with pytest.raises(LifeKeeperError, match='break_lock'):
        lock.break_names(bad)
