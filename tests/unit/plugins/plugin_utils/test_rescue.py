# -*- coding: utf-8 -*-
"""What a rescue may bring back (never a second copy), when the lock is kept, which clusters
were interrupted."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import rescue

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import node, res, unknown


def three():
    """web in service on a (standby b, priority b first), db on c (standby b); c has no web."""
    return {
        'a': node('a', '9.9.0', [res('web', 'ISP', 10)]),
        'b': node('b', '9.9.0', [res('web', 'OSU', 1), res('db', 'OSU', 10)]),
        'c': node('c', '9.9.0', [res('db', 'ISP', 1)]),
    }


def test_configured_lists_every_instance_whatever_its_state():
    statuses = three()
    statuses['d'] = unknown()
    assert rescue.configured_hierarchies(statuses) == {'a': ['web'], 'b': ['db', 'web'], 'c': ['db']}


def test_nothing_in_service_nowhere_nothing_to_do():
    assert rescue.bring_back(three(), ['web', 'db'], {'web': 'a', 'db': 'c'}) == {'moves': [], 'held_back': [],
                                                                                  'nowhere': []}


def test_brought_back_on_the_recorded_node_before_the_better_priority():
    statuses = three()
    statuses['a']['resources'][0]['state'] = 'OSU'          # web removed on a: in service nowhere
    plan = rescue.bring_back(statuses, ['web', 'db'], {'web': 'a', 'db': 'c'}, rescue.configured_hierarchies(three()))
    assert plan['moves'] == [{'tag': 'web', 'to': 'a'}]
    assert plan['held_back'] == [] and plan['nowhere'] == ['web']
    # the recorded node gone (not running, and it has no web per the pre-flight read... it has): held back
    statuses['a']['running'] = False
    statuses['a']['resources'] = []
    plan = rescue.bring_back(statuses, ['web'], {'web': 'a'}, rescue.configured_hierarchies(three()))
    assert plan['moves'] == [] and len(plan['held_back']) == 1
    assert plan['held_back'][0].startswith('web was not brought back: it may be in service on a (LifeKeeper is not '
                                           'running there')


def test_a_node_not_read_holds_back_what_it_may_hold_only():
    statuses = three()
    statuses['a']['resources'][0]['state'] = 'OSU'           # web in service nowhere
    statuses['c'] = unknown('unreachable: container paused')  # db not seen anywhere either
    configured = rescue.configured_hierarchies(three())
    plan = rescue.bring_back(statuses, ['web', 'db'], {'web': 'a', 'db': 'c'}, configured)
    # web: c has no instance of it, so it cannot be in service there: brought back on a
    assert plan['moves'] == [{'tag': 'web', 'to': 'a'}]
    # db: c may hold it: never a second copy
    assert plan['held_back'] == ['db was not brought back: it may be in service on c (could not be read: '
                                 'unreachable: container paused)']
    assert plan['nowhere'] == ['db', 'web']
    # without the pre-flight reads, a node not read may hold anything
    plan = rescue.bring_back(statuses, ['web', 'db'], {'web': 'a', 'db': 'c'})
    assert plan['moves'] == [] and len(plan['held_back']) == 2


def test_a_hierarchy_no_running_node_has_is_named():
    statuses = three()
    statuses['c']['resources'][0]['state'] = 'OSU'
    statuses['b']['resources'] = [res('web', 'OSU', 1)]       # b lost its db instance
    plan = rescue.bring_back(statuses, ['db'], {'db': 'c'}, rescue.configured_hierarchies(three()))
    assert plan['moves'] == [{'tag': 'db', 'to': 'c'}]
    statuses['c']['resources'] = []
    plan = rescue.bring_back(statuses, ['db'], {'db': 'c'}, {'a': ['web'], 'b': ['web'], 'c': []})
    assert plan['held_back'] == ['db was not brought back: no node that was read runs LifeKeeper and has it']


def test_left_part_way():
    statuses = three()
    assert rescue.left_part_way(statuses) == {}
    statuses['a'] = dict(statuses['a'], installed=False, running=False)
    statuses['b'] = dict(statuses['b'], running=False)
    statuses['c'] = unknown('unreachable: gone')
    assert rescue.left_part_way(statuses) == {'a': 'LifeKeeper is not installed', 'b': 'LifeKeeper is not running',
                                              'c': 'not read: unreachable: gone'}


def test_lock_note():
    assert rescue.lock_note({}, 'R1') is None
    assert rescue.lock_note({}, 'R1', ['n2: unreachable: x']) == \
        'The cluster lock could not be released everywhere: n2: unreachable: x.'
    text = rescue.lock_note({'n2': 'LifeKeeper is not installed'}, 'R1')
    assert text == ('The cluster lock of run R1 was kept because this node is left part-way (n2: LifeKeeper is '
                    'not installed): a rerun with -e lk_run_id=R1 from this controller takes it back (from another '
                    'controller or an AWX relaunch, add -e lk_break_lock=R1); another run is refused until then '
                    '(or -e lk_break_lock=R1).')


def test_interrupted_leaders():
    hostvars = {'l1': {'__lk_plan': {'x': 1}, '__lk_cluster_result': {'report': {}}},
                'l2': {'__lk_plan': {'x': 1}},
                'l3': {}}
    assert rescue.interrupted_leaders(['l1', 'l2', 'l3', 'l4'], hostvars) == ['l2']
