# -*- coding: utf-8 -*-
"""The report and the messages, built from records and fresh reads only."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster_record, plan, report

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes, unknown

SWITCH = {'tag': 'app', 'from': 'n1', 'to': 'n2', 'downtime_s': 2.5}
BACK = {'tag': 'app', 'from': 'n2', 'to': 'n1', 'downtime_s': 1.5}


def _plan():
    return plan.build_plan(two_nodes(), '9.9.0', order=['n1', 'n2'], cluster='lifekeeper')


def test_switch_records_only_count_real_switchovers():
    loop_results = [{'lk_move': {'tag': 'app', 'from': 'n1', 'to': 'n2'}, 'changed': True,
                     'results': [{'tag': 'app', 'before': 'OSU', 'after': 'ISP', 'changed': True, 'duration_s': 2.5,
                                  'start': '2026-11-22T02:30:01.120Z', 'end': '2026-11-22T02:30:03.620Z'}]},
                    {'lk_move': {'tag': 'x', 'from': 'n1', 'to': 'n2'}, 'changed': False,
                     'results': [{'tag': 'x', 'before': 'ISP', 'after': 'ISP', 'changed': False, 'duration_s': 0}]},
                    {'lk_move': {'tag': 'y', 'to': 'n2'}, 'skipped': True}]
    # the module's start and end place the outage on the report's timeline
    assert report.switch_records(loop_results, 'lk_move') == [
        dict(SWITCH, start='2026-11-22T02:30:01.120Z', end='2026-11-22T02:30:03.620Z')]
    no_from = [dict(loop_results[0], lk_move={'tag': 'app', 'to': 'n2'})]
    assert report.switch_records(no_from, 'lk_move', 'n9')[0]['from'] == 'n9'


def test_report_of_a_successful_run():
    final = two_nodes('9.9.0')
    records = {'n2': {'started': 10, 'ended': 25.5, 'switchovers': []},
               'n1': {'started': 30, 'ended': 50, 'switchovers': [SWITCH]}}
    rep = report.build_report(_plan(), 'success', records, {'app': 'n1'}, final, None, [BACK])
    assert rep['result'] == 'success' and rep['cluster'] == 'lifekeeper'
    assert rep['hierarchies_lost'] == [] and rep['unreadable_nodes'] == {}
    assert rep['switchovers'] == 2 and rep['max_downtime_s'] == 2.5
    assert [(n['name'], n['action'], n['version_after'], n['duration_s'], len(n['switchovers']))
            for n in rep['nodes']] == [('n2', 'updated', '9.9.0', 15.5, 0), ('n1', 'updated', '9.9.0', 20.0, 2)]
    assert rep['moves_planned'] == rep['moves_made'] == [
        {'tag': 'app', 'from': 'n1', 'to': 'n2'}, {'tag': 'app', 'from': 'n2', 'to': 'n1'}]
    assert report.report_lines(rep)[0] == 'LifeKeeper rolling update to 9.9.0: SUCCESS'
    assert 'hierarchies lost: none' in report.report_lines(rep)[-1]


def test_moves_made_differ_from_the_plan_when_the_run_did_otherwise():
    records = {'n2': {'started': 1, 'ended': 2, 'switchovers': []},
               'n1': {'started': 3, 'ended': 4, 'switchovers': [dict(SWITCH, to='n3')]}}
    rep = report.build_report(_plan(), 'success', records, {'app': 'n1'}, two_nodes('9.9.0'))
    assert rep['moves_made'] != rep['moves_planned']


def test_failed_report_from_fresh_reads():
    final = two_nodes('9.9.0')
    final['n1']['resources'][0]['state'] = 'OSU'
    records = {'n2': {'started': 10, 'ended': 25.5, 'switchovers': []}}
    failed = report.build_report(_plan(), 'failed', records, {'app': 'n1'}, final, 'n1 failed at \'update\': boom')
    assert failed['hierarchies_lost'] == ['app']
    assert failed['nodes'][1]['action'] == 'not done'
    text = '\n'.join(report.report_lines(failed))
    assert 'FAILED' in text and 'hierarchies lost: app' in text and "failure: n1 failed at 'update'" in text


def test_lost_is_unknown_with_the_unread_node_named():
    final = two_nodes()
    final['n1'] = unknown('unreachable: no route')
    final['n2']['resources'][0]['state'] = 'OSU'
    rep = report.build_report(_plan(), 'failed', {}, {'app': 'n1'}, final, 'n1 failed at \'update\': x')
    assert rep['hierarchies_lost'] == 'unknown'
    assert rep['unreadable_nodes'] == {'n1': 'unreachable: no route'}
    assert rep['nodes'][1]['version_after'] is None
    assert 'hierarchies lost: unknown (not read: n1 (unreachable: no route))' in report.report_lines(rep)[-2]
    message = report.failure_message(rep, final, 'arts/run1', 'ansible-playbook x.yml -e lk_run_id=run1')
    assert 'lost: unknown (not read: n1 (unreachable: no route)).' in message
    assert 'Hierarchies in service now: {} (on the nodes that could be read; not read: n1 (unreachable: no route));' \
        in message
    assert 'none' not in message


def test_failure_message_says_where_everything_is_and_how_to_resume():
    final = two_nodes()
    rep = report.build_report(_plan(), 'failed', {}, {'app': 'n1'}, final, "n1 failed at 'update': boom..")
    resume = report.resume_command(['inv1', 'inv2'], '/p/rolling_update.yml',
                                   [['lk_target_version', '9.9.0'], ['lk_run_id', 'r1'], ['lk_confirm', 'true']])
    assert resume == ('ansible-playbook -i inv1 -i inv2 /p/rolling_update.yml -e lk_target_version=9.9.0 '
                      '-e lk_run_id=r1 -e lk_confirm=true')
    message = report.failure_message(rep, final, 'arts/r1/', resume, ['Bring back: n2 unreachable'],
                                     resume_note='nodes already at 9.9.0 are skipped', rescued=['app on n1'])
    assert message.split('\n') == [
        "The rolling update stopped: n1 failed at 'update': boom.",
        'The rescue brought back in service: app on n1.',
        'The rescue itself could not: Bring back: n2 unreachable',
        'Each node now:',
        '  n1: LifeKeeper 9.7.0 running; in service: app; standby: -',
        '  n2: LifeKeeper 9.7.0 running; in service: -; standby: app',
        'Hierarchies in service now: {"app": "n1"}; lost: none.',
        'Support bundles and backups are in arts/r1/.',
        'Fix the cause, then resume (nodes already at 9.9.0 are skipped):',
        '  ' + resume]


def test_each_node_line_says_what_runs_there_or_why_it_is_unknown():
    final = two_nodes()
    final['n2']['resources'][1]['state'] = 'OSF'
    final['n3'] = unknown('unreachable: no route')
    final['n4'] = dict(two_nodes()['n1'], running=False, resources=[])
    final['n5'] = {'installed': False, 'running': False, 'version': None, 'resources': []}
    assert report.node_state_lines(final) == [
        'n1: LifeKeeper 9.7.0 running; in service: app; standby: -',
        'n2: LifeKeeper 9.7.0 running; in service: -; standby: app; failed (OSF): ip',
        'n3: not read, its state is unknown (unreachable: no route)',
        'n4: LifeKeeper 9.7.0 not running: no hierarchy in service here',
        'n5: LifeKeeper not installed']


def test_the_resume_is_the_users_own_command_with_the_runs_vars_file():
    final = two_nodes()
    rep = report.build_report(_plan(), 'failed', {}, {'app': 'n1'}, final, "n1 failed at 'update': boom")
    result = _result(rep, final)
    command_line = {'playbooks': ['site/update lk.yml'], 'cwd': '/home/op', 'options': ['-i', 'prod/hosts', '-v'],
                    'extra_vars': {'vars': {'lk_confirm': 'true'}, 'left_out': ['lk_bigip_provider.password']}}
    (message,) = report.failure_messages([result], ['/home/op/prod/hosts'], '', command_line, '/a/r1/resume-vars.yml')
    lines = message.split('\n')
    assert lines[-4:] == [
        'Fix the cause, then resume:',
        "  cd /home/op && ansible-playbook -i prod/hosts -v 'site/update lk.yml' -e @/a/r1/resume-vars.yml",
        '  (/a/r1/resume-vars.yml holds the variables this run was given with -e and lk_run_id=r1)',
        '  (left out of it, they are secrets: lk_bigip_provider.password - give them again as you did)']
    assert 'rolling_update.yml' not in message and 'None' not in message
    # the operator names the playbook (lk_report_playbook); AWX: a relaunch
    (named,) = report.failure_messages([result], [], '/srv/other.yml', command_line, '/a/r1/resume-vars.yml')
    assert "ansible-playbook -i prod/hosts -v /srv/other.yml -e @/a/r1/resume-vars.yml" in named
    (awx,) = report.failure_messages([result], [], '', command_line, '/a/r1/resume-vars.yml', 42)
    assert awx.split('\n')[-1] == (
        "  relaunch AWX job 42 with the extra variable lk_run_id=r1 (the relaunch keeps the job's other variables; "
        "docs/awx/README.md says how to give it)")


def test_evacuation_failure_message():
    failed_result = {'msg': 'One or more items failed', 'results': [
        {'failed': True, 'msg': 'restore of "app" failed on node2'}, {'failed': False, 'msg': 'ok'}]}
    text = report.evacuation_failure_message('n1', 'Bring each hierarchy in service', failed_result, ['app'],
                                             ['ip on n2'], '/opt/LifeKeeper/')
    assert text == (
        "Evacuating n1 failed at 'Bring each hierarchy in service': restore of \"app\" failed on node2. "
        '1 hierarchy(ies) were brought back in service here: app. Nothing else was changed on this node. '
        'Left failed (OSF): ip on n2; fix the cause, then clear each on its node '
        '(/opt/LifeKeeper/bin/perform_action -t TAG -a remove makes it OSU) before resuming')
    plain = report.evacuation_failure_message('n1', 'Gate', {'msg': 'timed out'}, [], [], '/opt/LifeKeeper', 'n2 (x)')
    assert "failed at 'Gate': timed out. 0 hierarchy(ies)" in plain
    assert 'Not read after the failure (their state is unknown): n2 (x).' in plain and 'OSF' not in plain


def test_one_cluster_report_is_kept_with_its_cluster_record():
    rep = report.build_report(_plan(), 'success', {}, {'app': 'n1'}, two_nodes('9.9.0'), started=100, ended=130.5)
    combined = report.combine_reports([rep])
    assert dict((k, v) for k, v in combined.items() if k != 'clusters') == rep
    (record,) = combined['clusters']
    assert [(k, record[k]) for k in ('name',) + report.CLUSTER_KEYS] == [
        ('name', 'lifekeeper'), ('result', 'success'), ('started', '1970-01-01T00:01:40Z'),
        ('ended', '1970-01-01T00:02:10Z'), ('duration_s', 30.5), ('switchovers', 0), ('max_downtime_s', 0),
        ('hierarchies_lost', []), ('failure', None)]
    assert record['nodes'] == ['n2', 'n1']  # the planned order


def test_a_cluster_without_times_has_no_duration():
    rep = report.build_report(_plan(), 'success', {}, {'app': 'n1'}, two_nodes('9.9.0'), started=100)
    assert (rep['started'], rep['ended'], rep['duration_s']) == ('1970-01-01T00:01:40Z', None, None)


def test_fleet_report():
    one = report.build_report(_plan(), 'success', {}, {'app': 'n1'}, two_nodes('9.9.0'), None, [SWITCH],
                              started=100, ended=160)
    other_plan = dict(_plan(), cluster='crm')
    lost = two_nodes('9.9.0')
    lost['n1']['resources'][0]['state'] = 'OSU'
    two = report.build_report(other_plan, 'failed', {}, {'app': 'n1'}, lost, 'n1 failed', started=90, ended=150)
    fleet = report.combine_reports([one, two])
    assert (fleet['started'], fleet['ended'], fleet['duration_s']) == (
        '1970-01-01T00:01:30Z', '1970-01-01T00:02:40Z', 70.0)
    assert [(c['name'], c['result'], c['duration_s'], c['switchovers'], c['hierarchies_lost'], c['failure'])
            for c in fleet['clusters']] == [('lifekeeper', 'success', 60.0, 1, [], None),
                                            ('crm', 'failed', 60.0, 0, ['app'], 'n1 failed')]
    assert fleet['result'] == 'failed' and fleet['target_version'] == '9.9.0'
    assert fleet['hierarchies_lost'] == ['crm/app']
    assert fleet['switchovers'] == 1 and fleet['max_downtime_s'] == 2.5
    assert [n['cluster'] for n in fleet['nodes']] == ['lifekeeper', 'lifekeeper', 'crm', 'crm']
    assert fleet['failure'] == 'crm: n1 failed'
    assert fleet['clusters'] == [report.cluster_record(one), report.cluster_record(two)]
    lines = report.report_lines(fleet)
    assert lines[1].split() == ['cluster', 'lifekeeper', 'success', '60.0', 's,', '1', 'switchover(s),', 'longest',
                                'downtime', '2.5', 's']
    assert lines[2].split()[:3] == ['cluster', 'crm', 'failed'] and lines[5].split()[0] == 'crm/n2'
    two['hierarchies_lost'] = 'unknown'
    assert report.combine_reports([one, two])['hierarchies_lost'] == 'unknown'


def _result(rep, statuses, cluster='lifekeeper'):
    return {'cluster': cluster, 'report': rep, 'statuses': statuses, 'rescue_errors': [], 'run_id': 'r1',
            'artifacts': 'arts/r1', 'operation': 'rolling update',
            'resume_vars': [['lk_run_id', 'r1'], ['lk_confirm', 'true']], 'resume_note': None}


def test_a_flow_that_recorded_nothing_is_failed_and_unknown():
    the_plan = _plan()
    results = cluster_record.gathered_results([(None, entry) for entry in [
        {'__lk_cluster_result': _result(report.build_report(the_plan, 'success', {}, {'app': 'n1'}, two_nodes()),
                                        two_nodes())},
        {'__lk_cluster': 'crm', '__lk_plan': dict(the_plan, cluster='crm'), '__lk_cluster_hosts': ['n1', 'n2'],
         'lk_run_id': 'r1'},
    ]], None)
    assert [r['report']['result'] for r in results] == ['success', 'failed']
    interrupted = results[1]['report']
    assert interrupted['hierarchies_lost'] == 'unknown'
    assert sorted(interrupted['unreadable_nodes']) == ['n1', 'n2']
    assert 'cluster crm was interrupted' in interrupted['failure']
    messages = report.failure_messages(results, ['inv'], 'pb.yml')
    assert messages[0] == 'Clusters: lifekeeper success, crm failed.'
    assert len(messages) == 2 and messages[1].startswith('Cluster crm: The run stopped: the run of cluster crm')
    assert 'lost: unknown (not read: n1 (not read: the run lost its connection' in messages[1]
    assert messages[1].endswith('ansible-playbook -i inv pb.yml -e lk_run_id=r1 (plus your other extra vars).')


def test_a_flow_that_recorded_nothing_resumes_with_the_run_id_the_run_gave_itself():
    # the operator gave no lk_run_id (empty, as AWX sends it): the run named itself __lk_run
    (result,) = cluster_record.gathered_results([(None, {
        '__lk_cluster': 'crm', '__lk_plan': dict(_plan(), cluster='crm'), '__lk_cluster_hosts': ['n1', 'n2'],
        'lk_run_id': '', '__lk_run': '20261207T101500.123456Z'})], None)
    assert result['run_id'] == '20261207T101500.123456Z'
    assert result['resume_vars'] == [['lk_run_id', '20261207T101500.123456Z']]
    assert result['rescued'] == [] and result['rescue_errors'] == []


def test_a_refused_and_a_skipped_cluster_are_unchanged_and_say_how_to_run_them():
    the_plan = dict(_plan(), cluster='crm', problems=['n2: LifeKeeper is not running'])
    refused = report.unchanged_result(the_plan, 'refused', the_plan['problems'], two_nodes(), 'r1', 'arts/r1',
                                      'rolling update', [['lk_run_id', 'r1'], ['lk_confirm', 'true']])
    rep = refused['report']
    assert rep['result'] == 'refused' and rep['hierarchies_lost'] == [] and rep['switchovers'] == 0
    assert rep['failure'] == 'refused in pre-flight, nothing was changed on its nodes: n2: LifeKeeper is not running'
    assert [n['action'] for n in rep['nodes']] == ['not done', 'not done'] and rep['failure_time'] is None
    skipped = report.unchanged_result(dict(_plan(), cluster='erp'), 'skipped', 'canary c1 failed', two_nodes(), 'r1')
    assert skipped['report']['failure'] == 'skipped, nothing was changed on its nodes: canary c1 failed'
    ok = report.build_report(_plan(), 'success', {}, {'app': 'n1'}, two_nodes('9.9.0'))
    ok_result = _result(ok, two_nodes('9.9.0'))
    messages = report.failure_messages([ok_result, refused, skipped], ['inv'], 'pb.yml')
    assert messages[0] == 'Clusters: lifekeeper success, crm refused, erp skipped.'
    assert messages[1] == (
        'Cluster crm: The rolling update of this cluster was refused in pre-flight; nothing was changed on its nodes: '
        'n2: LifeKeeper is not running.\nFix the cause, then run it:\n  ansible-playbook -i inv pb.yml -e lk_run_id=r1 '
        '-e lk_confirm=true (plus your other extra vars).')
    assert messages[2].startswith('Cluster erp: The rolling update of this cluster was skipped; nothing was changed on its '
                                  'nodes: canary c1 failed.')
    fleet = report.combine_reports([ok, rep, skipped['report']])
    assert fleet['result'] == 'failed'
    assert [c['result'] for c in fleet['clusters']] == ['success', 'refused', 'skipped']
    unread = report.unchanged_result(the_plan, 'refused', [], {'n1': two_nodes()['n1'], 'n2': unknown('down')}, 'r1')
    assert unread['report']['hierarchies_lost'] in ([], 'unknown')
    assert unread['report']['failure'].endswith('no reason given')


def test_unchanged_result_refuses_other_results():
    import pytest
    with pytest.raises(ValueError, match="result is 'failed', expected refused or skipped"):
        report.unchanged_result(_plan(), 'failed', 'x', {})
    with pytest.raises(ValueError, match="expected a time in seconds since the epoch, got 'soon'"):
        report.build_report(_plan(), 'success', {}, {}, {}, started='soon')


def test_one_failed_cluster_message_is_not_prefixed_and_quotes_what_the_shell_needs():
    final = two_nodes()
    rep = report.build_report(_plan(), 'failed', {}, {'app': 'n1'}, final, "n1 failed at 'update': boom")
    result = _result(rep, final)
    result['resume_vars'] = [['lk_rollback_archive', '{"n1": "/a b.tgz"}'], ['lk_run_id', 'r1']]
    (message,) = report.failure_messages([result], ['/inv dir/hosts'], '/p/rollback.yml')
    assert message.startswith("The rolling update stopped: n1 failed at 'update': boom.")
    assert "-i '/inv dir/hosts' /p/rollback.yml -e 'lk_rollback_archive={\"n1\": \"/a b.tgz\"}' -e lk_run_id=r1" \
        in message
    assert report.failure_messages([dict(result, report=dict(rep, result='success'))], [], 'x') == []


# ---- multi-hop records, packages, mirrors, notes, the failure time, the switchover test -----

HOPS = [{'version': '9.7.0', 'media': '/srv/a.iso'}, {'version': '9.9.0', 'media': '/srv/b.iso'}]


def test_node_record_adds_up_the_passes_of_a_node():
    records = report.node_record({}, 'n1', 10, 20, [SWITCH], '9.7.0', 'update')
    records = report.node_record(records, 'n1', 30, 40, [BACK], '9.9.0', 'update')
    records = report.node_record(records, 'n2', 50, 51, [SWITCH], '9.7.0', 'skip')
    assert records == {'n1': {'started': 10, 'ended': 40, 'switchovers': [SWITCH, BACK], 'hops': ['9.7.0', '9.9.0'],
                              'steps': [{'name': 'update', 'started': 10, 'ended': 20, 'hop': '9.7.0'},
                                        {'name': 'update', 'started': 30, 'ended': 40, 'hop': '9.9.0'}]},
                       'n2': {'started': 50, 'ended': 51, 'switchovers': [], 'hops': [], 'steps': []}}


def test_a_pass_with_an_evacuation_is_two_steps_and_an_older_evacuation_is_ignored():
    records = report.node_record({}, 'n1', 10, 20, [SWITCH], '9.7.0', 'update', evacuated=14.5)
    # the second pass did not evacuate (the end of the first pass's evacuation is older than its start)
    records = report.node_record(records, 'n1', 30, 40, [], '9.9.0', 'update', evacuated=14.5)
    assert records['n1']['steps'] == [
        {'name': 'evacuate', 'started': 10, 'ended': 14.5, 'hop': '9.7.0'},
        {'name': 'update', 'started': 14.5, 'ended': 20, 'hop': '9.7.0'},
        {'name': 'update', 'started': 30, 'ended': 40, 'hop': '9.9.0'}]
    rep = report.build_report(_plan(), 'success', records, {'app': 'n1'}, two_nodes('9.9.0'))
    steps = [n for n in rep['nodes'] if n['name'] == 'n1'][0]['steps']
    assert [(s['name'], s['started'], s['duration_s']) for s in steps] == [
        ('evacuate', '1970-01-01T00:00:10.000Z', 4.5), ('update', '1970-01-01T00:00:14.500Z', 5.5),
        ('update', '1970-01-01T00:00:30.000Z', 10.0)]


def test_a_node_that_did_not_finish_its_last_pass_is_not_done():
    the_plan = plan.build_plan(two_nodes('9.6.0'), '9.9.0', order=['n1', 'n2'], hops=HOPS)
    records = report.node_record({}, 'n2', 1, 2, [], '9.7.0')
    records = report.node_record(records, 'n1', 3, 4, [SWITCH], '9.7.0')
    records = report.node_record(records, 'n1', 5, 6, [], '9.9.0')
    rep = report.build_report(the_plan, 'failed', records, {'app': 'n1'}, two_nodes('9.7.0'), 'n2 failed at update')
    assert rep['hops'] == ['9.7.0', '9.9.0']
    assert [(n['name'], n['action'], n['hops']) for n in rep['nodes']] == [
        ('n2', 'not done', ['9.7.0']), ('n1', 'updated', ['9.7.0', '9.9.0'])]


def test_the_report_lists_every_package_before_and_after():
    the_plan = _plan()
    for node in the_plan['nodes']:
        node['packages'] = {'steeleye-lk': '9.7.0', 'steeleye-lkDR': '9.7.0'}
    final = two_nodes('9.9.0')
    for status in final.values():
        status['packages'] = [{'name': 'steeleye-lk', 'version': '9.9.0'}, {'name': 'steeleye-lkDR', 'version': '9.9.0'},
                              {'name': 'steeleye-lkORA', 'version': '9.9.0'}]
    rep = report.build_report(the_plan, 'success', {}, {'app': 'n1'}, final)
    assert rep['nodes'][0]['packages_before'] == {'steeleye-lk': '9.7.0', 'steeleye-lkDR': '9.7.0'}
    assert rep['nodes'][0]['packages_after'] == {'steeleye-lk': '9.9.0', 'steeleye-lkDR': '9.9.0',
                                                 'steeleye-lkORA': '9.9.0'}
    assert rep['nodes'][1]['packages_after'] == rep['nodes'][0]['packages_after']


def test_the_report_keeps_the_mirrors_as_their_source_reports_them():
    final = two_nodes('9.9.0')
    final['n1']['resources'].append({'tag': 'mirror-export', 'state': 'ISP', 'depth': 1, 'mirror': True})
    final['n2']['resources'].append({'tag': 'mirror-export', 'state': 'OSU', 'depth': 1, 'mirror': True})
    final['n1']['mirrors'] = [{'tag': 'mirror-export', 'source': 'node1', 'in_sync': True, 'known': True,
                               'targets': [{'name': 'node2', 'state': 'Mirroring', 'progress': 100}]}]
    final['n2']['mirrors'] = [{'tag': 'mirror-export', 'source': 'node1', 'in_sync': False, 'known': False,
                               'targets': [], 'error': 'no target rows'}]
    rep = report.build_report(_plan(), 'success', {}, {'app': 'n1'}, final)
    assert rep['mirrors'] == {'mirror-export': {'source': 'node1', 'in_sync': True,
                                                'targets': [{'name': 'node2', 'state': 'Mirroring', 'progress': 100}]}}


def test_notes_failure_time_and_the_switchover_test_are_reported_apart():
    test_moves = [dict(SWITCH, downtime_s=4.0), dict(BACK, downtime_s=1.0)]
    rep = report.build_report(_plan(), 'success', {}, {'app': 'n1'}, two_nodes('9.9.0'), None, [],
                              notes=['BIG-IP: enabled again'], failure_time='2026-01-01T00:00:00Z',
                              switchover_test=test_moves)
    assert rep['notes'] == ['BIG-IP: enabled again']
    assert rep['failure_time'] is None        # no failure: no failure time
    assert rep['switchover_test'] == {'switchovers': 2, 'max_downtime_s': 4.0, 'moves': test_moves}
    assert rep['switchovers'] == 0 and rep['max_downtime_s'] == 0
    lines = report.report_lines(rep)
    assert '  switchover test (apart from the update): 2 switchover(s), longest downtime 4.0 s' in lines
    assert lines[-1] == '  note: BIG-IP: enabled again'
    assert report.build_report(_plan(), 'success', {}, {'app': 'n1'}, two_nodes('9.9.0'))['switchover_test'] is None


def test_the_failure_message_says_when_it_failed():
    rep = report.build_report(_plan(), 'failed', {}, {'app': 'n1'}, two_nodes(), "n2 failed at 'update': boom",
                              failure_time='2026-01-02T03:04:05Z')
    assert rep['failure_time'] == '2026-01-02T03:04:05Z'
    assert "  failure at 2026-01-02T03:04:05Z: n2 failed at 'update': boom" in report.report_lines(rep)
    text = report.failure_message(rep, two_nodes(), '/tmp/a', 'ansible-playbook x')
    assert text.startswith("The rolling update stopped at 2026-01-02T03:04:05Z: n2 failed at 'update': boom.")


def test_fleet_notes_name_their_cluster():
    one = report.build_report(_plan(), 'success', {}, {'app': 'n1'}, two_nodes('9.9.0'), notes=['a'])
    two = dict(report.build_report(_plan(), 'success', {}, {'app': 'n1'}, two_nodes('9.9.0'), notes=['b']),
               cluster='crm')
    assert report.combine_reports([one, two])['notes'] == ['lifekeeper: a', 'crm: b']


def test_a_node_that_failed_after_its_evacuation_keeps_its_switchovers_and_is_not_done():
    records = report.node_record({}, 'n1', 10, None, [SWITCH])
    assert records == {'n1': {'started': 10, 'ended': None, 'switchovers': [SWITCH], 'hops': [],
                              'steps': [{'name': 'update', 'started': 10, 'ended': None, 'hop': None}]}}
    rep = report.build_report(_plan(), 'failed', records, {'app': 'n1'}, two_nodes(), "n1 failed at 'update'")
    assert rep['moves_made'] == [{'tag': 'app', 'from': 'n1', 'to': 'n2'}] and rep['switchovers'] == 1
    node = [n for n in rep['nodes'] if n['name'] == 'n1'][0]
    assert node['action'] == 'not done' and node['duration_s'] is None and len(node['switchovers']) == 1


def test_every_cluster_report_and_the_run_report_name_the_run():
    the_plan = _plan()
    results = cluster_record.gathered_results([(None, entry) for entry in [
        {'__lk_cluster_result': _result(report.build_report(the_plan, 'success', {}, {'app': 'n1'}, two_nodes()),
                                        two_nodes())},
        {'__lk_cluster': 'crm', '__lk_plan': dict(the_plan, cluster='crm'), '__lk_cluster_hosts': ['n1', 'n2'],
         'lk_run_id': 'r1'},
    ]], None)
    assert [r['report']['run_id'] for r in results] == ['r1', 'r1']
    fleet = report.combine_reports([r['report'] for r in results])
    assert fleet['run_id'] == 'r1' and [c['run_id'] for c in fleet['clusters']] == ['r1', 'r1']
    alone = report.combine_reports([results[0]['report']])
    assert alone['run_id'] == 'r1' and alone['clusters'][0]['run_id'] == 'r1'


CLUSTERS = [{'name': 'erp', 'hosts': ['n1', 'n2']}, {'name': 'crm', 'hosts': ['c1', 'c2']}]


def test_a_check_mode_run_reports_planned_with_each_plan():
    plans = {'erp': dict(_plan(), cluster='erp'), 'crm': dict(_plan(), cluster='crm')}
    statuses = dict(two_nodes(), c1=two_nodes()['n1'], c2=two_nodes()['n2'])
    rep = report.ended_report(CLUSTERS, plans, {}, statuses, 'r7', 'planned')
    assert rep['result'] == 'planned' and rep['run_id'] == 'r7' and rep['failure'] is None
    assert [(c['name'], c['result'], c['run_id'], c['switchovers']) for c in rep['clusters']] == [
        ('erp', 'planned', 'r7', 0), ('crm', 'planned', 'r7', 0)]
    assert rep['clusters'][0]['plan'] == plans['erp'] and rep['clusters'][0]['moves_planned'] == [
        {'tag': 'app', 'from': 'n1', 'to': 'n2'}, {'tag': 'app', 'from': 'n2', 'to': 'n1'}]
    one = report.ended_report(CLUSTERS[:1], plans, {}, statuses, 'r7', 'planned')
    assert one['result'] == 'planned' and one['cluster'] == 'erp' and one['plan'] == plans['erp']


def test_a_refused_run_reports_each_cluster_refused_with_why():
    statuses = dict(two_nodes(), c1=two_nodes()['n1'], c2=unknown('unreachable: no route'))
    rep = report.ended_report(CLUSTERS, {}, {'crm': ['c2: could not be reached']}, statuses, 'r8', 'refused',
                              "lk_confirm is 'false': nothing was changed")
    assert rep['result'] == 'refused' and rep['run_id'] == 'r8'
    assert rep['failure'] == "lk_confirm is 'false': nothing was changed"
    erp, crm = rep['clusters']
    assert (erp['result'], crm['result']) == ('refused', 'refused')
    assert erp['failure'].endswith("nothing was changed on its nodes: lk_confirm is 'false': nothing was changed")
    assert crm['failure'].endswith('nothing was changed on its nodes: c2: could not be reached')
    assert crm['unreadable_nodes'] == {'c2': 'unreachable: no route'} and crm['run_id'] == 'r8'
    # a check-mode run with a cluster refused on its own: that one is refused, the other planned
    mixed = report.ended_report(CLUSTERS, {}, {'crm': ['c2: down']}, statuses, 'r8', 'planned')
    assert [c['result'] for c in mixed['clusters']] == ['planned', 'refused']
    # the input was refused before the clusters were known
    bare = report.ended_report([], {}, {}, {}, 'r9', 'refused', 'lk_target_version is missing')
    assert (bare['result'], bare['run_id'], bare['clusters'], bare['failure']) == (
        'refused', 'r9', [], 'lk_target_version is missing')
    with pytest.raises(ValueError, match="'success'"):
        report.ended_report([], {}, {}, {}, 'r9', 'success')


def test_report_lines_never_say_none_for_a_missing_version():
    final = two_nodes('9.9.0')
    final['n1'] = unknown('unreachable: no route')
    rep = report.build_report(_plan(), 'failed', {}, {'app': 'n1'}, final, 'n1 failed at \'update\': x')
    rep['nodes'][0]['version_before'] = None   # a node without LifeKeeper before the run
    lines = report.report_lines(rep)
    assert 'None' not in '\n'.join(lines)
    assert 'not installed -> 9.9.0' in lines[1]
    assert '9.7.0 -> not read' in lines[2]


def test_without_the_vars_file_the_resume_names_the_runs_variables_and_the_users_playbooks():
    final = two_nodes()
    rep = report.build_report(_plan(), 'failed', {}, {'app': 'n1'}, final, "n1 failed at 'update': boom")
    (message,) = report.failure_messages([_result(rep, final)], ['inv'], '', {'playbooks': ['a.yml', 'b c.yml']})
    assert message.endswith("  ansible-playbook -i inv a.yml 'b c.yml' -e lk_run_id=r1 -e lk_confirm=true "
                            "(plus your other extra vars).")


@pytest.mark.parametrize('wrapped', [
    # ansible-core 2.19
    "Task failed: Finalization of task args for 'ansible.builtin.set_fact' failed: Error while resolving value for "
    "'x': The filter plugin 'hatools.lifekeeper.lk_version' failed: %s",
    # ansible-core 2.16
    "Unexpected templating type error occurred on ({{ '9.x' | hatools.lifekeeper.lk_version }}): %s",
    "An unhandled exception occurred while templating '{{ x }}'. Error was a <class 'ansible.errors.AnsibleFilterError'>, "
    "original message: %s",
    '%s',
])
def test_a_filter_error_reaches_the_user_as_the_collections_own_sentence(wrapped):
    own = "lk_target_version: invalid LifeKeeper version '9.x': expected N.N.N (for example 9.9.0)"
    assert report.own_message(wrapped % own) == own
    assert report.failed_messages({'failed': True, 'msg': wrapped % own}) == own
    assert report.failed_messages({'results': [{'failed': True, 'msg': wrapped % own}]}) == own


def test_own_message_keeps_a_message_that_is_only_ansibles():
    assert report.own_message("Task failed: ") == "Task failed: "
    assert report.own_message(None) == ''
