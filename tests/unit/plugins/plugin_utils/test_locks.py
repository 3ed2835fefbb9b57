# -*- coding: utf-8 -*-
"""One run per cluster: the refusal from the lock queries (names the holder and how to break it)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import locks

CLUSTERS = [{'name': 'erp', 'hosts': ['e1', 'e2']}, {'name': 'crm', 'hosts': ['c1', 'c2']}]
HOLDER = {'run_id': 'R1', 'owner': {'controller': 'ctl1', 'user': 'ops', 'pid': 4242, 'cluster': 'erp'},
          'token': 'tok-r1', 'time': 100.0, 'created': '2026-11-22T02:30:00.000Z'}
FP = 'a' * 64


def query(host, holder=None, age=12.5):
    return {'__lk_lock_host': host, 'changed': False, 'path': '/var/lib/hatools-lifekeeper/lock/cluster-x.lock',
            'holder': holder, 'age_s': age if holder else None, 'fingerprint': FP if holder else None,
            'process': 'unknown' if holder else None, 'host': host}


def controller(cluster, holder=None, process='unknown', host='ctl1'):
    return {'__lk_lock_cluster': {'name': cluster, 'hosts': []}, 'path': '/a/locks/cluster-%s.lock' % cluster,
            'holder': holder, 'age_s': 3.0 if holder else None, 'fingerprint': 'c' * 64 if holder else None,
            'process': process if holder else None, 'host': host}


def nodes(**holders):
    return [query(h, holders.get(h)) for h in ('e1', 'e2', 'c1', 'c2')]


@pytest.mark.parametrize('cluster, name', [('lifekeeper', 'cluster-lifekeeper'), ('prod a/b', 'cluster-prod_a_b'),
                                           (None, 'cluster-lifekeeper')])
def test_lock_name(cluster, name):
    assert locks.lock_name(cluster) == name


def test_no_lock_no_problem():
    assert locks.lock_problems(nodes(), [controller('erp'), controller('crm')], CLUSTERS, 'R2') == {'erp': [], 'crm': []}


def test_another_run_is_named_with_everything_a_person_needs():
    problems = locks.lock_problems(nodes(e1=HOLDER, e2=HOLDER), [controller('erp', HOLDER), controller('crm')],
                                   CLUSTERS, 'R2')
    assert problems['crm'] == []
    assert len(problems['erp']) == 1
    text = problems['erp'][0]
    for part in ('cluster erp is locked by run R1', 'controller ctl1', 'user ops', 'pid 4242', 'taken 12.5 s ago',
                 'on e1, e2, the controller', '-e lk_break_lock=R1'):
        assert part in text, (part, text)


def test_own_run_takes_its_lock_back_when_its_process_ended_on_this_controller():
    problems = locks.lock_problems(nodes(e1=HOLDER, e2=HOLDER), [controller('erp', HOLDER, 'dead')], CLUSTERS, 'R1')
    assert problems['erp'] == []


def test_own_run_from_another_controller_is_refused_naming_the_variable():
    problems = locks.lock_problems(nodes(e1=HOLDER), [controller('erp', HOLDER, 'unknown', host='awx-job-2')],
                                   CLUSTERS, 'R1')['erp']
    assert len(problems) == 2, problems
    assert 'this run id, but it was taken from controller ctl1, not from this one (awx-job-2)' in problems[1]
    assert 'AWX relaunch' in problems[1] and '-e lk_break_lock=R1' in problems[1]
    assert 'on e1 - this run id' in problems[0] and 'controller lock is missing' in problems[0]
    assert locks.lock_problems(nodes(e1=HOLDER), [controller('erp', HOLDER, 'unknown', host='awx-job-2')],
                               CLUSTERS, 'R1', 'R1')['erp'] == []


def test_own_run_still_running_is_refused():
    problems = locks.lock_problems(nodes(), [controller('erp', HOLDER, 'alive')], CLUSTERS, 'R1')['erp']
    assert len(problems) == 1 and 'its process (pid 4242) still runs on this controller' in problems[0]


def test_a_node_lock_of_another_process_of_this_run_is_refused():
    other = dict(HOLDER, token='tok-other-process')
    problems = locks.lock_problems(nodes(e1=other, e2=HOLDER), [controller('erp', HOLDER, 'dead')], CLUSTERS, 'R1')
    assert len(problems['erp']) == 1 and 'on e1 - this run id' in problems['erp'][0]
    # no controller lock: nobody saw the process end
    assert len(locks.lock_problems(nodes(e1=HOLDER), [controller('erp')], CLUSTERS, 'R1')['erp']) == 1


def test_a_lock_on_one_node_only_is_enough_to_refuse():
    problems = locks.lock_problems(nodes(c2=HOLDER), [], CLUSTERS, 'R2')
    assert problems['erp'] == [] and 'on c2;' in problems['crm'][0]


def test_break_lock_names_the_run_and_says_what_it_breaks():
    queries = nodes(e1=HOLDER)
    for value in ('R1', 'R9,R1', ['R1']):
        assert locks.lock_problems(queries, [controller('erp', HOLDER)], CLUSTERS, 'R2', value) == {'erp': [], 'crm': []}
    assert len(locks.lock_problems(queries, [controller('erp', HOLDER)], CLUSTERS, 'R2', 'R9')['erp']) == 1
    breaks = locks.lock_breaks(queries, [controller('erp', HOLDER)], CLUSTERS, 'R2', 'R1')
    assert breaks == ['cluster erp, e1: the lock of run R1 (controller ctl1, user ops, pid 4242, cluster erp), taken '
                      '12.5 s ago (2026-11-22T02:30:00.000Z) will be broken',
                      'cluster erp, the controller: the lock of run R1 (controller ctl1, user ops, pid 4242, cluster '
                      'erp), taken 3.0 s ago (2026-11-22T02:30:00.000Z) will be broken']
    assert locks.lock_breaks(queries, [controller('erp', HOLDER)], CLUSTERS, 'R2', 'R9') == []
    assert len(locks.lock_breaks(queries, [controller('erp', HOLDER)], CLUSTERS, 'R2')) == 2   # without break_lock: every other run


@pytest.mark.parametrize('value', [True, 'true', 'yes'])
def test_break_lock_true_names_no_run_and_refuses_saying_which_to_give(value):
    problems = locks.lock_problems(nodes(e1=HOLDER), [], CLUSTERS, 'R2', value)['erp']
    assert len(problems) == 1 and '-e lk_break_lock=R1' in problems[0] and 'names no run' in problems[0]
    assert locks.lock_breaks(nodes(e1=HOLDER), [], CLUSTERS, 'R2', value) == []
    assert locks.lock_problems(nodes(), [], CLUSTERS, 'R2', value) == {'erp': [], 'crm': []}


@pytest.mark.parametrize('value', ['a b', '../x', {'x': 1}])
def test_a_bad_break_lock_is_named(value):
    with pytest.raises(ValueError, match='lk_break_lock'):
        locks.lock_problems(nodes(), [], CLUSTERS, 'R2', value)


def test_lock_seen_gives_the_fingerprints_pre_flight_read():
    queries = nodes(e1=HOLDER)
    queries[3] = {'__lk_lock_host': 'c2', 'unreachable': True, 'msg': 'gone'}
    seen = locks.lock_seen(queries, [controller('erp', HOLDER), controller('crm')], 'erp')
    assert seen == {'controller': 'c' * 64, 'nodes': {'e1': FP, 'e2': 'none', 'c1': 'none'}}
    assert locks.lock_seen(queries, [controller('erp', HOLDER), controller('crm')], 'crm')['controller'] == 'none'
    assert locks.lock_seen([], [], 'erp') == {'controller': None, 'nodes': {}}


def test_an_unreadable_lock_refuses_even_with_break_lock():
    queries = nodes()
    queries[0] = {'__lk_lock_host': 'e1', 'unreachable': True, 'msg': 'ssh: no route'}
    queries[1] = {'__lk_lock_host': 'e2', 'msg': 'lock_dir /x belongs to uid 7', 'failed_when_result': False}
    for break_lock in (False, 'R1'):
        problems = locks.lock_problems(queries, [], CLUSTERS, 'R2', break_lock)
        assert problems['erp'] == ['e1: the lock could not be read (unreachable: ssh: no route)',
                                   'e2: the lock could not be read (lk_lock failed: lock_dir /x belongs to uid 7)']


def test_an_unreadable_lock_file_is_another_runs():
    broken = {'run_id': None, 'owner': {}, 'error': 'unreadable content (no run_id in it)'}
    problems = locks.lock_problems(nodes(e2=broken), [], CLUSTERS, 'R2')['erp']
    assert len(problems) == 1 and 'an unreadable lock (unreadable content' in problems[0] and 'on e2' in problems[0]


def host_info(host, lock):
    """An lk_host_info result of pre-flight (its option lock) for host."""
    return {'__lk_lock_host': host, 'changed': False, 'selinux': {'mode': 'disabled'}, 'lock': lock, 'records': []}


def test_host_info_reads_of_the_locks_refuse_and_fingerprint_as_lk_lock_queries_do():
    reads = []
    for one in nodes(e1=HOLDER):
        lock = dict((key, value) for key, value in one.items() if key not in ('__lk_lock_host', 'changed'))
        reads.append(host_info(one['__lk_lock_host'], dict(lock, error=None)))
    reads[2] = host_info('c1', {'path': '/var/lib/hatools-lifekeeper/lock/cluster-crm.lock',
                                'error': 'lock_dir /x has mode 0777'})
    reads[3] = {'__lk_lock_host': 'c2', 'unreachable': True, 'msg': 'gone'}
    controllers = [controller('erp'), controller('crm')]
    assert locks.lock_problems(reads, controllers, CLUSTERS, 'R2') == locks.lock_problems(
        nodes(e1=HOLDER)[:2] + reads[2:], controllers, CLUSTERS, 'R2')
    problems = locks.lock_problems(reads, controllers, CLUSTERS, 'R2')
    assert 'cluster erp is locked by run R1' in problems['erp'][0]
    assert problems['crm'] == ['c1: the lock could not be read (lk_lock failed: lock_dir /x has mode 0777)',
                               'c2: the lock could not be read (unreachable: gone)']
    assert locks.lock_seen(reads, controllers, 'erp')['nodes'] == {'e1': FP, 'e2': 'none'}
    # a read that failed as a whole (no lock in it) could not read the lock either
    failed = {'__lk_lock_host': 'e2', 'msg': 'lk_host_info: internal error'}
    assert locks.lock_problems([failed], [], CLUSTERS, 'R2')['erp'] == [
        'e2: the lock could not be read (lk_lock failed: lk_host_info: internal error)']
