# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rolling-update plan, computed from every node's lk_status result (pure, no I/O).

Input: one lk_status result per node (keyed by inventory name). Output: a plan dict with
the node order, each node's update path and action, the hierarchy moves, the expected
switchover count, the problems that must stop the run before anything changes, and the
vendor warnings that apply. Used on the controller by the lk_plan filter.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import (
    crosses_perl_change, parse_version, update_path)

IN_SERVICE = ('ISP', 'ISU')
# A standby must be able to take the hierarchy: out of service but not failed.
STANDBY = ('OSU',)

ACTIONS = {'none': 'skip', 'direct': 'update', 'fresh': 'install', 'reinstall': 'reinstall'}


def _roots(status):
    """{root tag: local state} of one node's status (depth 0 rows)."""
    return dict((res['tag'], res['state']) for res in status.get('resources') or []
                if res.get('depth', 0) == 0)


def _priority(status, tag):
    for res in status.get('resources') or []:
        if res['tag'] == tag:
            return res.get('priority') if res.get('priority') is not None else 999
    return 999


def _lk_name(host, status):
    return status.get('node_name') or host


def health_problems(statuses):
    """Why the cluster is not healthy enough to start: paths DEAD, OSF, nothing in service,
    no standby. statuses: {host: lk_status result}. Returns a list of sentences."""
    problems = []
    holders = {}     # root tag -> [hosts where it is in service]
    standbys = {}    # root tag -> [hosts where it could be restored]
    for host, status in sorted(statuses.items()):
        if not status.get('installed', True):
            problems.append('%s: LifeKeeper is not installed' % host)
            continue
        if not status.get('running'):
            problems.append('%s: LifeKeeper is not running' % host)
            continue
        for path in status.get('comm_paths') or []:
            if path.get('state') != 'ALIVE':
                problems.append('%s: communication path to %s (%s) is %s'
                                % (host, path.get('machine'), path.get('addresses'), path.get('state')))
        for res in status.get('resources') or []:
            if res.get('state') not in IN_SERVICE + STANDBY:
                problems.append('%s: resource %s is %s' % (host, res['tag'], res.get('state')))
        for tag, state in _roots(status).items():
            if state in IN_SERVICE:
                holders.setdefault(tag, []).append(host)
            elif state in STANDBY:
                standbys.setdefault(tag, []).append(host)
    for tag in sorted(set(holders) | set(standbys)):
        where = holders.get(tag, [])
        if not where:
            problems.append('hierarchy %s is in service on no node' % tag)
        elif len(where) > 1:
            problems.append('hierarchy %s is in service on more than one node: %s' % (tag, ', '.join(where)))
        elif not standbys.get(tag):
            problems.append('hierarchy %s (in service on %s) has no standby node to switch to'
                            % (tag, where[0]))
    return problems


def build(statuses, target_version, allow_reinstall=False, restore_placement=True, order=None):
    """The plan. statuses: {host: lk_status result}; order: inventory order of the hosts."""
    target = parse_version(target_version)   # ValueError names the bad value
    hosts = list(order) if order else sorted(statuses)
    hosts = [h for h in hosts if h in statuses]
    problems = health_problems(statuses)
    warnings = []
    nodes = {}
    for host in hosts:
        status = statuses[host]
        version = status.get('version')
        path = update_path(version, target)
        action = ACTIONS.get(path.kind)
        if path.kind == 'downgrade':
            problems.append('%s: %s' % (host, path.reason))
        elif path.kind == 'reinstall' and not allow_reinstall:
            problems.append('%s: %s; set lk_allow_reinstall=true to take the reinstall path'
                            % (host, path.reason))
        if version and crosses_perl_change(version, target):
            warnings.append('%s: updating %s -> %s crosses 9.8.0: the bundled Perl changes from 5.8.8 '
                            'to 5.32.1; check Perl-based Generic ARK scripts' % (host, version, target))
        if target.major < 9:
            warnings.append('%s: LifeKeeper %s requires SELinux disabled and name resolution between '
                            'nodes (localhost -> 127.0.0.1)' % (host, target))
        roots = _roots(status)
        nodes[host] = {
            'name': host,
            'node_name': _lk_name(host, status),
            'version_before': version,
            'update_path': path.kind,
            'reason': path.reason,
            'action': action,
            'in_service': sorted(t for t, s in roots.items() if s in IN_SERVICE),
            'moves': [],
        }
    warnings = sorted(set(warnings))

    # Order: nodes to skip first (nothing to do), then by hierarchies held, fewest first;
    # the node holding the most hierarchies goes last. Ties keep inventory order.
    rank = dict((h, i) for i, h in enumerate(hosts))
    update_order = sorted(hosts, key=lambda h: (nodes[h]['action'] != 'skip',
                                                len(nodes[h]['in_service']), rank[h]))

    # Simulate the placement through the run to pick each move's target: a live standby,
    # preferring one already updated (so it does not move twice), then the best priority.
    placement = {}
    for host in hosts:
        for tag in nodes[host]['in_service']:
            placement[tag] = host
    done = set()
    switchovers = 0
    for host in update_order:
        node = nodes[host]
        if node['action'] == 'skip':
            done.add(host)
            continue
        for tag in sorted(t for t, h in placement.items() if h == host):
            candidates = [h for h in hosts if h != host and _roots(statuses[h]).get(tag) in STANDBY]
            if not candidates:
                continue   # reported by health_problems
            best = sorted(candidates, key=lambda h: (h not in done, _priority(statuses[h], tag), rank[h]))[0]
            node['moves'].append({'tag': tag, 'from': host, 'to': best,
                                  'from_node': node['node_name'], 'to_node': nodes[best]['node_name']})
            placement[tag] = best
            switchovers += 1
        done.add(host)

    back = []
    if restore_placement:
        for host in hosts:
            for tag in nodes[host]['in_service']:
                if placement.get(tag) != host:
                    back.append({'tag': tag, 'from': placement[tag], 'to': host})
        switchovers += len(back)

    return {
        'target_version': str(target),
        'order': update_order,
        'nodes': [nodes[h] for h in update_order],
        'placement_before': dict((tag, h) for h in hosts for tag in nodes[h]['in_service']),
        'restore_moves': back,
        'expected_switchovers': switchovers,
        'problems': problems,
        'warnings': warnings,
        'ok': not problems,
    }


def render(plan):
    """The plan as lines for a human (printed by the preflight role)."""
    lines = ['LifeKeeper rolling update to %s: %d node(s), %d switchover(s) expected'
             % (plan['target_version'], len(plan['nodes']), plan['expected_switchovers'])]
    for step, node in enumerate(plan['nodes'], 1):
        lines.append('%d. %s (%s): %s %s -> %s [%s]' % (
            step, node['name'], node['node_name'], node['action'], node['version_before'],
            plan['target_version'], node['update_path']))
        for move in node['moves']:
            lines.append('     before: switch %s from %s to %s' % (move['tag'], move['from'], move['to']))
    for move in plan['restore_moves']:
        lines.append('   at the end: switch %s back from %s to %s' % (move['tag'], move['from'], move['to']))
    for warning in plan['warnings']:
        lines.append('WARNING: ' + warning)
    for problem in plan['problems']:
        lines.append('REFUSED: ' + problem)
    return lines


def evacuation_moves(host, statuses, target_version=None):
    """Where to switch each hierarchy in service on host now, from live statuses.

    A target is a live peer holding the hierarchy as a standby (OSU) with all its comm paths
    ALIVE; peers already at target_version come first (so nothing moves twice), then the
    best priority. Returns (moves, problems): moves [{'tag', 'to', 'to_node'}], problems
    sentences for hierarchies with no usable target.
    """
    here = statuses[host]
    moves, problems = [], []
    peers = [h for h in sorted(statuses) if h != host]

    def usable(peer):
        status = statuses[peer]
        return status.get('running') and all(
            p.get('state') == 'ALIVE' for p in status.get('comm_paths') or [])

    for tag, state in sorted(_roots(here).items()):
        if state not in IN_SERVICE:
            continue
        candidates = [p for p in peers if usable(p) and _roots(statuses[p]).get(tag) in STANDBY]
        if not candidates:
            problems.append('hierarchy %s is in service on %s and no live standby can take it' % (tag, host))
            continue
        best = sorted(candidates, key=lambda p: (
            not (target_version and statuses[p].get('version') == str(target_version)),
            _priority(statuses[p], tag), peers.index(p)))[0]
        moves.append({'tag': tag, 'to': best, 'to_node': _lk_name(best, statuses[best])})
    return moves, problems


def orphans(statuses, expected):
    """Hierarchies of expected (tags) that are in service on no node now."""
    up = set()
    for status in statuses.values():
        up.update(t for t, s in _roots(status).items() if s in IN_SERVICE)
    return sorted(set(expected) - up)


def placement(statuses):
    """{root tag: host} where each hierarchy is in service now."""
    where = {}
    for host, status in sorted(statuses.items()):
        for tag, state in _roots(status).items():
            if state in IN_SERVICE:
                where[tag] = host
    return where


def moves_back(before, statuses):
    """Switchovers that put hierarchies back where before ({tag: host}) says.

    Only hierarchies in service somewhere now and recorded on a different host move.
    """
    now = placement(statuses)
    return [{'tag': tag, 'from': now[tag], 'to': host}
            for tag, host in sorted(before.items()) if tag in now and now[tag] != host]


def rescue_moves(statuses, lost, placement_before=None):
    """Where to bring back hierarchies that are in service nowhere (lost: tags).

    The node recorded in placement_before comes first when it runs and holds the
    hierarchy; otherwise any running node that holds it, best priority first.
    """
    placement_before = placement_before or {}
    moves = []
    for tag in lost:
        candidates = [h for h in sorted(statuses)
                      if statuses[h].get('running') and tag in _roots(statuses[h])]
        if not candidates:
            continue
        best = sorted(candidates, key=lambda h: (h != placement_before.get(tag), _priority(statuses[h], tag)))[0]
        moves.append({'tag': tag, 'to': best})
    return moves
