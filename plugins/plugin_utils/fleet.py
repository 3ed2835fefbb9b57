# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet mode (controller side, pure): which clusters pre-flight refuses, in which batches
the accepted clusters change (lk_fleet_parallel, lk_fleet_canary) and when a failed canary
stops the clusters after it.

Ansible has no "serial per group": each accepted cluster runs on its leader, and the play
of stage 2 runs on the in-memory group of the leaders with `serial` set to the batch sizes.
Every batch holds one keeper host besides its leaders: a keeper ends at once, and keeps the
play going when every leader of a batch becomes unreachable (Ansible stops the whole
playbook when every host of a batch failed, and the controller's rescue comes after).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

KEEPER = '__lk_fleet_keeper_%d'
ALL_WORDS = ('', 'all')


def _count(value, name, minimum, allowed):
    if isinstance(value, bool):
        raise ValueError('%s is %r: expected %s' % (name, value, allowed))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.match(r'[0-9]+\Z', value.strip()):   # not isdigit(): True for '\u00b2'
        number = int(value.strip())
    else:
        raise ValueError('%s is %r: expected %s' % (name, value, allowed))
    if number < minimum:
        raise ValueError('%s is %r: expected %s' % (name, value, allowed))
    return number


def parallel_value(value, name='lk_fleet_parallel'):
    """How many clusters may change at once: None for all (None, '', 'all'), else an integer
    of at least 1 (a number or its digits, as AWX sends them); ValueError naming anything else."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ALL_WORDS):
        return None
    return _count(value, name, 1, "'all' or a whole number of clusters of at least 1")


def canary_value(value, name='lk_fleet_canary'):
    """How many clusters go first: 0 (None, '') or a whole number; ValueError naming anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    return _count(value, name, 0, 'a whole number of clusters (0: no canary)')


def _chunks(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)]


def batches(leaders, parallel=None, canary=0):
    """The batches of stage 2 from the accepted clusters' leaders in inventory order.

    canary: the first `canary` leaders change first (in batches of at most `parallel`),
    and every other cluster starts only after them; parallel: at most that many clusters
    change at once (None: all). Returns {'hosts': the play's hosts in order, each batch
    followed by its keeper; 'keepers'; 'serial': the batch sizes (for `serial`, keeper
    included); 'batches': the leaders of each batch; 'canary': the canary leaders; 'after':
    {leader: the canary leaders of earlier batches, which must have succeeded}}.
    """
    leaders = list(leaders or [])
    size = parallel_value(parallel) or max(len(leaders), 1)
    first = canary_value(canary)
    canaries = leaders[:first]
    groups = _chunks(canaries, size) + _chunks(leaders[first:], size)
    hosts, keepers, serial, after, done = [], [], [], {}, []
    for number, group in enumerate(groups, 1):
        keeper = KEEPER % number
        hosts.extend(group + [keeper])
        keepers.append(keeper)
        serial.append(len(group) + 1)
        for leader in group:
            after[leader] = list(done)
        done.extend(leader for leader in group if leader in canaries)
    return {'hosts': hosts, 'keepers': keepers, 'serial': serial or [0], 'batches': groups,
            'canary': canaries, 'after': after}


def _owner(problem, clusters):
    head = str(problem).split(':', 1)[0].strip()
    for one in clusters:
        if head in one['hosts']:
            return one['name']
    return None


def refusals(clusters, plans, lock_problems=None, node_failures=None, reached=None, node_problems=None):
    """Which clusters pre-flight refuses, and why; the others are accepted.

    Problems are named once each, in this order: another run's lock, a node another run left
    mid-reinstall, a node that failed a step or was not reached, the plan's problems.
    clusters: [{'name', 'hosts', 'leader'}] in inventory order; plans: {name: plan} (its
    'problems'); lock_problems: {name: [...]} (another run holds the cluster); node_failures:
    {host: message} (a node's pre-flight step failed; empty messages are ignored); reached:
    the hosts still in the play (None: every host), a node missing there failed or could
    not be reached; node_problems: sentences that start with 'host: ' (a node another run
    left mid-reinstall), given to that host's cluster, or to every cluster when no cluster
    has that host (fail closed).
    Returns {'accepted': [names], 'refused': {name: [problems]}, 'lines': [one per cluster]}.
    """
    refused = {}

    def refuse(name, problem):
        if problem not in refused.setdefault(name, []):
            refused[name].append(problem)

    failures = dict((host, msg) for host, msg in (node_failures or {}).items() if msg)
    in_play = None if reached is None else set(reached)
    owners = [(problem, _owner(problem, clusters or [])) for problem in node_problems or []]
    for one in clusters or []:
        name = one['name']
        for problem in (lock_problems or {}).get(name) or []:
            refuse(name, problem)
        for problem, owner in owners:
            if owner is None or owner == name:
                refuse(name, problem)
        for host in one['hosts']:
            if host in failures:
                refuse(name, '%s: %s' % (host, failures[host]))
            elif in_play is not None and host not in in_play:
                refuse(name, '%s: failed or could not be reached in pre-flight' % host)
        for problem in ((plans or {}).get(name) or {}).get('problems') or []:
            refuse(name, problem)
    ordered = dict((one['name'], refused[one['name']]) for one in clusters or [] if one['name'] in refused)
    lines = []
    for one in clusters or []:
        if one['name'] in ordered:
            lines.append('cluster %s: REFUSED, nothing will be changed on it: %s'
                         % (one['name'], '; '.join(ordered[one['name']])))
        else:
            lines.append('cluster %s: accepted (leader %s)' % (one['name'], one['leader']))
    return {'accepted': [one['name'] for one in clusters or [] if one['name'] not in ordered],
            'refused': ordered, 'lines': lines}


def stop_reason(after, results):
    """Why a cluster must not start: a canary cluster before it did not succeed. after: the
    canary leaders of earlier batches; results: {leader: its recorded cluster result, or
    None when it recorded none (its flow was cut short)}. '' when the cluster may start."""
    bad = []
    for leader in after or []:
        result = (results or {}).get(leader)
        if not result:
            bad.append('%s (its flow was interrupted)' % leader)
            continue
        outcome = (result.get('report') or {}).get('result')
        if outcome != 'success':
            bad.append('%s (%s)' % (result.get('cluster') or leader, outcome))
    if not bad:
        return ''
    return ('not started: the canary cluster(s) %s did not succeed (lk_fleet_canary), so the run stopped '
            'before the other clusters' % ', '.join(bad))
