# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_backup's action: fetch_to never reaches the module; the archive and the defaults file come
to a private folder through ansible-core's fetch action, the archive checked against the
node's sha256."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os
import stat
from unittest import mock

from ansible_collections.hatools.lifekeeper.plugins.action import lk_backup

ARCHIVE = b'lkbackup archive bytes'
DEFAULTS = b'LKROOT=/opt/LifeKeeper\n'
NODE_FILES = {'/var/lib/hatools-lifekeeper/backups/archive.1.tar.gz': ARCHIVE, '/etc/default/LifeKeeper': DEFAULTS}
MODULE_RESULT = {'changed': True, 'archive': '/opt/LifeKeeper/config/archive.1.tar.gz',
                 'dest_archive': '/var/lib/hatools-lifekeeper/backups/archive.1.tar.gz',
                 'sha256': hashlib.sha256(ARCHIVE).hexdigest()}


class FakeFetch(object):
    """ansible-core's fetch action as the plugin drives it: flat into the dest folder."""

    def __init__(self, calls, fail_for=None, keep_on_failure=False, **kwargs):
        self.task, self.calls, self.fail_for, self.keep_on_failure = kwargs['task'], calls, fail_for, keep_on_failure

    def run(self, task_vars=None):
        args = self.task.args
        self.calls.append(dict(args))
        dest = os.path.join(args['dest'], os.path.basename(args['src']))
        if args['src'] == self.fail_for and not self.keep_on_failure:
            return {'failed': True, 'msg': 'file not found: %s' % args['src']}
        with open(dest, 'wb') as handle:
            handle.write(NODE_FILES[args['src']])
        os.chmod(dest, 0o644)
        if args['src'] == self.fail_for:
            return {'failed': True, 'msg': 'checksum mismatch', 'dest': dest}
        return {'changed': True, 'dest': dest, 'checksum': 'x'}


def action(args, module_result=None, check_mode=False, fail_for=None, keep_on_failure=False):
    calls = []
    task = mock.MagicMock(args=dict(args), async_val=0, check_mode=check_mode, diff=False, delegate_to='lk1')
    task.copy.side_effect = lambda: mock.MagicMock(args={})
    connection = mock.MagicMock()
    connection._shell.tmpdir = None
    loader = mock.MagicMock()
    loader.action_loader.get.side_effect = lambda name, **kwargs: FakeFetch(calls, fail_for, keep_on_failure, **kwargs)
    plugin = lk_backup.ActionModule(task, connection, mock.MagicMock(), loader=None, templar=None,
                                    shared_loader_obj=loader)
    # ansible-core 2.19 keeps its own plugin loaders whatever the constructor gets
    plugin._shared_loader_obj = loader
    plugin._execute_module = mock.MagicMock(return_value=dict(module_result or MODULE_RESULT))
    plugin._remove_tmp_path = mock.MagicMock()
    return plugin, calls, loader


def mode(path):
    return stat.S_IMODE(os.lstat(str(path)).st_mode)


def test_the_archive_and_the_defaults_file_come_to_a_private_folder(tmp_path):
    folder = tmp_path / 'run1' / 'lk1'
    plugin, calls, loader = action({'state': 'present', 'dest': '/var/lib/hatools-lifekeeper/backups',
                                    'fetch_to': str(folder)})
    result = plugin.run(task_vars={})
    assert not result.get('failed'), result
    assert plugin._execute_module.call_args.kwargs['module_args'] == {
        'state': 'present', 'dest': '/var/lib/hatools-lifekeeper/backups'}
    assert [c['src'] for c in calls] == [MODULE_RESULT['dest_archive'], '/etc/default/LifeKeeper']
    assert all(c['flat'] and c['validate_checksum'] and c['dest'].endswith('/') for c in calls)
    assert loader.action_loader.get.call_args.args[0] == 'ansible.legacy.fetch'
    assert result['controller_archive'] == str(folder / 'archive.1.tar.gz')
    assert result['controller_defaults'] == str(folder / 'LifeKeeper')
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
    assert mode(result['controller_archive']) == 0o600 and mode(result['controller_defaults']) == 0o600


def test_an_archive_that_does_not_match_the_nodes_sha256_fails_naming_both(tmp_path):
    plugin, dummy, dummy2 = action({'fetch_to': str(tmp_path)}, dict(MODULE_RESULT, sha256='0' * 64))
    result = plugin.run(task_vars={})
    assert result['failed'] and 'does not match sha256 %s on lk1' % ('0' * 64) in result['msg']
    assert hashlib.sha256(ARCHIVE).hexdigest() in result['msg']


def test_an_archive_fetch_found_changed_is_the_same_mismatch(tmp_path):
    # fetch's own check failed (the file changed between its two reads) and left what arrived
    plugin, dummy, dummy2 = action({'fetch_to': str(tmp_path)}, dict(MODULE_RESULT, sha256='1' * 64),
                                   fail_for=MODULE_RESULT['dest_archive'], keep_on_failure=True)
    result = plugin.run(task_vars={})
    assert result['failed'] and 'the fetched archive %s/archive.1.tar.gz does not match sha256 %s on lk1' % (
        tmp_path, '1' * 64) in result['msg']


def test_a_fetch_that_fails_fails_the_task_saying_the_backup_was_made(tmp_path):
    plugin, dummy, dummy2 = action({'fetch_to': str(tmp_path)}, fail_for='/etc/default/LifeKeeper')
    result = plugin.run(task_vars={})
    assert result['failed'] and result['dest_archive'] == MODULE_RESULT['dest_archive']
    assert result['msg'].startswith('the backup was made, but its defaults /etc/default/LifeKeeper could not be fetched '
                                    'from lk1')


def test_without_fetch_to_in_check_mode_or_after_a_failure_nothing_is_fetched(tmp_path):
    for args, module_result, check_mode in (({}, None, False),
                                            ({'fetch_to': str(tmp_path / 'c')}, None, True),
                                            ({'fetch_to': str(tmp_path / 'f')}, {'failed': True, 'msg': 'no'}, False)):
        plugin, calls, dummy = action(args, module_result, check_mode=check_mode)
        plugin.run(task_vars={})
        assert calls == []
    assert os.listdir(str(tmp_path)) == []
