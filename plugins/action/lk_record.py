# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_record: on a node as a module; on the controller itself in the task's worker, without a
module process (plugin_utils.controller_module): the placement record the rolling update keeps there."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.modules.lk_record import LkRecord
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.controller_module import ControllerModuleAction


class ActionModule(ControllerModuleAction):
    """The module lk_record, run in the worker when the task runs on the controller."""

    module_class = LkRecord
    module_name = 'hatools.lifekeeper.lk_record'
