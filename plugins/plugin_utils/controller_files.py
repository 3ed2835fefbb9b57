# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private files on the controller (the report, the backups and support bundles fetched from
the nodes): folders 0700, files 0600 replaced atomically (controller side; checksums: module_utils.files.sha256_of,
the one the nodes' side uses too)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

# the node side's modes and atomic write, the same on the controller
from ansible_collections.hatools.lifekeeper.plugins.module_utils.files import (
    PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, write_atomic)
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import preload  # noqa: F401 pylint: disable=unused-import


def reason(exc):
    """'PATH: reason' of an OSError (its text when it names no file)."""
    return '%s: %s' % (exc.filename, exc.strerror) if getattr(exc, 'filename', None) else str(exc)


def write_private(path, text):
    """Write text to path (0600, UTF-8) atomically; the folder must exist."""
    write_atomic(path, text, PRIVATE_FILE_MODE, encoding='utf-8')


def ensure_private_folder(path):
    """Create path and its missing parents with mode 0700 (an existing folder keeps its mode)."""
    missing = []
    current = os.path.abspath(path)
    while not os.path.isdir(current):
        missing.append(current)
        current = os.path.dirname(current)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, PRIVATE_DIR_MODE)  # the umask may have taken bits away, never added


def make_private(path):
    """Give a file that arrived with the umask's mode the mode 0600."""
    os.chmod(path, PRIVATE_FILE_MODE)


def fetch_private(action, src, folder, task_vars):
    """One file of the task's node into folder (which must exist) with ansible-core's fetch
    action (flat, its checksum checked after the transfer; with become, read as the become
    user), run from action (an action plugin of the same task); what arrived is made 0600.
    Returns (the copy's path, or None when nothing arrived; fetch's result)."""
    task = action._task.copy()
    task.args = {'src': src, 'dest': os.path.join(folder, ''), 'flat': True, 'validate_checksum': True}
    fetch = action._shared_loader_obj.action_loader.get(
        'ansible.legacy.fetch', task=task, connection=action._connection, play_context=action._play_context,
        loader=action._loader, templar=action._templar, shared_loader_obj=action._shared_loader_obj)
    fetched = fetch.run(task_vars=task_vars)
    dest = fetched.get('dest')
    if not dest or not os.path.isfile(dest):
        return None, fetched
    make_private(dest)
    return dest, fetched
