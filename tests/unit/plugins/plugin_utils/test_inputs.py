# -*- coding: utf-8 -*-
"""Every public input is checked in pre-flight with the argument specs' own rules."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re
from collections.abc import Mapping

import pytest
import yaml

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import inputs

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
ROLES = os.path.join(REPO, 'roles')
SPECS = inputs.collection_specs()


def _problems(**given):
    return inputs.input_problems(given, SPECS)


@pytest.mark.parametrize('name', ['lk_update_setup_timeout', 'lk_update_ready_timeout', 'lk_evacuate_timeout',
                                  'lk_placement_timeout', 'lk_verify_timeout', 'lk_rescue_timeout',
                                  'lk_rollback_timeout', 'lk_rollback_setup_timeout', 'lk_command_timeout'])
@pytest.mark.parametrize('value', ['abc', '0', 0, -5, '', None, True, 604801, '1e9'])
def test_a_bad_deadline_is_refused_naming_it(name, value):
    problems = _problems(**{name: value})
    assert len(problems) == 1
    assert problems[0].startswith('%s is %r: expected a ' % (name, value))
    assert 'from 1 to 604800' in problems[0]


@pytest.mark.parametrize('value', ['30', 30, ' 45 ', '1800', 604800])
def test_a_deadline_as_awx_sends_it_is_accepted(value):
    assert _problems(lk_update_setup_timeout=value, lk_evacuate_timeout=value) == []


def test_a_count_may_be_zero_a_deadline_may_not():
    assert _problems(lk_fleet_canary='0', lk_preflight_min_free_mb=0, lk_preflight_mirror_timeout='0',
                     lk_bigip_drain_timeout=0) == []
    assert _problems(lk_bigip_drain_poll=0) == ["lk_bigip_drain_poll is 0: expected a whole number from 1 to 604800 "
                                                "(as text too, as AWX sends it: '30')"]
    assert _problems(lk_bigip_retry_after=86401)[0].startswith('lk_bigip_retry_after is 86401')
    assert _problems(lk_fleet_canary=-1)[0] == ("lk_fleet_canary is -1: expected a whole number of at least 0 "
                                                "(as text too, as AWX sends it: '30')")


def test_booleans_and_choices_as_awx_sends_them():
    assert _problems(lk_switchover_test='true', lk_allow_reinstall='no', lk_break_lock='1',
                     lk_media_access='extract', lk_bigip_drain_timeout_action='fail') == []
    assert _problems(lk_switchover_test='maybe') == [
        "lk_switchover_test is 'maybe': expected true or false (as text too: yes/no, 1/0)"]
    assert _problems(lk_media_access='nfs') == ["lk_media_access is 'nfs': expected one of mount, extract"]


def test_lists_paths_and_texts():
    assert _problems(lk_setup_kits='steeleye-lkNFS', lk_license_files=['/a', '/b'], lk_lkroot='/opt/LK',
                     lk_hook_before_evacuate='') == []
    assert _problems(lk_media_hops=['9.8.0'])[0].startswith("lk_media_hops is ['9.8.0']: expected a list of dict")


class _Lazy(Mapping):
    """A mapping that is no dict, as ansible-core's lazy containers are."""

    def __init__(self, data):
        self._data = data

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


class _Tagged(str):
    pass


def test_values_as_a_play_gives_them_are_checked_as_plain_values():
    assert inputs.plain(_Lazy({'a': (_Tagged('x'), 1, True, None)})) == {'a': ['x', 1, True, None]}
    assert not isinstance(inputs.plain(_Tagged('x')), _Tagged) and inputs.plain(True) is True
    assert _problems(lk_bigip_provider=_Lazy({'server': 'bigip'}), lk_setup_kits=(_Tagged('steeleye-lkNFS'),),
                     lk_evacuate_timeout=_Tagged('30')) == []
    assert _problems(lk_evacuate_timeout=_Tagged('abc')) == [
        "lk_evacuate_timeout is 'abc': expected a whole number from 1 to 604800 (as text too, as AWX sends it: '30')"]


def test_the_bigip_provider_is_never_shown():
    problems = _problems(lk_bigip_provider='password=secret,server')
    assert problems == ['lk_bigip_provider is (hidden): expected a mapping']
    assert _problems(lk_bigip_provider={'server': 'bigip', 'password': 'x'}) == []


def test_variables_set_by_the_collection_and_other_names_are_ignored():
    assert _problems(lk_node=5, lk_hook_point='nowhere', lk_plan='x', something_else='abc') == []


def _spec_options():
    """{variable: [spec of each role entry point that lists it]}."""
    options = {}
    for role in sorted(os.listdir(ROLES)):
        path = os.path.join(ROLES, role, 'meta', 'argument_specs.yml')
        if not os.path.exists(path):
            continue
        with open(path) as handle:
            for entry in yaml.safe_load(handle)['argument_specs'].values():
                for name, option in (entry.get('options') or {}).items():
                    options.setdefault(name, []).append(option)
    return options


def _public_defaults():
    with open(os.path.join(ROLES, 'defaults', 'defaults', 'main.yml')) as handle:
        return dict((k, v) for k, v in yaml.safe_load(handle).items() if k.startswith('lk_'))


def test_every_public_variable_is_checked_in_preflight():
    """A variable added to an argument spec (or a public default) is checked in pre-flight
    unless the collection sets it itself: nothing a later stage reads can be forgotten."""
    public = (set(_spec_options()) | set(_public_defaults())) - inputs.INTERNAL
    assert sorted(public - set(SPECS)) == []
    assert sorted(set(SPECS) - public) == []
    assert sorted(inputs.INTERNAL - set(_spec_options())) == []


def test_every_role_documents_a_variable_with_the_same_rule():
    """Pre-flight checks one spec per variable: every role must agree on it."""
    for name, options in _spec_options().items():
        rules = set((o.get('type', 'str'), o.get('elements'), tuple(o.get('choices') or ())) for o in options)
        assert len(rules) == 1, (name, rules)


def test_every_number_has_bounds_and_every_bound_a_number():
    numbers = set(name for name, spec in SPECS.items() if spec.get('type') in ('int', 'float'))
    assert sorted(numbers ^ set(inputs.BOUNDS)) == []


def test_the_defaults_pass():
    given = dict((k, v) for k, v in _public_defaults().items() if not (isinstance(v, str) and '{{' in v))
    assert _problems(**given) == []


def test_preflight_checks_every_input_before_the_nodes_are_read():
    with open(os.path.join(ROLES, 'preflight', 'tasks', 'inputs.yml')) as handle:
        validate = handle.read()
    assert "query('ansible.builtin.varnames', '^lk_')" in validate
    assert 'hatools.lifekeeper.lk_input_problems' in validate
    # the rolling update's, the rollback's and the maintenance's pre-flight: the inputs before the first read of a node
    for entry in ('main.yml', 'rollback.yml', 'maintenance.yml'):
        with open(os.path.join(ROLES, 'preflight', 'tasks', entry)) as handle:
            text = handle.read()
        checked = re.search(r'(include|import)_tasks: inputs\.yml', text)
        assert checked and checked.start() < text.index('hatools.lifekeeper.lk_status'), entry


def test_the_extra_specs_keep_the_public_defaults():
    defaults = _public_defaults()
    for name, spec in inputs.EXTRA_SPECS.items():
        assert spec['default'] == defaults[name], name
