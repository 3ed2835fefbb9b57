#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: lk_report_write
short_description: Write a run's report on the controller, with its Markdown and HTML views and a kept copy
version_added: 2.0.0
description:
  - Writes O(report) (the run report the report role builds, C(lk_report)) as JSON to O(path), its Markdown summary
    and self-contained HTML page beside it (O(path) without C(.json), then C(.md) and C(.html)), and, with
    O(keep_dir), a copy named C(report.json) there (the run's private folder; pre-flight of the next runs predicts
    each switchover's outage from the outages measured in it).
  - Every file has mode 0600 and is replaced atomically (a temporary file beside it, then a rename). O(keep_dir) and
    its missing parents are created with mode 0700.
  - The JSON report is the record - when it cannot be written (its folder missing, no room), the task fails naming
    the path and the reason. A view or the kept copy that cannot be written is a warning, and listed in
    RV(problems).
  - This is an action plugin. It runs on the controller, in the task's worker, and runs no module (no connection
    and no Python start on any host), whatever host the task runs on. It writes in check mode too (the report of
    a check-mode run is its plan).
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - hatools.lifekeeper.lifekeeper.controller_action
attributes:
  check_mode:
    support: full
    details: Writes the files in check mode too.
options:
  report:
    description:
      - The run report (a dictionary; see the report role).
    type: dict
    required: true
  path:
    description:
      - Where the JSON report goes on the controller; its folder must exist.
    type: path
    required: true
  operation:
    description:
      - What the run did (V(rolling update), V(rollback)), for the views' title.
    type: str
  keep_dir:
    description:
      - The run's folder on the controller, where a copy named C(report.json) is kept.
    type: path
seealso:
  - plugin: hatools.lifekeeper.lk_report_view
    plugin_type: filter
'''

EXAMPLES = r'''
- name: Write the report, its views and the run's copy
  hatools.lifekeeper.lk_report_write:
    report: "{{ lk_report }}"
    path: /srv/reports/lifekeeper-update-report.json
    operation: rolling update
    keep_dir: /srv/artifacts/run-20261206
  run_once: true
'''

RETURN = r'''
files:
  description: The files written (the JSON report first).
  returned: success
  type: list
  elements: str
  sample: [/srv/reports/lifekeeper-update-report.json, /srv/reports/lifekeeper-update-report.md]
problems:
  description: What could not be written besides the JSON report (a view, the kept copy), one sentence each.
  returned: success
  type: list
  elements: str
  sample: []
'''
