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


class FilterModule(object):
    """hatools.lifekeeper lk_bigip_* filters."""

    def filters(self):
        # a dict literal: tests/ship/test_ansible_doc.py reads the filter names from it
        return {
            'lk_bigip_members': refuse_bad_values(bigip.members),
            'lk_bigip_virtuals': refuse_bad_values(bigip.virtuals),
            'lk_bigip_hold': refuse_bad_values(bigip.hold),
            'lk_bigip_unique': refuse_bad_values(bigip.unique),
            'lk_bigip_release': refuse_bad_values(bigip.release),
            'lk_bigip_connections': refuse_bad_values(bigip.connections),
            'lk_bigip_irule': refuse_bad_values(bigip.irule),
            'lk_bigip_connection': refuse_bad_values(bigip.connection),
            'lk_bigip_api_errors': refuse_bad_values(bigip.api_errors),
            'lk_bigip_take': refuse_bad_values(bigip.take),
            'lk_bigip_busy': refuse_bad_values(bigip.busy),
            'lk_bigip_virtual_rules': refuse_bad_values(bigip.virtual_rules),
            'lk_bigip_rules_change': refuse_bad_values(bigip.rules_change),
            'lk_bigip_release_failed': refuse_bad_values(bigip.release_failed),
            'lk_bigip_pools': refuse_bad_values(bigip.pools),
            'lk_bigip_member_states': refuse_bad_values(bigip.member_states),
            'lk_bigip_http_profile_errors': refuse_bad_values(bigip.http_profile_errors),
        }
