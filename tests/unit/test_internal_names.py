# -*- coding: utf-8 -*-
"""Names the YAML half relies on: every filter a role or playbook calls exists (a removed one
is not found by --syntax-check), the run id has one internal name, no pointer to a file that
does not exist."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re

from ansible_collections.hatools.lifekeeper.plugins.filter import lifekeeper, lk_bigip

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FILTERS = set(lifekeeper.FilterModule().filters()) | set(lk_bigip.FilterModule().filters())
LOOKUPS = set(name[:-3] for name in os.listdir(os.path.join(REPO, 'plugins', 'lookup')) if name.endswith('.py'))


def _yaml_files(*folders):
    for folder in folders:
        for root, dummy, files in os.walk(os.path.join(REPO, folder)):
            for name in files:
                if name.endswith(('.yml', '.yaml')):
                    path = os.path.join(root, name)
                    with open(path) as handle:
                        yield os.path.relpath(path, REPO), handle.read()


def test_every_filter_the_yaml_calls_exists():
    missing = []
    for path, text in _yaml_files('roles', 'playbooks', 'molecule', 'tests/bigip', 'docs'):
        for name in re.findall(r'\|\s*hatools\.lifekeeper\.(\w+)', text):
            if name not in FILTERS:
                missing.append('%s: %s' % (path, name))
        for name in re.findall(r"(?:lookup|query)\(\s*'hatools\.lifekeeper\.(\w+)'", text):
            if name not in LOOKUPS:
                missing.append('%s: lookup %s' % (path, name))
    assert missing == []


def test_the_run_id_has_one_internal_name():
    found = [path for path, text in _yaml_files('roles', 'playbooks') if '__lk_run_id' in text]
    assert found == []
