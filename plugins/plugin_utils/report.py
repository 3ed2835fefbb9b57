# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run's report and the messages a person reads (controller side, pure, no I/O).

A cluster's report is built on the host that ran its flow, from what was recorded during
the run and from the nodes read afresh at the end (success) or after the rescue (failure).
Hierarchies lost are computed from those fresh reads only: the string 'unknown' when a
node could not be read and a hierarchy was not seen in service.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import datetime
import json
import re
import shlex

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import (
    IN_SERVICE, STANDBY, UNKNOWN, describe_unreadable, is_known, lost, mirror_states, packages, placement,
    result_problem, roots, unreadable)
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.outages import prediction
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.plan import planned_moves, version_text
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.rerun import resume_lines

ACTION_DONE = {'update': 'updated', 'reinstall': 'reinstalled', 'install': 'installed', 'skip': 'skipped',
               'rollback': 'rolled back', 'maintain': 'maintained'}


def switch_records(results, loop_var, from_host=None):
    """Switchover records [{tag, from, to, downtime_s, start, end}] from registered
    lk_resource_switch loop results; the move (loop_var) says from where to where; start and
    end (UTC, ISO 8601, as the module measured them) place the outage on the report's timeline."""
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
                'start': switched.get('start'),
                'end': switched.get('end'),
            })
    return records


# How ansible-core wraps an error raised while templating a task's arguments (a filter's
# AnsibleFilterError, a TypeError...) around its message: 2.19 and, last, 2.16 and earlier.
_ANSIBLE_WRAPPING = re.compile(
    r"^(?:Task failed: "
    r"|Finalization of task args for '[^']*' failed: "
    r"|Error while resolving value for '[^']*': "
    r"|The filter plugin '[^']*' failed: "
    r"|Unexpected templating type error occurred on \(.*?\}\}\): "
    r"|An unhandled exception occurred while templating '.*?'\. Error was a <class '[^']*'>, original message: "
    r"|template error while templating string: )", re.S)


def own_message(text):
    """The message as the collection wrote it, without the sentences ansible-core puts before
    an error raised in a filter ("Finalization of task args ...", "Unexpected templating type
    error ..."): the collection's own sentence comes first, naming the bad value."""
    text = '' if text is None else str(text)
    while True:
        found = _ANSIBLE_WRAPPING.match(text)
        if not found or not text[found.end():].strip():
            return text
        text = text[found.end():]


def failed_messages(result):
    """The messages of a failed task: each failed or unreachable loop item's, else the task's
    own; each as the collection wrote it (own_message)."""
    messages = [own_message(item.get('msg')) for item in (result or {}).get('results') or []
                if (item.get('failed') or item.get('unreachable')) and item.get('msg')]
    return '; '.join(messages) or own_message((result or {}).get('msg')) or 'see above'


def move_problems(results, loop_var):
    """'TAG -> HOST: why' for every switchover of a registered loop over moves that did not happen."""
    problems = []
    for result in results or []:
        move = result.get(loop_var)
        problem = None if result.get('skipped') or not move else result_problem(result, None, 'the switch')
        if problem:
            problems.append('%s -> %s: %s' % (move.get('tag'), move.get('to'), problem))
    return problems


def node_record(records, node, started, ended, switchovers, hop=None, action='update', evacuated=None):
    """The run's records {host: {started, ended, switchovers, hops, steps}} with node's step
    added: a multi-hop run passes a node once per hop, so its switchovers, hops and steps add
    up (a pass that skips the node adds none). evacuated: when this pass's evacuation ended
    (epoch seconds; an older one, from an earlier pass, is ignored): the pass is then two
    steps, evacuate and update, else one."""
    records = dict(records or {})
    old = records.get(node) or {}
    done = action != 'skip'
    records[node] = {
        'started': old.get('started', started),
        'ended': ended,
        'switchovers': list(old.get('switchovers') or []) + (list(switchovers or []) if done else []),
        'hops': list(old.get('hops') or []) + ([str(hop)] if hop and done else []),
        'steps': list(old.get('steps') or []) + (_pass_steps(started, ended, evacuated, hop, action) if done else []),
    }
    return records


def _pass_steps(started, ended, evacuated, hop, action):
    """The steps of one pass of a node: [{name, started, ended, hop}] (epoch seconds; ended
    None when the pass did not end)."""
    start = _epoch(started)
    evacuated = _epoch(evacuated)
    if evacuated is not None and (start is None or evacuated < start):
        evacuated = None   # the end of an earlier pass's evacuation
    steps = []
    if evacuated is not None:
        steps.append({'name': 'evacuate', 'started': start, 'ended': evacuated, 'hop': hop})
    steps.append({'name': action or 'update', 'started': evacuated if evacuated is not None else start,
                  'ended': _epoch(ended), 'hop': hop})
    return steps


def _outages(switchovers):
    downtimes = [s['downtime_s'] for s in switchovers if s.get('downtime_s') is not None]
    return max(downtimes) if downtimes else 0


def _epoch(value):
    if value is None or value == '':
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError('expected a time in seconds since the epoch, got %r' % (value,))


def _iso(seconds):
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _iso_ms(seconds):
    if seconds is None:
        return None
    whole, millis = divmod(int(round(seconds * 1000)), 1000)
    return '%s.%03dZ' % (_iso(whole)[:-1], millis)


def _steps(record, action):
    """A node's steps for the report: [{name, hop, started, ended (UTC, ISO 8601 with
    milliseconds; ended null when the step did not end), duration_s}]; a record without steps
    (an older record, the rollback's) is one step from its start to its end."""
    steps = record.get('steps')
    if steps is None:
        steps = [{'name': action, 'started': record.get('started'), 'ended': record.get('ended')}] \
            if record.get('started') is not None else []
    result = []
    for step in steps:
        start, end = _epoch(step.get('started')), _epoch(step.get('ended'))
        result.append({'name': step.get('name'), 'hop': step.get('hop'), 'started': _iso_ms(start),
                       'ended': _iso_ms(end),
                       'duration_s': round(end - start, 3) if start is not None and end is not None else None})
    return result


def _predicted(plan, switchover, kind=None):
    """A switchover record with the plan's prediction of its outage beside the measurement."""
    record = dict(switchover)
    record.update(prediction(plan, switchover.get('tag')))
    if kind:
        record['kind'] = kind
    return record


def _timing(started, ended):
    """{'started', 'ended' (UTC, ISO 8601), 'duration_s'} from times in seconds since the epoch."""
    start, end = _epoch(started), _epoch(ended)
    return {'started': _iso(start), 'ended': _iso(end),
            'duration_s': round(end - start, 3) if start is not None and end is not None else None}


def _from_iso(text):
    if not text:
        return None
    return (datetime.datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
            - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)).total_seconds()


def build_report(plan, result, records, placement_before, final_statuses, failure=None,
                 placement_switchovers=None, notes=None, failure_time=None, switchover_test=None,
                 started=None, ended=None):
    """One cluster's report.

    records: {host: {'started', 'ended', 'switchovers', 'hops'}} as recorded during the run
    (node_record); final_statuses: the cluster status read afresh after the last change;
    notes: what the hooks added to lk_report_notes; failure_time: when the failure was
    caught (UTC, ISO 8601); switchover_test: the switch records of the post-update
    switchover test (lk_switchover_test), None when it did not run: reported apart;
    started, ended: when the cluster's flow started and ended (seconds since the epoch).
    """
    records = records or {}
    final_statuses = final_statuses or {}
    nodes = []
    made = []
    outages = []
    for node in plan.get('nodes', []):
        host = node['name']
        record = records.get(host) or {}
        final = final_statuses.get(host) or {}
        planned_hops = set(node.get('hops') or [])
        reached = bool(record.get('ended')) and planned_hops <= set(record.get('hops', planned_hops))
        duration = None
        if record.get('started') is not None and record.get('ended') is not None:
            duration = round(float(record['ended']) - float(record['started']), 3)
        switchovers = list(record.get('switchovers') or [])
        made.extend(switchovers)
        outages.extend(_predicted(plan, s, 'evacuation') for s in switchovers)
        # switching a hierarchy back at the end counts for the node it returns to
        switchovers.extend(s for s in placement_switchovers or [] if s.get('to') == host)
        switchovers = [_predicted(plan, s) for s in switchovers]
        nodes.append({
            'name': host,
            'node_name': node.get('node_name', host),
            'version_before': node.get('version_before'),
            'version_after': final.get('version'),
            'packages_before': node.get('packages') or {},
            'packages_after': packages(final),
            'hops': list(record.get('hops') or []),
            'action': ACTION_DONE.get(node.get('action'), node.get('action')) if reached else 'not done',
            'duration_s': duration,
            'switchovers': switchovers,
            'action_planned': node.get('action'),
            'steps': _steps(record, ACTION_DONE.get(node.get('action'), node.get('action'))),
        })
    made.extend(placement_switchovers or [])
    outages.extend(_predicted(plan, s, 'placement') for s in placement_switchovers or [])
    outages.extend(_predicted(plan, s, 'switchover test') for s in switchover_test or [])
    test = None
    if switchover_test is not None:
        test = {'switchovers': len(switchover_test), 'max_downtime_s': _outages(switchover_test),
                'moves': [dict(s) for s in switchover_test]}
    timing = _timing(started, ended)
    return {
        'result': result,
        'cluster': plan.get('cluster'),
        'started': timing['started'],
        'ended': timing['ended'],
        'duration_s': timing['duration_s'],
        'target_version': plan.get('target_version'),
        'hops': [hop['version'] for hop in plan.get('hops') or []],
        'hierarchies_lost': lost(final_statuses, list((placement_before or {}).keys())),
        'unreadable_nodes': unreadable(final_statuses),
        'switchovers': len(made),
        'max_downtime_s': _outages(made),
        'placement_before': placement_before or {},
        'moves_planned': planned_moves(plan),
        'moves_made': [{'tag': s.get('tag'), 'from': s.get('from'), 'to': s.get('to')} for s in made],
        'switchover_test': test,
        'mirrors': mirror_states(final_statuses),
        'nodes': nodes,
        'failure': failure,
        'failure_time': failure_time if failure else None,
        'notes': list(notes or []),
        # every switchover's outage (start, downtime_s) beside the plan's prediction, for the timeline
        'outages': outages,
        'plan_outages': [_predicted(plan, move) for move in planned_moves(plan)],
        'earlier_runs': list(plan.get('earlier_runs') or []),
    }


def _lost_text(report):
    if report['hierarchies_lost'] == UNKNOWN:
        return 'unknown (not read: %s)' % ', '.join(
            '%s (%s)' % (host, reason) for host, reason in sorted(report.get('unreadable_nodes', {}).items()))
    return ', '.join(report['hierarchies_lost']) or 'none'


def report_lines(report, operation='rolling update'):
    """A few lines for a human."""
    target = ' to %s' % report['target_version'] if report.get('target_version') else ''
    lines = ['LifeKeeper %s%s: %s' % (operation, target, report['result'].upper())]
    if len(report.get('clusters') or []) > 1:
        for one in report['clusters']:
            lines.append('  cluster %-18s %-8s %s s, %d switchover(s), longest downtime %s s' % (
                one['name'], one['result'], one['duration_s'] if one['duration_s'] is not None else '-',
                one['switchovers'], one['max_downtime_s']))
    not_read = report.get('unreadable_nodes') or {}
    for node in report['nodes']:
        lines.append('  %-20s %-12s %s -> %s  %s s, %d switchover(s)' % (
            ('%s/%s' % (node['cluster'], node['name'])) if 'cluster' in node else node['name'], node['action'],
            version_text(node['version_before']),
            version_text(node['version_after'], 'not read' if node['name'] in not_read else 'not installed'),
            node['duration_s'] if node['duration_s'] is not None else '-', len(node['switchovers'])))
    lines.append('  switchovers: %d, longest downtime of a hierarchy: %s s, hierarchies lost: %s' % (
        report['switchovers'], report['max_downtime_s'], _lost_text(report)))
    if report.get('switchover_test'):
        lines.append('  switchover test (apart from the update): %d switchover(s), longest downtime %s s' % (
            report['switchover_test']['switchovers'], report['switchover_test']['max_downtime_s']))
    if report.get('failure'):
        lines.append('  failure%s: %s' % (' at %s' % report['failure_time'] if report.get('failure_time') else '',
                                          report['failure']))
    lines.extend('  note: %s' % note for note in report.get('notes') or [])
    return lines


def resume_command(inventories, playbook, extra_vars):
    """ansible-playbook -i ... PLAYBOOK -e k=v ... (extra_vars: [[name, value]] in order; playbook:
    one or a list)."""
    words = ['ansible-playbook']
    for inventory in inventories or []:
        words.extend(['-i', shlex.quote(str(inventory))])
    words.extend(shlex.quote(str(one)) for one in (playbook if isinstance(playbook, list) else [playbook]))
    for name, value in extra_vars:
        words.extend(['-e', shlex.quote('%s=%s' % (name, value))])
    return ' '.join(words)


def node_state_lines(statuses):
    """One line per node as read now: its LifeKeeper version and whether it runs, the
    hierarchies in service there, standing by there and failed there; or why it was not read."""
    lines = []
    for host, status in sorted((statuses or {}).items()):
        if not is_known(status):
            lines.append('%s: not read, its state is unknown (%s)' % (host, status.get('reason') or 'no reason given'))
            continue
        if not status.get('installed', True) or not status.get('version'):
            lines.append('%s: LifeKeeper not installed' % host)
            continue
        if not status.get('running', True):
            lines.append('%s: LifeKeeper %s not running: no hierarchy in service here' % (host, status['version']))
            continue
        states = roots(status)
        failed = [res['tag'] for res in status.get('resources') or [] if res.get('state') == 'OSF']
        text = '%s: LifeKeeper %s running; in service: %s; standby: %s' % (
            host, status['version'], ', '.join(sorted(t for t, s in states.items() if s in IN_SERVICE)) or '-',
            ', '.join(sorted(t for t, s in states.items() if s in STANDBY)) or '-')
        if failed:
            text += '; failed (OSF): %s' % ', '.join(failed)
        lines.append(text)
    return lines


def _indented(lines, depth=1):
    return ['  ' * depth + line for line in lines]


def failure_message(report, statuses, artifacts, resume, rescue_errors=None, operation='rolling update',
                    resume_note=None, rescued=None):
    """What a person reads when a cluster's run stopped, on several lines: what failed (where
    and when), what the rescue did (brought back) and could not do, the state of each node
    (read afresh), where every hierarchy is in service now and what is lost (or unknown,
    naming the nodes not read), where the evidence is and how to resume. resume: the
    command (a text) or its lines (see rerun.resume_lines)."""
    now = placement(statuses)
    where = json.dumps(now, sort_keys=True)
    not_read = describe_unreadable(statuses)
    if not_read:
        where += ' (on the nodes that could be read; not read: %s)' % not_read
    lines = ['The %s stopped%s: %s.' % (operation, ' at %s' % report['failure_time'] if report.get('failure_time') else '',
                                        (report.get('failure') or 'unknown failure').rstrip('.'))]
    if rescued:
        lines.append('The rescue brought back in service: %s.' % ', '.join(rescued))
    if rescue_errors:
        lines.append('The rescue itself could not: %s' % '; '.join(rescue_errors))
    states = node_state_lines(statuses)
    if states:
        lines.append('Each node now:')
        lines.extend(_indented(states))
    lines.extend([
        'Hierarchies in service now: %s; lost: %s.' % (where, _lost_text(report)),
        'Support bundles and backups are in %s/.' % artifacts.rstrip('/') if artifacts else
        'No support bundle or backup was collected.',
        'Fix the cause, then resume%s:' % (' (%s)' % resume_note if resume_note else ''),
    ])
    lines.extend(_indented([resume] if isinstance(resume, str) else list(resume)))
    return '\n'.join(lines)


def evacuation_failure_message(node, failed_task, failed_result, brought_back, left_failed, lkroot,
                               not_read=''):
    """Why emptying node failed, what was brought back there, what is left failed and how to clear it."""
    text = ("Evacuating %s failed at '%s': %s. %d hierarchy(ies) were brought back in service here: %s. "
            "Nothing else was changed on this node."
            % (node, failed_task, failed_messages(failed_result), len(brought_back), ', '.join(brought_back)))
    if not_read:
        text += ' Not read after the failure (their state is unknown): %s.' % not_read
    if left_failed:
        text += (' Left failed (OSF): %s; fix the cause, then clear each on its node (%s/bin/perform_action -t TAG '
                 '-a remove makes it OSU) before resuming' % (', '.join(left_failed), lkroot.rstrip('/')))
    return text


def interrupted_result(cluster_vars):
    """The result of a cluster whose flow ended without recording one (its host became
    unreachable: Ansible runs no rescue then). Nothing was read after the interruption, so
    every node is unknown and so is what was lost."""
    the_plan = cluster_vars.get('__lk_plan') or {'nodes': [], 'cluster': cluster_vars.get('__lk_cluster')}
    hosts = cluster_vars.get('__lk_cluster_hosts') or [n['name'] for n in the_plan.get('nodes', [])]
    statuses = dict((host, {'known': False, 'reason': 'not read: the run lost its connection during the update'})
                    for host in hosts)
    failure = ('the run of cluster %s was interrupted (a node became unreachable); no rescue could run'
               % cluster_vars.get('__lk_cluster'))
    # the run id's one name (an operator's lk_run_id is empty when the run named itself)
    run_id = cluster_vars.get('__lk_run') or cluster_vars.get('lk_run_id')
    return cluster_entry(
        cluster_vars.get('__lk_cluster'),
        build_report(the_plan, 'failed', {}, the_plan.get('placement_before') or {}, statuses, failure,
                     started=cluster_vars.get('__lk_cluster_started')),
        statuses, run_id, operation='run', resume_vars=[['lk_run_id', run_id]])


def unchanged_result(plan, result, reason, statuses, run_id=None, artifacts=None, operation='rolling update',
                     resume_vars=None, resume_note=None):
    """The result of a cluster the run did not touch: 'refused' by pre-flight, or 'skipped'
    (a canary cluster failed first). reason: why (a text or a list of problems); statuses:
    the nodes as pre-flight read them (nothing was changed since)."""
    if result not in ('refused', 'skipped'):
        raise ValueError('unchanged_result: result is %r, expected refused or skipped' % (result,))
    reasons = [reason] if isinstance(reason, str) else list(reason or [])
    failure = '%s, nothing was changed on its nodes: %s' % (
        'refused in pre-flight' if result == 'refused' else 'skipped',
        '; '.join(str(r) for r in reasons) or 'no reason given')
    the_plan = dict(plan or {})
    the_plan.setdefault('nodes', [])
    statuses = statuses or {}
    rep = build_report(the_plan, result, {}, the_plan.get('placement_before') or {}, statuses, failure)
    rep['failure_time'] = None
    return cluster_entry(the_plan.get('cluster'), rep, statuses, run_id, artifacts, operation,
                         resume_vars or [['lk_run_id', run_id]], resume_note)


def cluster_entry(cluster, report, statuses, run_id, artifacts=None, operation='rolling update', resume_vars=None,
                  resume_note=None, rescue_errors=None, rescued=None):
    """One cluster's result as the report role gathers it (__lk_cluster_result): its report
    and what the run's report and final message take from it. The one shape of every ending:
    success and failed (cluster_record.cluster_result), refused and skipped (unchanged_result),
    a flow that recorded nothing (interrupted_result)."""
    return {
        'cluster': cluster,
        'report': report,
        'statuses': statuses,
        'rescue_errors': list(rescue_errors or []),
        'rescued': list(rescued or []),
        'run_id': run_id,
        'artifacts': artifacts,
        'operation': operation,
        'resume_vars': resume_vars if resume_vars is not None else [['lk_run_id', run_id]],
        'resume_note': resume_note,
    }


def _unchanged_message(rep, resume, operation):
    what = 'was refused in pre-flight' if rep['result'] == 'refused' else 'was skipped'
    reason = (rep.get('failure') or '').split(': ', 1)[-1].rstrip('.')
    lines = ['The %s of this cluster %s; nothing was changed on its nodes: %s.' % (operation, what, reason),
             'Fix the cause, then run it:']
    lines.extend(_indented([resume] if isinstance(resume, str) else list(resume)))
    return '\n'.join(lines)


def failure_messages(results, inventories, playbook, command_line=None, vars_file=None, awx_job=None):
    """The message of every cluster that did not succeed (named when there are several),
    after a first line giving every cluster's result when there are several. Each message
    has several lines (see failure_message).

    With vars_file (the file the run wrote with the variables it was given, see
    rerun.resume_vars_text), the resume is the user's own command line (command_line: the
    lk_command_line lookup; playbook, when not empty, names the playbook instead) with
    ``-e @vars_file``, or, under AWX (awx_job), a relaunch with lk_run_id. Without it, the
    resume is ``ansible-playbook -i ... playbook -e`` each of the result's resume_vars."""
    messages = []
    if len(results) > 1:
        messages.append('Clusters: %s.' % ', '.join(
            '%s %s' % (result.get('cluster'), result['report']['result']) for result in results))
    left_out = ((command_line or {}).get('extra_vars') or {}).get('left_out') or []
    for result in results:
        rep = result['report']
        if rep['result'] == 'success':
            continue
        if vars_file:
            resume = resume_lines(command_line, vars_file, result.get('run_id'), awx_job, playbook, left_out,
                                  inventories)
        else:
            resume = resume_command(inventories, playbook or list((command_line or {}).get('playbooks') or []),
                                    result.get('resume_vars') or []) + ' (plus your other extra vars).'
        if rep['result'] in ('refused', 'skipped'):
            text = _unchanged_message(rep, resume, result.get('operation') or 'run')
        else:
            text = failure_message(rep, result.get('statuses') or {}, result.get('artifacts'),
                                   resume, result.get('rescue_errors'), result.get('operation') or 'run',
                                   result.get('resume_note'), result.get('rescued'))
        if result.get('lock_note'):
            text += '\n' + result['lock_note']
        messages.append(text if len(results) == 1 else 'Cluster %s: %s' % (result.get('cluster'), text))
    return messages


CLUSTER_KEYS = ('result', 'started', 'ended', 'duration_s', 'switchovers', 'max_downtime_s', 'hierarchies_lost',
                'failure')


def cluster_record(rep):
    """One cluster's line of the run report: name, result (success, failed, refused,
    skipped), started, ended, duration_s, switchovers, max_downtime_s, hierarchies_lost,
    failure; and the rest of its report (nodes named, moves, mirrors) after them."""
    record = {'name': rep.get('cluster')}
    record.update((key, rep.get(key)) for key in CLUSTER_KEYS)
    record.update((key, value) for key, value in rep.items() if key not in record and key not in ('cluster', 'nodes'))
    record['nodes'] = [node['name'] for node in rep.get('nodes') or []]
    return record


def _fleet_timing(reports):
    starts = [_from_iso(r.get('started')) for r in reports if r.get('started')]
    ends = [_from_iso(r.get('ended')) for r in reports if r.get('ended')]
    start = min(starts) if starts else None
    end = max(ends) if ends else None
    return _timing(start, end) if start is not None and end is not None else {
        'started': _iso(start), 'ended': _iso(end), 'duration_s': None}


def _fleet_result(reports):
    if reports and all(r['result'] == 'success' for r in reports):
        return 'success'
    return 'failed'


def combine_reports(reports):
    """The run's report from the clusters' reports, with 'clusters': one record each
    (cluster_record). One cluster: its report as it is, plus 'clusters'.

    Several: fleet-wide keys (result success only if every cluster succeeded, else failed;
    started the earliest, ended the latest; switchovers summed, the longest downtime,
    hierarchies lost as 'cluster/tag', unknown if any cluster's is unknown, every node with
    its cluster, the failures named by cluster).
    """
    reports = list(reports or [])
    records = [cluster_record(rep) for rep in reports]
    if len(reports) == 1:
        return dict(reports[0], clusters=records)
    run_ids = sorted(set(str(rep['run_id']) for rep in reports if rep.get('run_id')))
    lost_all = []
    unknown = False
    nodes = []
    for rep in reports:
        if rep['hierarchies_lost'] == UNKNOWN:
            unknown = True
        else:
            lost_all.extend('%s/%s' % (rep.get('cluster'), tag) for tag in rep['hierarchies_lost'])
        nodes.extend(dict(node, cluster=rep.get('cluster')) for node in rep['nodes'])
    targets = sorted(set(str(rep.get('target_version')) for rep in reports))
    timing = _fleet_timing(reports)
    return {
        'result': _fleet_result(reports),
        'started': timing['started'],
        'ended': timing['ended'],
        'duration_s': timing['duration_s'],
        'target_version': targets[0] if len(targets) == 1 else targets,
        'hierarchies_lost': UNKNOWN if unknown else lost_all,
        'unreadable_nodes': dict((host, reason) for rep in reports
                                 for host, reason in rep.get('unreadable_nodes', {}).items()),
        'switchovers': sum(r['switchovers'] for r in reports),
        'max_downtime_s': max([r['max_downtime_s'] for r in reports] or [0]),
        'nodes': nodes,
        'failure': '; '.join('%s: %s' % (r.get('cluster'), r['failure']) for r in reports if r.get('failure')) or None,
        'notes': ['%s: %s' % (r.get('cluster'), note) for r in reports for note in r.get('notes') or []],
        'clusters': records,
        'run_id': run_ids[0] if len(run_ids) == 1 else (run_ids or None),
    }


ENDED_RESULTS = ('planned', 'refused')


def ended_report(clusters, plans, refused, statuses, run_id, result, failure=None, operation='rolling update'):
    """The report of a run that ended before any cluster's flow started (nothing was changed):
    'planned' (check mode: each cluster with its plan) or 'refused' (pre-flight refused the
    run, or the confirmation was not given; failure says why).

    clusters: [{'name', 'hosts'}] as far as pre-flight grouped them (may be empty: the input
    was refused first); plans: {cluster: plan} as far as computed; refused: {cluster:
    [problems]} of the clusters refused on their own; statuses: {host: node status} as
    pre-flight read the nodes. Every cluster and the run name run_id.
    """
    if result not in ENDED_RESULTS:
        raise ValueError('ended_report: result is %r, expected one of %s' % (result, ', '.join(ENDED_RESULTS)))
    plans, refused, statuses = plans or {}, refused or {}, statuses or {}
    reports = []
    for one in clusters or []:
        name = one['name']
        the_plan = dict(plans.get(name) or {'cluster': name, 'nodes': []})
        the_plan.setdefault('cluster', name)
        the_plan.setdefault('nodes', [])
        own = [str(problem) for problem in refused.get(name) or []]
        if own or result == 'refused':
            cluster_result = 'refused'
            why = 'refused in pre-flight, nothing was changed on its nodes: %s' % (
                '; '.join(own) or failure or 'no reason given')
        else:
            cluster_result, why = 'planned', None
        read = dict((host, statuses[host]) for host in one.get('hosts') or [] if host in statuses)
        rep = build_report(the_plan, cluster_result, {}, the_plan.get('placement_before') or {}, read, why)
        rep.update(failure_time=None, run_id=run_id, plan=the_plan, operation=operation)
        reports.append(rep)
    if reports:
        report = combine_reports(reports)
    else:
        report = {'started': None, 'ended': None, 'duration_s': None, 'target_version': None, 'hierarchies_lost': [],
                  'unreadable_nodes': {}, 'switchovers': 0, 'max_downtime_s': 0, 'nodes': [], 'notes': [],
                  'clusters': []}
    report.update(result=result, run_id=run_id, operation=operation,
                  failure=None if result == 'planned' else (failure or report.get('failure')))
    return report
