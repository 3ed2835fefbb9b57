# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""LifeKeeper versions and the update-path rules (pure, no I/O).

The documented direct (in-place) update windows are kept as data in
DIRECT_UPDATE_RULES; the general rule ("two versions back" within a major) covers
targets that are not listed.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

ACCEPTED_FORM = 'N.N.N (for example 9.9.0)'

# [0-9], not \d: \d also reads the digits of other scripts ('٩.٩.٠' is not 9.9.0).
_VERSION_RE = re.compile(r'^\s*[vV]?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?\s*\Z')

# (target pattern, source patterns, where the rule comes from)
# A pattern is "X.Y.Z" (exact) or "X.Y.x" (any patch level of X.Y).
DIRECT_UPDATE_RULES = (
    ('9.9.x', ('9.7.x', '9.8.x'), 'v9.9.0 update guide'),
    ('8.4.1', ('8.2.x', '8.3.x', '8.4.0'), 'v8.4.1 update guide'),
    ('10.0.x', ('9.8.0', '9.9.x'), 'release notes: two versions back'),
)

# Minor releases a target may be updated from when no rule above lists it:
# "in general two versions back" (same major).
GENERAL_MINOR_WINDOW = 2

# Since 9.8.0 the bundled Perl is 5.32.1 (was 5.8.8).
PERL_CHANGE_VERSION = '9.8.0'


class Version(object):
    """A LifeKeeper version major.minor.patch; comparable."""

    def __init__(self, major, minor, patch=0):
        self.major = int(major)
        self.minor = int(minor)
        self.patch = int(patch)

    @property
    def key(self):
        return (self.major, self.minor, self.patch)

    def __eq__(self, other):
        return isinstance(other, Version) and self.key == other.key

    def __ne__(self, other):
        return not self.__eq__(other)

    def __lt__(self, other):
        return self.key < other.key

    def __le__(self, other):
        return self.key <= other.key

    def __gt__(self, other):
        return self.key > other.key

    def __ge__(self, other):
        return self.key >= other.key

    def __hash__(self):
        return hash(self.key)

    def __str__(self):
        return '%d.%d.%d' % self.key

    def __repr__(self):
        return 'Version(%r)' % str(self)


class UpdatePath(object):
    """kind: fresh | none | direct | reinstall | downgrade; reason: a sentence naming both versions."""

    KINDS = ('fresh', 'none', 'direct', 'reinstall', 'downgrade')

    def __init__(self, kind, reason, installed=None, target=None, allowed_from=()):
        if kind not in self.KINDS:
            raise ValueError('unknown update path kind %r' % kind)
        self.kind = kind
        self.reason = reason
        self.installed = installed
        self.target = target
        self.allowed_from = tuple(allowed_from)

    def as_dict(self):
        return {
            'kind': self.kind,
            'reason': self.reason,
            'installed': str(self.installed) if self.installed is not None else None,
            'target': str(self.target),
            'allowed_from': list(self.allowed_from),
        }

    def __repr__(self):
        return 'UpdatePath(%r, %r)' % (self.kind, self.reason)


def parse_version(text):
    """'9.9.0' -> Version(9, 9, 0). Accepts an optional leading 'v' and N.N (patch 0).

    Raises ValueError naming the text and the accepted form.
    """
    if isinstance(text, Version):
        return text
    match = _VERSION_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError('invalid LifeKeeper version %r: expected %s' % (text, ACCEPTED_FORM))
    return Version(match.group(1), match.group(2), match.group(3) or 0)


def _matches(pattern, version):
    parts = pattern.split('.')
    if parts[2] == 'x':
        return (version.major, version.minor) == (int(parts[0]), int(parts[1]))
    return version.key == (int(parts[0]), int(parts[1]), int(parts[2]))


def _join(patterns):
    patterns = list(patterns)
    if len(patterns) <= 1:
        return ''.join(patterns)
    return ', '.join(patterns[:-1]) + ' and ' + patterns[-1]


def direct_sources(target):
    """(source patterns, rule name) of the direct update window of target."""
    target = parse_version(target)
    for target_pattern, sources, origin in DIRECT_UPDATE_RULES:
        if _matches(target_pattern, target):
            return sources, origin
    sources = ['%d.%d.x' % (target.major, minor)
               for minor in range(max(0, target.minor - GENERAL_MINOR_WINDOW), target.minor)]
    return tuple(sources), 'general rule: two versions back'


def update_path(installed, target):
    """Decide how to get from installed (version text, Version or None) to target."""
    target = parse_version(target)
    if installed is None or installed == '':
        return UpdatePath('fresh', 'LifeKeeper is not installed: fresh install of %s' % target,
                          None, target)
    installed = parse_version(installed)
    if installed == target:
        return UpdatePath('none', '%s is already installed' % target, installed, target)
    if installed > target:
        return UpdatePath('downgrade', 'downgrade from %s to %s is not supported' % (installed, target),
                          installed, target)
    sources, origin = direct_sources(target)
    same_minor = (installed.major, installed.minor) == (target.major, target.minor)
    if same_minor or any(_matches(pattern, installed) for pattern in sources):
        if same_minor:
            origin = 'patch update within %d.%d' % (target.major, target.minor)
        return UpdatePath('direct', 'direct update from %s to %s (%s)' % (installed, target, origin),
                          installed, target, sources)
    if sources:
        window = 'direct update to %s is supported from %s' % (target, _join(sources))
    else:
        window = 'no direct update to %s is documented' % target
    return UpdatePath(
        'reinstall',
        '%s; %s is installed: reinstall (rmlk, fresh install, restore the configuration) '
        'or update through an intermediate version first (%s)' % (window, installed, origin),
        installed, target, sources)


def crosses_perl_change(installed, target):
    """True when an update from installed to target crosses 9.8.0 (bundled Perl 5.8.8 -> 5.32.1)."""
    if installed is None or installed == '':
        return False
    installed = parse_version(installed)
    target = parse_version(target)
    change = parse_version(PERL_CHANGE_VERSION)
    return installed < change <= target
