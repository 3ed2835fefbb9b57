# -*- coding: utf-8 -*-
"""docs/variables.md is what tests/docs/gen_variables.py writes from the roles' argument specs,
and every public variable has its place in one of the page's groups."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import importlib.util
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _generator():
    path = os.path.join(REPO, 'tests', 'docs', 'gen_variables.py')
    spec = importlib.util.spec_from_file_location('gen_variables', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def test_every_variable_has_one_group():
    missing, unknown, twice = GEN.ungrouped(REPO)
    assert not missing, 'variables in no group of tests/docs/gen_variables.py GROUPS (add them): %s' % missing
    assert not unknown, 'GROUPS of tests/docs/gen_variables.py name no such variable: %s' % unknown
    assert not twice, 'variables in two groups of tests/docs/gen_variables.py GROUPS: %s' % twice


def test_every_public_input_is_on_the_page():
    extra, internal = GEN.inputs_module(REPO)
    names = set(GEN.variables(REPO))
    assert set(extra) <= names
    assert internal <= names


def test_page_is_in_step_with_the_specs():
    with open(os.path.join(REPO, GEN.PAGE)) as handle:
        page = handle.read()
    assert page == GEN.render(REPO), '%s is out of date with the argument specs: run %s' % (GEN.PAGE, GEN.COMMAND)


def test_a_new_variable_in_no_group_fails(tmp_path):
    """The check bites: a spec option the groups do not list is reported by name."""
    role = tmp_path / 'roles' / 'demo' / 'meta'
    role.mkdir(parents=True)
    (role / 'argument_specs.yml').write_text(
        'argument_specs:\n  main:\n    short_description: Demo\n    options:\n'
        '      lk_brand_new:\n        type: str\n        description: [New.]\n')
    defaults = tmp_path / 'roles' / 'defaults' / 'defaults'
    defaults.mkdir(parents=True)
    (defaults / 'main.yml').write_text('---\n{}\n')
    plugin_utils = tmp_path / 'plugins' / 'plugin_utils'
    plugin_utils.mkdir(parents=True)
    with open(os.path.join(REPO, 'plugins', 'plugin_utils', 'inputs.py')) as handle:
        (plugin_utils / 'inputs.py').write_text(handle.read())
    missing, _unknown, _twice = GEN.ungrouped(str(tmp_path))
    assert 'lk_brand_new' in missing
