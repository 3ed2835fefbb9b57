# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes the run's report on the controller: the JSON report, its Markdown and HTML views
beside it, a copy in the run's folder (plugin_utils.report_files). Runs in the task's worker,
on the controller, without a module: no Python start, no connection."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.utils.display import Display

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import report_files
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.controller_action import ControllerAction

display = Display()

ARGUMENT_SPEC = {
    'report': {'type': 'dict', 'required': True},
    'path': {'type': 'path', 'required': True},
    'operation': {'type': 'str'},
    'keep_dir': {'type': 'path'},
}


class ActionModule(ControllerAction):

    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def decide(self, args):
        written = report_files.write_report(args['report'], args['path'], args['operation'], args['keep_dir'])
        for problem in written['problems']:
            display.warning(problem)
        return dict(changed=True, files=written['files'], problems=written['problems'])
