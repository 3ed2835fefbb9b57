# -*- coding: utf-8 -*-
"""Fleet mode: refusals per cluster, the batches of stage 2, the canary's verdict."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import fleet

CLUSTERS = [{'name': 'erp', 'hosts': ['e1', 'e2'], 'leader': 'e1'},
            {'name': 'crm', 'hosts': ['c1', 'c2', 'c3'], 'leader': 'c1'},
            {'name': 'hr', 'hosts': ['h1', 'h2'], 'leader': 'h1'}]
PLANS = {'erp': {'problems': []}, 'crm': {'problems': []}, 'hr': {'problems': []}}


@pytest.mark.parametrize('value, expected', [(None, None), ('', None), ('all', None), (' ALL ', None), (1, 1), ('3', 3),
                                             (' 12 ', 12), (2.0, 2)])
def test_parallel_value(value, expected):
    assert fleet.parallel_value(value) == expected


@pytest.mark.parametrize('value', [0, '0', -1, 'two', '1.5', 1.5, True, [], {}])
def test_parallel_value_refuses_by_name(value):
    with pytest.raises(ValueError, match=r"lk_fleet_parallel is .*: expected 'all' or a whole number of clusters of at least 1"):
        fleet.parallel_value(value)


@pytest.mark.parametrize('value, expected', [(None, 0), ('', 0), (0, 0), ('0', 0), ('2', 2), (5, 5)])
def test_canary_value(value, expected):
    assert fleet.canary_value(value) == expected


@pytest.mark.parametrize('value', [-1, 'first', False, '1e2'])
def test_canary_value_refuses_by_name(value):
    with pytest.raises(ValueError, match=r'lk_fleet_canary is .*: expected a whole number of clusters \(0: no canary\)'):
        fleet.canary_value(value)


def test_all_clusters_at_once_by_default():
    out = fleet.batches(['a', 'b', 'c'])
    assert out['hosts'] == ['a', 'b', 'c', '__lk_fleet_keeper_1'] and out['serial'] == [4]
    assert out['batches'] == [['a', 'b', 'c']] and out['canary'] == [] and out['after'] == {'a': [], 'b': [], 'c': []}


def test_parallel_caps_every_batch_and_each_batch_has_a_keeper():
    out = fleet.batches(['a', 'b', 'c', 'd', 'e'], '2')
    assert out['batches'] == [['a', 'b'], ['c', 'd'], ['e']]
    assert out['serial'] == [3, 3, 2]
    assert out['hosts'] == ['a', 'b', '__lk_fleet_keeper_1', 'c', 'd', '__lk_fleet_keeper_2', 'e', '__lk_fleet_keeper_3']
    assert out['keepers'] == ['__lk_fleet_keeper_1', '__lk_fleet_keeper_2', '__lk_fleet_keeper_3']
    # slicing the hosts by serial gives each batch with exactly one keeper
    start = 0
    for size, batch in zip(out['serial'], out['batches']):
        assert out['hosts'][start:start + size] == batch + [out['keepers'][out['batches'].index(batch)]]
        start += size
    assert all(v == [] for v in out['after'].values())


def test_canary_goes_first_and_the_others_wait_for_it():
    out = fleet.batches(['a', 'b', 'c', 'd', 'e'], None, 1)
    assert out['batches'] == [['a'], ['b', 'c', 'd', 'e']] and out['serial'] == [2, 5]
    assert out['canary'] == ['a'] and out['after'] == {'a': [], 'b': ['a'], 'c': ['a'], 'd': ['a'], 'e': ['a']}


def test_canary_larger_than_parallel_is_split_and_still_goes_first():
    out = fleet.batches(['a', 'b', 'c', 'd', 'e'], 2, '3')
    assert out['batches'] == [['a', 'b'], ['c'], ['d', 'e']]
    assert out['after'] == {'a': [], 'b': [], 'c': ['a', 'b'], 'd': ['a', 'b', 'c'], 'e': ['a', 'b', 'c']}
    assert fleet.batches(['a'], 4, 9)['batches'] == [['a']]


def test_no_cluster_no_batch():
    assert fleet.batches([], 'all', 0) == {'hosts': [], 'keepers': [], 'serial': [0], 'batches': [], 'canary': [],
                                           'after': {}}


def test_batches_refuse_bad_values():
    with pytest.raises(ValueError, match="lk_fleet_parallel is 'many'"):
        fleet.batches(['a'], 'many')
    with pytest.raises(ValueError, match="lk_fleet_canary is -2"):
        fleet.batches(['a'], 1, -2)


def test_every_cluster_accepted():
    out = fleet.refusals(CLUSTERS, PLANS, {}, {}, ['e1', 'e2', 'c1', 'c2', 'c3', 'h1', 'h2'], [])
    assert out['accepted'] == ['erp', 'crm', 'hr'] and out['refused'] == {}
    assert out['lines'] == ['cluster erp: accepted (leader e1)', 'cluster crm: accepted (leader c1)',
                            'cluster hr: accepted (leader h1)']


def test_refusals_are_per_cluster_and_name_every_problem():
    plans = dict(PLANS, hr={'problems': ['h2: comm path to h1 is DEAD']})
    out = fleet.refusals(CLUSTERS, plans, {'crm': ['cluster crm is locked by run r0']},
                         {'e1': '', 'c2': "failed at 'Check the media': no such file"},
                         ['e1', 'e2', 'c1', 'c2', 'c3', 'h1'],
                         ['h1: run r0 stopped while reinstalling LifeKeeper here'])
    assert out['accepted'] == ['erp']
    assert out['refused'] == {
        'crm': ['cluster crm is locked by run r0', "c2: failed at 'Check the media': no such file"],
        'hr': ['h1: run r0 stopped while reinstalling LifeKeeper here', 'h2: failed or could not be reached in pre-flight',
               'h2: comm path to h1 is DEAD']}
    assert out['lines'][1].startswith('cluster crm: REFUSED, nothing will be changed on it: cluster crm is locked')


def test_a_problem_of_no_known_host_refuses_every_cluster():
    out = fleet.refusals(CLUSTERS, PLANS, None, None, None, ['somewhere: something odd'])
    assert out['accepted'] == [] and list(out['refused']) == ['erp', 'crm', 'hr']


def test_the_same_problem_is_named_once():
    plans = dict(PLANS, erp={'problems': ['e2: not read']})
    out = fleet.refusals(CLUSTERS, plans, {'erp': ['e2: not read']}, None, None, None)
    assert out['refused'] == {'erp': ['e2: not read']}


def test_stop_reason():
    ok = {'cluster': 'erp', 'report': {'result': 'success'}}
    bad = {'cluster': 'crm', 'report': {'result': 'failed'}}
    assert fleet.stop_reason([], {}) == ''
    assert fleet.stop_reason(['e1'], {'e1': ok}) == ''
    assert fleet.stop_reason(['e1', 'c1'], {'e1': ok, 'c1': bad}) == (
        'not started: the canary cluster(s) crm (failed) did not succeed (lk_fleet_canary), so the run stopped '
        'before the other clusters')
    assert 'e1 (its flow was interrupted)' in fleet.stop_reason(['e1'], {'e1': None})
