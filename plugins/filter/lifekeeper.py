# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's filters: plugins/plugin_utils functions, with adapters where a value
from a play must be checked first (a bad value becomes an error naming it).

Each filter is documented in plugins/filter/<name>.yml (ansible-doc -t filter
hatools.lifekeeper.<name>). The logic lives in plugin_utils, where it is unit-tested.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import update_path
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import (
    checks, cluster, discover, fleet, health, hooks, inputs, locks, plan, progress, reinstall, report,
    report_view, rerun, rescue, resume, values)

_refuse_bad_values = values.refuse_bad_values


def _statuses(value, name):
    if not isinstance(value, dict):
        raise ValueError('%s expects a dict of node statuses by host, got %r' % (name, type(value).__name__))
    return value


# ---- progress lines ----------------------------------------------------------------------

def lk_progress_line(context, step, now=None):
    # a task name is templated when its task starts: the clock is read here, the line made in plugin_utils
    return progress.step_line(context, step, time.time() if now is None else now)


# ---- input values ------------------------------------------------------------------------

@_refuse_bad_values
def lk_version(value, name='lk_target_version'):
    return values.normalise_version(value, name)


@_refuse_bad_values
def lk_optional_version(value, name):
    return values.optional_version(value, name)


@_refuse_bad_values
def lk_run_id(value, name='lk_run_id'):
    return values.run_id(value, name)


@_refuse_bad_values
def lk_abspath(value, name, default=None):
    return values.absolute_path(value, name, default)


@_refuse_bad_values
def lk_input_problems(given):
    if not isinstance(given, dict):
        raise ValueError('lk_input_problems expects a dict {variable: value}, got %r' % type(given).__name__)
    return inputs.input_problems(given, inputs.collection_specs())


@_refuse_bad_values
def lk_hook_files(given, hook_dir, command_line):
    if not isinstance(given, dict) or not isinstance(command_line, dict):
        raise ValueError('lk_hook_files expects {point: task file} and the lk_command_line lookup, got %r and %r'
                         % (type(given).__name__, type(command_line).__name__))
    return hooks.hook_files(given, hook_dir, command_line.get('playbooks'), command_line.get('cwd') or '.')


@_refuse_bad_values
def lk_update_kind(installed, target_version):
    return update_path(installed or None, str(target_version)).kind


# ---- the cluster -------------------------------------------------------------------------

_REQUIRED = object()


def lk_per_host(hosts, hostvars, name, default=_REQUIRED):
    if default is _REQUIRED:
        return dict((host, hostvars[host][name]) for host in hosts)
    return dict((host, hostvars[host][name] if name in hostvars[host] else default) for host in hosts)


@_refuse_bad_values
def lk_clusters(group, groups, children, play_hosts=None):
    return cluster.inventory_clusters(group, groups, children, play_hosts)


@_refuse_bad_values
def lk_health(statuses, target_version=None, placement=None):
    statuses = _statuses(statuses, 'lk_health')
    if placement is not None and not isinstance(placement, dict):
        raise ValueError('lk_health expects placement as a dict {hierarchy: host}, got %r' % type(placement).__name__)
    problems = cluster.health_problems(statuses)
    if target_version:
        problems.extend(cluster.version_problems(statuses, target_version))
    return problems + cluster.placement_problems(statuses, placement)


@_refuse_bad_values
def lk_membership(statuses):
    statuses = _statuses(statuses, 'lk_membership')
    return [finding['text'] for finding in cluster.membership_findings(statuses)]


@_refuse_bad_values
def lk_discover(statuses, addresses=None, group='lifekeeper'):
    statuses = _statuses(statuses, 'lk_discover')
    if addresses is not None and not isinstance(addresses, dict):
        raise ValueError('lk_discover expects addresses as a dict {inventory host: address}, got %r'
                         % type(addresses).__name__)
    return discover.discover(statuses, dict((h, a) for h, a in (addresses or {}).items() if a), group)


@_refuse_bad_values
def lk_health_check(statuses, clusters, node_locks=None, controller_locks=None):
    return health.health(_statuses(statuses, 'lk_health_check'), clusters, node_locks, controller_locks)


# ---- fleet mode ---------------------------------------------------------------------------

def lk_fleet_stop(after, hostvars):
    return fleet.stop_reason(after, dict((leader, (hostvars.get(leader) or {}).get('__lk_cluster_result'))
                                         for leader in after or []))


# ---- the plan and the moves --------------------------------------------------------------

@_refuse_bad_values
def lk_reinstall_mode(target_version, restore_archive=False):
    return reinstall.reinstall_mode(target_version, values.to_bool(restore_archive, 'lk_reinstall_restore_archive'))


@_refuse_bad_values
def lk_hops(hops, target_version, media, media_sha256=None):
    return values.media_hops(hops, target_version, media, media_sha256)


@_refuse_bad_values
def lk_evacuation(statuses, node, target_version=None, order=None, done=None):
    moves, problems = plan.evacuation_moves(node, _statuses(statuses, 'lk_evacuation'), target_version or None,
                                            order, done)
    return {'moves': moves, 'problems': problems}


@_refuse_bad_values
def lk_kernel_problem(reboot, host, supported_kernels=None):
    if reboot is not None and not isinstance(reboot, dict):
        raise ValueError('lk_kernel_problem expects the reboot result of lk_host_info (a dict), got %r'
                         % type(reboot).__name__)
    return checks.kernel_change_problem(host, reboot, supported_kernels) or ''


class FilterModule(object):
    """hatools.lifekeeper filters: plugin_utils functions, or adapters where a value must be checked."""

    def filters(self):
        return {
            # input values
            'lk_version': lk_version,
            'lk_update_kind': lk_update_kind,
            'lk_rollback_archive': values.rollback_archive,
            'lk_optional_version': lk_optional_version,
            'lk_run_id': lk_run_id,
            'lk_abspath': lk_abspath,
            'lk_input_problems': lk_input_problems,
            'lk_hook_files': lk_hook_files,
            # the cluster
            'lk_node_reads': cluster.node_reads,
            'lk_loop_results': cluster.loop_results,
            'lk_result_problems': cluster.result_problems,
            'lk_unreadable_text': cluster.describe_unreadable,
            'lk_per_host': lk_per_host,
            'lk_clusters': lk_clusters,
            'lk_health': lk_health,
            'lk_membership': lk_membership,
            'lk_discover': lk_discover,
            'lk_placement': cluster.placement,
            'lk_orphans': cluster.orphans,
            'lk_failed_resources': cluster.failed_resources,
            'lk_status_lines': cluster.status_lines,
            'lk_health_check': lk_health_check,
            'lk_verification_failure': cluster.verification_failure,
            # the plan and the moves
            'lk_plan_lines': plan.render_plan,
            'lk_evacuation': lk_evacuation,
            'lk_hops': lk_hops,
            'lk_switchover_test': plan.switchover_test_moves,
            # the pre-flight checks
            'lk_kernel_problem': lk_kernel_problem,
            'lk_moves_back': plan.moves_back,
            # one run per cluster, the rescue, the reinstall path
            'lk_lock_name': locks.lock_name,
            'lk_lock_problems': _refuse_bad_values(locks.lock_problems),
            'lk_lock_breaks': _refuse_bad_values(locks.lock_breaks),
            'lk_lock_seen': locks.lock_seen,
            'lk_bring_back': rescue.bring_back,
            'lk_left_part_way': rescue.left_part_way,
            'lk_lock_note': rescue.lock_note,
            'lk_interrupted': rescue.interrupted_leaders,
            'lk_progress_records': reinstall.progress_records,
            'lk_lost_placement': resume.lost_placement_record,
            'lk_reinstall_steps': reinstall.manual_steps,
            'lk_kits': reinstall.kits,
            'lk_reinstall_caveat': reinstall.caveat,
            'lk_rebuild_missing': reinstall.rebuild_missing,
            'lk_peers_missing': reinstall.peers_missing,
            'lk_reinstall_mode': lk_reinstall_mode,
            'lk_defaults_note': reinstall.defaults_note,
            # the report and the messages
            'lk_switch_records': report.switch_records,
            'lk_report_lines': report.report_lines,
            'lk_combine_reports': report.combine_reports,
            'lk_ended_report': report.ended_report,
            'lk_evacuation_failure': report.evacuation_failure_message,
            'lk_failed_messages': report.failed_messages,
            'lk_move_problems': report.move_problems,
            'lk_fleet_stop': lk_fleet_stop,
            'lk_failure_messages': report.failure_messages,
            'lk_resume_vars_text': rerun.resume_vars_text,
            'lk_report_view': _refuse_bad_values(report_view.render),
            'lk_progress_line': lk_progress_line,
        }
