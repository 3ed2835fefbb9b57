# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory shapes the playbooks accept, through the real pre-flight grouping
(roles/preflight entry point `clusters`) run by ansible-playbook on local hosts: a flat
group is one cluster, child groups are clusters, and nested groups are read down to their
leaf groups (lifekeeper -> prod -> [erp, crm] is two clusters, not one of four nodes)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import lifekeeper

COLLECTIONS_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(lifekeeper.__file__))))))

PLAYBOOK = """
- name: Group the nodes into clusters
  hosts: lifekeeper
  gather_facts: false
  tasks:
    - name: Pre-flight grouping
      ansible.builtin.include_role:
        name: hatools.lifekeeper.preflight
        tasks_from: clusters
    - name: Write the clusters
      ansible.builtin.copy:
        content: "{{ __lk_clusters | to_json }}"
        dest: "{{ out }}"
        mode: "0600"
      delegate_to: localhost
      run_once: true
"""

FLAT = "[lifekeeper]\na1 ansible_connection=local\na2 ansible_connection=local\n"
CHILDREN = """
[erp]
e1
e2
[crm]
c1
c2
[lifekeeper:children]
erp
crm
[lifekeeper:vars]
ansible_connection=local
"""
NESTED = """
[erp]
e1
e2
[crm]
c1
c2
[prod:children]
erp
crm
[lab]
l1
l2
[lifekeeper:children]
prod
lab
[lifekeeper:vars]
ansible_connection=local
"""


def _clusters(tmp_path, inventory):
    (tmp_path / 'hosts.ini').write_text(inventory)
    (tmp_path / 'play.yml').write_text(PLAYBOOK)
    out = tmp_path / 'clusters.json'
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PARENT, ANSIBLE_HOME=str(tmp_path / 'home'),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false')
    playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    done = subprocess.run([playbook, '-i', str(tmp_path / 'hosts.ini'), str(tmp_path / 'play.yml'),
                           '-e', 'out=%s' % out], env=env, cwd=str(tmp_path), capture_output=True, text=True, check=False,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return [(c['name'], c['hosts']) for c in json.loads(out.read_text())]


@pytest.mark.parametrize('inventory,expected', [
    pytest.param(FLAT, [('lifekeeper', ['a1', 'a2'])], id='flat group'),
    pytest.param(CHILDREN, [('erp', ['e1', 'e2']), ('crm', ['c1', 'c2'])], id='child groups'),
    pytest.param(NESTED, [('erp', ['e1', 'e2']), ('crm', ['c1', 'c2']), ('lab', ['l1', 'l2'])], id='nested groups'),
])
def test_inventory_shape(tmp_path, inventory, expected):
    assert _clusters(tmp_path, inventory) == expected
