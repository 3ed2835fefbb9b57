# -*- coding: utf-8 -*-
"""Each switchover's outage predicted from the outages measured in earlier reports of the cluster."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import outages, plan, report

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes


def _plans(cluster='lifekeeper'):
    return {cluster: plan.build_plan(two_nodes(), '9.9.0', order=['n2', 'n1'], cluster=cluster)}


def _switch(tag, start, seconds, from_='n1', to='n2'):
    return {'tag': tag, 'from': from_, 'to': to, 'downtime_s': seconds, 'start': start, 'end': None}


def _earlier(run_id, started, downtimes, result='success', cluster='lifekeeper', test=None):
    """An earlier run's report as the run wrote it (build_report, then combine_reports)."""
    the_plan = plan.build_plan(two_nodes(), '9.9.0', order=['n2', 'n1'], cluster=cluster)
    switches = [_switch('app', '2026-01-01T00:00:%02d.000Z' % i, s) for i, s in enumerate(downtimes)]
    records = {'n2': {'started': 1, 'ended': 2, 'switchovers': []},
               'n1': {'started': 3, 'ended': 4, 'switchovers': switches}}
    rep = report.build_report(the_plan, result, records, {'app': 'n1'}, two_nodes('9.9.0'),
                              None if result == 'success' else 'boom', switchover_test=test,
                              started=started, ended=started + 60)
    rep['run_id'] = run_id
    return json.dumps(report.combine_reports([rep]))


def test_no_earlier_report_no_prediction_and_the_text_says_so():
    planned = outages.predict_outages(_plans(), [])['lifekeeper']
    assert planned['earlier_runs'] == []
    assert planned['predicted_outages'] == {'app': {'predicted_downtime_s': None, 'prediction': 'no earlier run'}}
    lines = plan.render_plan(planned)
    assert '   predicted outage of each switchover: no earlier run of this cluster in the artifacts folder' in lines
    assert not any('None' in line for line in lines)


def test_the_median_of_the_latest_outages_of_the_hierarchy_in_that_cluster():
    texts = [_earlier('r2', 2000, [4.0]), _earlier('r1', 1000, [2.0, 3.0]),
             _earlier('other', 3000, [99.0], cluster='crm')]
    planned = outages.predict_outages(_plans(), texts)['lifekeeper']
    assert planned['earlier_runs'] == ['r1', 'r2']   # oldest first; the other cluster's run is not one
    assert planned['predicted_outages']['app']['predicted_downtime_s'] == 3.0
    assert planned['predicted_outages']['app']['prediction'] == (
        '3.0 s: median of the latest 3 outage(s) measured (2.0-4.0 s) in 2 earlier run(s)')
    # only the latest ones count
    assert outages.predict_outages(_plans(), texts, recent=1)['lifekeeper']['predicted_outages']['app'][
        'predicted_downtime_s'] == 4.0
    assert any(line.startswith('   predicted outage of app: 3.0 s') for line in plan.render_plan(planned))


def test_a_cluster_of_the_same_name_with_other_nodes_is_another_cluster():
    other = json.loads(_earlier('elsewhere', 1000, [9.0]))
    for node in other['nodes']:
        node['name'] = 'x-' + node['name']
    texts = [json.dumps(other), _earlier('r1', 2000, [2.0])]
    planned = outages.predict_outages(_plans(), texts)['lifekeeper']
    assert planned['earlier_runs'] == ['r1'] and planned['predicted_outages']['app']['predicted_downtime_s'] == 2.0


def test_a_failed_run_measured_too_a_planned_or_damaged_one_did_not():
    planned_run = json.dumps(report.ended_report([{'name': 'lifekeeper', 'hosts': ['n1', 'n2']}], _plans(), {},
                                                 two_nodes(), 'p1', 'planned'))
    texts = [_earlier('f1', 1000, [5.0], result='failed'), planned_run, '{not json', '[]', '{"other": 1}']
    planned = outages.predict_outages(_plans(), texts)['lifekeeper']
    assert planned['earlier_runs'] == ['f1']
    assert planned['predicted_outages']['app']['predicted_downtime_s'] == 5.0


def test_an_earlier_run_without_an_outage_of_the_hierarchy():
    planned = outages.predict_outages(_plans(), [_earlier('r1', 1000, [])])['lifekeeper']
    assert planned['earlier_runs'] == ['r1']
    assert planned['predicted_outages']['app'] == {'predicted_downtime_s': None,
                                                   'prediction': outages.NO_EARLIER_OUTAGE}


def test_the_switchover_test_and_fleet_reports_count_for_their_cluster():
    test = [_switch('app', '2026-01-01T00:01:00.000Z', 1.0), _switch('app', '2026-01-01T00:01:05.000Z', 1.0)]
    one = json.loads(_earlier('r1', 1000, [7.0], test=test))
    assert outages.measured_outages(one) == {'lifekeeper': {'app': [7.0, 1.0, 1.0]}}
    crm = json.loads(_earlier('r1', 1000, [2.0], cluster='crm'))
    fleet = report.combine_reports([dict(one, clusters=None), dict(crm, clusters=None)])
    assert outages.measured_outages(fleet) == {'lifekeeper': {'app': [7.0, 1.0, 1.0]}, 'crm': {'app': [2.0]}}


def test_the_report_sets_the_prediction_beside_the_measurement():
    planned = outages.predict_outages(_plans(), [_earlier('r1', 1000, [2.0])])['lifekeeper']
    records = {'n2': {'started': 1, 'ended': 2, 'switchovers': []},
               'n1': {'started': 3, 'ended': 4, 'switchovers': [_switch('app', '2026-01-02T00:00:00.000Z', 2.6)]}}
    rep = report.build_report(planned, 'success', records, {'app': 'n1'}, two_nodes('9.9.0'))
    assert rep['earlier_runs'] == ['r1']
    assert [(o['tag'], o['kind'], o['downtime_s'], o['predicted_downtime_s']) for o in rep['outages']] == [
        ('app', 'evacuation', 2.6, 2.0)]
    text = planned['predicted_outages']['app']['prediction']
    assert rep['plan_outages'] == [
        {'tag': 'app', 'from': 'n1', 'to': 'n2', 'predicted_downtime_s': 2.0, 'prediction': text},
        {'tag': 'app', 'from': 'n2', 'to': 'n1', 'predicted_downtime_s': 2.0, 'prediction': text}]
    node = [n for n in rep['nodes'] if n['name'] == 'n1'][0]
    assert node['switchovers'][0]['predicted_downtime_s'] == 2.0
    # the moves compared with the event logs keep their shape
    assert rep['moves_made'] == [{'tag': 'app', 'from': 'n1', 'to': 'n2'}] == rep['moves_planned'][:1]


@pytest.mark.parametrize('recent', [0, 'five', None])
def test_a_bad_count_of_recent_outages_is_refused_by_name(recent):
    with pytest.raises(ValueError, match='recent is'):
        outages.predict_outages(_plans(), [], recent)


def test_the_plans_must_be_a_dict():
    with pytest.raises(ValueError, match='expects the plans by cluster'):
        outages.predict_outages([], [])
