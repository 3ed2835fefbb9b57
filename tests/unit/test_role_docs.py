# -*- coding: utf-8 -*-
"""The roles' documentation is in step with what they do.

Every public default lives in roles/defaults (one place); each role documents the variables
it uses in meta/argument_specs.yml with the same default; the variable reference
(docs/variables.md, generated from the specs) lists them under each role.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(os.listdir(os.path.join(REPO, 'roles')))
# Shared pieces, not meant to be called by users: documented (ansible-doc), not in the README's role table.
# A role may keep the defaults of its own variables (bigip_drain's lk_bigip_*), never a
# second default of a roles/defaults variable.
INTERNAL = ('cluster_lock', 'cluster_read', 'defaults', 'hook', 'run')
PUBLIC = [role for role in ROLES if role not in INTERNAL]
# roles with an entry point (defaults has no tasks and no inputs, so no argument spec)
CALLED = [role for role in ROLES if os.path.isdir(os.path.join(REPO, 'roles', role, 'tasks'))]


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


def _variables_page():
    with open(os.path.join(REPO, 'docs', 'variables.md')) as handle:
        return handle.read()


def _readme():
    with open(os.path.join(REPO, 'README.md')) as handle:
        return handle.read()


@pytest.mark.parametrize('role', PUBLIC)
def test_reference_documents_every_role_variable(role):
    page = _variables_page()
    section = page.split('### `hatools.lifekeeper.%s`' % role, 1)
    assert len(section) == 2, 'docs/variables.md has no role section for %s' % role
    body = section[1].split('\n### ', 1)[0]
    missing = [name for name in spec_options(role) if '`%s`' % name not in body or '| `%s` |' % name not in page]
    assert not missing, '%s: docs/variables.md lacks %s' % (role, missing)


@pytest.mark.parametrize('role', PUBLIC)
def test_readme_role_table_names_every_public_role(role):
    assert '| `hatools.lifekeeper.%s` |' % role in _readme(), 'README.md: no row for the role %s' % role


@pytest.mark.parametrize('role', CALLED)
def test_spec_defaults_are_the_defaults_role_values(role):
    for name, option in spec_options(role).items():
        defaults = dict(DEFAULTS, **_own_defaults(role))
        if 'default' in option and name in defaults:
            assert option['default'] == defaults[name], '%s: %s' % (role, name)
        elif 'default' in option:
            # an input its caller sets (the hook variables), documented with the value it reads when unset
            assert name.startswith('lk_hook_'), '%s: %s has a default in its spec but in no defaults file' % (role, name)
        elif name in DEFAULTS and not option.get('required'):
            # computed defaults (templates) are described, not repeated
            assert '{{' in str(DEFAULTS[name]), '%s: %s should document its default %r' % (role, name, DEFAULTS[name])


def _own_defaults(role):
    path = os.path.join(REPO, 'roles', role, 'defaults', 'main.yml')
    return (_yaml('roles', role, 'defaults', 'main.yml') or {}) if os.path.exists(path) else {}


@pytest.mark.parametrize('role', PUBLIC)
def test_entry_points_exist_and_each_default_has_one_place(role):
    for entry in specs(role):
        assert os.path.exists(os.path.join(REPO, 'roles', role, 'tasks', entry + '.yml')), (role, entry)
    own = _own_defaults(role)
    # a role may keep defaults of its own variables only (documented in its spec), never
    # a second default for a variable of roles/defaults
    assert not sorted(set(own) & set(DEFAULTS)), '%s redefines defaults of roles/defaults' % role
    assert not sorted(set(own) - set(spec_options(role))), '%s: defaults not in its argument spec' % role
    if set(spec_options(role)) & set(DEFAULTS):
        dependencies = _yaml('roles', role, 'meta', 'main.yml').get('dependencies') or []
        assert {'role': 'hatools.lifekeeper.defaults'} in dependencies, \
            '%s uses variables of roles/defaults: it must depend on it' % role


def test_every_public_default_is_documented():
    documented = set()
    for role in PUBLIC:
        documented.update(spec_options(role))
    page = _variables_page()
    undocumented = sorted(name for name in DEFAULTS if not name.startswith('__') and name not in documented
                          and '| `%s` |' % name not in page)
    assert not undocumented, 'public defaults documented nowhere: %s' % undocumented


def test_internal_names_are_internal():
    assert all(name.startswith(('lk_', '__lk_')) for name in DEFAULTS), sorted(DEFAULTS)
    for role in PUBLIC:
        assert all(name.startswith('lk_') for name in spec_options(role)), role


def test_the_defaults_role_has_no_entry_point():
    # an argument spec there would only add a check of nothing to every play importing it
    assert 'defaults' not in CALLED
    assert not os.path.exists(os.path.join(REPO, 'roles', 'defaults', 'meta', 'argument_specs.yml'))
