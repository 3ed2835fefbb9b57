# -*- coding: utf-8 -*-
"""switch.py: what lk_resource_switch decides, on parsed recorded displays (no module)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from conftest import fixture_text
from ansible_collections.hatools.lifekeeper.plugins.module_utils import switch
from ansible_collections.hatools.lifekeeper.plugins.module_utils.status import (
    MirrorStatus, parse_long_status, parse_mirror_status, parse_short_status)


@pytest.fixture
def mixed():
    """node2's view: app-web OSU (mirror datarep-data), db ISP (fs-db -> datarep-db), local-only OSF."""
    cluster = parse_short_status(fixture_text('e_mixed_node2.txt'))
    cluster.apply_types(parse_long_status(fixture_text('long_mixed_node2.txt')).types())
    return cluster


@pytest.fixture
def shared():
    return parse_short_status(fixture_text('q_titles_wide.txt'))


def test_wanted_state():
    assert switch.wanted_state('in_service') == 'ISP'
    assert switch.wanted_state('out_of_service') == 'OSU'
    with pytest.raises(ValueError, match="'sideways'"):
        switch.wanted_state('sideways')


def test_requested_tags(mixed):
    assert switch.requested_tags(mixed, []) == (['app-web', 'db', 'local-only'], [], ['app-web', 'db', 'local-only'])
    assert switch.requested_tags(mixed, ['db', 'db', 'nope'])[:2] == (['db', 'nope'], ['nope'])
    assert switch.requested_tags(mixed, ['fs-db'])[1] == []     # any known tag, not only roots


def test_alive_peers_once_each_in_display_order(mixed):
    # node3 has a DEAD TCP path and an ALIVE TTY path: it is reachable
    assert switch.alive_peers(mixed) == ['node1', 'node3']


def test_remote_holder_takes_the_first_peer_showing_it_in_service():
    isp = parse_short_status(fixture_text('doc_example_q.txt'))
    osu = parse_short_status(fixture_text('doc_example_q.txt').replace(' ISP ', ' OSU '))
    assert switch.remote_holder([('a', osu), ('b', None), ('c', isp)], 'app-web') == 'c'
    assert switch.remote_holder([('a', osu), ('b', None)], 'app-web') is None
    assert switch.remote_holder([('c', isp)], 'not-there') is None


def test_members_and_reached(mixed):
    assert switch.members(mixed, 'db', 'in_service') == ['db', 'fs-db', 'datarep-db', 'ip-10.0.0.60']
    assert switch.reached(mixed, 'db', 'in_service') is True
    assert switch.reached(mixed, 'app-web', 'in_service') is False
    assert switch.reached(mixed, 'app-web', 'out_of_service') is True
    assert switch.reached_one(mixed, 'nope', 'in_service') is False


def test_members_out_of_service_leave_a_child_shared_with_another_hierarchy(shared):
    root = 'application-hierarchy-with-a-long-tag'
    assert switch.members(shared, root, 'in_service') == [root, 'shared-fs', 'shared-disk']
    # shared-fs also serves second-app: taking root out of service does not wait for it, nor for
    # shared-disk below it (removing shared-disk would take second-app down too)
    assert switch.members(shared, root, 'out_of_service') == [root]
    assert switch.next_removals(shared, root) == [root]
    shared.resource(root).state = 'OSU'
    assert switch.next_removals(shared, root) == []


def test_failed_members(mixed):
    assert switch.failed_members(mixed, ['db', 'local-only']) == ['local-only']
    assert switch.failed_members(mixed, ['local-only'], failed_before=['local-only']) == []


def test_next_removals_top_down(mixed):
    assert switch.next_removals(mixed, 'db') == ['db']
    mixed.resource('db').state = 'OSU'
    assert switch.next_removals(mixed, 'db') == ['fs-db', 'ip-10.0.0.60']
    for tag in ('fs-db', 'ip-10.0.0.60'):
        mixed.resource(tag).state = 'OSU'
    assert switch.next_removals(mixed, 'db') == ['datarep-db']


def test_mirrors_of_is_by_type(mixed):
    assert switch.mirrors_of(mixed, ['app-web', 'db']) == ['datarep-data', 'datarep-db']
    by_type = parse_short_status(fixture_text('e_mirror_by_type.txt'))
    by_type.apply_types(parse_long_status(fixture_text('long_mirror_by_type.txt')).types())
    assert switch.mirrors_of(by_type, ['nfs-export']) == ['mirror-export']


def test_mirrors_of_without_types_finds_none(mixed):
    mixed.apply_types({})
    assert switch.mirrors_of(mixed, ['app-web']) == []


def report(source, *targets):
    return MirrorStatus('m', source, [{'name': n, 'state': s, 'progress': p} for n, s, p in targets])


@pytest.mark.parametrize('mirror_report,node,blocking', [
    (report('node1', ('node2', 'Mirroring', 100)), 'node2', []),
    (report('node1', ('node2', 'Resyncing', 45)), 'node2', [('node2', 'Resyncing', 45)]),
    (report('node1', ('node2', 'Mirroring', 100), ('node3', 'Resyncing', 10)), 'node2', []),
    (report('node2', ('node1', 'Resyncing', 10)), 'node2', []),            # this node is the source
    (report(None, ('node1', 'Unknown', None), ('node2', 'Unknown', None)), 'node2', []),  # in service nowhere
    (report('node1', ('node2', 'Paused', 80)), None, [('node2', 'Paused', 80)]),          # node unknown: all
])
def test_mirror_blockers(mirror_report, node, blocking):
    found = switch.mirror_blockers([('m', mirror_report)], node)
    assert [(b['target'], b['state'], b['progress']) for b in found] == blocking


def test_a_mirror_whose_state_is_unknown_blocks():
    found = switch.mirror_blockers([('m', "the answer is about mirror 'x', not 'm'")], 'node2')
    assert found == [{'mirror': 'm', 'target': 'node2', 'state': 'unknown', 'progress': None,
                      'reason': "the answer is about mirror 'x', not 'm'"}]
    assert switch.describe_blockers(found) == "mirror m: state unknown (the answer is about mirror 'x', not 'm')"


def test_describe_blockers():
    resync = switch.mirror_blockers([('datarep-data', parse_mirror_status(fixture_text('mirror_resyncing.txt')))],
                                    'node2')
    assert switch.describe_blockers(resync) == 'mirror datarep-data is Resyncing on node2 (45%)'
    unknown = switch.mirror_blockers([('m', report('node1', ('node2', 'Unknown', None)))], 'node2')
    assert switch.describe_blockers(unknown) == 'mirror m is Unknown on node2 (progress unknown)'
