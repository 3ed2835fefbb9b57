# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a rescue may do after a failure, from the cluster read afresh (pure, no I/O).

- A hierarchy in service nowhere on the nodes that were read is brought back on a reachable
  node only when no node whose resource states are unknown (not read, or LifeKeeper not
  running there) may hold it: it might be in service there, and a second copy in service is
  worse than a gap (bring_back).
- The cluster lock is kept when a node is left part-way: not read, LifeKeeper not
  installed or not running (left_part_way).
- A cluster whose flow ended without recording a result (Ansible marked its leader
  unreachable: a task delegated to a node could not connect, and no rescue runs then) is
  rescued from the controller (interrupted_leaders).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import (
    is_known, known, orphans, roots, unreadable)
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.plan import rescue_moves


def configured_hierarchies(statuses):
    """{host: [root tags it has an instance of]} of the nodes that were read (any state)."""
    return dict((host, sorted(roots(status))) for host, status in known(statuses or {}).items())


def blind_nodes(statuses):
    """{host: why} of the nodes whose resource states are unknown now: not read, or LifeKeeper
    installed but not running there (stopped with -f, its resources stay in service)."""
    blind = dict((host, 'could not be read: %s' % reason) for host, reason in unreadable(statuses).items())
    for host, status in known(statuses).items():
        if status.get('installed', True) and not status.get('running'):
            blind[host] = 'LifeKeeper is not running there, the states of its resources are unknown'
    return blind


def bring_back(statuses, expected, placement_before=None, configured=None):
    """What the rescue brings back, and what it must not.

    statuses: the cluster read now; expected: the hierarchies that must be in service (tags);
    configured: {host: [root tags]} of each node read earlier in the run (pre-flight), so that
    a node whose states are unknown now (blind_nodes) is known not to hold a hierarchy it has no
    instance of; a node missing there may hold anything. Returns {'moves': [{tag, to}] (see plan.rescue_moves),
    'held_back': ['TAG: why'], 'nowhere': [tags in service on no node that was read]}.
    """
    configured = configured or {}
    missing = orphans(statuses, list(expected or []))
    blind = blind_nodes(statuses)
    safe, held_back = [], []
    for tag in missing:
        maybe = sorted(host for host in blind if host not in configured or tag in (configured.get(host) or []))
        if maybe:
            held_back.append('%s was not brought back: it may be in service on %s' % (
                tag, '; '.join('%s (%s)' % (host, blind[host]) for host in maybe)))
        else:
            safe.append(tag)
    moves = rescue_moves(statuses, safe, placement_before)
    placed = set(move['tag'] for move in moves)
    held_back.extend('%s was not brought back: no node that was read runs LifeKeeper and has it' % tag
                     for tag in safe if tag not in placed)
    return {'moves': moves, 'held_back': held_back, 'nowhere': missing}


def left_part_way(statuses):
    """{host: why} of the nodes left in a state another run must not touch: not read,
    LifeKeeper not installed (between rmlk and the new install) or not running."""
    left = {}
    for host, status in sorted((statuses or {}).items()):
        if not is_known(status):
            left[host] = 'not read: %s' % (status or {}).get('reason', 'unknown')
        elif not status.get('installed', True):
            left[host] = 'LifeKeeper is not installed'
        elif not status.get('running'):
            left[host] = 'LifeKeeper is not running'
    return left


def lock_note(kept, run_id, released_problems=None):
    """The sentence of the final message about the cluster lock after a failure."""
    if kept:
        return ('The cluster lock of run %s was kept because %s left part-way (%s): a rerun with '
                '-e lk_run_id=%s from this controller takes it back (from another controller or an AWX relaunch, '
                'add -e lk_break_lock=%s); another run is refused until then (or -e lk_break_lock=%s).'
                % (run_id, 'these nodes are' if len(kept) > 1 else 'this node is',
                   '; '.join('%s: %s' % item for item in sorted(kept.items())), run_id, run_id, run_id))
    if released_problems:
        return 'The cluster lock could not be released everywhere: %s.' % '; '.join(released_problems)
    return None


def interrupted_leaders(leaders, hostvars):
    """The leaders (hosts that ran a cluster's flow) that recorded no result: their flow was
    cut short (Ansible marked the leader unreachable) and no rescue ran there."""
    return [leader for leader in leaders or []
            if (hostvars.get(leader) or {}).get('__lk_plan') and not (hostvars.get(leader) or {}).get('__lk_cluster_result')]
