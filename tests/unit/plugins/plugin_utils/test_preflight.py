# -*- coding: utf-8 -*-
"""Pre-flight's decisions: the clusters, each node's read, the plans, which clusters go on."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import preflight
from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes

CLUSTER = {'name': 'erp', 'hosts': ['n1', 'n2'], 'leader': 'n1'}
HOPS = [{'version': '9.9.0', 'media': '/srv/LKL_V9.9.0.iso', 'media_sha256': ''}]
HOLDER = {'run_id': 'R1', 'owner': {'controller': 'ctl1', 'user': 'ops', 'pid': 4242, 'cluster': 'erp'},
          'token': 'tok-r1', 'time': 100.0, 'created': '2026-11-22T02:30:00.000Z'}
CHECK_OPTIONS = {'skip': [], 'accept_perl_change': False, 'license_files': [], 'media_access': 'loop',
                 'min_free_mb': {}, 'backup_dir': '/var/lib/hatools-lifekeeper/backups', 'mirror_numbers': {},
                 'supported_kernels': []}


def host_info(holder=None, record=None, placement=None):
    """An lk_host_info result with only the lock, the progress record and the placement copy read."""
    return {'changed': False, 'facts': {},
            'lock': {'path': '/var/lib/hatools-lifekeeper/lock/cluster-erp.lock', 'holder': holder,
                     'age_s': 12.0 if holder else None, 'fingerprint': 'a' * 64 if holder else None,
                     'process': 'unknown' if holder else None, 'error': None},
            'records': [{'path': '/var/lib/hatools-lifekeeper/update-progress.json', 'content': record},
                        {'path': '/var/lib/hatools-lifekeeper/placement-R2.json', 'content': placement}]}


def controller(holder=None, process=None):
    return {'__lk_lock_cluster': CLUSTER, 'path': '/a/locks/cluster-erp.lock', 'holder': holder,
            'age_s': 3.0 if holder else None, 'fingerprint': 'c' * 64 if holder else None, 'process': process,
            'host': 'ctl1'}


def settings(**more):
    base = {'break_lock': False, 'lkroot': '/opt/LifeKeeper', 'version': '9.9.0', 'allow_reinstall': False,
            'restore_placement': True, 'placement_records': {'erp': {}}, 'hops': None, 'check_options': None,
            'setup_config': True, 'rebuild': '', 'restore_archive': False, 'report_texts': []}
    base.update(more)
    return base


def decide(statuses=None, reads=None, locks=None, operation='rollback', run_id='R2', **more):
    return preflight.decide(operation, [CLUSTER], statuses or two_nodes(),
                            reads or {'n1': host_info(), 'n2': host_info()}, locks or [controller()], run_id,
                            settings(**more))


def test_clusters_of_a_group_with_child_groups_and_the_problems_that_stop_the_run():
    groups = {'lifekeeper': ['n1', 'n2', 'n3'], 'erp': ['n1', 'n2'], 'crm': ['n2', 'n3']}
    with pytest.raises(ValueError) as problem:
        preflight.clusters('lifekeeper', groups, ['erp', 'crm'], ['n1', 'n2', 'n3'])
    assert str(problem.value).startswith('Pre-flight refused the run; nothing was changed on any node: n2 is in two '
                                         'clusters: erp and crm')
    with pytest.raises(ValueError, match="lk_cluster_group is 'lk': no such inventory group"):
        preflight.clusters('lk', groups, [], ['n1'])
    assert preflight.clusters('lifekeeper', {'lifekeeper': ['n1', 'n2'], 'erp': ['n1', 'n2']}, ['erp'],
                              ['n1', 'n2']) == [CLUSTER]


def test_an_update_reads_the_checks_targets_the_media_and_the_lock_other_operations_the_lock_only():
    reads = preflight.node_reads([CLUSTER], two_nodes(), CHECK_OPTIONS, ['/srv/LKL_V9.9.0.iso'])
    assert reads['n1']['lock'] == 'cluster-erp' and reads['n1']['files'] == ['/srv/LKL_V9.9.0.iso']
    assert reads['n1']['packages'] == ['sg3_utils'] and reads['n1']['paths']
    plain = preflight.node_reads([CLUSTER], {})
    assert plain['n2'] == {'paths': [], 'names': [], 'connect': [], 'packages': [], 'files': [], 'lock': 'cluster-erp'}
    with pytest.raises(ValueError, match='lk_preflight_skip'):
        preflight.node_reads([CLUSTER], two_nodes(), dict(CHECK_OPTIONS, skip=['no_such_check']))


def test_a_free_cluster_is_planned_and_its_plan_shown():
    facts = decide()
    assert facts['__lk_lock_problems'] == {'erp': []}
    plan = facts['__lk_plans']['erp']
    assert plan['operation'] == 'rollback' and sorted(plan['order']) == ['n1', 'n2'] and plan['problems'] == []
    assert facts['__lk_preflight_lines'][0].startswith('LifeKeeper rollback')
    assert facts['__lk_configured'] == {'n1': ['app'], 'n2': ['app']}
    assert facts['__lk_resuming'] == {} and facts['__lk_reinstall_problems'] == []
    # the take compares against exactly what was read (a loop's registered shape)
    assert [r['__lk_lock_host'] for r in facts['__lk_lock_node_queries']['results']] == ['n1', 'n2']
    assert facts['__lk_lock_controller_queries']['results'] == [controller()]


def test_another_runs_lock_refuses_the_cluster_and_a_named_break_is_said_first():
    reads = {'n1': host_info(HOLDER), 'n2': host_info()}
    facts = decide(reads=reads)
    (problem,) = facts['__lk_lock_problems']['erp']
    assert problem.startswith('cluster erp is locked by run R1') and 'lk_break_lock=R1' in problem
    broken = decide(reads=reads, break_lock='R1')
    assert broken['__lk_lock_problems'] == {'erp': []}
    assert broken['__lk_preflight_lines'][0].startswith('cluster erp, n1: the lock of run R1')
    assert broken['__lk_preflight_lines'][0].endswith('will be broken')


def test_an_unread_node_counts_as_holding_its_lock():
    facts = decide(reads={'n1': host_info(), 'n2': {'unreachable': True, 'msg': 'not reached'}})
    assert facts['__lk_lock_problems']['erp'], facts['__lk_lock_problems']


def test_a_reinstall_this_run_left_is_resumed_and_one_of_another_run_refused():
    statuses = two_nodes()
    statuses['n2'] = dict(statuses['n2'], installed=False, running=False, resources=[])
    record = {'run_id': 'R2', 'step': 'removing', 'archive': '/var/lib/hatools-lifekeeper/backups/n2.tar.gz'}
    facts = decide(statuses=statuses, reads={'n1': host_info(), 'n2': host_info(record=record)}, run_id='R2',
                   operation='rolling update', check_options=None)
    assert list(facts['__lk_resuming']) == ['n2'] and facts['__lk_reinstall_problems'] == []
    other = decide(statuses=statuses, reads={'n1': host_info(), 'n2': host_info(record=record)}, run_id='R3',
                   operation='rolling update')
    assert other['__lk_resuming'] == {}
    assert other['__lk_reinstall_problems'][0].startswith('n2: ')


def test_the_placement_copies_an_earlier_attempt_kept_are_passed_on_and_an_unread_node_has_none():
    reads = {'n1': host_info(placement={'app-web': 'n1'}), 'n2': dict(host_info(), failed=True)}
    facts = decide(reads=reads)
    assert facts['__lk_placement_copies_seen'] == {'n1': {'app-web': 'n1'}, 'n2': None}
    # a node that read only its progress record (an older flow's read) has no copy
    older = dict(host_info(), records=host_info()['records'][:1])
    assert preflight.placement_copies({'n1': older, 'n2': None}) == {'n1': None, 'n2': None}


def test_a_9x_update_without_the_setup_configuration_stops_before_any_change():
    with pytest.raises(ValueError) as problem:
        decide(operation='rolling update', hops=HOPS, check_options=CHECK_OPTIONS, setup_config=False)
    assert str(problem.value).startswith('setup of 9.9.0 needs lk_setup_config_file')
    assert str(problem.value).endswith('Nothing was changed')


def test_an_update_evaluates_the_vendors_checks_into_its_plan():
    statuses = two_nodes()
    facts = decide(statuses=statuses, operation='rolling update', hops=HOPS, check_options=CHECK_OPTIONS)
    rows = facts['__lk_check_results']['erp']
    assert rows and set(row['node'] for row in rows) == {'n1', 'n2'}
    assert facts['__lk_plans']['erp']['target_version'] == '9.9.0'


def test_a_bad_value_is_named():
    with pytest.raises(ValueError, match="lk_allow_reinstall is 'perhaps'"):
        decide(allow_reinstall='perhaps')
    with pytest.raises(ValueError, match="operation is 'upgrade'"):
        preflight.refused_what('upgrade')


def test_every_moved_hierarchy_gets_a_prediction_and_an_unreadable_report_is_passed_over():
    report = {'run_id': 'R0', 'clusters': {'erp': {'switchovers': [
        {'tag': 'app', 'from': 'n1', 'to': 'n2', 'downtime_s': 4.0}]}}}
    facts = decide(report_texts=[json.dumps(report), 'not json'])
    plan = facts['__lk_plans']['erp']
    assert set(plan['predicted_outages']) == {'app'} and isinstance(plan['earlier_runs'], list)
    assert any('predicted outage' in line for line in facts['__lk_preflight_lines'])


def admit(plans, failures=None, reached=('n1', 'n2'), **more):
    options = {'all_or_nothing': False, 'check_mode': False, 'parallel': None, 'canary': 0}
    options.update(more)
    return preflight.admit('rolling update', [CLUSTER, {'name': 'crm', 'hosts': ['c1', 'c2'], 'leader': 'c1'}],
                           plans, {}, failures or {}, list(reached) + ['c1', 'c2'], [], options)


def test_a_refused_cluster_does_not_stop_the_others_unless_all_or_nothing_or_check_mode():
    plans = {'erp': {'problems': []}, 'crm': {'problems': []}}
    accepted = admit(plans)
    assert accepted['__lk_fleet']['accepted'] == ['erp', 'crm'] and accepted['__lk_preflight_refusal'] == ''
    assert accepted['__lk_fleet_order']['hosts'][:1] == ['n1']
    one_lost = admit(plans, reached=['n1'])
    assert one_lost['__lk_fleet']['refused'] == {'erp': ['n2: failed or could not be reached in pre-flight']}
    assert one_lost['__lk_preflight_refusal'] == ''
    for stop in (admit(plans, reached=['n1'], all_or_nothing='yes'), admit(plans, reached=['n1'], check_mode=True)):
        assert stop['__lk_preflight_refusal'].startswith(
            'Pre-flight refused the update; nothing was changed on any node: cluster erp: REFUSED, ')


def test_the_refusal_of_a_single_cluster_names_its_problems():
    refusal = preflight.admit('maintenance', [CLUSTER], {'erp': {'problems': []}}, {}, {'n2': 'boom'}, ['n1', 'n2'],
                              [], {})['__lk_preflight_refusal']
    assert refusal == 'Pre-flight refused the maintenance; nothing was changed on any node: n2: boom'


def test_a_maintenance_empties_the_standby_first_and_a_node_without_a_status_is_named():
    plan = decide(operation='maintenance', version='')['__lk_plans']['erp']
    assert plan['order'] == ['n2', 'n1'] and plan['expected_switchovers'] == 2
    with pytest.raises(ValueError, match='cluster erp has nodes without a status: n2'):
        decide(statuses={'n1': two_nodes()['n1']})


@pytest.mark.parametrize('given, says', [
    (('9.x', '/srv/a.iso', '', None), "'9.x'"),
    (('', '/srv/a.iso', '', None), 'lk_target_version is not set'),
    ((9.9, '/srv/a.iso', '', None), 'lk_target_version is the number 9.9'),
    (('9.9.0', 'LKL.iso', '', None), "lk_media must be the absolute path of the product ISO on the nodes (got 'LKL.iso')"),
    (('9.9.0', '/srv/a.iso', 'abc', None), "lk_media_sha256 is 'abc': expected 64 hexadecimal digits"),
])
def test_the_update_inputs_the_specs_cannot_check_are_named(given, says):
    with pytest.raises(ValueError) as problem:
        preflight.update_inputs(*given)
    assert says in str(problem.value)


def test_the_update_inputs_give_the_target_and_every_hop_with_its_media():
    # an unanswered optional AWX survey question arrives as null: no checksum
    found = preflight.update_inputs('v9.9', '/srv/a.iso', None, [{'version': '9.8', 'media': '/srv/b.iso'}])
    assert found['__lk_target'] == '9.9.0'
    assert [(hop['version'], hop['media']) for hop in found['__lk_hops']] == [('9.8.0', '/srv/b.iso'),
                                                                              ('9.9.0', '/srv/a.iso')]
    with pytest.raises(ValueError, match="lk_fleet_parallel is 'x'"):
        preflight.fleet_inputs('x', 0)
    preflight.fleet_inputs('2', '1')


def test_every_hosts_bad_inputs_are_named_once_each():
    preflight.refuse_inputs({'n1': [], 'n2': None})
    with pytest.raises(ValueError) as refused:
        preflight.refuse_inputs({'n1': ["lk_evacuate_timeout is 'x'"], 'n2': ["lk_evacuate_timeout is 'x'", 'lk_a b']})
    assert str(refused.value) == ("Pre-flight refused the run; nothing was changed on any node: "
                                  "lk_evacuate_timeout is 'x'; lk_a b")
