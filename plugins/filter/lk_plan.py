# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the rolling update: the plan from every node's lk_status, and version checks."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.hatools.lifekeeper.plugins.module_utils import plan as lk_plan_utils
from ansible_collections.hatools.lifekeeper.plugins.module_utils import report as lk_report_utils
from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import parse_version, update_path


def _bool(value):
    # AWX surveys and extra vars deliver booleans as strings.
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ('1', 'true', 'yes', 'on', 'y'):
        return True
    if str(value).strip().lower() in ('0', 'false', 'no', 'off', 'n', ''):
        return False
    raise AnsibleFilterError('invalid boolean %r: expected true or false' % (value,))


def lk_version(value):
    """Normalise a LifeKeeper version ('v9.9' -> '9.9.0'); fail naming the value otherwise."""
    try:
        return str(parse_version(str(value)))
    except ValueError as exc:
        raise AnsibleFilterError(str(exc))


def lk_plan(statuses, target_version, allow_reinstall=False, restore_placement=True, order=None):
    """The rolling-update plan (see module_utils/plan.py)."""
    if not isinstance(statuses, dict) or not statuses:
        raise AnsibleFilterError('lk_plan expects a non-empty dict of lk_status results by host')
    try:
        return lk_plan_utils.build(statuses, str(target_version), _bool(allow_reinstall),
                                   _bool(restore_placement), order)
    except ValueError as exc:
        raise AnsibleFilterError(str(exc))


def lk_evacuation(statuses, host, target_version=None):
    """Moves that empty host now: {'moves': [...], 'problems': [...]}."""
    moves, problems = lk_plan_utils.evacuation_moves(host, statuses, target_version)
    return {'moves': moves, 'problems': problems}


def lk_orphans(statuses, expected):
    """Hierarchies (of expected) in service on no node."""
    return lk_plan_utils.orphans(statuses, expected)


def lk_placement(statuses):
    """{hierarchy: host} where each hierarchy is in service."""
    return lk_plan_utils.placement(statuses)


def lk_health(statuses, target_version=None):
    """Problems of the cluster now (paths, OSF, hierarchies, versions)."""
    problems = lk_plan_utils.health_problems(statuses)
    if target_version:
        for host, status in sorted(statuses.items()):
            if status.get('version') != str(target_version):
                problems.append('%s: LifeKeeper %s is installed, expected %s'
                                % (host, status.get('version'), target_version))
    return problems


def lk_update_kind(installed, target_version):
    """fresh | none | direct | reinstall | downgrade for installed -> target_version."""
    try:
        return update_path(installed or None, str(target_version)).kind
    except ValueError as exc:
        raise AnsibleFilterError(str(exc))


def lk_moves_back(before, statuses):
    """Switchovers that restore the recorded placement before ({tag: host})."""
    return lk_plan_utils.moves_back(before, statuses)


def lk_switch_records(results, loop_var, from_host=None):
    """Switchover records from registered lk_resource_switch loop results."""
    return lk_report_utils.switch_records(results, loop_var, from_host)


def lk_report(plan, result, records, placement_before, final_statuses, failure=None, placement_switchovers=None):
    """The rolling-update report (see module_utils/report.py)."""
    return lk_report_utils.build(result, plan, records, placement_before, final_statuses, failure,
                                 placement_switchovers)


def lk_report_lines(report):
    """The report's human summary."""
    return lk_report_utils.summary(report)


def lk_rescue_moves(statuses, lost, placement_before=None):
    """Where to bring back hierarchies in service nowhere."""
    return lk_plan_utils.rescue_moves(statuses, lost, placement_before)


def lk_plan_lines(plan):
    """The plan as lines for a human."""
    return lk_plan_utils.render(plan)


class FilterModule(object):
    def filters(self):
        return {
            'lk_version': lk_version,
            'lk_plan': lk_plan,
            'lk_plan_lines': lk_plan_lines,
            'lk_rescue_moves': lk_rescue_moves,
            'lk_switch_records': lk_switch_records,
            'lk_report': lk_report,
            'lk_report_lines': lk_report_lines,
            'lk_moves_back': lk_moves_back,
            'lk_update_kind': lk_update_kind,
            'lk_evacuation': lk_evacuation,
            'lk_orphans': lk_orphans,
            'lk_placement': lk_placement,
            'lk_health': lk_health,
        }
