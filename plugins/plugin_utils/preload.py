# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's filters and lookups, loaded once in ansible-playbook's own process.

ansible-playbook forks a worker process for each task on each host. A worker that templates one
of the collection's filters first loads every filter file of the collection, the plugin_utils
they import and ansible-core's own filters - from source, since ansible-core's collection loader
keeps no bytecode: about 0.25 s of CPU for each such task on a 2-core machine, most of the
controller's CPU in a rolling update. ansible-playbook's own process imports an action plugin
when it queues the plugin's first task; the collection's action plugins import this module
(through plugin_utils.progress_action, controller_module and controller_files), which looks
one filter up there, so that every worker forked afterwards finds them all loaded.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.plugins.loader import filter_loader, lookup_loader

# any filter of the collection: looking one up loads them all (ansible-core scans the files)
ANY_FILTER = 'hatools.lifekeeper.lk_lock_name'
# the lookups, one file each
LOOKUPS = ('hatools.lifekeeper.lk_controller', 'hatools.lifekeeper.lk_command_line',
           'hatools.lifekeeper.lk_child_groups')


def load_filters():
    """Look the collection's filters and lookups up in this process; never fails (it only saves CPU)."""
    try:
        filter_loader.get(ANY_FILTER)
        for name in LOOKUPS:
            lookup_loader.get(name)
    except Exception:  # pylint: disable=broad-except
        pass


load_filters()
