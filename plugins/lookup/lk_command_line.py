# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
name: lk_command_line
short_description: The playbooks given to ansible-playbook, its working directory, options and extra variables
version_added: 2.0.0
description:
  - Returns one dictionary with C(playbooks) (the playbook arguments of the ansible-playbook command line as given -
    file paths relative to C(cwd), or collection names) and C(cwd) (the working directory of ansible-playbook).
  - 'Also C(options): the other arguments of the command line a resume repeats (inventories, C(--limit),
    vault and connection options) - without the extra variables, C(--check), C(--step) and C(--start-at-task); and
    C(extra_vars): C({vars, left_out}), the extra variables as given (plain data, AWX''s C(awx_*)/C(tower_*) left out)
    with the secrets left out and named in C(left_out) (a name or key like password, secret, token, private_key, and
    vault-encrypted values).'
  - Unlike C(playbook_dir), which is the directory of the playbook being executed (the installed collection's
    C(playbooks/) when the user's playbook imports one of the collection), this names the playbook the user ran; the
    hooks resolve relative paths against its directory.
author:
  - hatools developers (@hatools)
options: {}
'''

EXAMPLES = r'''
- name: The playbook the user ran
  ansible.builtin.debug:
    msg: "{{ lookup('hatools.lifekeeper.lk_command_line').playbooks }}"
'''

RETURN = r'''
_raw:
  description: One dictionary with C(playbooks) (list of the arguments), C(cwd), C(options) and C(extra_vars).
  type: list
  elements: dict
'''

import os
import sys

from ansible import context
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.lookup import LookupBase
from ansible.utils.vars import load_extra_vars

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.rerun import given_variables, options_to_repeat


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        playbooks = [str(arg) for arg in (context.CLIARGS.get('args') or ())]
        return [{'playbooks': playbooks, 'cwd': os.getcwd(),
                 # the process is ansible-playbook (lookups run on the controller): its own arguments
                 'options': options_to_repeat(sys.argv[1:], playbooks),
                 'extra_vars': given_variables(load_extra_vars(self._loader or DataLoader()))}]
