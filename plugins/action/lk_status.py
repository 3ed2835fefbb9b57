# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_status on the node; with its option progress, a line every interval seconds while it runs
(plugin_utils.progress_action)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.progress_action import ProgressAction


class ActionModule(ProgressAction):
    """The module lk_status, saying while it runs that it runs."""
