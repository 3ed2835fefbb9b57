# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
name: lk_child_groups
short_description: The child groups of inventory groups (the clusters of a fleet)
version_added: 1.0.0
description:
  - Returns, for each group named, the names of its direct child groups in inventory order,
    or with O(leaves=true) the groups without child groups below it (for the nested
    inventory C(lifekeeper -> prod -> [erp, crm]) that is C(erp) and C(crm)).
  - Ansible's C(groups) variable lists every group's hosts but not which group is a child
    of which; the rolling update needs that to find the clusters (the child groups of
    C(lk_cluster_group)). This lookup reads the run's own inventory sources
    (C(ansible_inventory_sources)) again on the controller, without their variables.
  - A group without child groups, or not found in the inventory sources (for example one
    made by C(add_host)), gives an empty list.
author:
  - hatools developers (@hatools)
options:
  _terms:
    description: Names of inventory groups.
    type: list
    elements: str
    required: true
  leaves:
    description:
      - Return the leaf groups below each group (depth first, in inventory order, each once)
        instead of its direct child groups.
    type: bool
    default: false
    version_added: 2.0.0
'''

EXAMPLES = r'''
- name: Show the clusters of the lifekeeper group
  ansible.builtin.debug:
    msg: "{{ lookup('hatools.lifekeeper.lk_child_groups', 'lifekeeper', wantlist=true) }}"

- name: The clusters of a nested inventory (the leaf groups below lifekeeper)
  ansible.builtin.debug:
    msg: "{{ query('hatools.lifekeeper.lk_child_groups', 'lifekeeper', leaves=true) | first }}"
'''

RETURN = r'''
_raw:
  description: For each term, the list of its direct child groups (or its leaf groups).
  type: list
  elements: list
'''

from ansible.errors import AnsibleLookupError
from ansible.inventory.manager import InventoryManager
from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        sources = (variables or {}).get('ansible_inventory_sources')
        if not sources:
            raise AnsibleLookupError('lk_child_groups needs ansible_inventory_sources (run it inside a play)')
        inventory = InventoryManager(loader=self._loader, sources=list(sources))
        leaves = self.get_option('leaves')
        answer = []
        for term in terms:
            group = inventory.groups.get(str(term))
            if group is None:
                answer.append([])
            elif leaves:
                answer.append(leaf_groups(group))
            else:
                answer.append([child.name for child in group.child_groups])
        return answer


def leaf_groups(group):
    """The names of the groups without child groups below group, depth first in inventory
    order, each once (a group reached by two parents is listed where it is met first)."""
    found = []

    def walk(node):
        for child in node.child_groups:
            if not child.child_groups:
                if child.name not in found:
                    found.append(child.name)
            else:
                walk(child)

    walk(group)
    return found
