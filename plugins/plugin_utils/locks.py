# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run per cluster: what the controller decides from the cluster locks (pure, no I/O).

Each cluster has one lock on every node (lk_lock, ``<lock_dir>/<name>.lock``, name from
lock_name) and one on the controller in the artifacts folder. Pre-flight reads them
(lk_lock state=query) and refuses a cluster held by another run (lock_problems); the
cluster's flow takes them first and releases them at the end, except when a node is left
mid-update (cluster.left_mid_update).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils.lock import describe
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import result_problem

CONTROLLER = 'the controller'
BREAK_HINT = ('wait until that run ends; if it is dead (no ansible-playbook runs for it any more), break the lock '
              'with -e lk_break_lock=true')


def lock_name(cluster):
    """The lock's name for a cluster (an inventory group name): cluster-<name>, any character
    outside letters, digits, '.', '_' and '-' replaced by '_'."""
    return 'cluster-' + re.sub(r'[^A-Za-z0-9._-]', '_', str(cluster or 'lifekeeper'))


def _holders(results, loop_var):
    """[(where, holder, age_s)] of readable lock queries, and ['where: why'] of the others."""
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
            found.append((where, result['holder'], result.get('age_s')))
    return found, unread


def _by_cluster(node_results, controller_results, clusters, loop_var, cluster_var):
    """{cluster name: (node results of its hosts, its controller results)}."""
    grouped = {}
    for one in clusters or []:
        hosts = set(one['hosts'])
        grouped[one['name']] = (
            [r for r in node_results or [] if r.get(loop_var) in hosts],
            [dict(r, **{loop_var: None}) for r in controller_results or []
             if (r.get(cluster_var) or {}).get('name', r.get(cluster_var)) == one['name']])
    return grouped


def lock_problems(node_results, controller_results, clusters, run_id, break_lock=False,
                  loop_var='__lk_lock_host', cluster_var='__lk_lock_cluster'):
    """Why this run may not take each cluster's lock: {cluster name: [sentences]} (empty: it may).

    node_results: registered lk_lock query results of a loop over the nodes (loop_var names the
    host); controller_results: of a loop over the clusters (cluster_var: the cluster or its name),
    each the controller lock. A lock held by run_id is this run's own (a resume takes it back);
    another run's lock is a problem naming the holder, its run id, controller, user, pid and
    age, where it is, and how to break it, unless break_lock. A lock that could not be read is
    a problem too (it might be held).
    """
    problems = {}
    for name, (nodes, controller) in _by_cluster(node_results, controller_results, clusters,
                                                 loop_var, cluster_var).items():
        found, unread = _holders(nodes + controller, loop_var)
        found_problems = list(unread)
        others = {}
        for where, holder, age_s in found:
            if holder.get('run_id') != run_id and not break_lock:
                key = holder.get('run_id') or '(unreadable lock)'
                others.setdefault(key, {'holder': holder, 'age_s': age_s, 'where': []})['where'].append(where)
        for key in sorted(others):
            other = others[key]
            found_problems.append('cluster %s is locked by %s, on %s; %s' % (
                name, describe(other['holder'], other['age_s']), ', '.join(other['where']), BREAK_HINT))
        problems[name] = found_problems
    return problems


def lock_breaks(node_results, controller_results, clusters, run_id,
                loop_var='__lk_lock_host', cluster_var='__lk_lock_cluster'):
    """With lk_break_lock: the locks of other runs that will be broken, one sentence each."""
    sentences = []
    for name, (nodes, controller) in sorted(_by_cluster(node_results, controller_results, clusters,
                                                        loop_var, cluster_var).items()):
        found, dummy = _holders(nodes + controller, loop_var)
        sentences.extend('cluster %s, %s: the lock of %s will be broken' % (name, where, describe(holder, age_s))
                         for where, holder, age_s in found if holder.get('run_id') != run_id)
    return sentences
