# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rolling-update plan and the moves of a run (controller side, pure, no I/O).

One rule chooses where a hierarchy goes when its node is emptied (choose_standby). The
printed plan (build_plan simulates the run with it) and the evacuation at run time
(evacuation_moves, from the nodes read afresh) both call it, so the plan is what runs.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import (
    crosses_perl_change, parse_version, update_path)
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.checks import check_lines, check_problems
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import (
    IN_SERVICE, STANDBY, health_problems, hierarchy_mirrors, is_known, known, lk_name, packages, placement,
    priority, roots, usable)
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.outages import prediction_lines
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.reinstall import (
    caveat, rebuild_guide_mode, reinstall_problem, reinstall_warning, resume_warnings)

ACTIONS = {'none': 'skip', 'direct': 'update', 'fresh': 'install', 'reinstall': 'reinstall'}


class _View(object):
    """What the standby rule looks at, per node: can it take a hierarchy, the local state
    of each root, its priority for each. The plan changes the states as it simulates."""

    def __init__(self, statuses):
        self.usable = dict((host, usable(status)) for host, status in statuses.items())
        self.roots = dict((host, roots(status) if is_known(status) else {}) for host, status in statuses.items())
        self.priority = dict((host, dict((res['tag'], priority(status, res['tag']))
                                         for res in status.get('resources') or []))
                             for host, status in statuses.items())

    def move(self, tag, from_host, to_host):
        self.roots[from_host][tag] = 'OSU'
        self.roots[to_host][tag] = 'ISP'


def choose_standby(tag, node, view, updated, order):
    """The node that takes hierarchy tag when node is emptied, or None when none can.

    Candidates: every other node that can take it now (read, running, every communication
    path ALIVE) and holds the hierarchy as a standby (root OSU). Preferred: a node already
    at the target version (updated: so nothing moves twice), then the best priority for
    the hierarchy, then inventory order (order).
    """
    rank = dict((host, i) for i, host in enumerate(order))
    candidates = [host for host in order
                  if host != node and view.usable.get(host) and view.roots.get(host, {}).get(tag) in STANDBY]
    if not candidates:
        return None
    return sorted(candidates, key=lambda host: (host not in updated,
                                                view.priority.get(host, {}).get(tag, 999), rank[host]))[0]


def _move(tag, from_host, to_host, statuses):
    return {'tag': tag, 'from': from_host, 'to': to_host,
            'from_node': lk_name(from_host, statuses[from_host]), 'to_node': lk_name(to_host, statuses[to_host])}


def _hop_list(hops, target):
    """[{'version': Version, 'media', 'media_sha256'}] ending with the target: the hops given
    (lk_hops: intermediate versions, then the target), or the target alone."""
    result = []
    for hop in hops or []:
        result.append({'version': parse_version(hop['version']), 'media': hop.get('media'),
                       'media_sha256': hop.get('media_sha256') or None})
    if not result or result[-1]['version'] != target:
        result.append({'version': target, 'media': None, 'media_sha256': None})
    return result


def build_plan(statuses, target_version, allow_reinstall=False, restore_placement=True, order=None,
               placement_record=None, cluster=None, hops=None, checks=None, resuming=None, rebuild=None,
               restore_archive=False):
    """The plan of one cluster.

    statuses: {host: node status} read in pre-flight; order: the hosts in inventory order;
    placement_record: {hierarchy: host} recorded by an earlier attempt of this run (a
    resume puts hierarchies back there), else the placement now; hops: the versions to pass
    through, [{version, media, media_sha256}] ending with the target (multi-hop: one rolling
    pass each; a node already at or beyond a hop's version skips that pass); checks: the rows
    of the pre-flight checks of this cluster (plugin_utils/checks.py): each failed check is a
    problem; resuming: {host: progress record} of nodes this run left mid-reinstall (see
    reinstall.resuming): reinstalled first, from the record, their own health and the
    standbys they were are not judged now; rebuild: the operator's task file that rebuilds
    the communication paths and hierarchies after a 9.x reinstall (lk_reinstall_rebuild);
    restore_archive: restore each node's old archive instead (lk_reinstall_restore_archive,
    outside the 9.9.0 guide). A node reinstalled the 9.9.0 guide's way (rebuild_guide_mode)
    is not evacuated: no node keeps the structure, its hierarchies go out of service when
    LifeKeeper stops there, until the rebuild (plan 'rebuild').
    """
    target = parse_version(target_version)   # ValueError names the bad value
    hop_list = _hop_list(hops, target)
    hosts = [h for h in (list(order) if order else sorted(statuses)) if h in statuses]
    cluster_statuses = dict((h, statuses[h]) for h in hosts)
    resuming = dict((h, r) for h, r in (resuming or {}).items() if h in hosts)
    problems = health_problems(dict((h, statuses[h]) for h in hosts if h not in resuming), bool(resuming),
                               [r.get('node_name') for r in resuming.values() if r.get('node_name')])
    readable = known(statuses)
    warnings = resume_warnings(resuming)
    # a node being completed is judged by the version it ran before this run removed it
    versions = dict((h, (resuming.get(h) or {}).get('version_before') or readable.get(h, {}).get('version'))
                    for h in hosts)
    for host in hosts:
        version = versions[host]
        if version and update_path(version, target).kind == 'downgrade':
            problems.append('%s: %s' % (host, update_path(version, target).reason))
        if checks is None and version and crosses_perl_change(version, target):
            warnings.append('%s: updating %s -> %s crosses 9.8.0: the bundled Perl changes from 5.8.8 '
                            'to 5.32.1; check Perl-based Generic ARK scripts' % (host, version, target))
    view = _View(cluster_statuses)
    now = placement(cluster_statuses)
    hop_plans = []
    for hop in hop_list:
        nodes = {}
        for host in hosts:
            status = readable.get(host, {})
            version = versions[host]
            if version and parse_version(version) > hop['version']:
                kind, reason = 'none', '%s is installed, beyond %s' % (version, hop['version'])
            else:
                path = update_path(version, hop['version'])
                kind, reason = path.kind, path.reason
                if kind == 'reinstall':
                    problem = reinstall_problem(host, path, hop['version'], len(hop_list), allow_reinstall,
                                                rebuild, restore_archive)
                    if problem:
                        problems.append(problem)
                    elif caveat(host, hop['version'], restore_archive):
                        warnings.append(caveat(host, hop['version'], restore_archive))
            in_service = sorted(t for t, h in now.items() if h == host)
            nodes[host] = _node(host, status, kind, reason, ACTIONS.get(kind, 'skip'), in_service, version)
            if kind == 'reinstall':
                nodes[host]['reinstall_mode'] = (
                    'rebuild' if rebuild_guide_mode(hop['version'], restore_archive) else 'archive')
            if host in resuming and hop is hop_list[0]:
                nodes[host].update(version_before=version, resume=resuming[host].get('step'))
        # Order: nodes to skip first (nothing to do), then a reinstall to complete, then by
        # hierarchies held, fewest first; the node holding the most hierarchies goes last. Ties
        # keep inventory order.
        rank = dict((h, i) for i, h in enumerate(hosts))
        run_order = sorted(hosts, key=lambda h: (nodes[h]['action'] != 'skip', h not in resuming,
                                                 len(nodes[h]['in_service']), rank[h]))
        skipped = set(h for h in hosts if nodes[h]['action'] == 'skip')
        problems.extend(_mixed_versions(hop['version'], versions, nodes, hosts))
        updated = set(h for h in readable if h in nodes and versions.get(h) == str(hop['version']))
        _pass(statuses, view, now, hosts, run_order, skipped, updated, nodes)
        for host in hosts:
            if host not in skipped:
                versions[host] = str(hop['version'])
        hop_plans.append({'version': str(hop['version']), 'media': hop['media'], 'media_sha256': hop['media_sha256'],
                          'order': run_order, 'nodes': [nodes[h] for h in run_order]})
    before, back = _placement_back(cluster_statuses, now, restore_placement, placement_record)
    if checks:
        problems.extend(check_problems(checks))
    rebuilt = [node['name'] for hop in hop_plans for node in hop['nodes'] if node.get('reinstall_mode') == 'rebuild']
    if rebuilt:
        warnings.append(reinstall_warning(sorted(set(rebuilt)), sorted(before), target, rebuild))
    result = _plan(cluster, 'rolling update', str(target), hop_plans[0]['order'], _summary(hop_plans, readable),
                   before, back, problems, sorted(set(warnings)), hop_plans, checks or [],
                   hierarchy_mirrors(cluster_statuses))
    # the 9.9.0 guide's reinstall: the operator's rebuild runs once after the last pass, then
    # the hierarchies of placement_before must be back and in service
    result['rebuild'] = rebuild if rebuilt else None
    return result


def _cluster_view(statuses, order):
    """What a plan of one cluster starts from: its hosts (inventory order), their statuses, the
    readable ones, the standby rule's view and the placement now ({tag: host})."""
    hosts = [h for h in (list(order) if order else sorted(statuses)) if h in statuses]
    cluster_statuses = dict((h, statuses[h]) for h in hosts)
    return hosts, cluster_statuses, known(statuses), _View(cluster_statuses), placement(cluster_statuses)


def _placement_back(cluster_statuses, now, restore_placement, placement_record=None):
    """(the placement before the run: placement_record, recorded by an earlier attempt, else
    the one read now; the moves that put each hierarchy back there from now, {tag: host} after
    the simulated run, when restore_placement)."""
    before = dict(placement_record) if placement_record else placement(cluster_statuses)
    if not restore_placement:
        return before, []
    return before, [{'tag': tag, 'from': now[tag], 'to': host}
                    for tag, host in sorted(before.items()) if tag in now and now[tag] != host]


def _mixed_versions(version, versions, nodes, hosts):
    """Problems when a pass to version would leave the cluster running two versions outside the
    vendor's direct window: a node already beyond version next to one still below it."""
    problems = []
    below = [h for h in hosts if nodes[h]['action'] in ('update', 'reinstall') and versions.get(h)]
    beyond = [h for h in hosts if versions.get(h) and parse_version(versions[h]) > version]
    for high in beyond:
        for low in below:
            if update_path(versions[low], versions[high]).kind != 'direct':
                problems.append('%s runs %s and %s runs %s: the pass to %s would mix versions outside the direct '
                                'update window of %s' % (high, versions[high], low, versions[low], version,
                                                         versions[high]))
    return problems


def _summary(hop_plans, readable):
    """One entry per node in the first pass's order: its plan when there is one pass, else
    its passes merged (the moves of every pass, in order; the hops it goes through)."""
    if len(hop_plans) == 1:
        return [dict(node, hops=[hop_plans[0]['version']] if node['action'] != 'skip' else [])
                for node in hop_plans[0]['nodes']]
    summary = []
    for first in hop_plans[0]['nodes']:
        passes = [(hop['version'], dict((n['name'], n) for n in hop['nodes'])[first['name']]) for hop in hop_plans]
        done = [(version, node) for version, node in passes if node['action'] != 'skip']
        kinds = set(node['update_path'] for dummy, node in done)
        entry = dict(first)
        entry.update({
            'version_before': (readable.get(first['name']) or {}).get('version'),
            'in_service': first['in_service'],
            'update_path': 'reinstall' if 'reinstall' in kinds else ('direct' if done else 'none'),
            'reason': '; '.join(node['reason'] for dummy, node in done if node['reason']) or first['reason'],
            'action': 'reinstall' if 'reinstall' in kinds else ('update' if done else 'skip'),
            'moves': [move for dummy, node in passes for move in node['moves']],
            'hops': [version for version, dummy in done],
        })
        modes = [node['reinstall_mode'] for dummy, node in done if node.get('reinstall_mode')]
        if modes:
            entry['reinstall_mode'] = modes[0]
        summary.append(entry)
    return summary


def build_rollback_plan(statuses, version=None, order=None, restore_placement=True, placement_record=None,
                        cluster=None):
    """The plan of a rollback of one cluster: every node in inventory order, each emptied
    with the same rule (nodes at version, when given, count as done), its configuration
    restored from an archive, reinstalled at version when it runs another."""
    target = parse_version(version) if version else None
    hosts, cluster_statuses, readable, view, now = _cluster_view(statuses, order)
    problems = health_problems(cluster_statuses)
    nodes = {}
    for host in hosts:
        status = readable.get(host, {})
        path = 'reinstall' if target and status.get('version') != str(target) else 'restore'
        nodes[host] = _node(host, status, path, None, 'rollback', sorted(t for t, h in now.items() if h == host),
                            status.get('version'))
    updated = set(h for h in readable if target is not None and readable[h].get('version') == str(target))
    _pass(statuses, view, now, hosts, hosts, set(), updated, nodes)
    before, back = _placement_back(cluster_statuses, now, restore_placement, placement_record)
    return _plan(cluster, 'rollback', str(target) if target else None, hosts, [nodes[h] for h in hosts], before,
                 back, problems, [], [], [], hierarchy_mirrors(cluster_statuses))


def build_maintenance_plan(statuses, order=None, restore_placement=True, placement_record=None, cluster=None):
    """The plan of a rolling OS maintenance of one cluster: LifeKeeper's version does not change;
    every node is emptied in turn with the same rule (nodes maintained before it preferred, so
    nothing moves twice), maintained (its own task file, a reboot), and must be back - running,
    every path ALIVE, its mirrors in sync - before the next. Order as the update's: fewest
    hierarchies in service first, the busiest last; ties keep inventory order."""
    hosts, cluster_statuses, readable, view, now = _cluster_view(statuses, order)
    problems = health_problems(cluster_statuses)
    nodes = {}
    for host in hosts:
        status = readable.get(host, {})
        nodes[host] = _node(host, status, 'maintenance', None, 'maintain',
                            sorted(t for t, h in now.items() if h == host), status.get('version'))
    rank = dict((h, i) for i, h in enumerate(hosts))
    run_order = sorted(hosts, key=lambda h: (len(nodes[h]['in_service']), rank[h]))
    _pass(statuses, view, now, hosts, run_order, set(), set(), nodes)
    before, back = _placement_back(cluster_statuses, now, restore_placement, placement_record)
    return _plan(cluster, 'maintenance', None, run_order, [nodes[h] for h in run_order], before, back, problems,
                 [], [], [], hierarchy_mirrors(cluster_statuses))


def build_plans(clusters, statuses, target_version, allow_reinstall=False, restore_placement=True,
                placement_records=None, operation='rolling update', hops=None, checks=None, resuming=None,
                rebuild=None, restore_archive=False):
    """{cluster name: plan} for clusters [{'name', 'hosts'}] (see cluster.group_clusters).

    statuses: {host: node status} of every node; placement_records: {cluster name:
    placement recorded by an earlier attempt}; operation: 'rolling update', 'rollback'
    (target_version is then the version to roll back to, or empty for an archive only) or
    'maintenance' (target_version unused: the version does not change);
    hops: the versions to pass through (values.media_hops); checks: {cluster name: rows of
    the pre-flight checks}.

    A cluster that cannot be planned (a node reports a version that is not N.N.N) gets a
    refused plan naming the node and the value: the other clusters are planned. A bad
    target_version (the operator's input) still raises ValueError.
    """
    if operation == 'rolling update' or (operation == 'rollback' and target_version):
        parse_version(str(target_version))   # ValueError names the bad input
    elif operation not in ('rollback', 'maintenance'):
        raise ValueError("operation is %r: expected 'rolling update', 'rollback' or 'maintenance'" % (operation,))
    records = placement_records or {}
    plans = {}
    for one in clusters:
        missing = [host for host in one['hosts'] if host not in statuses]
        if missing or not one['hosts']:
            raise ValueError('cluster %s has nodes without a status: %s' % (one['name'], ', '.join(missing) or 'none'))
        unreadable = unplannable_versions(one['hosts'], statuses, resuming)
        if unreadable:
            plans[one['name']] = refused_plan(one, statuses, operation, target_version, unreadable)
            continue
        try:
            if operation == 'maintenance':
                plans[one['name']] = build_maintenance_plan(statuses, one['hosts'], restore_placement,
                                                            records.get(one['name']), one['name'])
            elif operation == 'rollback':
                plans[one['name']] = build_rollback_plan(statuses, target_version or None, one['hosts'],
                                                         restore_placement, records.get(one['name']), one['name'])
            else:
                plans[one['name']] = build_plan(statuses, str(target_version), allow_reinstall, restore_placement,
                                                one['hosts'], records.get(one['name']), one['name'], hops,
                                                None if checks is None else (checks or {}).get(one['name'], []),
                                                resuming, rebuild, restore_archive)
        except (ValueError, TypeError, KeyError) as exc:
            # what a node reported that the plan cannot read: this cluster only is refused
            plans[one['name']] = refused_plan(one, statuses, operation, target_version, [
                'cluster %s cannot be planned from what its nodes reported (%s: %s); nothing will be changed there'
                % (one['name'], type(exc).__name__, exc)])
    return plans


def unplannable_versions(hosts, statuses, resuming=None):
    """Problems of nodes whose LifeKeeper version (as read, or as a reinstall record kept it)
    is not N.N.N: planning them would guess their update path."""
    problems = []
    for host in hosts:
        status = statuses.get(host) or {}
        found = [('installed', status.get('version') if is_known(status) else None),
                 ('recorded before its reinstall', ((resuming or {}).get(host) or {}).get('version_before'))]
        for what, version in found:
            if not version:
                continue
            try:
                parse_version(version)
            except ValueError:
                problems.append('%s: the LifeKeeper version %s is %r, not N.N.N: its update path cannot be '
                                'planned (check the product rpm on the node)' % (host, what, version))
    return problems


def refused_plan(one, statuses, operation, target_version, problems):
    """The plan of a cluster that cannot be planned: its nodes, no step, the problems."""
    readable = known(dict((h, statuses[h]) for h in one['hosts']))
    now = placement(readable)
    nodes = [_node(host, readable.get(host, {}), 'unknown', None, 'skip',
                   sorted(t for t, h in now.items() if h == host), readable.get(host, {}).get('version'))
             for host in one['hosts']]
    return _plan(one['name'], operation, str(target_version) if target_version else None, one['hosts'], nodes, now,
                 [], list(problems), [], [], [], {})


def _node(host, status, path, reason, action, in_service, version):
    return {
        'name': host,
        'node_name': lk_name(host, status),
        'version_before': version,
        'update_path': path,
        'reason': reason,
        'action': action,
        'in_service': in_service,
        'packages': packages(status),
        'moves': [],
    }


def _pass(statuses, view, now, hosts, run_order, skipped, updated, nodes):
    """One rolling pass on paper: each node in turn is emptied with the run's own rule (its
    moves go into nodes[host]['moves'], view and now follow them), then counts as updated."""
    for host in run_order:
        # a node reinstalled the 9.9.0 guide's way is not evacuated: no standby keeps the structure
        if host not in skipped and nodes[host].get('reinstall_mode') != 'rebuild':
            for tag in sorted(t for t, h in now.items() if h == host):
                best = choose_standby(tag, host, view, updated, hosts)
                if best is None:
                    continue   # health_problems names it
                nodes[host]['moves'].append(_move(tag, host, best, statuses))
                view.move(tag, host, best)
                now[tag] = best
        updated.add(host)


def _plan(cluster, operation, target, run_order, nodes, before, back, problems, warnings, hops, checks, mirrors):
    return {
        'cluster': cluster,
        'operation': operation,
        'target_version': target,
        'order': list(run_order),
        'nodes': nodes,
        'hops': hops,
        'placement_before': before,
        'restore_moves': back,
        'expected_switchovers': sum(len(n['moves']) for n in nodes) + len(back),
        'mirrors': mirrors,
        'checks': checks,
        'problems': problems,
        'warnings': warnings,
        'ok': not problems,
    }


def planned_moves(plan):
    """Every switchover of the plan, in the order the run makes them: [{tag, from, to}]."""
    passes = plan.get('hops') or [plan]
    moves = [move for one in passes for node in one.get('nodes', []) for move in node.get('moves', [])]
    moves.extend(plan.get('restore_moves') or [])
    return [{'tag': m['tag'], 'from': m['from'], 'to': m['to']} for m in moves]


def version_text(version, missing='not installed'):
    """A version for a sentence: missing (never 'None') when there is none."""
    return str(version) if version not in (None, '') else missing


def _to(plan):
    return ' to %s' % plan['target_version'] if plan.get('target_version') else ''


def _node_lines(nodes, version):
    lines = []
    for step, node in enumerate(nodes, 1):
        lines.append('%d. %s (%s): %s %s -> %s [%s]' % (
            step, node['name'], node['node_name'], node['action'], version_text(node['version_before']),
            version_text(version or node['version_before']), node['update_path'] + (
                ', %s' % node['reinstall_mode'] if node.get('reinstall_mode') else '')))
        for move in node['moves']:
            lines.append('     before: switch %s from %s to %s' % (move['tag'], move['from'], move['to']))
    return lines


def render_plan(plan):
    """The plan as lines for a human (printed by the preflight role)."""
    lines = ['LifeKeeper %s%s: %d node(s), %d switchover(s) expected'
             % (plan.get('operation', 'rolling update'), _to(plan), len(plan['nodes']), plan['expected_switchovers'])]
    hops = plan.get('hops') or []
    if len(hops) > 1:
        lines[0] += ', %d rolling passes (%s)' % (len(hops), ' -> '.join(hop['version'] for hop in hops))
        for number, hop in enumerate(hops, 1):
            lines.append('pass %d of %d: every node to %s (%s)' % (number, len(hops), hop['version'],
                                                                   hop.get('media') or 'lk_media'))
            lines.extend(_node_lines(hop['nodes'], hop['version']))
    else:
        lines.extend(_node_lines(plan['nodes'], plan['target_version']))
    if plan.get('rebuild'):
        lines.append('   after the last node: the rebuild (lk_reinstall_rebuild: %s) runs once, then every hierarchy '
                     'of before the update must be back and in service: %s' % (
                         plan['rebuild'], ', '.join(sorted(plan.get('placement_before') or {})) or 'none'))
    for move in plan['restore_moves']:
        lines.append('   at the end: switch %s back from %s to %s' % (move['tag'], move['from'], move['to']))
    for root, tags in sorted((plan.get('mirrors') or {}).items()):
        lines.append('   mirror(s) of %s (each switchover waits until in sync): %s' % (root, ', '.join(tags)))
    lines.extend(prediction_lines(plan))
    lines.extend(check_lines(plan.get('checks')))
    for warning in plan['warnings']:
        lines.append('WARNING: ' + warning)
    for problem in plan['problems']:
        lines.append('REFUSED: ' + problem)
    return lines


def evacuation_moves(node, statuses, target_version=None, order=None, done=None):
    """Where to switch each hierarchy in service on node now, from statuses read afresh.

    The same rule as the plan (choose_standby); nodes at target_version, and the hosts in done
    (the nodes a maintenance run has maintained), count as updated.
    Returns (moves, problems): moves [{'tag', 'from', 'to', 'from_node', 'to_node'}], problems
    sentences for a node that could not be read and for hierarchies with no usable target.
    """
    hosts = [h for h in (list(order) if order else sorted(statuses)) if h in statuses]
    here = statuses.get(node)
    if not is_known(here):
        return [], ['%s could not be read (%s): nothing was moved'
                    % (node, (here or {}).get('reason', 'not in the cluster status'))]
    readable = known(statuses)
    updated = set(h for h, s in readable.items() if target_version and s.get('version') == str(target_version))
    updated.update(h for h in done or [] if h in readable)
    view = _View(dict((h, statuses[h]) for h in hosts))
    moves, problems = [], []
    for tag, state in sorted(roots(here).items()):
        if state not in IN_SERVICE:
            continue
        best = choose_standby(tag, node, view, updated, hosts)
        if best is None:
            problems.append('hierarchy %s is in service on %s and no live standby can take it (a live standby runs '
                            'LifeKeeper with every communication path ALIVE and holds it OSU; nothing was moved from '
                            '%s: make one live, then run again)' % (tag, node, node))
            continue
        moves.append(_move(tag, node, best, statuses))
    return moves, problems


def switchover_test_moves(statuses, order=None):
    """The guide's optional switchover test after an update: each hierarchy in service now
    goes to one live standby (the standby rule, every node counting as updated) and back.
    Returns {'moves': [{tag, from, to}] in order, two per hierarchy, 'problems': [...]}."""
    hosts = [h for h in (list(order) if order else sorted(statuses)) if h in statuses]
    view = _View(dict((h, statuses[h]) for h in hosts))
    moves, problems = [], []
    for tag, host in sorted(placement(dict((h, statuses[h]) for h in hosts)).items()):
        best = choose_standby(tag, host, view, set(hosts), hosts)
        if best is None:
            problems.append('hierarchy %s (in service on %s) has no live standby to test a switchover to' % (tag, host))
            continue
        moves.extend([{'tag': tag, 'from': host, 'to': best}, {'tag': tag, 'from': best, 'to': host}])
    return {'moves': moves, 'problems': problems}


def moves_back(before, statuses):
    """Switchovers that put hierarchies back where before ({tag: host}) says.

    Only hierarchies in service somewhere now (on a node that was read) and recorded on a
    different host move.
    """
    now = placement(statuses)
    return [{'tag': tag, 'from': now[tag], 'to': host}
            for tag, host in sorted(before.items()) if tag in now and now[tag] != host]


def rescue_moves(statuses, lost, placement_before=None):
    """Where to bring back hierarchies that are in service nowhere (lost: tags).

    Only nodes that were read and run LifeKeeper are candidates; the node recorded in
    placement_before comes first when it holds the hierarchy, then the best priority.
    """
    placement_before = placement_before or {}
    readable = known(statuses)
    moves = []
    for tag in lost:
        candidates = [h for h in sorted(readable)
                      if readable[h].get('running') and tag in roots(readable[h])]
        if not candidates:
            continue
        best = sorted(candidates, key=lambda h: (h != placement_before.get(tag), priority(readable[h], tag)))[0]
        moves.append({'tag': tag, 'to': best})
    return moves
