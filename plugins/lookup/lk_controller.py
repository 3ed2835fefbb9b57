# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
name: lk_controller
short_description: Who runs this play - the controller's host name, the user and the ansible-playbook process id
version_added: 1.0.0
description:
  - Returns one dictionary with C(controller) (the controller's host name), C(user) (the user
    running Ansible on the controller) and C(pid) (the process id of C(ansible-playbook)).
  - Also C(boot_id) (the controller's boot, null where unknown), C(started) (when the
    C(ansible-playbook) process started, clock ticks since boot; null where unknown) and C(token) (a hash of
    all of them and the user id - the same in every task of one C(ansible-playbook) process, another in any
    other process or on any other controller).
  - The rolling update records it in the cluster lock, so that a run refused by the lock learns
    who holds it, and whether that run is still alive (M(hatools.lifekeeper.lk_lock) on the same controller
    checks the pid and its start time).
author:
  - hatools developers (@hatools)
options: {}
'''

EXAMPLES = r'''
- name: Who runs this play
  ansible.builtin.debug:
    msg: "{{ lookup('hatools.lifekeeper.lk_controller') }}"
'''

RETURN = r'''
_raw:
  description: One dictionary with C(controller), C(user), C(pid), C(boot_id), C(started) and C(token).
  type: list
  elements: dict
'''

import getpass
import multiprocessing
import os
import socket

from ansible.plugins.lookup import LookupBase

from ansible_collections.hatools.lifekeeper.plugins.module_utils.lock import boot_id, process_start, process_token


def main_pid():
    """The ansible-playbook process: the parent of the worker process that templates a task
    (Ansible forks one per task and host), or this process when it is not a worker."""
    parent = getattr(multiprocessing, 'parent_process', lambda: None)()
    return os.getppid() if parent is not None else os.getpid()


def controller_identity():
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.geteuid())
    controller, pid, boot = socket.gethostname(), main_pid(), boot_id()
    started = process_start(pid)
    return {'controller': controller, 'user': user, 'pid': pid, 'boot_id': boot, 'started': started,
            'token': process_token(controller, boot, pid, started, os.geteuid())}


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        return [controller_identity()]
