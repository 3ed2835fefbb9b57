# -*- coding: utf-8 -*-
"""Truthful reads of a cluster: every node kept or marked unknown with the reason."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import mesh, node, res, two_nodes, unknown


def _read(host, **result):
    result.setdefault('changed', False)
    result['__lk_read_host'] = host
    result['invocation'] = {'module_args': {}}
    return result


def test_node_reads_keep_each_node_or_its_reason():
    ok = dict(two_nodes()['n1'], failed=False)
    results = [
        _read('n1', **ok),
        _read('n2', unreachable=True, msg='Failed to connect to the host via ssh: Connection refused'),
        _read('n3', failed=False, msg='lcdstatus -e failed (rc 1): boom'),     # failed_when: false keeps msg
        _read('n4', installed=True, running=True, answered=False, message='lcdstatus timed out after 60.0s'),
        {'skipped': True},
    ]
    reads = cluster.node_reads(results, '__lk_read_host')
    assert sorted(reads) == ['n1', 'n2', 'n3', 'n4']
    assert reads['n1']['known'] is True and reads['n1']['version'] == '9.7.0'
    for noise in ('invocation', 'changed', 'failed', '__lk_read_host'):
        assert noise not in reads['n1']
    assert reads['n2'] == {'known': False,
                           'reason': 'unreachable: Failed to connect to the host via ssh: Connection refused'}
    assert reads['n3'] == {'known': False, 'reason': 'lk_status failed: lcdstatus -e failed (rc 1): boom'}
    assert reads['n4'] == {'known': False, 'reason': 'LifeKeeper did not answer: lcdstatus timed out after 60.0s'}
    assert cluster.unreadable(reads) == dict((h, reads[h]['reason']) for h in ('n2', 'n3', 'n4'))
    assert list(cluster.known(reads)) == ['n1']


def test_not_running_is_known_not_unknown():
    reads = cluster.node_reads([_read('n1', installed=True, running=False, resources=[], comm_paths=[])],
                               '__lk_read_host')
    assert reads['n1']['known'] is True
    (problem,) = cluster.health_problems(reads)
    assert problem.startswith('n1: LifeKeeper is not running (')


def test_by_host():
    assert cluster.by_host([{'h': 'a', 'x': 1}, {'h': 'b', 'x': 2}, {'x': 3}], 'h') == {
        'a': {'h': 'a', 'x': 1}, 'b': {'h': 'b', 'x': 2}}


def test_lost_is_unknown_only_when_an_unread_node_could_hold_it():
    statuses = two_nodes()
    assert cluster.lost(statuses, ['app']) == []
    statuses['n1']['resources'][0]['state'] = 'OSU'
    assert cluster.lost(statuses, ['app']) == ['app']
    statuses['n2'] = unknown()
    assert cluster.lost(statuses, ['app']) == 'unknown'
    # in service on a node that was read: not lost, whatever the other node
    statuses['n1']['resources'][0]['state'] = 'ISP'
    assert cluster.lost(statuses, ['app']) == []
    assert cluster.placement(statuses) == {'app': 'n1'}
    assert cluster.describe_unreadable(statuses) == 'n2 (unreachable: ssh: connect to host n2 port 22: Connection refused)'


def test_failed_resources_names_tag_and_node():
    statuses = two_nodes()
    statuses['n2']['resources'][1]['state'] = 'OSF'
    statuses['n3'] = unknown()
    assert cluster.failed_resources(statuses) == ['ip on n2']


def test_health_and_versions():
    statuses = two_nodes()
    assert cluster.health_problems(statuses) == []
    statuses['n2']['version'] = '9.9.0'
    assert cluster.version_problems(statuses, '9.9.0') == ['n1: LifeKeeper 9.7.0 is installed, expected 9.9.0']


def test_health_findings_name_the_hosts_each_problem_concerns():
    statuses = two_nodes()
    statuses['n1']['comm_paths'][0]['state'] = 'DEAD'
    statuses['n2']['resources'][0]['state'] = 'ISP'      # app in service on both nodes
    statuses['n3'] = unknown('unreachable: no route')
    assert cluster.health_findings(statuses) == [
        {'text': 'n3: state unknown, the node could not be read (unreachable: no route)', 'hosts': ['n3']},
        {'text': 'n1: communication path to node2 (a/b) is DEAD', 'hosts': ['n1']},
        {'text': 'hierarchy app is in service on more than one node: n1, n2', 'hosts': ['n1', 'n2']}]
    assert cluster.health_problems(statuses) == [finding['text'] for finding in cluster.health_findings(statuses)]
    alone = {'n1': two_nodes()['n1']}
    standby, member = cluster.health_findings(alone)
    assert standby['hosts'] == ['n1'] and standby['text'].startswith('hierarchy app (in service on n1) has no standby')
    # node2, which LifeKeeper on n1 knows, is not in the group: named, never silently left out
    assert member['hosts'] == ['n1'] and member['text'].startswith('n1: LifeKeeper there knows node2, not a node of')
    statuses = two_nodes()
    statuses['n1']['resources'][0]['state'] = 'OSU'
    assert cluster.health_findings(statuses) == [{'text': 'hierarchy app is in service on no node', 'hosts': []}]


def test_mirror_views_prefer_the_source_and_feed_the_report_states():
    statuses = two_nodes()
    statuses['n1']['resources'].append(res('datarep-data', 'ISP', 1, 1))
    statuses['n2']['resources'].append(res('datarep-data', 'OSU', 10, 1))
    source = {'tag': 'datarep-data', 'source': 'node1', 'in_sync': True, 'known': True,
              'targets': [{'name': 'node2', 'state': 'Mirroring', 'progress': None}]}
    target = {'tag': 'datarep-data', 'source': 'node1', 'in_sync': False, 'known': False, 'error': 'no answer',
              'targets': []}
    statuses['n1']['mirrors'], statuses['n2']['mirrors'] = [source], [target]
    assert cluster.mirror_views(statuses) == {'datarep-data': ('n1', source)}
    assert cluster.mirror_states(statuses) == {'datarep-data': {'source': 'node1', 'in_sync': True,
                                                                'targets': source['targets']}}
    # without the source's answer, the first node that reports it; an unknown state is None
    statuses['n1'] = unknown()
    assert cluster.mirror_views(statuses) == {'datarep-data': ('n2', target)}
    assert cluster.mirror_states(statuses)['datarep-data']['in_sync'] is None


def test_status_lines():
    statuses = two_nodes()
    statuses['n3'] = unknown('lk_status failed: timed out')
    assert cluster.status_lines(statuses, ['n1', 'n2', 'n3', 'n4']) == [
        'n1: LifeKeeper 9.7.0 running=True ready=True', 'in service here: app', 'standby here: -', 'paths: ALIVE',
        'n2: LifeKeeper 9.7.0 running=True ready=True', 'in service here: -', 'standby here: app', 'paths: ALIVE',
        'n3: state unknown, the node could not be read (lk_status failed: timed out)',
        'n4: state unknown, the node could not be read (not read)',
    ]


# ---- clusters of an inventory group --------------------------------------------------------

def test_group_without_children_is_one_cluster():
    grouped = cluster.group_clusters('lifekeeper', ['n1', 'n2'], [])
    assert grouped == {'clusters': [{'name': 'lifekeeper', 'hosts': ['n1', 'n2'], 'leader': 'n1'}], 'problems': []}


def test_child_groups_are_clusters_in_inventory_order():
    grouped = cluster.group_clusters('lifekeeper', ['e1', 'e2', 'c1', 'c2', 'c3'],
                                     [('erp', ['e1', 'e2']), ('crm', ['c1', 'c2', 'c3'])])
    assert grouped['problems'] == []
    assert [(c['name'], c['hosts'], c['leader']) for c in grouped['clusters']] == [
        ('erp', ['e1', 'e2'], 'e1'), ('crm', ['c1', 'c2', 'c3'], 'c1')]


@pytest.mark.parametrize('children, play_hosts, problem', [
    ([('erp', ['e1', 'e2']), ('crm', ['e2', 'c1'])], None, 'e2 is in two clusters: erp and crm'),
    ([('erp', ['e1', 'e2']), ('crm', ['c1'])], None, 'cluster crm has one node (c1)'),
    ([('erp', ['e1', 'e2'])], None, 'c1 is in lifekeeper but in none of its child groups'),
    ([('erp', ['e1', 'e2']), ('crm', ['c1', 'c2'])], ['e1', 'e2', 'c1'], 'cluster crm: c2 not in this run'),
])
def test_refused_groupings_name_the_host(children, play_hosts, problem):
    hosts = sorted(set(h for _n, members in children for h in members) | set(['c1']))
    grouped = cluster.group_clusters('lifekeeper', hosts, children, play_hosts)
    assert any(problem in p for p in grouped['problems']), grouped['problems']


def test_a_cluster_outside_the_run_is_left_out():
    grouped = cluster.group_clusters('lifekeeper', ['e1', 'e2', 'c1', 'c2'],
                                     [('erp', ['e1', 'e2']), ('crm', ['c1', 'c2'])], ['c1', 'c2'])
    assert grouped == {'clusters': [{'name': 'crm', 'hosts': ['c1', 'c2'], 'leader': 'c1'}], 'problems': []}


def test_priorities_and_names():
    status = node('node1', '9.7.0', [res('a', 'ISP', 3), res('b', 'OSU', None)])
    assert cluster.priority(status, 'a') == 3
    assert cluster.priority(status, 'b') == 999
    assert cluster.priority(status, 'zz') == 999
    assert cluster.lk_name('host1', status) == 'node1'
    assert cluster.lk_name('host1', {}) == 'host1'


def test_hierarchy_mirrors_by_type_not_by_tag():
    from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import hierarchy_mirrors, hierarchies
    status = {'resources': [{'tag': 'web', 'depth': 0, 'mirror': False}, {'tag': 'datarep-fake', 'depth': 1, 'mirror': False},
                            {'tag': 'mirror-export', 'depth': 1, 'mirror': True}, {'tag': 'db', 'depth': 0}]}
    assert hierarchies(status) == {'web': ['web', 'datarep-fake', 'mirror-export'], 'db': ['db']}
    assert hierarchy_mirrors({'n1': status}) == {'web': ['mirror-export']}
    status['summary'] = {'hierarchies': [{'root': 'web', 'tags': ['web', 'mirror-export']}, {'root': 'db', 'tags': ['db']}]}
    assert hierarchies(status) == {'web': ['web', 'mirror-export'], 'db': ['db']}
    assert hierarchy_mirrors({'n1': status, 'n2': {'known': False, 'reason': 'x'}}) == {'web': ['mirror-export']}


def test_loop_results_name_each_host_as_a_loop_over_the_hosts_would():
    """Each node read its own lock: the reads become loop results, so that the decision written
    for a delegated loop (locks.lock_problems) sees an unreachable node as a lock not read."""
    from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import locks
    reads = {'e2': {'unreachable': True, 'msg': 'Failed to connect to the host via ssh'},
             'e1': {'changed': False, 'path': '/l/cluster-erp.lock', 'holder': None},
             'c1': {'skipped': True}}
    results = cluster.loop_results(reads, '__lk_lock_host')
    assert [r['__lk_lock_host'] for r in results] == ['c1', 'e1', 'e2']
    assert results[2]['unreachable'] is True and reads['e2'] == {'unreachable': True,
                                                                 'msg': 'Failed to connect to the host via ssh'}
    problems = locks.lock_problems(results, [], [{'name': 'erp', 'hosts': ['e1', 'e2']},
                                                 {'name': 'crm', 'hosts': ['c1']}], 'R1')
    assert problems == {'erp': ['e2: the lock could not be read (unreachable: Failed to connect to the host via ssh)'],
                        'crm': []}
    assert cluster.loop_results({}, 'h') == [] and cluster.loop_results({'a': None}, 'h') == [{'h': 'a'}]


def test_not_running_and_no_standby_say_what_to_do_next():
    reads = cluster.node_reads([_read('n1', installed=True, running=False, resources=[], comm_paths=[])],
                               '__lk_read_host')
    (problem,) = cluster.health_problems(reads)
    assert problem.startswith('n1: LifeKeeper is not running (start it there with $LKROOT/bin/lkstart')
    assert '/var/log/lifekeeper.log' in problem


def test_a_node_without_lifekeeper_is_named_never_none():
    statuses = {'n1': {'installed': False, 'running': False, 'version': None, 'resources': []},
                'n2': {'installed': True, 'running': True, 'version': '9.7.0', 'resources': []}}
    assert cluster.version_problems(statuses, '9.9.0') == ['n1: LifeKeeper is not installed, expected 9.9.0',
                                                           'n2: LifeKeeper 9.7.0 is installed, expected 9.9.0']


def test_the_verification_failure_says_what_was_expected_what_was_seen_and_what_next():
    text = cluster.verification_failure(['n2: LifeKeeper 9.7.0 is installed, expected 9.9.0',
                                         'hierarchy app is in service on no node'], '9.9.0')
    assert text.startswith('LifeKeeper cluster verification failed. Expected: every node at 9.9.0, ready')
    assert 'Seen: n2: LifeKeeper 9.7.0 is installed, expected 9.9.0; hierarchy app is in service on no node.' in text
    assert text.endswith('then run again: nodes already at the target are skipped and the cluster is verified again.')
    assert cluster.verification_failure(['x'], '').startswith('LifeKeeper cluster verification failed. Expected: '
                                                              'every node ready')


def _three_nodes():
    return mesh({
        'n1': node('node1', '9.7.0', [res('app', 'ISP', 1)]),
        'n2': node('node2', '9.7.0', [res('app', 'OSU', 10)]),
        'n3': node('node3', '9.7.0', [res('app', 'OSU', 20)]),
    })


def test_a_member_left_out_of_the_group_is_named_by_each_node_that_knows_it():
    group = dict((host, status) for host, status in _three_nodes().items() if host != 'n3')
    assert cluster.health_problems(group) == [
        'n1: LifeKeeper there knows node3, not a node of this inventory group: a member left out would be neither '
        'evacuated nor updated; add its host to the group (or remove the node from the LifeKeeper cluster first)',
        'n2: LifeKeeper there knows node3, not a node of this inventory group: a member left out would be neither '
        'evacuated nor updated; add its host to the group (or remove the node from the LifeKeeper cluster first)']
    # the whole cluster in the group: nothing to say
    assert cluster.membership_findings(_three_nodes()) == []


def test_a_known_machine_of_the_long_display_counts_as_a_member_too():
    statuses = two_nodes()
    statuses['n1']['known_machines'] = ['node1', 'node2', 'node9']
    (finding,) = cluster.membership_findings(statuses)
    assert finding == {'hosts': ['n1'], 'text': finding['text']} and 'knows node9, not a node' in finding['text']


def test_two_clusters_in_one_group_are_not_one_cluster():
    first, second = two_nodes(), two_nodes()
    for status in second.values():
        status['node_name'] = status['node_name'].replace('node', 'other')
        status['comm_paths'][0]['machine'] = status['comm_paths'][0]['machine'].replace('node', 'other')
    group = {'n1': first['n1'], 'n2': first['n2'], 'o1': second['n1'], 'o2': second['n2']}
    texts = [finding['text'] for finding in cluster.membership_findings(group)]
    # no node knows a machine outside the group; each pair across the two clusters is named
    assert texts == ['%s and %s are in one inventory group, but LifeKeeper on neither knows the other (no communication '
                     'path, not a known machine): they are not one cluster; give each cluster its own group' % pair
                     for pair in (('n1', 'o1'), ('n1', 'o2'), ('n2', 'o1'), ('n2', 'o2'))]


def test_a_path_on_one_side_only_is_named_on_the_blind_side():
    statuses = two_nodes()
    statuses['n2']['comm_paths'] = []
    assert cluster.membership_findings(statuses) == [{
        'hosts': ['n2'], 'text': 'n2: LifeKeeper there does not know n1 (node1: no communication path, not a known '
                                 'machine), although n1 knows it: create the communication paths on both nodes'}]


def test_strangers_are_not_judged_while_a_node_has_no_sure_name():
    group = dict((host, status) for host, status in _three_nodes().items() if host != 'n3')
    group['n2'] = unknown()
    assert cluster.membership_findings(group) == []
    group['n2'] = dict(_three_nodes()['n2'], running=False, comm_paths=[])
    assert cluster.membership_findings(group) == []


def test_a_node_named_by_its_host_name_only_is_said_so_not_called_a_stranger():
    """Its displays named no local machine: its host name (an FQDN) stands in for LifeKeeper's
    name (node2). Its peer knows node2: without the source of the name that read as a stranger
    and a node that does not know n2; the finding says what is not known instead."""
    statuses = two_nodes()
    statuses['n2'] = dict(statuses['n2'], node_name='n2.example.com', node_name_from='hostname')
    statuses['n1']['node_name_from'] = 'display'
    assert cluster.membership_findings(statuses) == [{
        'hosts': ['n2'], 'text': "n2: LifeKeeper's displays there name no local machine (its host name n2.example.com "
                                 "stands in): LifeKeeper's membership cannot be compared with the inventory group; "
                                 "check lcdstatus there, then run again"}]
    # named by its display: compared as before (nothing to say)
    statuses['n2'] = dict(statuses['n2'], node_name='node2', node_name_from='display')
    assert cluster.membership_findings(statuses) == []


def test_a_node_being_reinstalled_is_a_member_though_left_out_of_the_statuses():
    group = dict((host, status) for host, status in _three_nodes().items() if host != 'n3')
    assert cluster.membership_findings(group, ['node3']) == []
    assert cluster.health_problems(group, ignore_machines=['node3']) == []
