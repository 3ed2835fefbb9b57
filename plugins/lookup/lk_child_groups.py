# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
name: lk_child_groups
short_description: The direct child groups of inventory groups (the clusters of a fleet)
version_added: 1.0.0
description:
  - Returns, for each group named, the names of its direct child groups in inventory order.
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
'''

EXAMPLES = r'''
- name: Show the clusters of the lifekeeper group
  ansible.builtin.debug:
    msg: "{{ lookup('hatools.lifekeeper.lk_child_groups', 'lifekeeper', wantlist=true) }}"
'''

RETURN = r'''
_raw:
  description: For each term, the list of its direct child groups.
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
        answer = []
        for term in terms:
            group = inventory.groups.get(str(term))
            answer.append([child.name for child in group.child_groups] if group is not None else [])
        return answer
