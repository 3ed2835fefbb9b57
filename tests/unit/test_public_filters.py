# -*- coding: utf-8 -*-
"""The README's filter table is the public filter surface: every filter its documentation does
not mark internal, and no other."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FILTER_DIR = os.path.join(REPO, 'plugins', 'filter')
INTERNAL = "Internal to the collection's roles and playbooks"


def _docs():
    for name in sorted(os.listdir(FILTER_DIR)):
        if name.endswith('.yml'):
            with open(os.path.join(FILTER_DIR, name)) as handle:
                yield yaml.safe_load(handle)['DOCUMENTATION']


def test_the_readme_lists_exactly_the_public_filters():
    with open(os.path.join(REPO, 'README.md')) as handle:
        listed = re.findall(r'^\| `hatools\.lifekeeper\.(lk_\w+)` \| (.+) \|$', handle.read(), re.M)
    public = [(doc['name'], doc['short_description']) for doc in _docs()
              if not doc['description'][0].startswith(INTERNAL)]
    assert listed == public


def test_internal_filters_say_so_first():
    for doc in _docs():
        assert all(INTERNAL not in item for item in doc['description'][1:]), doc['name']
