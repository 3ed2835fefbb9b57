# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The clusters LifeKeeper knows on a flat list of hosts, as an inventory (pure, no I/O).

Input: the cluster status {inventory host: node status} of the hosts read (cluster.node_reads)
and, optionally, {inventory host: address} of those hosts. Two LifeKeeper machines are in one
cluster when either knows the other (a communication path, a known machine of the long
display); the clusters are the connected parts of that relation. A member no host of the list
reads is named by its LifeKeeper name, its address taken from a communication path to it.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import (
    known, lk_name, membership_knows, unreadable)


def _remote_address(statuses, machine):
    """The address of machine at the far end of a TCP path to it from a node read, or None."""
    for dummy_host, status in sorted(statuses.items()):
        for path in status.get('comm_paths') or []:
            if path.get('machine') != machine or (path.get('network') or 'TCP') != 'TCP':
                continue
            ends = (path.get('addresses') or '').split('/')
            if len(ends) == 2 and ends[1]:
                return ends[1]
    return None


def _components(edges, names):
    """The connected parts of the graph over names, each sorted; in the order of their first name."""
    parent = dict((name, name) for name in names)

    def root(name):
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for one, other in edges:
        parent[root(one)] = root(other)
    parts = {}
    for name in names:
        parts.setdefault(root(name), []).append(name)
    return sorted((sorted(part) for part in parts.values()), key=lambda part: part[0])


def group_name(members):
    """An inventory group name for a cluster: lk_ and its first LifeKeeper name, letters, digits
    and underscores only."""
    return 'lk_' + re.sub(r'[^A-Za-z0-9_]', '_', sorted(members)[0])


def discover(statuses, addresses=None, group='lifekeeper'):
    """{'clusters': [{'name', 'members': [{'lifekeeper_name', 'host', 'address'}]}],
    'inventory': {group: {'children': {cluster name: {'hosts': {host: vars}}}}},
    'not_read': [sentences], 'problems': [sentences], 'lines': [for a person]}.

    A member read is listed by its inventory host (with ansible_host when addresses gives one
    other than its name); a member no host of the list reads, by its LifeKeeper name with
    ansible_host from a path to it (none when only a known machine names it: the line says so).
    Hosts not read, or not running LifeKeeper, are left out and named in not_read; two hosts
    that report one LifeKeeper name are a problem and both are left out."""
    addresses = addresses or {}
    running = cluster.running_nodes(statuses)
    not_read = ['%s: not read (%s)' % (host, reason) for host, reason in sorted(unreadable(statuses).items())]
    not_read += ['%s: LifeKeeper is %s there' % (host, 'not running' if status.get('installed', True) else 'not installed')
                 for host, status in sorted(known(statuses).items()) if host not in running]
    by_name = {}
    for host in sorted(running):
        by_name.setdefault(lk_name(host, running[host]), []).append(host)
    problems = ['%s report one LifeKeeper name, %s: left out (one host per node)' % (', '.join(hosts), name)
                for name, hosts in sorted(by_name.items()) if len(hosts) > 1]
    host_of = dict((name, hosts[0]) for name, hosts in by_name.items() if len(hosts) == 1)
    edges = []
    for name, host in host_of.items():
        edges.extend((name, other) for other in membership_knows(running[host], name))
    names = sorted(set(host_of) | set(other for dummy, other in edges))
    clusters, children, lines = [], {}, []
    for part in _components(edges, names):
        members = []
        hosts = {}
        for name in part:
            host = host_of.get(name)
            address = addresses.get(host) if host else _remote_address(running, name)
            members.append({'lifekeeper_name': name, 'host': host, 'address': address})
            hosts[host or name] = {'ansible_host': address} if address and address != (host or name) else {}
        cluster_name = group_name(part)
        clusters.append({'name': cluster_name, 'members': members})
        children[cluster_name] = {'hosts': hosts}
        lines.append('cluster %s: %s' % (cluster_name, ', '.join(
            '%s (host %s)' % (m['lifekeeper_name'], m['host']) if m['host'] else
            '%s (not among the hosts read; %s)' % (m['lifekeeper_name'], 'address %s from a communication path'
                                                   % m['address'] if m['address'] else 'no address known: add it')
            for m in members)))
    return {'clusters': clusters, 'inventory': {group: {'children': children}}, 'not_read': not_read,
            'problems': problems, 'lines': lines + not_read + problems}
