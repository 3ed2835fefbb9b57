# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Importing any of the collection's action plugins (ansible-playbook's own process does, when
it queues the plugin's first task) loads the collection's filters in that process, so that the
workers it forks afterwards find them loaded."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import subprocess
import sys

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import preload

# the folder holding ansible_collections/ (plugins/plugin_utils is five levels below it)
ROOT = os.path.abspath(os.path.join(os.path.dirname(preload.__file__), *[os.pardir] * 5))

CHECK = '''
import sys
from ansible.plugins.loader import init_plugin_loader
init_plugin_loader([%(root)r])
import ansible_collections.hatools.lifekeeper.plugins.action.%(action)s
loaded = [name for name in ('ansible_collections.hatools.lifekeeper.plugins.filter.lifekeeper',
                            'ansible_collections.hatools.lifekeeper.plugins.filter.lk_bigip',
                            'ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster',
                            'ansible_collections.hatools.lifekeeper.plugins.lookup.lk_controller')
          if name in sys.modules]
print(len(loaded))
'''


@pytest.mark.parametrize('action', ['lk_status', 'lk_lock', 'lk_support', 'lk_report_write'])
def test_an_action_plugins_import_loads_the_filters_in_that_process(action):
    done = subprocess.run([sys.executable, '-c', CHECK % {'root': ROOT, 'action': action}], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == '4', done.stdout + done.stderr[-2000:]
