# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input values as operators send them (controller side, pure).

AWX surveys and extra vars deliver booleans and versions as strings: this is the one place
that reads them. Errors are ValueError naming the value and what is allowed; the filters
turn them into AnsibleFilterError.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import RUN_ID_PATTERN, RUN_ID_RE
from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import ACCEPTED_FORM, parse_version

TRUE_WORDS = ('1', 'true', 'yes', 'on', 'y')
FALSE_WORDS = ('0', 'false', 'no', 'off', 'n', '')


def to_bool(value, name='value'):
    """True/False from a boolean or its usual spellings; ValueError naming anything else."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if value is not None else ''
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError('%s is %r: expected true or false' % (name, value))


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def normalise_version(value, name='lk_target_version'):
    """'v9.9' -> '9.9.0'; ValueError naming an empty, malformed or numeric value.

    A number is refused: YAML (and ansible-core 2.19 reading AWX survey answers) turns 9.9
    into the float 9.9 and 9.10 into 9.1, so digits may already be lost.
    """
    if value is None or str(value).strip() == '':
        raise ValueError('%s is not set: give the LifeKeeper version, for example 9.9.0' % name)
    if _is_number(value) or isinstance(value, bool):
        raise ValueError('%s is the number %r, not a text: give the version as a quoted string of the form %s; '
                         'a number may have lost digits (9.10 reads as 9.1)' % (name, value, ACCEPTED_FORM))
    try:
        return str(parse_version(str(value)))
    except ValueError as exc:
        raise ValueError('%s: %s' % (name, exc))


def optional_version(value, name):
    """An optional version (lk_rollback_version): '' when unset (None or empty), else N.N.N."""
    if value is None or (isinstance(value, str) and value.strip() == ''):
        return ''
    return normalise_version(value, name)


def run_id(value, name='lk_run_id'):
    """The run id as given, checked; None when it is unset (None or empty: a new run).

    Letters, digits, '.', '_' and '-' only (it names a folder on the controller and the lock).
    """
    if value is None or (isinstance(value, str) and value.strip() == ''):
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError('%s is %r: a run id is a text matching %s' % (name, value, RUN_ID_PATTERN))
    text = str(value)
    if not RUN_ID_RE.match(text) or text in ('.', '..'):
        raise ValueError('%s is %r: a run id may hold letters, digits, ".", "_" and "-" only (%s)'
                         % (name, text, RUN_ID_PATTERN))
    return text


def absolute_path(value, name, default=None, cwd=None):
    """A controller path made absolute once against the controller's working directory
    (``~`` expanded). None or '' means the default. ValueError when neither is given."""
    if value is None or (isinstance(value, str) and value.strip() == ''):
        value = default
    if value is None or str(value).strip() == '':
        raise ValueError('%s is empty: give a path on the controller' % name)
    path = os.path.expanduser(str(value).strip())
    if not os.path.isabs(path):
        path = os.path.join(cwd if cwd is not None else os.getcwd(), path)
    return os.path.normpath(path)


def rollback_archive(value, host, lkroot, copy_dir):
    """The archive a node restores from in a rollback.

    value: lk_rollback_archive as given, one absolute path for every node or a mapping
    {inventory host: path}. An archive under lkroot is restored from its copy in copy_dir
    (rmlk deletes lkroot). Returns {'archive': the node's path as given ('' when none),
    'restore': the path to restore from, 'needs_copy': whether the archive must be copied to
    copy_dir first}.
    """
    if isinstance(value, dict):
        archive = value.get(host) or ''
    else:
        archive = value or ''
    archive = str(archive)
    inside = archive.startswith(str(lkroot).rstrip('/') + '/')
    restore = '%s/%s' % (str(copy_dir).rstrip('/'), archive.rsplit('/', 1)[-1]) if inside else archive
    return {'archive': archive, 'restore': restore, 'needs_copy': inside}
