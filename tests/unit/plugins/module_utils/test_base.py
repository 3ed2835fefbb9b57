# -*- coding: utf-8 -*-
"""base.py: the one module skeleton (options, checks, result, failure, no traceback)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import (
    LkModule, check_seconds, describe_os_error, shared_argument_spec)
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError


@pytest.mark.parametrize('value,allow_zero,expected', [
    (0, True, 0.0), (60, False, 60.0), ('2.5', False, 2.5), (604800, False, 604800.0),
])
def test_check_seconds_accepts(value, allow_zero, expected):
    assert check_seconds('timeout', value, allow_zero=allow_zero) == expected


@pytest.mark.parametrize('value,allow_zero', [
    (float('inf'), True), (float('nan'), True), (-1, True), (604800.5, True), (0, False), ('soon', True),
    (None, True),
])
def test_check_seconds_refuses_naming_option_and_value(value, allow_zero):
    with pytest.raises(LifeKeeperError) as info:
        check_seconds('command_timeout', value, allow_zero=allow_zero)
    assert info.value.msg.startswith('command_timeout must be a number of seconds')
    assert repr(value) in info.value.msg and '604800 (7 days)' in info.value.msg


def test_describe_os_error():
    assert describe_os_error(OSError(2, 'No such file or directory', '/x')) == '/x: No such file or directory'
    assert describe_os_error(OSError(18, 'Invalid cross-device link', '/a', None, '/b')) == \
        '/a -> /b: Invalid cross-device link'
    assert describe_os_error(OSError('plain')) == 'plain'


def test_shared_spec_default_timeout_per_module():
    assert shared_argument_spec(3600)['timeout'] == {'type': 'float', 'default': 3600}


class Demo(LkModule):
    """A module for the tests: its states do what the test says."""
    argument_spec = dict(state=dict(type='str', default='ok',
                                    choices=['ok', 'oserror', 'valueerror', 'bug', 'failure', 'cleanup']))
    calls = []

    def state_ok(self):
        self.on_exit(self.calls.append, 'cleaned')
        self.result['changed'] = True
        self.set_diff({'a': 1}, {'a': 2})
        self.record_command(['/bin/x', 'y'], 0, 'out', '')

    def state_oserror(self):
        self.on_exit(self.calls.append, 'cleaned')
        open('/nonexistent/dir/file', 'w')

    def state_valueerror(self):
        raise ValueError("invalid literal for int() with base 10: 'x'")

    def state_bug(self):
        return {}['missing']

    def state_failure(self):
        self.result['partial'] = 'kept'
        raise LifeKeeperError('it failed', cmd=['/bin/x'], rc=3, stdout='o', stderr='e', extra='detail')

    def state_cleanup(self):
        def broken():
            raise OSError(30, 'Read-only file system', '/ro/tmp')
        self.on_exit(broken)


def run_demo(run, state):
    Demo.calls = []
    return run(Demo.main, {'state': state})


def test_result_diff_and_command(run, fake_cli):
    failed, result = run_demo(run, 'ok')
    assert not failed
    assert result['changed'] is True and result['diff'] == {'before': {'a': 1}, 'after': {'a': 2}}
    assert (result['cmd'], result['rc'], result['stdout'], result['stderr']) == (['/bin/x', 'y'], 0, 'out', '')
    assert Demo.calls == ['cleaned']


def test_oserror_becomes_a_message_naming_the_path(run, fake_cli):
    failed, result = run_demo(run, 'oserror')
    assert failed and result['msg'] == '/nonexistent/dir/file: No such file or directory'
    assert 'exception' not in result and Demo.calls == ['cleaned']


def test_valueerror_keeps_its_message(run, fake_cli):
    failed, result = run_demo(run, 'valueerror')
    assert failed and result['msg'] == "invalid literal for int() with base 10: 'x'"


def test_a_bug_is_a_message_with_the_traceback_kept_apart(run, fake_cli):
    failed, result = run_demo(run, 'bug')
    assert failed and result['msg'].startswith('internal error in ')
    assert "KeyError: 'missing'" in result['msg']
    assert 'Traceback' not in result['msg']
    if 'exception' in result:       # only with tracebacks enabled (-vvv)
        assert 'Traceback' in result['exception']


def test_failure_keeps_the_result_and_the_command_details(run, fake_cli):
    failed, result = run_demo(run, 'failure')
    assert failed and result['msg'] == 'it failed'
    assert (result['partial'], result['cmd'], result['rc'], result['extra']) == ('kept', ['/bin/x'], 3, 'detail')


def test_a_failed_cleanup_fails_the_module_naming_it(run, fake_cli):
    failed, result = run_demo(run, 'cleanup')
    assert failed and result['msg'] == 'done, but cleaning up failed: /ro/tmp: Read-only file system'
    assert result['cleanup_errors'] == ['/ro/tmp: Read-only file system']


def test_seconds_are_checked_before_anything(run, fake_cli):
    Demo.calls = []
    failed, result = run(Demo.main, {'state': 'ok', 'timeout': 'inf'})
    assert failed and 'inf' in result['msg'] and Demo.calls == []
