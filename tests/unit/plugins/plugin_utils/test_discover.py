# -*- coding: utf-8 -*-
"""The clusters LifeKeeper knows on a flat host list, as an inventory."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import discover

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import mesh, node, res, unknown


def _cluster(prefix, names, host_prefix):
    """{inventory host: status} of one cluster whose nodes are named prefix+N, paths to each other
    with addresses 10.0.<the prefix's subnet>.N."""
    statuses = mesh(dict(('%s%d' % (host_prefix, i), node('%s%d' % (prefix, i), '9.7.0', [res('app', 'OSU')]))
                         for i in range(1, names + 1)))
    for host, status in statuses.items():
        for path in status['comm_paths']:
            path['addresses'] = '%s/%s' % (_address(status['node_name']), _address(path['machine']))
    return statuses


SUBNETS = {'erp': 1, 'crm': 2}


def _address(name):
    return '10.0.%d.%s' % (SUBNETS[name[:3]], name[3:])


def test_two_clusters_from_one_seed_each_with_the_members_no_seed_reads():
    erp = _cluster('erp', 3, 'e')
    crm = _cluster('crm', 2, 'c')
    seeds = {'e1': erp['e1'], 'c2': crm['c2']}
    found = discover.discover(seeds, {'e1': 'e1.example.com', 'c2': 'c2'})
    assert [c['name'] for c in found['clusters']] == ['lk_crm1', 'lk_erp1']
    assert found['inventory'] == {'lifekeeper': {'children': {
        'lk_crm1': {'hosts': {'crm1': {'ansible_host': '10.0.2.1'}, 'c2': {}}},
        'lk_erp1': {'hosts': {'e1': {'ansible_host': 'e1.example.com'}, 'erp2': {'ansible_host': '10.0.1.2'},
                              'erp3': {'ansible_host': '10.0.1.3'}}}}}}
    assert found['lines'] == [
        'cluster lk_crm1: crm1 (not among the hosts read; address 10.0.2.1 from a communication path), crm2 (host c2)',
        'cluster lk_erp1: erp1 (host e1), erp2 (not among the hosts read; address 10.0.1.2 from a communication path), '
        'erp3 (not among the hosts read; address 10.0.1.3 from a communication path)']
    assert found['not_read'] == [] and found['problems'] == []


def test_every_host_read_gives_each_cluster_its_hosts_only():
    statuses = dict(_cluster('erp', 2, 'e'), **_cluster('crm', 2, 'c'))
    found = discover.discover(statuses)
    assert found['inventory']['lifekeeper']['children'] == {
        'lk_crm1': {'hosts': {'c1': {}, 'c2': {}}}, 'lk_erp1': {'hosts': {'e1': {}, 'e2': {}}}}


def test_a_machine_known_only_from_the_long_display_has_no_address():
    statuses = _cluster('erp', 2, 'e')
    statuses['e1']['known_machines'] = ['erp1', 'erp2', 'erp9']
    (cluster,) = discover.discover(statuses)['clusters']
    assert cluster['members'][-1] == {'lifekeeper_name': 'erp9', 'host': None, 'address': None}
    assert discover.discover(statuses)['lines'][0].endswith('erp9 (not among the hosts read; no address known: add it)')


def test_hosts_not_read_or_not_running_are_named_and_left_out():
    statuses = _cluster('erp', 2, 'e')
    statuses['x1'] = unknown('unreachable: no route')
    statuses['x2'] = dict(node('lone', '9.7.0', [], paths=()), running=False)
    found = discover.discover(statuses)
    assert [c['name'] for c in found['clusters']] == ['lk_erp1']
    assert found['not_read'] == ['x1: not read (unreachable: no route)', 'x2: LifeKeeper is not running there']


def test_two_hosts_with_one_lifekeeper_name_are_a_problem_not_a_guess():
    statuses = _cluster('erp', 2, 'e')
    statuses['e1b'] = dict(statuses['e1'])
    found = discover.discover(statuses)
    assert found['problems'] == ['e1, e1b report one LifeKeeper name, erp1: left out (one host per node)']
    # erp1 is still a member (erp2 knows it), by its LifeKeeper name and the address erp2's path gives
    assert found['inventory']['lifekeeper']['children']['lk_erp1']['hosts'] == {
        'erp1': {'ansible_host': '10.0.1.1'}, 'e2': {}}


def test_group_names_are_valid_inventory_names():
    assert discover.group_name(['node-2.example', 'node-1.example']) == 'lk_node_1_example'
