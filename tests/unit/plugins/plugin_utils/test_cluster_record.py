# -*- coding: utf-8 -*-
"""The cluster record: its steps, node passes, result, and the attempts a resume keeps."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster_record, plan

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes, unknown

SWITCH = {'tag': 'app', 'from': 'n1', 'to': 'n2', 'downtime_s': 2.5}


def _plan():
    return plan.build_plan(two_nodes(), '9.9.0', order=['n1', 'n2'], cluster='lifekeeper')


def _record(**kwargs):
    return cluster_record.new('lifekeeper', 'run1', None, ['n1', 'n2'], _plan(), 100.0, **kwargs)


def test_a_new_record_starts_at_the_clusters_first_step():
    record = _record()
    assert record['schema'] == cluster_record.SCHEMA and record['operation'] == 'rolling update'
    assert record['step'] == {'node': 'cluster', 'name': 'start'} and record['steps'] == []
    assert record['nodes'] == {} and record['result'] is None and record['attempts'] == []
    assert record['resume_vars'] is None


@pytest.mark.parametrize('cluster', ['', None, '.', '..', 'a/b'])
def test_a_cluster_name_that_is_no_file_name_is_refused(cluster):
    with pytest.raises(ValueError, match='cluster name'):
        cluster_record.record_path('/run', cluster)


def test_no_run_folder_is_refused():
    with pytest.raises(ValueError, match='run folder'):
        cluster_record.record_path('', 'prod')


def test_saved_private_and_loaded_back(tmp_path):
    path = cluster_record.record_path(str(tmp_path / 'run1'), 'prod')
    assert cluster_record.load(path) is None
    cluster_record.save(path, _record())
    assert cluster_record.load(path) == json.loads(json.dumps(_record()))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700


@pytest.mark.parametrize('content', ['{not json', '[]', '{"schema": 99}'])
def test_a_file_that_is_not_a_record_is_an_error_naming_it(tmp_path, content):
    path = str(tmp_path / 'prod.json')
    with open(path, 'w') as handle:
        handle.write(content)
    with pytest.raises(ValueError, match='prod.json'):
        cluster_record.load(path)


def test_steps_are_noted_in_order_the_last_one_is_the_current():
    record = cluster_record.note_step(_record(), None, 'backup', 101)
    record = cluster_record.note_step(record, 'n1', 'evacuate', 102)
    assert record['step'] == {'node': 'n1', 'name': 'evacuate', 'at': 102}
    assert [(s['node'], s['name']) for s in record['steps']] == [('cluster', 'backup'), ('n1', 'evacuate')]


def test_a_nodes_passes_add_up_and_a_failed_pass_keeps_its_switchovers():
    record = cluster_record.keep_node(_record(), 'n1', 110, 130, [SWITCH], '9.8.0', 'update', 115)
    record = cluster_record.keep_node(record, 'n1', 140, None, [SWITCH], '9.9.0', 'update', 145)
    node = record['nodes']['n1']
    assert node['started'] == 110 and node['ended'] is None and node['hops'] == ['9.8.0', '9.9.0']
    assert node['switchovers'] == [SWITCH, SWITCH]
    assert [s['name'] for s in node['steps']] == ['evacuate', 'update', 'evacuate', 'update']


def test_a_skipped_pass_adds_no_switchover():
    record = cluster_record.keep_node(_record(), 'n2', 110, 111, [SWITCH], '9.9.0', 'skip')
    assert record['nodes']['n2']['switchovers'] == [] and record['nodes']['n2']['steps'] == []


def test_the_node_plan_of_a_pass_and_an_unknown_node():
    the_plan = _plan()
    assert cluster_record.node_plan(the_plan, None, 'n2')['name'] == 'n2'
    hop = {'version': '9.8.0', 'nodes': [{'name': 'n1', 'action': 'update'}]}
    assert cluster_record.node_plan(the_plan, hop, 'n1') == {'name': 'n1', 'action': 'update'}
    with pytest.raises(ValueError, match="no node 'n9'"):
        cluster_record.node_plan(the_plan, None, 'n9')


def test_progress_context_of_the_cluster_and_of_a_node():
    assert cluster_record.progress_context('prod', 5) == {'cluster': 'prod', 'started': 5}
    assert cluster_record.progress_context('prod', 5, 'n1', ['n1', 'n2'], '9.9.0', 2) == {
        'cluster': 'prod', 'started': 5, 'node': 'n1', 'nodes': ['n1', 'n2'], 'hop': '9.9.0', 'hops': 2}


def test_success_result_from_the_record_and_a_fresh_read():
    record = cluster_record.keep_node(_record(), 'n2', 110, 120, [], '9.9.0', 'update')
    record = cluster_record.keep_node(record, 'n1', 120, 140, [SWITCH], '9.9.0', 'update', 125)
    result = cluster_record.cluster_result(record, 'success', two_nodes('9.9.0'), artifacts='/a/run1', ended=150)
    assert result['cluster'] == 'lifekeeper' and result['run_id'] == 'run1' and result['artifacts'] == '/a/run1'
    assert result['report']['result'] == 'success' and result['operation'] == 'rolling update'
    assert result['resume_vars'] == [['lk_run_id', 'run1']] and result['rescue_errors'] == []
    assert result['report']['started'] and result['report']['ended']


def test_failed_result_names_the_failure_and_what_the_rescue_did():
    record = cluster_record.keep_node(_record(resume_vars=[['lk_run_id', 'run1'], ['lk_confirm', 'true']]),
                                      'n1', 110, None, [SWITCH], None, 'update', 115)
    statuses = {'n1': unknown(), 'n2': two_nodes('9.9.0')['n2']}
    result = cluster_record.cluster_result(
        record, 'failed', statuses, "n1 failed at 'update': boom", failure_time='2026-12-07T10:00:00Z',
        rescue_errors=['x'], rescued=['app on n2'], ended=150)
    assert result['report']['result'] == 'failed' and 'boom' in result['report']['failure']
    assert result['rescue_errors'] == ['x'] and result['rescued'] == ['app on n2']
    assert result['resume_vars'][-1] == ['lk_confirm', 'true']


@pytest.mark.parametrize('outcome, words', [('refused', 'refused in pre-flight'), ('skipped', 'skipped')])
def test_a_cluster_never_touched_is_refused_or_skipped(outcome, words):
    result = cluster_record.cluster_result(_record(), outcome, two_nodes(), ['the cluster is not healthy'])
    assert result['report']['result'] == outcome
    assert words in result['report']['failure'] and 'nothing was changed' in result['report']['failure']


def test_an_unknown_result_is_refused():
    with pytest.raises(ValueError, match="'done'"):
        cluster_record.cluster_result(_record(), 'done', {})


def test_a_resume_keeps_each_earlier_attempt_in_short():
    interrupted = cluster_record.note_step(_record(), 'n1', 'update', 120)
    interrupted = cluster_record.keep_node(interrupted, 'n2', 105, 115, [], None, 'update')
    second = cluster_record.new('lifekeeper', 'run1', None, ['n1', 'n2'], _plan(), 200.0, earlier=interrupted)
    assert second['attempts'] == [{'started': 100.0, 'ended': None, 'step': {'node': 'n1', 'name': 'update', 'at': 120},
                                   'nodes_done': ['n2'], 'result': 'interrupted'}]
    done = cluster_record.finish(second, cluster_record.cluster_result(second, 'success', two_nodes('9.9.0')), 260)
    third = cluster_record.new('lifekeeper', 'run1', None, ['n1', 'n2'], _plan(), 300.0, earlier=done)
    assert [a['result'] for a in third['attempts']] == ['interrupted', 'success']
    assert third['steps'] == [] and third['nodes'] == {}


def test_the_rescue_view_falls_back_on_the_plans_placement_until_one_is_recorded():
    record = _record(configured={'n1': ['app']})
    assert cluster_record.rescue_view(record)['placement_before'] == _plan()['placement_before']
    record = cluster_record.with_placement(record, {'app': 'n2'}, None)
    record = cluster_record.with_placement(record, None, [SWITCH])
    view = cluster_record.rescue_view(record)
    assert view['placement_before'] == {'app': 'n2'} and view['placement_switchovers'] == [SWITCH]
    assert view['configured'] == {'n1': ['app']} and view['step'] == {'node': 'cluster', 'name': 'start'}
    # the result takes the recorded placement when the caller gives none
    result = cluster_record.cluster_result(record, 'success', two_nodes('9.9.0'))
    assert result['report']['result'] == 'success'


def _gate(host, **more):
    """A registered lk_status gate result: the node's read, as the update role's gate returns it."""
    return dict(two_nodes(version='9.9.0')[host], changed=False, **more)


UPDATED_N1 = {'node': 'n1', 'started': 1.0, 'hop': None, 'action': 'update'}
N1_PLAN = {'name': 'n1', 'node_name': 'node1', 'action': 'update'}


def test_the_update_gates_read_is_lent_when_its_pass_ends():
    gate = _gate('n1')
    assert cluster_record.gate_read_lent('rolling update', UPDATED_N1, N1_PLAN, gate, []) == {'n1': gate}
    reinstalled = dict(UPDATED_N1, action='reinstall')
    assert cluster_record.gate_read_lent('rolling update', reinstalled, dict(N1_PLAN, action='reinstall'), gate, []) \
        == {'n1': gate}


@pytest.mark.parametrize('operation, closed, node_plan, gate, hooks', [
    # a rollback or a maintenance pass does other things after its gate
    ('rollback', UPDATED_N1, N1_PLAN, _gate('n1'), []),
    ('maintenance', dict(UPDATED_N1, action='maintain'), N1_PLAN, _gate('n1'), []),
    # a skipped node had no gate in its pass: the one registered is an earlier pass's
    ('rolling update', dict(UPDATED_N1, action='skip'), N1_PLAN, _gate('n1'), []),
    # a hook after the update ran on the node after its gate
    ('rolling update', UPDATED_N1, N1_PLAN, _gate('n1'), ['/hooks/after.yml']),
    # check mode (the gate skipped), a gate that failed or could not reach the node
    ('rolling update', UPDATED_N1, N1_PLAN, {'skipped': True, 'changed': False}, []),
    ('rolling update', UPDATED_N1, N1_PLAN, _gate('n1', failed=True, msg='timed out'), []),
    ('rolling update', UPDATED_N1, N1_PLAN, {'unreachable': True, 'msg': 'no route'}, []),
    ('rolling update', UPDATED_N1, N1_PLAN, None, []),
    # a read of another node (its LifeKeeper name), or a plan of another pass
    ('rolling update', UPDATED_N1, N1_PLAN, _gate('n2'), []),
    ('rolling update', UPDATED_N1, dict(N1_PLAN, name='n2', node_name='node2'), _gate('n1'), []),
    ('rolling update', {}, N1_PLAN, _gate('n1'), []),
])
def test_no_read_is_lent_unless_the_pass_ended_with_its_gate_on_that_node(operation, closed, node_plan, gate, hooks):
    assert cluster_record.gate_read_lent(operation, closed, node_plan, gate, hooks) == {}
