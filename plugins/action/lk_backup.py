# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_backup on the node; with fetch_to, the new archive and the defaults file are then brought
to the controller in the same task: each with ansible-core's own fetch action (its checksum
check, its become support), into a private folder (0700), made private (0600), the archive
checked against the sha256 the module read on the node."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils.files import sha256_of
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import controller_files
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.fetch_action import FetchToAction

DEFAULTS_FILE = '/etc/default/LifeKeeper'


class ActionModule(FetchToAction):

    def made_files(self, result, module_args):
        # a new archive: state=present (a restore makes none)
        return module_args.get('state', 'present') == 'present'

    def bring_to_controller(self, result, module_args, folder, task_vars):
        archive = result.get('dest_archive') or result.get('archive')
        defaults = module_args.get('defaults_file') or DEFAULTS_FILE
        node = self._task.delegate_to or task_vars.get('inventory_hostname')
        try:
            controller_files.ensure_private_folder(folder)
        except (IOError, OSError) as exc:
            return dict(result, failed=True, msg='cannot create the controller folder %s: %s' % (
                folder, controller_files.reason(exc)))
        copies = {}
        for what, src in (('archive', archive), ('defaults', defaults)):
            dest, fetched = controller_files.fetch_private(self, src, folder, task_vars)
            arrived = dest is not None
            if what == 'archive' and arrived and result.get('sha256'):
                # what arrived is checked against what lkbackup made, whatever fetch's own check
                # said (the file changed on the node between the two reads of fetch, or after the module)
                seen = sha256_of(dest)
                if seen != result['sha256']:
                    return dict(result, failed=True, msg='the fetched archive %s does not match sha256 %s on %s (the '
                                'copy has %s): it changed after lkbackup made it' % (dest, result['sha256'], node, seen))
            if fetched.get('failed') or not arrived:
                return dict(result, failed=True, msg='the backup was made, but its %s %s could not be fetched from %s '
                            'to %s: %s' % (what, src, node, folder, fetched.get('msg') or 'no file arrived'))
            copies[what] = dest
        result.update(changed=True, controller_folder=folder, controller_archive=copies['archive'],
                      controller_defaults=copies['defaults'])
        return result
