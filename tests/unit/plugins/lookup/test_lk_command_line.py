# -*- coding: utf-8 -*-
"""lk_command_line: the playbooks given to ansible-playbook (not playbook_dir) and its cwd."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

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
    assert _lookup().run([], {}) == [{'playbooks': ['site/wrapper.yml', 'hatools.lifekeeper.status'],
                                      'cwd': os.getcwd()}]


def test_without_a_command_line_there_is_no_playbook(monkeypatch):
    monkeypatch.setattr(context, 'CLIARGS', ImmutableDict())
    assert _lookup().run([], {})[0]['playbooks'] == []
