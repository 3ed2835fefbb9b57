# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bigip_drain role's filters: thin wrappers of plugins/plugin_utils/bigip.py (where the
logic is, unit-tested); a bad value becomes a filter error naming it.

Each filter is documented in plugins/filter/<name>.yml (ansible-doc -t filter
hatools.lifekeeper.<name>).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import bigip
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.values import refuse_bad_values

NAMES = ('members', 'virtuals', 'hold', 'unique', 'release', 'connections', 'irule', 'connection', 'api_errors', 'take',
         'busy', 'virtual_rules', 'rules_change', 'release_failed', 'pools', 'member_states')


class FilterModule(object):
    """hatools.lifekeeper lk_bigip_* filters."""

    def filters(self):
        return dict(('lk_bigip_' + name, refuse_bad_values(getattr(bigip, name))) for name in NAMES)
