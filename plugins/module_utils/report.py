# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rolling-update report (pure): one record per node plus cluster-wide figures."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils.plan import orphans

ACTION_DONE = {'update': 'updated', 'reinstall': 'reinstalled', 'install': 'installed', 'skip': 'skipped'}


def switch_records(results, loop_var, from_host=None):
    """Switchover records [{tag, from, to, downtime_s}] from registered lk_resource_switch
    loop results; the move (loop_var) says from where to where."""
    records = []
    for result in results or []:
        move = result.get(loop_var) or {}
        if result.get('skipped') or not result.get('changed'):
            continue
        for switched in result.get('results') or []:
            if not switched.get('changed') or switched.get('before') in ('ISP', 'ISU'):
                continue   # was already in service there: no switchover happened
            records.append({
                'tag': switched.get('tag'),
                'from': move.get('from', from_host),
                'to': move.get('to'),
                'downtime_s': switched.get('duration_s'),
            })
    return records


def build(result, plan, records, placement_before, final_statuses, failure=None, placement_switchovers=None):
    """The report dict. records: {host: {'started', 'ended', 'switchovers'}} as recorded
    during the run; final_statuses: {host: lk_status result} read at the end."""
    records = records or {}
    nodes = []
    all_switchovers = []
    for node in plan.get('nodes', []):
        host = node['name']
        record = records.get(host) or {}
        final = (final_statuses or {}).get(host) or {}
        reached = bool(record.get('ended'))
        duration = None
        if record.get('started') is not None and record.get('ended') is not None:
            duration = round(float(record['ended']) - float(record['started']), 3)
        switchovers = list(record.get('switchovers') or [])
        # switching a hierarchy back at the end counts for the node it returns to
        switchovers.extend(s for s in placement_switchovers or [] if s.get('to') == host)
        all_switchovers.extend(switchovers)
        nodes.append({
            'name': host,
            'node_name': node.get('node_name', host),
            'version_before': node.get('version_before'),
            'version_after': final.get('version'),
            'action': ACTION_DONE.get(node.get('action'), node.get('action')) if reached else 'not done',
            'duration_s': duration,
            'switchovers': switchovers,
        })
    downtimes = [s['downtime_s'] for s in all_switchovers if s.get('downtime_s') is not None]
    lost = orphans(final_statuses or {}, list((placement_before or {}).keys())) if final_statuses else []
    return {
        'result': result,
        'target_version': plan.get('target_version'),
        'hierarchies_lost': lost,
        'switchovers': len(all_switchovers),
        'max_downtime_s': max(downtimes) if downtimes else 0,
        'placement_before': placement_before or {},
        'nodes': nodes,
        'failure': failure,
    }


def summary(report):
    """A few lines for a human."""
    lines = ['LifeKeeper rolling update to %s: %s' % (report['target_version'], report['result'].upper())]
    for node in report['nodes']:
        lines.append('  %-20s %-12s %s -> %s  %s s, %d switchover(s)' % (
            node['name'], node['action'], node['version_before'], node['version_after'],
            node['duration_s'] if node['duration_s'] is not None else '-', len(node['switchovers'])))
    lines.append('  switchovers: %d, longest downtime of a hierarchy: %s s, hierarchies lost: %s' % (
        report['switchovers'], report['max_downtime_s'], ', '.join(report['hierarchies_lost']) or 'none'))
    if report.get('failure'):
        lines.append('  failure: %s' % report['failure'])
    return lines
