# -*- coding: utf-8 -*-
"""lk_command_line: the playbooks given to ansible-playbook (not playbook_dir) and its cwd."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import sys

from ansible import context
from ansible.module_utils.common.collections import ImmutableDict

from ansible_collections.hatools.lifekeeper.plugins.lookup.lk_command_line import LookupModule


def _lookup():
    """The lookup named as Ansible's plugin loader names it (older cores read options by that name)."""
    plugin = LookupModule()
    plugin._load_name = 'hatools.lifekeeper.lk_command_line'
    return plugin


def test_it_returns_the_playbook_arguments_as_given_and_the_working_directory(monkeypatch):
    monkeypatch.setattr(context, 'CLIARGS', ImmutableDict(args=('site/wrapper.yml', 'hatools.lifekeeper.status')))
    monkeypatch.setattr(sys, 'argv', ['/venv/bin/ansible-playbook', 'site/wrapper.yml', 'hatools.lifekeeper.status'])
    assert _lookup().run([], {}) == [{'playbooks': ['site/wrapper.yml', 'hatools.lifekeeper.status'],
                                      'cwd': os.getcwd(), 'options': [], 'extra_vars': {'vars': {}, 'left_out': []}}]


def test_it_returns_the_options_to_repeat_and_the_extra_variables_without_secrets(monkeypatch):
    given = ('lk_confirm=true', '{"lk_bigip_provider": {"server": "f5", "password": "hunter2"}, "awx_job_id": 7}')
    monkeypatch.setattr(context, 'CLIARGS', ImmutableDict(args=('site.yml',), extra_vars=given))
    monkeypatch.setattr(sys, 'argv', ['ansible-playbook', '-i', 'inv', 'site.yml', '-e', given[0], '--check',
                                      '--extra-vars=%s' % given[1], '--limit', 'prod'])
    (found,) = _lookup().run([], {})
    assert found['options'] == ['-i', 'inv', '--limit', 'prod']
    assert found['extra_vars'] == {'vars': {'lk_confirm': 'true', 'lk_bigip_provider': {'server': 'f5'}},
                                   'left_out': ['lk_bigip_provider.password']}


def test_without_a_command_line_there_is_no_playbook(monkeypatch):
    monkeypatch.setattr(context, 'CLIARGS', ImmutableDict())
    assert _lookup().run([], {})[0]['playbooks'] == []
