# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_cluster_record: the cluster's record through a flow - start, steps, node passes, the
result - and the endings: refused, skipped, failed, interrupted (read), resumed."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
from unittest import mock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 renders every string
    def trust_as_template(value):
        return value

from ansible_collections.hatools.lifekeeper.plugins.action import lk_cluster_record
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import plan

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes, unknown

SWITCH = {'tag': 'app', 'from': 'n1', 'to': 'n2', 'downtime_s': 2.5}


def flow_vars(tmp_path, **more):
    the_plan = plan.build_plan(two_nodes(), '9.9.0', order=['n1', 'n2'], cluster='prod')
    task_vars = {'__lk_cluster': 'prod', '__lk_plan': the_plan, '__lk_cluster_hosts': ['n1', 'n2'],
                 '__lk_run': 'run1', '__lk_run_dir': str(tmp_path / 'run1'), 'lk_cluster_hosts': ['n1', 'n2'],
                 '__lk_resume_vars': [['lk_run_id', 'run1'], ['lk_confirm', 'true']]}
    task_vars.update(more)
    return task_vars


def run(args, task_vars):
    task = mock.MagicMock(args=dict(args), async_val=0, check_mode=False, diff=False)
    connection = mock.MagicMock()
    connection._shell.tmpdir = None
    templar = Templar(loader=DataLoader(), variables=task_vars)
    action = lk_cluster_record.ActionModule(task, connection, mock.MagicMock(), loader=None, templar=templar,
                                            shared_loader_obj=None)
    result = action.run(task_vars=task_vars)
    # a later task sees the facts this one returned
    task_vars.update(result.get('ansible_facts') or {})
    return result


def on_disk(task_vars):
    with open('%s/clusters/%s.json' % (task_vars['__lk_run_dir'], task_vars['__lk_cluster'])) as handle:
        return json.load(handle)


def test_a_successful_flow_leaves_its_steps_passes_and_result_on_disk(tmp_path):
    task_vars = flow_vars(tmp_path)
    started = run({'op': 'start'}, task_vars)
    assert not started.get('failed'), started
    assert task_vars['__lk_step'] == {'node': 'cluster', 'name': 'start'} and task_vars['__lk_node_records'] == {}
    # the first step's progress line (its note's name) is templated before the note runs
    assert task_vars['__lk_progress'] == {'cluster': 'prod', 'started': task_vars['__lk_cluster_started']}
    run({'op': 'step', 'name': 'placement record'}, task_vars)
    assert task_vars['__lk_progress'] == {'cluster': 'prod', 'started': task_vars['__lk_cluster_started']}
    first = run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, task_vars)
    assert first['ansible_facts']['__lk_node_plan']['name'] == 'n2'
    assert first['ansible_facts']['__lk_evacuate_gate'] == {}
    assert task_vars['__lk_progress']['node'] == 'n2' and task_vars['__lk_progress']['nodes'] == ['n2', 'n1']
    changing = run({'op': 'step', 'node': 'n2', 'name': 'update', 'changes': True}, task_vars)
    assert changing['ansible_facts']['__lk_cluster_read_unchanged'] is False
    task_vars.update(__lk_evacuations={'n2': []})
    run({'op': 'node', 'node': 'n2'}, task_vars)
    run({'op': 'step', 'node': 'n1', 'name': 'evacuate', 'first': True}, task_vars)
    task_vars.update(__lk_evacuations={'n2': [], 'n1': [SWITCH]}, __lk_evacuated_at={'n1': task_vars['__lk_node_started']})
    run({'op': 'node', 'node': 'n1'}, task_vars)
    assert task_vars['__lk_node_records']['n1']['switchovers'] == [SWITCH]
    # the pass ended: the next line (placement) names the cluster, no node
    assert task_vars['__lk_progress'] == {'cluster': 'prod', 'started': task_vars['__lk_cluster_started']}
    task_vars.update(__lk_cluster_status=two_nodes('9.9.0'))
    result = run({'op': 'result', 'result': 'success'}, task_vars)
    assert result['changed'] is False and result['path'].endswith('/run1/clusters/prod.json')
    outcome = task_vars['__lk_cluster_result']
    assert outcome['report']['result'] == 'success' and outcome['artifacts'] == str(tmp_path / 'run1')
    assert outcome['resume_vars'][-1] == ['lk_confirm', 'true']
    record = on_disk(task_vars)
    assert [(s['node'], s['name']) for s in record['steps']] == [
        ('cluster', 'placement record'), ('n2', 'evacuate'), ('n2', 'update'), ('n1', 'evacuate')]
    assert record['result']['report']['result'] == 'success' and record['ended'] is not None
    assert sorted(record['nodes']) == ['n1', 'n2']


def test_a_failure_keeps_the_failed_pass_and_what_the_rescue_did(tmp_path):
    task_vars = flow_vars(tmp_path)
    run({'op': 'start'}, task_vars)
    run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, task_vars)
    # the evacuation ended (its switchovers and its end are set together), then the update failed
    task_vars.update(__lk_evacuations={'n2': [SWITCH]}, __lk_evacuated_at={'n2': task_vars['__lk_node_started'] + 1})
    run({'op': 'step', 'node': 'n2', 'name': 'update', 'changes': True}, task_vars)
    run({'op': 'node', 'node': task_vars['__lk_step']['node'], 'ended': False}, task_vars)
    task_vars.update(__lk_cluster_status={'n1': two_nodes()['n1'], 'n2': unknown()},
                     __lk_failure_time='2026-12-07T10:00:00Z', __lk_rescue_errors=['n2: not reached'],
                     __lk_rescue_brought_back=['app on n1'])
    run({'op': 'result', 'result': 'failed', 'failure': "n2 failed at 'update': boom"}, task_vars)
    outcome = task_vars['__lk_cluster_result']
    assert outcome['report']['result'] == 'failed' and 'boom' in outcome['report']['failure']
    assert outcome['rescue_errors'] == ['n2: not reached'] and outcome['rescued'] == ['app on n1']
    assert on_disk(task_vars)['nodes']['n2']['switchovers'] == [SWITCH]
    assert on_disk(task_vars)['nodes']['n2']['ended'] is None


def test_an_interrupted_flow_is_read_back_by_the_controllers_rescue(tmp_path):
    leader = flow_vars(tmp_path, __lk_configured={'n1': ['app'], 'n2': ['app']})
    run({'op': 'start'}, leader)
    leader.update(lk_placement_before={'app': 'n1'})
    run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, leader)
    leader.update(__lk_evacuations={'n2': []})
    run({'op': 'node', 'node': 'n2'}, leader)
    run({'op': 'step', 'node': 'n1', 'name': 'update', 'changes': True}, leader)
    # the controller: the include's vars name the cluster as templates of the leader's hostvars
    controller = {'hostvars': {'n1': leader}, '__lk_run_dir': leader['__lk_run_dir'], '__lk_run': 'run1',
                  '__lk_cluster': trust_as_template("{{ hostvars['n1'].__lk_cluster }}"),
                  '__lk_plan': trust_as_template("{{ hostvars['n1'].__lk_plan }}")}
    read = run({'op': 'read'}, controller)
    assert not read.get('failed'), read
    assert read['changed'] is False
    assert controller['__lk_step'] == {'node': 'n1', 'name': 'update'}
    assert list(controller['__lk_node_records']) == ['n2']
    assert controller['__lk_cluster_started'] == leader['__lk_cluster_started']
    assert controller['__lk_plan'] == leader['__lk_plan'] and controller['__lk_cluster_hosts'] == ['n1', 'n2']
    assert controller['lk_placement_before'] == {'app': 'n1'} and controller['__lk_placement_record'] == []
    assert controller['__lk_configured'] == {'n1': ['app'], 'n2': ['app']}


def test_reading_a_cluster_whose_flow_never_started_fails_naming_it(tmp_path):
    result = run({'op': 'read'}, flow_vars(tmp_path))
    assert result['failed'] is True and 'no record of cluster prod' in result['msg']


def test_refused_and_skipped_clusters_get_a_record_of_their_own(tmp_path):
    for outcome, cluster in (('refused', 'prod'), ('skipped', 'test')):
        task_vars = flow_vars(tmp_path, __lk_cluster=cluster)
        run({'op': 'result', 'result': outcome, 'failure': ['n2: not healthy'], 'statuses': two_nodes()}, task_vars)
        assert task_vars['__lk_cluster_result']['report']['result'] == outcome
        record = on_disk(task_vars)
        assert record['result']['report']['result'] == outcome and record['steps'] == []


def test_a_resume_with_the_same_run_id_keeps_the_earlier_attempt(tmp_path):
    first = flow_vars(tmp_path)
    run({'op': 'start'}, first)
    run({'op': 'step', 'node': 'n2', 'name': 'update', 'changes': True}, first)
    again = flow_vars(tmp_path)
    run({'op': 'start'}, again)
    record = on_disk(again)
    assert record['steps'] == [] and [a['result'] for a in record['attempts']] == ['interrupted']
    assert record['attempts'][0]['step']['name'] == 'update'


def test_bad_calls_fail_naming_what_is_missing(tmp_path):
    assert 'needs name' in run({'op': 'step'}, flow_vars(tmp_path))['msg']
    assert 'needs node' in run({'op': 'node'}, flow_vars(tmp_path))['msg']
    bad = run({'op': 'start'}, flow_vars(tmp_path, __lk_cluster='a/b'))
    assert bad['failed'] is True and "'a/b'" in bad['msg']


def test_a_record_that_cannot_be_written_stops_the_start_and_nothing_after_it(tmp_path):
    (tmp_path / 'run1').write_text('a file where the run folder should be')
    result = run({'op': 'start'}, flow_vars(tmp_path))
    assert result['failed'] is True and 'cannot be' in result['msg'] and 'run1/clusters/prod.json' in result['msg']
    # later, in the flow or its rescue: the facts come back all the same, the task warns naming the file
    task_vars = flow_vars(tmp_path, __lk_node_records={'n2': {'started': 1, 'ended': None, 'switchovers': [SWITCH]}},
                          __lk_cluster_status=two_nodes(), __lk_node_started=1.0, __lk_evacuated_at={'n2': 2.0})
    for args in ({'op': 'step', 'name': 'verify'}, {'op': 'node', 'node': 'n2', 'ended': False},
                 {'op': 'result', 'result': 'failed', 'failure': 'boom'}):
        result = run(args, task_vars)
        assert not result.get('failed'), result
        assert result['changed'] is False and 'run1/clusters/prod.json' in ' '.join(result['warnings'])
    outcome = task_vars['__lk_cluster_result']
    assert outcome['report']['result'] == 'failed' and task_vars['__lk_node_records']['n2']['switchovers'] == [SWITCH]


def _finished(tmp_path, cluster='prod'):
    task_vars = flow_vars(tmp_path, __lk_cluster=cluster, __lk_run_started=0.0)
    run({'op': 'start'}, task_vars)
    task_vars.update(__lk_cluster_status=two_nodes('9.9.0'))
    run({'op': 'result', 'result': 'success'}, task_vars)
    return task_vars


def test_the_lock_note_goes_into_the_result_and_the_record(tmp_path):
    leader = _finished(tmp_path)
    run({'op': 'lock', 'note': 'the cluster lock is kept: n2 is left part-way'}, leader)
    assert leader['__lk_cluster_result']['lock_note'] == 'the cluster lock is kept: n2 is left part-way'
    assert on_disk(leader)['result']['lock_note'] == 'the cluster lock is kept: n2 is left part-way'
    assert on_disk(leader)['result']['report']['result'] == 'success'


def test_the_report_takes_each_result_from_the_record_of_this_attempt(tmp_path):
    prod, test = _finished(tmp_path, 'prod'), _finished(tmp_path, 'test')
    run({'op': 'lock', 'note': 'released'}, prod)
    # the result the leader kept differs from the record's: the record wins
    prod['__lk_cluster_result'] = dict(prod['__lk_cluster_result'], lock_note='stale')
    lost = flow_vars(tmp_path, __lk_cluster='lost', __lk_cluster_started=1.0)
    controller = {'hostvars': {'p1': prod, 't1': test, 'l1': lost}, '__lk_run_dir': prod['__lk_run_dir'],
                  '__lk_run_started': 0.0}
    result = run({'op': 'results', 'leaders': ['p1', 't1', 'l1']}, controller)
    assert not result.get('failed'), result
    prod_result, test_result, lost_result = controller['__lk_results']
    assert prod_result['lock_note'] == 'released' and prod_result['report']['run_id'] == 'run1'
    assert test_result['report']['result'] == 'success'
    # no record and no result: the flow ended without one (every node unknown)
    assert lost_result['report']['result'] == 'failed' and 'was interrupted' in lost_result['report']['failure']
    assert lost_result['resume_vars'] == [['lk_run_id', 'run1']]
    # the run's report, built from them: failed, as one cluster failed, with one record per cluster
    report = controller['lk_report']
    assert report['result'] == 'failed' and report['operation'] == 'rolling update'
    assert [one['result'] for one in report['clusters']] == ['success', 'success', 'failed']


def test_a_resume_does_not_report_the_result_an_earlier_attempt_recorded(tmp_path):
    earlier = _finished(tmp_path)
    # the resume starts after the earlier attempt ended; its flow recorded nothing yet
    resumed = flow_vars(tmp_path)
    controller = {'hostvars': {'p1': resumed}, '__lk_run_dir': earlier['__lk_run_dir'],
                  '__lk_run_started': on_disk(earlier)['ended'] + 1}
    run({'op': 'results', 'leaders': ['p1']}, controller)
    assert controller['__lk_results'][0]['report']['result'] == 'failed'


def test_an_unreadable_record_warns_and_the_leaders_result_stands_in(tmp_path):
    leader = _finished(tmp_path)
    with open('%s/clusters/prod.json' % leader['__lk_run_dir'], 'w') as handle:
        handle.write('{')
    controller = {'hostvars': {'p1': leader}, '__lk_run_dir': leader['__lk_run_dir'], '__lk_run_started': 0.0}
    result = run({'op': 'results', 'leaders': ['p1']}, controller)
    assert controller['__lk_results'][0]['report']['result'] == 'success'
    assert any('prod.json cannot be read' in warning for warning in result['warnings']), result


def test_a_rescue_keeps_a_failed_pass_only_when_its_evacuation_ended_in_that_pass(tmp_path):
    task_vars = flow_vars(tmp_path)
    run({'op': 'start'}, task_vars)
    run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, task_vars)
    # an earlier pass's evacuation (a multi-hop run) does not count for this one
    task_vars.update(__lk_evacuations={'n2': [SWITCH]}, __lk_evacuated_at={'n2': task_vars['__lk_node_started'] - 60})
    assert run({'op': 'node', 'node': 'n2', 'ended': False}, task_vars)['ansible_facts'] == {}
    assert on_disk(task_vars)['nodes'] == {}
    # a cluster step is no node's pass
    assert run({'op': 'node', 'node': 'cluster', 'ended': False}, task_vars)['ansible_facts'] == {}
    task_vars.update(__lk_evacuated_at={'n2': task_vars['__lk_node_started'] + 1})
    run({'op': 'node', 'node': 'n2', 'ended': False}, task_vars)
    assert on_disk(task_vars)['nodes']['n2']['switchovers'] == [SWITCH]


def test_a_maintained_node_is_preferred_as_a_standby_once_its_pass_ended(tmp_path):
    the_plan = plan.build_plans([{'name': 'prod', 'hosts': ['n1', 'n2']}], two_nodes(), '', operation='maintenance')
    task_vars = flow_vars(tmp_path, __lk_plan=the_plan['prod'])
    run({'op': 'start'}, task_vars)
    run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, task_vars)
    task_vars.update(__lk_evacuations={'n2': []})
    run({'op': 'node', 'node': 'n2'}, task_vars)
    assert task_vars['__lk_maintained'] == ['n2']
    run({'op': 'step', 'node': 'n1', 'name': 'evacuate', 'first': True}, task_vars)
    run({'op': 'node', 'node': 'n1'}, task_vars)
    assert task_vars['__lk_maintained'] == ['n2', 'n1']
