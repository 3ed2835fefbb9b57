# -*- coding: utf-8 -*-
"""lk_controller: the identity of the ansible-playbook process, the same from every worker."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import multiprocessing
import os
import socket

from ansible_collections.hatools.lifekeeper.plugins.lookup import lk_controller
from ansible_collections.hatools.lifekeeper.plugins.module_utils import lock


def identity_in_worker(queue):
    queue.put(lk_controller.controller_identity())


def test_a_worker_names_its_parent_process_and_gets_its_token():
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    workers = [context.Process(target=identity_in_worker, args=(queue,)) for dummy in range(2)]
    for worker in workers:
        worker.start()
    seen = [queue.get(timeout=20) for dummy in workers]
    for worker in workers:
        worker.join(10)
    assert seen[0] == seen[1]                                  # two tasks of one run: one identity
    one = seen[0]
    assert (one['controller'], one['pid']) == (socket.gethostname(), os.getpid())
    assert one['started'] == lock.process_start(os.getpid()) and one['boot_id'] == lock.boot_id()
    assert one['token'] == lock.process_token(one['controller'], one['boot_id'], one['pid'], one['started'],
                                              os.geteuid())
    # the module on this controller sees that process alive
    assert lock.process_state(one) == 'alive'
