# -*- coding: utf-8 -*-
"""Identifier and number patterns (issue 18): no trailing newline, ASCII digits only."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import constants, lock, setup_answers, versions
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_setup
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import bigip, fleet, values

ARABIC_INDIC_990 = u'\u0669.\u0669.\u0660'      # '٩.٩.٠' - int() reads it as 9.9.0


@pytest.mark.parametrize('text', [ARABIC_INDIC_990, u'\u0669.9.0', u'9.\u0669', u'\uff19.9.0', '9.9.0\n\n1'])
def test_a_version_in_other_digits_is_refused(text):
    with pytest.raises(ValueError, match='invalid LifeKeeper version'):
        versions.parse_version(text)


def test_the_major_of_a_version_in_other_digits_is_unknown():
    assert constants.version_major(ARABIC_INDIC_990) is None
    assert constants.generation_of(ARABIC_INDIC_990) is None


def test_ascii_versions_still_parse():
    assert versions.parse_version('v9.9.0').key == (9, 9, 0)
    assert versions.parse_version(' 8.4 ').key == (8, 4, 0)
    assert constants.version_major('9.9.0') == 9


@pytest.mark.parametrize('text', ['run-1\n', 'run-1\r\n', u'run-\u0661'])
def test_a_run_id_with_a_trailing_newline_is_refused(text):
    assert not constants.RUN_ID_RE.match(text)
    with pytest.raises(ValueError, match='a run id may hold'):
        values.run_id(text)
    with pytest.raises(LifeKeeperError, match='must match'):
        lock.check_identifier('run_id', text)


def test_a_plain_run_id_is_accepted():
    assert values.run_id('lk-20261206.1') == 'lk-20261206.1'
    assert lock.check_identifier('run_id', 'lk-20261206.1') == 'lk-20261206.1'


def test_identifier_patterns_refuse_a_trailing_newline():
    assert setup_answers.KIT_NAME_RE.match('steeleye-lkDR')
    assert not setup_answers.KIT_NAME_RE.match('steeleye-lkDR\n')
    assert lk_setup.IMG_NAME_RE.match('sps_9.9.0.img')
    assert not lk_setup.IMG_NAME_RE.match('sps_9.9.0.img\n')
    assert bigip.NAME_RE.match('app_pool') and not bigip.NAME_RE.match('app_pool\n')


def test_a_sha256_with_a_trailing_newline_is_refused():
    hop = {'version': '9.8.0', 'media': '/iso/9.8.iso', 'media_sha256': 'a' * 64 + '\n'}
    with pytest.raises(ValueError, match='expected 64 hexadecimal digits'):
        values.media_hops([hop], '9.9.0', '/iso/9.9.iso')


@pytest.mark.parametrize('value', [u'\u00b2', u'\u0668\u0660'])
def test_numbers_in_other_digits_are_refused_with_the_usual_message(value):
    with pytest.raises(ValueError, match='port number 0-65535'):
        bigip._port(value, 'port')
    with pytest.raises(ValueError, match='1-86400 seconds'):
        bigip.irule('set static::lk_maint_retry_after 5', value)
    with pytest.raises(ValueError, match='lk_fleet_parallel is'):
        fleet.parallel_value(value)
