# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a hatools.lifekeeper module inside the task's worker when the task runs on the
controller itself (delegated to localhost through the local connection, without become or
async): the module's own class (module_utils.base.LkModule), its own argument spec checked by
ansible-core's own validator, its own result and failure. A module process would cost about a
second of the controller's CPU, and the rolling update keeps its locks and records there.
Anywhere else the module runs as ansible-core's normal action runs it.

Only modules that read and write files use it (lk_lock, lk_record): nothing of AnsibleModule
but params, check_mode, warn and the exits is given to them here.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import module_spec
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import preload  # noqa: F401 pylint: disable=unused-import


class ModuleEnded(Exception):
    """exit_json or fail_json of an in-process module: its result."""

    def __init__(self, result):
        super(ModuleEnded, self).__init__(result.get('msg', 'ended'))
        self.result = result


class InProcessModule(object):
    """What an LkModule of a file-only module uses of AnsibleModule, for a run in the worker."""

    def __init__(self, name, params, check_mode):
        self._name = name
        self.params = params
        self.check_mode = check_mode
        self.warnings = []

    def warn(self, warning):
        self.warnings.append(warning)

    def _end(self, result):
        if self.warnings:
            result['warnings'] = list(self.warnings)
        raise ModuleEnded(result)

    def exit_json(self, **result):
        self._end(result)

    def fail_json(self, msg, **result):
        result.update(failed=True, msg=msg)
        self._end(result)


def plain(value):
    """value as the module would receive it: through JSON (ansible-core's tags and unsafe
    wrappers left behind, every container a plain dict or list)."""
    return json.loads(json.dumps(value))


def run_in_process(module_class, name, args, check_mode, basedir):
    """The result of module_class run with args (check_mode: bool) in this process, in basedir
    (a local module runs in the playbook's folder, so a relative path means the same)."""
    spec, kwargs = module_spec(module_class)
    checked = ArgumentSpecValidator(spec, **kwargs).validate(plain(args))
    no_log_values = checked._no_log_values
    if checked.error_messages:
        return dict(failed=True, msg='; '.join(remove_values(checked.error_messages, no_log_values)))
    module = InProcessModule(name, checked.validated_parameters, check_mode)
    before = os.getcwd()
    try:
        os.chdir(basedir)
        module_class(module).execute()
        result = dict(failed=True, msg='%s ended without a result' % name)
    except ModuleEnded as ended:
        result = ended.result
    finally:
        os.chdir(before)
    return remove_values(result, no_log_values)


class ControllerModuleAction(ActionBase):
    """The action of a file-only module: in the worker on the controller, else as a module.
    Subclasses set module_class (the module's LkModule class) and module_name."""

    _supports_check_mode = True
    _supports_async = True
    module_class = None
    module_name = None

    def on_controller(self):
        """The task runs on this controller as this user, in the foreground."""
        return (self._connection.transport == 'local' and not self._play_context.become
                and not self._task.async_val)

    def run(self, tmp=None, task_vars=None):
        result = super(ControllerModuleAction, self).run(tmp, task_vars)
        del tmp
        if self.on_controller():
            return merge_hash(result, run_in_process(self.module_class, self.module_name, self._task.args,
                                                     bool(self._task.check_mode), self._loader.get_basedir()))
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        try:
            ran = self._execute_module(module_args=dict(self._task.args), task_vars=task_vars, wrap_async=wrap_async)
        finally:
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
        return merge_hash(result, ran)
