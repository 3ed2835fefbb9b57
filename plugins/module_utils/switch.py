# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What lk_resource_switch decides, as pure functions over parsed status (no I/O).

Which tags to act on, which resources must reach the target state, where a hierarchy is in
service elsewhere (the remote holder), which mirrors block a switchover onto this node and
what to remove next when taking a hierarchy out of service.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils import status as lkstatus
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    ACTIVE_STATE, FAILED_STATE, MIRROR_IN_SYNC_STATE, STANDBY_STATE, is_mirror)

STATES = ('in_service', 'out_of_service')


def wanted_state(state):
    """The local state every member must reach: ISP (in_service) or OSU (out_of_service)."""
    if state not in STATES:
        raise ValueError('state must be one of %s, not %r' % (', '.join(STATES), state))
    return ACTIVE_STATE if state == 'in_service' else STANDBY_STATE


def requested_tags(cluster, tags):
    """(tags to act on, unknown tags, known root tags): every root when tags is empty; each once."""
    known = lkstatus.roots(cluster.resources)
    chosen = []
    for tag in tags or known:
        if tag not in chosen:
            chosen.append(tag)
    unknown = [tag for tag in chosen if cluster.resource(tag) is None]
    return chosen, unknown, known


def alive_peers(cluster):
    """Peers with at least one ALIVE communication path, in display order, each once."""
    peers = []
    for path in cluster.comm_paths:
        if path.alive and path.machine not in peers:
            peers.append(path.machine)
    return peers


def remote_holder(peer_views, tag):
    """The first peer whose own view shows tag in service; peer_views: [(peer, ClusterStatus or None)]."""
    for peer, view in peer_views:
        if view is None:
            continue
        res = view.resource(tag)
        if res is not None and res.in_service:
            return peer
    return None


def members(cluster, tag, state):
    """The resources of tag's hierarchy that must reach the target state.

    Out of service: a dependency shared with a hierarchy outside this one (it has a parent
    outside) may stay in service for that one and is not waited for, nor is anything below
    it (removing those would take the other hierarchy down too).
    """
    tags = lkstatus.hierarchy(cluster.resources, tag)
    if state == 'in_service':
        return tags
    inside = set(tags)
    kept_up = set()
    changed = True
    while changed:
        changed = False
        for member in tags:
            if member == tag or member in kept_up:
                continue
            if any(parent not in inside or parent in kept_up for parent in cluster.resource(member).parents):
                kept_up.add(member)
                changed = True
    return [t for t in tags if t not in kept_up]


def reached_one(cluster, tag, state):
    """One resource (not its hierarchy) is in the target state."""
    res = cluster.resource(tag)
    return res is not None and res.state == wanted_state(state)


def reached(cluster, tag, state):
    """Every member of tag's hierarchy is in the target state."""
    return all(reached_one(cluster, member, state) for member in members(cluster, tag, state))


def failed_members(cluster, tags, failed_before=()):
    """Tags shown OSF now that were not OSF before the action."""
    return [t for t in tags if t not in failed_before and cluster.resource(t) is not None
            and cluster.resource(t).state == FAILED_STATE]


def next_removals(cluster, tag):
    """Out of service: the topmost members of tag's hierarchy that are still not OSU."""
    remaining = [t for t in members(cluster, tag, 'out_of_service')
                 if cluster.resource(t).state != STANDBY_STATE]
    return [t for t in remaining if not any(parent in remaining for parent in cluster.resource(t).parents)]


def mirrors_of(cluster, tags, mirror_test=is_mirror):
    """The mirror resources (type scsi/netraid) of the hierarchies of tags, each once."""
    found = []
    for tag in tags:
        for member in lkstatus.hierarchy(cluster.resources, tag):
            if member not in found and mirror_test(cluster.resource(member)):
                found.append(member)
    return found


def mirror_blockers(reports, node):
    """Mirrors that forbid a switchover onto ``node``: [{mirror, target, state, progress, reason}].

    ``reports`` is [(mirror tag, MirrorStatus, or the reason it could not be read)]. A mirror
    whose state is unknown blocks. A mirror with no source (in service nowhere) or whose
    source is this node does not. Otherwise every target that is this node (every target when
    the node name is unknown) must be Mirroring.
    """
    blockers = []
    for mirror, report in reports:
        if not isinstance(report, lkstatus.MirrorStatus):
            blockers.append({'mirror': mirror, 'target': node, 'state': 'unknown', 'progress': None,
                             'reason': str(report)})
            continue
        if not report.source or report.source == node:
            continue
        for target in report.targets:
            if (node is None or target['name'] == node) and target['state'] != MIRROR_IN_SYNC_STATE:
                blockers.append({'mirror': mirror, 'target': target['name'], 'state': target['state'],
                                 'progress': target['progress'], 'reason': None})
    return blockers


def describe_blockers(blockers):
    """One phrase per blocking mirror, for messages."""
    phrases = []
    for item in blockers:
        if item['reason']:
            phrases.append('mirror %s: state unknown (%s)' % (item['mirror'], item['reason']))
            continue
        progress = '%s%%' % item['progress'] if item['progress'] is not None else 'progress unknown'
        phrases.append('mirror %s is %s on %s (%s)' % (item['mirror'], item['state'], item['target'], progress))
    return ', '.join(phrases)
