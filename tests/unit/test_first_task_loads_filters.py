# -*- coding: utf-8 -*-
"""The first task of every flow (the run role's) is named through one of the collection's
filters, so that ansible-playbook's own process loads the filters when it templates that name,
before it forks the task's worker (plugin_utils/preload.py); the name reads as plain text."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re

import yaml

from conftest import REPO_ROOT
from ansible_collections.hatools.lifekeeper.plugins.filter.lifekeeper import lk_progress_line

FILTER_NAME = re.compile(r"^\{\{ \{\} \| hatools\.lifekeeper\.lk_progress_line\('([^']+)'\) \}\}$")


def test_the_run_roles_first_task_name_loads_the_filters_and_reads_as_text():
    with open(os.path.join(REPO_ROOT, 'roles', 'run', 'tasks', 'main.yml')) as handle:
        first = yaml.safe_load(handle)[0]
    found = FILTER_NAME.match(first['name'])
    assert found, first['name']
    assert lk_progress_line({}, found.group(1)) == 'Name this run and fix its controller paths'
