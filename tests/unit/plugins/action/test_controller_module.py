# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_lock and lk_record on the controller run in the worker (plugin_utils.controller_module):
the same result as the module process for the same arguments, the same refusals of bad input,
no module process; on a node, with become or async, the module runs as ansible-core runs it."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
from unittest import mock

from ansible.utils.unsafe_proxy import AnsibleUnsafeText

from ansible_collections.hatools.lifekeeper.plugins.action.lk_lock import ActionModule as LockAction
from ansible_collections.hatools.lifekeeper.plugins.action.lk_record import ActionModule as RecordAction
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_lock, lk_record
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import controller_module

RECORD = {'app-web': 'node1', 'db': 'node2'}
# AnsibleModule adds the file attributes of a result's path (not in the modules' RETURN)
PATH_INFO = ('uid', 'gid', 'owner', 'group', 'mode', 'state', 'size', 'secontext')


def action(cls, args, transport='local', become=False, async_val=0, check_mode=False, basedir='/'):
    task = mock.MagicMock(args=dict(args), async_val=async_val, check_mode=check_mode, diff=False)
    connection = mock.MagicMock(transport=transport, has_native_async=False)
    connection._shell.tmpdir = None
    play_context = mock.MagicMock(become=become)
    loader = mock.MagicMock()
    loader.get_basedir.return_value = basedir
    plugin = cls(task, connection, play_context, loader=loader, templar=None, shared_loader_obj=None)
    plugin._remove_tmp_path = mock.MagicMock()
    plugin._execute_module = mock.MagicMock(return_value={'changed': False, 'ran': 'module'})
    return plugin


def same_as_module(run, main, args, in_process, check_mode=False):
    """The module's own result for args (run: conftest's run_module) equals the in-process one."""
    failed, by_module = run(main, args, check_mode=check_mode)
    for key in ('invocation',) + PATH_INFO:
        by_module.pop(key, None)
    assert bool(in_process.get('failed')) == failed
    assert in_process == by_module
    return in_process


def test_on_the_controller_the_record_is_written_in_the_worker_as_the_module_writes_it(run, tmp_path):
    path = tmp_path / 'run' / 'placement.json'
    plugin = action(RecordAction, {'path': str(path), 'content': RECORD})
    result = plugin.run(task_vars={})
    assert not plugin._execute_module.called
    assert result['changed'] is True and result['created_folder'] is True and result['path'] == str(path)
    assert json.loads(path.read_text()) == RECORD
    assert os.stat(str(path)).st_mode & 0o777 == 0o600 and os.stat(str(path.parent)).st_mode & 0o777 == 0o700
    # the same record again: the module, run as a process would, says the same
    again = action(RecordAction, {'path': str(path), 'content': RECORD}).run(task_vars={})
    same_as_module(run, lk_record.main, {'path': str(path), 'content': RECORD}, again)
    assert again['changed'] is False


def test_check_mode_on_the_controller_predicts_and_writes_nothing(run, tmp_path):
    path = tmp_path / 'run' / 'placement.json'
    args = {'path': str(path), 'content': RECORD}
    result = action(RecordAction, args, check_mode=True).run(task_vars={})
    same_as_module(run, lk_record.main, args, result, check_mode=True)
    assert result['changed'] is True and not (tmp_path / 'run').exists()


def test_bad_input_is_refused_with_the_modules_own_message(run, tmp_path):
    for args in ({'content': RECORD},                                   # path missing
                 {'path': str(tmp_path / 'r.json')},                   # present without content
                 {'path': str(tmp_path / 'r.json'), 'content': 1, 'state': 'gone'},
                 {'path': 'relative.json', 'content': RECORD}):        # refused by validate()
        result = action(RecordAction, args, basedir=str(tmp_path)).run(task_vars={})
        assert result['failed'] is True, args
        same_as_module(run, lk_record.main, args, result)
    assert os.listdir(str(tmp_path)) == []


def test_a_refused_folder_is_the_tasks_failure_naming_it(run, tmp_path):
    folder = tmp_path / 'shared'
    folder.mkdir()
    folder.chmod(0o777)
    args = {'path': str(folder / 'placement.json'), 'content': RECORD}
    result = action(RecordAction, args).run(task_vars={})
    assert result['failed'] is True and str(folder) in result['msg'] and '0777' in result['msg']
    same_as_module(run, lk_record.main, args, result)


def test_the_controller_lock_is_taken_read_and_released_in_the_worker(run, tmp_path):
    lock_dir = str(tmp_path / 'locks')
    for bad in ({'state': 'present', 'name': 'prod', 'lock_dir': lock_dir},            # no run_id
                {'state': 'present', 'run_id': 'a b', 'name': 'prod', 'lock_dir': lock_dir}):
        same_as_module(run, lk_lock.main, bad, action(LockAction, bad).run(task_vars={}))
    owner = {'controller': 'ctl', 'cluster': 'prod'}
    taken = action(LockAction, {'state': 'present', 'run_id': 'run-a', 'name': 'prod', 'lock_dir': lock_dir,
                                'owner': owner}).run(task_vars={})
    assert not taken.get('failed'), taken
    assert taken['action'] == 'taken' and taken['holder']['run_id'] == 'run-a'
    query_args = {'state': 'query', 'name': 'prod', 'lock_dir': lock_dir}
    seen = action(LockAction, query_args).run(task_vars={})
    assert seen['holder']['run_id'] == 'run-a' and seen['fingerprint']
    # another run is refused, naming the holder, as the module refuses it
    other = {'state': 'present', 'run_id': 'run-b', 'name': 'prod', 'lock_dir': lock_dir, 'owner': owner}
    refused = action(LockAction, other).run(task_vars={})
    assert refused['failed'] is True and 'run-a' in refused['msg']
    released = action(LockAction, {'state': 'absent', 'run_id': 'run-a', 'name': 'prod',
                                   'lock_dir': lock_dir}).run(task_vars={})
    assert released['released'] is True
    assert action(LockAction, query_args).run(task_vars={})['holder'] is None


def test_a_broken_lock_warns_in_the_tasks_result(tmp_path):
    lock_dir = str(tmp_path / 'locks')
    action(LockAction, {'state': 'present', 'run_id': 'run-a', 'name': 'prod', 'lock_dir': lock_dir}).run(task_vars={})
    result = action(LockAction, {'state': 'present', 'run_id': 'run-b', 'name': 'prod', 'lock_dir': lock_dir,
                                 'break_lock': 'run-a'}).run(task_vars={})
    assert not result.get('failed'), result
    assert result['holder']['run_id'] == 'run-b'
    assert len(result['warnings']) == 1 and 'broke the lock' in result['warnings'][0]


def test_on_a_node_with_become_or_async_the_module_runs_as_a_process(tmp_path):
    args = {'path': str(tmp_path / 'r.json'), 'content': RECORD}
    for kwargs in ({'transport': 'ssh'}, {'transport': 'community.docker.docker'}, {'become': True},
                   {'async_val': 60}):
        plugin = action(RecordAction, args, **kwargs)
        result = plugin.run(task_vars={})
        assert result['ran'] == 'module', kwargs
        assert plugin._execute_module.call_args[1]['module_args'] == args
    assert not (tmp_path / 'r.json').exists()


def test_values_reach_the_module_as_plain_json_and_relative_paths_mean_the_playbooks_folder(tmp_path):
    seen = {}

    class Echo(LkModule):
        argument_spec = dict(text=dict(type='str'), where=dict(type='path'), secret=dict(type='str', no_log=True))
        state_option = None

        def run_module(self):
            seen.update(type=type(self.params['text']), cwd=os.getcwd())
            self.result.update(text=self.params['text'], msg='the secret is %s' % self.params['secret'])

    before = os.getcwd()
    result = controller_module.run_in_process(Echo, 'echo', {'text': AnsibleUnsafeText(u'tagged'),
                                                             'secret': 'hunter2'}, False, str(tmp_path))
    assert result['text'] == 'tagged' and seen['type'] is str
    assert seen['cwd'] == str(tmp_path) and os.getcwd() == before
    # a no_log value never reaches the result
    assert 'hunter2' not in json.dumps(result)
