# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action of a module whose files are brought to the controller in the same task (the option
fetch_to of lk_backup and lk_support): the module runs as ansible-core's normal action runs it,
without that option; then, when it made what it names, the subclass fetches the files into the
private folder (controller_files.fetch_private). In check mode nothing is fetched."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash


class FetchToAction(ActionBase):
    """Runs the module of the task's name without fetch_to, then bring_to_controller()."""

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(FetchToAction, self).run(tmp, task_vars)
        del tmp
        module_args = dict(self._task.args)
        fetch_to = module_args.pop('fetch_to', None)
        try:
            result = merge_hash(result, self._execute_module(module_args=module_args, task_vars=task_vars))
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        if not fetch_to or result.get('failed') or not self.made_files(result, module_args):
            return result
        if self._task.check_mode:
            result['controller_folder'] = fetch_to
            return result
        return self.bring_to_controller(result, module_args, fetch_to, task_vars)

    def made_files(self, result, module_args):
        """Whether the module's run made files to bring (else the result is the task's as it is)."""
        raise NotImplementedError

    def bring_to_controller(self, result, module_args, folder, task_vars):
        """The task's result once the files are in folder (or why not)."""
        raise NotImplementedError
