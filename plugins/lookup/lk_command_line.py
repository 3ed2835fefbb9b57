# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
name: lk_command_line
short_description: The playbooks given to ansible-playbook and its working directory
version_added: 2.0.0
description:
  - Returns one dictionary with C(playbooks) (the playbook arguments of the ansible-playbook command line as given -
    file paths relative to C(cwd), or collection names) and C(cwd) (the working directory of ansible-playbook).
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
  description: One dictionary with C(playbooks) (list of the arguments) and C(cwd).
  type: list
  elements: dict
'''

import os

from ansible import context
from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        return [{'playbooks': [str(arg) for arg in (context.CLIARGS.get('args') or ())], 'cwd': os.getcwd()}]
