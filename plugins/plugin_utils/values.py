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

import functools
import os
import re

from ansible.errors import AnsibleFilterError

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import RUN_ID_PATTERN, RUN_ID_RE
from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import ACCEPTED_FORM, parse_version

HOP_KEYS = ('version', 'media', 'media_sha256')
_SHA256 = re.compile(r'^[0-9a-fA-F]{64}\Z')


def refuse_bad_values(func):
    """For the filter wrappers: a ValueError (a bad value, named) becomes a filter error."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValueError as exc:
            raise AnsibleFilterError(str(exc))
    return wrapper


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


def media_hops(hops, target_version, media, media_sha256=None):
    """The versions a multi-hop update passes through: lk_media_hops (intermediate versions,
    [{version, media, media_sha256}], ascending, each below the target) followed by the
    target with lk_media. Versions come back normalised; ValueError names a bad entry."""
    target = parse_version(normalise_version(target_version))
    if hops in (None, ''):
        hops = []
    if not isinstance(hops, list):
        raise ValueError('lk_media_hops must be a list of {version, media, media_sha256}, got %r' % (hops,))
    result = []
    for index, hop in enumerate(hops):
        where = 'lk_media_hops[%d]' % index
        if not isinstance(hop, dict):
            raise ValueError('%s must be a dict {version, media, media_sha256}, got %r' % (where, hop))
        unknown = sorted(set(hop) - set(HOP_KEYS))
        if unknown:
            raise ValueError('%s has unknown key(s) %s; allowed: %s' % (where, ', '.join(unknown), ', '.join(HOP_KEYS)))
        version = parse_version(normalise_version(hop.get('version'), '%s.version' % where))
        hop_media = hop.get('media')
        if not isinstance(hop_media, str) or not hop_media.startswith('/'):
            raise ValueError('%s.media must be the absolute path of the ISO of %s on the nodes, got %r'
                             % (where, version, hop_media))
        sha = hop.get('media_sha256') or ''
        if sha and not _SHA256.match(str(sha)):
            raise ValueError('%s.media_sha256 is %r: expected 64 hexadecimal digits' % (where, sha))
        if version >= target:
            raise ValueError('%s.version is %s: every hop must be below the target %s (lk_target_version is the last '
                             'hop)' % (where, version, target))
        if result and version <= parse_version(result[-1]['version']):
            raise ValueError('%s.version is %s: the hops must be in ascending order (after %s)'
                             % (where, version, result[-1]['version']))
        result.append({'version': str(version), 'media': hop_media, 'media_sha256': str(sha)})
    result.append({'version': str(target), 'media': media, 'media_sha256': str(media_sha256 or '')})
    return result
