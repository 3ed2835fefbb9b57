# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The only writer of a cluster's record (plugin_utils.cluster_record) in the run's folder on
the controller. Runs in the task's worker, on the controller, without a module: it reads the
task's variables itself (the facts the flow's roles set) and returns, as facts, what the flow's
tasks read afterwards (the step, the node records, the cluster's result)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import time

from ansible.errors import AnsibleError

from ansible_collections.hatools.lifekeeper.plugins.modules.lk_record import record_text
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster, cluster_record, report_files, resume, values
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.controller_action import ControllerAction
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.controller_files import (
    ensure_private_folder, reason, write_private)

ARGUMENT_SPEC = {
    'op': {'type': 'str', 'required': True,
           'choices': ['start', 'step', 'node', 'placement', 'result', 'lock', 'read', 'results']},
    'node': {'type': 'str'},
    'name': {'type': 'str'},
    'first': {'type': 'bool', 'default': False},
    'changes': {'type': 'bool', 'default': False},
    'ended': {'type': 'bool', 'default': True},
    'action': {'type': 'str'},
    'result': {'type': 'str', 'choices': list(cluster_record.RESULTS)},
    'failure': {'type': 'raw'},
    'statuses': {'type': 'dict'},
    'note': {'type': 'str', 'default': ''},
    'leaders': {'type': 'list', 'elements': 'str'},
    'node_copies': {'type': 'dict'},
    'report_path': {'type': 'path'},
    'keep_dir': {'type': 'path'},
}
# what each operation needs besides op
REQUIRED = {'step': ('name',), 'node': ('node',), 'result': ('result',), 'results': ('leaders',)}
# what op=results reads of the host that ran a cluster's flow
LEADER_VARS = ('__lk_cluster', '__lk_cluster_result', '__lk_plan', '__lk_cluster_hosts', '__lk_cluster_started',
               '__lk_run', 'lk_run_id')


class ActionModule(ControllerAction):

    ARGUMENT_SPEC = ARGUMENT_SPEC
    REQUIRED = REQUIRED
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def decide(self, args):
        self._problems = []
        self._report_files = []
        try:
            facts = getattr(self, '_' + args['op'])(args, time.time())
            if args['op'] == 'results':
                path = self._var('__lk_run_dir')
            elif args['op'] == 'placement':
                path = self._placement_path
            else:
                path = self._path
        except OSError as exc:
            raise ValueError('the cluster record cannot be written: %s' % reason(exc))
        # the record is the run's own account of what it did, as a log is: no host changes with it
        result = dict(changed=False, ansible_facts=facts, path=path)
        if self._report_files:
            # op=results with report_path: the report's files are the run's output, written now
            result.update(changed=True, files=self._report_files)
        if self._problems:
            result['warnings'] = list(self._problems)
        return result

    def _keep(self, record):
        """Write record after the flow's start. A record that cannot be written then must not stop
        the flow nor, above all, its rescue (the hierarchies come back first): the facts are
        returned all the same and the task warns, naming the file and the reason."""
        try:
            cluster_record.save(self._path, record)
        except (OSError, ValueError) as exc:
            self._problems.append('the cluster record %s cannot be written (%s); the flow goes on, the report keeps '
                                  'the result' % (self._path, reason(exc) if isinstance(exc, OSError) else exc))

    # ---- the task's variables -----------------------------------------------------------
    def _plan(self):
        return self._var('__lk_plan') or self._var('lk_plan') or {}

    def _cluster(self):
        return self._var('__lk_cluster') or self._plan().get('cluster')

    @property
    def _path(self):
        return cluster_record.record_path(self._var('__lk_run_dir'), self._cluster())

    def _record(self):
        """The cluster's record, with the placement the flow recorded so far. A fresh one, with the
        node passes the flow's facts hold, when there is none (a rescue or report in an operator's
        own playbook, a cluster refused or skipped before its flow) or it cannot be read (said)."""
        try:
            record = cluster_record.load(self._path)
        except ValueError as exc:
            self._problems.append("%s; the flow's own facts stand in for it" % exc)
            record = None
        if record is None:
            record = dict(self._new(), nodes=self._var('__lk_node_records') or {})
        return cluster_record.with_placement(record, self._var('lk_placement_before'), self._var('__lk_placement_record'))

    def _new(self, earlier=None, started=None):
        return cluster_record.new(
            self._cluster(), self._var('__lk_run'), self._plan().get('operation'), self._var('__lk_cluster_hosts'),
            self._plan(), started if started is not None else self._var('__lk_cluster_started'),
            self._var('__lk_resume_vars'), self._var('__lk_resume_note'), earlier, self._var('__lk_configured'))

    # ---- the operations -----------------------------------------------------------------
    def _start(self, args, now):
        cluster_record.save(self._path, self._new(cluster_record.load(self._path), now))
        context = cluster_record.progress_context(self._cluster(), self._var('__lk_run_started', now))
        return {'__lk_cluster_started': now, '__lk_step': dict(cluster_record.FIRST_STEP), '__lk_node_records': {},
                # the progress lines of the cluster's steps (a step's line is its note's task name, templated
                # before the note runs: the one after the last node's pass names no node with the second)
                '__lk_progress': context, '__lk_cluster_progress': context}

    def _step(self, args, now):
        node = args['node'] or 'cluster'
        # a node's pass ends where the next one begins, or at the next cluster step
        closing = (self._var('__lk_node_pass') or {}) if args['first'] or node == 'cluster' else {}
        record, facts = self._close_pass(self._record(), closing, now)
        # the read the ended pass's gate made of its node, moments ago, for the next read of the
        # cluster only (the next evacuation, the placement restore): none after any other step
        facts['__lk_cluster_read_lent'] = cluster_record.gate_read_lent(
            self._plan().get('operation'), closing, self._var('__lk_node_plan'), self._var('__lk_start_gate'),
            self._var('lk_hook_after_update')) if closing else {}
        record = cluster_record.note_step(record, node, args['name'], now)
        self._keep(record)
        started = self._var('__lk_run_started', self._var('__lk_cluster_started'))
        facts['__lk_step'] = {'node': node, 'name': args['name']}
        if node == 'cluster':
            facts['__lk_progress'] = cluster_record.progress_context(self._cluster(), started)
        elif args['first']:
            plan, hop = self._plan(), self._var('__lk_hop')
            node_plan = cluster_record.node_plan(plan, hop, node)
            facts.update(
                __lk_node_started=now,
                __lk_node_plan=node_plan,
                # the pass now open, closed by the next pass's first step or the next cluster step
                __lk_node_pass={'node': node, 'started': now, 'hop': (hop or {}).get('version'),
                                'action': node_plan.get('action') or 'update'},
                # no evacuation gate's read yet for this node in this pass (an earlier pass's must not count)
                __lk_evacuate_gate={},
                __lk_progress=cluster_record.progress_context(
                    self._cluster(), started, node, (hop or plan).get('order') or self._var('lk_cluster_hosts'),
                    (hop or {}).get('version'), len(plan.get('hops') or [])))
        if args['changes']:
            # the node changes now: no read before this is lent to an evacuation
            facts['__lk_cluster_read_unchanged'] = False
        return facts

    def _close_pass(self, record, open_pass, now):
        """(record, facts) with the open pass (__lk_node_pass, when this step begins another pass
        or is a cluster step) kept as ended now; no facts when there is none to close."""
        if not open_pass:
            return record, {}
        record = self._keep_pass(record, open_pass['node'], open_pass['started'], now, open_pass.get('hop'),
                                 open_pass.get('action'))
        return record, self._passes_kept(record)

    def _keep_pass(self, record, node, started, ended, hop, action):
        """record with one pass of node kept: its switchovers (__lk_evacuations) and the end of its
        evacuation (__lk_evacuated_at), ended None for a pass that did not end."""
        return cluster_record.keep_node(
            record, node, started, ended, (self._var('__lk_evacuations') or {}).get(node) or [], hop,
            action or 'update', (self._var('__lk_evacuated_at') or {}).get(node))

    @staticmethod
    def _passes_kept(record):
        """The facts after a pass is kept: the node records, the maintained nodes (a rolling
        maintenance prefers them as standbys), no pass open."""
        return {'__lk_node_records': record['nodes'], '__lk_maintained': cluster_record.maintained(record['nodes']),
                '__lk_node_pass': {}}

    def _node(self, args, now):
        node = args['node']
        node_plan = self._var('__lk_node_plan') or {}
        evacuated_at = (self._var('__lk_evacuated_at') or {}).get(node)
        if not args['ended'] and not cluster_record.evacuated_in_pass(evacuated_at, self._var('__lk_node_started')):
            # a rescue: the failed pass made no switchover of its own (it failed before its evacuation ended)
            return {}
        record = self._keep_pass(self._record(), node, self._var('__lk_node_started'), now if args['ended'] else None,
                                 (self._var('__lk_hop') or {}).get('version'), args['action'] or node_plan.get('action'))
        self._keep(record)
        facts = self._passes_kept(record)
        if args['ended']:
            # the node's pass ended: the next progress line is the cluster's (or the next node's first note)
            facts['__lk_progress'] = cluster_record.progress_context(
                self._cluster(), self._var('__lk_run_started', self._var('__lk_cluster_started')))
        return facts

    def _placement(self, args, now):
        """The placement record of this run (lk_placement_file), on the controller: written once per
        run id from the cluster's read (__lk_cluster_status), unless an earlier attempt of this run
        lost it (O(node_copies), or pre-flight's __lk_placement_copies_seen, and __lk_progress_records
        say so) or a node was not read - then refused, naming why. Returns it as lk_placement_before
        (not in check mode before it is written), and lends the read to the first evacuation
        (__lk_cluster_read_unchanged) when it was just made for this record."""
        path = self._placement_path = values.absolute_path(self._var('lk_placement_file'), 'lk_placement_file')
        if os.path.islink(path) or (os.path.lexists(path) and not os.path.isfile(path)):
            raise ValueError('%s is a link or not a regular file: refusing to use it as the placement record' % path)
        recorded = os.path.isfile(path)
        facts = {'__lk_cluster_read_unchanged': not recorded}
        if not recorded:
            copies = args['node_copies'] if args['node_copies'] is not None else self._var('__lk_placement_copies_seen')
            statuses = self._var('__lk_cluster_status') or {}
            refusal = resume.placement_refusal(
                path, self._var('__lk_run'), copies or {}, self._var('__lk_progress_records') or {},
                '%s/placement-%s.json' % (self._var('lk_update_state_dir'), self._var('__lk_run')), statuses)
            if refusal:
                raise ValueError(refusal)
            if self._task.check_mode:
                return facts
            try:
                ensure_private_folder(os.path.dirname(path))
                write_private(path, record_text(cluster.placement(statuses)))
            except OSError as exc:
                raise ValueError('the placement record %s cannot be written: %s' % (path, reason(exc)))
        try:
            with open(path) as handle:
                facts['lk_placement_before'] = json.load(handle)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ValueError('the placement record %s cannot be read (%s); a resume restores the placement it holds'
                             % (path, reason(exc) if isinstance(exc, OSError) else exc))
        return facts

    def _result(self, args, now):
        record = self._record()
        unchanged = args['result'] in ('refused', 'skipped')
        outcome = cluster_record.cluster_result(
            record, args['result'], args['statuses'] if unchanged else self._var('__lk_cluster_status'),
            args['failure'], None, None, self._var('lk_report_notes'), self._var('__lk_failure_time'),
            self._var('__lk_switchover_test'), self._var('__lk_rescue_errors'), self._var('__lk_rescue_brought_back'),
            self._var('__lk_run_dir'), now)
        self._keep(cluster_record.finish(record, outcome, now))
        return {'__lk_cluster_result': outcome}

    def _lock(self, args, now):
        record = cluster_record.with_lock_note(self._record(), args['note'])
        self._keep(record)
        return {'__lk_cluster_result': dict(self._var('__lk_cluster_result') or record.get('result') or {},
                                            lock_note=args['note'])}

    def _results(self, args, now):
        """Every cluster's result for the report, from the records of this attempt (the hosts
        that ran the flows, O(leaders), name the clusters), and the run's report built from them."""
        by_name = dict((name, self._per_host(args['leaders'], name, None)) for name in LEADER_VARS)
        entries = []
        for leader in args['leaders']:
            host_vars = dict((name, values[leader]) for name, values in by_name.items() if values[leader] is not None)
            entries.append((self._leader_record(host_vars.get('__lk_cluster')), host_vars))
        results = cluster_record.gathered_results(entries, self._var('__lk_run_started'))
        report = cluster_record.run_report(results)
        if args['report_path']:
            # the JSON report is the run's record: a failure to write it fails the task; a view or
            # the copy in keep_dir not written is a warning
            written = report_files.write_report(report, args['report_path'], report['operation'], args['keep_dir'])
            self._report_files = written['files']
            self._problems.extend(written['problems'])
        return {'__lk_results': results, 'lk_report': report}

    def _leader_record(self, cluster):
        if not cluster:
            return None
        try:
            return cluster_record.load(cluster_record.record_path(self._var('__lk_run_dir'), cluster))
        except (ValueError, AnsibleError) as exc:
            self._problems.append("%s; the result the cluster's flow kept stands in for it" % exc)
            return None

    def _read(self, args, now):
        record = cluster_record.load(self._path)
        if record is None:
            raise ValueError('no record of cluster %s in %s: its flow never started' % (self._cluster(), self._path))
        view = cluster_record.rescue_view(record)
        return {'__lk_step': view['step'], '__lk_node_records': view['nodes'], '__lk_cluster_started': view['started'],
                '__lk_plan': view['plan'], '__lk_cluster_hosts': view['hosts'],
                'lk_placement_before': view['placement_before'], '__lk_placement_record': view['placement_switchovers'],
                '__lk_configured': view['configured']}
