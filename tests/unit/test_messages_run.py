# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a person reads when the input is wrong, through the real roles run by ansible-playbook
on local hosts: a value a filter refuses reaches the final message as the collection's own
sentence (not inside ansible-core's "Finalization of task args ..." wording), and media the
controller does not have is named with lk_media_src, where it was looked for and what to do."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import subprocess
import sys

from ansible_collections.hatools.lifekeeper.plugins.module_utils import lifekeeper

COLLECTIONS_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(lifekeeper.__file__))))))

PREFLIGHT = """
- name: Pre-flight
  hosts: lifekeeper
  gather_facts: false
  roles:
    - role: hatools.lifekeeper.preflight
"""

MEDIA = """
- name: The media check of pre-flight
  hosts: lifekeeper
  gather_facts: false
  tasks:
    - name: Check the media
      ansible.builtin.include_role:
        name: hatools.lifekeeper.preflight
        tasks_from: media
      vars:
        __lk_media_list: [{version: 9.9.0, media: /srv/LKL_V9.9.0_010126.iso}]
"""


def _run(tmp_path, playbook, *extra):
    (tmp_path / 'hosts.ini').write_text('[lifekeeper]\nn1\nn2\n[all:vars]\nansible_connection=local\n')
    (tmp_path / 'site.yml').write_text(playbook)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PARENT, ANSIBLE_HOME=str(tmp_path / 'home'),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_NOCOLOR='1')
    argv = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'hosts.ini', 'site.yml']
    for one in extra:
        argv.extend(['-e', one])
    done = subprocess.run(argv, env=env, cwd=str(tmp_path), capture_output=True, text=True, check=False, timeout=300)
    out = done.stdout + done.stderr
    assert done.returncode != 0, out[-3000:]
    return out


def _last_failure(out):
    """The msg of the last failed task ('FAILED! => {...}')."""
    lines = [line for line in out.splitlines() if 'FAILED! => {' in line]
    assert lines, out[-3000:]
    return json.loads(lines[-1].split('FAILED! => ', 1)[1])['msg']


def test_a_value_a_filter_refuses_ends_the_run_with_the_collections_own_sentence(tmp_path):
    out = _run(tmp_path, PREFLIGHT, 'lk_target_version=9.x', 'lk_media=/srv/LKL_V9.9.0_010126.iso', 'lk_run_id=r1')
    assert _last_failure(out) == "lk_target_version: invalid LifeKeeper version '9.x': expected N.N.N (for example 9.9.0)"
    report = json.loads((tmp_path / 'lifekeeper-update-report.json').read_text())
    assert report['result'] == 'refused' and report['failure'].startswith("lk_target_version: invalid"), report


def test_media_the_controller_does_not_have_is_named_with_lk_media_src_and_what_to_do(tmp_path):
    out = _run(tmp_path, MEDIA, 'lk_media_src=isos/LKL_V9.9.0_010126.iso', 'lk_media=/srv/LKL_V9.9.0_010126.iso')
    message = _last_failure(out)
    assert message.startswith("lk_media_src is 'isos/LKL_V9.9.0_010126.iso': the controller has no such file "
                              "(an absolute path is used as it is; a relative one is looked for in the files/ folders"), \
        message
    assert message.endswith('or leave lk_media_src empty and put the ISO at /srv/LKL_V9.9.0_010126.iso on every node.')
