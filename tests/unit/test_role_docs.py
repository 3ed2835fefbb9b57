# -*- coding: utf-8 -*-
"""Every role variable of meta/argument_specs.yml is documented in README.md's role reference,
and every variable a role's defaults set is in its argument spec."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(os.listdir(os.path.join(REPO, 'roles')))


def spec_options(role):
    with open(os.path.join(REPO, 'roles', role, 'meta', 'argument_specs.yml')) as handle:
        specs = yaml.safe_load(handle)['argument_specs']
    options = {}
    for entry in specs.values():
        options.update(entry.get('options') or {})
    return options


@pytest.mark.parametrize('role', ROLES)
def test_readme_documents_every_role_variable(role):
    with open(os.path.join(REPO, 'README.md')) as handle:
        readme = handle.read()
    section = readme.split('### `hatools.lifekeeper.%s`' % role, 1)
    assert len(section) == 2, 'README has no role reference for %s' % role
    body = section[1].split('\n### ', 1)[0]
    missing = [name for name in spec_options(role) if '| `%s` |' % name not in body]
    assert not missing, '%s: README lacks %s' % (role, missing)


@pytest.mark.parametrize('role', ROLES)
def test_defaults_are_in_the_argument_spec(role):
    path = os.path.join(REPO, 'roles', role, 'defaults', 'main.yml')
    with open(path) as handle:
        defaults = yaml.safe_load(handle) or {}
    undocumented = sorted(set(defaults) - set(spec_options(role)))
    assert not undocumented, '%s: defaults not in meta/argument_specs.yml: %s' % (role, undocumented)
