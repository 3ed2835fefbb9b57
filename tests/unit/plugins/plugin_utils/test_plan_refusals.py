# -*- coding: utf-8 -*-
"""A node that cannot be planned refuses its own cluster only (issue 18)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import plan

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import two_nodes

CLUSTERS = [{'name': 'erp', 'hosts': ['n1', 'n2']}, {'name': 'crm', 'hosts': ['cn1', 'cn2']}]


def _fleet(odd_version):
    statuses = two_nodes()
    statuses.update(dict(('c' + h, s) for h, s in two_nodes().items()))
    statuses['cn2']['version'] = odd_version
    return statuses


@pytest.mark.parametrize('odd', ['9.9.0.1', '9.9', '٩.٩.٠', '9.7.0\nx', 'unknown'])
def test_an_odd_version_refuses_its_cluster_only(odd):
    plans = plan.build_plans(CLUSTERS, _fleet(odd), '9.9.0')
    assert plans['erp']['ok'] and plans['erp']['problems'] == []
    if odd == '9.9':   # N.N is a version (patch 0): planned as 9.9.0
        assert plans['crm']['ok'], plans['crm']['problems']
        return
    crm = plans['crm']
    assert not crm['ok']
    assert crm['problems'] == ['cn2: the LifeKeeper version installed is %r, not N.N.N: its update path cannot be '
                               'planned (check the product rpm on the node)' % odd]
    assert crm['cluster'] == 'crm' and crm['order'] == ['cn1', 'cn2']
    assert [n['action'] for n in crm['nodes']] == ['skip', 'skip']
    assert crm['placement_before'] == {'app': 'cn1'} and crm['expected_switchovers'] == 0
    assert 'REFUSED: cn2: the LifeKeeper version installed' in '\n'.join(plan.render_plan(crm))


def test_an_odd_version_refuses_a_rollback_plan_too():
    plans = plan.build_plans(CLUSTERS, _fleet('9.9.0.1'), '', operation='rollback')
    assert plans['erp']['ok'] and not plans['crm']['ok']
    assert plans['crm']['operation'] == 'rollback' and plans['crm']['target_version'] is None


def test_an_odd_recorded_version_of_a_reinstall_refuses_its_cluster():
    resuming = {'cn1': {'step': 'removed', 'version_before': '9.7.0.2', 'node_name': 'node1'}}
    plans = plan.build_plans(CLUSTERS, _fleet('9.7.0'), '9.9.0', resuming=resuming)
    assert plans['erp']['ok']
    assert plans['crm']['problems'] == [
        "cn1: the LifeKeeper version recorded before its reinstall is '9.7.0.2', not N.N.N: its update path cannot "
        "be planned (check the product rpm on the node)"]


def test_anything_else_a_plan_cannot_read_refuses_that_cluster_naming_the_error(monkeypatch):
    real = plan.build_plan

    def failing(statuses, target, *args):
        if args[4] == 'crm':
            raise KeyError('resources')
        return real(statuses, target, *args)
    monkeypatch.setattr(plan, 'build_plan', failing)
    plans = plan.build_plans(CLUSTERS, _fleet('9.7.0'), '9.9.0')
    assert plans['erp']['ok']
    assert plans['crm']['problems'] == [
        "cluster crm cannot be planned from what its nodes reported (KeyError: 'resources'); nothing will be "
        "changed there"]


def test_a_bad_target_is_still_the_operator_s_error():
    with pytest.raises(ValueError, match="'9.x'"):
        plan.build_plans(CLUSTERS, _fleet('9.7.0'), '9.x')


def test_the_fleet_goes_on_without_the_refused_cluster():
    from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import fleet
    clusters = [dict(one, leader=one['hosts'][0]) for one in CLUSTERS]
    plans = plan.build_plans(clusters, _fleet('9.9.0.1'), '9.9.0')
    decided = fleet.refusals(clusters, plans, {}, {}, ['n1', 'n2', 'cn1', 'cn2'])
    assert decided['accepted'] == ['erp']
    assert decided['refused']['crm'] == ["cn2: the LifeKeeper version installed is '9.9.0.1', not N.N.N: its update "
                                         "path cannot be planned (check the product rpm on the node)"]
