#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r"""
module: lk_record
short_description: Keep a private JSON record of an update run on a node (its progress, a copy of the placement)
version_added: 2.0.0
author:
  - hatools developers (@hatools)
description:
  - With O(state=present), writes O(content) as JSON to O(path) (mode 0600, replaced atomically, so a reader sees the
    old record or the new one, never a part), creating its folder with mode 0700 when it is missing. A record that
    already holds O(content) with mode 0600 is left as it is (not changed).
  - An existing folder is used as it is when it belongs to this user (or root) and no other user can write in it
    (without the sticky bit); otherwise the module fails naming the folder and its mode, before writing. A path that
    is a link or not a regular file is refused, naming it.
  - With O(state=absent), removes the record when it is there.
  - One module run does what a folder task and a copy task do (the rolling update writes a node's progress record
    before and after each step), so the records cost one Python start on the node each.
  - The shared options O(lkroot), O(timeout) and O(command_timeout) are accepted (for module_defaults of the action
    group) and not used. LifeKeeper is not needed.
  - On the controller itself (delegated to localhost through the local connection, without become or async)
    the module runs inside the task's worker, without a Python process of its own; the result is the same.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - hatools.lifekeeper.lifekeeper
attributes:
  check_mode:
    support: full
    details:
      - Reads the record and predicts the change; writes nothing.
  diff_mode:
    support: full
    details:
      - The record's JSON before and after.
  platform:
    platforms: posix
options:
  path:
    description:
      - The record's file (absolute).
    type: path
    required: true
  content:
    description:
      - What the record holds (a dictionary or a list, any value JSON can hold), written as indented JSON with sorted
        keys and a final newline.
      - Required with O(state=present).
    type: raw
  state:
    description:
      - V(present) writes the record; V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Record on the node that its update started
  hatools.lifekeeper.lk_record:
    path: /var/lib/hatools-lifekeeper/update-progress.json
    content:
      run_id: "{{ lk_run_id }}"
      step: started
      target_version: 9.9.0

- name: Remove the record
  hatools.lifekeeper.lk_record:
    path: /var/lib/hatools-lifekeeper/update-progress.json
    state: absent
"""

RETURN = r"""
path:
  description: The record's file.
  returned: always
  type: str
  sample: /var/lib/hatools-lifekeeper/update-progress.json
created_folder:
  description: Whether the record's folder was created (or, in check mode, would be).
  returned: always
  type: bool
  sample: false
"""

import json
import os
import stat

from ansible_collections.hatools.lifekeeper.plugins.module_utils import files
from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError


def record_text(content):
    """The file's text of content: indented JSON, sorted keys, a final newline; ASCII only
    (other characters escaped), so that no locale of the node can refuse to write it."""
    return json.dumps(content, indent=4, sort_keys=True) + '\n'


class LkRecord(LkModule):
    argument_spec = dict(
        path=dict(type='path', required=True),
        content=dict(type='raw'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )
    module_kwargs = dict(required_if=[('state', 'present', ['content'])])

    def validate(self):
        path = self.params['path']
        if not os.path.isabs(path):
            raise LifeKeeperError('path must be absolute, not %r' % path)
        if os.path.lexists(path):
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                raise LifeKeeperError('%s is a link or not a regular file: refusing to write a record there' % path)
        self.result.update(path=path, created_folder=False)

    def current(self):
        """(text, mode) of the record, or (None, None) when it is not there."""
        path = self.params['path']
        if not os.path.lexists(path):
            return None, None
        with open(path) as handle:
            return handle.read(), stat.S_IMODE(os.lstat(path).st_mode)

    def state_present(self):
        path = self.params['path']
        folder = os.path.dirname(path)
        before, mode = self.current()
        after = record_text(self.params['content'])
        self.result['changed'] = before != after or mode != files.PRIVATE_FILE_MODE
        self.set_diff(before or '', after, before_header=path, after_header=path)
        if self.check_mode:
            files.check_creatable_dir(folder, 'record folder')
            self.result['created_folder'] = not os.path.isdir(folder)
            return
        created, warnings = files.ensure_private_dir(folder, 'record folder')
        self.result['created_folder'] = created
        for warning in warnings:
            self.module.warn(warning)
        if self.result['changed']:
            files.write_atomic(path, after)

    def state_absent(self):
        path = self.params['path']
        before, dummy = self.current()
        self.result['changed'] = before is not None
        self.set_diff(before or '', '', before_header=path, after_header=path)
        if before is not None and not self.check_mode:
            os.unlink(path)


def main():
    LkRecord.main()


if __name__ == '__main__':
    main()
