# -*- coding: utf-8 -*-
"""/etc/default/LifeKeeper merge of the reinstall path (v8.4.1 guide)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import defaults_file

NEW = """# LifeKeeper defaults (new install)
LK_SERV_ENV=/opt/LifeKeeper/new
LCMPORT=0
LCMHBEATTIME=5
LCMNUMHBEATS=3
NEWPARAM=on
"""
OLD = """# old
LK_SERV_ENV=/opt/LifeKeeper/old
LCMPORT=0
LCMHBEATTIME=2
LCMNUMHBEATS=3
LKCHECKINTERVAL=120
export CUSTOM_FLAG="a b"
"""


def test_parse_ignores_comments_and_reads_export():
    values = defaults_file.parse(OLD)
    assert values['LCMHBEATTIME'] == '2'
    assert values['CUSTOM_FLAG'] == '"a b"'
    assert len(values) == 6


def test_merge_keeps_new_file_and_carries_old_values():
    merged, changes = defaults_file.merge(NEW, OLD)
    values = defaults_file.parse(merged)
    assert values['LK_SERV_ENV'] == '/opt/LifeKeeper/new'      # owned by setup
    assert values['LCMHBEATTIME'] == '2'                        # changed value carried over
    assert values['NEWPARAM'] == 'on'                           # new parameter kept
    assert values['LKCHECKINTERVAL'] == '120'                   # old-only parameter added
    assert values['CUSTOM_FLAG'] == '"a b"'
    assert merged.startswith('# LifeKeeper defaults (new install)\n')
    assert defaults_file.CARRIED_HEADER in merged
    assert sorted((c['key'], c['action']) for c in changes) == [
        ('CUSTOM_FLAG', 'added'), ('LCMHBEATTIME', 'kept old value'), ('LKCHECKINTERVAL', 'added')]


def test_merge_of_identical_files_changes_nothing():
    merged, changes = defaults_file.merge(NEW, NEW)
    assert merged == NEW and changes == []


def test_read_names_the_file_line_and_byte_when_it_is_not_utf8(tmp_path):
    path = tmp_path / 'LifeKeeper'
    path.write_bytes(b'A=1\nB=2\nC=\x80\n')
    with pytest.raises(defaults_file.DefaultsFileError,
                       match=re.escape('%s is not UTF-8 text: byte 0x80 on line 3 cannot be read' % path)):
        defaults_file.read(str(path))
    path.write_bytes(u'A=caf\u00e9\n'.encode('utf-8'))
    assert defaults_file.read(str(path)) == u'A=caf\u00e9\n'


@pytest.mark.parametrize('value,port', [(None, 7365), ('', 7365), ('0', 7365), (' 7400 ', 7400), ('65535', 65535)])
def test_lcm_port(value, port):
    assert defaults_file.lcm_port(value, '/etc/default/LifeKeeper') == port


@pytest.mark.parametrize('value', [u'\u00b2', u'\u0669', 'seven', '65536', '-5', '7 365', '00000000001'])
def test_lcm_port_that_is_not_a_port_names_key_value_and_file(value):
    with pytest.raises(ValueError, match=re.escape(u'LCMPORT=%s in /f is not a port number' % value)):
        defaults_file.lcm_port(value, '/f')


def test_keep_new_changes_only_the_keys_named_and_lists_the_rest():
    """Both guides keep the new release's file; only lk_defaults_carry keys take their old value."""
    text, review, carried = defaults_file.keep_new(NEW, OLD, ['LCMHBEATTIME', 'LKCHECKINTERVAL', 'LK_SERV_ENV'])
    assert text == NEW.replace('LCMHBEATTIME=5', 'LCMHBEATTIME=2') + defaults_file.CARRIED_HEADER + '\nLKCHECKINTERVAL=120\n'
    assert carried == [{'key': 'LCMHBEATTIME', 'new': '5', 'old': '2', 'action': 'kept old value'},
                       {'key': 'LKCHECKINTERVAL', 'new': None, 'old': '120', 'action': 'added'}]
    # LK_SERV_ENV is setup's: never carried, listed for review like any other difference
    assert review == [{'key': 'CUSTOM_FLAG', 'new': None, 'old': '"a b"'},
                      {'key': 'LK_SERV_ENV', 'new': '/opt/LifeKeeper/new', 'old': '/opt/LifeKeeper/old'}]


def test_keep_new_without_keys_is_the_new_file_unchanged():
    text, review, carried = defaults_file.keep_new(NEW, OLD)
    assert text == NEW and carried == []
    assert [entry['key'] for entry in review] == ['CUSTOM_FLAG', 'LCMHBEATTIME', 'LKCHECKINTERVAL', 'LK_SERV_ENV']
