# -*- coding: utf-8 -*-
"""The health check of status.yml, on real reads: lk_status run on the recorded lcdstatus /
mirror_status samples (tests/unit/plugins/module_utils/fixtures) and lk_lock run on a lock
directory, each read kept as status.yml keeps it (cluster.node_reads, registered loop results)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from conftest import fixture_text
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_lock, lk_status
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster, health
from ansible_collections.hatools.lifekeeper.tests.unit.plugins.modules.test_lk_status import (
    IN_SYNC, ISP_HERE, LONG, MIXED, Node, RESYNC, osu)

CLUSTER = [{'name': 'erp', 'hosts': ['e1', 'e2']}]
UNREACHABLE = {'unreachable': True, 'msg': 'Failed to connect to the host via ssh: Connection refused'}
# node2's view of the contract cluster: node1's samples with the two nodes (names, addresses) swapped
SWAP = (('node1', '@1'), ('node2', 'node1'), ('@1', 'node2'),
        ('127.0.0.11/127.0.0.12', '@a'), ('@a', '127.0.0.12/127.0.0.11'))


def node2_view(text):
    for old, new in SWAP:
        text = text.replace(old, new)
    return text


@pytest.fixture
def read(lkroot, fake_cli, tmp_path, run):
    """read(**Node options, mirror=text of datarep-data, more_mirrors=[tags in sync]): one node's
    lk_status result, as registered."""
    def read_one(mirror=IN_SYNC, more_mirrors=(), **options):
        initdone = lkroot / 'config' / 'LK_INITDONE'
        if initdone.exists():
            initdone.unlink()     # the nodes read one after another share this fake LKROOT
        node = Node(lkroot, fake_cli, tmp_path, **options)
        fake_cli.set(node.mirror_argv('datarep-data'), (0, mirror, ''))
        for tag in more_mirrors:
            fake_cli.set(node.mirror_argv(tag), (0, IN_SYNC.replace('datarep-data', tag), ''))
        failed, result = run(lk_status.main, node.args())
        assert not failed, result
        return result
    return read_one


@pytest.fixture
def healthy(read):
    """The contract cluster, healthy: app-web in service on node1 (e1), standby on node2 (e2)."""
    return {'e1': read(), 'e2': read(status_e=(0, node2_view(osu(ISP_HERE)), ''),
                                     long=(0, node2_view(osu(LONG)), ''))}


@pytest.fixture
def lock_query(tmp_path, run):
    """lock_query(where, run_id=None, loop var): lk_lock state=query of a lock directory of
    where, after run_id took the lock there (None: no lock)."""
    def query(where, run_id=None, loop_var='__lk_lock_host', loop_value=None):
        lock_dir = str(tmp_path / 'locks' / where)
        common = {'lock_dir': lock_dir, 'name': 'cluster-erp', 'lkroot': '/nonexistent/LifeKeeper'}
        if run_id:
            failed, taken = run(lk_lock.main, dict(common, run_id=run_id, state='present',
                                                   owner={'controller': 'ctl1', 'user': 'ops', 'pid': 4242}))
            assert not failed, taken
        failed, result = run(lk_lock.main, dict(common, state='query'))
        assert not failed, result
        result[loop_var] = where if loop_value is None else loop_value
        return result
    return query


def check(reads, node_locks=None, controller_locks=None, clusters=None):
    return health.health(cluster.node_reads(reads), clusters or CLUSTER, node_locks, controller_locks)


def test_a_healthy_cluster_passes_and_says_so(healthy, lock_query):
    result = check(healthy, [lock_query('e1'), lock_query('e2')],
                   [lock_query('controller', loop_var='__lk_lock_cluster', loop_value=CLUSTER[0])])
    assert result['healthy'] is True and result['unhealthy'] == [] and result['message'] == []
    assert result['lines'] == ['cluster erp: ' + health.HEALTHY]
    erp = result['clusters']['erp']
    assert erp == {'healthy': True, 'problems': [], 'nodes': erp['nodes']}
    assert erp['nodes']['e1'] == {
        'read': True, 'lifekeeper_name': 'node1', 'installed': True, 'running': True, 'ready': True,
        'version': '9.9.0', 'in_service': ['app-web'], 'standby': [],
        'paths': ['node2 TCP 127.0.0.11/127.0.0.12 ALIVE'], 'mirrors': {'datarep-data': True},
        'healthy': True, 'problems': []}
    assert erp['nodes']['e2']['lifekeeper_name'] == 'node2' and erp['nodes']['e2']['standby'] == ['app-web']


def test_a_dead_communication_path(healthy, read):
    """node2's sample with a DEAD path to node3 (e_mixed_node2.txt) next to a healthy node."""
    mixed = read(status_e=(0, MIXED, ''), long=(0, fixture_text('long_mixed_node2.txt'), ''), more_mirrors=['datarep-db'])
    reads = {'e1': healthy['e1'], 'e2': mixed}
    result = check(reads)
    assert result['healthy'] is False and result['unhealthy'] == ['erp']
    problems = result['clusters']['erp']['problems']
    assert 'e2: communication path to node3 (10.0.0.12/10.0.0.13) is DEAD' in problems, problems
    assert 'e2: resource local-only is OSF' in problems, problems
    assert result['clusters']['erp']['nodes']['e2']['healthy'] is False
    assert result['clusters']['erp']['nodes']['e1']['healthy'] is True
    assert result['message'][0] == ('LifeKeeper health check failed: 1 of 1 cluster(s) not healthy (erp); nothing '
                                    'was changed.')
    assert result['message'][1] == 'cluster erp:'
    assert '  - e2: communication path to node3 (10.0.0.12/10.0.0.13) is DEAD' in result['message']


def test_a_mirror_not_in_sync_is_named_with_its_source_and_targets(healthy, read):
    reads = dict(healthy, e1=read(mirror=RESYNC))
    problems = check(reads)['clusters']['erp']['problems']
    assert problems == ['e1: mirror datarep-data (source node1) is not in sync: node2 Resyncing 45%, '
                        'node3 Mirroring 100%']


def test_the_mirror_is_judged_as_its_source_sees_it(healthy, read):
    """node2 (the target) answers about the mirror too: the node it is in service on wins."""
    in_sync_on_source = dict(healthy, e2=read(status_e=(0, node2_view(osu(ISP_HERE)), ''),
                                              long=(0, node2_view(osu(LONG)), ''), mirror=RESYNC))
    assert check(in_sync_on_source)['healthy'] is True
    resyncing_on_source = dict(healthy, e1=read(mirror=RESYNC))
    assert check(resyncing_on_source)['healthy'] is False


def test_a_mirror_whose_state_is_unknown(healthy, read):
    about_another = IN_SYNC.replace('datarep-data', 'datarep-other')
    problems = check(dict(healthy, e1=read(mirror=about_another)))['clusters']['erp']['problems']
    assert len(problems) == 1 and problems[0].startswith('e1: the state of mirror datarep-data is unknown ('), problems


def test_an_unreachable_node_is_its_clusters_problem_and_the_other_cluster_is_checked(healthy):
    clusters = [{'name': 'erp', 'hosts': ['e1', 'e2']}, {'name': 'crm', 'hosts': ['c1', 'c2']}]
    reads = {'e1': healthy['e1'], 'e2': healthy['e2'], 'c1': healthy['e1'], 'c2': UNREACHABLE}
    result = check(reads, clusters=clusters)
    assert result['unhealthy'] == ['crm'] and result['clusters']['erp']['healthy'] is True
    crm = result['clusters']['crm']
    assert crm['problems'] == [
        'c2: state unknown, the node could not be read (unreachable: Failed to connect to the host via ssh: '
        'Connection refused)',
        # c2 might be its standby: the sentence says that it was not read
        'hierarchy app-web (in service on c1) has no standby node of those read (c2 could not be read) to switch to'
        ' (%s)' % cluster.NO_STANDBY_HINT]
    assert crm['nodes']['c2'] == {'read': False, 'healthy': False, 'problems': [crm['problems'][0]],
                                  'reason': 'unreachable: Failed to connect to the host via ssh: Connection refused'}
    assert result['lines'][0] == 'cluster erp: ' + health.HEALTHY
    assert result['lines'][1] == 'cluster crm: NOT healthy, 2 problem(s):'
    assert result['message'][0].startswith('LifeKeeper health check failed: 1 of 2 cluster(s) not healthy (crm)')


def test_a_host_without_a_read_counts_as_not_read(healthy):
    problems = check({'e1': healthy['e1']})['clusters']['erp']['problems']
    assert problems[0] == 'e2: state unknown, the node could not be read (not read)'


def test_lifekeeper_not_running(healthy, read):
    problems = check(dict(healthy, e2=read(lktest=1, initdone=False)))['clusters']['erp']['problems']
    assert problems == ['e2: LifeKeeper is not running (%s)' % cluster.START_HINT,
                        'hierarchy app-web (in service on e1) has no standby node to switch to (%s)'
                        % cluster.NO_STANDBY_HINT]


def test_running_but_not_ready(healthy, read):
    problems = check(dict(healthy, e2=read(status_e=(0, node2_view(osu(ISP_HERE)), ''),
                                           long=(0, node2_view(osu(LONG)), ''), initdone=False)))
    assert problems['clusters']['erp']['problems'] == [
        'e2: LifeKeeper is running but not ready (no LK_INITDONE: it is still starting or its start failed)']


def test_in_service_on_both_nodes_and_on_none(healthy, read):
    both = dict(healthy, e2=read(status_e=(0, node2_view(ISP_HERE), ''), long=(0, node2_view(LONG), '')))
    assert check(both)['clusters']['erp']['problems'] == [
        'hierarchy app-web is in service on more than one node: e1, e2']
    # each node holding it is named in its own state (the findings carry their hosts)
    nodes = check(both)['clusters']['erp']['nodes']
    assert [nodes[host]['problems'] for host in ('e1', 'e2')] == [
        ['hierarchy app-web is in service on more than one node: e1, e2']] * 2
    none = dict(healthy, e1=read(status_e=(0, osu(ISP_HERE), ''), long=(0, osu(LONG), '')))
    result = check(none)['clusters']['erp']
    assert 'hierarchy app-web is in service on no node' in result['problems'], result['problems']
    # in service nowhere is no node's own problem
    assert not [p for host in ('e1', 'e2') for p in result['nodes'][host]['problems'] if 'no node' in p], result


def test_versions_differ_inside_the_cluster(healthy, read):
    older = read(version='9.7.0', status_e=(0, node2_view(osu(ISP_HERE)), ''), long=(0, node2_view(osu(LONG)), ''))
    result = check(dict(healthy, e2=older))['clusters']['erp']
    assert result['problems'] == ['LifeKeeper versions differ inside the cluster: e1 9.9.0, e2 9.7.0']
    assert not result['nodes']['e1']['healthy'] and not result['nodes']['e2']['healthy']


def test_a_node_without_any_communication_path(healthy, read):
    alone = ISP_HERE.split('\n\n')[0] + '\n\nMACHINE  NETWORK  ADDRESSES/DEVICE       STATE  PRIO\n'
    problems = check(dict(healthy, e1=read(status_e=(0, alone, ''))))['clusters']['erp']['problems']
    # one sentence for one fact: the membership finding (e1 knows no peer) says it, the older
    # "no communication path to any other node" is not printed beside it
    assert [problem for problem in problems if problem.startswith('e1: ')] == [
        'e1: LifeKeeper there does not know e2 (node2: no communication path, not a known machine), although e2 '
        'knows it: create the communication paths on both nodes'], problems
    # a node without paths that still knows its peers (known machines of the long display) is
    # not a membership finding: the older sentence says it
    knows = dict(healthy, e1=dict(read(status_e=(0, alone, '')), known_machines=['node1', 'node2']))
    problems = check(knows)['clusters']['erp']['problems']
    assert 'e1: LifeKeeper has no communication path to any other node' in problems, problems


def test_a_lock_left_on_a_node_and_the_controller(healthy, lock_query):
    result = check(healthy, [lock_query('e1', 'R1'), lock_query('e2')],
                   [lock_query('controller', 'R1', '__lk_lock_cluster', CLUSTER[0])])
    erp = result['clusters']['erp']
    assert len(erp['problems']) == 1, erp['problems']
    problem = erp['problems'][0]
    for part in ('cluster erp is locked by run R1 (controller ctl1, user ops, pid 4242)', 'on e1, the controller',
                 'resume that run with lk_run_id=R1', '-e lk_break_lock=R1'):
        assert part in problem, problem
    assert not erp['nodes']['e1']['healthy'] and erp['nodes']['e2']['healthy']


def test_a_lock_whose_process_runs_on_this_controller_is_a_run_at_work(healthy, lock_query):
    controller = lock_query('controller', 'R1', '__lk_lock_cluster', 'erp')
    controller['process'] = 'alive'
    problems = check(healthy, [], [controller])['clusters']['erp']['problems']
    assert problems == [problems[0]] and problems[0].endswith(
        'its process still runs on this controller: a run is working on the cluster now')


def test_a_lock_that_cannot_be_read(healthy, lock_query):
    unsafe = dict(lock_query('e2'), failed=True, msg='/var/lib/hatools-lifekeeper/lock is not a directory of this user')
    unsafe.pop('path')
    problems = check(healthy, [lock_query('e1'), unsafe])['clusters']['erp']['problems']
    assert problems == ['e2: the cluster lock could not be read (lk_lock failed: /var/lib/hatools-lifekeeper/lock is '
                        'not a directory of this user)']


def test_an_unreachable_node_is_named_once_not_again_for_its_lock(healthy, lock_query):
    reads = dict(healthy, e2=UNREACHABLE)
    problems = check(reads, [lock_query('e1'), dict(UNREACHABLE, __lk_lock_host='e2')])['clusters']['erp']['problems']
    assert [p for p in problems if p.startswith('e2: ')] == [
        'e2: state unknown, the node could not be read (unreachable: Failed to connect to the host via ssh: '
        'Connection refused)']


@pytest.mark.parametrize('statuses, clusters, says', [
    ([], CLUSTER, 'the cluster status must be a dict'),
    ({}, 'erp', 'clusters must be a list of {name, hosts}'),
    ({}, [{'name': 'erp'}], 'clusters must be a list of {name, hosts}'),
])
def test_bad_input_is_named(statuses, clusters, says):
    with pytest.raises(ValueError, match=says.replace('{', r'\{').replace('}', r'\}')):
        health.health(statuses, clusters)


def test_a_lock_file_that_is_not_a_lock(healthy, lock_query):
    query = lock_query('e1', 'R1')
    with open(query['path'], 'w') as handle:
        handle.write('not json')
    result = lock_query('e1')
    problems = check(healthy, [result])['clusters']['erp']['problems']
    assert len(problems) == 1 and problems[0].startswith('cluster erp is locked by an unreadable lock ('), problems
    assert problems[0].endswith('on e1: its content is not a lock (no run id); break it in the next run with '
                                '-e lk_break_lock=unreadable'), problems
