# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_preflight: the three steps through the task's variables as a play has them - every
node's reads in hostvars, the controller's locks, placement records and earlier reports on
disk - and their endings: a refused run, a refused cluster, a resume's placement."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
from unittest import mock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 renders every string
    def trust_as_template(value):
        return value

from ansible_collections.hatools.lifekeeper.plugins.action import lk_preflight
from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock as lklock

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes
from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.test_preflight import host_info

INVENTORY = """
[erp]
n1
n2
[crm]
c1
c2
[lifekeeper:children]
erp
crm
"""
NOT_REACHED = {'unreachable': True, 'msg': 'the node failed or could not be reached earlier in pre-flight'}


def play_vars(tmp_path, **more):
    inventory = tmp_path / 'hosts.ini'
    inventory.write_text(INVENTORY)
    statuses = two_nodes()
    statuses['c1'], statuses['c2'] = statuses['n1'], statuses['n2']
    hostvars = dict((host, {'__lk_preflight_status': status}) for host, status in statuses.items())
    root = tmp_path / 'artifacts'
    task_vars = {
        'ansible_inventory_sources': [str(inventory)], 'lk_cluster_group': 'lifekeeper',
        'groups': {'all': ['n1', 'n2', 'c1', 'c2'], 'lifekeeper': ['n1', 'n2', 'c1', 'c2'], 'erp': ['n1', 'n2'],
                   'crm': ['c1', 'c2']},
        'ansible_play_hosts_all': ['n1', 'n2', 'c1', 'c2'], 'ansible_play_hosts': ['n1', 'n2', 'c1', 'c2'],
        'hostvars': hostvars, '__lk_not_reached': NOT_REACHED, '__lk_run': 'R2', 'lk_break_lock': False,
        '__lk_artifacts_root': str(root), '__lk_run_dir': str(root / 'R2'),
        '__lk_lock_controller_dir': str(root / 'locks'), '__lk_target': '9.9.0', 'lk_lkroot': '/opt/LifeKeeper',
        'lk_allow_reinstall': False, 'lk_restore_placement': True, 'lk_reinstall_rebuild': '',
        'lk_reinstall_restore_archive': False, 'lk_setup_args': [], 'lk_setup_config_file': '',
        # a default that depends on the cluster, as the defaults role has it
        'lk_placement_file': trust_as_template("{{ __lk_run_dir }}/placement-{{ __lk_cluster }}.json"),
        'lk_fleet_all_or_nothing': False, 'ansible_check_mode': False, 'lk_fleet_parallel': None,
        'lk_fleet_canary': 0,
    }
    task_vars.update(more)
    return task_vars


def run(args, task_vars):
    task = mock.MagicMock(args=dict(args), async_val=0, check_mode=False, diff=False,
                          action='hatools.lifekeeper.lk_preflight')
    connection = mock.MagicMock()
    connection._shell.tmpdir = None
    loader = DataLoader()
    templar = Templar(loader=loader, variables=task_vars)
    action = lk_preflight.ActionModule(task, connection, mock.MagicMock(), loader=loader, templar=templar,
                                       shared_loader_obj=None)
    result = action.run(task_vars=task_vars)
    task_vars.update(result.get('ansible_facts') or {})
    # the nodes read what the clusters step named: here each read finds no lock and no record
    for host in task_vars['ansible_play_hosts']:
        task_vars['hostvars'][host].setdefault('__lk_preflight_host_info', host_info())
    return result


def test_a_fleet_is_grouped_planned_and_admitted(tmp_path):
    task_vars = play_vars(tmp_path)
    grouped = run({'step': 'clusters', 'operation': 'rollback'}, task_vars)
    assert not grouped.get('failed'), grouped
    assert [c['name'] for c in task_vars['__lk_clusters']] == ['erp', 'crm']
    assert task_vars['__lk_preflight_reads']['c2']['lock'] == 'cluster-crm'
    planned = run({'step': 'plan', 'operation': 'rollback'}, task_vars)
    assert not planned.get('failed'), planned
    assert sorted(task_vars['__lk_plans']) == ['crm', 'erp'] and task_vars['__lk_lock_problems'] == {'erp': [], 'crm': []}
    admitted = run({'step': 'admit', 'operation': 'rollback'}, task_vars)
    assert admitted['changed'] is False
    assert task_vars['__lk_fleet']['accepted'] == ['erp', 'crm'] and task_vars['__lk_preflight_refusal'] == ''


def test_a_node_in_two_clusters_stops_the_run_before_any_read(tmp_path):
    task_vars = play_vars(tmp_path)
    (tmp_path / 'hosts.ini').write_text(INVENTORY + '\n[crm]\nn2\n')
    task_vars['groups']['crm'] = ['c1', 'c2', 'n2']
    result = run({'step': 'clusters', 'operation': 'maintenance'}, task_vars)
    assert result['failed'] and result['msg'].startswith('Pre-flight refused the run; nothing was changed on any node: '
                                                         'n2 is in two clusters: erp and crm'), result['msg']


def test_another_runs_controller_lock_refuses_only_its_cluster(tmp_path):
    task_vars = play_vars(tmp_path)
    run({'step': 'clusters', 'operation': 'rollback'}, task_vars)
    taken = lklock.acquire(str(tmp_path / 'artifacts' / 'locks'), 'cluster-crm', 'R1',
                           {'controller': 'ctl9', 'user': 'ops', 'pid': 1, 'cluster': 'crm'}, 'tok')
    assert taken['changed'], taken
    run({'step': 'plan', 'operation': 'rollback'}, task_vars)
    (problem,) = task_vars['__lk_lock_problems']['crm']
    assert problem.startswith('cluster crm is locked by run R1') and task_vars['__lk_lock_problems']['erp'] == []
    run({'step': 'admit', 'operation': 'rollback'}, task_vars)
    assert task_vars['__lk_fleet']['accepted'] == ['erp'] and task_vars['__lk_preflight_refusal'] == ''
    # all or nothing: the whole run stops, naming the refused cluster
    task_vars.update(lk_fleet_all_or_nothing='true')
    run({'step': 'admit', 'operation': 'rollback'}, task_vars)
    assert task_vars['__lk_preflight_refusal'].startswith('Pre-flight refused the rollback; nothing was changed on any '
                                                          'node: cluster crm: REFUSED')


def test_a_resume_plans_back_to_the_placement_it_recorded_and_a_corrupt_record_stops_it(tmp_path):
    task_vars = play_vars(tmp_path)
    run({'step': 'clusters', 'operation': 'rollback'}, task_vars)
    os.makedirs(task_vars['__lk_run_dir'])
    with open(os.path.join(task_vars['__lk_run_dir'], 'placement-erp.json'), 'w') as handle:
        json.dump({'app': 'n2'}, handle)
    run({'step': 'plan', 'operation': 'rollback'}, task_vars)
    assert task_vars['__lk_placement_records'] == {'erp': {'app': 'n2'}, 'crm': {}}
    assert task_vars['__lk_plans']['erp']['placement_before'] == {'app': 'n2'}
    with open(os.path.join(task_vars['__lk_run_dir'], 'placement-erp.json'), 'w') as handle:
        handle.write('{"app": ')
    result = run({'step': 'plan', 'operation': 'rollback'}, task_vars)
    assert result['failed'] and 'placement-erp.json cannot be read' in result['msg'], result
    assert result['msg'].endswith('Nothing was changed')


def test_a_missing_rebuild_file_and_a_missing_operation_are_named(tmp_path):
    task_vars = play_vars(tmp_path, lk_reinstall_rebuild=str(tmp_path / 'no-such.yml'))
    run({'step': 'clusters'}, task_vars)
    result = run({'step': 'plan', 'operation': 'rolling update'}, task_vars)
    assert result['failed'] and result['msg'].startswith("lk_reinstall_rebuild is '%s': no such file on the controller"
                                                         % (tmp_path / 'no-such.yml')), result
    result = run({'step': 'admit'}, task_vars)
    assert result['failed'] and result['msg'] == 'lk_preflight step=admit needs operation'


def test_a_node_not_reached_refuses_its_cluster(tmp_path):
    task_vars = play_vars(tmp_path)
    run({'step': 'clusters', 'operation': 'rollback'}, task_vars)
    # c2 dropped out of the play before its read
    task_vars['ansible_play_hosts'] = ['n1', 'n2', 'c1']
    task_vars['hostvars']['c2'] = {}
    run({'step': 'plan', 'operation': 'rollback'}, task_vars)
    assert task_vars['__lk_lock_problems']['crm'], task_vars['__lk_lock_problems']
    run({'step': 'admit', 'operation': 'rollback'}, task_vars)
    assert task_vars['__lk_fleet']['accepted'] == ['erp']
    assert 'c2: failed or could not be reached in pre-flight' in task_vars['__lk_fleet']['refused']['crm']


def test_an_unsafe_controller_lock_folder_refuses_every_cluster_without_stopping_the_decision(tmp_path):
    task_vars = play_vars(tmp_path)
    run({'step': 'clusters', 'operation': 'rollback'}, task_vars)
    locks_dir = tmp_path / 'artifacts' / 'locks'
    locks_dir.mkdir(parents=True)
    locks_dir.chmod(0o777)
    result = run({'step': 'plan', 'operation': 'rollback'}, task_vars)
    assert not result.get('failed'), result
    for name in ('erp', 'crm'):
        (problem,) = task_vars['__lk_lock_problems'][name]
        assert 'mode 0777' in problem, problem


def test_the_inputs_step_refuses_the_runs_own_inputs_first_then_every_hosts(tmp_path):
    task_vars = play_vars(tmp_path, lk_fleet_parallel=1, lk_fleet_canary=0, lk_target_version='9.9',
                          lk_media='/srv/LKL.iso', lk_media_sha256=None, lk_media_hops=[])
    done = run({'step': 'inputs', 'operation': 'rolling update'}, task_vars)
    assert not done.get('failed') and done['ansible_facts']['__lk_target'] == '9.9.0'
    task_vars['hostvars']['c2']['__lk_input_problems'] = ["lk_update_ready_timeout is 'soon': expected a number"]
    refused = run({'step': 'inputs', 'operation': 'rollback'}, task_vars)
    assert refused['failed'] and refused['msg'].endswith("nothing was changed on any node: "
                                                         "lk_update_ready_timeout is 'soon': expected a number")
    task_vars['lk_media'] = 'relative.iso'
    assert 'lk_media must be the absolute path' in run({'step': 'inputs', 'operation': 'rolling update'}, task_vars)['msg']


def test_the_inputs_step_refuses_a_hook_file_that_is_not_there_and_names_those_that_are(tmp_path):
    hook = tmp_path / 'drain.yml'
    hook.write_text('---\n[]\n')
    task_vars = play_vars(tmp_path, lk_fleet_parallel=1, lk_fleet_canary=0, lk_hook_dir=str(tmp_path),
                          lk_hook_before_evacuate='drain.yml', lk_hook_on_failure='')
    done = run({'step': 'inputs', 'operation': 'maintenance'}, task_vars)
    assert done['ansible_facts']['__lk_hook_lines'] == ['hook before_evacuate: %s' % hook]
    task_vars['lk_hook_after_update'] = 'missing.yml'
    refused = run({'step': 'inputs', 'operation': 'maintenance'}, task_vars)
    assert refused['failed'] and refused['msg'].startswith('Pre-flight refused the run; nothing was changed on any node: '
                                                           "lk_hook_after_update is 'missing.yml': no such file %s"
                                                           % (tmp_path / 'missing.yml'))
