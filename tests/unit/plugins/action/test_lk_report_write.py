# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_report_write: the report's files from the task's worker; a view not written is a warning."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
from unittest import mock

from ansible_collections.hatools.lifekeeper.plugins.action import lk_report_write

REPORT = {'result': 'success', 'run_id': 'run1', 'clusters': [], 'nodes': {}}


def action(args):
    task = mock.MagicMock(args=dict(args), async_val=0, check_mode=False, diff=False)
    connection = mock.MagicMock()
    connection._shell.tmpdir = None
    return lk_report_write.ActionModule(task, connection, mock.MagicMock(), loader=None, templar=None,
                                        shared_loader_obj=None)


def test_the_files_are_written_and_listed(tmp_path):
    path = str(tmp_path / 'report.json')
    result = action({'report': REPORT, 'path': path, 'keep_dir': str(tmp_path / 'run1')}).run(task_vars={})
    assert not result.get('failed'), result
    assert result['changed'] is True and result['problems'] == []
    assert result['files'] == [path, str(tmp_path / 'report.md'), str(tmp_path / 'report.html'),
                               str(tmp_path / 'run1' / 'report.json')]


def test_a_report_that_cannot_be_written_fails_the_task_naming_it(tmp_path):
    path = str(tmp_path / 'no-such-folder' / 'report.json')
    result = action({'report': REPORT, 'path': path}).run(task_vars={})
    assert result['failed'] is True and path in result['msg']


def test_a_view_not_written_is_a_warning(tmp_path):
    path = str(tmp_path / 'report.json')
    os.mkdir(str(tmp_path / 'report.html'))
    with mock.patch.object(lk_report_write.display, 'warning') as warning:
        result = action({'report': REPORT, 'path': path}).run(task_vars={})
    assert not result.get('failed') and len(result['problems']) == 1
    warning.assert_called_once_with(result['problems'][0])
