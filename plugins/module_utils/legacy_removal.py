# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Removing a LifeKeeper older than 7.5, which has no rmlk (pure).

The update guides' reinstall path, step 4: "rmlk ... Before v7.5, remove the packages with
rpm instead" - the steeleye and HADR packages, with ``rpm -e``.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import parse_version

# The first version that removes itself with rmlk.
RMLK_SINCE = '7.5.0'
# The package name prefixes the guide names for the rpm removal.
PACKAGE_PREFIXES = ('steeleye', 'HADR')
# rpm -qa's query format for names only, one a line.
NAME_QUERY = '%{NAME}\\n'


def removes_with_rpm(version):
    """True when LifeKeeper version (text) predates rmlk and is removed with rpm -e."""
    return parse_version(version) < parse_version(RMLK_SINCE)


def packages_to_erase(rpm_names):
    """The steeleye*/HADR* package names of ``rpm -qa --qf '%{NAME}\\n'`` output, sorted, once each."""
    names = set(line.strip() for line in (rpm_names or '').splitlines())
    return sorted(name for name in names if name.startswith(PACKAGE_PREFIXES))


def erase_argv(rpm, names, rpm_root=None):
    """rpm -e of every package in one transaction (rpm orders the removal by dependencies)."""
    return [rpm, '-e'] + (['--root', rpm_root] if rpm_root else []) + list(names)


def query_argv(rpm, rpm_root=None):
    """rpm -qa listing every installed package name."""
    return [rpm, '-qa', '--qf', NAME_QUERY] + (['--root', rpm_root] if rpm_root else [])
