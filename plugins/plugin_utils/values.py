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

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import parse_version

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


def normalise_version(value, name='lk_target_version'):
    """'v9.9' -> '9.9.0'; ValueError naming an empty or malformed value."""
    if value is None or str(value).strip() == '':
        raise ValueError('%s is not set: give the LifeKeeper version, for example 9.9.0' % name)
    return str(parse_version(str(value)))


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
