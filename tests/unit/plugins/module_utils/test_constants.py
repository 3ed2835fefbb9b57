# -*- coding: utf-8 -*-
"""constants.py: the one definition of states, mirrors, versions and the local node name."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import socket

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import constants


class Obj(object):
    def __init__(self, type_=None):
        self.type = type_


@pytest.mark.parametrize('resource,expected', [
    ({'tag': 'datarep-data', 'type': 'scsi/netraid'}, True),
    ({'tag': 'mirror-export', 'type': 'scsi/netraid'}, True),      # any tag: the type decides
    ({'tag': 'datarep-data', 'type': 'gen/app'}, False),           # a datarep tag is not enough
    ({'tag': 'datarep-data', 'type': None}, False),                # unknown type: not a mirror
    ({'tag': 'datarep-data'}, False),
    ({'type': 'scsi/NETRAID'}, False),                              # exact, as the display prints it
    (Obj('scsi/netraid'), True),
    (Obj('comm/ip'), False),
    (Obj(), False),
    (None, False),
])
def test_is_mirror_by_type_only(resource, expected):
    assert constants.is_mirror(resource) is expected


@pytest.mark.parametrize('text,major', [
    ('9.9.0', 9), ('10.0.1', 10), ('v8.4.1', 8), ('V9.7', 9), (' 8 ', 8), ('8', 8),
    ('', None), (None, None), ('nine', None), ('x9.9', None), ('9x', None),
])
def test_version_major(text, major):
    assert constants.version_major(text) == major


@pytest.mark.parametrize('version,generation', [
    ('9.9.0', 'lkcli'), ('9.0.0', 'lkcli'), ('10.0.0', 'lkcli'), ('8.4.1', 'legacy'),
    ('7.5.0', 'legacy'), (None, None), ('garbage', None),
])
def test_generation_of(version, generation):
    assert constants.generation_of(version) == generation


def test_states():
    assert constants.IN_SERVICE_STATES == ('ISP', 'ISU')
    assert constants.STANDBY_STATE == 'OSU' and constants.FAILED_STATE == 'OSF'
    assert constants.ACTIVE_STATE in constants.IN_SERVICE_STATES
    assert set(constants.IN_SERVICE_STATES + (constants.STANDBY_STATE, constants.FAILED_STATE)) <= \
        set(constants.RESOURCE_STATES)
    assert constants.is_in_service('ISU') and not constants.is_in_service('OSU')


def test_product_rpm_and_kits_share_the_prefix():
    assert constants.PRODUCT_RPM == 'steeleye-lk'
    for name in (constants.PRODUCT_RPM, constants.DATAKEEPER_KIT, constants.NFS_KIT):
        assert name.startswith(constants.PRODUCT_RPM_PREFIX)


def test_local_node_name_prefers_the_displayed_name():
    assert constants.local_node_name('node1') == 'node1'
    assert constants.local_node_name(None) == socket.gethostname()
    assert constants.local_node_name('') == socket.gethostname()


@pytest.mark.parametrize('run_id,ok', [
    ('20261122T0230', True), ('run-1.a_b', True), ('', False), ('a b', False), ('../x', False),
    ('a/b', False), ('x;y', False),
])
def test_run_id_pattern(run_id, ok):
    assert bool(constants.RUN_ID_RE.match(run_id)) is ok
