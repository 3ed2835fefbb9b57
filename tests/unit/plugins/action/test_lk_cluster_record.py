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


def run(args, task_vars, check_mode=False):
    task = mock.MagicMock(args=dict(args), async_val=0, check_mode=check_mode, diff=False)
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
    # the cluster steps' lines, the one templated before the note that ends the last pass included
    assert task_vars['__lk_cluster_progress'] == task_vars['__lk_progress']
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


def test_the_results_write_the_report_its_views_and_the_runs_copy(tmp_path):
    prod = _finished(tmp_path, 'prod')
    controller = {'hostvars': {'p1': prod}, '__lk_run_dir': prod['__lk_run_dir'], '__lk_run_started': 0.0}
    path = str(tmp_path / 'report.json')
    result = run({'op': 'results', 'leaders': ['p1'], 'report_path': path, 'keep_dir': prod['__lk_run_dir']}, controller)
    assert result['changed'] and result['files'] == [path, str(tmp_path / 'report.md'), str(tmp_path / 'report.html'),
                                                     prod['__lk_run_dir'] + '/report.json']
    with open(path) as handle:
        assert json.load(handle) == json.loads(json.dumps(controller['lk_report']))
    # the report itself not written fails the task, naming where
    failed = run({'op': 'results', 'leaders': ['p1'], 'report_path': str(tmp_path / 'nowhere' / 'r.json')}, controller)
    assert failed['failed'] and 'cannot write the report to %s' % (tmp_path / 'nowhere' / 'r.json') in failed['msg']
    # without report_path nothing is written (a report of one's own playbook)
    assert not run({'op': 'results', 'leaders': ['p1']}, controller)['changed']


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


def test_a_pass_ends_where_the_next_begins_or_at_the_next_cluster_step(tmp_path):
    the_plan = plan.build_plans([{'name': 'prod', 'hosts': ['n1', 'n2']}], two_nodes(), '', operation='maintenance')
    task_vars = flow_vars(tmp_path, __lk_plan=the_plan['prod'])
    run({'op': 'start'}, task_vars)
    run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, task_vars)
    n2_started = task_vars['__lk_node_started']
    assert task_vars['__lk_node_pass'] == {'node': 'n2', 'started': n2_started, 'hop': None, 'action': 'maintain'}
    task_vars.update(__lk_evacuations={'n2': [SWITCH]}, __lk_evacuated_at={'n2': n2_started + 1})
    # the node's own later steps do not end its pass
    run({'op': 'step', 'node': 'n2', 'name': 'maintain', 'changes': True}, task_vars)
    assert on_disk(task_vars)['nodes'] == {} and task_vars['__lk_node_pass']['node'] == 'n2'
    second = run({'op': 'step', 'node': 'n1', 'name': 'evacuate', 'first': True}, task_vars)
    kept = on_disk(task_vars)['nodes']['n2']
    assert kept['started'] == n2_started and kept['ended'] == task_vars['__lk_node_started']
    assert kept['switchovers'] == [SWITCH] and [step['name'] for step in kept['steps']] == ['evacuate', 'maintain']
    # the next node's evacuation prefers the maintained node, known before it starts
    assert second['ansible_facts']['__lk_maintained'] == ['n2']
    assert task_vars['__lk_node_pass']['node'] == 'n1'
    task_vars.update(__lk_evacuations={'n2': [SWITCH], 'n1': []})
    placement = run({'op': 'step', 'name': 'placement'}, task_vars)
    assert placement['ansible_facts']['__lk_maintained'] == ['n2', 'n1']
    assert placement['ansible_facts']['__lk_node_pass'] == {} and on_disk(task_vars)['nodes']['n1']['ended']
    # a cluster step with no pass open keeps nothing more
    before = on_disk(task_vars)['nodes']
    assert '__lk_node_records' not in run({'op': 'step', 'name': 'verify'}, task_vars)['ansible_facts']
    assert on_disk(task_vars)['nodes'] == before


def test_each_hop_of_a_node_is_kept_with_its_own_version(tmp_path):
    task_vars = flow_vars(tmp_path)
    run({'op': 'start'}, task_vars)
    hops = [dict(task_vars['__lk_plan'], version=version) for version in ('9.8.0', '9.9.0')]
    for hop in hops:
        task_vars['__lk_hop'] = hop
        run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, task_vars)
    # the first pass is kept with its hop, though __lk_hop is the second's when it ends
    task_vars.pop('__lk_hop')
    run({'op': 'step', 'name': 'placement'}, task_vars)
    assert on_disk(task_vars)['nodes']['n2']['hops'] == ['9.8.0', '9.9.0']


def placement_vars(tmp_path, **more):
    return flow_vars(tmp_path, lk_placement_file=str(tmp_path / 'run1' / 'placement-prod.json'),
                     lk_update_state_dir='/var/lib/lk', __lk_cluster_status=two_nodes(), **more)


def test_the_placement_is_recorded_once_per_run_and_its_read_lent(tmp_path):
    task_vars = placement_vars(tmp_path)
    first = run({'op': 'placement'}, task_vars)
    assert not first.get('failed'), first
    assert first['path'] == task_vars['lk_placement_file']
    recorded = first['ansible_facts']['lk_placement_before']
    assert recorded and set(recorded.values()) <= {'n1', 'n2'}
    assert first['ansible_facts']['__lk_cluster_read_unchanged'] is True
    assert (tmp_path / 'run1' / 'placement-prod.json').stat().st_mode & 0o777 == 0o600
    # a resume: the record stays the first attempt's, whatever the nodes show now; no read was made to lend
    task_vars.update(__lk_cluster_status={})
    again = run({'op': 'placement'}, task_vars)
    assert again['ansible_facts'] == {'lk_placement_before': recorded, '__lk_cluster_read_unchanged': False}


def test_a_placement_seen_from_part_of_the_cluster_is_not_recorded(tmp_path):
    task_vars = placement_vars(tmp_path)
    task_vars['__lk_cluster_status'] = dict(task_vars['__lk_cluster_status'], n2=unknown('unreachable'))
    result = run({'op': 'placement'}, task_vars)
    assert result['failed'] and 'not read: n2 (unreachable)' in result['msg']
    assert not (tmp_path / 'run1' / 'placement-prod.json').exists()


def test_a_resume_that_lost_the_controllers_placement_record_is_refused(tmp_path):
    # the nodes' copies (given, or pre-flight's) or their progress records name this run
    for given, seen, progress in (({'n1': {'app': 'n1'}}, None, {}), (None, {'n2': {'app': 'n1'}}, {}),
                                  ({}, None, {'n1': {'run_id': 'run1', 'step': 'done'}})):
        task_vars = placement_vars(tmp_path, __lk_progress_records=progress)
        if seen is not None:
            task_vars['__lk_placement_copies_seen'] = seen
        args = {'op': 'placement'} if given is None else {'op': 'placement', 'node_copies': given}
        result = run(args, task_vars)
        assert result['failed'] and 'is missing on the controller' in result['msg'], result
        assert not (tmp_path / 'run1' / 'placement-prod.json').exists()


def test_a_placement_record_that_is_a_link_or_unreadable_is_refused(tmp_path):
    task_vars = placement_vars(tmp_path)
    (tmp_path / 'run1').mkdir()
    (tmp_path / 'elsewhere.json').write_text('{}')
    (tmp_path / 'run1' / 'placement-prod.json').symlink_to(tmp_path / 'elsewhere.json')
    result = run({'op': 'placement'}, task_vars)
    assert result['failed'] and 'is a link or not a regular file' in result['msg']
    (tmp_path / 'run1' / 'placement-prod.json').unlink()
    (tmp_path / 'run1' / 'placement-prod.json').write_text('{not json')
    result = run({'op': 'placement'}, task_vars)
    assert result['failed'] and 'cannot be read' in result['msg']


def test_check_mode_writes_no_placement_record(tmp_path):
    task_vars = placement_vars(tmp_path)
    result = run({'op': 'placement'}, task_vars, check_mode=True)
    assert not result.get('failed') and 'lk_placement_before' not in result['ansible_facts']
    assert not (tmp_path / 'run1' / 'placement-prod.json').exists()


def test_the_read_of_a_passs_update_gate_is_lent_to_the_next_read_only(tmp_path):
    task_vars = flow_vars(tmp_path)
    run({'op': 'start'}, task_vars)
    first = run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, task_vars)
    # no pass ended yet: nothing to lend
    assert first['ansible_facts']['__lk_cluster_read_lent'] == {}
    run({'op': 'step', 'node': 'n2', 'name': 'update', 'changes': True}, task_vars)
    gate = dict(two_nodes(version='9.9.0')['n2'], changed=False)
    task_vars['__lk_start_gate'] = gate
    second = run({'op': 'step', 'node': 'n1', 'name': 'evacuate', 'first': True}, task_vars)
    assert second['ansible_facts']['__lk_cluster_read_lent'] == {'n2': gate}
    # the node's next step changes it: the read is no longer lent
    run({'op': 'step', 'node': 'n1', 'name': 'update', 'changes': True}, task_vars)
    assert task_vars['__lk_cluster_read_lent'] == {}
    task_vars['__lk_start_gate'] = dict(two_nodes(version='9.9.0')['n1'], changed=False)
    placement = run({'op': 'step', 'name': 'placement'}, task_vars)
    assert placement['ansible_facts']['__lk_cluster_read_lent'] == {'n1': task_vars['__lk_start_gate']}
    # a cluster step with no pass open lends nothing (the placement restore changed the cluster)
    assert run({'op': 'step', 'name': 'verify'}, task_vars)['ansible_facts']['__lk_cluster_read_lent'] == {}


def test_no_read_is_lent_past_a_hook_after_the_update(tmp_path):
    task_vars = flow_vars(tmp_path, lk_hook_after_update=['/srv/hooks/after_update.yml'])
    run({'op': 'start'}, task_vars)
    run({'op': 'step', 'node': 'n2', 'name': 'evacuate', 'first': True}, task_vars)
    task_vars['__lk_start_gate'] = dict(two_nodes(version='9.9.0')['n2'], changed=False)
    assert run({'op': 'step', 'node': 'n1', 'name': 'evacuate', 'first': True},
               task_vars)['ansible_facts']['__lk_cluster_read_lent'] == {}
