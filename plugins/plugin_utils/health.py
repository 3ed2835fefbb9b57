# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health check of status.yml: is each cluster healthy, and if not, why (pure, no I/O).

A cluster is healthy when every node was read and runs LifeKeeper (ready), every
communication path is ALIVE, every hierarchy is in service on exactly one node with a standby,
no resource is failed, every mirror is in sync, every node runs the same LifeKeeper version
and no cluster lock is held (on a node or on the controller): a lock is either a run working
on the cluster now or one that ended without releasing it (a node left part-way).

Inputs are what status.yml reads: the cluster status {host: node status} (cluster.node_reads),
the clusters [{name, hosts}] (cluster.group_clusters) and the lk_lock query results of every
node (loop results whose loop variable names the host) and of every cluster's controller lock
(loop results whose loop variable is the cluster). Every problem is one sentence naming the
node it concerns (or the hierarchy, mirror or lock and where it is).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils.lock import UNREADABLE, describe
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster

HEALTHY = ('healthy: every node read and running, every hierarchy in service once with a standby, all paths ALIVE, '
           'mirrors in sync, one version, no lock held')
CONTROLLER = 'the controller'
NOT_READ = {'known': False, 'reason': 'not read'}


def _node_problem(host, text):
    return {'text': '%s: %s' % (host, text), 'hosts': [host]}


def _lifekeeper_problems(statuses, hosts, named=()):
    """What LifeKeeper's own state says beyond cluster.health_findings: running but not ready,
    a node without any communication path in a cluster of several nodes (unless a finding of
    LifeKeeper's membership names that node already: named, one sentence per fact)."""
    problems = []
    for host in hosts:
        status = statuses[host]
        if not cluster.is_known(status) or not status.get('installed', True) or not status.get('running'):
            continue   # health_findings names it
        if status.get('ready') is False:
            problems.append(_node_problem(host, 'LifeKeeper is running but not ready (no LK_INITDONE: it is still '
                                                'starting or its start failed)'))
        if len(hosts) > 1 and not status.get('comm_paths') and host not in named:
            problems.append(_node_problem(host, 'LifeKeeper has no communication path to any other node'))
    return problems


def _describe_targets(record):
    return ', '.join('%s %s%s' % (target.get('name'), target.get('state'),
                                  '' if target.get('progress') is None else ' %s%%' % target.get('progress'))
                     for target in record.get('targets') or []) or 'no target'


def _mirror_problems(statuses):
    problems = []
    for tag, (host, record) in sorted(cluster.mirror_views(statuses).items()):
        if record.get('known') is False:
            problems.append(_node_problem(host, 'the state of mirror %s is unknown (%s)'
                                          % (tag, record.get('error') or 'no usable answer')))
        elif not record.get('in_sync'):
            problems.append(_node_problem(host, 'mirror %s (source %s) is not in sync: %s'
                                          % (tag, record.get('source') or 'unknown', _describe_targets(record))))
    return problems


def _version_problems(statuses, hosts):
    versions = dict((host, statuses[host].get('version')) for host in hosts
                    if cluster.is_known(statuses[host]) and statuses[host].get('installed', True))
    if len(set(versions.values())) < 2:
        return []
    return [{'text': 'LifeKeeper versions differ inside the cluster: %s'
                     % ', '.join('%s %s' % (host, version) for host, version in sorted(versions.items())),
             'hosts': sorted(versions)}]


def _lock_read(result, where, statuses):
    """(the query result, None) when it could be read; (None, problem) when not, except for a
    node whose status could not be read either (that problem is named already): (None, None)."""
    if result.get('skipped'):
        return None, None
    problem = cluster.result_problem(result, 'path', 'lk_lock')
    if problem:
        if where != CONTROLLER and not cluster.is_known(statuses.get(where) or NOT_READ):
            return None, None
        return None, {'text': '%s: the cluster lock could not be read (%s)' % (where, problem),
                      'hosts': [] if where == CONTROLLER else [where]}
    return result, None


def _lock_problems(name, hosts, statuses, node_locks, controller_locks):
    """One sentence per run holding a lock of the cluster, naming every place it is held."""
    problems = []
    held = {}   # run id -> {'holder', 'age_s', 'where': [...], 'alive': bool}
    reads = [(result.get('__lk_lock_host'), result) for result in node_locks if result.get('__lk_lock_host') in hosts]
    reads += [(CONTROLLER, result) for result in controller_locks]
    for where, result in reads:
        read, problem = _lock_read(result, where, statuses)
        if problem:
            problems.append(problem)
        if not read or not read.get('holder'):
            continue
        holder = read['holder']
        entry = held.setdefault(holder.get('run_id') or UNREADABLE, {
            'holder': holder, 'age_s': read.get('age_s'), 'where': [], 'alive': False})
        entry['where'].append(where)
        entry['alive'] = entry['alive'] or read.get('process') == 'alive'
    for run_id, entry in sorted(held.items()):
        if entry['alive']:
            why = 'its process still runs on this controller: a run is working on the cluster now'
        elif not entry['holder'].get('run_id'):
            why = ('its content is not a lock (no run id); break it in the next run with -e lk_break_lock=%s'
                   % UNREADABLE)
        else:
            why = ('a run is working on the cluster now, or one ended without releasing it (a node left part-way); '
                   'resume that run with lk_run_id=%s, or when no ansible-playbook runs for it any more, break the '
                   'lock in the next run with -e lk_break_lock=%s' % (run_id, run_id))
        problems.append({'text': 'cluster %s is locked by %s, on %s: %s'
                                 % (name, describe(entry['holder'], entry['age_s']), ', '.join(entry['where']), why),
                         'hosts': [where for where in entry['where'] if where != CONTROLLER]})
    return problems


def _node_state(host, status, problems):
    """What lifekeeper_health shows of one node."""
    mine = [problem['text'] for problem in problems if host in problem['hosts']]
    if not cluster.is_known(status):
        return {'read': False, 'reason': status.get('reason') or 'not read', 'healthy': False, 'problems': mine}
    summary = status.get('summary') or {}
    return {
        'read': True,
        'lifekeeper_name': status.get('node_name'),
        'installed': bool(status.get('installed', True)),
        'running': bool(status.get('running')),
        'ready': bool(status.get('ready')),
        'version': status.get('version'),
        'in_service': list(summary.get('in_service_here') or []),
        'standby': list(summary.get('standby_here') or []),
        'paths': ['%s %s %s %s' % (path.get('machine'), path.get('network'), path.get('addresses'), path.get('state'))
                  for path in status.get('comm_paths') or []],
        'mirrors': dict((record.get('tag'), bool(record.get('in_sync'))) for record in status.get('mirrors') or []),
        'healthy': not mine,
        'problems': mine,
    }


def cluster_health(name, hosts, statuses, node_locks=None, controller_locks=None):
    """One cluster's health: {'healthy', 'problems': [sentences], 'nodes': {host: state}}.

    statuses: {host: node status} (a host missing counts as not read); node_locks: lk_lock
    query results of its nodes (``__lk_lock_host`` names the host); controller_locks: the
    query results of its controller lock."""
    statuses = dict((host, (statuses or {}).get(host) or NOT_READ) for host in hosts)
    problems = cluster.health_findings(statuses)
    # the nodes a membership finding says know no peer (no path, not a known machine)
    blind = set(host for finding in cluster.membership_findings(statuses) if 'not know' in finding['text']
                or 'neither knows' in finding['text'] for host in finding['hosts'])
    problems += _lifekeeper_problems(statuses, hosts, blind)
    problems += _mirror_problems(statuses)
    problems += _version_problems(statuses, hosts)
    problems += _lock_problems(name, hosts, statuses, node_locks or [], controller_locks or [])
    return {
        'healthy': not problems,
        'problems': [problem['text'] for problem in problems],
        'nodes': dict((host, _node_state(host, statuses[host], problems)) for host in hosts),
    }


def _controller_locks_of(controller_locks, name, cluster_var):
    def cluster_of(result):
        value = result.get(cluster_var)
        return value.get('name') if isinstance(value, dict) else value
    return [result for result in controller_locks or [] if cluster_of(result) == name]


def health(statuses, clusters, node_locks=None, controller_locks=None, cluster_var='__lk_lock_cluster'):
    """Every cluster's health and what to say: {'healthy', 'clusters': {name: cluster_health},
    'unhealthy': [names], 'lines': [for a person: each cluster's problems or that it is
    healthy], 'message': [lines of the failure: which clusters, each problem]}."""
    if not isinstance(statuses, dict):
        raise ValueError('the cluster status must be a dict {host: node status}, got %s' % type(statuses).__name__)
    if not isinstance(clusters, list) or not all(isinstance(one, dict) and 'name' in one and 'hosts' in one
                                                 for one in clusters):
        raise ValueError('clusters must be a list of {name, hosts} (lk_clusters), got %r' % (clusters,))
    results = {}
    lines = []
    message = []
    for one in clusters:
        result = cluster_health(one['name'], one['hosts'], statuses, node_locks,
                                _controller_locks_of(controller_locks, one['name'], cluster_var))
        results[one['name']] = result
        if result['healthy']:
            lines.append('cluster %s: %s' % (one['name'], HEALTHY))
            continue
        lines.append('cluster %s: NOT healthy, %d problem(s):' % (one['name'], len(result['problems'])))
        lines.extend('  %s' % problem for problem in result['problems'])
    unhealthy = [one['name'] for one in clusters if not results[one['name']]['healthy']]
    if unhealthy:
        message.append('LifeKeeper health check failed: %s of %d cluster(s) not healthy (%s); nothing was changed.'
                       % (len(unhealthy), len(clusters), ', '.join(unhealthy)))
        for name in unhealthy:
            message.append('cluster %s:' % name)
            message.extend('  - %s' % problem for problem in results[name]['problems'])
    return {'healthy': not unhealthy, 'clusters': results, 'unhealthy': unhealthy, 'lines': lines,
            'message': message}
