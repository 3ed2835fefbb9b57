# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_support's action: fetch_to never reaches the module; the bundle and the system log come to
a private folder through ansible-core's fetch action; a bundle that does not arrive fails the
task naming it, a system log that does not arrive is a warning."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import stat
from unittest import mock

from ansible_collections.hatools.lifekeeper.plugins.action import lk_support

BUNDLE = '/var/lib/hatools-lifekeeper/support/lk_support.x1/node1.lksupport.2611220230.tar.gz'
LOG = '/var/lib/hatools-lifekeeper/support/lk_support.x1/messages'
NODE_FILES = {BUNDLE: b'bundle bytes', LOG: b'Dec  6 node1 kernel: booted\n'}
MODULE_RESULT = {'changed': True, 'bundle': BUNDLE, 'size': 12,
                 'system_log': {'source': '/var/log/messages', 'path': LOG, 'size': 28, 'error': None}}


class FakeFetch(object):
    """ansible-core's fetch action as the plugin drives it: flat into the dest folder."""

    def __init__(self, calls, missing, **kwargs):
        self.task, self.calls, self.missing = kwargs['task'], calls, missing

    def run(self, task_vars=None):
        args = self.task.args
        self.calls.append(dict(args))
        if args['src'] in self.missing:
            return {'failed': True, 'msg': 'file not found: %s' % args['src']}
        dest = os.path.join(args['dest'], os.path.basename(args['src']))
        with open(dest, 'wb') as handle:
            handle.write(NODE_FILES[args['src']])
        os.chmod(dest, 0o644)
        return {'changed': True, 'dest': dest, 'checksum': 'x'}


def action(args, module_result=None, missing=()):
    calls = []
    task = mock.MagicMock(args=dict(args), async_val=0, check_mode=False, diff=False, delegate_to='lk1')
    task.copy.side_effect = lambda: mock.MagicMock(args={})
    connection = mock.MagicMock()
    connection._shell.tmpdir = None
    loader = mock.MagicMock()
    loader.action_loader.get.side_effect = lambda name, **kwargs: FakeFetch(calls, missing, **kwargs)
    plugin = lk_support.ActionModule(task, connection, mock.MagicMock(), loader=None, templar=None,
                                     shared_loader_obj=loader)
    # ansible-core 2.19 keeps its own plugin loaders whatever the constructor gets
    plugin._shared_loader_obj = loader
    plugin._execute_module = mock.MagicMock(return_value=dict(module_result or MODULE_RESULT))
    plugin._remove_tmp_path = mock.MagicMock()
    return plugin, calls


def mode(path):
    return stat.S_IMODE(os.lstat(str(path)).st_mode)


def test_the_bundle_and_the_system_log_come_to_a_private_folder(tmp_path):
    folder = tmp_path / 'run1' / 'lk1'
    plugin, calls = action({'since': 1796600000.0, 'fetch_to': str(folder)})
    result = plugin.run(task_vars={})
    assert not result.get('failed'), result
    assert plugin._execute_module.call_args.kwargs['module_args'] == {'since': 1796600000.0}
    assert [c['src'] for c in calls] == [BUNDLE, LOG]
    assert all(c['flat'] and c['validate_checksum'] and c['dest'].endswith('/') for c in calls)
    assert result['controller_bundle'] == str(folder / os.path.basename(BUNDLE))
    assert result['controller_system_log'] == str(folder / 'messages') and result['controller_folder'] == str(folder)
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
    assert mode(result['controller_bundle']) == 0o600 and mode(result['controller_system_log']) == 0o600


def test_a_bundle_that_does_not_arrive_fails_naming_it_and_the_node(tmp_path):
    plugin, calls = action({'fetch_to': str(tmp_path)}, missing=(BUNDLE,))
    result = plugin.run(task_vars={})
    assert result['failed'] and 'the support bundle %s was made on lk1, but could not be fetched' % BUNDLE in result['msg']
    assert 'file not found' in result['msg'] and [c['src'] for c in calls] == [BUNDLE]


def test_a_system_log_that_does_not_arrive_is_a_warning(tmp_path):
    plugin, dummy = action({'fetch_to': str(tmp_path)}, missing=(LOG,))
    result = plugin.run(task_vars={})
    assert not result.get('failed'), result
    assert result['controller_bundle'] and result['controller_system_log'] is None
    assert len(result['warnings']) == 1 and 'the system log %s of lk1 could not be fetched' % LOG in result['warnings'][0]


def test_without_fetch_to_without_a_bundle_or_after_a_failure_nothing_is_fetched(tmp_path):
    for args, module_result in (({}, None), ({'fetch_to': str(tmp_path)}, dict(MODULE_RESULT, bundle=None)),
                                ({'fetch_to': str(tmp_path)}, {'failed': True, 'msg': 'lksupport failed'})):
        plugin, calls = action(args, module_result)
        result = plugin.run(task_vars={})
        assert calls == [] and 'controller_bundle' not in result
    assert os.listdir(str(tmp_path)) == []
