#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: lk_wait_job
short_description: Wait for a job started with async, saying at a steady interval that it still runs
version_added: 2.0.0
description:
  - 'Waits for a task started with C(async) and C(poll: 0) (a long C(setup), a gate that waits for a cluster
    to be ready) and returns that task''s own result, as M(ansible.builtin.async_status) does once the job
    finished; a job that failed fails this task with the job''s message.'
  - 'While the job runs, prints every O(interval) seconds one line that says what it still waits for, for
    example C([prod] node 2/4 lk2: still waiting for setup (+00:05:40, 120 s of at most 1800 s)). The line is
    printed by the controller: it appears in the normal output and in the AWX job output without any callback
    plugin.'
  - Checks the job often at first (after 0.5, 1, 2 and 4 seconds), then every 5 seconds at most, so a short job
    is not held back by the interval.
  - This is an action plugin. It runs on the controller and reads the job on the host of the task, which must be
    the O(job)'s host (use the same C(delegate_to) as the task that started it).
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: full
    details: Reads the job, as the job's own task ran in check mode.
  diff_mode:
    support: full
    details: Returns the job's C(diff).
  platform:
    platforms: posix
options:
  job:
    description:
      - 'The registered result of the task started with C(async) and C(poll: 0) (it holds C(ansible_job_id)).'
      - A result without a job id that was skipped is returned as it is (skipped).
    type: dict
    required: true
  what:
    description:
      - What the job does, as the lines name it (V(setup), V(the gate ready, paths, mirrors)).
    type: str
    required: true
  timeout:
    description:
      - Seconds this task waits for the job before it fails; at least the C(async) value of the job's task, whose
        own limit ends the job.
    type: float
    required: true
  at_most:
    description:
      - The job's own deadline in seconds (its O(timeout) option), shown in the lines.
    type: float
  interval:
    description:
      - Seconds between two lines.
    type: float
    default: 30
  context:
    description:
      - 'Where the flow is, for the start of the lines (see the filter M(hatools.lifekeeper.lk_progress_line)):
        C(cluster), C(node), C(nodes), C(started), C(hop), C(hops); every key optional.'
    type: dict
    default: {}
seealso:
  - module: ansible.builtin.async_status
  - plugin: hatools.lifekeeper.lk_progress_line
    plugin_type: filter
'''

EXAMPLES = r'''
- name: Run the product's setup on lk2 without holding the connection
  hatools.lifekeeper.lk_setup:
    media: /srv/LKL_V9.9.0_010126.iso
    version: 9.9.0
    timeout: 1800
  async: 6000
  poll: 0
  delegate_to: lk2
  register: setup_job

- name: Wait for the setup on lk2, a line every 30 s
  hatools.lifekeeper.lk_wait_job:
    job: "{{ setup_job }}"
    what: setup
    at_most: 1800
    timeout: 6060
    context: {cluster: prod, node: lk2, nodes: [lk1, lk2]}
  delegate_to: lk2
  register: setup_result
'''

RETURN = r'''
ansible_job_id:
  description:
    - 'Not returned: the result is the job''s own (the module''s return values), without the job''s bookkeeping
      (C(ansible_job_id), C(started), C(finished), C(results_file)).'
  returned: never
  type: str
'''
