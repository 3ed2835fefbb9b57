# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pre-flight's decisions (plugin_utils.preflight), on the controller, in the task's worker:
reads every node's registered results through hostvars, the controller's locks, the placement
records and the earlier runs' reports itself, and returns as facts what it decides."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os

from ansible import context
from ansible.inventory.manager import InventoryManager

from ansible_collections.hatools.lifekeeper.plugins.lookup.lk_child_groups import leaf_groups
from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock as lklock
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster, hooks, locks, preflight, values
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.controller_action import ControllerAction

ARGUMENT_SPEC = {
    'step': {'type': 'str', 'required': True, 'choices': ['inputs', 'clusters', 'plan', 'admit']},
    'operation': {'type': 'str', 'choices': sorted(preflight.OPERATIONS)},
}
REQUIRED = {'inputs': ('operation',), 'plan': ('operation',), 'admit': ('operation',)}
# each node's registered results pre-flight reads
STATUS = '__lk_preflight_status'
HOST_INFO = '__lk_preflight_host_info'
FAILURE = '__lk_preflight_failure'
# each host's problems with the public inputs (preflight inputs.yml)
INPUT_PROBLEMS = '__lk_input_problems'
REPORT = 'report.json'


class ActionModule(ControllerAction):

    ARGUMENT_SPEC = ARGUMENT_SPEC
    REQUIRED = REQUIRED
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def decide(self, args):
        facts = getattr(self, '_' + args['step'])(args['operation'])
        return {'changed': False, 'ansible_facts': facts}

    # ---- the run's own inputs -----------------------------------------------------------
    def _inputs(self, operation):
        """The run's own inputs (their own sentences first), then every public input of every
        host of the play, as each host's check found it (INPUT_PROBLEMS), then the hook files:
        each set must be a file on the controller (a relative path against lk_hook_dir, else the
        directory of the playbook given to ansible-playbook); __lk_hook_lines say where they are."""
        preflight.fleet_inputs(self._var('lk_fleet_parallel'), self._var('lk_fleet_canary', 0))
        facts = {}
        if operation == 'rolling update':
            facts = preflight.update_inputs(self._var('lk_target_version', ''), self._var('lk_media'),
                                            self._var('lk_media_sha256'), self._var('lk_media_hops'))
        preflight.refuse_inputs(self._per_host(self._var('ansible_play_hosts') or [], INPUT_PROBLEMS, []))
        resolved = hooks.hook_files(
            dict((point, self._var('lk_hook_' + point)) for point in hooks.POINTS), self._var('lk_hook_dir'),
            # ansible-playbook's own arguments: the worker runs in its process's copy
            [str(arg) for arg in (context.CLIARGS.get('args') or ())], os.getcwd())
        preflight.refuse_inputs({'hook files': resolved['problems']})
        facts['__lk_hook_lines'] = ['hook %s: %s' % (point, resolved['paths'][point])
                                    for point in hooks.POINTS if point in resolved['paths']]
        return facts

    # ---- what the nodes read ------------------------------------------------------------
    def _hosts(self):
        return self._var('ansible_play_hosts_all') or []

    def _statuses(self):
        return cluster.node_reads(self._per_host(self._hosts(), STATUS, self._var('__lk_not_reached')))

    def _clusters(self, operation):
        group = self._var('lk_cluster_group')
        children = self._leaf_groups(group)
        found = preflight.clusters(group, self._var('groups') or {}, children, self._hosts())
        if operation != 'rolling update':
            return {'__lk_clusters': found, '__lk_preflight_reads': preflight.node_reads(found, {})}
        hops = self._var('__lk_hops') or []
        reads = preflight.node_reads(found, self._statuses(), self._check_options(),
                                     [hop['media'] for hop in hops] + list(self._var('lk_license_files') or []))
        return {'__lk_clusters': found, '__lk_preflight_reads': reads}

    def _leaf_groups(self, group):
        """The leaf groups below group (the clusters of a fleet), read again from the run's own
        inventory sources: the groups variable does not say which group is a child of which."""
        sources = self._var('ansible_inventory_sources')
        if not sources:
            return []
        found = InventoryManager(loader=self._loader, sources=list(sources)).groups.get(str(group))
        return leaf_groups(found) if found is not None else []

    def _check_options(self):
        return {'skip': self._var('lk_preflight_skip'), 'accept_perl_change': self._var('lk_accept_perl_change'),
                'license_files': self._var('lk_license_files'), 'media_access': self._var('lk_media_access'),
                'min_free_mb': self._var('lk_preflight_min_free_mb'), 'backup_dir': self._var('lk_backup_node_dir'),
                'mirror_numbers': self._var('lk_mirror_numbers'),
                'supported_kernels': self._var('lk_supported_kernels')}

    # ---- the plans ----------------------------------------------------------------------
    def _plan(self, operation):
        found = self._var('__lk_clusters') or []
        rebuild = self._var('lk_reinstall_rebuild') or ''
        if rebuild and not os.path.isfile(values.absolute_path(rebuild, 'lk_reinstall_rebuild')):
            raise ValueError(
                "lk_reinstall_rebuild is '%s': no such file on the controller (%s); it must be a task file that "
                'rebuilds the communication paths and hierarchies. Nothing was changed'
                % (rebuild, values.absolute_path(rebuild, 'lk_reinstall_rebuild')))
        update = operation == 'rolling update'
        settings = {
            'break_lock': self._var('lk_break_lock', False), 'lkroot': self._var('lk_lkroot'),
            'version': self._var('__lk_target', '') if operation != 'maintenance' else '',
            'allow_reinstall': self._var('lk_allow_reinstall', False),
            'restore_placement': self._var('lk_restore_placement', True),
            'placement_records': self._placement_records(found), 'hops': self._var('__lk_hops') if update else None,
            'check_options': self._check_options() if update else None,
            'setup_config': bool(self._var('lk_setup_args') or self._var('lk_setup_config_file')),
            'rebuild': rebuild, 'restore_archive': self._var('lk_reinstall_restore_archive', False),
            'report_texts': self._earlier_reports()}
        return preflight.decide(operation, found, self._statuses(),
                                self._per_host(self._hosts(), HOST_INFO, self._var('__lk_not_reached')),
                                self._controller_locks(found), self._var('__lk_run'), settings)

    def _controller_locks(self, found):
        """Each cluster's controller lock, as a loop of lk_lock queries would have registered it."""
        lock_dir = self._var('__lk_lock_controller_dir')
        queries = []
        for one in found:
            try:
                outcome = lklock.query(lock_dir, locks.lock_name(one['name']))
            except (LifeKeeperError, OSError, ValueError) as exc:
                # as lk_lock's query fails (an unsafe lock folder, a lock that is not a file): the lock is
                # unread, which refuses the cluster (it might be held)
                outcome = {'failed': True, 'msg': 'the controller lock of %s cannot be read: %s' % (one['name'], exc)}
            queries.append(dict(outcome, **{preflight.LOCK_CLUSTER: one}))
        return queries

    def _placement_records(self, found):
        """{cluster: the placement an earlier attempt of this run recorded} ({} when none): a resume
        restores it."""
        records = {}
        for one in found:
            path = values.absolute_path(self._var_with('lk_placement_file', {'__lk_cluster': one['name']}),
                                        'lk_placement_file')
            records[one['name']] = _placement_record(path)
        return records

    def _earlier_reports(self):
        """The texts of the earlier runs' reports (<artifacts>/<run id>/report.json)."""
        root = self._var('__lk_artifacts_root')
        if not root or not os.path.isdir(root):
            return []
        paths = [os.path.join(root, REPORT)] + [os.path.join(root, name, REPORT) for name in sorted(os.listdir(root))]
        texts = []
        for path in paths:
            if os.path.isfile(path):
                try:
                    with open(path) as handle:
                        texts.append(handle.read())
                except (OSError, UnicodeDecodeError):
                    continue
        return texts

    # ---- which clusters go on -----------------------------------------------------------
    def _admit(self, operation):
        settings = {'all_or_nothing': self._var('lk_fleet_all_or_nothing', False),
                    'check_mode': bool(self._var('ansible_check_mode', False)),
                    'parallel': self._var('lk_fleet_parallel'), 'canary': self._var('lk_fleet_canary', 0)}
        return preflight.admit(operation, self._var('__lk_clusters') or [], self._var('__lk_plans') or {},
                               self._var('__lk_lock_problems') or {}, self._per_host(self._hosts(), FAILURE, ''),
                               self._var('ansible_play_hosts') or [], self._var('__lk_reinstall_problems') or [],
                               settings)


def _placement_record(path):
    """The placement record at path, {} when there is none; ValueError when it cannot be read
    (a resume must not plan without the placement it restores)."""
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as handle:
            text = handle.read()
        return json.loads(text) if text.strip() else {}
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError('the placement record %s cannot be read (%s); a resume restores the placement it holds. '
                         'Nothing was changed' % (path, exc))
