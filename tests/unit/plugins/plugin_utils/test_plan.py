# -*- coding: utf-8 -*-
"""The rolling-update plan, the one standby rule, and the moves of a run."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import plan

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import mesh, node, res, two_nodes, unknown


def test_two_nodes_standby_first_and_placement_restored():
    result = plan.build_plan(two_nodes(), '9.9.0', order=['n1', 'n2'], cluster='lifekeeper')
    assert result['ok'], result['problems']
    assert result['cluster'] == 'lifekeeper'
    assert result['order'] == ['n2', 'n1']
    assert [n['action'] for n in result['nodes']] == ['update', 'update']
    assert result['nodes'][0]['moves'] == []
    assert result['nodes'][1]['moves'] == [{'tag': 'app', 'from': 'n1', 'to': 'n2',
                                            'from_node': 'node1', 'to_node': 'node2'}]
    assert result['restore_moves'] == [{'tag': 'app', 'from': 'n2', 'to': 'n1'}]
    assert result['expected_switchovers'] == 2
    assert result['placement_before'] == {'app': 'n1'}
    assert plan.planned_moves(result) == [{'tag': 'app', 'from': 'n1', 'to': 'n2'},
                                          {'tag': 'app', 'from': 'n2', 'to': 'n1'}]


def test_no_restore_placement_halves_switchovers():
    result = plan.build_plan(two_nodes(), '9.9.0', restore_placement=False)
    assert result['expected_switchovers'] == 1
    assert result['restore_moves'] == []


def test_three_nodes_moves_prefer_updated_nodes():
    statuses = mesh({
        'a': node('a', '9.7.0', [res('web', 'ISP', 1), res('db', 'OSU', 20)]),
        'b': node('b', '9.7.0', [res('web', 'OSU', 10), res('db', 'ISP', 1)]),
        'c': node('c', '9.7.0', [res('web', 'OSU', 5), res('db', 'OSU', 5)]),
    })
    result = plan.build_plan(statuses, '9.9.0', order=['a', 'b', 'c'])
    assert result['order'] == ['c', 'a', 'b']
    moves = dict((n['name'], n['moves']) for n in result['nodes'])
    # c is updated first, so both hierarchies go to c (already updated), not to each other
    assert [(m['tag'], m['to']) for m in moves['a']] == [('web', 'c')]
    assert [(m['tag'], m['to']) for m in moves['b']] == [('db', 'c')]
    assert result['expected_switchovers'] == 4


def test_plan_follows_a_hierarchy_it_moved():
    """A hierarchy moved onto a node is moved again when that node's turn comes, to a node
    it left (now a standby there, and updated): the plan simulates the states."""
    statuses = mesh({
        'a': node('a', '9.7.0', [res('web', 'ISP', 1)]),
        'b': node('b', '9.7.0', [res('web', 'OSU', 2), res('db', 'ISP', 1)]),
        'c': node('c', '9.7.0', [res('web', 'OSU', 3), res('db', 'OSU', 2)]),
    })
    result = plan.build_plan(statuses, '9.9.0', order=['a', 'b', 'c'])
    assert result['order'] == ['c', 'a', 'b']
    moves = [(m['tag'], m['from'], m['to']) for n in result['nodes'] for m in n['moves']]
    # a: web -> c (updated); b: db -> c (updated, better than a by priority: a holds no db)
    assert moves == [('web', 'a', 'c'), ('db', 'b', 'c')]
    # the same cluster, c holding web when it is updated last: web goes back to a (updated)
    statuses['c']['resources'] = [res('web', 'ISP', 3), res('db', 'OSU', 2), res('x', 'ISP', 1), res('y', 'ISP', 1)]
    statuses['a']['resources'] = [res('web', 'OSU', 1), res('x', 'OSU', 1), res('y', 'OSU', 1)]
    result = plan.build_plan(statuses, '9.9.0', order=['a', 'b', 'c'])
    assert result['order'] == ['a', 'b', 'c']
    moves = [(m['tag'], m['from'], m['to']) for n in result['nodes'] for m in n['moves']]
    assert moves == [('db', 'b', 'c'), ('db', 'c', 'b'), ('web', 'c', 'a'), ('x', 'c', 'a'), ('y', 'c', 'a')]


def test_node_at_target_is_skipped_and_goes_first():
    statuses = two_nodes()
    statuses['n2']['version'] = '9.9.0'
    result = plan.build_plan(statuses, '9.9.0', order=['n1', 'n2'])
    assert result['order'] == ['n2', 'n1']
    assert result['nodes'][0]['action'] == 'skip'
    assert result['nodes'][1]['moves'][0]['to'] == 'n2'


def test_resume_restores_the_recorded_placement():
    """A rerun of a run id plans the way back to the placement its first attempt recorded."""
    statuses = two_nodes()
    statuses['n1']['resources'][0]['state'] = 'OSU'
    statuses['n2']['resources'][0]['state'] = 'ISP'
    statuses['n2']['version'] = '9.9.0'
    result = plan.build_plan(statuses, '9.9.0', order=['n1', 'n2'], placement_record={'app': 'n1'})
    assert result['placement_before'] == {'app': 'n1'}
    assert [n['moves'] for n in result['nodes']] == [[], []]
    assert result['restore_moves'] == [{'tag': 'app', 'from': 'n2', 'to': 'n1'}]
    assert result['expected_switchovers'] == 1


@pytest.mark.parametrize('mutate, expected', [
    (lambda s: s['n1']['comm_paths'][0].update(state='DEAD'), 'communication path to node2 (a/b) is DEAD'),
    (lambda s: s['n2']['resources'][1].update(state='OSF'), 'n2: resource ip is OSF'),
    (lambda s: s['n2']['resources'][0].update(state='OSF'), 'hierarchy app (in service on n1) has no standby'),
    (lambda s: s['n1']['resources'][0].update(state='OSU'), 'hierarchy app is in service on no node'),
    (lambda s: s['n2']['resources'][0].update(state='ISP'), 'in service on more than one node: n1, n2'),
    (lambda s: s['n2'].update(running=False), 'n2: LifeKeeper is not running'),
    (lambda s: s.update(n2=unknown()), 'n2: state unknown, the node could not be read (unreachable: ssh'),
])
def test_unhealthy_cluster_is_refused(mutate, expected):
    statuses = two_nodes()
    mutate(statuses)
    result = plan.build_plan(statuses, '9.9.0')
    assert not result['ok']
    assert any(expected in problem for problem in result['problems']), result['problems']


def test_reinstall_needs_permission_and_downgrade_is_refused():
    refused = plan.build_plan(two_nodes('9.5.0'), '9.9.0')
    assert any('lk_allow_reinstall=true' in p and '9.5.0' in p for p in refused['problems'])
    allowed = plan.build_plan(two_nodes('9.5.0'), '9.9.0', allow_reinstall=True, rebuild='rebuild.yml')
    assert allowed['ok'] and [n['action'] for n in allowed['nodes']] == ['reinstall', 'reinstall']
    down = plan.build_plan(two_nodes('9.9.0'), '9.8.0')
    assert any('downgrade from 9.9.0 to 9.8.0' in p for p in down['problems'])


def test_perl_warning_when_crossing_980():
    result = plan.build_plan(two_nodes('9.7.0'), '9.9.0')
    assert any('Perl' in w for w in result['warnings'])
    assert not any('Perl' in w for w in plan.build_plan(two_nodes('9.8.0'), '9.9.0')['warnings'])


def test_bad_target_names_the_value():
    with pytest.raises(ValueError, match="'9.x'"):
        plan.build_plan(two_nodes(), '9.x')


def test_render_mentions_every_step():
    lines = plan.render_plan(plan.build_plan(two_nodes(), '9.9.0', order=['n1', 'n2']))
    assert lines[0] == 'LifeKeeper rolling update to 9.9.0: 2 node(s), 2 switchover(s) expected'
    assert lines[1] == '1. n2 (node2): update 9.7.0 -> 9.9.0 [direct]'
    assert lines[2] == '2. n1 (node1): update 9.7.0 -> 9.9.0 [direct]'
    assert lines[3] == '     before: switch app from n1 to n2'
    assert lines[4] == '   at the end: switch app back from n2 to n1'


# ---- the one standby rule at run time ------------------------------------------------------

def test_evacuation_prefers_updated_live_standby():
    statuses = mesh({
        'a': node('a', '9.7.0', [res('web', 'ISP', 1)]),
        'b': node('b', '9.7.0', [res('web', 'OSU', 2)]),
        'c': node('c', '9.9.0', [res('web', 'OSU', 9)]),
    })
    moves, problems = plan.evacuation_moves('a', statuses, '9.9.0', ['a', 'b', 'c'])
    assert problems == []
    assert moves == [{'tag': 'web', 'from': 'a', 'to': 'c', 'from_node': 'a', 'to_node': 'c'}]
    # without a target version, the best priority wins
    assert plan.evacuation_moves('a', statuses)[0][0]['to'] == 'b'


def test_evacuation_ties_follow_inventory_order():
    statuses = mesh({
        'z': node('z', '9.7.0', [res('web', 'ISP', 1)]),
        'y': node('y', '9.7.0', [res('web', 'OSU', 5)]),
        'x': node('x', '9.7.0', [res('web', 'OSU', 5)]),
    })
    assert plan.evacuation_moves('z', statuses, None, ['z', 'y', 'x'])[0][0]['to'] == 'y'
    assert plan.evacuation_moves('z', statuses, None, ['z', 'x', 'y'])[0][0]['to'] == 'x'


def test_evacuation_skips_dead_failed_or_unread_peers():
    statuses = mesh({
        'a': node('a', '9.7.0', [res('web', 'ISP', 1)]),
        'b': node('b', '9.7.0', [res('web', 'OSU', 2)], paths=('DEAD',)),
        'c': node('c', '9.7.0', [res('web', 'OSF', 3)]),
        'd': unknown(),
    })
    moves, problems = plan.evacuation_moves('a', statuses)
    assert moves == []
    assert len(problems) == 1 and problems[0].startswith('hierarchy web is in service on a and no live standby can '
                                                         'take it (a live standby runs LifeKeeper')
    assert problems[0].endswith('make one live, then run again)')


def test_evacuation_of_an_unread_node_moves_nothing():
    statuses = two_nodes()
    statuses['n1'] = unknown('lk_status failed: lcdstatus timed out')
    moves, problems = plan.evacuation_moves('n1', statuses, '9.9.0')
    assert moves == []
    assert problems == ['n1 could not be read (lk_status failed: lcdstatus timed out): nothing was moved']


def _switch(statuses, moves):
    """The statuses after the moves, as the run makes them (the hierarchy OSU where it was, ISP there)."""
    for move in moves:
        for where, state in ((move['from'], 'OSU'), (move['to'], 'ISP')):
            for resource in statuses[where]['resources']:
                if resource['tag'] == move['tag']:
                    resource['state'] = state


@pytest.mark.parametrize('order', [['a', 'b', 'c'], ['c', 'b', 'a'], ['b', 'a', 'c']])
def test_plan_and_run_choose_the_same_standby(order):
    """The printed plan equals what the evacuation picks when the run reaches each node."""
    statuses = mesh({
        'a': node('a', '9.7.0', [res('web', 'ISP', 1), res('db', 'OSU', 3)]),
        'b': node('b', '9.7.0', [res('web', 'OSU', 2), res('db', 'ISP', 1)]),
        'c': node('c', '9.7.0', [res('web', 'OSU', 2), res('db', 'OSU', 2)]),
    })
    the_plan = plan.build_plan(statuses, '9.9.0', order=order)
    made = []
    for step in the_plan['nodes']:
        moves, problems = plan.evacuation_moves(step['name'], statuses, '9.9.0', order)
        assert problems == []
        _switch(statuses, moves)
        made.extend({'tag': m['tag'], 'from': m['from'], 'to': m['to']} for m in moves)
        statuses[step['name']]['version'] = '9.9.0'
    assert made == plan.planned_moves(dict(the_plan, restore_moves=[]))


# ---- moves back and the rescue -------------------------------------------------------------

def test_moves_back():
    statuses = two_nodes()
    statuses['n1']['resources'][0]['state'] = 'OSU'
    statuses['n2']['resources'][0]['state'] = 'ISP'
    assert plan.moves_back({'app': 'n1'}, statuses) == [{'tag': 'app', 'from': 'n2', 'to': 'n1'}]
    assert plan.moves_back({'app': 'n2'}, statuses) == []
    statuses['n2'] = unknown()
    assert plan.moves_back({'app': 'n1'}, statuses) == []


def test_rescue_moves_prefer_the_recorded_node_and_skip_unread_ones():
    statuses = two_nodes()
    statuses['n1']['resources'][0]['state'] = 'OSU'
    assert plan.rescue_moves(statuses, ['app'], {'app': 'n2'}) == [{'tag': 'app', 'to': 'n2'}]
    assert plan.rescue_moves(statuses, ['app'], {'app': 'n1'}) == [{'tag': 'app', 'to': 'n1'}]
    assert plan.rescue_moves(statuses, ['app']) == [{'tag': 'app', 'to': 'n1'}]   # best priority
    statuses['n1'] = unknown()
    assert plan.rescue_moves(statuses, ['app'], {'app': 'n1'}) == [{'tag': 'app', 'to': 'n2'}]
    statuses['n2']['running'] = False
    assert plan.rescue_moves(statuses, ['app']) == []


# ---- several clusters, rollback ------------------------------------------------------------

def test_build_plans_one_per_cluster():
    statuses = two_nodes()
    statuses.update(dict(('c' + h, s) for h, s in two_nodes('9.8.0').items()))
    plans = plan.build_plans([{'name': 'erp', 'hosts': ['n1', 'n2']}, {'name': 'crm', 'hosts': ['cn1', 'cn2']}],
                             statuses, '9.9.0', placement_records={'crm': {'app': 'cn2'}})
    assert sorted(plans) == ['crm', 'erp']
    assert plans['erp']['order'] == ['n2', 'n1'] and plans['erp']['cluster'] == 'erp'
    assert plans['crm']['placement_before'] == {'app': 'cn2'}
    with pytest.raises(ValueError, match='cluster x has nodes without a status: n9'):
        plan.build_plans([{'name': 'x', 'hosts': ['n1', 'n9']}], statuses, '9.9.0')


def test_rollback_plan_keeps_inventory_order_and_the_same_rule():
    statuses = mesh({
        'a': node('a', '9.9.0', [res('web', 'ISP', 1)]),
        'b': node('b', '9.9.0', [res('web', 'OSU', 2)]),
        'c': node('c', '9.7.0', [res('web', 'OSU', 3)]),
    })
    back = plan.build_rollback_plan(statuses, '9.7.0', ['a', 'b', 'c'], cluster='lifekeeper')
    assert back['operation'] == 'rollback' and back['order'] == ['a', 'b', 'c']
    assert [n['update_path'] for n in back['nodes']] == ['reinstall', 'reinstall', 'restore']
    # c already runs 9.7.0: it counts as done, so web goes there (not to b, better priority)
    assert back['nodes'][0]['moves'][0]['to'] == 'c'
    # c's turn: web moves on to a (done, best priority): back home without a restore move
    assert back['nodes'][2]['moves'][0]['to'] == 'a' and back['restore_moves'] == []
    assert plan.render_plan(back)[0] == 'LifeKeeper rollback to 9.7.0: 3 node(s), 2 switchover(s) expected'
    only_archive = plan.build_rollback_plan(statuses, None, ['a', 'b', 'c'])
    assert only_archive['target_version'] is None
    assert only_archive['nodes'][0]['moves'][0]['to'] == 'b'     # priority: nobody counts as done
    assert plan.render_plan(only_archive)[1] == '1. a (a): rollback 9.9.0 -> 9.9.0 [restore]'


# ---- a reinstall this run left, completed by a rerun -----------------------------------------

def test_resumed_reinstall_goes_first_and_its_absence_is_not_a_problem():
    """n2 was removed (rmlk) by the first attempt: not installed, the peers forgot it (no path,
    no standby for app). The rerun completes it first; the rest of the cluster is judged."""
    statuses = mesh({
        'n1': node('node1', '9.6.0', [res('app', 'ISP', 1)], paths=()),
        'n2': dict(node('node2', None, [], paths=()), installed=False, running=False, version=None),
    })
    record = {'run_id': 'R1', 'step': 'removing', 'archive': '/a', 'version_before': '9.6.0',
              'target_version': '9.9.0', 'node_name': 'node2'}
    refused = plan.build_plan(statuses, '9.9.0', allow_reinstall=True, order=['n1', 'n2'], restore_archive=True)
    assert any('n2: LifeKeeper is not installed' in p for p in refused['problems'])
    result = plan.build_plan(statuses, '9.9.0', allow_reinstall=True, order=['n1', 'n2'], resuming={'n2': record},
                             restore_archive=True)
    assert result['ok'], result['problems']
    assert result['order'] == ['n2', 'n1']
    first = result['nodes'][0]
    assert (first['name'], first['action'], first['version_before'], first['resume']) == \
        ('n2', 'reinstall', '9.6.0', 'removing')
    assert any(w.startswith('n2: completing the reinstall this run left at step removing') for w in result['warnings'])
    assert any('OUTSIDE THE v9.9.0 GUIDE' in w for w in result['warnings'])
    # a peer's path to the node being completed is not judged; another DEAD path is
    statuses['n1']['comm_paths'] = [{'machine': 'node2', 'addresses': 'x', 'state': 'DEAD'}]
    assert plan.build_plan(statuses, '9.9.0', True, order=['n1', 'n2'], resuming={'n2': record},
                           restore_archive=True)['ok']
    statuses['n1']['comm_paths'] = [{'machine': 'node3', 'addresses': 'x', 'state': 'DEAD'}]
    assert not plan.build_plan(statuses, '9.9.0', True, order=['n1', 'n2'], resuming={'n2': record},
                               restore_archive=True)['ok']
    # without permission to reinstall, still refused
    again = plan.build_plan(statuses, '9.9.0', order=['n1', 'n2'], resuming={'n2': record})
    assert any('lk_allow_reinstall=true' in p for p in again['problems'])


def test_caveat_only_for_9x_archive_restores():
    def warnings(version, target, **kwargs):
        return plan.build_plan(two_nodes(version), target, True, **kwargs)['warnings']
    assert any('OUTSIDE THE v9.9.0 GUIDE' in w for w in warnings('9.5.0', '9.9.0', restore_archive=True))
    assert not any('OUTSIDE' in w for w in warnings('9.5.0', '9.9.0', rebuild='r.yml'))
    assert not any('OUTSIDE' in w for w in warnings('9.7.0', '9.9.0'))
    assert not any('OUTSIDE' in w for w in warnings('8.1.2', '8.4.1'))


# ---- the 9.9.0 guide's reinstall: refused without hops, or rebuilt by the operator's file ----

def test_96_to_99_without_hops_is_refused_naming_the_hop_route():
    result = plan.build_plan(two_nodes('9.6.0'), '9.9.0', order=['n1', 'n2'])
    assert not result['ok']
    text = result['problems'][0]
    assert text.startswith('n1: direct update to 9.9.0 is supported from 9.7.x and 9.8.x')
    assert 'update through a version with a direct update to 9.9.0 (from 9.7.x, 9.8.x): list it in lk_media_hops' in text
    assert 'lk_allow_reinstall=true with lk_reinstall_rebuild' in text
    assert 'lk_media_hops' in plan.render_plan(result)[-1]


def test_allowed_reinstall_without_the_rebuild_file_is_refused_naming_it():
    result = plan.build_plan(two_nodes('9.6.0'), '9.9.0', allow_reinstall=True, order=['n1', 'n2'])
    assert not result['ok']
    assert [p.split(':')[0] for p in result['problems']] == ['n1', 'n2']
    assert all('lk_reinstall_rebuild is required' in p and 'replicated file systems' in p for p in result['problems'])
    # the 8.4.1 guide's reinstall restores the archive: no rebuild file needed
    assert plan.build_plan(two_nodes('8.1.2'), '8.4.1', allow_reinstall=True)['ok']


def test_rebuild_plan_states_the_outage_moves_nothing_and_names_the_file():
    result = plan.build_plan(two_nodes('9.6.0'), '9.9.0', allow_reinstall=True, order=['n1', 'n2'],
                             rebuild='/site/rebuild.yml')
    assert result['ok'], result['problems']
    assert result['order'] == ['n2', 'n1']      # the node holding the hierarchy goes last
    assert [(n['name'], n['action'], n['reinstall_mode'], n['moves']) for n in result['nodes']] == [
        ('n2', 'reinstall', 'rebuild', []), ('n1', 'reinstall', 'rebuild', [])]
    assert result['expected_switchovers'] == 0 and result['restore_moves'] == []
    assert result['rebuild'] == '/site/rebuild.yml'
    outage = [w for w in result['warnings'] if w.startswith('OUTAGE: n1, n2 reinstalled to 9.9.0')]
    assert len(outage) == 1 and 'out of service from the stop of the node holding them until the rebuild' in outage[0]
    assert 'then app must be back and in service' in outage[0]
    lines = plan.render_plan(result)
    assert '1. n2 (node2): reinstall 9.6.0 -> 9.9.0 [reinstall, rebuild]' in lines
    assert any(line.strip().startswith('after the last node: the rebuild (lk_reinstall_rebuild: /site/rebuild.yml)')
               for line in lines)


def test_restore_archive_keeps_the_moves_and_marks_it_outside_the_guide():
    result = plan.build_plan(two_nodes('9.6.0'), '9.9.0', allow_reinstall=True, order=['n1', 'n2'],
                             restore_archive=True)
    assert result['ok'] and result['rebuild'] is None
    assert [n['reinstall_mode'] for n in result['nodes']] == ['archive', 'archive']
    assert result['expected_switchovers'] == 2
    assert any('OUTSIDE THE v9.9.0 GUIDE' in w for w in result['warnings'])


# ---- multi-hop (lk_media_hops), mirrors, packages, the switchover test ----------------------

HOPS = [{'version': '9.7.0', 'media': '/srv/LKL_V9.7.0_010126.iso', 'media_sha256': ''},
        {'version': '9.9.0', 'media': '/srv/LKL_V9.9.0_010126.iso', 'media_sha256': ''}]


def test_one_rolling_pass_per_hop():
    result = plan.build_plan(two_nodes('9.6.0'), '9.9.0', order=['n1', 'n2'], hops=HOPS)
    assert result['ok'], result['problems']
    assert [hop['version'] for hop in result['hops']] == ['9.7.0', '9.9.0']
    first, second = result['hops']
    # pass 1: n2 (holds nothing) first, then n1 hands app to n2 (already at 9.7.0)
    assert first['order'] == ['n2', 'n1'] and first['media'] == '/srv/LKL_V9.7.0_010126.iso'
    assert [(n['name'], n['action'], n['version_before'], n['update_path']) for n in first['nodes']] == [
        ('n2', 'update', '9.6.0', 'direct'), ('n1', 'update', '9.6.0', 'direct')]
    assert [(m['tag'], m['from'], m['to']) for m in first['nodes'][1]['moves']] == [('app', 'n1', 'n2')]
    # pass 2 starts from where pass 1 left app: n1 now holds nothing and goes first
    assert second['order'] == ['n1', 'n2']
    assert [(n['name'], n['version_before']) for n in second['nodes']] == [('n1', '9.7.0'), ('n2', '9.7.0')]
    assert [(m['tag'], m['from'], m['to']) for m in second['nodes'][1]['moves']] == [('app', 'n2', 'n1')]
    # app is back on n1: nothing to restore; two switchovers in all
    assert result['restore_moves'] == [] and result['expected_switchovers'] == 2
    # the summary: each node's passes merged, in the first pass's order
    assert result['order'] == ['n2', 'n1']
    assert [(n['name'], n['action'], n['version_before'], n['hops']) for n in result['nodes']] == [
        ('n2', 'update', '9.6.0', ['9.7.0', '9.9.0']), ('n1', 'update', '9.6.0', ['9.7.0', '9.9.0'])]
    assert [(m['from'], m['to']) for n in result['nodes'] for m in n['moves']] == [('n2', 'n1'), ('n1', 'n2')]
    assert plan.planned_moves(result) == [{'tag': 'app', 'from': 'n1', 'to': 'n2'}, {'tag': 'app', 'from': 'n2', 'to': 'n1'}]


def test_without_the_hop_the_update_is_refused_pointing_at_the_hops():
    result = plan.build_plan(two_nodes('9.6.0'), '9.9.0', order=['n1', 'n2'])
    assert not result['ok']
    assert any('lk_allow_reinstall=true' in p and 'lk_media_hops' in p and 'hierarchies are lost and rebuilt' in p
               for p in result['problems']), result['problems']


def test_a_hop_outside_the_direct_window_is_refused():
    result = plan.build_plan(two_nodes('9.4.0'), '9.9.0', order=['n1', 'n2'], hops=HOPS)
    assert not result['ok']
    assert any(p.startswith('n1: direct update to 9.7.0 is supported from') for p in result['problems'])


def test_resume_of_a_multi_hop_run_continues_with_the_pass_it_stopped_in():
    """The first run stopped in pass 2 after n1 reached 9.9.0; app is on n2 (recorded on n1)."""
    statuses = two_nodes('9.7.0')
    statuses['n1']['version'] = '9.9.0'
    statuses['n1']['resources'][0]['state'] = 'OSU'
    statuses['n2']['resources'][0]['state'] = 'ISP'
    result = plan.build_plan(statuses, '9.9.0', order=['n1', 'n2'], placement_record={'app': 'n1'}, hops=HOPS)
    assert result['ok'], result['problems']
    first, second = result['hops']
    assert [n['action'] for n in first['nodes']] == ['skip', 'skip']
    assert [(n['name'], n['action']) for n in second['nodes']] == [('n1', 'skip'), ('n2', 'update')]
    assert [(m['from'], m['to']) for m in second['nodes'][1]['moves']] == [('n2', 'n1')]
    assert [(n['name'], n['action'], n['hops']) for n in result['nodes']] == [('n1', 'skip', []),
                                                                              ('n2', 'update', ['9.9.0'])]
    assert result['expected_switchovers'] == 1 and result['restore_moves'] == []


def test_a_pass_never_mixes_versions_outside_the_direct_window():
    statuses = two_nodes('9.6.0')
    statuses['n2']['version'] = '9.9.0'
    result = plan.build_plan(statuses, '9.9.0', order=['n1', 'n2'], hops=HOPS)
    assert any(p.startswith('n2 runs 9.9.0 and n1 runs 9.6.0: the pass to 9.7.0 would mix versions') for p in
               result['problems']), result['problems']


def test_render_prints_the_passes():
    lines = plan.render_plan(plan.build_plan(two_nodes('9.6.0'), '9.9.0', order=['n1', 'n2'], hops=HOPS))
    assert lines[0] == ('LifeKeeper rolling update to 9.9.0: 2 node(s), 2 switchover(s) expected, '
                        '2 rolling passes (9.7.0 -> 9.9.0)')
    assert lines[1] == 'pass 1 of 2: every node to 9.7.0 (/srv/LKL_V9.7.0_010126.iso)'
    assert lines[2] == '1. n2 (node2): update 9.6.0 -> 9.7.0 [direct]'
    assert 'pass 2 of 2: every node to 9.9.0 (/srv/LKL_V9.9.0_010126.iso)' in lines


def test_one_hop_plans_are_unchanged_by_the_hop_list():
    plain = plan.build_plan(two_nodes(), '9.9.0', order=['n1', 'n2'])
    assert [hop['version'] for hop in plain['hops']] == ['9.9.0']
    assert plain['hops'][0]['order'] == plain['order']
    assert plan.build_plan(two_nodes(), '9.9.0', order=['n1', 'n2'], hops=HOPS[1:])['order'] == plain['order']


def test_the_plan_names_each_hierarchy_s_mirrors_and_each_node_s_packages():
    statuses = two_nodes()
    for status in statuses.values():
        status['resources'].append(dict(res('mirror-export', status['resources'][0]['state'], depth=1), mirror=True))
        status['packages'] = [{'name': 'steeleye-lk', 'version': '9.7.0'}, {'name': 'steeleye-lkDR', 'version': '9.7.0'}]
    result = plan.build_plan(statuses, '9.9.0', order=['n1', 'n2'])
    assert result['mirrors'] == {'app': ['mirror-export']}
    assert result['nodes'][0]['packages'] == {'steeleye-lk': '9.7.0', 'steeleye-lkDR': '9.7.0'}
    assert '   mirror(s) of app (each switchover waits until in sync): mirror-export' in plan.render_plan(result)


def test_switchover_test_goes_to_a_standby_and_back():
    assert plan.switchover_test_moves(two_nodes(), ['n1', 'n2']) == {
        'moves': [{'tag': 'app', 'from': 'n1', 'to': 'n2'}, {'tag': 'app', 'from': 'n2', 'to': 'n1'}], 'problems': []}
    statuses = two_nodes()
    statuses['n2']['running'] = False
    assert plan.switchover_test_moves(statuses, ['n1', 'n2']) == {
        'moves': [], 'problems': ['hierarchy app (in service on n1) has no live standby to test a switchover to']}


# ---- no 'None' in the plan a person reads ---------------------------------------------------
def test_a_node_without_lifekeeper_reads_not_installed_never_none():
    rendered = {'cluster': 'c', 'target_version': '9.9.0', 'nodes': [
        {'name': 'n3', 'node_name': 'node3', 'action': 'install', 'version_before': None, 'update_path': 'fresh',
         'moves': []}], 'restore_moves': [], 'expected_switchovers': 0, 'warnings': [], 'problems': []}
    lines = plan.render_plan(rendered)
    assert lines[1] == '1. n3 (node3): install not installed -> 9.9.0 [fresh]'
    assert 'None' not in '\n'.join(lines)


def test_version_text_names_what_is_missing():
    assert plan.version_text('9.7.0') == '9.7.0'
    assert plan.version_text(None) == 'not installed'
    assert plan.version_text('', 'not read') == 'not read'


# ---- the rolling OS maintenance --------------------------------------------------------------

def test_maintenance_plan_standby_first_busiest_last_same_rule():
    statuses = mesh({
        'a': node('a', '9.9.0', [res('web', 'ISP', 1), res('db', 'OSU', 3)]),
        'b': node('b', '9.9.0', [res('web', 'OSU', 2), res('db', 'OSU', 2)]),
        'c': node('c', '9.9.0', [res('web', 'OSU', 3), res('db', 'ISP', 1)]),
    })
    result = plan.build_maintenance_plan(statuses, ['a', 'b', 'c'], cluster='lifekeeper')
    assert result['ok'], result['problems']
    assert result['operation'] == 'maintenance' and result['target_version'] is None
    # b holds nothing: first; a and c hold one each: inventory order
    assert result['order'] == ['b', 'a', 'c']
    assert [n['action'] for n in result['nodes']] == ['maintain'] * 3
    moves = [(m['tag'], m['from'], m['to']) for n in result['nodes'] for m in n['moves']]
    # b is maintained first, so both hierarchies go to b (nothing moves twice)
    assert moves == [('web', 'a', 'b'), ('db', 'c', 'b')]
    assert result['restore_moves'] == [{'tag': 'db', 'from': 'b', 'to': 'c'}, {'tag': 'web', 'from': 'b', 'to': 'a'}]
    lines = plan.render_plan(result)
    assert lines[0] == 'LifeKeeper maintenance: 3 node(s), 4 switchover(s) expected'
    assert lines[1] == '1. b (b): maintain 9.9.0 -> 9.9.0 [maintenance]'
    # the run's evacuations, the maintained nodes named (done), choose as the plan did
    made = []
    done = []
    for step in result['nodes']:
        found, problems = plan.evacuation_moves(step['name'], statuses, None, ['a', 'b', 'c'], done)
        assert problems == []
        _switch(statuses, found)
        made.extend((m['tag'], m['from'], m['to']) for m in found)
        done.append(step['name'])
    assert made == moves


def test_maintenance_plans_refuse_an_unhealthy_cluster_and_a_bad_operation():
    statuses = two_nodes()
    statuses['n2']['comm_paths'][0]['state'] = 'DEAD'
    plans = plan.build_plans([{'name': 'erp', 'hosts': ['n1', 'n2']}], statuses, '', operation='maintenance')
    assert plans['erp']['operation'] == 'maintenance' and not plans['erp']['ok']
    assert any('DEAD' in problem for problem in plans['erp']['problems']), plans['erp']['problems']
    with pytest.raises(ValueError, match="operation is 'patch': expected"):
        plan.build_plans([{'name': 'erp', 'hosts': ['n1', 'n2']}], statuses, '', operation='patch')
