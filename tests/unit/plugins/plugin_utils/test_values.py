# -*- coding: utf-8 -*-
"""Operator input: booleans, versions, the rollback archive."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import values


@pytest.mark.parametrize('value, expected', [
    (True, True), (False, False), ('true', True), ('Yes', True), ('1', True), (1, True), ('on', True),
    ('false', False), ('NO', False), ('0', False), (0, False), ('', False), (None, False), (' off ', False),
])
def test_to_bool(value, expected):
    assert values.to_bool(value) is expected


def test_to_bool_names_the_bad_value():
    with pytest.raises(ValueError, match="lk_confirm is 'perhaps': expected true or false"):
        values.to_bool('perhaps', 'lk_confirm')


@pytest.mark.parametrize('value, expected', [('9.9.0', '9.9.0'), ('v9.9', '9.9.0'), (' 8.4.1 ', '8.4.1')])
def test_normalise_version(value, expected):
    assert values.normalise_version(value) == expected


@pytest.mark.parametrize('value, says', [('', 'lk_target_version is not set'), (None, 'is not set'),
                                         ('9.x', "lk_target_version: invalid LifeKeeper version '9.x'"),
                                         # what ansible-core 2.19 makes of an AWX answer 9.9 / 9.10 / 10
                                         (9.9, r'lk_target_version is the number 9.9, not a text.*N.N.N'),
                                         (9.1, r'number 9.1.*9.10 reads as 9.1'), (10, 'the number 10'),
                                         (True, 'the number True')])
def test_normalise_version_refuses(value, says):
    with pytest.raises(ValueError, match=says):
        values.normalise_version(value)


@pytest.mark.parametrize('value, expected', [(None, ''), ('', ''), ('  ', ''), ('v9.7', '9.7.0'), ('8.1.2', '8.1.2')])
def test_optional_version(value, expected):
    assert values.optional_version(value, 'lk_rollback_version') == expected


def test_optional_version_refuses_a_number():
    with pytest.raises(ValueError, match='lk_rollback_version is the number 9.7'):
        values.optional_version(9.7, 'lk_rollback_version')


@pytest.mark.parametrize('value, expected', [(None, None), ('', None), ('  ', None), ('R1', 'R1'),
                                             ('20261122T0230.5Z-a_b', '20261122T0230.5Z-a_b'), (20261122, '20261122')])
def test_run_id(value, expected):
    assert values.run_id(value) == expected


@pytest.mark.parametrize('value, says', [('a b', "lk_run_id is 'a b'"), ('../x', "'../x'"), ('..', "'..'"),
                                         ('x;rm', "'x;rm'"), (1.5, 'lk_run_id is 1.5'), (True, 'lk_run_id is True')])
def test_run_id_refuses(value, says):
    with pytest.raises(ValueError, match=says):
        values.run_id(value)


@pytest.mark.parametrize('value, default, expected', [
    ('arts', None, '/work/dir/arts'), ('/abs/arts/', None, '/abs/arts'), ('a/../b', None, '/work/dir/b'),
    (None, 'lifekeeper-artifacts', '/work/dir/lifekeeper-artifacts'), ('', 'r.json', '/work/dir/r.json'),
])
def test_absolute_path_against_the_working_directory(value, default, expected):
    assert values.absolute_path(value, 'lk_artifacts_dir', default, cwd='/work/dir') == expected


def test_absolute_path_uses_the_process_directory_and_home(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('HOME', '/home/ops')
    assert values.absolute_path('x', 'n') == str(tmp_path / 'x')
    assert values.absolute_path('~/r.json', 'n') == '/home/ops/r.json'
    with pytest.raises(ValueError, match='lk_report_file is empty'):
        values.absolute_path(None, 'lk_report_file')


@pytest.mark.parametrize('value, host, expected', [
    ('/srv/a.tgz', 'h1', {'archive': '/srv/a.tgz', 'restore': '/srv/a.tgz', 'needs_copy': False}),
    ('/opt/LifeKeeper/config/a.tgz', 'h1', {'archive': '/opt/LifeKeeper/config/a.tgz', 'restore': '/bk/a.tgz',
                                            'needs_copy': True}),
    ({'h1': '/srv/1.tgz', 'h2': '/srv/2.tgz'}, 'h2', {'archive': '/srv/2.tgz', 'restore': '/srv/2.tgz',
                                                      'needs_copy': False}),
    ({'h1': '/srv/1.tgz'}, 'h2', {'archive': '', 'restore': '', 'needs_copy': False}),
    (None, 'h1', {'archive': '', 'restore': '', 'needs_copy': False}),
    ('/opt/LifeKeeperX/a.tgz', 'h1', {'archive': '/opt/LifeKeeperX/a.tgz', 'restore': '/opt/LifeKeeperX/a.tgz',
                                      'needs_copy': False}),
])
def test_rollback_archive(value, host, expected):
    assert values.rollback_archive(value, host, '/opt/LifeKeeper/', '/bk/') == expected


def test_media_hops_end_with_the_target():
    hops = values.media_hops([{'version': 'v9.7', 'media': '/srv/a.iso', 'media_sha256': 'A' * 64}], '9.9.0',
                             '/srv/b.iso', None)
    assert hops == [{'version': '9.7.0', 'media': '/srv/a.iso', 'media_sha256': 'A' * 64},
                    {'version': '9.9.0', 'media': '/srv/b.iso', 'media_sha256': ''}]
    assert values.media_hops(None, '9.9', '/srv/b.iso', 'b' * 64) == [
        {'version': '9.9.0', 'media': '/srv/b.iso', 'media_sha256': 'b' * 64}]


@pytest.mark.parametrize('hops, says', [
    ('9.7.0', 'lk_media_hops must be a list'),
    (['9.7.0'], r'lk_media_hops\[0\] must be a dict'),
    ([{'version': '9.7.0', 'media': '/a', 'iso': 'x'}], r'lk_media_hops\[0\] has unknown key\(s\) iso'),
    ([{'version': 'nine', 'media': '/a'}], "'nine'"),
    ([{'version': '', 'media': '/a'}], r'lk_media_hops\[0\].version is not set'),
    ([{'version': '9.7.0', 'media': 'a.iso'}], r'lk_media_hops\[0\].media must be the absolute path'),
    ([{'version': '9.7.0', 'media': '/a', 'media_sha256': 'xyz'}], 'expected 64 hexadecimal digits'),
    ([{'version': '9.9.0', 'media': '/a'}], 'every hop must be below the target 9.9.0'),
    ([{'version': '9.7.0', 'media': '/a'}, {'version': '9.6.0', 'media': '/b'}], 'ascending order'),
])
def test_bad_hops_are_refused_naming_the_entry(hops, says):
    with pytest.raises(ValueError, match=says):
        values.media_hops(hops, '9.9.0', '/srv/b.iso')
