# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_support on the node; with fetch_to, the bundle and the system log taken beside it are then
brought to the controller in the same task: each with ansible-core's own fetch action (its
checksum check, its become support), into a private folder (0700), made private (0600)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import controller_files
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.fetch_action import FetchToAction


class ActionModule(FetchToAction):

    def made_files(self, result, module_args):
        # a bundle (none in check mode)
        return bool(result.get('bundle'))

    def bring_to_controller(self, result, module_args, folder, task_vars):
        node = self._task.delegate_to or task_vars.get('inventory_hostname')
        try:
            controller_files.ensure_private_folder(folder)
        except (IOError, OSError) as exc:
            return dict(result, failed=True, msg='the support bundle was made on %s, but the controller folder %s '
                        'cannot be created: %s' % (node, folder, controller_files.reason(exc)))
        bundle, fetched = controller_files.fetch_private(self, result['bundle'], folder, task_vars)
        if fetched.get('failed') or bundle is None:
            return dict(result, failed=True, msg='the support bundle %s was made on %s, but could not be fetched to '
                        '%s: %s' % (result['bundle'], node, folder, fetched.get('msg') or 'no file arrived'))
        result.update(controller_folder=folder, controller_bundle=bundle, controller_system_log=None)
        log = (result.get('system_log') or {}).get('path')
        if log:
            # the bundle is what support asks for: a system log that does not arrive is said, not fatal
            copy, fetched = controller_files.fetch_private(self, log, folder, task_vars)
            if fetched.get('failed') or copy is None:
                result.setdefault('warnings', []).append('the system log %s of %s could not be fetched to %s: %s' % (
                    log, node, folder, fetched.get('msg') or 'no file arrived'))
            else:
                result['controller_system_log'] = copy
        return result
