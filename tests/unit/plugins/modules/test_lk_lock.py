# -*- coding: utf-8 -*-
"""lk_lock through main(): no LifeKeeper needed, private files, one run at a time."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import socket
import stat

import pytest

from ansible.module_utils import basic
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_lock

OWNER = {'controller': 'ctl1', 'user': 'ops', 'pid': 4242, 'cluster': 'prod-a'}


def mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


@pytest.fixture
def warnings(monkeypatch):
    seen = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, msg: seen.append(msg))
    return seen


@pytest.fixture
def lock_dir(tmp_path):
    return tmp_path / 'var' / 'lib' / 'hatools-lifekeeper' / 'lock'


def args(lock_dir, **extra):
    out = {'lock_dir': str(lock_dir), 'lkroot': '/nonexistent/LifeKeeper'}
    out.update(extra)
    return out


def test_take_creates_a_private_lock_without_lifekeeper(lock_dir, run, fake_cli):
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER), diff=True)
    assert not failed, result
    assert result['changed'] is True and result['action'] == 'taken'
    assert result['path'] == str(lock_dir / 'cluster.lock')
    assert result['holder']['run_id'] == 'run-1' and result['holder']['owner'] == OWNER
    assert result['age_s'] == 0.0
    assert result['diff'] == {'before': {'run_id': None}, 'after': {'run_id': 'run-1'}}
    assert mode(lock_dir) == 0o700 and mode(lock_dir / 'cluster.lock') == 0o600
    with open(str(lock_dir / 'cluster.lock')) as handle:
        assert json.load(handle)['owner'] == OWNER
    assert fake_cli.calls == []            # no command at all: LifeKeeper is not needed


def test_resume_with_the_same_run_id_is_unchanged(lock_dir, run, fake_cli):
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER, token='tok-1'))
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-1', owner={'pid': 1}, token='tok-1'))
    assert not failed and result['changed'] is False and result['action'] == 'resumed'
    assert result['holder']['owner'] == OWNER and result['replaced'] is None


def test_the_same_run_id_from_another_controller_is_refused_also_in_check_mode(lock_dir, run, fake_cli):
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER, token='tok-job-1'))
    for check_mode in (True, False):
        failed, result = run(lk_lock.main, args(lock_dir, run_id='run-1', token='tok-job-2'), check_mode=check_mode)
        assert failed and 'this run id, but' in result['msg'] and '-e lk_break_lock=run-1' in result['msg']
    with open(str(lock_dir / 'cluster.lock')) as handle:
        assert json.load(handle)['token'] == 'tok-job-1'


def test_this_runs_lock_of_an_ended_process_on_this_controller_is_resumed(lock_dir, run, fake_cli):
    import multiprocessing
    proc = multiprocessing.get_context('fork').Process(target=os._exit, args=(0,))
    proc.start()
    proc.join(10)
    owner = {'controller': socket.gethostname(), 'pid': proc.pid}
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=owner, token='tok-dead'))
    failed, result = run(lk_lock.main, args(lock_dir, state='query'))
    assert not failed and result['process'] == 'dead' and result['host'] == socket.gethostname()
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-1', owner={'pid': os.getpid()}, token='tok-new'),
                         diff=True)
    assert not failed and (result['action'], result['changed']) == ('resumed', True)
    assert result['replaced']['token'] == 'tok-dead' and result['holder']['token'] == 'tok-new'
    assert result['diff'] == {'before': {'run_id': 'run-1'}, 'after': {'run_id': 'run-1'}}


def test_another_run_is_refused_naming_the_holder(lock_dir, run, fake_cli):
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER))
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-2', owner={'user': 'me'}))
    assert failed and result['changed'] is False
    assert 'held by run run-1 (controller ctl1, user ops, pid 4242, cluster prod-a), taken' in result['msg']
    assert 's ago' in result['msg'] and 'break_lock=run-1' in result['msg']
    assert result['holder']['run_id'] == 'run-1' and isinstance(result['age_s'], float)


def test_check_mode_predicts_the_refusal_and_the_take(lock_dir, run, fake_cli):
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-1'), check_mode=True)
    assert not failed and result['changed'] is True and not lock_dir.exists()
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER))
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-2'), check_mode=True)
    assert failed and 'held by run run-1' in result['msg']


def test_break_lock_names_the_run_and_replaces_it_with_a_warning(lock_dir, run, fake_cli, warnings):
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER))
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-2', break_lock=True))
    assert failed and 'break_lock=true no longer breaks' in result['msg'] and 'break_lock=run-1' in result['msg']
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-2', owner={'user': 'me'}, break_lock='run-1'),
                         diff=True)
    assert not failed, result
    assert result['changed'] is True and result['action'] == 'broken'
    assert result['broken']['run_id'] == 'run-1'
    assert result['diff'] == {'before': {'run_id': 'run-1'}, 'after': {'run_id': 'run-2'}}
    assert any('broke the lock' in w and 'run run-1 (controller ctl1, user ops' in w for w in warnings)


def test_break_is_a_compare_and_swap_with_the_fingerprint_pre_flight_saw(lock_dir, run, fake_cli):
    run(lk_lock.main, args(lock_dir, run_id='stale', owner=OWNER, token='t-stale'))
    failed, seen = run(lk_lock.main, args(lock_dir, state='query'))
    assert not failed and len(seen['fingerprint']) == 64
    # a live run broke it and took it after this run's pre-flight
    run(lk_lock.main, args(lock_dir, run_id='live', token='t-live', break_lock='stale'))
    failed, result = run(lk_lock.main, args(lock_dir, run_id='mine', token='t-mine', break_lock='stale,live',
                                            expected_fingerprint=seen['fingerprint']))
    assert failed and 'changed since pre-flight read it (now: run live' in result['msg']
    failed, result = run(lk_lock.main, args(lock_dir, run_id='mine', token='t-mine', break_lock='live',
                                            expected_fingerprint='none'))
    assert failed and 'changed since pre-flight' in result['msg']
    failed, now = run(lk_lock.main, args(lock_dir, state='query'))
    assert now['holder']['run_id'] == 'live'
    failed, result = run(lk_lock.main, args(lock_dir, run_id='mine', token='t-mine', break_lock='live',
                                            expected_fingerprint=now['fingerprint']))
    assert not failed and result['action'] == 'broken'


def test_resume_token_takes_over_the_node_lock_of_the_ended_process(lock_dir, run, fake_cli):
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER, token='tok-dead'))
    failed, result = run(lk_lock.main, args(lock_dir, run_id='run-1', token='tok-new', resume_token='tok-dead'))
    assert not failed and result['action'] == 'resumed' and result['replaced']['token'] == 'tok-dead'


def test_a_fifo_lock_is_refused_naming_it(lock_dir, run, fake_cli):
    lock_dir.mkdir(parents=True, mode=0o700)
    os.mkfifo(str(lock_dir / 'cluster.lock'), 0o600)
    for extra in ({'state': 'query'}, {'run_id': 'run-1'}, {'run_id': 'run-1', 'break_lock': 'unreadable'}):
        failed, result = run(lk_lock.main, args(lock_dir, **extra))
        assert failed and '%s is a FIFO' % (lock_dir / 'cluster.lock') in result['msg'], result


def test_absent_removes_only_this_runs_lock(lock_dir, run, fake_cli, warnings):
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER))
    failed, result = run(lk_lock.main, args(lock_dir, state='absent', run_id='run-2'))
    assert not failed and result['changed'] is False and result['released'] is False
    assert result['holder']['run_id'] == 'run-1'
    assert (lock_dir / 'cluster.lock').exists()
    assert any('not this run' in w and 'left in place' in w for w in warnings)
    failed, result = run(lk_lock.main, args(lock_dir, state='absent', run_id='run-1'), check_mode=True)
    assert not failed and result['changed'] is True and (lock_dir / 'cluster.lock').exists()
    failed, result = run(lk_lock.main, args(lock_dir, state='absent', run_id='run-1'))
    assert not failed and result['changed'] is True and result['released'] is True
    assert not (lock_dir / 'cluster.lock').exists()
    failed, result = run(lk_lock.main, args(lock_dir, state='absent', run_id='run-1'))
    assert not failed and result['changed'] is False


def test_absent_with_break_lock_removes_another_runs_lock(lock_dir, run, fake_cli, warnings):
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER))
    failed, result = run(lk_lock.main, args(lock_dir, state='absent', run_id='run-2', break_lock=True))
    assert failed and 'break_lock=run-1' in result['msg'] and (lock_dir / 'cluster.lock').exists()
    failed, result = run(lk_lock.main, args(lock_dir, state='absent', run_id='run-2', break_lock='run-1'))
    assert not failed and result['released'] is True and not (lock_dir / 'cluster.lock').exists()
    assert any('removed the lock' in w and 'run run-1' in w for w in warnings)


def test_query_reads_and_never_creates(lock_dir, run, fake_cli):
    failed, result = run(lk_lock.main, args(lock_dir, state='query'))
    assert not failed and result == dict(result, changed=False, holder=None, age_s=None)
    assert not lock_dir.exists()
    run(lk_lock.main, args(lock_dir, run_id='run-1', owner=OWNER, name='prod-a'))
    failed, result = run(lk_lock.main, args(lock_dir, state='query', name='prod-a'))
    assert not failed and result['changed'] is False and result['holder']['run_id'] == 'run-1'
    assert result['path'] == str(lock_dir / 'prod-a.lock')


@pytest.mark.parametrize('extra,says', [
    ({'run_id': 'a b'}, "run_id must match ^[A-Za-z0-9._-]+\\Z (letters, digits, \".\", \"_\", \"-\"), not 'a b'"),
    ({'run_id': 'run-1', 'name': '../x'}, "name must match"),
    ({'state': 'absent'}, 'run_id'),
    ({}, 'run_id'),
    ({'run_id': 'run-1', 'break_lock': '../x'}, "break_lock (the run id whose lock to break) must match"),
    ({'run_id': 'run-1', 'expected_fingerprint': 'abc'}, "expected_fingerprint must be the sha256"),
])
def test_bad_input_is_refused(lock_dir, run, fake_cli, extra, says):
    failed, result = run(lk_lock.main, args(lock_dir, **extra))
    assert failed and says in result['msg']
    assert not lock_dir.exists()


def test_lock_dir_under_a_file_is_named(tmp_path, run, fake_cli):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    failed, result = run(lk_lock.main, args(blocker / 'lock', run_id='run-1'))
    assert failed and str(blocker) in result['msg'] and 'not a directory' in result['msg']


@pytest.mark.parametrize('dir_mode', [0o777, 0o755])
def test_a_lock_dir_others_can_enter_is_refused_in_check_mode_too(tmp_path, run, fake_cli, dir_mode):
    shared = tmp_path / 'shared'
    shared.mkdir()
    os.chmod(str(shared), dir_mode)
    for check_mode in (True, False):
        failed, result = run(lk_lock.main, args(shared, run_id='run-1'), check_mode=check_mode)
        assert failed and '%s is a directory of mode %04o' % (shared, dir_mode) in result['msg']
        assert 'expected a directory of mode 0700' in result['msg'] and os.listdir(str(shared)) == []
