# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a person sees when a run stops, through the real report role run by ansible-playbook on
local hosts: the final message on several lines, the resume as the user's own command line
(their wrapper playbook, not the installed collection's) with -e @ the vars file the run
wrote (every extra variable, the secret left out, lk_run_id)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import subprocess
import sys

import yaml

from ansible_collections.hatools.lifekeeper.plugins.module_utils import lifekeeper
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import plan, report
from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes, unknown

COLLECTIONS_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(lifekeeper.__file__))))))

# the user's own wrapper playbook: the leader's recorded result, then the collection's report
WRAPPER = """
- name: The cluster's flow recorded its result on its leader
  hosts: lifekeeper
  gather_facts: false
  vars_files:
    - result.json
  tasks:
    - name: Keep the result
      ansible.builtin.set_fact:
        __lk_cluster_result: "{{ recorded }}"

- name: The report
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Report and stop
      ansible.builtin.include_role:
        name: hatools.lifekeeper.report
      vars:
        lk_report_clusters_from: [n1]
"""


def _recorded(run_id):
    statuses = two_nodes()
    statuses['n2'] = unknown('unreachable: no route')
    the_plan = plan.build_plan(two_nodes(), '9.9.0', order=['n1', 'n2'], cluster='lifekeeper')
    rep = report.build_report(the_plan, 'failed', {}, {'app': 'n1'}, statuses, "n2 failed at 'update': setup failed",
                              failure_time='2026-01-02T03:04:05Z')
    return {'cluster': 'lifekeeper', 'report': rep, 'statuses': statuses, 'rescue_errors': [], 'rescued': ['app on n1'],
            'run_id': run_id, 'artifacts': 'arts/%s' % run_id, 'operation': 'rolling update',
            'resume_vars': [['lk_run_id', run_id]], 'resume_note': 'nodes already at 9.9.0 are skipped'}


def test_the_final_message_resumes_the_users_own_playbook_with_the_runs_vars_file(tmp_path):
    (tmp_path / 'hosts.ini').write_text('[lifekeeper]\nn1\nn2\n[all:vars]\nansible_connection=local\n')
    (tmp_path / 'site.yml').write_text(WRAPPER)
    (tmp_path / 'result.json').write_text(json.dumps({'recorded': _recorded('r1')}))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PARENT, ANSIBLE_HOME=str(tmp_path / 'home'),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_NOCOLOR='1')
    playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    done = subprocess.run([playbook, '-i', 'hosts.ini', 'site.yml', '-e', 'lk_run_id=r1', '-e', 'lk_confirm=true',
                           '-e', json.dumps({'lk_bigip_provider': {'server': 'f5', 'password': 'hunter2'}})],
                          env=env, cwd=str(tmp_path), capture_output=True, text=True, check=False, timeout=300)
    out = done.stdout + done.stderr
    assert done.returncode != 0, out[-3000:]

    vars_file = tmp_path / 'lifekeeper-artifacts' / 'r1' / 'resume-vars.yml'
    assert oct(vars_file.stat().st_mode & 0o777) == '0o600'
    text = vars_file.read_text()
    assert yaml.safe_load(text) == {'lk_run_id': 'r1', 'lk_confirm': 'true', 'lk_bigip_provider': {'server': 'f5'}}
    assert 'hunter2' not in text and 'lk_bigip_provider.password' in text

    message = json.loads(out[out.index('FAILED! => ') + len('FAILED! => '):].split('\n', 1)[0])['msg']
    lines = message.split('\n')
    assert lines[0] == "The rolling update stopped at 2026-01-02T03:04:05Z: n2 failed at 'update': setup failed."
    assert 'The rescue brought back in service: app on n1.' in lines
    assert '  n2: not read, its state is unknown (unreachable: no route)' in lines
    assert "  cd %s && ansible-playbook -i hosts.ini site.yml -e @%s" % (tmp_path, vars_file) in lines
    assert 'hunter2' not in out and 'None' not in message
    assert 'ansible_collections' not in message   # never the installed collection's playbook
