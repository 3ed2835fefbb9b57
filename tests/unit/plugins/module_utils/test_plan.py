# -*- coding: utf-8 -*-
"""The rolling-update plan from lk_status results."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import plan


def res(tag, state, prio=1, depth=0):
    return {'tag': tag, 'id': tag, 'state': state, 'priority': prio, 'primary': 'x',
            'depth': depth, 'parent': None, 'children': []}


def node(name, version, resources, paths=('ALIVE',), running=True):
    return {'installed': True, 'running': running, 'version': version, 'node_name': name,
            'resources': resources,
            'comm_paths': [{'machine': 'peer', 'network': 'TCP', 'addresses': 'a/b',
                            'state': state, 'priority': 1} for state in paths]}


def two_nodes(version='9.7.0'):
    return {
        'n1': node('node1', version, [res('app', 'ISP', 1), res('ip', 'ISP', 1, 1)]),
        'n2': node('node2', version, [res('app', 'OSU', 10), res('ip', 'OSU', 10, 1)]),
    }


def test_two_nodes_standby_first_and_placement_restored():
    result = plan.build(two_nodes(), '9.9.0', order=['n1', 'n2'])
    assert result['ok'], result['problems']
    assert result['order'] == ['n2', 'n1']
    assert [n['action'] for n in result['nodes']] == ['update', 'update']
    assert result['nodes'][0]['moves'] == []
    assert result['nodes'][1]['moves'] == [{'tag': 'app', 'from': 'n1', 'to': 'n2',
                                            'from_node': 'node1', 'to_node': 'node2'}]
    assert result['restore_moves'] == [{'tag': 'app', 'from': 'n2', 'to': 'n1'}]
    assert result['expected_switchovers'] == 2
    assert result['placement_before'] == {'app': 'n1'}


def test_no_restore_placement_halves_switchovers():
    result = plan.build(two_nodes(), '9.9.0', restore_placement=False)
    assert result['expected_switchovers'] == 1
    assert result['restore_moves'] == []


def test_three_nodes_moves_prefer_updated_nodes():
    statuses = {
        'a': node('a', '9.7.0', [res('web', 'ISP', 1), res('db', 'OSU', 20)]),
        'b': node('b', '9.7.0', [res('web', 'OSU', 10), res('db', 'ISP', 1)]),
        'c': node('c', '9.7.0', [res('web', 'OSU', 5), res('db', 'OSU', 5)]),
    }
    result = plan.build(statuses, '9.9.0', order=['a', 'b', 'c'])
    assert result['order'] == ['c', 'a', 'b']
    moves = dict((n['name'], n['moves']) for n in result['nodes'])
    # c is updated first, so both hierarchies go to c (already updated), not to each other
    assert [(m['tag'], m['to']) for m in moves['a']] == [('web', 'c')]
    assert [(m['tag'], m['to']) for m in moves['b']] == [('db', 'c')]
    assert result['expected_switchovers'] == 4


def test_node_at_target_is_skipped_and_goes_first():
    statuses = two_nodes()
    statuses['n2']['version'] = '9.9.0'
    result = plan.build(statuses, '9.9.0', order=['n1', 'n2'])
    assert result['order'] == ['n2', 'n1']
    assert result['nodes'][0]['action'] == 'skip'
    assert result['nodes'][1]['moves'][0]['to'] == 'n2'


@pytest.mark.parametrize('mutate, expected', [
    (lambda s: s['n1']['comm_paths'][0].update(state='DEAD'), 'communication path to peer (a/b) is DEAD'),
    (lambda s: s['n2']['resources'][1].update(state='OSF'), 'n2: resource ip is OSF'),
    (lambda s: s['n2']['resources'][0].update(state='OSF'), 'hierarchy app (in service on n1) has no standby'),
    (lambda s: s['n1']['resources'][0].update(state='OSU'), 'hierarchy app is in service on no node'),
    (lambda s: s['n2']['resources'][0].update(state='ISP'), 'in service on more than one node: n1, n2'),
    (lambda s: s['n2'].update(running=False), 'n2: LifeKeeper is not running'),
])
def test_unhealthy_cluster_is_refused(mutate, expected):
    statuses = two_nodes()
    mutate(statuses)
    result = plan.build(statuses, '9.9.0')
    assert not result['ok']
    assert any(expected in problem for problem in result['problems']), result['problems']


def test_reinstall_needs_permission_and_downgrade_is_refused():
    refused = plan.build(two_nodes('9.5.0'), '9.9.0')
    assert any('lk_allow_reinstall=true' in p and '9.5.0' in p for p in refused['problems'])
    allowed = plan.build(two_nodes('9.5.0'), '9.9.0', allow_reinstall=True)
    assert allowed['ok'] and [n['action'] for n in allowed['nodes']] == ['reinstall', 'reinstall']
    down = plan.build(two_nodes('9.9.0'), '9.8.0')
    assert any('downgrade from 9.9.0 to 9.8.0' in p for p in down['problems'])


def test_perl_warning_when_crossing_980():
    result = plan.build(two_nodes('9.7.0'), '9.9.0')
    assert any('Perl' in w for w in result['warnings'])
    assert not any('Perl' in w for w in plan.build(two_nodes('9.8.0'), '9.9.0')['warnings'])


def test_bad_target_names_the_value():
    with pytest.raises(ValueError, match="'9.x'"):
        plan.build(two_nodes(), '9.x')


def test_render_mentions_every_step():
    lines = plan.render(plan.build(two_nodes(), '9.9.0', order=['n1', 'n2']))
    text = '\n'.join(lines)
    assert '2 switchover(s) expected' in text
    assert 'switch app from n1 to n2' in text
    assert 'switch app back from n2 to n1' in text


def test_evacuation_prefers_updated_live_standby():
    statuses = {
        'a': node('a', '9.7.0', [res('web', 'ISP', 1)]),
        'b': node('b', '9.7.0', [res('web', 'OSU', 2)]),
        'c': node('c', '9.9.0', [res('web', 'OSU', 9)]),
    }
    moves, problems = plan.evacuation_moves('a', statuses, '9.9.0')
    assert problems == []
    assert moves == [{'tag': 'web', 'to': 'c', 'to_node': 'c'}]
    # without a target version, the best priority wins
    assert plan.evacuation_moves('a', statuses)[0][0]['to'] == 'b'


def test_evacuation_skips_dead_or_failed_peers():
    statuses = {
        'a': node('a', '9.7.0', [res('web', 'ISP', 1)]),
        'b': node('b', '9.7.0', [res('web', 'OSU', 2)], paths=('DEAD',)),
        'c': node('c', '9.7.0', [res('web', 'OSF', 3)]),
    }
    moves, problems = plan.evacuation_moves('a', statuses)
    assert moves == []
    assert problems == ['hierarchy web is in service on a and no live standby can take it']


def test_orphans_and_moves_back():
    statuses = two_nodes()
    statuses['n1']['resources'][0]['state'] = 'OSU'
    assert plan.orphans(statuses, ['app']) == ['app']
    statuses['n2']['resources'][0]['state'] = 'ISP'
    assert plan.orphans(statuses, ['app']) == []
    assert plan.placement(statuses) == {'app': 'n2'}
    assert plan.moves_back({'app': 'n1'}, statuses) == [{'tag': 'app', 'from': 'n2', 'to': 'n1'}]
    assert plan.moves_back({'app': 'n2'}, statuses) == []


def test_report_from_records():
    from ansible_collections.hatools.lifekeeper.plugins.module_utils import report
    the_plan = plan.build(two_nodes(), '9.9.0', order=['n1', 'n2'])
    loop_results = [{'lk_move': {'tag': 'app', 'from': 'n1', 'to': 'n2'}, 'changed': True,
                     'results': [{'tag': 'app', 'before': 'OSU', 'after': 'ISP', 'changed': True, 'duration_s': 2.5}]},
                    {'lk_move': {'tag': 'x', 'from': 'n1', 'to': 'n2'}, 'changed': False,
                     'results': [{'tag': 'x', 'before': 'ISP', 'after': 'ISP', 'changed': False, 'duration_s': 0}]}]
    switches = report.switch_records(loop_results, 'lk_move')
    assert switches == [{'tag': 'app', 'from': 'n1', 'to': 'n2', 'downtime_s': 2.5}]
    final = two_nodes('9.9.0')
    records = {'n2': {'started': 10, 'ended': 25.5, 'switchovers': []},
               'n1': {'started': 30, 'ended': 50, 'switchovers': switches}}
    rep = report.build('success', the_plan, records, {'app': 'n1'}, final)
    assert rep['result'] == 'success' and rep['hierarchies_lost'] == []
    assert rep['switchovers'] == 1 and rep['max_downtime_s'] == 2.5
    assert [(n['name'], n['action'], n['version_after'], n['duration_s']) for n in rep['nodes']] == [
        ('n2', 'updated', '9.9.0', 15.5), ('n1', 'updated', '9.9.0', 20.0)]
    final['n1']['resources'][0]['state'] = 'OSU'
    failed = report.build('failed', the_plan, {'n2': records['n2']}, {'app': 'n1'}, final, 'boom')
    assert failed['hierarchies_lost'] == ['app']
    assert failed['nodes'][1]['action'] == 'not done'
    assert 'FAILED' in '\n'.join(report.summary(failed))
