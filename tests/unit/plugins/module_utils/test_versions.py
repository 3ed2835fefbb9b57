# -*- coding: utf-8 -*-
"""versions.py: parsing and the update-path rule table."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import (
    DIRECT_UPDATE_RULES, Version, crosses_perl_change, direct_sources, parse_version, update_path)


@pytest.mark.parametrize('text,key', [
    ('9.9.0', (9, 9, 0)), ('10.0.1', (10, 0, 1)), (' 8.4.1\n', (8, 4, 1)),
    ('v9.8.0', (9, 8, 0)), ('10.0', (10, 0, 0)),
])
def test_parse_version(text, key):
    assert parse_version(text).key == key


@pytest.mark.parametrize('text', ['', 'nine', '9', '9.9.0-1', '9.9.0.1', '9..0', None, 990])
def test_parse_version_rejects_and_names_text_and_form(text):
    with pytest.raises(ValueError) as info:
        parse_version(text)
    assert repr(text) in str(info.value)
    assert 'N.N.N' in str(info.value)


def test_version_ordering_is_numeric():
    assert parse_version('10.0.0') > parse_version('9.9.0')
    assert parse_version('9.10.0') > parse_version('9.9.9')
    assert str(parse_version('9.8')) == '9.8.0'
    assert Version(9, 9, 0) == parse_version('9.9.0')


def test_rule_table_is_data():
    targets = [rule[0] for rule in DIRECT_UPDATE_RULES]
    assert targets == ['9.9.x', '8.4.1', '10.0.x']


@pytest.mark.parametrize('installed,target,kind', [
    # 9.9.0 from 9.7.x / 9.8.x
    ('9.7.0', '9.9.0', 'direct'), ('9.7.3', '9.9.0', 'direct'), ('9.8.0', '9.9.0', 'direct'),
    ('9.8.1', '9.9.0', 'direct'), ('9.6.2', '9.9.0', 'reinstall'), ('9.5.0', '9.9.0', 'reinstall'),
    ('8.4.1', '9.9.0', 'reinstall'),
    # 8.4.1 from 8.2.x, 8.3.x, 8.4.0
    ('8.2.0', '8.4.1', 'direct'), ('8.3.2', '8.4.1', 'direct'), ('8.4.0', '8.4.1', 'direct'),
    ('8.1.2', '8.4.1', 'reinstall'), ('7.5.0', '8.4.1', 'reinstall'),
    # 10.0 from 9.8.0 and 9.9.x
    ('9.8.0', '10.0.0', 'direct'), ('9.9.0', '10.0.0', 'direct'), ('9.9.2', '10.0.0', 'direct'),
    ('9.8.1', '10.0.0', 'reinstall'), ('9.7.0', '10.0.0', 'reinstall'),
    # general rule: two minor versions back, and patch updates within a minor
    ('9.4.1', '9.6.0', 'direct'), ('9.5.0', '9.6.0', 'direct'), ('9.3.0', '9.6.0', 'reinstall'),
    ('9.9.0', '9.9.1', 'direct'), ('10.0.0', '10.0.2', 'direct'),
    # none / downgrade / fresh
    ('9.9.0', '9.9.0', 'none'), ('9.9.0', '9.8.0', 'downgrade'), ('10.0.0', '9.9.0', 'downgrade'),
    (None, '9.9.0', 'fresh'), ('', '8.4.1', 'fresh'),
])
def test_update_path_kinds(installed, target, kind):
    assert update_path(installed, target).kind == kind


def test_reinstall_reason_names_both_versions_and_the_window():
    path = update_path('9.5.0', '9.9.0')
    assert path.kind == 'reinstall'
    assert path.reason.startswith('direct update to 9.9.0 is supported from 9.7.x and 9.8.x; 9.5.0 is installed')
    assert 'intermediate' in path.reason
    assert path.allowed_from == ('9.7.x', '9.8.x')
    assert path.as_dict()['installed'] == '9.5.0'


def test_reinstall_across_major_without_rule():
    path = update_path('9.9.0', '11.0.0')
    assert path.kind == 'reinstall'
    assert 'no direct update to 11.0.0 is documented' in path.reason


def test_downgrade_and_none_reasons():
    assert '9.9.0' in update_path('9.9.0', '9.8.0').reason and '9.8.0' in update_path('9.9.0', '9.8.0').reason
    assert update_path('9.9.0', '9.9.0').reason == '9.9.0 is already installed'


def test_bad_target_raises_value_error():
    with pytest.raises(ValueError, match='latest'):
        update_path('9.8.0', 'latest')


def test_direct_sources_general_rule():
    assert direct_sources('9.6.0') == (('9.4.x', '9.5.x'), 'general rule: two versions back')
    assert direct_sources('9.9.1')[0] == ('9.7.x', '9.8.x')


@pytest.mark.parametrize('installed,target,crosses', [
    ('9.7.0', '9.9.0', True), ('9.5.0', '9.8.0', True), ('9.8.0', '9.9.0', False),
    ('9.9.0', '10.0.0', False), ('8.4.1', '8.4.1', False), (None, '9.9.0', False),
    ('9.7.2', '9.7.3', False),
])
def test_crosses_perl_change(installed, target, crosses):
    assert crosses_perl_change(installed, target) is crosses


@pytest.mark.parametrize('text', ['٩.٩.٠', '9.٩.0', '９.9.0', '9.9.0\nx', '9.9.0.1'])
def test_parse_version_reads_ascii_digits_only(text):
    """\\d would read other scripts' digits as 9.9.0 (issue 18)."""
    with pytest.raises(ValueError, match='N.N.N'):
        parse_version(text)
