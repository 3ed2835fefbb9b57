# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each switchover's outage, predicted from the outages measured in earlier runs of the same
cluster (controller side, pure, no I/O: the caller reads the earlier reports' texts).

Every run keeps a copy of its report in its folder of the artifacts folder
(<lk_artifacts_dir>/<run id>/report.json); a switchover's outage there is its record's
downtime_s (the time lk_resource_switch took to bring the hierarchy in service on its new
node). The prediction for a hierarchy is the median of its latest measured outages in that
cluster; with none, the text says why (never a bare null for a person to read).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

# the latest measured outages of a hierarchy a prediction uses
RECENT = 5
NO_EARLIER_RUN = 'no earlier run'
NO_EARLIER_OUTAGE = 'no outage of it measured in an earlier run'
# what a finished run's report says (a planned or refused run measured nothing)
_RAN = ('success', 'failed')


def earlier_reports(texts):
    """The reports among texts (the JSON texts of earlier reports), in the order their runs
    started; a text that is not a report (damaged, another file) is left out: an old file
    never stops a run."""
    reports = []
    for text in texts or []:
        try:
            report = json.loads(text) if isinstance(text, str) else text
        except ValueError:
            continue
        if isinstance(report, dict) and isinstance(report.get('nodes'), list):
            reports.append(report)
    return sorted(reports, key=lambda r: (str(r.get('started') or ''), str(r.get('run_id') or '')))


def measured_outages(report):
    """The outages one report measured, {cluster: {tag: [seconds]}}, from every switchover the run made (its nodes' records and the switchover test), in the
    order they happened. A fleet report names each node's cluster; a run of one cluster names
    it once."""
    measured = {}
    per_cluster = dict((one.get('name'), one.get('result')) for one in report.get('clusters') or [])
    for node in report.get('nodes') or []:
        cluster = node.get('cluster', report.get('cluster'))
        if per_cluster.get(cluster, report.get('result')) not in _RAN:
            continue
        records = sorted(node.get('switchovers') or [], key=lambda s: str(s.get('start') or ''))
        for record in records:
            _add(measured, cluster, record)
    for one in report.get('clusters') or [dict(report, name=report.get('cluster'))]:
        if one.get('result') not in _RAN:
            continue
        for record in (one.get('switchover_test') or {}).get('moves') or []:
            _add(measured, one.get('name'), record)
    return measured


def _add(measured, cluster, record):
    seconds = record.get('downtime_s')
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and record.get('tag'):
        measured.setdefault(cluster, {}).setdefault(record['tag'], []).append(float(seconds))


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def _hosts_of(report, cluster):
    return set(node.get('name') for node in report.get('nodes') or []
               if node.get('cluster', report.get('cluster')) == cluster)


def cluster_history(reports, cluster, hosts=None):
    """(run ids, {tag: [seconds, oldest first]}) of the earlier runs of cluster that ran: a
    report of a cluster of that name that shares a node with hosts (when given; another
    inventory's cluster of the same name is not this one)."""
    runs, by_tag = [], {}
    for report in reports:
        measured = measured_outages(report)
        clusters = [one.get('name') for one in report.get('clusters') or []] or [report.get('cluster')]
        if cluster not in clusters or (hosts and not _hosts_of(report, cluster) & set(hosts)):
            continue
        ran = [one for one in report.get('clusters') or [dict(report, name=report.get('cluster'))]
               if one.get('name') == cluster and one.get('result') in _RAN]
        if not ran:
            continue
        runs.append(str(report.get('run_id') or report.get('started') or 'unnamed run'))
        for tag, seconds in (measured.get(cluster) or {}).items():
            by_tag.setdefault(tag, []).extend(seconds)
    return runs, by_tag


def predict(runs, seconds, recent=RECENT):
    """{predicted_downtime_s, prediction} of one hierarchy: the median of its latest measured
    outages (seconds, oldest first) from the earlier runs runs; predicted_downtime_s is null
    and prediction says why when there is nothing to go by."""
    if not runs:
        return {'predicted_downtime_s': None, 'prediction': NO_EARLIER_RUN}
    if not seconds:
        return {'predicted_downtime_s': None, 'prediction': NO_EARLIER_OUTAGE}
    latest = list(seconds)[-recent:]
    value = round(_median(latest), 3)
    return {'predicted_downtime_s': value,
            'prediction': '%s s: median of the latest %d outage(s) measured (%s-%s s) in %d earlier run(s)'
                          % (value, len(latest), min(latest), max(latest), len(runs))}


def _plan_tags(plan):
    passes = plan.get('hops') or [plan]
    tags = [move['tag'] for one in passes for node in one.get('nodes') or [] for move in node.get('moves') or []]
    tags.extend(move['tag'] for move in plan.get('restore_moves') or [])
    tags.extend(plan.get('placement_before') or {})
    return sorted(set(tags))


def predict_outages(plans, texts, recent=RECENT):
    """plans ({cluster: plan}) with each plan's predictions added: 'earlier_runs' (the run ids
    of the earlier runs of that cluster found, oldest first) and 'predicted_outages' {tag:
    {predicted_downtime_s, prediction}} for every hierarchy the plan moves or holds.
    texts: the earlier reports' JSON texts (report.json of each run folder)."""
    if not isinstance(plans, dict):
        raise ValueError('predict_outages expects the plans by cluster (a dict), got %r' % type(plans).__name__)
    try:
        recent = int(recent)
    except (TypeError, ValueError):
        raise ValueError('predict_outages: recent is %r, expected a whole number of outages (1 or more)' % (recent,))
    if recent < 1:
        raise ValueError('predict_outages: recent is %r, expected a whole number of outages (1 or more)' % (recent,))
    reports = earlier_reports(texts)
    result = {}
    for name, plan in plans.items():
        runs, by_tag = cluster_history(reports, plan.get('cluster', name),
                                       [node.get('name') for node in plan.get('nodes') or []])
        predicted = dict((tag, predict(runs, by_tag.get(tag), recent)) for tag in _plan_tags(plan))
        result[name] = dict(plan, earlier_runs=runs, predicted_outages=predicted)
    return result


def prediction(plan, tag):
    """The plan's prediction for tag: {predicted_downtime_s, prediction} (no earlier run when
    the plan has none)."""
    found = ((plan or {}).get('predicted_outages') or {}).get(tag)
    return dict(found) if found else {'predicted_downtime_s': None, 'prediction': NO_EARLIER_RUN}


def prediction_lines(plan):
    """The plan's predicted outages as lines for a human (none when the plan moves nothing)."""
    predicted = plan.get('predicted_outages')
    if predicted is None:
        return []
    moved = _plan_tags(dict(plan, placement_before={}))
    if not moved:
        return []
    if not plan.get('earlier_runs'):
        return ['   predicted outage of each switchover: %s of this cluster in the artifacts folder' % NO_EARLIER_RUN]
    return ['   predicted outage of %s: %s' % (tag, predicted.get(tag, prediction(plan, tag))['prediction'])
            for tag in moved]
