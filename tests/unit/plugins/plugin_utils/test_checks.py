# -*- coding: utf-8 -*-
"""The vendor's pre-flight checks: one row per check and node, from recorded node facts."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import copy

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import checks, plan

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import node, res, unknown

HOSTS = ['n1', 'n2']
TCP = {'machine': None, 'network': 'TCP', 'state': 'ALIVE', 'priority': 1}


def statuses(version='9.7.0', app_type='gen/app'):
    """Two nodes as lk_status reads them: app (type app_type) over a mirror, one path each way."""
    result = {}
    for host, name, peer, state, address, peer_address in (('n1', 'node1', 'node2', 'ISP', '10.0.0.1', '10.0.0.2'),
                                                           ('n2', 'node2', 'node1', 'OSU', '10.0.0.2', '10.0.0.1')):
        status = node(name, version, [dict(res('app', state), type=app_type, mirror=False),
                                      dict(res('data', state, depth=1), type='scsi/netraid', mirror=True)])
        status['comm_paths'] = [dict(TCP, machine=peer, addresses='%s/%s' % (address, peer_address))]
        status['settings'] = {'LCMPORT': '0', 'LCMHBEATTIME': '5', 'LCMNUMHBEATS': '3', 'lcm_port': 7365}
        result[host] = status
    return result


def host_info(peer, peer_address, selinux='absent', machine='x86_64', bits=64, free_mb=50000, connect_ok=True,
              localhost=('127.0.0.1', '::1')):
    """An lk_host_info result shaped like the module's RETURN."""
    return {
        'changed': False,
        'selinux': {'mode': selinux, 'source': None if selinux == 'absent' else '/etc/selinux/config'},
        'arch': {'machine': machine, 'bits': bits},
        'disk': [{'path': path, 'free_mb': free_mb, 'checked_path': path, 'error': None}
                 for path in ('/tmp', '/var/lib/hatools-lifekeeper/backups')],
        'resolve': [{'name': peer, 'addresses': [peer_address], 'error': None},
                    {'name': 'localhost', 'addresses': list(localhost), 'error': None}],
        'connect': [{'address': peer_address, 'port': 7365, 'ok': connect_ok,
                     'error': None if connect_ok else 'Connection refused', 'seconds': 0.001}],
    }


def facts(**changes):
    """{host: facts}; changes: {host: {host_info keyword: value}}."""
    return {
        'n1': {'host_info': host_info('node2', '10.0.0.2', **changes.get('n1', {})), 'license_missing': []},
        'n2': {'host_info': host_info('node1', '10.0.0.1', **changes.get('n2', {})), 'license_missing': []},
    }


OPTIONS = {'media_access': 'extract', 'media_mb': 700, 'min_free_mb': 256, 'backup_dir': '/var/lib/hatools-lifekeeper/backups',
           'accept_perl_change': 'true'}


def rows(node_statuses=None, node_facts=None, target='9.9.0', options=None, hops=None):
    return checks.cluster_checks(HOSTS, node_statuses or statuses(), node_facts or facts(), target,
                                 dict(OPTIONS, **(options or {})), hops)


def only(found, name, node=None):
    return [r for r in found if r['name'] == name and (node is None or r['node'] == node)]


def results(found, name):
    return [r['result'] for r in only(found, name)]


def test_a_healthy_cluster_passes_every_check_on_every_node():
    found = rows()
    assert [(r['name'], r['node']) for r in found] == [(name, host) for name in checks.CHECKS for host in HOSTS]
    assert set(r['result'] for r in found) == {'pass'}, [r for r in found if r['result'] != 'pass']
    assert only(found, 'name_resolution', 'n1')[0]['value'] == 'node2=10.0.0.2, localhost=127.0.0.1 ::1'
    assert only(found, 'lcm_port', 'n2')[0]['value'] == '10.0.0.1:7365 ok'
    assert only(found, 'heartbeat_settings', 'n1')[0]['value'] == 'LCMPORT=7365 LCMHBEATTIME=5 LCMNUMHBEATS=3'
    assert only(found, 'disk_space', 'n1')[0]['value'] == ('/tmp 50000 MiB free (needs 1656), '
                                                           '/var/lib/hatools-lifekeeper/backups 50000 MiB free (needs 256)')
    assert checks.check_problems(found) == []


@pytest.mark.parametrize('mode, result', [('enforcing', 'fail'), ('permissive', 'fail'), ('disabled', 'pass'),
                                          ('absent', 'pass')])
def test_selinux_must_be_disabled_for_an_8x_target(mode, result):
    found = rows(statuses('8.3.2'), facts(n2={'selinux': mode}), '8.4.1')
    row = only(found, 'selinux', 'n2')[0]
    assert (row['result'], row['value']) == (result, mode)
    if result == 'fail':
        assert 'LifeKeeper 8.4.1 requires SELinux disabled' in row['why']


def test_selinux_enforcing_is_not_refused_for_a_9x_target():
    row = only(rows(node_facts=facts(n1={'selinux': 'enforcing'})), 'selinux', 'n1')[0]
    assert row['result'] == 'pass' and 'only 8.x targets' in row['why']


def test_selinux_applies_when_a_hop_is_8x():
    found = rows(statuses('8.2.0'), facts(n1={'selinux': 'permissive'}), '9.0.0', hops=['8.4.1'])
    assert only(found, 'selinux', 'n1')[0]['result'] == 'fail'


def test_a_peer_name_that_does_not_resolve_fails_naming_it():
    node_facts = facts()
    node_facts['n1']['host_info']['resolve'][0] = {'name': 'node2', 'addresses': [], 'error': 'Name or service not known'}
    row = only(rows(node_facts=node_facts), 'name_resolution', 'n1')[0]
    assert row['result'] == 'fail'
    assert row['why'].startswith('node2 does not resolve (Name or service not known)')
    assert only(rows(node_facts=node_facts), 'name_resolution', 'n2')[0]['result'] == 'pass'


def test_localhost_must_resolve_to_127_0_0_1():
    row = only(rows(node_facts=facts(n2={'localhost': ('127.0.1.1',)})), 'name_resolution', 'n2')[0]
    assert row['result'] == 'fail' and 'localhost resolves to 127.0.1.1, not 127.0.0.1' in row['why']


def test_an_lcm_port_that_cannot_be_reached_fails_naming_the_address():
    row = only(rows(node_facts=facts(n1={'connect_ok': False})), 'lcm_port', 'n1')[0]
    assert row['result'] == 'fail'
    assert row['value'] == '10.0.0.2:7365 Connection refused'
    assert '10.0.0.2:7365 cannot be reached (Connection refused)' in row['why']


def test_a_path_lifekeeper_shows_dead_to_a_running_peer_fails_the_check():
    """A connection that opens and is dropped unanswered (a firewall that lets the handshake
    through) only shows in LifeKeeper's own path state."""
    node_statuses = statuses()
    node_statuses['n1']['comm_paths'][0]['state'] = 'DEAD'
    row = only(rows(node_statuses), 'lcm_port', 'n1')[0]
    assert row['result'] == 'fail' and row['value'] == '10.0.0.2:7365 ok'
    assert row['why'].startswith('the path to node2 over 10.0.0.1/10.0.0.2 is DEAD although LifeKeeper runs there')


def test_lcm_port_targets_follow_the_paths_and_the_peers_port():
    node_statuses = statuses()
    node_statuses['n2']['settings']['lcm_port'] = 17365
    node_statuses['n1']['comm_paths'].append(dict(TCP, machine='node2', addresses='192.168.9.1/192.168.9.2'))
    node_statuses['n1']['comm_paths'].append(dict(TCP, machine='node2', network='TTY', addresses='/dev/ttyS0'))
    assert checks.peer_targets('n1', node_statuses, HOSTS) == {
        'names': ['node2'], 'connect': [{'address': '10.0.0.2', 'port': 17365}, {'address': '192.168.9.2', 'port': 17365}]}


def test_a_peer_that_does_not_run_is_not_tried():
    """Its state is a problem of its own (the plan's health): the check does not count it twice."""
    node_statuses = statuses()
    node_statuses['n2'].update(running=False, comm_paths=[])
    assert checks.peer_targets('n1', node_statuses, HOSTS)['connect'] == []
    node_facts = facts()
    node_facts['n1']['host_info']['connect'] = []
    found = rows(node_statuses, node_facts)
    assert [r['result'] for r in only(found, 'lcm_port')] == ['skipped', 'skipped']
    assert 'not running or not read: n2' in only(found, 'lcm_port', 'n1')[0]['why']


def test_heartbeat_settings_must_be_identical():
    node_statuses = statuses()
    node_statuses['n2']['settings'].update(LCMHBEATTIME='2')
    found = rows(node_statuses)
    assert results(found, 'heartbeat_settings') == ['fail', 'fail']
    assert 'LCMHBEATTIME is 5 on n1, 2 on n2' in only(found, 'heartbeat_settings', 'n1')[0]['why']
    problems = checks.check_problems(found)
    assert len(problems) == 1 and problems[0].startswith('pre-flight check heartbeat_settings failed: n1: differs')


def test_unset_heartbeat_settings_count_as_the_vendor_defaults():
    node_statuses = statuses()
    node_statuses['n2']['settings'].update(LCMPORT='7365', LCMHBEATTIME=None, LCMNUMHBEATS='')
    assert results(rows(node_statuses), 'heartbeat_settings') == ['pass', 'pass']


@pytest.mark.parametrize('machine, bits, result', [('x86_64', 64, 'pass'), ('i686', 32, 'fail'), ('vax', None, 'fail')])
def test_arch_is_64_bit_only(machine, bits, result):
    row = only(rows(node_facts=facts(n2={'machine': machine, 'bits': bits})), 'arch', 'n2')[0]
    assert (row['result'], row['value']) == (result, '%s (%s-bit)' % (machine, bits or '?'))


def test_recorded_32_bit_host_info_refuses_the_plan():
    """What lk_host_info answers on an i686 node (recorded): the plan is refused, naming it."""
    recorded = {'changed': False, 'selinux': {'mode': 'disabled', 'source': 'getenforce'},
                'arch': {'machine': 'i686', 'bits': 32},
                'disk': [{'path': '/tmp', 'free_mb': 9000, 'checked_path': '/tmp', 'error': None},
                         {'path': '/var/lib/hatools-lifekeeper/backups', 'free_mb': 9000, 'checked_path': '/var/lib',
                          'error': None}],
                'resolve': [{'name': 'node1', 'addresses': ['10.0.0.1'], 'error': None},
                            {'name': 'localhost', 'addresses': ['127.0.0.1'], 'error': None}],
                'connect': [{'address': '10.0.0.1', 'port': 7365, 'ok': True, 'error': None, 'seconds': 0.0}]}
    node_facts = facts()
    node_facts['n2']['host_info'] = recorded
    result = plan.build_plan(statuses(), '9.9.0', order=HOSTS, checks=rows(node_facts=node_facts))
    assert not result['ok']
    assert result['problems'] == ['pre-flight check arch failed: n2: LifeKeeper supports 64-bit systems only since 8.2 '
                                  '(seen: i686 (32-bit))']


def test_disk_space_needs_room_for_the_extraction_and_the_backup():
    node_facts = facts()
    node_facts['n1']['host_info']['disk'][0]['free_mb'] = 100
    row = only(rows(node_facts=node_facts), 'disk_space', 'n1')[0]
    assert row['result'] == 'fail' and '/tmp has 100 MiB free, needs 1656' in row['why']
    assert checks.disk_paths(dict(OPTIONS, media_access='mount')) == {'/var/lib/hatools-lifekeeper/backups': 256}


def test_a_path_that_could_not_be_measured_fails():
    node_facts = facts()
    node_facts['n2']['host_info']['disk'][1].update(free_mb=None, error='Permission denied')
    row = only(rows(node_facts=node_facts), 'disk_space', 'n2')[0]
    assert row['result'] == 'fail' and 'free space unknown (Permission denied)' in row['why']


def test_an_update_from_8_1_needs_licence_files():
    found = rows(statuses('8.1.2'), target='8.3.0')
    assert results(found, 'licence') == ['fail', 'fail']
    assert 'needs new licence keys' in only(found, 'licence', 'n1')[0]['why']
    with_keys = rows(statuses('8.1.2'), target='8.3.0', options={'license_files': ['/root/k.lic']})
    assert results(with_keys, 'licence') == ['pass', 'pass']
    node_facts = facts()
    node_facts['n2']['license_missing'] = ['/root/k.lic']
    missing = rows(statuses('8.1.2'), node_facts, '8.3.0', {'license_files': ['/root/k.lic']})
    assert results(missing, 'licence') == ['pass', 'fail']
    assert only(missing, 'licence', 'n2')[0]['why'] == 'not on this node: /root/k.lic'


def test_crossing_9_8_0_with_generic_ark_resources_needs_the_operators_word():
    found = rows(options={'accept_perl_change': 'false'})
    assert results(found, 'perl_crossing') == ['fail', 'fail']
    row = only(found, 'perl_crossing', 'n1')[0]
    assert row['value'] == '9.7.0 -> 9.9.0; Generic ARK (gen/app): app'
    assert 'the Generic ARK resources app' in row['why'] and 'lk_accept_perl_change=true' in row['why']
    assert results(rows(), 'perl_crossing') == ['pass', 'pass']
    assert results(rows(statuses(app_type='database/pgsql'), options={'accept_perl_change': False}),
                   'perl_crossing') == ['pass', 'pass']
    assert results(rows(statuses('9.8.0'), options={'accept_perl_change': False}), 'perl_crossing') == ['pass', 'pass']


def test_unknown_resource_types_count_as_possibly_generic():
    found = rows(statuses(app_type=None), options={'accept_perl_change': False})
    assert results(found, 'perl_crossing') == ['fail', 'fail']
    assert 'resources of unknown type app' in only(found, 'perl_crossing', 'n1')[0]['why']


def test_skipped_checks_are_listed_with_what_was_seen():
    found = rows(node_facts=facts(n1={'bits': 32, 'machine': 'i686'}), options={'skip': ['arch']})
    row = only(found, 'arch', 'n1')[0]
    assert row['result'] == 'skipped' and row['value'] == 'i686 (32-bit)'
    assert row['why'].startswith('skipped by lk_preflight_skip (evaluated: fail, ')
    assert checks.check_problems(found) == []


@pytest.mark.parametrize('value, expected', [(None, []), ('', []), (['arch'], ['arch']),
                                             ('arch, selinux', ['arch', 'selinux'])])
def test_skip_list(value, expected):
    assert checks.skip_list(value) == expected


def test_unknown_skip_names_are_refused_naming_the_checks():
    with pytest.raises(ValueError, match="lk_preflight_skip names unknown check\\(s\\) 'selinx'; the checks are: "
                                         "selinux, name_resolution, lcm_port"):
        checks.skip_list(['selinx'])


def test_host_info_that_failed_fails_its_checks():
    node_facts = facts()
    node_facts['n2']['host_info'] = {'failed': True, 'msg': 'connect port must be from 1 to 65535'}
    found = rows(node_facts=node_facts)
    for name in ('selinux', 'name_resolution', 'lcm_port', 'arch', 'disk_space'):
        row = only(found, name, 'n2')[0]
        assert row['result'] == 'fail' and row['why'] == 'lk_host_info failed: connect port must be from 1 to 65535'


def test_an_unread_node_fails_every_check_that_needs_its_status():
    node_statuses = statuses()
    node_statuses['n2'] = unknown('LifeKeeper did not answer: lcdstatus timed out')
    found = rows(node_statuses)
    assert sorted(r['name'] for r in found if r['node'] == 'n2' and r['result'] == 'fail') == [
        'heartbeat_settings', 'lcm_port', 'licence', 'perl_crossing']
    assert only(found, 'lcm_port', 'n2')[0]['why'] == 'the node could not be read: LifeKeeper did not answer: lcdstatus timed out'
    assert only(found, 'heartbeat_settings', 'n1')[0]['result'] == 'pass'


def test_evaluate_by_cluster_and_the_table():
    clusters = [{'name': 'erp', 'hosts': HOSTS}]
    found = checks.evaluate(clusters, statuses(), facts(), '9.9.0', OPTIONS)
    assert list(found) == ['erp'] and len(found['erp']) == 16
    lines = checks.check_lines(found['erp'])
    assert lines[0] == 'pre-flight checks:'
    assert lines[1].split()[:3] == ['selinux', 'n1', 'PASS']


def test_a_failed_check_refuses_the_plan_and_is_printed():
    node_statuses = statuses()
    found = rows(node_statuses, options={'accept_perl_change': False})
    result = plan.build_plan(copy.deepcopy(node_statuses), '9.9.0', order=HOSTS, checks=found)
    assert not result['ok'] and result['checks'] == found
    assert result['problems'][-1].startswith('pre-flight check perl_crossing failed: n1: crossing 9.8.0')
    lines = plan.render_plan(result)
    assert 'pre-flight checks:' in lines
    assert lines[-1].startswith('REFUSED: pre-flight check perl_crossing failed')
    # the plan's own Perl warning is superseded by the check
    assert not [w for w in result['warnings'] if 'Perl' in w]
