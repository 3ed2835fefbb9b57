# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of the modules that may run long (setup, gates): it runs the module as
ansible-core's normal action does and, when the task gives the option ``progress``, says on
the controller every ``progress.interval`` seconds that the module still runs.

A module cannot print while it runs, and a task name is templated once. So the module runs in
a thread of the task's worker while the worker's own thread prints the lines (a worker's
display reaches the main process, so the lines reach stdout and the AWX job output). One
module run, nothing in the background on the node, nothing polled: the module's end wakes the
wait at once. The lines are plugin_utils.progress.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import contextvars
import threading
import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import progress
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import preload  # noqa: F401 pylint: disable=unused-import

display = Display()

PROGRESS_SPEC = {
    'what': {'type': 'str', 'required': True},
    'at_most': {'type': 'float'},
    'interval': {'type': 'float', 'default': 30},
    'context': {'type': 'dict', 'default': {}},
}


class ProgressAction(ActionBase):
    """Runs the module of the task's name; with ``progress``, says while it runs that it runs."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ProgressAction, self).run(tmp, task_vars)
        del tmp
        module_args = dict(self._task.args)
        wanted = module_args.pop('progress', None)
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        try:
            if wanted and not wrap_async:
                ran = self._run_saying(module_args, self._progress_options(wanted), task_vars)
            else:
                ran = self._execute_module(module_args=module_args, task_vars=task_vars, wrap_async=wrap_async)
        finally:
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
        return merge_hash(result, ran)

    def _progress_options(self, wanted):
        """The option progress, checked as an argument spec (a bad value names itself)."""
        if not isinstance(wanted, dict):
            raise AnsibleActionFail('progress must be a dictionary (what, at_most, interval, context), not %r' % (wanted,))
        checked = ArgumentSpecValidator(PROGRESS_SPEC).validate(wanted)
        if checked.error_messages:
            raise AnsibleActionFail('progress: %s' % '; '.join(checked.error_messages))
        return checked.validated_parameters

    def _run_saying(self, module_args, options, task_vars):
        outcome = {}
        finished = threading.Event()

        def execute():
            try:
                outcome['result'] = self._execute_module(module_args=module_args, task_vars=task_vars)
            except BaseException as exc:  # raised again in the worker's own thread, below
                outcome['error'] = exc
            finally:
                finished.set()

        def say(waited):
            display.display(progress.waiting_line(options['context'], options['what'], time.time(), waited,
                                                  options['at_most']))

        begun = time.time()
        # the thread sees the worker's context variables (ansible-core keeps some of its state in them)
        worker = threading.Thread(target=contextvars.copy_context().run, args=(execute,), daemon=True)
        worker.start()
        progress.wait_saying(finished.wait, begun, options['interval'], say, time.time)
        worker.join()
        if 'error' in outcome:
            raise outcome['error']
        return outcome['result']
