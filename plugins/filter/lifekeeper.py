# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's filters: thin wrappers over plugins/plugin_utils.

Each filter is documented in plugins/filter/<name>.yml (ansible-doc -t filter
hatools.lifekeeper.<name>). The logic lives in plugin_utils, where it is unit-tested.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import functools

from ansible.errors import AnsibleFilterError

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import update_path
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster, plan, report, values


def _refuse_bad_values(func):
    """A ValueError from plugin_utils (a bad value, named) becomes a filter error."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValueError as exc:
            raise AnsibleFilterError(str(exc))
    return wrapper


def _statuses(value, name):
    if not isinstance(value, dict):
        raise ValueError('%s expects a dict of node statuses by host, got %r' % (name, type(value).__name__))
    return value


# ---- input values ------------------------------------------------------------------------

@_refuse_bad_values
def lk_version(value, name='lk_target_version'):
    return values.normalise_version(value, name)


@_refuse_bad_values
def lk_update_kind(installed, target_version):
    return update_path(installed or None, str(target_version)).kind


def lk_rollback_archive(value, host, lkroot, copy_dir):
    return values.rollback_archive(value, host, lkroot, copy_dir)


# ---- the cluster -------------------------------------------------------------------------

def lk_node_reads(results, loop_var=None):
    return cluster.node_reads(results, loop_var)


def lk_by_host(results, loop_var):
    return cluster.by_host(results, loop_var)


def lk_result_problems(results, loop_var, key=None, what='the task'):
    return cluster.result_problems(results, loop_var, key, what)


def lk_unreadable_text(statuses):
    return cluster.describe_unreadable(statuses)


def lk_per_host(hosts, hostvars, name):
    return dict((host, hostvars[host][name]) for host in hosts)


@_refuse_bad_values
def lk_clusters(group, groups, children, play_hosts=None):
    if group not in groups:
        raise ValueError('lk_cluster_group is %r: no such inventory group (groups: %s)'
                         % (group, ', '.join(sorted(g for g in groups if g not in ('all', 'ungrouped')))))
    return cluster.group_clusters(group, groups[group], [(child, groups.get(child, [])) for child in children or []],
                                  play_hosts)


@_refuse_bad_values
def lk_health(statuses, target_version=None):
    statuses = _statuses(statuses, 'lk_health')
    problems = cluster.health_problems(statuses)
    if target_version:
        problems.extend(cluster.version_problems(statuses, target_version))
    return problems


def lk_placement(statuses):
    return cluster.placement(statuses)


def lk_orphans(statuses, expected):
    return cluster.orphans(statuses, expected)


def lk_failed_resources(statuses):
    return cluster.failed_resources(statuses)


def lk_status_lines(statuses, hosts):
    return cluster.status_lines(statuses, hosts)


def lk_health_lines(statuses, clusters):
    return cluster.health_lines(statuses, clusters)


# ---- the plan and the moves --------------------------------------------------------------

@_refuse_bad_values
def lk_plans(clusters, statuses, target_version, allow_reinstall=False, restore_placement=True,
             placement_records=None, operation='rolling update'):
    return plan.build_plans(clusters, _statuses(statuses, 'lk_plans'), target_version,
                            values.to_bool(allow_reinstall, 'lk_allow_reinstall'),
                            values.to_bool(restore_placement, 'lk_restore_placement'), placement_records, operation)


def lk_plan_lines(the_plan):
    return plan.render_plan(the_plan)


@_refuse_bad_values
def lk_evacuation(statuses, node, target_version=None, order=None):
    moves, problems = plan.evacuation_moves(node, _statuses(statuses, 'lk_evacuation'), target_version or None,
                                            order)
    return {'moves': moves, 'problems': problems}


def lk_moves_back(before, statuses):
    return plan.moves_back(before or {}, statuses)


def lk_rescue_moves(statuses, lost, placement_before=None):
    return plan.rescue_moves(statuses, lost, placement_before)


# ---- the report and the messages ---------------------------------------------------------

def lk_switch_records(results, loop_var, from_host=None):
    return report.switch_records(results, loop_var, from_host)


def lk_report(the_plan, result, records, placement_before, final_statuses, failure=None, placement_switchovers=None):
    return report.build_report(result, the_plan, records, placement_before, final_statuses, failure,
                               placement_switchovers)


def lk_report_lines(the_report, operation='rolling update'):
    return report.report_lines(the_report, operation)


def lk_combine_reports(reports):
    return report.combine_reports(reports)


def lk_evacuation_failure(node, failed_task, failed_result, brought_back, left_failed, lkroot, not_read=''):
    return report.evacuation_failure_message(node, failed_task, failed_result, brought_back, left_failed, lkroot,
                                             not_read)


def lk_failed_messages(failed_result):
    return report.failed_messages(failed_result)


def lk_move_problems(results, loop_var):
    return report.move_problems(results, loop_var)


def lk_cluster_results(clusters_vars):
    return report.cluster_results(clusters_vars)


def lk_failure_messages(results, inventories, playbook):
    return report.failure_messages(results, inventories, playbook)


class FilterModule(object):
    """hatools.lifekeeper filters."""

    def filters(self):
        return dict((func.__name__, func) for func in (
            lk_version, lk_update_kind, lk_rollback_archive,
            lk_node_reads, lk_by_host, lk_result_problems, lk_unreadable_text, lk_per_host,
            lk_clusters, lk_health, lk_placement, lk_orphans, lk_failed_resources,
            lk_status_lines, lk_health_lines,
            lk_plans, lk_plan_lines, lk_evacuation, lk_moves_back, lk_rescue_moves,
            lk_switch_records, lk_report, lk_report_lines, lk_combine_reports, lk_evacuation_failure,
            lk_failed_messages, lk_move_problems, lk_cluster_results, lk_failure_messages,
        ))
