# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""/etc/default/LifeKeeper: parse and merge (pure).

The reinstall path of the v8.4.1 guide keeps the NEW file written by setup and carries
over, from the old one, the values that were changed and the parameters that were added.
Keys owned by setup (LK_SERV_ENV) are never carried over.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import DEFAULT_LCMPORT

OWNED_BY_SETUP = ('LK_SERV_ENV',)
_ASSIGNMENT = re.compile(r'^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$')
CARRIED_HEADER = '# carried over from the previous installation by hatools.lifekeeper (check: may be obsolete)'
_PORT_RE = re.compile(r'[0-9]{1,5}\Z')   # ASCII digits only: int() would also read '\u00b2' or '\u0669'


class DefaultsFileError(ValueError):
    """The defaults file cannot be used as it is; the message names the file and what is wrong."""


def read(path):
    """The text of the defaults file at path. IOError/OSError when it cannot be opened;
    DefaultsFileError naming the file, the line and the byte when it is not UTF-8 text."""
    with open(path, 'rb') as handle:
        data = handle.read()
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as exc:
        raise DefaultsFileError('%s is not UTF-8 text: byte 0x%02x on line %d cannot be read'
                                % (path, bytearray(data[exc.start:exc.start + 1])[0],
                                   data[:exc.start].count(b'\n') + 1))


def lcm_port(value, path):
    """The port LCMPORT selects: unset, empty or 0 is the default port; else 1-65535 in ASCII
    digits. DefaultsFileError naming the key, the value and the file otherwise."""
    text = (value or '').strip()
    if text in ('', '0'):
        return DEFAULT_LCMPORT
    if _PORT_RE.match(text) and 1 <= int(text) <= 65535:
        return int(text)
    raise DefaultsFileError('LCMPORT=%s in %s is not a port number: expected 1-65535 in digits 0-9, '
                            'or 0 or nothing for the default port %d' % (value, path, DEFAULT_LCMPORT))


def parse(text):
    """{KEY: raw value} of the assignments in text (comments and blank lines ignored)."""
    values = {}
    for line in (text or '').splitlines():
        if line.lstrip().startswith('#'):
            continue
        match = _ASSIGNMENT.match(line)
        if match:
            values[match.group(1)] = match.group(2).strip()
    return values


def merge(new_text, old_text, owned=OWNED_BY_SETUP):
    """(merged text, changes) where changes is a list of {key, new, old, action}.

    Lines of the new file stay in place; a key whose old value differs takes the old
    value (action 'kept old value'); keys only in the old file are appended under a
    comment (action 'added'). Keys in owned keep the new value.
    """
    old = parse(old_text)
    seen = set()
    changes = []
    lines = []
    for line in (new_text or '').splitlines():
        match = None if line.lstrip().startswith('#') else _ASSIGNMENT.match(line)
        if match:
            key, value = match.group(1), match.group(2).strip()
            seen.add(key)
            if key in old and old[key] != value and key not in owned:
                changes.append({'key': key, 'new': value, 'old': old[key], 'action': 'kept old value'})
                prefix = 'export ' if line.lstrip().startswith('export ') else ''
                line = '%s%s=%s' % (prefix, key, old[key])
        lines.append(line)
    added = [key for key in old if key not in seen and key not in owned]
    if added:
        lines.append(CARRIED_HEADER)
        for key in added:
            lines.append('%s=%s' % (key, old[key]))
            changes.append({'key': key, 'new': None, 'old': old[key], 'action': 'added'})
    return '\n'.join(lines) + '\n', changes


def keep_new(new_text, old_text, carry=(), owned=OWNED_BY_SETUP):
    """(text, review, carried): the new file as both update guides keep it after a restore.

    Only the keys in carry (the operator's lk_defaults_carry) take their old value, in place,
    or appended under a comment when the new file lacks them; no other key changes (no silent
    merge). review lists every other key whose old value differs or that only the old file has,
    [{key, new, old}] (new None: not in the new file), for the operator to look at. carried
    lists what was carried over, [{key, new, old, action}]. Keys in owned are never carried.
    """
    old = parse(old_text)
    new = parse(new_text)
    carry = [key for key in (carry or []) if key not in owned]
    lines, carried, seen = [], [], set()
    for line in (new_text or '').splitlines():
        match = None if line.lstrip().startswith('#') else _ASSIGNMENT.match(line)
        if match:
            key, value = match.group(1), match.group(2).strip()
            seen.add(key)
            if key in carry and key in old and old[key] != value:
                carried.append({'key': key, 'new': value, 'old': old[key], 'action': 'kept old value'})
                prefix = 'export ' if line.lstrip().startswith('export ') else ''
                line = '%s%s=%s' % (prefix, key, old[key])
        lines.append(line)
    added = [key for key in carry if key in old and key not in seen]
    if added:
        lines.append(CARRIED_HEADER)
        for key in added:
            lines.append('%s=%s' % (key, old[key]))
            carried.append({'key': key, 'new': None, 'old': old[key], 'action': 'added'})
    review = [{'key': key, 'new': new.get(key), 'old': value} for key, value in sorted(old.items())
              if key not in carry and new.get(key) != value]
    return '\n'.join(lines) + '\n', review, carried
