# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the controller knows about a cluster, from fresh reads of its nodes (pure, no I/O).

A cluster status is a dict {inventory host: node status}. A node status is the lk_status
result of that node, marked ``known: true``, or, when the node could not be read (host
unreachable, the module failed, LifeKeeper did not answer), ``{'known': False, 'reason': ...}``.
A status without the ``known`` key (an lk_status result a user passes in) counts as known.

Every question answered here looks at the known nodes only; where an unknown node could
change the answer (a hierarchy not seen in service anywhere), the answer says so.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.module_utils.status import IN_SERVICE_STATES

IN_SERVICE = IN_SERVICE_STATES
# A standby must be able to take the hierarchy: out of service but not failed.
STANDBY = ('OSU',)
UNKNOWN = 'unknown'
# what to do next, in the sentences that say LifeKeeper does not run or a hierarchy has no standby
START_HINT = ('start it there with $LKROOT/bin/lkstart or hatools.lifekeeper.lk_service state=started, and look in '
              '/var/log/lifekeeper.log for why it stopped; then run again')
NO_STANDBY_HINT = ('no other node of the cluster that was read runs LifeKeeper and holds it out of service (OSU): '
                   'start LifeKeeper on its standby, clear a failed (OSF) resource there, or extend the hierarchy '
                   'to another node; then run again')
HEALTHY = 'healthy: every hierarchy in service once, a standby each, all paths ALIVE, nothing failed'
# Keys Ansible adds to a registered result; not part of a node's state.
_RESULT_NOISE = ('invocation', 'changed', 'failed', 'skipped', 'ansible_loop_var', 'ansible_index_var',
                 'item', 'warnings', 'deprecations', 'failed_when_result', 'attempts')


def by_host(results, loop_var):
    """{host: result} from registered loop results whose loop variable is the host."""
    return dict((result[loop_var], result) for result in results or [] if loop_var in result)


def loop_results(results, loop_var):
    """Registered loop results (each with loop_var = its host) from {host: result}, as a loop
    over the hosts would have registered them: for a decision written for a delegated loop
    when each host read itself."""
    return [dict(result or {}, **{loop_var: host}) for host, result in sorted((results or {}).items())]


def _clean(result, loop_var):
    return dict((key, value) for key, value in result.items()
                if key not in _RESULT_NOISE and key != loop_var and not key.startswith('_ansible'))


def result_problem(result, key=None, what='the task'):
    """Why a registered result (of one host) is not usable: unreachable, failed, or without
    key (or key null); None when it is usable. failed_when: false keeps a module's msg but not
    its flag, so a missing (or null) key is how a failed module shows."""
    if result.get('unreachable'):
        return 'unreachable: %s' % (result.get('msg') or 'no connection')
    if result.get('failed') or (key and result.get(key) is None):
        return '%s failed: %s' % (what, result.get('msg') or 'no result')
    return None


def result_problems(results, loop_var, key=None, what='the task'):
    """'host: why' for every registered loop result (loop_var = host) that is not usable."""
    problems = []
    for result in results or []:
        if result.get('skipped') or loop_var not in result:
            continue
        problem = result_problem(result, key, what)
        if problem:
            problems.append('%s: %s' % (result[loop_var], problem))
    return problems


def read_problem(result):
    """Why a registered lk_status result is not a usable read of its node; None when it is."""
    problem = result_problem(result, 'installed', 'lk_status')
    if problem is None and result.get('answered') is False:
        problem = 'LifeKeeper did not answer: %s' % (result.get('message') or 'no status display')
    return problem


def node_reads(results, loop_var=None):
    """The cluster status from lk_status results: a registered loop over the nodes (loop_var
    names the host), or a dict {host: result} (each host read itself)."""
    if not isinstance(results, dict):
        results = by_host(results, loop_var)
    statuses = {}
    for host, result in results.items():
        problem = read_problem(result)
        if problem:
            statuses[host] = {'known': False, 'reason': problem}
        else:
            status = _clean(result, loop_var)
            status['known'] = True
            statuses[host] = status
    return statuses


def is_known(status):
    return bool(status) and status.get('known', True) is not False


def known(statuses):
    """{host: status} of the nodes that were read."""
    return dict((host, status) for host, status in (statuses or {}).items() if is_known(status))


def unreadable(statuses):
    """{host: reason} of the nodes that could not be read."""
    return dict((host, status.get('reason') or 'not read') for host, status in (statuses or {}).items()
                if not is_known(status))


def describe_unreadable(statuses):
    """'host (reason), ...' of the unreadable nodes, '' when every node was read."""
    return ', '.join('%s (%s)' % (host, reason) for host, reason in sorted(unreadable(statuses).items()))


def roots(status):
    """{root tag: local state} of one node's status (depth 0 rows)."""
    return dict((res['tag'], res['state']) for res in status.get('resources') or []
                if res.get('depth', 0) == 0)


def priority(status, tag):
    """This node's priority for tag (1 = highest); 999 when it has none."""
    for res in status.get('resources') or []:
        if res['tag'] == tag:
            return res.get('priority') if res.get('priority') is not None else 999
    return 999


def lk_name(host, status):
    """The node's LifeKeeper name (its inventory name when the status does not say)."""
    return status.get('node_name') or host


def packages(status):
    """{package: version} of every installed steeleye-* rpm the node reported (core and kits)."""
    return dict((entry.get('name'), entry.get('version')) for entry in (status or {}).get('packages') or []
                if entry.get('name'))


def hierarchies(status):
    """{root tag: [every tag of its hierarchy]} of one node's status: the summary's hierarchies,
    else the display order (a root's resources follow it until the next root)."""
    found = {}
    for entry in ((status or {}).get('summary') or {}).get('hierarchies') or []:
        found[entry['root']] = list(entry.get('tags') or [entry['root']])
    if found:
        return found
    root = None
    for res in (status or {}).get('resources') or []:
        if res.get('depth', 0) == 0:
            root = res['tag']
            found[root] = [root]
        elif root is not None:
            found[root].append(res['tag'])
    return found


def hierarchy_mirrors(statuses):
    """{root tag: [mirror tags]} for every hierarchy holding a DataKeeper mirror: a resource
    lk_status marks as a mirror (type scsi/netraid), whatever its tag."""
    result = {}
    for dummy, status in sorted(known(statuses).items()):
        mirrors = set(res['tag'] for res in status.get('resources') or [] if res.get('mirror'))
        for root, tags in hierarchies(status).items():
            found = [tag for tag in tags if tag in mirrors]
            if found:
                result[root] = sorted(set(result.get(root, [])) | set(found))
    return result


def mirror_views(statuses):
    """{mirror tag: (host, its mirror entry as lk_status read it)} from the nodes that were
    read: the view of the node the mirror is in service on (its source, which knows every
    target), else of the first node (in host order) that reports it."""
    views = {}
    for host, status in sorted(known(statuses).items()):
        here = roots(status)
        states = dict((res.get('tag'), res.get('state')) for res in status.get('resources') or [])
        for entry in status.get('mirrors') or []:
            tag = entry.get('tag')
            if tag not in views or states.get(tag) in IN_SERVICE or here.get(tag) in IN_SERVICE:
                views[tag] = (host, entry)
    return views


def mirror_states(statuses):
    """{mirror tag: {source, in_sync, targets}} as the nodes that were read report them; the
    answer of the node the mirror is in service on wins (it knows every target)."""
    return dict((tag, {'source': entry.get('source'),
                       'in_sync': bool(entry.get('in_sync')) if entry.get('known', True) else None,
                       'targets': entry.get('targets') or []})
                for tag, (dummy, entry) in mirror_views(statuses).items())


def usable(status):
    """A node that can take a hierarchy now: read, running, every comm path ALIVE."""
    return is_known(status) and bool(status.get('running')) and all(
        path.get('state') == 'ALIVE' for path in status.get('comm_paths') or [])


def placement(statuses):
    """{root tag: host} where each hierarchy is in service on a node that was read."""
    where = {}
    for host, status in sorted(known(statuses).items()):
        for tag, state in roots(status).items():
            if state in IN_SERVICE:
                where[tag] = host
    return where


def placement_problems(statuses, expected):
    """One sentence when the hierarchies are not in service where expected ({root tag: host},
    the placement record) puts them, as read from statuses; none when expected is None."""
    if expected is None:
        return []
    now = placement(statuses)
    if now == dict(expected):
        return []

    def text(where):
        return ', '.join('%s on %s' % (tag, host) for tag, host in sorted(where.items())) or 'none in service'
    return ['placement differs from the record: recorded %s; now %s' % (text(dict(expected)), text(now))]


def orphans(statuses, expected):
    """Hierarchies of expected (tags) in service on none of the nodes that were read."""
    return sorted(set(expected) - set(placement(statuses)))


def lost(statuses, expected):
    """Hierarchies of expected in service nowhere: a sorted list, or 'unknown' when some are
    not seen in service and a node that could not be read might hold them."""
    missing = orphans(statuses, expected)
    if missing and unreadable(statuses):
        return UNKNOWN
    return missing


def failed_resources(statuses):
    """'TAG on HOST' for every resource shown OSF on a node that was read."""
    return ['%s on %s' % (res['tag'], host)
            for host, status in sorted(known(statuses).items())
            for res in status.get('resources') or [] if res.get('state') == 'OSF']


def running_nodes(statuses):
    """{host: status} of the nodes read that run LifeKeeper."""
    return dict((host, status) for host, status in known(statuses).items()
                if status.get('installed', True) and status.get('running'))


def membership_knows(status, own):
    """The other machines a running node's LifeKeeper knows: its communication paths' peers and
    the known machines of its long display."""
    names = set(path.get('machine') for path in status.get('comm_paths') or [] if path.get('machine'))
    names.update(status.get('known_machines') or [])
    names.discard(own)
    return names


def membership_findings(statuses, also_members=()):
    """Where the inventory group and LifeKeeper's own membership differ (findings as in
    health_findings). A node whose LifeKeeper knows a machine (a communication path, a known
    machine of the long display) that is no node of the group: that member would be neither
    evacuated nor updated; judged only when every node was read and runs LifeKeeper (the name
    of a node not read, or not running LifeKeeper, is not known for sure; the other findings
    name that node anyway). Two running nodes of the group that do not know each other: the
    group does not hold one cluster (or holds it on one side only). also_members: LifeKeeper
    names of nodes of the group left out of statuses (a node being reinstalled)."""
    names = dict((host, lk_name(host, status)) for host, status in known(statuses).items())
    members = set(names.values()) | set(name for name in also_members if name)
    up = running_nodes(statuses)
    knows = dict((host, membership_knows(status, names[host])) for host, status in up.items())
    # a node whose displays named no local machine goes by its host name, which may not be
    # LifeKeeper's name of it (an FQDN, a short name): its peers' knowledge of it cannot be
    # compared, and a comparison would name a stranger that is only the node itself
    guessed = sorted(host for host in up if up[host].get('node_name_from') == 'hostname')
    if guessed and len(up) == len(statuses):
        return [{'text': '%s: LifeKeeper\'s displays there name no local machine (its host name %s stands in): '
                         'LifeKeeper\'s membership cannot be compared with the inventory group; check lcdstatus '
                         'there, then run again' % (host, names[host]), 'hosts': [host]} for host in guessed]
    findings = []
    for host in sorted(up) if len(up) == len(statuses) else []:
        strangers = sorted(knows[host] - members)
        if strangers:
            findings.append({'text': '%s: LifeKeeper there knows %s, not a node of this inventory group: a member '
                                     'left out would be neither evacuated nor updated; add its host to the group '
                                     '(or remove the node from the LifeKeeper cluster first)'
                                     % (host, ', '.join(strangers)), 'hosts': [host]})
    for one, other in sorted((a, b) for a in up for b in up if a < b):
        one_knows, other_knows = names[other] in knows[one], names[one] in knows[other]
        if not one_knows and not other_knows:
            findings.append({'text': '%s and %s are in one inventory group, but LifeKeeper on neither knows the other '
                                     '(no communication path, not a known machine): they are not one cluster; give '
                                     'each cluster its own group' % (one, other), 'hosts': [one, other]})
        elif not one_knows or not other_knows:
            blind, seen = (one, other) if not one_knows else (other, one)
            findings.append({'text': '%s: LifeKeeper there does not know %s (%s: no communication path, not a known '
                                     'machine), although %s knows it: create the communication paths on both nodes'
                                     % (blind, seen, names[seen], seen), 'hosts': [blind]})
    return findings


def health_findings(statuses, standby_pending=False, ignore_machines=()):
    """Why the cluster is not healthy: a node not read, LifeKeeper not installed or not
    running, paths not ALIVE, resources neither in service nor standby, hierarchies in
    service on no node or on several, or without a standby, the group and LifeKeeper's
    membership apart (membership_findings). A list of {'text': the sentence,
    'hosts': the hosts it concerns} (a node's own problem: that node; a hierarchy in service
    on several nodes: those; without a standby: the node it is in service on; in service
    nowhere: none).

    standby_pending: a hierarchy without a standby is not a problem (a node being
    reinstalled will be its standby again); ignore_machines: LifeKeeper names of nodes whose
    communication paths are not judged (those nodes)."""
    def finding(text, hosts):
        return {'text': text, 'hosts': list(hosts)}

    problems = [finding('%s: state unknown, the node could not be read (%s)' % (host, reason), [host])
                for host, reason in sorted(unreadable(statuses).items())]
    holders = {}     # root tag -> [hosts where it is in service]
    standbys = {}    # root tag -> [hosts where it could be restored]
    for host, status in sorted(known(statuses).items()):
        if not status.get('installed', True):
            problems.append(finding('%s: LifeKeeper is not installed' % host, [host]))
            continue
        if not status.get('running'):
            problems.append(finding('%s: LifeKeeper is not running (%s)' % (host, START_HINT), [host]))
            continue
        for path in status.get('comm_paths') or []:
            if path.get('state') != 'ALIVE' and path.get('machine') not in ignore_machines:
                problems.append(finding('%s: communication path to %s (%s) is %s'
                                        % (host, path.get('machine'), path.get('addresses'), path.get('state')), [host]))
        for res in status.get('resources') or []:
            if res.get('state') not in IN_SERVICE + STANDBY:
                problems.append(finding('%s: resource %s is %s' % (host, res['tag'], res.get('state')), [host]))
        for tag, state in roots(status).items():
            if state in IN_SERVICE:
                holders.setdefault(tag, []).append(host)
            elif state in STANDBY:
                standbys.setdefault(tag, []).append(host)
    # a node that could not be read may hold the hierarchy or be its standby: say so
    not_read = sorted(unreadable(statuses))
    unsure = ' of those read (%s could not be read)' % ', '.join(not_read) if not_read else ''
    for tag in sorted(set(holders) | set(standbys)):
        where = holders.get(tag, [])
        if not where:
            problems.append(finding('hierarchy %s is in service on no node%s' % (tag, unsure), []))
        elif len(where) > 1:
            problems.append(finding('hierarchy %s is in service on more than one node: %s' % (tag, ', '.join(where)),
                                    where))
        elif not standbys.get(tag) and not standby_pending:
            problems.append(finding('hierarchy %s (in service on %s) has no standby node%s to switch to (%s)'
                                    % (tag, where[0], unsure, NO_STANDBY_HINT), where))
    return problems + membership_findings(statuses, ignore_machines)


def health_problems(statuses, standby_pending=False, ignore_machines=()):
    """The sentences of health_findings (a list of str)."""
    return [problem['text'] for problem in health_findings(statuses, standby_pending, ignore_machines)]


def version_problems(statuses, target_version):
    """Nodes that were read and do not run target_version."""
    return ['%s: %s, expected %s' % (host, 'LifeKeeper %s is installed' % status['version'] if status.get('version')
                                     else 'LifeKeeper is not installed', target_version)
            for host, status in sorted(known(statuses).items()) if status.get('version') != str(target_version)]


def verification_failure(problems, target_version=None):
    """The message of a verification that found problems: what was expected, what was seen
    (each problem), and what to do next."""
    expected = 'every node %sready with its communication paths ALIVE and its mirrors in sync, every hierarchy in ' \
        'service on exactly one node with a standby, nothing failed' % (
            'at %s, ' % target_version if target_version else '')
    return ('LifeKeeper cluster verification failed. Expected: %s. Seen: %s. Fix what is seen (lcdstatus -q on each '
            'node shows it), then run again: nodes already at the target are skipped and the cluster is verified '
            'again.' % (expected, '; '.join(problems) or 'nothing (no problem was named)'))


def inventory_clusters(group, groups, children, play_hosts=None):
    """group_clusters of inventory group `group` from Ansible's groups variable ({name: hosts})
    and its child (or leaf) group names; ValueError naming the group when it does not exist."""
    if group not in groups:
        raise ValueError('lk_cluster_group is %r: no such inventory group (groups: %s)'
                         % (group, ', '.join(sorted(g for g in groups if g not in ('all', 'ungrouped')))))
    return group_clusters(group, groups[group], [(child, groups.get(child, [])) for child in children or []],
                          play_hosts)


def group_clusters(group, group_hosts, children, play_hosts=None):
    """The clusters of inventory group `group` and why any of them cannot be updated.

    group_hosts: the group's hosts in inventory order; children: [(child group, its hosts)]
    in inventory order (its direct child groups); play_hosts: the hosts of this run (a
    --limit may leave some out). A cluster is a child group; without child groups the group
    itself is one cluster. A cluster wholly outside the run is left out; one partly outside
    it, a host in two clusters, a host of the group in no cluster, and a cluster of one node
    are problems. Returns {'clusters': [{'name', 'hosts', 'leader'}], 'problems': [...]}.
    """
    in_run = set(play_hosts if play_hosts is not None else group_hosts)
    members = [(name, list(hosts)) for name, hosts in children or []] or [(group, list(group_hosts))]
    problems = []
    owner = {}
    for name, hosts in members:
        for host in hosts:
            if host in owner and owner[host] != name:
                problems.append('%s is in two clusters: %s and %s (a node belongs to one cluster)'
                                % (host, owner[host], name))
            owner.setdefault(host, name)
    for host in group_hosts:
        if host not in owner and host in in_run:
            problems.append('%s is in %s but in none of its child groups (the clusters): %s'
                            % (host, group, ', '.join(name for name, _hosts in members)))
    clusters = []
    for name, hosts in members:
        running = [h for h in hosts if h in in_run]
        if not running:
            continue
        if len(running) != len(hosts):
            problems.append('cluster %s: %s not in this run (every node of a cluster must be in the run; '
                            'check --limit)' % (name, ', '.join(h for h in hosts if h not in in_run)))
        if len(hosts) < 2:
            problems.append('cluster %s has one node (%s): a rolling update needs a standby to switch to'
                            % (name, ', '.join(hosts)))
        clusters.append({'name': name, 'hosts': hosts, 'leader': hosts[0] if hosts else None})
    return {'clusters': clusters, 'problems': problems}


def status_lines(statuses, hosts):
    """Four lines per node for a person (version and running, in service, standby, paths);
    one line naming the reason for a node that could not be read."""
    lines = []
    for host in hosts:
        status = (statuses or {}).get(host) or {'known': False, 'reason': 'not read'}
        if not is_known(status):
            lines.append('%s: state unknown, the node could not be read (%s)' % (host, status.get('reason')))
            continue
        summary = status.get('summary') or {}
        lines.extend([
            '%s: LifeKeeper %s running=%s ready=%s' % (
                host, status.get('version'), status.get('running'), status.get('ready')),
            'in service here: %s' % (', '.join(summary.get('in_service_here') or []) or '-'),
            'standby here: %s' % (', '.join(summary.get('standby_here') or []) or '-'),
            'paths: %s' % (', '.join(path.get('state') for path in status.get('comm_paths') or []) or '-'),
        ])
    return lines
