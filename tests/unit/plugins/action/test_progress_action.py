# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' action plugin: the option progress never reaches the module, the lines come
while the module runs, its failure and its result are the task's."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import threading
import time
from unittest import mock

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hatools.lifekeeper.plugins.action.lk_setup import ActionModule
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import progress_action

MODULE_ARGS = {'state': 'present', 'version': '9.9.0', 'media': '/srv/lk.iso'}
CONTEXT = {'cluster': 'prod', 'node': 'lk2', 'nodes': ['lk1', 'lk2']}


def action(args, async_val=0):
    task = mock.MagicMock(args=dict(args), async_val=async_val, check_mode=False, diff=False)
    connection = mock.MagicMock(has_native_async=False)
    connection._shell.tmpdir = None
    plugin = ActionModule(task, connection, mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    plugin._remove_tmp_path = mock.MagicMock()
    return plugin


def module_taking(seconds, result=None, error=None, calls=None):
    def execute(**kwargs):
        if calls is not None:
            calls.append(dict(kwargs, thread=threading.current_thread().name))
        time.sleep(seconds)
        if error:
            raise error
        return dict(result or {'changed': True, 'version': '9.9.0'})
    return execute


@pytest.fixture
def lines():
    said = []
    with mock.patch.object(progress_action.display, 'display', side_effect=said.append):
        yield said


def test_without_progress_the_module_runs_as_the_normal_action_runs_it(lines):
    calls = []
    plugin = action(MODULE_ARGS)
    plugin._execute_module = module_taking(0, calls=calls)
    result = plugin.run(task_vars={})
    assert result['changed'] is True and result['version'] == '9.9.0'
    assert calls[0]['module_args'] == MODULE_ARGS and calls[0]['wrap_async'] is False
    assert lines == []


def test_progress_is_never_passed_to_the_module_and_a_line_comes_while_it_runs(lines):
    calls = []
    plugin = action(dict(MODULE_ARGS, progress={'what': 'setup', 'at_most': 1800, 'interval': 1,
                                                'context': CONTEXT}))
    plugin._execute_module = module_taking(1.4, calls=calls)
    started = time.time()
    result = plugin.run(task_vars={})
    took = time.time() - started
    assert result['changed'] is True
    assert calls[0]['module_args'] == MODULE_ARGS
    # the module ran in a thread of its own while this one said the line
    assert calls[0]['thread'] != threading.current_thread().name
    assert len(lines) == 1 and lines[0].startswith('[prod] node 2/2 lk2: still waiting for setup (1 s of at most 1800 s')
    # the module's end ended the wait (no poll, no waiting for the next interval)
    assert took < 1.9, took


def test_the_modules_failure_is_the_tasks(lines):
    plugin = action(dict(MODULE_ARGS, progress={'what': 'setup'}))
    plugin._execute_module = module_taking(0.1, error=RuntimeError('connection lost'))
    with pytest.raises(RuntimeError, match='connection lost'):
        plugin.run(task_vars={})
    assert lines == []


def test_a_failed_module_result_is_returned_as_it_is(lines):
    plugin = action(dict(MODULE_ARGS, progress={'what': 'setup'}))
    plugin._execute_module = module_taking(0, result={'failed': True, 'msg': 'setup failed (rc 1)'})
    result = plugin.run(task_vars={})
    assert result['failed'] is True and result['msg'] == 'setup failed (rc 1)'


@pytest.mark.parametrize('bad, named', [
    ({'at_most': 10}, 'what'),
    ({'what': 'setup', 'interval': 'often'}, 'interval'),
    ('setup', 'progress must be a dictionary'),
])
def test_a_bad_progress_option_is_refused_naming_it_before_the_module_runs(lines, bad, named):
    calls = []
    plugin = action(dict(MODULE_ARGS, progress=bad))
    plugin._execute_module = module_taking(0, calls=calls)
    with pytest.raises(AnsibleActionFail, match=named):
        plugin.run(task_vars={})
    assert calls == []


def test_with_async_the_module_is_started_in_the_background_without_lines(lines):
    calls = []
    plugin = action(dict(MODULE_ARGS, progress={'what': 'setup', 'interval': 1}), async_val=600)
    plugin._execute_module = module_taking(0, result={'ansible_job_id': 'j1', 'started': 1}, calls=calls)
    result = plugin.run(task_vars={})
    assert result['ansible_job_id'] == 'j1'
    assert calls[0]['wrap_async'] and calls[0]['module_args'] == MODULE_ARGS
    plugin._remove_tmp_path.assert_not_called()
