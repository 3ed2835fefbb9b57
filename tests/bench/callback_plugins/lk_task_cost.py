"""lk_task_cost: wall time and CPU per task of a playbook run (tests only; make bench).

Enabled only by the bench's runs: ANSIBLE_CALLBACK_PLUGINS=<this folder>,
ANSIBLE_CALLBACKS_ENABLED=lk_task_cost and LK_TASK_COST_FILE=<where the JSON goes>. The
accounting (which interval is whose, what the readings mean) is tests/bench/task_cost.py;
this adapter takes the readings at each play and task start and at the PLAY RECAP and writes the
document there.
"""
import json
import os
import sys
import time

from ansible.plugins.callback import CallbackBase

# the bench's own modules, beside this folder (a callback is loaded from its file path)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import meters  # noqa: E402  pylint: disable=wrong-import-position
import task_cost  # noqa: E402  pylint: disable=wrong-import-position


def now():
    return task_cost.reading(time.time(), meters.machine_busy_cpu(), meters.containers_cpu(), meters.own_cpu())


def describe(task):
    """name, role, file:line of a task."""
    role = task._role.get_name() if task._role else None  # pylint: disable=protected-access
    return task.name or task.action, role, task.get_path()


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "lk_task_cost"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.output = os.environ.get(task_cost.OUTPUT_ENV)
        self.ledger = task_cost.TaskCostLedger(now())

    def _started(self, task):
        self.ledger.task_started(*describe(task), now=now())

    def v2_playbook_on_play_start(self, play):
        self.ledger.play_started(play.get_name(), now=now())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._started(task)

    def _result(self, result, status):
        task = getattr(result, "task", None) or result._task  # pylint: disable=protected-access
        self.ledger.task_result(*describe(task), status=status)

    def v2_runner_on_ok(self, result):
        self._result(result, "ok")
        if result._result.get("changed"):  # pylint: disable=protected-access
            self._result(result, "changed")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result(result, "ignored" if ignore_errors else "failed")

    def v2_runner_on_skipped(self, result):
        self._result(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._result(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        recap = {host: stats.summarize(host) for host in sorted(stats.processed)}
        document = self.ledger.finish(now(), recap)
        if not self.output:
            self._display.warning("lk_task_cost: %s is not set; nothing written" % task_cost.OUTPUT_ENV)
            return
        with open(self.output, "w") as handle:
            json.dump(document, handle, indent=1)
            handle.write("\n")
