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


def mesh(statuses):
    """The statuses with each node's communication paths going to every other node of the
    cluster (as LifeKeeper has them), each in the state of the node's first path; a node
    without paths keeps none. Returns statuses."""
    names = dict((host, status.get('node_name') or host) for host, status in statuses.items()
                 if status.get('known', True) is not False)
    for host, status in statuses.items():
        paths = status.get('comm_paths') if status.get('known', True) is not False else None
        if not paths:
            continue
        status['comm_paths'] = [dict(paths[0], machine=names[other]) for other in sorted(names) if other != host]
    return statuses


def two_nodes(version='9.7.0'):
    return mesh({
        'n1': node('node1', version, [res('app', 'ISP', 1), res('ip', 'ISP', 1, 1)]),
        'n2': node('node2', version, [res('app', 'OSU', 10), res('ip', 'OSU', 10, 1)]),
    })


def unknown(reason='unreachable: ssh: connect to host n2 port 22: Connection refused'):
    return {'known': False, 'reason': reason}
