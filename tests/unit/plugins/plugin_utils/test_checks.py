# -*- coding: utf-8 -*-
"""The vendor's pre-flight checks: one row per check and node, from recorded node facts."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import copy
import re

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
        status['packages'] = [{'name': 'steeleye-lk', 'version': version}, {'name': 'steeleye-lkDR', 'version': version}]
        result[host] = status
    return result


RHEL = {'name': 'Red Hat Enterprise Linux 8.6 (Ootpa)', 'id': 'rhel', 'version_id': '8.6',
        'kernel': '4.18.0-372.9.1.el8.x86_64', 'error': None}


def host_info(peer, peer_address, selinux='absent', machine='x86_64', bits=64, free_mb=50000, connect_ok=True,
              localhost=('127.0.0.1', '::1'), sync_ok=True, sg3=True, os_info=None):
    """An lk_host_info result shaped like the module's RETURN (the source n1 also tried its
    target's sync port 10001 of mirror number 0)."""
    sync = [{'address': '10.0.0.2', 'port': port, 'ok': sync_ok and port == 10001,
             'error': None if sync_ok and port == 10001 else 'Connection refused', 'seconds': 0.001}
            for port in (10001, 10257, 10513, 10769)] if peer == 'node2' else []
    return {
        'os': dict(os_info or RHEL),
        'packages': [{'name': 'sg3_utils', 'installed': sg3, 'version': '1.44' if sg3 else None, 'error': None}],
        'changed': False,
        'selinux': {'mode': selinux, 'source': None if selinux == 'absent' else '/etc/selinux/config'},
        'arch': {'machine': machine, 'bits': bits},
        'disk': [{'path': path, 'free_mb': free_mb, 'checked_path': path, 'error': None}
                 for path in ('/tmp', '/var/lib/hatools-lifekeeper/backups')],
        'resolve': [{'name': peer, 'addresses': [peer_address], 'error': None},
                    {'name': 'localhost', 'addresses': list(localhost), 'error': None}],
        'connect': [{'address': peer_address, 'port': 7365, 'ok': connect_ok,
                     'error': None if connect_ok else 'Connection refused', 'seconds': 0.001}] + sync,
    }


def facts(**changes):
    """{host: facts}; changes: {host: {host_info keyword: value}}."""
    return {
        'n1': {'host_info': host_info('node2', '10.0.0.2', **changes.get('n1', {})), 'license_missing': []},
        'n2': {'host_info': host_info('node1', '10.0.0.1', **changes.get('n2', {})), 'license_missing': []},
    }


OPTIONS = {'media_access': 'extract', 'media_mb': 700, 'min_free_mb': 256, 'backup_dir': '/var/lib/hatools-lifekeeper/backups',
           'accept_perl_change': 'true', 'mirror_numbers': {'data': 0}}


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
        'datakeeper_ports', 'heartbeat_settings', 'lcm_port', 'licence', 'multipath_sg3_utils', 'perl_crossing']
    assert only(found, 'lcm_port', 'n2')[0]['why'] == 'the node could not be read: LifeKeeper did not answer: lcdstatus timed out'
    assert only(found, 'heartbeat_settings', 'n1')[0]['result'] == 'pass'


def test_evaluate_by_cluster_and_the_table():
    clusters = [{'name': 'erp', 'hosts': HOSTS}]
    found = checks.evaluate(clusters, statuses(), facts(), '9.9.0', OPTIONS)
    assert list(found) == ['erp'] and len(found['erp']) == 2 * len(checks.CHECKS)
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


# ---- the v8.4.1 guide's preparation: sync ports, sg3_utils, kernels ------------------------------

def test_the_mirror_source_reaches_its_target_on_the_sync_port():
    found = rows()
    source = only(found, 'datakeeper_ports', 'n1')[0]
    assert source['result'] == 'pass' and source['value'] == 'mirror data -> node2 10.0.0.2:10001 ok', source
    # the target connects to nothing: it listens
    target = only(found, 'datakeeper_ports', 'n2')[0]
    assert target['result'] == 'pass' and target['why'].startswith('no mirror in service here'), target


def test_the_sync_ports_follow_the_guides_formula():
    assert checks.sync_ports(0) == [10001, 10257, 10513, 10769]
    assert checks.sync_ports(3) == [10004, 10260, 10516, 10772]
    assert checks.sync_connect('n1', statuses(), HOSTS, {'data': 2}) == [
        {'address': '10.0.0.2', 'port': port} for port in (10003, 10259, 10515, 10771)]
    assert checks.sync_connect('n2', statuses(), HOSTS, {'data': 2}) == []


def test_a_blocked_sync_port_fails_naming_the_mirror_the_nodes_and_the_port():
    found = rows(node_facts=facts(n1={'sync_ok': False}))
    row = only(found, 'datakeeper_ports', 'n1')[0]
    assert row['result'] == 'fail'
    assert row['why'].startswith('mirror data: the target node2 does not answer n1 on its sync port 10001 + 0 + 256 x i '
                                 '(tried 10001, 10257, 10513, 10769 on 10.0.0.2: Connection refused)'), row['why']
    problems = checks.check_problems(found)
    assert problems == ['pre-flight check datakeeper_ports failed: n1: %s (seen: mirror data -> node2 no answer)'
                        % row['why']]


def test_a_mirror_without_a_number_is_listed_as_not_checked():
    found = rows(options={'mirror_numbers': {}})
    row = only(found, 'datakeeper_ports', 'n1')[0]
    assert row['result'] == 'skipped' and 'mirror number not given in lk_mirror_numbers: data' in row['why'], row
    assert checks.check_problems(found) == []


def test_a_target_whose_lifekeeper_does_not_run_is_not_tried():
    node_statuses = statuses()
    node_statuses['n2']['running'] = False
    assert checks.sync_connect('n1', node_statuses, HOSTS, {'data': 0}) == []
    row = only(rows(node_statuses), 'datakeeper_ports', 'n1')[0]
    assert row['result'] == 'pass' and 'not tried, LifeKeeper not running on the target: mirror data -> node2' in row['why']


@pytest.mark.parametrize('value, says', [
    ({'data': 256}, "lk_mirror_numbers[data] is 256: a mirror number is a whole number from 0 to 255"),
    ({'data': -1}, "lk_mirror_numbers[data] is -1"),
    ({'data': 'md0'}, "lk_mirror_numbers[data] is 'md0'"),
    (['data'], "lk_mirror_numbers must be a mapping"),
])
def test_bad_mirror_numbers_are_refused(value, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        checks.mirror_numbers(value)


def test_mirror_numbers_given_as_text_are_read():
    assert checks.mirror_numbers({'data': '3'}) == {'data': 3}
    assert checks.mirror_numbers(None) == {}


def test_a_multipath_kit_needs_sg3_utils():
    node_statuses = statuses()
    node_statuses['n2']['packages'].append({'name': 'steeleye-lkDMMP', 'version': '9.7.0'})
    found = rows(node_statuses, facts(n2={'sg3': False}))
    row = only(found, 'multipath_sg3_utils', 'n2')[0]
    assert row['result'] == 'fail'
    assert row['why'] == ('the multipath recovery kit Device Mapper Multipath (DMMP) (steeleye-lkDMMP) needs the package '
                          'sg3_utils (v8.4.1 guide, required packages): install it')
    assert row['value'] == 'Device Mapper Multipath (DMMP) (steeleye-lkDMMP); sg3_utils not installed'
    # n1 has no multipath kit: sg3_utils does not matter there
    assert only(rows(node_statuses, facts(n1={'sg3': False})), 'multipath_sg3_utils', 'n1')[0]['result'] == 'pass'
    # installed: passes
    assert only(rows(node_statuses), 'multipath_sg3_utils', 'n2')[0]['result'] == 'pass'


@pytest.mark.parametrize('kit', ['steeleye-lkPPATH', 'steeleye-lkHDLM', 'steeleye-lkNECSPS'])
def test_every_multipath_kit_needs_sg3_utils(kit):
    node_statuses = statuses()
    node_statuses['n1']['packages'].append({'name': kit, 'version': '9.7.0'})
    row = only(rows(node_statuses, facts(n1={'sg3': False})), 'multipath_sg3_utils', 'n1')[0]
    assert row['result'] == 'fail' and '(%s) needs the package sg3_utils' % kit in row['why']


def test_sg3_utils_that_could_not_be_queried_fails_with_a_multipath_kit():
    node_statuses = statuses()
    node_statuses['n1']['packages'].append({'name': 'steeleye-lkHDLM', 'version': '9.7.0'})
    node_facts = facts()
    node_facts['n1']['host_info']['packages'] = [{'name': 'sg3_utils', 'installed': False, 'version': None,
                                                  'error': 'rpm is not installed'}]
    row = only(rows(node_statuses, node_facts), 'multipath_sg3_utils', 'n1')[0]
    assert row['result'] == 'fail' and row['why'].endswith('which could not be queried (rpm is not installed)')


def test_the_kernel_is_printed_with_the_release_notes_note():
    row = only(rows(), 'kernel', 'n1')[0]
    assert row['result'] == 'pass'
    assert row['value'] == 'Red Hat Enterprise Linux 8.6 (Ootpa), kernel 4.18.0-372.9.1.el8.x86_64'
    assert row['why'] == ('the release notes of LifeKeeper 9.9.0 list the supported distributions and kernels (DataKeeper '
                          'and setup install kernel modules for the running kernel): check them (lk_supported_kernels '
                          'is empty: not compared)')


@pytest.mark.parametrize('patterns, result', [
    (['4.18.0-372.9.1.el8.x86_64'], 'pass'),
    (['4.18.0-*.el8.x86_64'], 'pass'),
    (['5.14.0-*', '4.18.0-372.?.1.el8.x86_64'], 'pass'),
    (['4.18.0-372.9.1.el8'], 'fail'),          # the whole release must match
    (['4.18.0-372.9.1.EL8.X86_64'], 'fail'),   # case-sensitive
    (['5.14.0-*'], 'fail'),
])
def test_supported_kernels_match_the_whole_release(patterns, result):
    row = only(rows(options={'supported_kernels': patterns}), 'kernel', 'n1')[0]
    assert row['result'] == result, row


def test_a_kernel_outside_the_list_fails_naming_it_and_the_list():
    found = rows(options={'supported_kernels': ['5.14.0-*']})
    row = only(found, 'kernel', 'n2')[0]
    assert row['why'].startswith('kernel 4.18.0-372.9.1.el8.x86_64 matches none of lk_supported_kernels (5.14.0-*); '
                                 'the release notes of LifeKeeper 9.9.0 list'), row['why']


def test_bad_supported_kernels_are_refused():
    with pytest.raises(ValueError, match="lk_supported_kernels has '', 3"):
        checks.supported_kernels(['', 3])
    with pytest.raises(ValueError, match='must be a list'):
        checks.supported_kernels('5.14.0-*')


def test_a_failed_check_with_nothing_seen_never_says_none():
    found = [{'name': 'heartbeat_settings', 'node': 'n2', 'result': 'fail', 'value': None,
              'why': 'the node could not be read'},
             {'name': 'heartbeat_settings', 'node': 'n1', 'result': 'fail', 'value': 'LCMPORT=7365',
              'why': 'differs'}]
    assert checks.check_problems(found) == [
        'pre-flight check heartbeat_settings failed: n2: the node could not be read; n1: differs (seen: LCMPORT=7365)']


# ---- the media and licence files from lk_host_info's files (one read per node) ----------------
def _with_files(files):
    info = host_info('node2', '10.0.0.2')
    info['files'] = files
    return info


def test_licence_missing_and_media_size_come_from_the_host_info_files():
    media = '/srv/LKL_V9.9.0.iso'
    facts = {
        'n1': {'host_info': _with_files([{'path': media, 'exists': True, 'size': 734003200, 'error': None},
                                         {'path': '/root/k.lic', 'exists': False, 'size': None, 'error': None}])},
        'n2': {'host_info': _with_files([{'path': media, 'exists': True, 'size': 1048576, 'error': None},
                                         {'path': '/root/k.lic', 'exists': True, 'size': 10, 'error': None}])},
        # a node whose read failed: no files, nothing counted missing (its read is its own failure)
        'n3': {'host_info': {'failed': True, 'msg': 'unreachable'}},
    }
    completed, options = checks.with_file_facts(facts, {'license_files': ['/root/k.lic'], 'media': [media]})
    assert completed['n1']['license_missing'] == ['/root/k.lic']
    assert completed['n2']['license_missing'] == [] and completed['n3']['license_missing'] == []
    assert options['media_mb'] == 700.0


def test_given_licence_and_media_facts_are_kept():
    facts = {'n1': {'host_info': _with_files([]), 'license_missing': ['/root/x.lic']}}
    completed, options = checks.with_file_facts(facts, {'media_mb': 12, 'license_files': ['/root/k.lic']})
    assert completed['n1']['license_missing'] == ['/root/x.lic'] and options['media_mb'] == 12


def test_no_media_measured_is_zero_mib():
    completed, options = checks.with_file_facts({'n1': {'host_info': _with_files([])}}, {'media': ['/srv/a.iso']})
    assert options['media_mb'] == 0 and completed['n1']['license_missing'] == []


# ---- the kernel a maintained node boots next -------------------------------------------------

@pytest.mark.parametrize('reboot,patterns,expected', [
    # not judged: no patterns, the same kernel, a next kernel nobody could tell
    ({'kernel': '4.18.0-513.el8.x86_64', 'boot_kernel': '4.18.0-553.el8_10.x86_64'}, [], None),
    ({'kernel': '4.18.0-513.el8.x86_64', 'boot_kernel': '4.18.0-513.el8.x86_64'}, ['5.*'], None),
    ({'kernel': '4.18.0-513.el8.x86_64', 'boot_kernel': None}, ['5.*'], None),
    (None, ['5.*'], None),
    # a listed one
    ({'kernel': '4.18.0-513.el8.x86_64', 'boot_kernel': '4.18.0-553.el8_10.x86_64'}, ['4.18.0-553.*'], None),
])
def test_kernel_change_not_judged_or_listed(reboot, patterns, expected):
    assert checks.kernel_change_problem('n1', reboot, patterns) is expected


def test_kernel_change_to_an_unlisted_kernel_names_it():
    reboot = {'kernel': '4.18.0-513.el8.x86_64', 'boot_kernel': '4.18.0-553.el8_10.x86_64'}
    problem = checks.kernel_change_problem('n1', reboot, ['4.18.0-513.*', '4.18.0-477.?.el8.x86_64'])
    assert problem.startswith('n1 would boot kernel 4.18.0-553.el8_10.x86_64 (it runs 4.18.0-513.el8.x86_64), which '
                              'matches none of lk_supported_kernels (4.18.0-513.*, 4.18.0-477.?.el8.x86_64)')
    assert problem.endswith("Add the kernel to lk_supported_kernels once the release notes list it, or make the "
                            "node's default kernel one they list")
    with pytest.raises(ValueError, match='lk_supported_kernels has 7'):
        checks.kernel_change_problem('n1', {'kernel': 'a', 'boot_kernel': 'b'}, [7])
