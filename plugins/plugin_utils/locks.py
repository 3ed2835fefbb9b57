# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run per cluster: what the controller decides from the cluster locks (pure, no I/O).

Each cluster has one lock on every node (lk_lock, ``<lock_dir>/<name>.lock``, name from
lock_name) and one on the controller in the artifacts folder. Pre-flight reads them
(lk_lock state=query) and refuses a cluster held by another run (lock_problems); the
cluster's flow takes them first and releases them at the end, except when a node is left
mid-update (rescue.left_part_way).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lock import UNREADABLE, break_names, describe
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import result_problem

CONTROLLER = 'the controller'
BREAK_HINT = ('wait until that run ends; if it is dead (no ansible-playbook runs for it any more), break its lock by '
              'naming it: -e lk_break_lock=%s')


def lock_name(cluster):
    """The lock's name for a cluster (an inventory group name): cluster-<name>, any character
    outside letters, digits, '.', '_' and '-' replaced by '_'."""
    return 'cluster-' + re.sub(r'[^A-Za-z0-9._-]', '_', str(cluster or 'lifekeeper'))


def lock_read(result):
    """A node's registered lock read in the shape of lk_lock state=query: that module's result as
    it is, or an lk_host_info result (its option lock, RV lock) as lk_lock would have returned
    it - failed with the reason when the lock could not be read."""
    if 'holder' in result or not isinstance(result.get('lock'), dict):
        return result
    lock = result['lock']
    shaped = dict((key, value) for key, value in result.items() if key != 'lock')
    if lock.get('error'):
        shaped.update(failed=True, msg=lock['error'], path=lock.get('path'))
    else:
        shaped.update((key, value) for key, value in lock.items() if key != 'error')
    return shaped


def _holders(results, loop_var):
    """[(where, holder, age_s, result)] of readable lock queries, and ['where: why'] of the others."""
    found, unread = [], []
    for result in results or []:
        if result.get('skipped'):
            continue
        where = result.get(loop_var) if loop_var else None
        where = where or CONTROLLER
        problem = result_problem(result, 'path', 'lk_lock')
        if problem:
            unread.append('%s: the lock could not be read (%s)' % (where, problem))
        elif result.get('holder'):
            found.append((where, result['holder'], result.get('age_s'), result))
    return found, unread


def _by_cluster(node_results, controller_results, clusters, loop_var, cluster_var):
    """{cluster name: (node results of its hosts, its controller results)}."""
    grouped = {}
    for one in clusters or []:
        hosts = set(one['hosts'])
        grouped[one['name']] = (
            [lock_read(r) for r in node_results or [] if r.get(loop_var) in hosts],
            [dict(r, **{loop_var: None}) for r in controller_results or []
             if (r.get(cluster_var) or {}).get('name', r.get(cluster_var)) == one['name']])
    return grouped


def _names(break_lock):
    """lk_break_lock's run ids (break_names); ValueError naming a bad value."""
    try:
        return break_names(break_lock, 'lk_break_lock')
    except LifeKeeperError as exc:
        raise ValueError(exc.msg)


def _identity(holder):
    """Which process took a lock: its token, or (controller, pid) for a lock written before tokens."""
    owner = holder.get('owner') or {}
    return holder.get('token') or (owner.get('controller'), owner.get('pid'))


def _own_run_problem(name, where, holder, age_s, result, controller_found):
    """A lock of this run id: None when this run takes it over by itself (its process ended on
    this controller), else why not - the same rules as lk_lock's take."""
    owner = holder.get('owner') or {}
    if where == CONTROLLER:
        if result.get('process') == 'dead':
            return None
        if result.get('process') == 'alive':
            why = 'its process (pid %s) still runs on this controller' % owner.get('pid')
        else:
            why = ('it was taken from controller %s, not from this one (%s); a run resumes by itself only from the '
                   'controller that took the lock (an AWX relaunch or another operator is refused)'
                   % (owner.get('controller'), result.get('host') or 'unknown'))
    else:
        dead = [r for w, h, a, r in controller_found
                if h.get('run_id') == holder.get('run_id') and r.get('process') == 'dead' and _identity(h) == _identity(holder)]
        if dead:
            return None
        why = ('the process that took it (controller %s, pid %s) is not one this controller saw end (its controller '
               'lock is missing or another process\'s)' % (owner.get('controller'), owner.get('pid')))
    return ('cluster %s is locked by %s, on %s - this run id, but %s; if no process runs for that run any more, take '
            'its lock over with -e lk_break_lock=%s' % (name, describe(holder, age_s), where, why, holder['run_id']))


def lock_problems(node_results, controller_results, clusters, run_id, break_lock=False,
                  loop_var='__lk_lock_host', cluster_var='__lk_lock_cluster'):
    """Why this run may not take each cluster's lock: {cluster name: [sentences]} (empty: it may).

    node_results: registered lk_lock query results of a loop over the nodes (loop_var names the
    host); controller_results: of a loop over the clusters (cluster_var: the cluster or its name),
    each the controller lock. break_lock: lk_break_lock, the run ids whose locks this run breaks
    (module_utils.lock.break_names; a plain true names none and is refused with the run id to
    give). A lock of run_id is taken over only when the controller lock's query saw its process
    end on this controller (process 'dead') and, on a node, it is that same process's lock; else
    it is a problem, like another run's lock: a sentence naming the holder, its run id,
    controller, user, pid and age, where it is, and the exact lk_break_lock that breaks it. A
    lock that could not be read is a problem too (it might be held).
    """
    names = _names(break_lock)
    problems = {}
    for name, (nodes, controller) in _by_cluster(node_results, controller_results, clusters,
                                                 loop_var, cluster_var).items():
        found, unread = _holders(nodes + controller, loop_var)
        controller_found, dummy = _holders(controller, loop_var)
        found_problems = list(unread)
        others = {}
        for where, holder, age_s, result in found:
            key = holder.get('run_id') or UNREADABLE
            if names is not True and key in names:
                continue
            if holder.get('run_id') == run_id:
                problem = _own_run_problem(name, where, holder, age_s, result, controller_found)
                if problem:
                    found_problems.append(problem)
                continue
            others.setdefault(key, {'holder': holder, 'age_s': age_s, 'where': []})['where'].append(where)
        for key in sorted(others):
            other = others[key]
            found_problems.append('cluster %s is locked by %s, on %s; %s%s' % (
                name, describe(other['holder'], other['age_s']), ', '.join(other['where']), BREAK_HINT % key,
                ' (lk_break_lock=true names no run: give the run id)' if names is True else ''))
        problems[name] = found_problems
    return problems


def lock_breaks(node_results, controller_results, clusters, run_id, break_lock=None,
                loop_var='__lk_lock_host', cluster_var='__lk_lock_cluster'):
    """The locks lk_break_lock (break_lock) names that will be broken, one sentence each
    (break_lock None: every lock of another run, as when it was a boolean)."""
    names = None if break_lock is None else _names(break_lock)
    if names is True:
        return []
    sentences = []
    for name, (nodes, controller) in sorted(_by_cluster(node_results, controller_results, clusters,
                                                        loop_var, cluster_var).items()):
        found, dummy = _holders(nodes + controller, loop_var)
        sentences.extend('cluster %s, %s: the lock of %s will be broken' % (name, where, describe(holder, age_s))
                         for where, holder, age_s, dummy_result in found
                         if (names is None and holder.get('run_id') != run_id)
                         or (names is not None and (holder.get('run_id') or UNREADABLE) in names))
    return sentences


def lock_seen(node_results, controller_results, cluster, loop_var='__lk_lock_host', cluster_var='__lk_lock_cluster'):
    """What pre-flight saw of one cluster's locks, for the compare-and-swap of the take:
    {'controller': fingerprint, 'nodes': {host: fingerprint}}; 'none' where it saw no lock; a
    place pre-flight did not read is left out (the take compares with what it reads itself)."""
    def fingerprint(result):
        if result.get('skipped') or result_problem(result, 'path', 'lk_lock') or 'holder' not in result:
            return None
        return result.get('fingerprint') if result.get('holder') else 'none'
    nodes = {}
    for result in node_results or []:
        result = lock_read(result)
        seen = fingerprint(result)
        if seen and result.get(loop_var):
            nodes[result[loop_var]] = seen
    controller = None
    for result in controller_results or []:
        if (result.get(cluster_var) or {}).get('name', result.get(cluster_var)) == cluster:
            controller = fingerprint(result)
    return {'controller': controller, 'nodes': nodes}
