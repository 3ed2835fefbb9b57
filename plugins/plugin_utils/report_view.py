# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run's report for people to look at (controller side, pure, no I/O): a Markdown summary
and a self-contained HTML page (inline CSS and SVG, no script, no external asset).

Per cluster: its result, the plan next to what happened (each node's planned and done action,
each planned switchover with its predicted outage beside the one made and its measured
outage) and a timeline on one time axis: one lane per node with its steps and their
durations, and one lane per hierarchy with its outages as bars (each switchover record's
start and downtime_s). Every text from the report is escaped (html.escape); the SVG shapes
carry their times as data attributes (epoch seconds) so a test can check them.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import datetime
import html
import re

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.outages import NO_EARLIER_RUN
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.plan import render_plan

FORMATS = ('html', 'markdown')
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_ISO = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$')

# the timeline's geometry (px)
LABEL_W = 190
CHART_W = 900
ROW_H = 30
AXIS_H = 28
TICKS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400)


def _computed_plan(record):
    """The cluster's plan when pre-flight computed one; a run refused before its plans (after
    grouping the clusters) records only the cluster's name there."""
    plan = record.get('plan') or {}
    return plan if 'expected_switchovers' in plan else None


def parse_time(text):
    """Seconds since the epoch of a report time (UTC, ISO 8601, optional fraction); None for none."""
    if text in (None, ''):
        return None
    match = _ISO.match(str(text))
    if not match:
        raise ValueError('not a report time (UTC, ISO 8601 like 2026-11-22T02:30:01.120Z): %r' % (text,))
    whole = datetime.datetime.strptime(match.group(1), '%Y-%m-%dT%H:%M:%S').replace(tzinfo=datetime.timezone.utc)
    return (whole - _EPOCH).total_seconds() + float(match.group(2) or 0)


def _time(text):
    """parse_time, or None for a time the page cannot place (it is still printed as text)."""
    try:
        return parse_time(text)
    except ValueError:
        return None


def _text(value, none='-'):
    """A value as a person reads it: never 'None'."""
    if value is None or value == '':
        return none
    if isinstance(value, float):
        return ('%.3f' % value).rstrip('0').rstrip('.')
    if isinstance(value, (list, tuple)):
        return ', '.join(_text(v) for v in value) or none
    return str(value)


def _number(value):
    """A number of seconds, or None for none (or a value that is not one)."""
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _seconds(value):
    return '-' if _number(value) is None else '%s s' % _text(_number(value))


def _lost(rep):
    lost = rep.get('hierarchies_lost')
    if lost == 'unknown':
        return 'unknown (not read: %s)' % (', '.join(sorted(rep.get('unreadable_nodes') or {})) or '-')
    return _text(lost, 'none')


def _move(move):
    return '%s: %s -> %s' % (_text(move.get('tag')), _text(move.get('from')), _text(move.get('to')))


def _prediction(record):
    if record.get('predicted_downtime_s') is not None:
        return _seconds(record['predicted_downtime_s'])
    return record.get('prediction') or NO_EARLIER_RUN


# ---- the model both views draw ------------------------------------------------------------

def _clusters(report):
    """[(cluster record, its nodes)] of the report (a fleet's nodes name their cluster)."""
    records = report.get('clusters')
    if not records:
        records = [dict(report, name=report.get('cluster'))] if report.get('nodes') else []
    result = []
    for record in records:
        name = record.get('name')
        nodes = [n for n in report.get('nodes') or [] if n.get('cluster', name) == name]
        result.append((record, nodes))
    return result


def timeline(record, nodes):
    """One cluster's timeline in epoch seconds: {'start', 'end', 'lanes': [{name, node_name,
    steps: [{name, hop, start, end, duration_s, open}]}], 'hierarchies': [{tag, bars: [{start,
    end, downtime_s, from, to, kind, predicted_downtime_s, prediction}]}]}; a step that did not
    end runs to the failure (or the cluster's end) and is open. start is None when nothing has a
    time (a planned or refused run)."""
    times = [_time(record.get('started')), _time(record.get('ended'))]
    stop = _time(record.get('failure_time')) or _time(record.get('ended'))
    lanes = []
    for node in nodes:
        steps = []
        for step in node.get('steps') or []:
            start, end = _time(step.get('started')), _time(step.get('ended'))
            if start is None:
                continue
            steps.append({'name': step.get('name'), 'hop': step.get('hop'), 'start': start,
                          'end': end, 'duration_s': step.get('duration_s'), 'open': end is None})
            times.extend([start, end])
        lanes.append({'name': node.get('name'), 'node_name': node.get('node_name'), 'steps': steps})
    hierarchies = {}
    for outage in record.get('outages') or []:
        start, seconds = _time(outage.get('start')), _number(outage.get('downtime_s'))
        if start is None or seconds is None:
            continue
        end = start + seconds
        times.extend([start, end])
        hierarchies.setdefault(outage.get('tag'), []).append({
            'start': start, 'end': end, 'downtime_s': outage['downtime_s'], 'from': outage.get('from'),
            'to': outage.get('to'), 'kind': outage.get('kind'),
            'predicted_downtime_s': outage.get('predicted_downtime_s'), 'prediction': _prediction(outage)})
    known = [t for t in times if t is not None]
    start = min(known) if known else None
    end = max(known) if known else None
    for lane in lanes:
        for step in lane['steps']:
            if step['end'] is None:
                step['end'] = max(step['start'], stop if stop is not None else end)
    return {'start': start, 'end': end, 'lanes': lanes,
            'hierarchies': [{'tag': tag, 'bars': sorted(bars, key=lambda b: b['start'])}
                            for tag, bars in sorted(hierarchies.items(), key=lambda item: str(item[0]))]}


def plan_rows(record):
    """The plan next to what happened: [(planned move or None, made switchover or None)] in
    the order the run makes them (the switchover test's moves are apart)."""
    # a report of before 2.0.0 has the moves only (no prediction, no times)
    planned = list(record.get('plan_outages') if 'plan_outages' in record else record.get('moves_planned') or [])
    made = sorted((o for o in record.get('outages') or [] if o.get('kind') != 'switchover test'),
                  key=lambda o: str(o.get('start') or '')) if 'outages' in record else list(record.get('moves_made') or [])
    rows = []
    for index in range(max(len(planned), len(made))):
        rows.append((planned[index] if index < len(planned) else None, made[index] if index < len(made) else None))
    return rows


def _title(report, operation):
    target = ' to %s' % report['target_version'] if report.get('target_version') else ''
    return 'LifeKeeper %s%s: %s' % (report.get('operation') or operation or 'rolling update', _text(target, ''),
                                    _text(report.get('result'), 'unknown').upper())


def _summary(report):
    return [
        ('run', _text(report.get('run_id'))),
        ('started', _text(report.get('started'))),
        ('ended', _text(report.get('ended'))),
        ('duration', _seconds(report.get('duration_s'))),
        ('switchovers', _text(report.get('switchovers'), '0')),
        ('longest outage', _seconds(report.get('max_downtime_s'))),
        ('hierarchies lost', _lost(report)),
    ]


def _step_text(step):
    hop = ' (%s)' % step['hop'] if step.get('hop') else ''
    return '%s%s %s' % (_text(step.get('name')), hop, _seconds(step.get('duration_s')) if step.get('duration_s')
                        is not None else 'not ended')


def _node_row(node, planned, target=None):
    """A node's row; planned (check mode): the version it is to get, nothing done."""
    return [
        '%s (%s)' % (_text(node.get('name')), _text(node.get('node_name'))),
        _text(node.get('action_planned')),
        'planned' if planned else _text(node.get('action')),
        '%s -> %s' % (_text(node.get('version_before')),
                      _text(target if planned and node.get('action_planned') != 'skip' else node.get('version_after'))),
        _seconds(node.get('duration_s')),
        ', '.join(_step_text(s) for s in node.get('steps') or []) or '-',
    ]


NODE_HEADERS = ('node', 'planned', 'done', 'version', 'duration', 'steps')
MOVE_HEADERS = ('#', 'planned switchover', 'predicted outage', 'switchover made', 'measured outage', 'started')


def _move_row(number, planned, made, check_mode=False):
    return [
        str(number),
        _move(planned) if planned else 'not planned',
        _prediction(planned) if planned else '-',
        _move(made) if made else ('-' if check_mode else 'not made'),
        _seconds(made.get('downtime_s')) if made else '-',
        _text(made.get('start')) if made else '-',
    ]


# ---- Markdown ------------------------------------------------------------------------------

def _md(text):
    """A Markdown table cell or line: HTML escaped, pipes escaped, on one line."""
    return html.escape(_text(text), quote=False).replace('|', '\\|').replace('\n', ' ').replace('\r', ' ')


def _md_table(headers, rows):
    lines = ['| %s |' % ' | '.join(_md(h) for h in headers), '|%s' % ('---|' * len(headers))]
    lines.extend('| %s |' % ' | '.join(_md(cell) for cell in row) for row in rows)
    return lines


def render_markdown(report, operation=None):
    """The report as a Markdown summary."""
    lines = ['# %s' % _md(_title(report, operation)), '']
    lines.extend('- %s: %s' % (_md(name), _md(value)) for name, value in _summary(report))
    if report.get('failure'):
        lines.append('- failure: %s' % _md(report['failure']))
    lines.extend('- note: %s' % _md(note) for note in report.get('notes') or [])
    for record, nodes in _clusters(report):
        planned = record.get('result') == 'planned'
        lines.extend(['', '## Cluster %s: %s' % (_md(record.get('name')), _md(record.get('result'))), ''])
        if record.get('failure'):
            lines.extend(['%s' % _md(record['failure']), ''])
        lines.extend(_md_table(NODE_HEADERS, [_node_row(n, planned, record.get('target_version')) for n in nodes]))
        rows = plan_rows(record)
        lines.extend(['', '### Switchovers: the plan next to what happened', ''])
        if rows:
            lines.extend(_md_table(MOVE_HEADERS, [_move_row(i, p, m, planned) for i, (p, m) in enumerate(rows, 1)]))
        else:
            lines.append('none planned, none made')
        test = (record.get('switchover_test') or {}).get('moves') or []
        if test:
            lines.extend(['', '### Switchover test (apart from the update)', ''])
            lines.extend(_md_table(('switchover', 'measured outage', 'started'),
                                   [[_move(m), _seconds(m.get('downtime_s')), _text(m.get('start'))] for m in test]))
        if _computed_plan(record):
            lines.extend(['', '### The plan', '', '```text'])
            lines.extend(line.replace('```', "'''") for line in render_plan(record['plan']))
            lines.append('```')
    return '\n'.join(lines) + '\n'


# ---- HTML ----------------------------------------------------------------------------------

def _e(value, none='-'):
    return html.escape(_text(value, none), quote=True)


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#1d2630;background:#fff}
h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.result{display:inline-block;padding:1px 10px;border-radius:10px;font-size:13px;color:#fff;background:#57606a;
vertical-align:middle;text-transform:uppercase}
.result-success{background:#1a7f37}.result-failed{background:#cf222e}.result-refused{background:#bc4c00}
.result-planned{background:#0969da}.result-skipped{background:#6e7781}
dl.summary{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:0;font-size:14px}
dl.summary dt{color:#57606a}dl.summary dd{margin:0}
.failure{background:#ffebe9;border:1px solid #ff8182;padding:8px 12px;border-radius:6px;font-size:14px}
table{border-collapse:collapse;font-size:13px;margin:4px 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
tr.differs td{background:#fff8c5}
pre.plan{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;font-size:12px;overflow:auto}
svg.timeline{font-size:11px;background:#fff}
svg .lane-label{font-weight:600}svg .grid{stroke:#eaeef2}svg .axis{fill:#57606a}
svg .step{fill:#54aeff;stroke:#0969da}svg .step-evacuate{fill:#d8b9ff;stroke:#8250df}
svg .step-open{fill:#ffcecb;stroke:#cf222e;stroke-dasharray:4 2}
svg .outage{fill:#fa4549;stroke:#a40e26}svg .outage-test{fill:#fb8f44;stroke:#bc4c00}
svg .bar-label{fill:#1d2630}svg .predicted{fill:none;stroke:#57606a;stroke-dasharray:3 2}
.legend{font-size:12px;color:#57606a}
"""


def _tick_step(span):
    for step in TICKS:
        if span / step <= 10:
            return step
    return TICKS[-1]


def _clock(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime('%H:%M:%S')


def _offset(seconds):
    seconds = int(round(seconds))
    return '+%d:%02d' % (seconds // 60, seconds % 60)


def render_timeline(line):
    """The SVG of one cluster's timeline (timeline()): node lanes, then hierarchy lanes."""
    start, end = line['start'], line['end']
    span = max(end - start, 1.0)
    rows = len(line['lanes']) + len(line['hierarchies'])
    height = AXIS_H + rows * ROW_H + 8
    width = LABEL_W + CHART_W + 40

    def x(moment):
        return LABEL_W + (moment - start) / span * CHART_W

    parts = ['<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
             'role="img" data-start="%.3f" data-end="%.3f">' % (width, height, width, height, start, end)]
    parts.append('<title>%s</title>' % _e('timeline from %s UTC' % _clock(start)))
    step = _tick_step(span)
    tick = 0
    while tick <= span + 0.001:
        px = x(start + tick)
        parts.append('<line class="grid" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>' % (px, AXIS_H - 6, px, height - 4))
        parts.append('<text class="axis" x="%.1f" y="%d" text-anchor="middle">%s</text>'
                     % (px, AXIS_H - 10, _e(_offset(tick))))
        tick += step
    parts.append('<text class="axis" x="4" y="%d">%s</text>' % (AXIS_H - 10, _e('from %s UTC' % _clock(start))))
    y = AXIS_H
    for lane in line['lanes']:
        parts.append('<g class="lane" data-node="%s" data-node-name="%s">' % (
            _e(lane['name'], ''), _e(lane['node_name'], '')))
        parts.append('<text class="lane-label" x="4" y="%d">%s</text>' % (
            y + ROW_H / 2 + 4, _e('%s (%s)' % (_text(lane['name']), _text(lane['node_name'])))))
        for one in lane['steps']:
            left, right = x(one['start']), x(one['end'])
            kind = 'step step-%s%s' % (re.sub(r'[^a-z0-9-]', '-', str(one['name']).lower()),
                                       ' step-open' if one['open'] else '')
            label = _step_text(one) if not one['open'] else '%s (did not end)' % _text(one['name'])
            parts.append('<rect class="%s" data-step="%s" data-hop="%s" data-start="%.3f" data-end="%.3f" '
                         'data-duration-s="%s" x="%.1f" y="%d" width="%.1f" height="%d" rx="2"><title>%s</title></rect>'
                         % (_e(kind), _e(one['name'], ''), _e(one['hop'], ''), one['start'], one['end'],
                            _e(one['duration_s'], ''), left, y + 4, max(right - left, 1.0), ROW_H - 8, _e(label)))
            if right - left > 7 * len(label):
                parts.append('<text class="bar-label" x="%.1f" y="%d">%s</text>' % (
                    left + 4, y + ROW_H / 2 + 4, _e(label)))
        parts.append('</g>')
        y += ROW_H
    for hierarchy in line['hierarchies']:
        parts.append('<g class="hierarchy" data-tag="%s">' % _e(hierarchy['tag'], ''))
        parts.append('<text class="lane-label" x="4" y="%d">%s</text>' % (
            y + ROW_H / 2 + 4, _e('%s out of service' % _text(hierarchy['tag']))))
        for shape in hierarchy['bars']:
            left, right = x(shape['start']), x(shape['end'])
            if _number(shape['predicted_downtime_s']) is not None:
                # the predicted outage as an outline from the same start, for comparison
                parts.append('<rect class="predicted" x="%.1f" y="%d" width="%.1f" height="%d" rx="2"/>' % (
                    left, y + 4, max(_number(shape['predicted_downtime_s']) / span * CHART_W, 2.0), ROW_H - 8))
            label = '%s (%s, predicted %s)' % (_seconds(shape['downtime_s']), _move(dict(shape, tag=hierarchy['tag'])),
                                               shape['prediction'])
            parts.append('<rect class="outage%s" data-tag="%s" data-from="%s" data-to="%s" data-kind="%s" '
                         'data-start="%.3f" data-end="%.3f" data-downtime-s="%s" data-predicted-s="%s" x="%.1f" y="%d" '
                         'width="%.1f" height="%d" rx="2"><title>%s</title></rect>'
                         % (' outage-test' if shape['kind'] == 'switchover test' else '', _e(hierarchy['tag'], ''),
                            _e(shape['from'], ''), _e(shape['to'], ''), _e(shape['kind'], ''), shape['start'], shape['end'],
                            _e(shape['downtime_s'], ''), _e(shape['predicted_downtime_s'], ''), left, y + 6,
                            max(right - left, 2.0), ROW_H - 12, _e(label)))
            parts.append('<text class="bar-label" x="%.1f" y="%d">%s</text>' % (
                right + 3, y + ROW_H / 2 + 4, _e(_seconds(shape['downtime_s']))))
        parts.append('</g>')
        y += ROW_H
    parts.append('</svg>')
    return ''.join(parts)


def _html_table(headers, rows, classes=None):
    out = ['<table><thead><tr>%s</tr></thead><tbody>' % ''.join('<th>%s</th>' % _e(h) for h in headers)]
    for index, row in enumerate(rows):
        css = (classes or {}).get(index)
        out.append('<tr%s>%s</tr>' % (' class="%s"' % _e(css) if css else '',
                                      ''.join('<td>%s</td>' % _e(cell) for cell in row)))
    out.append('</tbody></table>')
    return ''.join(out)


def _result_badge(result):
    css = re.sub(r'[^a-z]', '', str(result or 'unknown').lower())
    return '<span class="result result-%s">%s</span>' % (_e(css), _e(result, 'unknown'))


def _html_cluster(record, nodes):
    planned = record.get('result') == 'planned'
    out = ['<section class="cluster" data-cluster="%s" data-result="%s">' % (
        _e(record.get('name'), ''), _e(record.get('result'), ''))]
    out.append('<h2>Cluster %s %s</h2>' % (_e(record.get('name')), _result_badge(record.get('result'))))
    if record.get('failure'):
        out.append('<p class="failure">%s</p>' % _e(record['failure']))
    line = timeline(record, nodes)
    out.append('<h3>Timeline</h3>')
    if line['start'] is None:
        out.append('<p class="no-timeline">%s</p>' % _e(
            'check mode: nothing ran; the plan is below' if planned else 'nothing ran: no step has a time'))
    else:
        out.append(render_timeline(line))
        out.append('<p class="legend">%s</p>' % _e(
            'Lanes: each node with its steps (evacuate, then the update with its gate) and their durations; '
            'each hierarchy with its outages (the time its switchover took, from the switchover records; '
            'a dashed outline: the outage predicted from earlier runs).'))
    out.append('<h3>Nodes: planned and done</h3>')
    out.append(_html_table(NODE_HEADERS, [_node_row(n, planned, record.get('target_version')) for n in nodes]))
    rows = plan_rows(record)
    out.append('<h3>Switchovers: the plan next to what happened</h3>')
    if rows:
        differs = dict((i, 'differs') for i, (p, m) in enumerate(rows)
                       if not planned and (p is None or m is None or _move(p) != _move(m)))
        out.append(_html_table(MOVE_HEADERS, [_move_row(i, p, m, planned) for i, (p, m) in enumerate(rows, 1)],
                               differs))
    else:
        out.append('<p>none planned, none made</p>')
    test = (record.get('switchover_test') or {}).get('moves') or []
    if test:
        out.append('<h3>Switchover test (apart from the update)</h3>')
        out.append(_html_table(('switchover', 'measured outage', 'started'),
                               [[_move(m), _seconds(m.get('downtime_s')), _text(m.get('start'))] for m in test]))
    if _computed_plan(record):
        out.append('<h3>The plan</h3><pre class="plan">%s</pre>' % _e('\n'.join(render_plan(record['plan']))))
    out.append('</section>')
    return ''.join(out)


def render_html(report, operation=None):
    """The report as one self-contained HTML page."""
    title = _title(report, operation)
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<title>%s</title><style>%s</style></head>' % (_e(title), CSS),
           '<body data-result="%s"><header><h1>%s %s</h1>' % (_e(report.get('result'), ''), _e(title.rsplit(':', 1)[0]),
                                                              _result_badge(report.get('result')))]
    out.append('<dl class="summary">%s</dl>' % ''.join(
        '<dt>%s</dt><dd>%s</dd>' % (_e(name), _e(value)) for name, value in _summary(report)))
    if report.get('failure'):
        out.append('<p class="failure">%s</p>' % _e(report['failure']))
    out.extend('<p class="note">note: %s</p>' % _e(note) for note in report.get('notes') or [])
    out.append('</header>')
    clusters = _clusters(report)
    if not clusters:
        out.append('<p>%s</p>' % _e('no cluster was planned: the run stopped before'))
    out.extend(_html_cluster(record, nodes) for record, nodes in clusters)
    out.append('</body></html>\n')
    return '\n'.join(out)


def render(report, view='html', operation=None):
    """The report as view ('html' or 'markdown')."""
    if not isinstance(report, dict):
        raise ValueError('lk_report_view expects the run report (a dict), got %r' % type(report).__name__)
    if view not in FORMATS:
        raise ValueError('lk_report_view: view is %r, expected one of %s' % (view, ', '.join(FORMATS)))
    return render_html(report, operation) if view == 'html' else render_markdown(report, operation)
