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
import re

from ansible.errors import AnsibleFilterError

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import parse_version

HOP_KEYS = ('version', 'media', 'media_sha256')
_SHA256 = re.compile(r'^[0-9a-fA-F]{64}$')


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
