# -*- coding: utf-8 -*-
"""lock.py with real files: one winner among concurrent takers, resume, break, never another's."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import multiprocessing
import os
import stat
import threading

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError

OWNER = {'controller': 'ctl1', 'user': 'ops', 'pid': 4242, 'cluster': 'prod-a'}


@pytest.fixture
def lock_dir(tmp_path):
    path = tmp_path / 'lock'
    path.mkdir(mode=0o700)
    return str(path)


def take(lock_dir, run_id, results, barrier):
    barrier.wait()
    try:
        results.append((run_id, lock.acquire(lock_dir, 'cluster', run_id, {'pid': os.getpid()})['action']))
    except lock.LockHeld:
        results.append((run_id, 'refused'))


def test_two_concurrent_threads_one_wins(lock_dir):
    for attempt in range(20):
        path = os.path.join(lock_dir, 'cluster.lock')
        if os.path.exists(path):
            os.unlink(path)
        results = []
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=take, args=(lock_dir, run, results, barrier)) for run in ('run-a', 'run-b')]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(action for _run, action in results) == ['refused', 'taken'], results
        winner = [run for run, action in results if action == 'taken'][0]
        with open(path) as handle:
            assert json.load(handle)['run_id'] == winner
    assert sorted(os.listdir(lock_dir)) == ['cluster.lock']     # no temporary file left


def take_in_process(lock_dir, run_id, queue, start):
    start.wait(10)
    try:
        queue.put((run_id, lock.acquire(lock_dir, 'cluster', run_id, {'pid': os.getpid()})['action']))
    except lock.LockHeld as exc:
        queue.put((run_id, 'refused: ' + exc.msg))


def test_many_concurrent_processes_one_wins(lock_dir):
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    start = context.Event()
    runs = ['run-%d' % i for i in range(6)]
    procs = [context.Process(target=take_in_process, args=(lock_dir, run, queue, start)) for run in runs]
    for proc in procs:
        proc.start()
    start.set()
    results = [queue.get(timeout=20) for _run in runs]
    for proc in procs:
        proc.join(10)
    winners = [run for run, action in results if action == 'taken']
    assert len(winners) == 1, results
    with open(os.path.join(lock_dir, 'cluster.lock')) as handle:
        assert json.load(handle)['run_id'] == winners[0]
    refused = [action for run, action in results if action != 'taken']
    assert all(('held by run %s' % winners[0]) in action for action in refused)


def test_lock_file_content_and_mode(lock_dir):
    outcome = lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, now=1000.0)
    assert outcome == {'changed': True, 'action': 'taken', 'path': os.path.join(lock_dir, 'cluster.lock'),
                       'holder': {'run_id': 'run-1', 'owner': OWNER, 'time': 1000.0,
                                  'created': '1970-01-01T00:16:40.000Z'},
                       'age_s': 0.0, 'broken': None}
    assert stat.S_IMODE(os.stat(outcome['path']).st_mode) == 0o600
    with open(outcome['path']) as handle:
        assert json.load(handle) == outcome['holder']


def test_same_run_takes_it_back(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, now=1000.0)
    outcome = lock.acquire(lock_dir, 'cluster', 'run-1', {'pid': 1}, now=1012.5)
    assert (outcome['changed'], outcome['action'], outcome['age_s']) == (False, 'resumed', 12.5)
    assert outcome['holder']['owner'] == OWNER      # unchanged


def test_another_run_is_refused_naming_holder_and_age(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, now=1000.0)
    with pytest.raises(lock.LockHeld) as info:
        lock.acquire(lock_dir, 'cluster', 'run-2', {}, now=1090.0)
    msg = info.value.msg
    assert 'held by run run-1 (controller ctl1, user ops, pid 4242, cluster prod-a), taken 90.0 s ago' in msg
    assert 'break_lock=true' in msg and 'lk_break_lock=true' in msg
    assert info.value.details['holder']['run_id'] == 'run-1' and info.value.details['age_s'] == 90.0


def test_break_replaces_and_reports_the_broken_holder(lock_dir):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, now=1000.0)
    outcome = lock.acquire(lock_dir, 'cluster', 'run-2', {'user': 'other'}, break_lock=True, now=1100.0)
    assert outcome['action'] == 'broken' and outcome['changed'] is True
    assert outcome['broken']['run_id'] == 'run-1' and outcome['broken']['age_s'] == 100.0
    assert lock.query(lock_dir, 'cluster')['holder']['run_id'] == 'run-2'


def test_check_mode_changes_nothing(lock_dir):
    assert lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, check_mode=True)['changed'] is True
    assert os.listdir(lock_dir) == []
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER)
    assert lock.acquire(lock_dir, 'cluster', 'run-2', {}, break_lock=True, check_mode=True)['action'] == 'broken'
    assert lock.release(lock_dir, 'cluster', 'run-1', check_mode=True)['released'] is True
    assert lock.query(lock_dir, 'cluster')['holder']['run_id'] == 'run-1'


def test_release_only_our_own_lock(lock_dir):
    assert lock.release(lock_dir, 'cluster', 'run-1') == {
        'changed': False, 'released': False, 'holder': None, 'age_s': None, 'path': os.path.join(lock_dir, 'cluster.lock')}
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, now=1000.0)
    kept = lock.release(lock_dir, 'cluster', 'run-2', now=1005.0)
    assert (kept['changed'], kept['released'], kept['holder']['run_id'], kept['age_s']) == (False, False, 'run-1', 5.0)
    assert os.path.exists(os.path.join(lock_dir, 'cluster.lock'))
    broken = lock.release(lock_dir, 'cluster', 'run-2', break_lock=True)
    assert broken['released'] is True and broken['broken']['run_id'] == 'run-1'
    lock.acquire(lock_dir, 'cluster', 'run-3', OWNER)
    assert lock.release(lock_dir, 'cluster', 'run-3')['released'] is True
    assert os.listdir(lock_dir) == []


def test_release_never_removes_a_lock_that_changed_after_it_was_read(lock_dir, monkeypatch):
    lock.acquire(lock_dir, 'cluster', 'run-1', OWNER)
    real_read = lock.read
    once = []

    def read_then_broken_by_another(path, now):
        result = real_read(path, now)
        if not once:
            once.append(True)
            lock.acquire(lock_dir, 'cluster', 'run-2', {}, break_lock=True)   # between read and remove
        return result
    monkeypatch.setattr(lock, 'read', read_then_broken_by_another)
    outcome = lock.release(lock_dir, 'cluster', 'run-1')
    assert outcome['released'] is False
    monkeypatch.setattr(lock, 'read', real_read)
    assert lock.query(lock_dir, 'cluster')['holder']['run_id'] == 'run-2'


@pytest.mark.parametrize('content', ['', 'not json', '[1, 2]', '{"owner": {}}'])
def test_an_unreadable_lock_is_foreign_until_broken(lock_dir, content):
    path = os.path.join(lock_dir, 'cluster.lock')
    with open(path, 'w') as handle:
        handle.write(content)
    holder = lock.query(lock_dir, 'cluster')['holder']
    assert holder['run_id'] is None and 'unreadable' in holder['error']
    with pytest.raises(lock.LockHeld, match='an unreadable lock'):
        lock.acquire(lock_dir, 'cluster', 'run-1', OWNER)
    assert lock.acquire(lock_dir, 'cluster', 'run-1', OWNER, break_lock=True)['action'] == 'broken'


@pytest.mark.parametrize('bad', ['', 'a b', '../etc/passwd', 'x/y', '..', 'run;id', None, 7])
def test_identifiers_are_checked(lock_dir, bad):
    with pytest.raises(LifeKeeperError, match='must match'):
        lock.acquire(lock_dir, 'cluster', bad, OWNER)
    with pytest.raises(LifeKeeperError, match='name must match'):
        lock.query(lock_dir, bad)
