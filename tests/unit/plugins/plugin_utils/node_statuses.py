# -*- coding: utf-8 -*-
"""Node statuses shaped like lk_status results, for the controller-side tests."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


def res(tag, state, prio=1, depth=0):
    return {'tag': tag, 'id': tag, 'state': state, 'priority': prio, 'primary': 'x',
            'depth': depth, 'parent': None, 'children': []}


def node(name, version, resources, paths=('ALIVE',), running=True):
    return {'installed': True, 'running': running, 'ready': running, 'version': version, 'node_name': name,
            'resources': resources,
            'summary': {'in_service_here': [r['tag'] for r in resources if r['state'] == 'ISP' and not r['depth']],
                        'standby_here': [r['tag'] for r in resources if r['state'] == 'OSU' and not r['depth']]},
            'comm_paths': [{'machine': 'peer', 'network': 'TCP', 'addresses': 'a/b',
                            'state': state, 'priority': 1} for state in paths]}


def two_nodes(version='9.7.0'):
    return {
        'n1': node('node1', version, [res('app', 'ISP', 1), res('ip', 'ISP', 1, 1)]),
        'n2': node('node2', version, [res('app', 'OSU', 10), res('ip', 'OSU', 10, 1)]),
    }


def unknown(reason='unreachable: ssh: connect to host n2 port 22: Connection refused'):
    return {'known': False, 'reason': reason}
