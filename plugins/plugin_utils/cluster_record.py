# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The record of one cluster's run: a JSON document in the run's folder on the controller
(clusters/<cluster>.json, 0600), written only by the action lk_cluster_record. It holds what
the cluster's flow did - the step being run, each node's passes and switchovers, the result -
so that a rescue from the controller, the report and a later run read one document instead of
facts spread over hosts. Pure functions here; the action reads the task's variables and calls
them (docs/architecture.md, "The cluster record", gives the schema)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster, controller_files, report

SCHEMA = 1
RESULTS = ('success', 'failed', 'refused', 'skipped')
# the step a cluster's flow is at before its first step (the rescue names it so)
FIRST_STEP = {'node': 'cluster', 'name': 'start'}


def record_path(run_dir, cluster):
    """Where the record of cluster lives in the run's folder run_dir."""
    if not run_dir:
        raise ValueError('the cluster record needs the run folder (__lk_run_dir); it is empty')
    name = str(cluster or '')
    if not name or name in ('.', '..') or '/' in name or '\0' in name:
        raise ValueError('the cluster record needs a cluster name usable as a file name, got %r' % (cluster,))
    return os.path.join(str(run_dir), 'clusters', name + '.json')


def load(path):
    """The record at path, or None when there is none. A file that is not a record of this
    schema is an error naming the path (never silently replaced: it is the run's truth)."""
    try:
        with open(path, encoding='utf-8') as handle:
            record = json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError('the cluster record %s cannot be read: %s' % (path, exc))
    if not isinstance(record, dict) or record.get('schema') != SCHEMA:
        raise ValueError('%s is not a cluster record of schema %s' % (path, SCHEMA))
    return record


def save(path, record):
    """Write record to path (0600, atomically; its folder created 0700)."""
    controller_files.ensure_private_folder(os.path.dirname(path))
    controller_files.write_private(path, json.dumps(record, indent=1, sort_keys=True) + '\n')


def new(cluster, run_id=None, operation=None, hosts=None, plan=None, started=None, resume_vars=None,
        resume_note=None, earlier=None, configured=None):
    """A cluster's record at the start of its flow. earlier: the record an earlier run with the
    same run id left (a resume): its attempts are kept, newest last, the run starts afresh."""
    attempts = list((earlier or {}).get('attempts') or [])
    if earlier:
        attempts.append(attempt_summary(earlier))
    return {
        'schema': SCHEMA,
        'cluster': cluster,
        'run_id': run_id,
        'operation': operation or (plan or {}).get('operation') or 'rolling update',
        'hosts': list(hosts or [n.get('name') for n in (plan or {}).get('nodes') or []]),
        'plan': plan or {},
        'started': started,
        'ended': None,
        'step': dict(FIRST_STEP),
        'steps': [],
        'nodes': {},
        'configured': configured or {},
        'placement_before': None,
        'placement_switchovers': [],
        'resume_vars': resume_vars,
        'resume_note': resume_note,
        'result': None,
        'attempts': attempts,
    }


def attempt_summary(record):
    """What an earlier attempt of the same run did, in short: when, how far, how it ended
    ('interrupted' when it recorded no result: its controller process ended mid-flow)."""
    result = record.get('result') or {}
    return {
        'started': record.get('started'),
        'ended': record.get('ended'),
        'step': record.get('step'),
        'nodes_done': sorted(host for host, node in (record.get('nodes') or {}).items() if node.get('ended')),
        'result': (result.get('report') or {}).get('result') or ('interrupted' if not result else None),
    }


def note_step(record, node, name, at):
    """record with the step (node, name) begun at `at` (seconds since the epoch)."""
    record = dict(record)
    step = {'node': node or 'cluster', 'name': name, 'at': at}
    record['step'] = step
    record['steps'] = list(record.get('steps') or []) + [step]
    return record


def with_placement(record, before=None, switchovers=None):
    """record with the placement the flow recorded before its first change (before: {tag: host})
    and the switchovers that put it back, when the flow has them."""
    record = dict(record)
    if before is not None:
        record['placement_before'] = before
    if switchovers is not None:
        record['placement_switchovers'] = list(switchovers)
    return record


def rescue_view(record):
    """What a rescue of the cluster from another host needs of its record: the step the flow was
    at, the node passes, the plan and hosts, the placement to restore, the hierarchies each node
    has an instance of, when the flow started."""
    plan = record.get('plan') or {}
    return {
        'step': {'node': (record.get('step') or FIRST_STEP)['node'], 'name': (record.get('step') or FIRST_STEP)['name']},
        'nodes': record.get('nodes') or {},
        'plan': plan,
        'hosts': record.get('hosts') or [],
        'placement_before': record.get('placement_before') or plan.get('placement_before') or {},
        'placement_switchovers': record.get('placement_switchovers') or [],
        'configured': record.get('configured') or {},
        'started': record.get('started'),
    }


def keep_node(record, node, started, ended, switchovers, hop=None, action='update', evacuated=None):
    """record with one pass of node added to its node records (report.node_record): ended None
    when the pass did not end (the rescue keeps the switchovers a failed pass made)."""
    record = dict(record)
    record['nodes'] = report.node_record(record.get('nodes') or {}, node, started, ended, switchovers,
                                         hop, action, evacuated)
    return record


def node_plan(plan, hop, node):
    """node's plan in this pass: its entry in the hop's nodes (a multi-hop update), else the plan's."""
    for one in ((hop or plan or {}).get('nodes') or []):
        if one.get('name') == node:
            return one
    raise ValueError('the plan has no node %r (nodes: %s)' % (
        node, ', '.join(n.get('name', '?') for n in ((hop or plan or {}).get('nodes') or [])) or 'none'))


def progress_context(cluster, started, node=None, nodes=None, hop=None, hops=0):
    """Where the flow is, for the progress lines (plugin_utils.progress): the cluster, and in a
    node's pass the node, the pass's nodes and the hop."""
    context = {'cluster': cluster, 'started': started}
    if node is not None:
        context.update(node=node, nodes=list(nodes or []), hop=hop, hops=hops)
    return context


def cluster_result(record, result, statuses, failure=None, placement_before=None, placement_switchovers=None,
                   notes=None, failure_time=None, switchover_test=None, rescue_errors=None, rescued=None,
                   artifacts=None, ended=None):
    """The cluster's result for the report (the report role's __lk_cluster_result) from its
    record and a read of every node after the last change (statuses). result: success or
    failed after the cluster's flow ran; refused or skipped for a cluster it never touched
    (statuses: pre-flight's read, failure: why)."""
    if result not in RESULTS:
        raise ValueError('the cluster result is %r, expected one of %s' % (result, ', '.join(RESULTS)))
    plan = record.get('plan') or {'cluster': record.get('cluster'), 'nodes': []}
    operation = record.get('operation') or plan.get('operation') or 'rolling update'
    resume_vars = record.get('resume_vars') or [['lk_run_id', record.get('run_id')]]
    if result in ('refused', 'skipped'):
        return report.unchanged_result(plan, result, failure, statuses, record.get('run_id'), artifacts, operation,
                                       resume_vars, record.get('resume_note'))
    statuses = statuses or {}
    if placement_before is None:
        placement_before = record.get('placement_before') or plan.get('placement_before')
    if placement_switchovers is None:
        placement_switchovers = record.get('placement_switchovers')
    return report.cluster_entry(
        plan.get('cluster') or record.get('cluster'),
        report.build_report(
            plan, result, record.get('nodes') or {}, placement_before,
            statuses, failure, placement_switchovers or [], notes=notes or [], failure_time=failure_time,
            switchover_test=switchover_test, started=record.get('started'), ended=ended),
        statuses, record.get('run_id'), artifacts, operation, resume_vars, record.get('resume_note'), rescue_errors,
        rescued)


def finish(record, result, ended):
    """record with its result (cluster_result) and the time it ended."""
    record = dict(record)
    record['result'] = result
    record['ended'] = ended
    return record


def with_lock_note(record, note):
    """record with what became of the cluster's lock in its result (the lock is released after
    the result is recorded); unchanged when it has no result."""
    if not record.get('result'):
        return record
    record = dict(record)
    record['result'] = dict(record['result'], lock_note=note)
    return record


def result_of_attempt(record, attempt_started):
    """The result the record holds when this attempt recorded it (it ended at or after
    attempt_started, the controller's time when this attempt of the run began), else None: a
    resume finds the earlier attempt's result in the record until it records its own."""
    if not record or not record.get('result') or record.get('ended') is None:
        return None
    if attempt_started is not None and float(record['ended']) < float(attempt_started):
        return None
    return record['result']


def gathered_results(entries, attempt_started):
    """Each cluster's result for the report, in the given order. entries: [(its record or None,
    the vars of the host that ran its flow)]. The record's result of this attempt first; else
    the result that host kept (__lk_cluster_result: a record that could not be written); else
    the cluster's flow ended without one (report.interrupted_result). Each cluster's report
    names its run (run_id), so a hook, a ledger and a resume can be matched to it."""
    results = []
    for record, host_vars in entries:
        result = result_of_attempt(record, attempt_started) or host_vars.get('__lk_cluster_result') \
            or report.interrupted_result(host_vars)
        result = dict(result)
        result['report'] = dict(result['report'], run_id=result.get('run_id'))
        results.append(result)
    return results


def run_report(results):
    """The run's report (the report role's lk_report) from every cluster's result
    (gathered_results), with the operation the results name (a rolling update when none does)."""
    results = list(results)
    operation = (results[0].get('operation') if results else None) or 'rolling update'
    return dict(report.combine_reports([result['report'] for result in results]), operation=operation)


def evacuated_in_pass(evacuated_at, node_started):
    """Whether the node's evacuation ended in the pass that began at node_started (epoch
    seconds): a pass that failed after it made switchovers the record must keep; one that
    failed before it (or before the pass began) made none of its own."""
    if evacuated_at is None or node_started is None:
        return False
    return float(evacuated_at) >= float(node_started)


# the node passes that end with the update role's gate on the node (roles/update/tasks/start.yml)
GATED_ACTIONS = ('update', 'reinstall')


def gate_read_lent(operation, closed_pass, node_plan_closed, gate, after_update_hooks):
    """{host: read} lent to the next read of the cluster when a rolling update's node pass ends:
    the update gate's read of that node (lk_status waited there for ready, paths and mirrors), the
    last thing the pass did to it - the next evacuation reads only the other nodes. {} when the
    pass did not end with that gate (a skipped node, a rollback or maintenance pass, check mode),
    when the read is not usable or not of the pass's node (its LifeKeeper name), or when a hook
    after the update ran on the node after the gate (it may have changed it)."""
    closed_pass, node_plan_closed = closed_pass or {}, node_plan_closed or {}
    if operation != 'rolling update' or after_update_hooks or closed_pass.get('action') not in GATED_ACTIONS:
        return {}
    if not isinstance(gate, dict) or gate.get('skipped') or cluster.read_problem(gate):
        return {}
    host = closed_pass.get('node')
    if not host or node_plan_closed.get('name') != host or not gate.get('node_name') \
            or gate.get('node_name') != node_plan_closed.get('node_name'):
        return {}
    return {host: gate}


def maintained(nodes):
    """The nodes whose maintenance pass ended, in the order of the node records: the rolling
    maintenance prefers them as standbys from then on."""
    return [node for node, one in (nodes or {}).items()
            if one.get('ended') is not None and any(step.get('name') == 'maintain' for step in one.get('steps') or [])]
