# -*- coding: utf-8 -*-
"""One run per cluster: the refusal from the lock queries (names the holder and how to break it)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import locks

CLUSTERS = [{'name': 'erp', 'hosts': ['e1', 'e2']}, {'name': 'crm', 'hosts': ['c1', 'c2']}]
HOLDER = {'run_id': 'R1', 'owner': {'controller': 'ctl1', 'user': 'ops', 'pid': 4242, 'cluster': 'erp'},
          'time': 100.0, 'created': '2026-11-22T02:30:00.000Z'}


def query(host, holder=None, age=12.5):
    return {'__lk_lock_host': host, 'changed': False, 'path': '/var/lib/hatools-lifekeeper/lock/cluster-x.lock',
            'holder': holder, 'age_s': age if holder else None}


def controller(cluster, holder=None):
    return {'__lk_lock_cluster': {'name': cluster, 'hosts': []}, 'path': '/a/locks/cluster-%s.lock' % cluster,
            'holder': holder, 'age_s': 3.0 if holder else None}


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
                 'on e1, e2, the controller', '-e lk_break_lock=true'):
        assert part in text, (part, text)


def test_own_run_takes_its_lock_back():
    assert locks.lock_problems(nodes(e1=HOLDER, e2=HOLDER), [controller('erp', HOLDER)], CLUSTERS, 'R1')['erp'] == []


def test_a_lock_on_one_node_only_is_enough_to_refuse():
    problems = locks.lock_problems(nodes(c2=HOLDER), [], CLUSTERS, 'R2')
    assert problems['erp'] == [] and 'on c2;' in problems['crm'][0]


def test_break_lock_refuses_nothing_readable_and_says_what_it_breaks():
    queries = nodes(e1=HOLDER)
    assert locks.lock_problems(queries, [controller('erp', HOLDER)], CLUSTERS, 'R2', True) == {'erp': [], 'crm': []}
    breaks = locks.lock_breaks(queries, [controller('erp', HOLDER)], CLUSTERS, 'R2')
    assert breaks == ['cluster erp, e1: the lock of run R1 (controller ctl1, user ops, pid 4242, cluster erp), taken '
                      '12.5 s ago (2026-11-22T02:30:00.000Z) will be broken',
                      'cluster erp, the controller: the lock of run R1 (controller ctl1, user ops, pid 4242, cluster '
                      'erp), taken 3.0 s ago (2026-11-22T02:30:00.000Z) will be broken']


def test_an_unreadable_lock_refuses_even_with_break_lock():
    queries = nodes()
    queries[0] = {'__lk_lock_host': 'e1', 'unreachable': True, 'msg': 'ssh: no route'}
    queries[1] = {'__lk_lock_host': 'e2', 'msg': 'lock_dir /x belongs to uid 7', 'failed_when_result': False}
    for break_lock in (False, True):
        problems = locks.lock_problems(queries, [], CLUSTERS, 'R2', break_lock)
        assert problems['erp'] == ['e1: the lock could not be read (unreachable: ssh: no route)',
                                   'e2: the lock could not be read (lk_lock failed: lock_dir /x belongs to uid 7)']


def test_an_unreadable_lock_file_is_another_runs():
    broken = {'run_id': None, 'owner': {}, 'error': 'unreadable content (no run_id in it)'}
    problems = locks.lock_problems(nodes(e2=broken), [], CLUSTERS, 'R2')['erp']
    assert len(problems) == 1 and 'an unreadable lock (unreadable content' in problems[0] and 'on e2' in problems[0]
