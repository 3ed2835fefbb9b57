#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: lk_cluster_record
short_description: Keep the record of one cluster's run on the controller (the collection's flows)
version_added: 2.0.0
description:
  - Writes the record of one cluster's run, a JSON document C(clusters/<cluster>.json) in the run's folder on the
    controller (C(__lk_run_dir); mode 0600, replaced atomically, the folder created 0700). The record holds the plan,
    the step the cluster's flow is at and every step before it, each node's passes (their switchovers, steps and
    times), the result the report shows, and a summary of each earlier attempt with the same run id (a resume).
    docs/architecture.md gives its schema.
  - The collection's playbooks and roles call it at each step of a cluster's flow; it is the record's only writer.
    It reads the task's variables itself (the cluster C(__lk_cluster), its plan C(__lk_plan), the run id
    C(__lk_run), and for O(op=result) the facts of the flow's roles that O(op) names) and returns as
    facts what the flow reads afterwards. An operator's playbook has no reason to call it.
  - Only O(op=start) fails when the record cannot be written (the cluster's flow does not start). Later a record
    that cannot be read or written must not stop the flow nor its rescue - the hierarchies are brought back first -
    so the task returns its facts all the same (from the flow's facts where the record cannot be read) and warns,
    naming the file and the reason.
  - It never reports a change - the record is the run's own account of what it did, as a log is, not a change to
    any host - but when O(op=results) writes the run's report (O(report_path)).
  - This is an action plugin. It runs on the controller, in the task's worker, and runs no module (no connection
    and no Python start on any host), whatever host the task runs on. It writes in check mode too.
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - hatools.lifekeeper.lifekeeper.controller_action
attributes:
  check_mode:
    support: full
    details: Writes the record in check mode too.
options:
  op:
    description:
      - V(start) begins the cluster's record with the plan, the hosts and C(__lk_configured) (an earlier attempt's
        record with the same run id is summarised in C(attempts)); returns the facts C(__lk_cluster_started),
        C(__lk_step) (V(start) of V(cluster)), C(__lk_node_records) (empty) and the cluster's progress context
        (C(__lk_progress), and C(__lk_cluster_progress), which the progress lines of the cluster's steps use).
      - Every operation but V(read) and V(placement) also keeps in the record the placement the flow recorded (C(lk_placement_before))
        and the switchovers that restored it (C(__lk_placement_record)) once they are set.
      - V(step) notes the step O(name) of O(node) (the whole cluster when O(node) is not given); returns C(__lk_step)
        and the progress context C(__lk_progress) (of the cluster; of the node with O(first)). A node's pass ends where
        the next pass begins (O(first)) or at the next cluster step - that step keeps the pass that was open
        (C(__lk_node_pass)) in the node records, as V(node) does, and also returns C(__lk_node_records) and
        C(__lk_maintained).
      - V(node) keeps one pass of O(node) in its node records - the cluster's rescue keeps a failed pass with it
        (O(ended=false)) (its switchovers from C(__lk_evacuations), when its
        evacuation ended from C(__lk_evacuated_at), its start from C(__lk_node_started), the hop from C(__lk_hop));
        returns C(__lk_node_records) and C(__lk_maintained), the nodes whose maintenance pass ended (a rolling
        maintenance prefers them as standbys).
      - V(placement) keeps the placement record of this run (C(lk_placement_file), beside the cluster records, saying where
        each hierarchy is in service, a root tag to host mapping) - written once per run id from the flow's read of every node
        (C(__lk_cluster_status)), 0600 in a private folder, then kept by every later attempt of the run. It is refused,
        naming why and writing nothing, when a node was not read (a placement seen from part of the cluster) or when an
        earlier attempt of this run lost it (its copies on the nodes, O(node_copies) or pre-flight's
        C(__lk_placement_copies_seen), or the nodes' progress records C(__lk_progress_records) name this run). Returns
        it as C(lk_placement_before) (in check mode only once written) and C(__lk_cluster_read_unchanged) (true when
        it was just recorded, so that the read is lent to the first evacuation). Needs no cluster record.
      - V(result) records the cluster's result from the record and a read of every node after the last change
        (C(__lk_cluster_status); O(statuses) for a cluster O(result=refused) or O(result=skipped)), with
        C(lk_placement_before), C(__lk_placement_record), C(lk_report_notes), C(__lk_failure_time),
        C(__lk_switchover_test), C(__lk_rescue_errors) and C(__lk_rescue_brought_back); returns
        C(__lk_cluster_result), the report's record of the cluster.
      - V(lock) keeps in the cluster's result, and in the record, what became of the cluster's lock (O(note)) - the lock
        is released after the result is recorded. Returns C(__lk_cluster_result) with C(lock_note).
      - V(results) returns C(__lk_results), every cluster's result for the report, in the order of O(leaders) (the hosts
        that ran the clusters' flows, which name the clusters - C(__lk_cluster)) - the result in the cluster's record when
        this attempt of the run recorded it (it ended after C(__lk_run_started)); else the result the leader kept
        (C(__lk_cluster_result)), when the record could not be written or read (a warning says so); else a failed
        result of a flow that ended without one, every node unknown; and C(lk_report), the run's report built from
        them (the clusters' reports combined, with the operation they name). With O(report_path) it also writes the
        report there, as M(hatools.lifekeeper.lk_report_write) does (its Markdown and HTML views beside it, a copy in
        O(keep_dir)); a report that cannot be written fails the task, a view or copy that cannot is a warning.
      - V(read) returns from the record what the rescue of a cluster whose flow lost its connection needs, run from
        another host - the step the flow was at (C(__lk_step)), the node records (C(__lk_node_records)), the plan
        (C(__lk_plan)) and hosts (C(__lk_cluster_hosts)), the placement to restore (C(lk_placement_before),
        C(__lk_placement_record)), the hierarchies each node has an instance of (C(__lk_configured)) and when the flow
        started; it fails when there is no record.
    type: str
    required: true
    choices: [start, step, node, placement, result, lock, read, results]
  node:
    description:
      - The node of the step (O(op=step)) or whose pass is kept (O(op=node), required).
    type: str
  name:
    description:
      - The step's name (O(op=step), required).
    type: str
  first:
    description:
      - With O(op=step), the step begins the node's pass; also returns C(__lk_node_started) (now),
        C(__lk_node_plan) (the node's plan in this pass), C(__lk_node_pass) (the pass now open - node, start, hop,
        action), an empty C(__lk_evacuate_gate) and the node's progress context.
    type: bool
    default: false
  changes:
    description:
      - With O(op=step), the step changes the node; also returns C(__lk_cluster_read_unchanged=false) (no earlier
        read of the cluster may be lent to an evacuation).
    type: bool
    default: false
  ended:
    description:
      - With O(op=node), whether the pass ended. V(false) in a rescue keeps the switchovers of a failed pass and no
        end, when the pass's evacuation ended (C(__lk_evacuated_at) of the node not before C(__lk_node_started)); a
        pass that failed before, or a cluster step, keeps nothing and returns no facts.
    type: bool
    default: true
  action:
    description:
      - With O(op=node), what the pass did (V(update), V(reinstall), V(rollback), V(maintain)); the node's plan
        (C(__lk_node_plan)) says it when not given.
    type: str
  result:
    description:
      - With O(op=result), the cluster's result (required).
    type: str
    choices: [success, failed, refused, skipped]
  failure:
    description:
      - With O(op=result), why the cluster did not succeed (a text, or a list of problems).
    type: raw
  statuses:
    description:
      - With O(op=result) and O(result=refused) or O(result=skipped), every node as pre-flight read it.
    type: dict
  note:
    description:
      - With O(op=lock), what became of the cluster's lock (a sentence; empty when it was released).
    type: str
    default: ''
  leaders:
    description:
      - With O(op=results) (required), the hosts that ran the clusters' flows, in the report's order.
    type: list
    elements: str
  report_path:
    description:
      - With O(op=results), where to write the run's report (JSON, 0600; its folder must exist), with its views beside it.
    type: path
  keep_dir:
    description:
      - With O(op=results) and O(report_path), the folder (the run's) that keeps a copy of the report, which later runs
        predict each switchover's outage from.
    type: path
  node_copies:
    description:
      - With O(op=placement), each node's copy of this run's placement record, by host (null for a node that has
        none), read just before; pre-flight's C(__lk_placement_copies_seen) when not given.
    type: dict
seealso:
  - module: hatools.lifekeeper.lk_report_write
'''

EXAMPLES = r'''
- name: Start this cluster's record on the controller
  hatools.lifekeeper.lk_cluster_record:
    op: start

- name: Note the step
  hatools.lifekeeper.lk_cluster_record:
    op: step
    node: "{{ lk_node }}"
    name: update
    changes: true

- name: Record the cluster's result
  hatools.lifekeeper.lk_cluster_record:
    op: result
    result: success
'''

RETURN = r'''
path:
  description: The record's path on the controller (the placement record's with O(op=placement), the run's folder with O(op=results)).
  returned: success
  type: str
  sample: /srv/artifacts/20261206T101500.123456Z/clusters/lifekeeper.json
files:
  description: With O(op=results) and O(report_path), the report's files written.
  returned: when the report was written
  type: list
  elements: str
  sample: [/srv/lifekeeper-update-report.json, /srv/lifekeeper-update-report.md, /srv/lifekeeper-update-report.html]
ansible_facts:
  description: What the flow reads afterwards (see O(op)).
  returned: success
  type: dict
  sample: {"__lk_step": {"node": "node1", "name": "update"}}
'''
