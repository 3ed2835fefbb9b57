#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: lk_preflight
short_description: Decide what pre-flight plans and refuses (the collection's pre-flight)
version_added: 2.0.0
description:
  - Makes pre-flight's decisions for the rolling update, the rollback and the rolling maintenance of the
    C(hatools.lifekeeper.preflight) role, from what every node read, and returns them as facts. It changes nothing on
    any host. Run it once (C(run_once)); the facts reach every host of the play.
  - It reads the task's variables itself - every node's registered reads through C(hostvars) (C(__lk_preflight_status)
    from M(hatools.lifekeeper.lk_status), C(__lk_preflight_host_info) from M(hatools.lifekeeper.lk_host_info),
    C(__lk_preflight_failure) where a node's step failed) and the run's public variables - and on the controller the
    clusters' controller locks, this run's placement records (a resume restores them) and the earlier runs' reports
    (the outages measured in them predict each switchover's).
  - The collection's preflight role calls it; an operator's playbook has no reason to. The decisions are the pure
    functions of C(plugins/plugin_utils/preflight.py), unit-tested there.
  - This is an action plugin. It runs on the controller, in the task's worker, and runs no module (no connection
    and no Python start on any host), whatever host the task runs on.
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - hatools.lifekeeper.lifekeeper.controller_action
attributes:
  check_mode:
    support: full
    details: Decides the same in check mode (a refused cluster then stops the run, which only plans).
options:
  step:
    description:
      - V(inputs) checks what the argument specs cannot - C(lk_fleet_parallel) and C(lk_fleet_canary); for a V(rolling
        update) also the target version (C(lk_target_version) normalised; an empty, malformed or numeric value is named),
        C(lk_media) (an absolute path on the nodes), C(lk_media_sha256) (empty, or 64 hexadecimal digits) - then every
        public input of every host of the play as that host's check against the argument specs found it
        (C(__lk_input_problems), each problem named once), then the hook files (C(lk_hook_*), each set must be a file
        on the controller, a relative path resolved against C(lk_hook_dir), else the directory of the playbook given to
        ansible-playbook), and fails naming a bad value (nothing was changed). Returns C(__lk_hook_lines) (where each
        hook file is); a rolling update also returns C(__lk_target) and C(__lk_hops) (every
        version it passes through with its media, C(lk_media_hops), the target last).
      - V(clusters) groups the play's hosts into clusters (the leaf groups below C(lk_cluster_group), or the group
        itself) and fails, naming the problem, when a node is in no cluster or in two (nothing was changed). Returns
        C(__lk_clusters) (a list of C({name, hosts, leader})) and C(__lk_preflight_reads) (for each host what
        M(hatools.lifekeeper.lk_host_info) reads there - its cluster's lock and, in a rolling update, the targets of the
        vendor's checks, the media of every hop and the licence key files).
      - V(plan) decides every cluster's plan after each node's read - another run's lock (C(lk_break_lock) breaks it),
        a reinstall left part-way (this run completes its own, another run's refuses the cluster), the vendor's checks
        (a rolling update; a 9.x setup without C(lk_setup_config_file) or C(lk_setup_args) stops the run), the
        outages predicted from earlier runs - and returns C(__lk_plans), C(__lk_preflight_lines) (the plan as lines,
        the locks C(lk_break_lock) breaks first), C(__lk_lock_problems), C(__lk_lock_node_queries) and
        C(__lk_lock_controller_queries) (what the lock's take compares against), C(__lk_progress_records),
        C(__lk_placement_copies_seen) (each node's copy of this run's placement record, the second of the records
        M(hatools.lifekeeper.lk_host_info) read; the placement record step uses it instead of reading the nodes again),
        C(__lk_resuming), C(__lk_reinstall_problems), C(__lk_configured) (the hierarchies each node has),
        C(__lk_check_results) and C(__lk_placement_records). Fails when C(lk_reinstall_rebuild) is not a file on the
        controller or a placement record cannot be read.
      - V(admit) decides which clusters go on (a cluster with a problem is refused and not touched) and returns
        C(__lk_fleet) (C({accepted, refused, lines})), C(__lk_fleet_order) (stage 2's batches, C(lk_fleet_parallel),
        C(lk_fleet_canary)) and C(__lk_preflight_refusal), the sentence the run stops with when a cluster is refused
        and none may go on alone (C(lk_fleet_all_or_nothing), check mode, no cluster left), else empty.
    type: str
    required: true
    choices: [inputs, clusters, plan, admit]
  operation:
    description:
      - What the run does (required but with O(step=clusters), where a V(rolling update) also returns the targets of
        the vendor's checks).
    type: str
    choices: [maintenance, rollback, rolling update]
seealso:
  - module: hatools.lifekeeper.lk_host_info
  - module: hatools.lifekeeper.lk_status
'''

EXAMPLES = r'''
- name: Group the nodes into clusters
  hatools.lifekeeper.lk_preflight:
    step: clusters
    operation: rolling update
  run_once: true

- name: Plan every cluster
  hatools.lifekeeper.lk_preflight:
    step: plan
    operation: rolling update
  run_once: true
'''

RETURN = r'''
ansible_facts:
  description: What pre-flight decided (see O(step)).
  returned: success
  type: dict
  sample: {"__lk_clusters": [{"name": "lifekeeper", "hosts": ["node1", "node2"], "leader": "node1"}]}
'''
