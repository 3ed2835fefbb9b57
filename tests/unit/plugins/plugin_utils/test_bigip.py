# -*- coding: utf-8 -*-
"""The bigip_drain role's logic (plugin_utils/bigip.py): mapping validation, what a hook holds and releases, statistics."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import bigip as f

MAPPING = [
    {'node': 'node1', 'pool': 'web_pool', 'address': '10.0.0.11', 'port': 80},
    {'node': 'node2', 'pool': 'web_pool', 'address': '10.0.0.12', 'port': '80'},
    {'hierarchy': 'app-web', 'pool': '/Apps/vip_pool', 'address': '10.0.0.50', 'port': 443, 'partition': 'Apps'},
    {'node': 'node1', 'pool': 'vip_pool', 'address': '10.0.0.50', 'port': 443, 'name': 'vip', 'partition': 'Apps'},
]
MOVE = {'tag': 'app-web', 'from': 'node1', 'to': 'node2'}
BACK = {'tag': 'app-web', 'from': 'node2', 'to': 'node1'}

# A member's statistics as BIG-IP 13+ answers GET .../members/~Common~10.0.0.11:80/stats
# (shape of the published examples: one nested entry whose entries hold the counters).
STATS = {
    'kind': 'tm:ltm:pool:members:membersstats',
    'selfLink': 'https://localhost/mgmt/tm/ltm/pool/~Common~web_pool/members/~Common~10.0.0.11:80/stats?ver=15.1.0',
    'entries': {
        'https://localhost/mgmt/tm/ltm/pool/~Common~web_pool/members/~Common~10.0.0.11:80/stats': {
            'nestedStats': {'entries': {
                'addr': {'description': '10.0.0.11'},
                'curSessions': {'value': 0},
                'serverside.curConns': {'value': 7},
                'sessionStatus': {'description': 'enabled'},
                'status.availabilityState': {'description': 'available'},
            }}}},
}


def members():
    return f.members(MAPPING)


def test_members_are_normalised_with_paths_and_url_names():
    result = members()
    assert [m['key'] for m in result] == ['/Common/web_pool/10.0.0.11:80', '/Common/web_pool/10.0.0.12:80',
                                          '/Apps/vip_pool/10.0.0.50:443', '/Apps/vip_pool/vip:443']
    first = result[0]
    assert first['pool_uri'] == '~Common~web_pool' and first['member_uri'] == '~Common~10.0.0.11:80'
    assert first['owner_kind'] == 'node' and first['owner'] == 'node1' and first['port'] == 80
    assert result[1]['port'] == 80
    assert result[3]['member'] == 'vip:443' and result[3]['name'] == 'vip'


def test_ipv6_members_use_a_dot_and_route_domains_are_url_encoded():
    (entry,) = f.members([{'node': 'n', 'pool': 'p', 'address': '2001:db8::1', 'port': 80}])
    assert entry['member'] == '2001:db8::1.80'
    (entry,) = f.members([{'node': 'n', 'pool': 'p', 'address': '10.1.1.1%2', 'port': 80}])
    assert entry['member_uri'] == '~Common~10.1.1.1%252:80'


@pytest.mark.parametrize('entry, message', [
    ({'pool': 'p', 'address': '10.0.0.1', 'port': 80}, 'needs exactly one of node'),
    ({'node': 'a', 'hierarchy': 'b', 'pool': 'p', 'address': '10.0.0.1', 'port': 80}, 'got node, hierarchy'),
    ({'node': 'a', 'pool': 'p', 'address': 'web1', 'port': 80}, "'web1' is not an IPv4 or IPv6 address"),
    ({'node': 'a', 'pool': 'p', 'address': '10.0.0.1', 'port': 70000}, 'port must be a port number'),
    ({'node': 'a', 'pool': 'p', 'address': '10.0.0.1', 'port': True}, 'port must be a port number'),
    ({'node': 'a', 'pool': 'p', 'address': '10.0.0.1'}, 'needs port'),
    ({'node': 'a', 'pool': 'p x', 'address': '10.0.0.1', 'port': 80}, "pool 'p x'"),
    ({'node': 'a', 'pool': '/A/B/c', 'address': '10.0.0.1', 'port': 80}, 'expected NAME or /Partition/NAME'),
    ({'node': 'a', 'pool': 'p', 'address': '10.0.0.1', 'port': 80, 'weight': 3}, 'unknown key(s) weight'),
    ('node1', 'must be a dict'),
])
def test_bad_mapping_entries_are_refused_naming_the_entry(entry, message):
    with pytest.raises(ValueError) as err:
        f.members([MAPPING[0], entry])
    assert 'lk_bigip_members[1]' in str(err.value) and message in str(err.value)


def test_mapping_must_be_a_list_and_not_repeat_itself():
    with pytest.raises(ValueError, match='must be a list'):
        f.members({'node': 'node1'})
    with pytest.raises(ValueError, match='repeats member'):
        f.members([MAPPING[0], dict(MAPPING[0])])
    assert f.members(None) == []


def test_virtuals():
    assert f.virtuals(['vs_web', '/Other/vs']) == [
        {'name': 'vs_web', 'partition': 'Common', 'path': '/Common/vs_web', 'uri': '~Common~vs_web'},
        {'name': 'vs', 'partition': 'Other', 'path': '/Other/vs', 'uri': '~Other~vs'}]
    with pytest.raises(ValueError, match='twice'):
        f.virtuals(['vs', '/Common/vs'])
    with pytest.raises(ValueError, match='lk_bigip_virtual_servers\\[0\\]'):
        f.virtuals([''])


def test_before_evacuate_holds_the_nodes_members_and_the_moved_hierarchies():
    held = f.hold(members(), 'before_evacuate', 'node1', [MOVE], 'r1')
    assert [(h['key'], h['owner_kind'], h['phase'], h['hook_node'], h['run_id']) for h in held] == [
        ('/Common/web_pool/10.0.0.11:80', 'node', 'evacuate', 'node1', 'r1'),
        ('/Apps/vip_pool/10.0.0.50:443', 'hierarchy', 'evacuate', 'node1', 'r1'),
        ('/Apps/vip_pool/vip:443', 'node', 'evacuate', 'node1', 'r1')]
    assert [h['key'] for h in f.hold(members(), 'before_evacuate', 'node2', [], 'r1')] == \
        ['/Common/web_pool/10.0.0.12:80']


def test_before_placement_holds_the_source_nodes_and_the_moved_hierarchies():
    held = f.hold(members(), 'before_placement', None, [BACK], 'r1')
    assert [(h['key'], h['phase'], h['hook_node']) for h in held] == [
        ('/Common/web_pool/10.0.0.12:80', 'placement', None), ('/Apps/vip_pool/10.0.0.50:443', 'placement', None)]


def test_hold_refuses_an_after_hook_and_bad_moves():
    with pytest.raises(ValueError, match='not a before-hook'):
        f.hold(members(), 'after_update', 'node1', [], 'r1')
    with pytest.raises(ValueError, match='lk_hook_moves'):
        f.hold(members(), 'before_evacuate', 'node1', [{'from': 'node1'}], 'r1')


def ledger_after(point, node, moves, run='r1', ledger=None):
    ledger = ledger or {'held': [], 'attached': []}
    held = f.hold(members(), point, node, moves, run)
    return {'held': ledger['held'] + held, 'attached': ledger['attached'] + [
        {'path': '/Common/vs_web', 'name': 'vs_web', 'partition': 'Common', 'uri': '~Common~vs_web',
         'rule': '/Common/lk_maintenance', 'phase': 'evacuate' if point == 'before_evacuate' else 'placement',
         'hook_node': node, 'run_id': run}]}


def keys(entries):
    return [e['key'] for e in entries]


def test_after_evacuate_gives_back_the_hierarchy_members_and_the_irule_not_the_nodes():
    ledger = ledger_after('before_evacuate', 'node1', [MOVE])
    rel = f.release(ledger, 'after_evacuate', 'node1', 'r1')
    assert keys(rel['enable']) == ['/Apps/vip_pool/10.0.0.50:443']
    assert [d['path'] for d in rel['detach']] == ['/Common/vs_web']
    assert keys(rel['held']) == ['/Common/web_pool/10.0.0.11:80', '/Apps/vip_pool/vip:443']
    assert rel['attached'] == []
    rel2 = f.release({'held': rel['held'], 'attached': []}, 'after_update', 'node1', 'r1')
    assert keys(rel2['enable']) == ['/Common/web_pool/10.0.0.11:80', '/Apps/vip_pool/vip:443']
    assert rel2['held'] == [] and rel2['detach'] == []


def test_after_update_of_another_node_gives_back_nothing():
    ledger = ledger_after('before_evacuate', 'node1', [MOVE])
    rel = f.release(ledger, 'after_update', 'node2', 'r1')
    assert rel['enable'] == [] and rel['detach'] == [] and len(rel['held']) == 3


def test_a_member_held_twice_is_enabled_when_its_last_holder_goes():
    mapping = [MAPPING[0], {'hierarchy': 'app-web', 'pool': 'web_pool', 'address': '10.0.0.11', 'port': 80}]
    held = f.hold(f.members(mapping), 'before_evacuate', 'node1', [MOVE], 'r1')
    assert len(held) == 2 and len(f.unique(held)) == 1
    rel = f.release({'held': held, 'attached': []}, 'after_evacuate', 'node1', 'r1')
    assert rel['enable'] == [] and keys(rel['held']) == ['/Common/web_pool/10.0.0.11:80']
    rel = f.release({'held': rel['held'], 'attached': []}, 'after_update', 'node1', 'r1')
    assert keys(rel['enable']) == ['/Common/web_pool/10.0.0.11:80']


@pytest.mark.parametrize('point', ['after_placement', 'on_failure'])
def test_after_placement_and_on_failure_give_back_everything(point):
    ledger = ledger_after('before_evacuate', 'node1', [MOVE])
    ledger = ledger_after('before_placement', None, [BACK], ledger=ledger)
    rel = f.release(ledger, point, None, 'r1')
    assert sorted(keys(rel['enable'])) == sorted(set(keys(ledger['held'])))
    assert [d['path'] for d in rel['detach']] == ['/Common/vs_web']
    assert rel['held'] == [] and rel['attached'] == []


def test_an_earlier_runs_holders_are_given_back_at_any_after_hook():
    old = ledger_after('before_evacuate', 'node1', [MOVE], run='r0')
    rel = f.release(old, 'after_update', 'node2', 'r1')
    assert len(rel['enable']) == 3 and [d['path'] for d in rel['detach']] == ['/Common/vs_web']
    assert rel['held'] == []


def test_release_refuses_before_hooks_and_bad_ledgers():
    with pytest.raises(ValueError, match='not an after-hook'):
        f.release({}, 'before_evacuate', 'node1', 'r1')
    with pytest.raises(ValueError, match='ledger must be'):
        f.release({'held': 'x'}, 'on_failure', None, 'r1')
    assert f.release(None, 'on_failure', None, 'r1')['enable'] == []


def test_take_leaves_members_disabled_by_someone_else_alone():
    held = f.hold(members(), 'before_evacuate', 'node1', [MOVE], 'r1')
    state = {'/Common/web_pool/10.0.0.11:80': {'session': 'monitor-enabled'},
             '/Apps/vip_pool/10.0.0.50:443': {'session': 'user-disabled'},
             '/Apps/vip_pool/vip:443': {'session': 'user-disabled'}}
    ours = {'held': [{'key': '/Apps/vip_pool/vip:443'}], 'attached': []}
    split = f.take(held, state, ours)
    assert keys(split['take']) == ['/Common/web_pool/10.0.0.11:80', '/Apps/vip_pool/vip:443']
    assert keys(split['disable']) == ['/Common/web_pool/10.0.0.11:80']
    assert split['left_alone'] == ['/Apps/vip_pool/10.0.0.50:443']


def test_release_failed_keeps_what_was_not_seen_enabled():
    ledger = ledger_after('before_evacuate', 'node1', [MOVE])
    rel = f.release(ledger, 'on_failure', None, 'r1')
    state = {'/Common/web_pool/10.0.0.11:80': {'session': 'monitor-enabled'},
             '/Apps/vip_pool/vip:443': {'session': 'user-disabled'}}
    kept = f.release_failed(rel, ledger, state)
    assert kept['still'] == ['/Apps/vip_pool/10.0.0.50:443', '/Apps/vip_pool/vip:443']
    assert keys(kept['held']) == kept['still']
    assert kept['attached'] == ledger['attached']


def test_connections_from_member_statistics():
    assert f.connections(STATS) == 7
    flat = {'entries': {'serverside.curConns': {'value': 2}}}
    assert f.connections(flat) == 2
    with pytest.raises(ValueError, match='no serverside.curConns'):
        f.connections({'entries': {'x': {'nestedStats': {'entries': {}}}}})
    with pytest.raises(ValueError, match='without "entries"'):
        f.connections({'code': 401, 'message': 'no'})


def test_busy_names_members_with_connections_or_unreadable():
    results = [{'status': 200, 'json': STATS, 'lk_bigip_m': {'key': 'a'}},
               {'status': 200, 'json': {'entries': {'serverside.curConns': {'value': 0}}}, 'lk_bigip_m': {'key': 'b'}},
               {'status': 401, 'json': {'message': 'x'}, 'lk_bigip_m': {'key': 'c'}}]
    assert f.busy(results) == ['a (7)', 'c (unreadable: HTTP 401)']


def test_member_states_from_pool_reads_name_missing_members_and_pools():
    items = [{'name': '10.0.0.11:80', 'partition': 'Common', 'fullPath': '/Common/10.0.0.11:80',
              'session': 'monitor-enabled'}]
    results = [{'status': 200, 'json': {'items': items}, 'lk_bigip_p': {'path': '/Common/web_pool'}},
               {'status': 404, 'json': {'code': 404, 'message': 'The requested Pool (/Apps/vip_pool) was not found.'},
                'lk_bigip_p': {'path': '/Apps/vip_pool'}}]
    got = f.member_states(results, members())
    assert list(got['state']) == ['/Common/web_pool/10.0.0.11:80']
    assert got['errors'] == ['pool /Apps/vip_pool: HTTP 404 The requested Pool (/Apps/vip_pool) was not found.',
                             'member /Common/10.0.0.12:80 is not in pool /Common/web_pool (it has: '
                             '/Common/10.0.0.11:80)']
    assert f.pools(members()) == [{'path': '/Common/web_pool', 'uri': '~Common~web_pool'},
                                  {'path': '/Apps/vip_pool', 'uri': '~Apps~vip_pool'}]


def test_rules_change_attaches_last_and_detaches_only_ours():
    virtuals = f.virtuals(['vs_web', 'vs_vip'])
    rules = f.virtual_rules([
        {'status': 200, 'json': {'rules': ['/Common/site']}, 'lk_bigip_v': virtuals[0]},
        {'status': 200, 'json': {'name': 'vs_vip'}, 'lk_bigip_v': virtuals[1]}])
    assert rules == {'/Common/vs_web': ['/Common/site'], '/Common/vs_vip': []}
    attach = f.rules_change(virtuals, rules, '/Common/lk', True)
    assert [a['rules'] for a in attach] == [['/Common/site', '/Common/lk'], ['/Common/lk']]
    attached = {'/Common/vs_web': ['/Common/site', '/Common/lk'], '/Common/vs_vip': []}
    detach = f.rules_change(virtuals, attached, '/Common/lk', False)
    assert [(d['path'], d['rules']) for d in detach] == [('/Common/vs_web', ['/Common/site'])]
    assert f.rules_change(virtuals[:1], attached, '/Common/lk', True) == []
    with pytest.raises(ValueError, match='was not read'):
        f.rules_change(virtuals, {}, '/Common/lk', True)


def test_connection_from_provider_and_environment():
    conn = f.connection({'server': 'lb.example', 'user': 'u', 'password': 'p', 'validate_certs': 'no'})
    assert conn['url'] == 'https://lb.example:443' and conn['validate_certs'] is False
    assert conn['f5'] == {'server': 'lb.example', 'server_port': 443, 'user': 'u', 'password': 'p',
                          'validate_certs': False, 'no_f5_teem': True}
    conn = f.connection({}, {'F5_SERVER': '2001:db8::5', 'F5_USER': 'u', 'F5_PASSWORD': 'p',
                             'F5_SERVER_PORT': '8443', 'F5_VALIDATE_CERTS': ''})
    assert conn['url'] == 'https://[2001:db8::5]:8443' and conn['validate_certs'] is True
    conn = f.connection({'server': 'lb', 'user': 'u', 'password': 'p', 'no_f5_teem': False,
                         'auth_provider': 'radius', 'timeout': 60})
    assert conn['f5']['no_f5_teem'] is False and conn['f5']['auth_provider'] == 'radius' and conn['f5']['timeout'] == 60


@pytest.mark.parametrize('provider, message', [
    ({'user': 'u', 'password': 'p'}, 'needs server (or F5_SERVER'),
    ({'server': 'lb', 'password': 'p'}, 'needs user'),
    ({'server': 'https://lb', 'user': 'u', 'password': 'p'}, 'without scheme'),
    ({'server': 'lb', 'user': 'u', 'password': 'p', 'pasword': 'x'}, 'unknown key(s) pasword'),
    ({'server': 'lb', 'user': 'u', 'password': 'p', 'validate_certs': 'maybe'}, 'true or false'),
])
def test_connection_errors_never_show_the_password(provider, message):
    with pytest.raises(ValueError) as err:
        f.connection(provider, {})
    assert message in str(err.value)
    assert "'p'" not in str(err.value)


def test_irule_retry_after():
    text = 'when RULE_INIT {\n    set static::lk_maint_retry_after 30\n}\n'
    assert 'set static::lk_maint_retry_after 120\n' in f.irule(text, 120)
    for bad in (0, 86401, 'x', True):
        with pytest.raises(ValueError, match='1-86400'):
            f.irule(text, bad)
    with pytest.raises(ValueError, match='exactly once'):
        f.irule(text + text, 30)


def test_api_errors_use_status_and_message_only():
    results = [{'status': 200}, {'status': 401, 'json': {'message': 'Authentication failed.'}, 'lk_bigip_m': {'key': 'k'},
                                 'invocation': {'module_args': {'body': {'password': 'p'}}}},
               {'status': -1, 'msg': 'Request failed: connection refused', 'lk_bigip_m': {'key': 'j'}},
               {'skipped': True}]
    expected = ['k: HTTP 401 Authentication failed.', 'j: HTTP -1 Request failed: connection refused']
    assert f.api_errors(results) == expected


# Issue 18: odd REST shapes fail with the collection's own sentence naming the object, never a
# Python error (AttributeError/TypeError) and never a wrong reading.
@pytest.mark.parametrize('stats, says', [
    ({'entries': {'u': {'nestedStats': 'serverside.curConns=3'}}}, "entries['u'].nestedStats must be an object"),
    ({'entries': {'u': {'nestedStats': {'entries': 'x'}}}}, "entries['u'].nestedStats must be an object"),
    ({'entries': {'u': {'nestedStats': {'entries': {'serverside.curConns': 3}}}}},
     'must be an object with "value", got 3'),
    ({'entries': {'serverside.curConns': {'value': 'many'}}}, "serverside.curConns is not a number: 'many'"),
    ({'entries': {'serverside.curConns': {'value': True}}}, 'serverside.curConns is not a number: True'),
    ({'entries': 'x'}, 'without "entries"'),
    ('stats', 'without "entries"'),
])
def test_connections_refuse_odd_shapes_naming_the_member(stats, says):
    with pytest.raises(ValueError) as err:
        f.connections(stats, '/Common/web_pool/10.0.0.11:80')
    assert says in str(err.value)
    assert 'statistics of /Common/web_pool/10.0.0.11:80' in str(err.value)


def test_connections_name_the_member_by_its_self_link_by_default():
    stats = dict(STATS, entries={'u': {'nestedStats': 'x'}})
    with pytest.raises(ValueError, match='statistics of https://localhost/mgmt/tm/ltm/pool/~Common~web_pool'):
        f.connections(stats)
    assert f.connections({'entries': {'serverside.curConns': {'value': '4'}}}) == 4


def test_busy_names_an_odd_statistics_shape_as_unreadable():
    results = [{'status': 200, 'json': {'entries': {'u': {'nestedStats': 'x'}}}, 'lk_bigip_m': {'key': 'a'}}]
    (line,) = f.busy(results)
    assert line.startswith('a (unreadable: statistics of a pool member: ') and 'nestedStats must be an object' in line


@pytest.mark.parametrize('rules', ['/Common/site_rule', {'name': 'site'}, ['/Common/a', 3], ['']])
def test_virtual_rules_refuse_a_rules_value_that_is_not_a_list_of_paths(rules):
    virtual = f.virtuals(['vs_web'])[0]
    with pytest.raises(ValueError) as err:
        f.virtual_rules([{'status': 200, 'json': {'rules': rules}, 'lk_bigip_v': virtual}])
    assert 'virtual server /Common/vs_web: "rules" must be a list of iRule paths' in str(err.value)
    # and never as characters when the list of a virtual server comes from elsewhere
    with pytest.raises(ValueError, match='/Common/vs_web'):
        f.rules_change([virtual], {'/Common/vs_web': rules}, '/Common/lk', True)


def test_member_states_name_a_pool_whose_member_list_has_another_shape():
    results = [{'status': 200, 'json': {'items': 'x'}, 'lk_bigip_p': {'path': '/Common/web_pool'}},
               {'status': 200, 'json': {'items': ['10.0.0.50:443']}, 'lk_bigip_p': {'path': '/Apps/vip_pool'}}]
    got = f.member_states(results, members())
    assert got['state'] == {}
    assert got['errors'] == ["pool /Common/web_pool: the member list must be {\"items\": [member objects]} "
                             "(iControl REST), got 'x'",
                             "pool /Apps/vip_pool: the member list must be {\"items\": [member objects]} "
                             "(iControl REST), got ['10.0.0.50:443']"]


# Issue 18: the server value is a host name or an address, optionally with a port, nothing else.
@pytest.mark.parametrize('server, host, port', [
    ('lb.example.com', 'lb.example.com', 443), ('lb-1', 'lb-1', 443), ('192.0.2.7', '192.0.2.7', 443),
    ('192.0.2.7:8443', '192.0.2.7', 8443), ('lb.example.com:8443', 'lb.example.com', 8443),
    ('2001:db8::5', '2001:db8::5', 443), ('[2001:db8::5]:8443', '2001:db8::5', 8443), ('[2001:db8::5]', '2001:db8::5', 443),
])
def test_connection_accepts_host_names_and_addresses_with_an_optional_port(server, host, port):
    conn = f.connection({'server': server, 'user': 'u', 'password': 'p'})
    assert (conn['server'], conn['server_port']) == (host, port)
    assert (conn['f5']['server'], conn['f5']['server_port']) == (host, port)


@pytest.mark.parametrize('server', ['bigip@evil', 'admin@lb.example', 'lb example', 'lb.example\n', ' lb', 'lb;rm',
                                    '-lb', 'lb-.example', 'lb..example', 'lb.example.', 'lb:', 'lb:http', 'lb:99999',
                                    'lb:8443:1', '[lb]:443', '[2001:db8::5', '[2001:db8::5]x', '10.0.0.300',
                                    'l\u00f6b', 'lb:\u00b2', '', '#x'])
def test_connection_refuses_other_server_values_naming_them(server):
    with pytest.raises(ValueError) as err:
        f.connection({'server': server, 'user': 'u', 'password': 'p'})
    message = str(err.value)
    assert 'lk_bigip_provider' in message
    if server:
        assert repr(server) in message and 'host name' in message and "'p'" not in message


def test_connection_refuses_two_different_ports():
    with pytest.raises(ValueError, match='names port 8443 but server_port is 443'):
        f.connection({'server': 'lb:8443', 'server_port': 443, 'user': 'u', 'password': 'p'})
    assert f.connection({'server': 'lb:8443', 'server_port': '8443', 'user': 'u', 'password': 'p'})['server_port'] == 8443


def test_connection_without_password_keeps_it_out_of_every_value():
    conn = f.connection({'server': 'lb', 'user': 'u', 'password': 's3cret'}, {}, False)
    assert 'password' not in conn and 'password' not in conn['f5']
    assert 's3cret' not in repr(conn)
    assert f.connection({'server': 'lb', 'user': 'u', 'password': 's3cret'})['f5']['password'] == 's3cret'


def test_ports_and_retry_after_take_ascii_digits_only():
    with pytest.raises(ValueError, match='port number'):
        f.connection({'server': 'lb', 'server_port': '\u00b2', 'user': 'u', 'password': 'p'})
    with pytest.raises(ValueError, match='1-86400'):
        f.irule('set static::lk_maint_retry_after 30\n', '\u0669')


# Issue 17: HTTP_REQUEST and HTTP::respond need an HTTP profile on the virtual server.
HTTP_PROFILES = {'kind': 'tm:ltm:profile:http:httpcollectionstate',
                 'items': [{'name': 'http', 'partition': 'Common', 'fullPath': '/Common/http'},
                           {'name': 'web_http', 'partition': 'Apps', 'fullPath': '/Apps/web_http'}]}


def profiles(*paths):
    return {'kind': 'tm:ltm:virtual:profiles:profilescollectionstate',
            'items': [{'kind': 'tm:ltm:virtual:profiles:profilesstate', 'name': p.split('/')[-1],
                       'partition': p.split('/')[1], 'fullPath': p, 'context': 'all'} for p in paths]}


def test_http_profile_errors_name_the_virtual_servers_without_one():
    virtuals = f.virtuals(['vs_web', 'vs_tcp', '/Apps/vs_app', 'vs_gone'])
    results = [{'status': 200, 'json': profiles('/Common/http', '/Common/tcp'), 'lk_bigip_v': virtuals[0]},
               {'status': 200, 'json': profiles('/Common/tcp'), 'lk_bigip_v': virtuals[1]},
               {'status': 200, 'json': profiles('/Apps/web_http', '/Common/tcp'), 'lk_bigip_v': virtuals[2]},
               {'status': 404, 'json': {'message': 'not found'}, 'lk_bigip_v': virtuals[3]}]
    assert f.http_profile_errors(results, HTTP_PROFILES) == [
        'virtual server /Common/vs_tcp has no HTTP profile (its profiles: /Common/tcp)',
        'virtual server /Common/vs_gone: its profiles could not be read (HTTP 404 not found)']
    # a profile named like one is not one: only the HTTP profile list counts
    fake = [{'status': 200, 'json': profiles('/Common/http_like_tcp'), 'lk_bigip_v': virtuals[0]}]
    assert f.http_profile_errors(fake, HTTP_PROFILES) == [
        'virtual server /Common/vs_web has no HTTP profile (its profiles: /Common/http_like_tcp)']
    empty = [{'status': 200, 'json': {'kind': 'tm:ltm:virtual:profiles:profilescollectionstate'},
              'lk_bigip_v': virtuals[0]}]
    assert f.http_profile_errors(empty, HTTP_PROFILES) == ['virtual server /Common/vs_web has no HTTP profile '
                                                           '(its profiles: none)']


def test_http_profile_errors_refuse_odd_shapes():
    virtual = f.virtuals(['vs_web'])[0]
    odd = [{'status': 200, 'json': {'items': 'http'}, 'lk_bigip_v': virtual}]
    assert f.http_profile_errors(odd, HTTP_PROFILES) == [
        "virtual server /Common/vs_web: its profile list must be {\"items\": [{\"fullPath\": ...}]}, got 'http'"]
    with pytest.raises(ValueError, match='GET /mgmt/tm/ltm/profile/http'):
        f.http_profile_errors([], {'items': ['http']})
