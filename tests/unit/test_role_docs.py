# -*- coding: utf-8 -*-
"""The roles' documentation is in step with what they do.

Every public default lives in roles/defaults (one place); each role documents the variables
it uses in meta/argument_specs.yml with the same default; README's role reference lists them.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(os.listdir(os.path.join(REPO, 'roles')))
# Shared pieces, not meant to be called by users (no argument_specs: they would add a
# validation task to every include of the reader).
INTERNAL = ('cluster_read', 'defaults')
PUBLIC = [role for role in ROLES if role not in INTERNAL]


def _yaml(*parts):
    with open(os.path.join(REPO, *parts)) as handle:
        return yaml.safe_load(handle)


def specs(role):
    return _yaml('roles', role, 'meta', 'argument_specs.yml')['argument_specs']


def spec_options(role):
    options = {}
    for entry in specs(role).values():
        options.update(entry.get('options') or {})
    return options


DEFAULTS = _yaml('roles', 'defaults', 'defaults', 'main.yml')


def _readme():
    with open(os.path.join(REPO, 'README.md')) as handle:
        return handle.read()


@pytest.mark.parametrize('role', PUBLIC)
def test_readme_documents_every_role_variable(role):
    section = _readme().split('### `hatools.lifekeeper.%s`' % role, 1)
    assert len(section) == 2, 'README has no role reference for %s' % role
    body = section[1].split('\n### ', 1)[0]
    missing = [name for name in spec_options(role) if '| `%s` |' % name not in body]
    assert not missing, '%s: README lacks %s' % (role, missing)


@pytest.mark.parametrize('role', PUBLIC)
def test_spec_defaults_are_the_defaults_role_values(role):
    for name, option in spec_options(role).items():
        if 'default' in option:
            assert name in DEFAULTS, '%s: %s has a default in its spec but not in roles/defaults' % (role, name)
            assert option['default'] == DEFAULTS[name], '%s: %s' % (role, name)
        elif name in DEFAULTS and not option.get('required'):
            # computed defaults (templates) are described, not repeated
            assert '{{' in str(DEFAULTS[name]), '%s: %s should document its default %r' % (role, name, DEFAULTS[name])


@pytest.mark.parametrize('role', PUBLIC)
def test_entry_points_exist_and_depend_on_the_defaults(role):
    for entry in specs(role):
        assert os.path.exists(os.path.join(REPO, 'roles', role, 'tasks', entry + '.yml')), (role, entry)
    assert not os.path.exists(os.path.join(REPO, 'roles', role, 'defaults')), \
        '%s: defaults belong in roles/defaults' % role
    dependencies = _yaml('roles', role, 'meta', 'main.yml').get('dependencies') or []
    assert {'role': 'hatools.lifekeeper.defaults'} in dependencies, role


def test_every_public_default_is_documented():
    documented = set()
    for role in PUBLIC:
        documented.update(spec_options(role))
    readme = _readme()
    undocumented = sorted(name for name in DEFAULTS if not name.startswith('__') and name not in documented
                          and '| `%s` |' % name not in readme)
    assert not undocumented, 'public defaults documented nowhere: %s' % undocumented


def test_internal_names_are_internal():
    assert all(name.startswith(('lk_', '__lk_')) for name in DEFAULTS), sorted(DEFAULTS)
    for role in PUBLIC:
        assert all(name.startswith('lk_') for name in spec_options(role)), role
