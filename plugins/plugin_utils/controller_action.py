# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of the collection's controller-side actions (no module: they run in the task's
worker, on the controller, and read the task's variables themselves): lk_preflight,
lk_cluster_record, lk_report_write."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import preload  # noqa: F401 pylint: disable=unused-import
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.controller_module import plain


class ControllerAction(ActionBase):
    """Validates the arguments against ARGUMENT_SPEC and REQUIRED ({choice of the first option:
    the options it needs}), then returns decide(args): a result dict. A ValueError becomes the
    task's failure with its sentence. Subclasses read the task's variables with _var."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    ARGUMENT_SPEC = {}
    REQUIRED = {}

    def run(self, tmp=None, task_vars=None):
        result = super(ControllerAction, self).run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=self.ARGUMENT_SPEC)
        first = next(iter(self.ARGUMENT_SPEC))
        missing = [key for key in self.REQUIRED.get(args.get(first), ()) if args.get(key) in (None, '')] \
            if self.REQUIRED else []
        if missing:
            result.update(failed=True, msg='%s %s=%s needs %s' % (
                self._task.action.split('.')[-1], first, args[first], ', '.join(missing)))
            return result
        self._vars = task_vars or {}
        try:
            result.update(self.decide(args))
        except ValueError as exc:
            result.update(failed=True, msg=str(exc))
        return result

    def decide(self, args):
        raise NotImplementedError

    def _var(self, name, default=None):
        """A variable of the task as the play set it (templated: a role default or an include's
        vars arrive as templates), default when it is not defined or null."""
        if name not in self._vars:
            return default
        value = self._templar.template(self._vars[name])
        return default if value is None else plain(value)

    def _var_with(self, name, extra):
        """The variable name templated with the extra variables set (a default that depends on
        one of them, as lk_placement_file on __lk_cluster)."""
        if name not in self._vars:
            return None
        templar = self._templar.copy_with_new_env(available_variables=dict(self._vars, **extra))
        return plain(templar.template(self._vars[name]))

    def _per_host(self, hosts, name, default):
        """{host: its variable name} (templated in that host's variables), default where unset."""
        hostvars = self._vars.get('hostvars') or {}
        found = {}
        for host in hosts:
            variables = hostvars[host] if host in hostvars else {}
            found[host] = plain(variables[name]) if name in variables else default
        return found
