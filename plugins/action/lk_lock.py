# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_lock: on a node as a module; on the controller itself in the task's worker, without a
module process (plugin_utils.controller_module): the controller lock of each cluster, taken, read and released there."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.modules.lk_lock import LkLock
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.controller_module import ControllerModuleAction


class ActionModule(ControllerModuleAction):
    """The module lk_lock, run in the worker when the task runs on the controller."""

    module_class = LkLock
    module_name = 'hatools.lifekeeper.lk_lock'
