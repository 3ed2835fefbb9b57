# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waits for a job started with async and poll 0, printing a line at a steady interval.

A module cannot print while it runs, and a task name is templated once: the lines come
from here, on the controller (Ansible passes a worker's display to the main process, so they
reach stdout and the AWX job output). The job is read with the async_status module on the
task's host, as ansible-core's own async poll does; the lines and the schedule are
plugin_utils.progress.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import progress

display = Display()

ARGUMENT_SPEC = {
    'job': {'type': 'dict', 'required': True},
    'what': {'type': 'str', 'required': True},
    'timeout': {'type': 'float', 'required': True},
    'at_most': {'type': 'float'},
    'interval': {'type': 'float', 'default': 30},
    'context': {'type': 'dict', 'default': {}},
}
# the job's bookkeeping, not part of the module's result
BOOKKEEPING = ('ansible_job_id', 'started', 'finished', 'results_file')


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def _job_status(self, jid, async_dir, task_vars, mode='status'):
        return self._execute_module(module_name='ansible.legacy.async_status', task_vars=task_vars,
                                    module_args={'jid': jid, 'mode': mode, '_async_dir': async_dir})

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        job = args['job']
        jid = job.get('ansible_job_id')
        if not jid:
            if job.get('skipped'):
                return dict(job)
            result.update(failed=True, msg='lk_wait_job: the job result holds no ansible_job_id (start the task with '
                                           'async and poll: 0 and register it): %s' % sorted(job))
            return result
        try:
            return self._wait(jid, args, result, task_vars)
        finally:
            # the folder _execute_module made for the async_status module, when not pipelined
            self._remove_tmp_path(self._connection._shell.tmpdir)

    def _wait(self, jid, args, result, task_vars):
        async_dir = self._remote_expand_user(self.get_shell_option('async_dir', default='~/.ansible_async'))
        waited = progress.WaitClock(args['interval'], time.time())
        while True:
            status = self._job_status(jid, async_dir, task_vars)
            if status.get('finished') or (status.get('failed') and 'started' not in status):
                break
            now = time.time()
            if waited.seconds(now) >= args['timeout']:
                result.update(failed=True, ansible_job_id=jid, msg='%s did not finish within %d s (job %s)' % (
                    args['what'], args['timeout'], jid))
                return result
            if waited.line_due(now):
                display.display(progress.waiting_line(args['context'], args['what'], now, waited.seconds(now),
                                                      args['at_most']))
            time.sleep(min(waited.next_check(now), max(0.1, args['timeout'] - waited.seconds(now))))
        try:
            self._job_status(jid, async_dir, task_vars, mode='cleanup')
        except Exception as exc:  # the job's file is left behind; its result stands
            display.vvv('lk_wait_job: could not remove the job file of %s: %s' % (jid, exc))
        result.update(dict((key, value) for key, value in status.items() if key not in BOOKKEEPING))
        return result
