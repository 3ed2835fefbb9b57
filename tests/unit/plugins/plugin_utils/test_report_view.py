# -*- coding: utf-8 -*-
"""The report to look at: the HTML page parsed back (lanes, bars, escaping, every ending) and
the Markdown summary, from reports built by the collection's own functions."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
from html.parser import HTMLParser

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster_record, outages, plan, report, report_view

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'fixtures')
T0 = 1796000000.0   # 2026-11-30T...: the run's times in epoch seconds


class Page(HTMLParser):
    """Every element with its attributes and the <g> groups around it; the page's text."""

    def __init__(self, text):
        HTMLParser.__init__(self)
        self.elements = []
        self.groups = []
        self.sections = []
        self.text = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'section':
            self.sections.append(attrs)
        self.elements.append((tag, attrs, list(self.groups), self.sections[-1] if self.sections else {}))
        if tag == 'g':
            self.groups.append(attrs)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), list(self.groups), self.sections[-1] if self.sections else {}))

    def handle_endtag(self, tag):
        if tag == 'g':
            self.groups.pop()

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag, css=None, cluster=None):
        return [(attrs, groups) for t, attrs, groups, section in self.elements
                if t == tag and (css is None or css in (attrs.get('class') or '').split())
                and (cluster is None or section.get('data-cluster') == cluster)]

    def all_text(self):
        return ''.join(self.text)


def _switch(tag, start, seconds, from_, to):
    return {'tag': tag, 'from': from_, 'to': to, 'downtime_s': seconds,
            'start': report._iso_ms(T0 + start), 'end': report._iso_ms(T0 + start + seconds)}


def _plan(cluster='lifekeeper', earlier=None):
    plans = {cluster: plan.build_plan(two_nodes(), '9.9.0', order=['n2', 'n1'], cluster=cluster)}
    return outages.predict_outages(plans, earlier or [])[cluster]


def _success(cluster='lifekeeper', earlier=None):
    """A run of two nodes: n2 updated (nothing to evacuate), n1 evacuated (app to n2) and
    updated, app switched back to n1 at the end."""
    records = report.node_record({}, 'n2', T0, T0 + 40, [], '9.9.0')
    records = report.node_record(records, 'n1', T0 + 41, T0 + 90, [_switch('app', 42, 2.5, 'n1', 'n2')], '9.9.0',
                                 evacuated=T0 + 45)
    rep = report.build_report(_plan(cluster, earlier), 'success', records, {'app': 'n1'}, two_nodes('9.9.0'), None,
                              [_switch('app', 92, 1.5, 'n2', 'n1')], started=T0 - 5, ended=T0 + 100)
    rep['run_id'] = 'r-success'
    return rep


def _failed():
    records = report.node_record({}, 'n2', T0, T0 + 40, [], '9.9.0')
    # n1 failed in its update after its evacuation (the rescue's record: no end)
    records = report.node_record(records, 'n1', T0 + 41, None, [_switch('app', 42, 2.5, 'n1', 'n2')],
                                 evacuated=T0 + 45)
    rep = report.build_report(_plan(), 'failed', records, {'app': 'n1'}, two_nodes('9.9.0'),
                              "n1 failed at 'update': setup failed (rc=2)", failure_time=report._iso(T0 + 70),
                              started=T0 - 5, ended=T0 + 80)
    rep['run_id'] = 'r-failed'
    return rep


def _ended(result, failure=None):
    clusters = [{'name': 'lifekeeper', 'hosts': ['n1', 'n2']}]
    return report.ended_report(clusters, {'lifekeeper': _plan()}, {}, two_nodes(), 'r-ended', result, failure)


def _interrupted():
    results = cluster_record.gathered_results([(None, {'__lk_cluster': 'lifekeeper', '__lk_plan': _plan(),
                                                       '__lk_cluster_hosts': ['n1', 'n2'], 'lk_run_id': 'r-int',
                                                       '__lk_cluster_started': T0})], None)
    return report.combine_reports([r['report'] for r in results])


ENDINGS = {
    'success': lambda: report.combine_reports([_success()]),
    'failed': lambda: report.combine_reports([_failed()]),
    'refused': lambda: _ended('refused', 'Pre-flight refused the update; nothing was changed on any node: n2 DEAD'),
    'not confirmed': lambda: _ended('refused', "lk_confirm is 'false': nothing was changed. Review the plan above"),
    'planned': lambda: _ended('planned'),
    'interrupted': _interrupted,
    'fleet': lambda: report.combine_reports([_success('erp'), _failed_in('crm')]),
}


def _failed_in(cluster):
    rep = _failed()
    rep['cluster'] = cluster
    return rep


def _epoch(text):
    return report_view.parse_time(text)


def _check_page_against_report(rep, page):
    """Every node of every cluster has its lane with its steps; every outage its bar, where
    the report puts them."""
    for record, nodes in report_view._clusters(rep):
        name = record.get('name')
        lanes = dict((attrs['data-node'], attrs) for attrs, dummy in page.find('g', 'lane', name))
        outs = [o for o in record.get('outages') or [] if o.get('start')]
        if not page.find('svg', 'timeline', name):
            # nothing has a time (planned, refused): no timeline, so no lane and no bar
            assert not lanes and not [n for n in nodes if n.get('steps')] and not outs
            continue
        assert sorted(lanes) == sorted(n['name'] for n in nodes)
        for node in nodes:
            rects = [a for a, groups in page.find('rect', 'step', name) if groups[-1].get('data-node') == node['name']]
            assert [(r['data-step'], float(r['data-start'])) for r in rects] == [
                (s['name'], _epoch(s['started'])) for s in node['steps']]
            for rect, step in zip(rects, node['steps']):
                if step['ended']:
                    assert float(rect['data-end']) == pytest.approx(_epoch(step['ended']))
                    assert float(rect['data-duration-s']) == step['duration_s']
                else:
                    assert 'step-open' in rect['class']
        bars = sorted((a['data-tag'], float(a['data-start']), float(a['data-end']), float(a['data-downtime-s']))
                      for a, dummy in page.find('rect', 'outage', name))
        assert bars == sorted((o['tag'], _epoch(o['start']), pytest.approx(_epoch(o['start']) + o['downtime_s']),
                               o['downtime_s']) for o in outs)


@pytest.mark.parametrize('ending', sorted(ENDINGS))
def test_every_ending_has_its_page_and_summary(ending):
    rep = ENDINGS[ending]()
    text = report_view.render(rep, 'html')
    page = Page(text)
    assert text.startswith('<!DOCTYPE html>')
    assert page.find('body')[0][0]['data-result'] == rep['result']
    # self-contained: no script, nothing loaded from elsewhere
    assert not page.find('script') and not page.find('link') and not page.find('img')
    assert not [a for tag, a, g, s in page.elements if a.get('src') or a.get('href')]
    assert 'None' not in page.all_text()
    assert [(s['data-cluster'], s['data-result']) for s in page.sections] == [
        (c['name'], c['result']) for c in rep['clusters']]
    _check_page_against_report(rep, page)
    markdown = report_view.render(rep, 'markdown')
    assert markdown.startswith('# LifeKeeper rolling update to 9.9.0: %s' % rep['result'].upper())
    assert 'None' not in markdown
    for one in rep['clusters']:
        assert '## Cluster %s: %s' % (one['name'], one['result']) in markdown


def test_a_successful_run_draws_each_node_lane_and_each_outage():
    rep = report.combine_reports([_success()])
    page = Page(report_view.render(rep))
    steps = [(g[-1]['data-node'], a['data-step'], float(a['data-start']), float(a['data-end']))
             for a, g in page.find('rect', 'step')]
    assert steps == [('n2', 'update', T0, T0 + 40), ('n1', 'evacuate', T0 + 41, T0 + 45),
                     ('n1', 'update', T0 + 45, T0 + 90)]
    bars = [(a['data-tag'], a['data-from'], a['data-to'], a['data-kind'], float(a['data-start']), float(a['data-end']))
            for a, g in page.find('rect', 'outage')]
    assert bars == [('app', 'n1', 'n2', 'evacuation', T0 + 42, T0 + 44.5),
                    ('app', 'n2', 'n1', 'placement', T0 + 92, T0 + 93.5)]
    # one time axis: the bars sit where their times are
    svg = page.find('svg')[0][0]
    start, end = float(svg['data-start']), float(svg['data-end'])
    assert (start, end) == (T0 - 5, T0 + 100)
    rect = page.find('rect', 'outage')[0][0]
    assert float(rect['x']) == pytest.approx(report_view.LABEL_W + 47 / 105.0 * report_view.CHART_W, abs=0.1)
    assert 'no earlier run' in page.all_text()


def test_the_plan_next_to_what_happened_with_the_prediction():
    earlier = [json.dumps(report.combine_reports([dict(_success(), run_id='r0')]))]
    rep = report.combine_reports([_success(earlier=earlier)])
    rows = report_view.plan_rows(rep['clusters'][0])
    assert [(p['tag'], p['to'], p['predicted_downtime_s'], m['to'], m['downtime_s']) for p, m in rows] == [
        ('app', 'n2', 2.0, 'n2', 2.5), ('app', 'n1', 2.0, 'n1', 1.5)]
    page = Page(report_view.render(rep))
    cells = [d.strip() for d in page.text if d.strip()]
    first = cells.index('app: n1 -> n2')
    assert cells[first:first + 4] == ['app: n1 -> n2', '2 s', 'app: n1 -> n2', '2.5 s']
    assert [a['data-predicted-s'] for a, g in page.find('rect', 'outage')] == ['2', '2']
    assert '| 1 | app: n1 -&gt; n2 | 2 s | app: n1 -&gt; n2 | 2.5 s |' in report_view.render(rep, 'markdown')


def test_a_failed_step_runs_to_the_failure_and_is_marked_open():
    page = Page(report_view.render(report.combine_reports([_failed()])))
    open_steps = [a for a, g in page.find('rect', 'step-open')]
    assert len(open_steps) == 1 and open_steps[0]['data-step'] == 'update'
    assert float(open_steps[0]['data-end']) == T0 + 70
    assert "n1 failed at 'update': setup failed (rc=2)" in page.all_text()


def test_a_planned_run_shows_the_plan():
    rep = _ended('planned')
    page = Page(report_view.render(rep))
    plan_text = [d for d in page.text if 'switch app from n1 to n2' in d]
    assert plan_text and 'predicted outage of each switchover: no earlier run' in plan_text[0]
    assert 'check mode: nothing ran; the plan is below' in page.all_text()
    assert not page.find('svg')
    cells = [d for d in page.text if d.strip()]
    assert cells.count('9.7.0 -> 9.9.0') == 2 and 'not made' not in cells   # to be done, nothing done
    markdown = report_view.render(rep, 'markdown')
    assert '### The plan' in markdown and 'before: switch app from n1 to n2' in markdown


def test_a_run_refused_before_any_cluster_was_grouped():
    rep = report.ended_report([], {}, {}, {}, 'r0', 'refused', "lk_cluster_group is 'x': no such inventory group")
    page = Page(report_view.render(rep))
    assert "lk_cluster_group is 'x': no such inventory group" in page.all_text()
    assert 'no cluster was planned' in page.all_text() and 'None' not in page.all_text()
    assert 'REFUSED' in report_view.render(rep, 'markdown').splitlines()[0]


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & \'q\' | pipe'
    rep = report.combine_reports([_failed()])
    rep['failure'] = evil
    rep['clusters'][0]['name'] = evil
    rep['clusters'][0]['outages'][0]['tag'] = evil
    for node in rep['nodes']:
        node['cluster'] = evil
        node['node_name'] = evil
    text = report_view.render(rep)
    assert '<script>' not in text and 'alert(&quot;x&quot;)' in text
    page = Page(text)
    assert not page.find('script')
    assert page.sections[0]['data-cluster'] == evil
    assert [a['data-tag'] for a, g in page.find('rect', 'outage')] == [evil]
    assert evil in page.all_text()
    markdown = report_view.render(rep, 'markdown')
    assert '<script>' not in markdown and '&lt;script&gt;' in markdown
    row = [line for line in markdown.splitlines() if line.startswith('| n1 ')][0]
    assert row.count(' | ') == len(report_view.NODE_HEADERS) - 1   # the pipe of a name does not split a cell


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="view is 'pdf', expected one of html, markdown"):
        report_view.render({}, 'pdf')
    with pytest.raises(ValueError, match='expects the run report'):
        report_view.render([], 'html')
    with pytest.raises(ValueError, match='not a report time'):
        report_view.parse_time('yesterday')


def test_a_real_report_of_the_default_scenario():
    """The report a molecule run of the default scenario wrote (tests/unit/fixtures)."""
    path = os.path.join(FIXTURES, 'report-default.json')
    if not os.path.exists(path):
        pytest.skip('no recorded report')
    with open(path) as handle:
        rep = json.load(handle)
    page = Page(report_view.render(rep))
    _check_page_against_report(rep, page)
    assert len(page.find('rect', 'outage')) == rep['switchovers']
    assert len(page.find('g', 'lane')) == len(rep['nodes'])


def test_a_time_or_a_duration_the_page_cannot_place_is_printed_not_drawn():
    rep = report.combine_reports([_success()])
    rep['clusters'][0]['outages'][0]['start'] = 'yesterday'
    rep['clusters'][0]['outages'][1]['downtime_s'] = 'long'
    page = Page(report_view.render(rep))
    assert page.find('rect', 'outage') == []
    assert 'yesterday' in page.all_text()


def test_a_report_of_an_earlier_release_without_steps_or_outages():
    rep = report.combine_reports([_success()])
    for record in [rep] + rep['clusters']:
        for key in ('outages', 'plan_outages', 'earlier_runs'):
            record.pop(key, None)
    for node in rep['nodes']:
        node.pop('steps')
        node.pop('action_planned')
    page = Page(report_view.render(rep))
    assert page.find('svg', 'timeline') and not page.find('rect', 'step') and not page.find('rect', 'outage')
    assert [(p['to'], m['to']) for p, m in report_view.plan_rows(rep['clusters'][0])] == [('n2', 'n2'), ('n1', 'n1')]
    assert 'None' not in page.all_text() and 'None' not in report_view.render(rep, 'markdown')
