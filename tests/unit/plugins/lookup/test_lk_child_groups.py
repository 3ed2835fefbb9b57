# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lk_child_groups on real inventory files: direct child groups, and the leaf groups of a
nested inventory (the clusters of lifekeeper -> prod -> [erp, crm])."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest
import yaml

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader

from ansible_collections.hatools.lifekeeper.plugins.lookup import lk_child_groups

LOAD_NAME = 'hatools.lifekeeper.lk_child_groups'


def _plugin():
    """The lookup with its option definitions registered from its own DOCUMENTATION, as
    Ansible's plugin loader does (so get_option reads the documented default)."""
    options = yaml.safe_load(lk_child_groups.DOCUMENTATION)['options']
    C.config.initialize_plugin_configuration_definitions('lookup', LOAD_NAME, options)
    plugin = lk_child_groups.LookupModule(loader=DataLoader())
    plugin._load_name = LOAD_NAME
    return plugin


NESTED = """
[erp]
erp1
erp2

[crm]
crm1
crm2

[test_cluster]
t1
t2

[prod:children]
erp
crm

[lifekeeper:children]
prod
test_cluster
"""


def _lookup(tmp_path, text, *terms, **options):
    inventory = tmp_path / 'hosts.ini'
    inventory.write_text(text)
    return _plugin().run(list(terms), variables={'ansible_inventory_sources': [str(inventory)]}, **options)


def test_direct_children_by_default(tmp_path):
    assert _lookup(tmp_path, NESTED, 'lifekeeper') == [['prod', 'test_cluster']]


def test_leaves_of_a_nested_inventory(tmp_path):
    assert _lookup(tmp_path, NESTED, 'lifekeeper', leaves=True) == [['erp', 'crm', 'test_cluster']]


def test_a_group_without_children_has_no_leaves(tmp_path):
    assert _lookup(tmp_path, NESTED, 'erp', leaves=True) == [[]]


def test_unknown_group_gives_an_empty_list(tmp_path):
    assert _lookup(tmp_path, NESTED, 'nosuchgroup', leaves=True) == [[]]


def test_a_leaf_reached_twice_is_listed_once(tmp_path):
    text = NESTED + "\n[dr:children]\nerp\n\n[lifekeeper:children]\ndr\n"
    assert _lookup(tmp_path, text, 'lifekeeper', leaves=True) == [['erp', 'crm', 'test_cluster']]


def test_outside_a_play_it_says_what_it_needs():
    with pytest.raises(AnsibleLookupError, match='ansible_inventory_sources'):
        _plugin().run(['lifekeeper'], variables={})
