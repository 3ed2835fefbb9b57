# -*- coding: utf-8 -*-
"""The filters: thin wrappers, each documented beside it, bad values refused by name."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import inspect
import os

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.hatools.lifekeeper.plugins.filter import lifekeeper, lk_bigip
from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes, unknown

FILTER_DIR = os.path.dirname(lifekeeper.__file__)
FILTERS = dict(lifekeeper.FilterModule().filters(), **lk_bigip.FilterModule().filters())

# The filters released in 1.0.0 (its plugins/filter/*.yml): a release never changes, so the list is fixed.
FIRST_RELEASE = '1.0.0'
FILTERS_OF_1_0_0 = frozenset([
    'lk_abspath', 'lk_bigip_api_errors', 'lk_bigip_busy', 'lk_bigip_connection', 'lk_bigip_connections',
    'lk_bigip_hold', 'lk_bigip_irule', 'lk_bigip_member_states', 'lk_bigip_members', 'lk_bigip_pools',
    'lk_bigip_release', 'lk_bigip_release_failed', 'lk_bigip_rules_change', 'lk_bigip_take', 'lk_bigip_unique',
    'lk_bigip_virtual_rules', 'lk_bigip_virtuals', 'lk_bring_back', 'lk_by_host', 'lk_check_targets', 'lk_checks',
    'lk_cluster_results', 'lk_clusters', 'lk_combine_reports', 'lk_configured', 'lk_evacuation',
    'lk_evacuation_failure', 'lk_failed_messages', 'lk_failed_resources', 'lk_failure_messages', 'lk_fleet_batches',
    'lk_fleet_refusals', 'lk_fleet_stop', 'lk_health', 'lk_health_lines', 'lk_hops', 'lk_interrupted', 'lk_kits',
    'lk_left_mid_update', 'lk_lock_breaks', 'lk_lock_name', 'lk_lock_note', 'lk_lock_problems', 'lk_move_problems',
    'lk_moves_back', 'lk_node_reads', 'lk_node_record', 'lk_optional_version', 'lk_orphans', 'lk_per_host',
    'lk_placement', 'lk_plan_lines', 'lk_plans', 'lk_progress_records', 'lk_reinstall_caveat',
    'lk_reinstall_problems', 'lk_reinstall_steps', 'lk_report', 'lk_report_lines', 'lk_rescue_moves',
    'lk_result_problems', 'lk_resuming', 'lk_rollback_archive', 'lk_run_id', 'lk_status_lines', 'lk_switch_records',
    'lk_switchover_test', 'lk_unchanged_result', 'lk_unreadable_text', 'lk_update_kind', 'lk_version',
])
# Removed in 2.0.0 (their logic moved into controller code, lk_cluster_record; changelog breaking_changes)
REMOVED_IN_2_0_0 = frozenset(['lk_by_host', 'lk_health_lines', 'lk_node_record', 'lk_report', 'lk_rescue_moves',
                              'lk_unchanged_result',
                              # pre-flight's decisions, now the action lk_preflight's
                              'lk_check_targets', 'lk_checks', 'lk_configured', 'lk_fleet_batches',
                              'lk_fleet_refusals', 'lk_plans', 'lk_reinstall_problems', 'lk_resuming',
                              # renamed lk_left_part_way: a rollback or a maintenance leaves nodes part-way too
                              'lk_left_mid_update',
                              # the report reads each cluster's result from its record (lk_cluster_record op=results)
                              'lk_cluster_results'])
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


def _load(*path):
    with open(os.path.join(REPO, *path)) as handle:
        return yaml.safe_load(handle)


def _later_releases():
    """The release being prepared (galaxy.yml) and those released after 1.0.0 (changelogs/changelog.yaml)."""
    released = set((_load('changelogs', 'changelog.yaml').get('releases') or {}).keys())
    return (released | {str(_load('galaxy.yml')['version'])}) - {FIRST_RELEASE}


def _doc(name):
    with open(os.path.join(FILTER_DIR, name + '.yml')) as handle:
        return yaml.safe_load(handle)


def test_every_doc_is_a_filter():
    docs = sorted(f[:-4] for f in os.listdir(FILTER_DIR) if f.endswith('.yml'))
    assert docs == sorted(FILTERS)


@pytest.mark.parametrize('name', sorted(FILTERS))
def test_every_filter_is_documented_with_its_parameters(name):
    doc = _doc(name)
    assert doc['DOCUMENTATION']['name'] == name
    assert doc['EXAMPLES'].strip() and doc['RETURN']['_value']['description']
    params = list(inspect.signature(FILTERS[name]).parameters)
    options = doc['DOCUMENTATION']['options']
    assert list(options) == ['_input'] + params[1:], name
    positional = doc['DOCUMENTATION'].get('positional', '')
    assert [p.strip() for p in positional.split(',') if p.strip()] == params[1:]
    for param, value in inspect.signature(FILTERS[name]).parameters.items():
        if param != params[0] and value.default is inspect.Parameter.empty:
            assert options[param].get('required'), '%s: %s is required' % (name, param)


def test_the_filters_of_1_0_0_still_exist_unless_removed_by_a_major_release():
    assert FILTERS_OF_1_0_0 - set(FILTERS) == REMOVED_IN_2_0_0
    fragments = os.path.join(REPO, 'changelogs', 'fragments')
    said = ' '.join(str(entry) for name in os.listdir(fragments)
                    for entry in (_load('changelogs', 'fragments', name) or {}).get('breaking_changes') or [])
    assert [name for name in sorted(REMOVED_IN_2_0_0) if name not in said] == []


@pytest.mark.parametrize('name', sorted(FILTERS))
def test_version_added_is_the_release_that_brought_the_filter(name):
    """1.0.0 for a filter released in 1.0.0; a newer filter names a later release (the one being prepared in
    galaxy.yml, or one in changelogs/changelog.yaml), never 1.0.0."""
    version = str(_doc(name)['DOCUMENTATION']['version_added'])
    if name in FILTERS_OF_1_0_0:
        assert version == FIRST_RELEASE, name
    else:
        assert version in _later_releases(), '%s: version_added %s, expected one of %s' % (
            name, version, sorted(_later_releases()))


@pytest.mark.parametrize('call, says', [
    (lambda: FILTERS['lk_version']('9.x'), "'9.x'"),
    (lambda: FILTERS['lk_version'](''), 'lk_target_version is not set'),
    (lambda: FILTERS['lk_update_kind']('9.7.0', 'nine'), "'nine'"),
    (lambda: FILTERS['lk_health']([]), 'lk_health expects a dict of node statuses by host, got'),
    (lambda: FILTERS['lk_clusters']('lk', {'all': [], 'lifekeeper': []}, []), "lk_cluster_group is 'lk': no such inventory group"),
])
def test_bad_values_are_refused_by_name(call, says):
    with pytest.raises(AnsibleFilterError, match=says):
        call()


def test_wrappers_pass_through():
    statuses = two_nodes()
    statuses['n3'] = unknown('unreachable: x')
    assert FILTERS['lk_unreadable_text'](statuses) == 'n3 (unreachable: x)'
    assert FILTERS['lk_health'](two_nodes(), '9.9.0') == [
        'n1: LifeKeeper 9.7.0 is installed, expected 9.9.0', 'n2: LifeKeeper 9.7.0 is installed, expected 9.9.0']
    assert FILTERS['lk_per_host'](['a', 'b'], {'a': {'x': 1, 'y': 0}, 'b': {'x': 2}}, 'x') == {'a': 1, 'b': 2}
    # with a placement record: where each hierarchy must be in service
    where = FILTERS['lk_placement'](two_nodes())
    assert where and FILTERS['lk_health'](two_nodes(), None, where) == []
    (moved,) = FILTERS['lk_health'](two_nodes(), None, dict((tag, 'n9') for tag in where))
    assert moved.startswith('placement differs from the record: recorded ') and '; now ' in moved, moved
    with pytest.raises(AnsibleFilterError, match='lk_health expects placement as a dict'):
        FILTERS['lk_health'](two_nodes(), None, ['n1'])
    assert FILTERS['lk_membership'](two_nodes()) == []
    (left_out,) = FILTERS['lk_membership']({'n1': two_nodes()['n1']})
    assert left_out.startswith('n1: LifeKeeper there knows node2, not a node of this inventory group'), left_out
    with pytest.raises(AnsibleFilterError, match='lk_membership expects a dict'):
        FILTERS['lk_membership'](['n1'])
    found = FILTERS['lk_discover']({'n1': two_nodes()['n1']}, {'n1': None})
    assert found['inventory'] == {'lifekeeper': {'children': {'lk_node1': {'hosts': {'n1': {}, 'node2': {
        'ansible_host': 'b'}}}}}}
    with pytest.raises(AnsibleFilterError, match='lk_discover expects addresses as a dict'):
        FILTERS['lk_discover'](two_nodes(), ['n1'])
    grouping = FILTERS['lk_clusters']('lifekeeper', {'lifekeeper': ['n1', 'n2'], 'erp': ['n1', 'n2']}, ['erp'],
                                      ['n1', 'n2'])
    assert grouping == {'clusters': [{'name': 'erp', 'hosts': ['n1', 'n2'], 'leader': 'n1'}], 'problems': []}
    evacuation = FILTERS['lk_evacuation'](two_nodes(), 'n1', '', ['n1', 'n2'])
    assert [m['to'] for m in evacuation['moves']] == ['n2'] and evacuation['problems'] == []
    assert FILTERS['lk_evacuation'](two_nodes(), 'n1', '', ['n1', 'n2'], ['n2']) == evacuation
    reboot = {'kernel': '4.18.0-513.el8.x86_64', 'boot_kernel': '4.18.0-553.el8_10.x86_64'}
    assert FILTERS['lk_kernel_problem'](reboot, 'n1', ['4.18.0-553.*']) == ''
    assert FILTERS['lk_kernel_problem'](reboot, 'n1', ['4.18.0-513.*']).startswith('n1 would boot kernel 4.18.0-553')
    with pytest.raises(AnsibleFilterError, match='lk_kernel_problem expects the reboot result'):
        FILTERS['lk_kernel_problem'](['x'], 'n1', [])


def test_per_host_default_fills_hosts_that_lack_the_variable():
    hostvars = {'n1': {'x': 1}, 'n2': {}}
    assert FILTERS['lk_per_host'](['n1', 'n2'], hostvars, 'x', None) == {'n1': 1, 'n2': None}
    with pytest.raises(KeyError):
        FILTERS['lk_per_host'](['n1', 'n2'], hostvars, 'x')


def test_fleet_filters():
    hostvars = {'a1': {'__lk_cluster_result': {'cluster': 'a', 'report': {'result': 'failed'}}}, 'b1': {}}
    assert 'canary cluster(s) a (failed)' in FILTERS['lk_fleet_stop'](['a1'], hostvars)
    assert FILTERS['lk_fleet_stop']([], hostvars) == ''
