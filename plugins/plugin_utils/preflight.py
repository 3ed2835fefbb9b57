# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pre-flight's decisions (controller side, pure, no I/O): the clusters, what each node reads
besides its status, then from every node's reads the plans, and which clusters go on.

The action lk_preflight gathers what these functions need (the nodes' registered results, the
controller's locks, placement records and earlier reports) and returns what they decide as
facts. Three steps, each after the nodes' reads it needs:
- clusters(): the inventory's clusters and each node's read (node_reads());
- decide(): the locks, the progress records, the vendor's checks, each cluster's plan;
- admit(): which clusters go on, in which batches, and whether the run stops.
A refusal before any change raises ValueError with the sentence the run stops with. Before
them, fleet_inputs() and update_inputs() check what the argument specs cannot.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import parse_version
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import (
    checks, cluster, fleet, locks, outages, plan, reinstall, rescue, values)

OPERATIONS = {'rolling update': 'update', 'rollback': 'rollback', 'maintenance': 'maintenance'}
NOTHING_CHANGED = 'Pre-flight refused the %s; nothing was changed on any node: %s'
LOCK_HOST = '__lk_lock_host'
LOCK_CLUSTER = '__lk_lock_cluster'
PROGRESS_RECORD = 'update-progress.json'
NO_BREAK = ('false', 'no', 'off', '0', '', 'none')


def refused_what(operation):
    """What a refusal names: update, rollback, maintenance."""
    if operation not in OPERATIONS:
        raise ValueError('operation is %r: expected one of %s' % (operation, ', '.join(sorted(OPERATIONS))))
    return OPERATIONS[operation]


def fleet_inputs(parallel, canary):
    """ValueError naming a malformed lk_fleet_parallel or lk_fleet_canary (nothing was changed)."""
    fleet.batches([], parallel, canary)


def refuse_inputs(problems):
    """ValueError naming every bad input found ({where: [problem, ...]} - each host's public
    inputs, the hook files -, each problem once, in the order given); nothing was changed."""
    lines = []
    for found in (problems or {}).values():
        for problem in found or []:
            if problem not in lines:
                lines.append(problem)
    if lines:
        raise ValueError('Pre-flight refused the run; nothing was changed on any node: %s' % '; '.join(lines))


def update_inputs(target_version, media, media_sha256, media_hops):
    """{__lk_target, __lk_hops} of a rolling update: the target version normalised (ValueError
    naming an empty, malformed or numeric value), lk_media an absolute path on the nodes,
    lk_media_sha256 empty (an unanswered AWX survey question arrives as null) or 64 hexadecimal
    digits, and every version the update passes through with its media (lk_media_hops; the
    target with lk_media last)."""
    target = values.normalise_version(target_version, 'lk_target_version')
    if not (isinstance(media, str) and os.path.isabs(media)):
        raise ValueError("lk_media must be the absolute path of the product ISO on the nodes (got '%s')" % (media,))
    if media_sha256 not in (None, '') and not (isinstance(media_sha256, str)
                                               and re.match(r'^[0-9a-fA-F]{64}$', media_sha256)):
        raise ValueError("lk_media_sha256 is '%s': expected 64 hexadecimal digits" % (media_sha256,))
    return {'__lk_target': target, '__lk_hops': values.media_hops(media_hops, target, media, media_sha256)}


def clusters(group, groups, children, play_hosts):
    """[{name, hosts, leader}] of inventory group `group` (its leaf child groups `children`, or
    itself); ValueError naming the group when it does not exist or a node is in no cluster or
    in two (nothing was changed)."""
    grouping = cluster.inventory_clusters(group, groups, children, play_hosts)
    if grouping['problems']:
        raise ValueError(NOTHING_CHANGED % ('run', '; '.join(grouping['problems'])))
    return grouping['clusters']


def check_targets(host, statuses, hosts, options=None):
    """What lk_host_info reads on host for the vendor's checks: paths (free space), names
    (lookups), connect (TCP ports of its peers), packages. options: the checks' options
    (skip, mirror_numbers, supported_kernels are checked here, naming a bad value)."""
    options = options or {}
    checks.skip_list(options.get('skip'))
    targets = checks.peer_targets(host, statuses, hosts)
    targets['paths'] = sorted(checks.disk_paths(options))
    numbers = checks.mirror_numbers(options.get('mirror_numbers'))
    checks.supported_kernels(options.get('supported_kernels'))
    targets['connect'] += [target for target in checks.sync_connect(host, statuses, hosts, numbers)
                           if target not in targets['connect']]
    targets['packages'] = [checks.SG3_UTILS]
    return targets


def node_reads(found, statuses, check_options=None, files=None):
    """{host: what lk_host_info reads there}: its cluster's lock (name) and, with check_options
    (a rolling update), the targets of the vendor's checks and files (the media of every hop,
    the licence key files). found: the clusters."""
    reads = {}
    for one in found:
        for host in one['hosts']:
            targets = check_targets(host, statuses, one['hosts'], check_options) if check_options is not None \
                else {'paths': [], 'names': [], 'connect': [], 'packages': []}
            targets.update(files=list(files or []) if check_options is not None else [],
                           lock=locks.lock_name(one['name']))
            reads[host] = targets
    return reads


def placement_copies(host_reads):
    """{host: the copy of this run's placement record on the node (parsed), or None} from
    lk_host_info's second RV(records) entry, read beside the progress record (plan.yml). A node
    whose read failed is None: its cluster is refused (its lock is unread)."""
    return dict((host, reinstall.host_record(result, 1)) for host, result in (host_reads or {}).items())


def _break_named(break_lock):
    return str(break_lock).strip().lower() not in NO_BREAK


def decide(operation, found, statuses, host_reads, controller_locks, run_id, settings):
    """Every cluster's plan from what each node read, and what the later steps keep.

    found: the clusters; statuses: {host: lk_status read} (cluster.node_reads); host_reads:
    {host: lk_host_info result} (its lock and progress record; with the checks' facts in a
    rolling update); controller_locks: [lk_lock query result with __lk_lock_cluster] of every
    cluster. settings: break_lock, lkroot, version (the plan's target), allow_reinstall,
    restore_placement, placement_records {cluster: record}, hops, check_options (a rolling
    update), setup_config (a setup configuration or arguments given), rebuild, restore_archive,
    report_texts (the earlier runs' reports). ValueError stops the run before any change.
    """
    refused_what(operation)
    node_locks = cluster.loop_results(host_reads, LOCK_HOST)
    break_lock = settings.get('break_lock')
    lock_problems = locks.lock_problems(node_locks, controller_locks, found, run_id, break_lock)
    lines = locks.lock_breaks(node_locks, controller_locks, found, run_id, break_lock) \
        if _break_named(break_lock) else []
    records = reinstall.progress_records(host_reads)
    resuming = reinstall.resuming(records, statuses, run_id)
    hops = settings.get('hops')
    check_results = None
    if settings.get('check_options') is not None:
        newer = [hop['version'] for hop in hops or [] if parse_version(hop['version']) >= parse_version('9.0.0')]
        if newer and not settings.get('setup_config'):
            raise ValueError(
                'setup of %s needs lk_setup_config_file: the path on the nodes of the setup configuration file saved '
                "from setup's own menu (its Save button writes the file used for non-interactive installation); the "
                'collection writes no setup keys of its own. Or give the exact setup arguments in lk_setup_args. '
                'Nothing was changed' % ', '.join(newer))
        options = dict(settings['check_options'], media=[hop['media'] for hop in hops or []])
        check_results = checks.evaluate(found, statuses, dict((host, {'host_info': read})
                                                              for host, read in host_reads.items()),
                                        settings.get('version'), options,
                                        [hop['version'] for hop in (hops or [])[:-1]])
    plans = plan.build_plans(
        found, statuses, settings.get('version'), values.to_bool(settings.get('allow_reinstall', False),
                                                                 'lk_allow_reinstall'),
        values.to_bool(settings.get('restore_placement', True), 'lk_restore_placement'),
        settings.get('placement_records') or {}, operation, hops, check_results, resuming,
        settings.get('rebuild') or None,
        values.to_bool(settings.get('restore_archive', False), 'lk_reinstall_restore_archive'))
    plans = outages.predict_outages(plans, settings.get('report_texts') or [])
    for one in found:
        lines.extend(plan.render_plan(plans[one['name']]))
    return {
        '__lk_lock_node_queries': {'results': node_locks},
        '__lk_lock_controller_queries': {'results': controller_locks},
        '__lk_lock_problems': lock_problems,
        '__lk_progress_records': records,
        '__lk_placement_copies_seen': placement_copies(host_reads),
        '__lk_configured': rescue.configured_hierarchies(statuses),
        '__lk_resuming': resuming,
        '__lk_reinstall_problems': reinstall.reinstall_problems(records, statuses, run_id,
                                                                settings.get('lkroot') or '/opt/LifeKeeper'),
        '__lk_check_results': check_results,
        '__lk_placement_records': settings.get('placement_records') or {},
        '__lk_plans': plans,
        '__lk_preflight_lines': lines,
    }


def admit(operation, found, plans, lock_problems, node_failures, reached, reinstall_problems, settings):
    """Which clusters go on: {__lk_fleet, __lk_fleet_order, __lk_preflight_refusal}.

    A cluster with a problem (another run's lock, a node another run left mid-reinstall, a node
    that failed a step - node_failures {host: message} - or is not in reached, its plan's
    problems) is refused and not touched. __lk_preflight_refusal is the sentence the run stops
    with ('' when it goes on): a cluster is refused and none may go on alone (settings
    all_or_nothing, check_mode, or no cluster left). __lk_fleet_order: the batches of stage 2
    (settings parallel, canary) of the accepted clusters' leaders.
    """
    what = refused_what(operation)
    decision = fleet.refusals(found, plans, lock_problems, node_failures, reached, reinstall_problems)
    refusal = ''
    if decision['refused'] and (values.to_bool(settings.get('all_or_nothing', False), 'lk_fleet_all_or_nothing')
                                or settings.get('check_mode') or not decision['accepted']):
        why = ('; '.join(problem for problems in decision['refused'].values() for problem in problems)
               if len(found) == 1 else '; '.join(line for line in decision['lines'] if ': REFUSED, ' in line))
        refusal = NOTHING_CHANGED % (what, why)
    order = fleet.batches([one['leader'] for one in found if one['name'] in decision['accepted']],
                          settings.get('parallel'), settings.get('canary', 0))
    return {'__lk_fleet': decision, '__lk_fleet_order': order, '__lk_preflight_refusal': refusal}
