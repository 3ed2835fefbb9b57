# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""make bench's cost per task (tests/bench/task_cost.py and the lk_task_cost callback): the
accounting on given readings, the summary bench.json records, and the callback in a real
ansible-playbook run on local hosts (its result counts against Ansible's own PLAY RECAP)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest
from ansible.release import __version__ as ansible_version

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'bench')
sys.path.insert(0, BENCH)
import task_cost  # noqa: E402  pylint: disable=wrong-import-position


def at(wall, busy, containers=0.0, main=0.0):
    return task_cost.reading(wall, busy, containers, main)


def ledger_of_two_tasks(containers=True):
    def c(value):
        return value if containers else None
    ledger = task_cost.TaskCostLedger(at(100.0, 10.0, c(1.0), 0.5))
    ledger.play_started('Stage 1', now=at(100.5, 10.25, c(1.0), 0.55))
    ledger.task_started('Read the status', 'preflight', '/x/roles/preflight/tasks/main.yml:3',
                        now=at(101.0, 10.5, c(1.0), 0.6))
    ledger.task_result('Read the status', 'preflight', '/x/roles/preflight/tasks/main.yml:3', 'ok')
    ledger.task_result('Read the status', 'preflight', '/x/roles/preflight/tasks/main.yml:3', 'ok')
    ledger.task_result('Read the status', 'preflight', '/x/roles/preflight/tasks/main.yml:3', 'changed')
    ledger.task_started('Install', 'update', '/x/roles/update/tasks/install.yml:9', now=at(103.0, 12.5, c(1.5), 0.9))
    ledger.task_result('Install', 'update', '/x/roles/update/tasks/install.yml:9', 'skipped')
    ledger.task_result('Install', 'update', '/x/roles/update/tasks/install.yml:9', 'failed')
    # the same task started again (a task file included once more): one entry, two starts
    ledger.task_started('Read the status', 'preflight', '/x/roles/preflight/tasks/main.yml:3',
                        now=at(107.0, 18.5, c(3.5), 1.0))
    return ledger.finish(at(108.0, 19.0, c(3.5), 1.25), recap={
        'n1': {'ok': 2, 'changed': 1, 'failures': 1, 'skipped': 0, 'unreachable': 0, 'rescued': 0, 'ignored': 0},
        'n2': {'ok': 1, 'changed': 0, 'failures': 0, 'skipped': 1, 'unreachable': 0, 'rescued': 1, 'ignored': 1}})


def test_each_interval_is_charged_to_the_task_that_was_running():
    document = ledger_of_two_tasks()
    by_name = {task['name']: task for task in document['tasks']}
    assert [(task['play'], task['name']) for task in document['tasks']] == [
        (None, task_cost.BEFORE_TASKS), ('Stage 1', task_cost.PLAY_START), ('Stage 1', 'Read the status'),
        ('Stage 1', 'Install')]
    assert (by_name[task_cost.BEFORE_TASKS]['wall_s'], by_name[task_cost.BEFORE_TASKS]['busy_cpu_s']) == (0.5, 0.25)
    assert (by_name[task_cost.PLAY_START]['wall_s'], by_name[task_cost.PLAY_START]['busy_cpu_s']) == (0.5, 0.25)
    status = by_name['Read the status']
    # 101 -> 103 and 107 -> 108
    assert (status['starts'], status['wall_s'], status['busy_cpu_s']) == (2, 3.0, 2.5)
    assert (status['containers_cpu_s'], status['controller_cpu_s']) == (0.5, 2.0)
    assert status['main_process_cpu_s'] == pytest.approx(0.55)
    install = by_name['Install']
    assert (install['starts'], install['wall_s'], install['busy_cpu_s'], install['controller_cpu_s']) == (1, 4.0, 6.0, 4.0)
    assert status['results'] == {'ok': 2, 'changed': 1, 'failed': 0, 'ignored': 0, 'skipped': 0, 'unreachable': 0}
    assert install['results']['skipped'] == 1 and install['results']['failed'] == 1
    assert document['totals'] == {'wall_s': 8.0, 'busy_cpu_s': 9.0, 'containers_cpu_s': 2.5, 'controller_cpu_s': 6.5,
                                  'main_process_cpu_s': 0.75}


def test_without_the_containers_cpu_the_controller_share_is_unknown():
    document = ledger_of_two_tasks(containers=False)
    assert {task['controller_cpu_s'] for task in document['tasks']} == {None}
    assert document['totals']['containers_cpu_s'] is None and document['totals']['busy_cpu_s'] == 9.0
    summary = task_cost.summarise(document)
    assert summary['cpu_by_role'][0]['controller_cpu_s'] is None
    assert summary['cpu_by_play'][0]['busy_cpu_s'] == 8.75


def test_an_unknown_status_is_refused():
    ledger = task_cost.TaskCostLedger(at(0.0, 0.0))
    with pytest.raises(ValueError, match="unknown result status 'done'.*ok, changed"):
        ledger.task_result('t', None, 'p.yml:1', 'done')


def test_task_results_are_the_play_recap_sum():
    results = task_cost.task_results(ledger_of_two_tasks())
    # ok 3 + failures 1 + skipped 1 + rescued 1; changed and ignored are inside ok
    assert results == {'total': 6, 'by_status': {'ok': 3, 'failures': 1, 'unreachable': 0, 'skipped': 1,
                                                 'rescued': 1, 'changed': 1, 'ignored': 1}}


def test_summary_ranks_tasks_and_sums_by_role_and_file():
    summary = task_cost.summarise(ledger_of_two_tasks(), top=2, roots=['/x'])
    assert [(t['name'], t['path']) for t in summary['top_tasks']] == [
        ('Install', 'roles/update/tasks/install.yml:9'), ('Read the status', 'roles/preflight/tasks/main.yml:3')]
    assert summary['top_tasks'][0]['results'] == {'failed': 1, 'skipped': 1}
    assert [(r['name'], r['busy_cpu_s'], r['results'], r['starts']) for r in summary['cpu_by_role']] == [
        ('update', 6.0, 2, 1), ('preflight', 2.5, 2, 2), ('(playbook, no role)', 0.5, 0, 0)]
    assert [(r['name'], r['wall_s'], r['tasks']) for r in summary['cpu_by_file']] == [
        ('roles/update/tasks/install.yml', 4.0, 1), ('roles/preflight/tasks/main.yml', 3.0, 1), ('(none)', 1.0, 2)]
    assert [(r['name'], r['wall_s']) for r in summary['cpu_by_play']] == [('Stage 1', 7.5), ('(no play)', 0.5)]
    totals = summary['task_cost_totals']
    assert (totals['tasks'], totals['starts'], totals['results_seen'], totals['busy_cpu_s']) == (4, 3, 4, 9.0)
    assert summary['task_results']['total'] == 6
    lines = task_cost.cost_table(summary)
    assert lines[0].startswith('task_results = 6 (PLAY RECAP: ok 3, failures 1')
    assert any(line.startswith('  update ') and ' 6.0 ' in line for line in lines)


@pytest.mark.parametrize('path,expected', [
    ('/a/.cache/collections/ansible_collections/hatools/lifekeeper/roles/update/tasks/main.yml:4',
     'roles/update/tasks/main.yml:4'),
    ('/repo/playbooks/rolling_update.yml:10', 'playbooks/rolling_update.yml:10'),
    ('/elsewhere/play.yml:1', '/elsewhere/play.yml:1'),
    (None, None),
])
def test_short_path(path, expected):
    assert task_cost.short_path(path, roots=['/repo/']) == expected


def test_task_file_drops_the_line_only():
    assert task_cost.task_file('roles/a/tasks/main.yml:12') == 'roles/a/tasks/main.yml'
    assert task_cost.task_file('C:name') == 'C:name'
    assert task_cost.task_file(None) is None


PLAYBOOK = """
- name: Cost per task
  hosts: nodes
  gather_facts: false
  tasks:
    - name: Sleep a little
      ansible.builtin.command: sleep 0.3
      changed_when: false
    - name: Include a task file twice
      ansible.builtin.include_tasks: step.yml
      loop: [1, 2]
    - name: A role
      ansible.builtin.include_role:
        name: costly
    - name: Fail on one host, rescued
      block:
        - name: Fail on n1
          ansible.builtin.fail:
            msg: planned
          when: inventory_hostname == 'n1'
      rescue:
        - name: Rescue
          ansible.builtin.debug:
            msg: rescued
"""
STEP = """
- name: A step
  ansible.builtin.debug:
    msg: "{{ item }}"
"""
ROLE_TASKS = """
- name: Burn some CPU on the controller
  ansible.builtin.set_fact:
    burnt: "{{ range(200000) | sum }}"
- name: Skipped everywhere
  ansible.builtin.debug:
    msg: never
  when: false
"""


def test_the_callback_in_a_real_run_matches_the_play_recap(tmp_path):
    (tmp_path / 'hosts.ini').write_text('[nodes]\nn1\nn2\n[nodes:vars]\nansible_connection=local\n')
    (tmp_path / 'play.yml').write_text(PLAYBOOK)
    (tmp_path / 'step.yml').write_text(STEP)
    (tmp_path / 'roles' / 'costly' / 'tasks').mkdir(parents=True)
    (tmp_path / 'roles' / 'costly' / 'tasks' / 'main.yml').write_text(ROLE_TASKS)
    out = tmp_path / 'cost.json'
    env = dict(os.environ, ANSIBLE_HOME=str(tmp_path / 'home'), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_CALLBACK_PLUGINS=os.path.join(BENCH, 'callback_plugins'),
               ANSIBLE_CALLBACKS_ENABLED='lk_task_cost', **{task_cost.OUTPUT_ENV: str(out)})
    playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    done = subprocess.run([playbook, '-i', str(tmp_path / 'hosts.ini'), str(tmp_path / 'play.yml')], env=env,
                          cwd=str(tmp_path), capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    document = json.loads(out.read_text())
    by_name = {task['name']: task for task in document['tasks']}
    # one result per host and task, as the callback counts them, is what the PLAY RECAP counts,
    # but for include_tasks on ansible-core 2.19: its recap counts one ok per host and file
    # loaded (2 loop items: 4), the callback the include task's result per host (2); 2.16's
    # recap counts the include task's result per host, as the callback does
    include_extra = 2 if tuple(int(part) for part in ansible_version.split('.')[:2]) >= (2, 19) else 0
    seen = task_cost.summarise(document)['task_cost_totals']['results_seen']
    assert seen == 17 and task_cost.task_results(document)['total'] == seen + include_extra
    assert document['recap']['rescued'] == 1 and by_name['Fail on n1']['results'] == dict(
        by_name['Fail on n1']['results'], failed=1, skipped=1)
    assert by_name['A step']['starts'] == 2 and by_name['A step']['results']['ok'] == 4
    assert by_name['Skipped everywhere']['results']['skipped'] == 2
    assert by_name['Burn some CPU on the controller']['role'] == 'costly'
    assert by_name['Burn some CPU on the controller']['path'] == '%s:2' % (tmp_path / 'roles/costly/tasks/main.yml')
    assert by_name['Sleep a little']['role'] is None and by_name['Sleep a little']['wall_s'] >= 0.3
    assert {task['play'] for task in document['tasks']} == {None, 'Cost per task'}
    # every interval from the first reading to the PLAY RECAP belongs to one entry
    assert sum(task['wall_s'] for task in document['tasks']) == pytest.approx(document['totals']['wall_s'], abs=0.01)
    assert sum(task['busy_cpu_s'] for task in document['tasks']) == pytest.approx(
        document['totals']['busy_cpu_s'], abs=0.01)
    assert document['totals']['main_process_cpu_s'] > 0
