# -*- coding: utf-8 -*-
"""lk_resource_switch against a small recorded two-node cluster (this node = node2).

The fake commands answer with the short status display of lifekeeper-cli.md
(``lcdstatus -e`` / ``-q`` / ``-d node1 -q``) and the mirror_status format of the
team spec, rendered from a state table that restore/remove change the way
LifeKeeper does (restore = switchover of the hierarchy, dependencies first).
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible.module_utils import basic
from ansible_collections.hatools.lifekeeper.plugins.module_utils import status as lkstatus
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_resource_switch

RPM = '/usr/bin/rpm'
LOCAL, PEER = 'node2', 'node1'
WEIRD = 'a;$(x)"\''          # no space: can appear in the status display
WEIRD_SPACED = 'a b;$(x)"\''  # cannot: only reachable through a patched status

MIRROR_IN_SYNC = ('Mirror: datarep-data\nSource: node1\n'
                  'TARGET   STATE       PROGRESS\nnode2    Mirroring   100%\n')
MIRROR_RESYNC = ('Mirror: datarep-data\nSource: node1\n'
                 'TARGET   STATE       PROGRESS\nnode2    Resyncing   45%\n')

# A recorded `lcdstatus -e` of node2 (shape of lifekeeper-cli.md; BACKUP = next node)
RECORDED_E_NODE2 = """\
BACKUP   TAG              ID               STATE     PRIO  PRIMARY
node1    app-web          app-web          OSU         10  node1
node1     ip-10.0.0.50    IP-10.0.0.50     OSU         10  node1
node1     datarep-data    /data            OSU         10  node1
node1    db               pgsql-main       ISP          1  node2
node1     ip-10.0.0.60    IP-10.0.0.60     ISP          1  node2

MACHINE  NETWORK ADDRESSES/DEVICE          STATE     PRIO
node1    TCP     127.0.0.12/127.0.0.11     ALIVE        1
"""


class Cluster(object):
    """Two nodes, hierarchies app-web (with a mirror) and db; states per node."""

    def __init__(self, version='9.8.0'):
        self.version = version
        # tag -> (id, children)
        self.defs = {
            'app-web': ('app-web', ['ip-10.0.0.50', 'datarep-data']),
            'ip-10.0.0.50': ('IP-10.0.0.50', []),
            'datarep-data': ('/data', []),
            'db': ('pgsql-main', ['ip-10.0.0.60']),
            'ip-10.0.0.60': ('IP-10.0.0.60', []),
        }
        # tag -> app/type (the long display); a tag not listed is gen/app
        self.types = {'ip-10.0.0.50': 'comm/ip', 'datarep-data': 'scsi/netraid', 'db': 'database/pgsql',
                      'ip-10.0.0.60': 'comm/ip'}
        self.long_answer = None     # replaces the rendered long display when set
        self.roots = ['app-web', 'db']
        self.primary = {'app-web': PEER, 'ip-10.0.0.50': PEER, 'datarep-data': PEER,
                        'db': LOCAL, 'ip-10.0.0.60': LOCAL}
        self.states = {
            PEER: {'app-web': 'ISP', 'ip-10.0.0.50': 'ISP', 'datarep-data': 'ISP',
                   'db': 'OSU', 'ip-10.0.0.60': 'OSU'},
            LOCAL: {'app-web': 'OSU', 'ip-10.0.0.50': 'OSU', 'datarep-data': 'OSU',
                    'db': 'ISP', 'ip-10.0.0.60': 'ISP'},
        }
        self.mirror = [(0, MIRROR_IN_SYNC, '')]
        self.fail_restore = set()   # tags whose restore script fails (-> OSF, rc 1)
        self.silent = set()         # tags whose restore/remove returns 0 but changes nothing
        self.osf_quietly = set()    # resources a restore leaves OSF while still exiting 0
        self.remove_whole = False   # remove also takes the children down (else: tag + parents)
        self.actions = []           # (action, tag)

    # ---- structure
    def add_root(self, tag, local_state='OSU', peer_state='ISP'):
        self.defs[tag] = (tag, [])
        self.roots.append(tag)
        self.primary[tag] = PEER
        self.states[PEER][tag] = peer_state
        self.states[LOCAL][tag] = local_state

    def add_local(self, defs, roots, tags):
        """More resources (tag -> (id, children)), in service here and standby on the peer."""
        self.defs.update(defs)
        self.roots.extend(roots)
        for tag in tags:
            self.primary[tag] = LOCAL
            self.states[LOCAL][tag] = 'ISP'
            self.states[PEER][tag] = 'OSU'

    def below(self, tag):
        out = [tag]
        for child in self.defs[tag][1]:
            out.extend(self.below(child))
        return out

    def parents(self, tag):
        return [t for t, (dummy, children) in self.defs.items() if tag in children]

    def above(self, tag):
        out = []
        for parent in self.parents(tag):
            out.extend(self.above(parent))
            out.append(parent)
        return out

    # ---- rendering (lifekeeper-cli.md short display)
    def render(self, node, layout):
        other = PEER if node == LOCAL else LOCAL
        first = node if layout == 'LOCAL' else other
        lines = ['%-8s %-16s %-16s %-9s %4s  %s' % (layout, 'TAG', 'ID', 'STATE', 'PRIO', 'PRIMARY')]

        def walk(tag, depth):
            prio = 1 if self.primary[tag] == node else 10
            lines.append('%-8s %-16s %-16s %-9s %4d  %s' % (
                first, ' ' * depth + tag, self.defs[tag][0], self.states[node][tag], prio, self.primary[tag]))
            for child in self.defs[tag][1]:
                walk(child, depth + 1)
        for root in self.roots:
            walk(root, 0)
        lines += ['', 'MACHINE  NETWORK ADDRESSES/DEVICE          STATE     PRIO',
                  '%-8s TCP     127.0.0.12/127.0.0.11     ALIVE        1' % other]
        return '\n'.join(lines) + '\n'

    def render_long(self, node):
        """The long display (tests/lksim/ASSUMPTIONS.md, "Status displays") of node: each resource once, shared children
        under the first root."""
        other = PEER if node == LOCAL else LOCAL
        lines = ['Resource Hierarchy Information', '', 'Resource hierarchies for machine "%s":' % node, '']
        seen = []

        def walk(tag):
            if tag in seen:
                return
            seen.append(tag)
            app, kind = self.types.get(tag, 'gen/app').split('/')
            lines.append('%s: id=%s app=%s type=%s state=%s'
                         % (tag, self.defs[tag][0], app, kind, self.states[node][tag]))
            lines.append('        info=%s' % self.defs[tag][0])
            if self.defs[tag][1]:
                lines.append('        depends on resources: %s' % ','.join(self.defs[tag][1]))
            lines.append('')
            for child in self.defs[tag][1]:
                walk(child)
        for root in self.roots:
            walk(root)
        lines += ['Communication Status Information', '',
                  'Network and TTY communication paths from machine "%s":' % node,
                  '        to machine=%s type=TCP addresses=127.0.0.12/127.0.0.11 state="ALIVE" priority=1 '
                  '#comm_downs=0' % other, '']
        return '\n'.join(lines) + '\n'

    # ---- actions on node2
    def restore(self, tag):
        self.actions.append(('restore', tag))
        if tag in self.silent:
            return 0, '', ''
        order = list(reversed(self.below(tag)))   # dependencies first
        for member in order:
            if self.states[LOCAL][member] == 'ISP':
                continue
            self.states[PEER][member] = 'OSU'
            if member in self.osf_quietly:
                self.states[LOCAL][member] = 'OSF'
                return 0, '', ''
            if member in self.fail_restore:
                self.states[LOCAL][member] = 'OSF'
                return 1, '', 'restore of resource "%s" failed: restore script exited 1\n' % member
            self.states[LOCAL][member] = 'ISP'
        return 0, 'Restore of "%s" complete.\n' % tag, ''

    def remove(self, tag):
        self.actions.append(('remove', tag))
        if tag in self.silent:
            return 0, '', ''
        members = self.above(tag) + [tag]
        if self.remove_whole:
            members += self.below(tag)
        for member in members:
            self.states[LOCAL][member] = 'OSU'
        return 0, '', ''

    def handle(self, lkroot):
        def bin_(name):
            return str(lkroot / 'bin' / name)

        def respond(argv):
            if argv == (RPM, '-q', '--qf', '%{VERSION}', 'steeleye-lk'):
                return 0, self.version, ''
            if argv == (bin_('lktest'),):
                return 0, '', ''
            if argv == (bin_('lcdstatus'), '-e'):
                return 0, self.render(LOCAL, 'BACKUP'), ''
            if argv == (bin_('lcdstatus'), '-q'):
                return 0, self.render(LOCAL, 'LOCAL'), ''
            if argv == (bin_('lcdstatus'),):
                return self.long_answer or (0, self.render_long(LOCAL), '')
            if argv == (bin_('lcdstatus'), '-d', PEER, '-q'):
                return 0, self.render(PEER, 'LOCAL'), ''
            if argv == (bin_('mirror_status'), 'datarep-data'):
                return self.mirror.pop(0) if len(self.mirror) > 1 else self.mirror[0]
            if argv[:3] == (bin_('lkcli'), 'resource', 'restore') and argv[3] == '--tag' and len(argv) == 5:
                return self.restore(argv[4])
            if argv[:3] == (bin_('lkcli'), 'resource', 'remove') and argv[3] == '--tag' and len(argv) == 5:
                return self.remove(argv[4])
            if argv[:2] == (bin_('perform_action'), '-t') and argv[3] == '-a' and len(argv) == 5:
                return self.restore(argv[2]) if argv[4] == 'restore' else self.remove(argv[2])
            raise AssertionError('unexpected command %r' % (argv,))
        return respond


MUTATING = ('restore', 'remove', 'perform_action')


def mutating_calls(cli):
    return [argv for argv in cli.argvs()
            if any(word in argv for word in ('restore', 'remove')) or argv[0].endswith('/perform_action')]


@pytest.fixture
def cluster(fake_cli, lkroot, monkeypatch):
    (lkroot / 'config' / 'LK_INITDONE').write_text('')
    state = Cluster()
    fake_cli.route(state.handle(lkroot))
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, arg, required=False, opt_dirs=None: RPM if arg == 'rpm' else None)
    monkeypatch.setattr(lk_resource_switch, 'POLL_INTERVAL', 0.0)
    return state


def args(lkroot, **extra):
    out = {'lkroot': str(lkroot), 'timeout': 2}
    out.update(extra)
    return out


def test_recorded_sample_matches_the_rendering():
    """The fake renders what a recorded node2 display holds (guards the fake itself)."""
    rendered = lkstatus.parse_short_status(Cluster().render(LOCAL, 'BACKUP'))
    recorded = lkstatus.parse_short_status(RECORDED_E_NODE2)
    assert [(r.tag, r.state, r.depth, r.parent) for r in rendered.resources] == \
        [(r.tag, r.state, r.depth, r.parent) for r in recorded.resources]


def test_switchover_to_this_node(lkroot, cluster, fake_cli, run):
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']), diff=True)
    assert not failed, result
    assert result['changed'] is True
    assert cluster.actions == [('restore', 'app-web')]
    assert (str(lkroot / 'bin' / 'lkcli'), 'resource', 'restore', '--tag', 'app-web') in fake_cli.argvs()
    record = result['results'][0]
    assert record['tag'] == 'app-web'
    assert record['before'] == 'OSU' and record['after'] == 'ISP'
    assert record['from_node'] == PEER
    assert record['start'] and record['end'] and record['duration_s'] >= 0
    assert result['diff'] == {'before': {'app-web': 'OSU'}, 'after': {'app-web': 'ISP'}}
    assert result['states']['datarep-data'] == 'ISP'
    # the mirror was checked (in sync here) before the restore
    calls = fake_cli.argvs()
    assert calls.index((str(lkroot / 'bin' / 'mirror_status'), 'datarep-data')) < \
        calls.index((str(lkroot / 'bin' / 'lkcli'), 'resource', 'restore', '--tag', 'app-web'))
    assert result['node'] == LOCAL


def test_already_in_service_is_unchanged(lkroot, cluster, fake_cli, run):
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['db']))
    assert not failed, result
    assert result['changed'] is False
    assert result['results'][0]['before'] == result['results'][0]['after'] == 'ISP'
    assert mutating_calls(fake_cli) == []


def test_all_hierarchies_when_tags_omitted(lkroot, cluster, fake_cli, run):
    failed, result = run(lk_resource_switch.main, args(lkroot))
    assert not failed, result
    assert [r['tag'] for r in result['results']] == ['app-web', 'db']
    assert [r['changed'] for r in result['results']] == [True, False]
    assert cluster.actions == [('restore', 'app-web')]


def test_check_mode_predicts_without_restoring(lkroot, cluster, fake_cli, run):
    failed, result = run(lk_resource_switch.main, args(lkroot), check_mode=True, diff=True)
    assert not failed, result
    assert result['changed'] is True
    assert mutating_calls(fake_cli) == []
    assert cluster.actions == []
    assert result['results'][0]['after'] == 'ISP'
    assert result['diff']['after'] == {'app-web': 'ISP', 'db': 'ISP'}
    assert cluster.states[LOCAL]['app-web'] == 'OSU'


def test_unknown_tag_fails_listing_known_tags_before_anything(lkroot, cluster, fake_cli, run):
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web', 'nope']))
    assert failed
    assert "'nope'" in result['msg']
    assert 'app-web, db' in result['msg']
    assert result['known_tags'] == ['app-web', 'db']
    assert mutating_calls(fake_cli) == []


def test_refuses_while_mirror_resyncs_here(lkroot, cluster, fake_cli, run):
    cluster.mirror = [(0, MIRROR_RESYNC, '')]
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert failed
    assert 'datarep-data' in result['msg'] and '45%' in result['msg'] and 'Resyncing' in result['msg']
    assert 'wait_for_mirror_sync' in result['msg']
    assert mutating_calls(fake_cli) == []


def test_check_mode_also_refuses_while_mirror_resyncs(lkroot, cluster, fake_cli, run):
    cluster.mirror = [(0, MIRROR_RESYNC, '')]
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']), check_mode=True)
    assert failed
    assert 'datarep-data' in result['msg']


def test_waits_for_mirror_sync_when_asked(lkroot, cluster, fake_cli, run):
    cluster.mirror = [(0, MIRROR_RESYNC, ''), (0, MIRROR_RESYNC.replace('45%', '90%'), ''),
                      (0, MIRROR_IN_SYNC, '')]
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web'], wait_for_mirror_sync=True))
    assert not failed, result
    assert cluster.actions == [('restore', 'app-web')]
    mirror_calls = [a for a in fake_cli.argvs() if a[0].endswith('/mirror_status')]
    assert len(mirror_calls) == 3
    assert result['mirror_wait_s'] >= 0


def test_mirror_wait_times_out(lkroot, cluster, fake_cli, run):
    cluster.mirror = [(0, MIRROR_RESYNC, '')]
    failed, result = run(lk_resource_switch.main,
                         args(lkroot, tags=['app-web'], wait_for_mirror_sync=True, timeout=0))
    assert failed
    assert 'datarep-data' in result['msg'] and '45%' in result['msg']
    assert mutating_calls(fake_cli) == []


def test_mirror_source_here_does_not_block(lkroot, cluster, fake_cli, run):
    """Out of sync targets elsewhere do not block a restore onto the source node."""
    cluster.mirror = [(0, 'Mirror: datarep-data\nSource: node2\nTARGET   STATE       PROGRESS\n'
                          'node1    Resyncing   10%\n', '')]
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert not failed, result


def test_failing_restore_reports_done_failed_and_states(lkroot, cluster, fake_cli, run):
    cluster.add_root('zz-app')
    cluster.fail_restore.add('ip-10.0.0.50')
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['zz-app', 'app-web', 'db']))
    assert failed
    assert 'restore of app-web failed' in result['msg']
    assert 'restore script exited 1' in result['msg']
    assert 'done: zz-app' in result['msg']
    assert 'ip-10.0.0.50=OSF' in result['msg']
    assert result['done'] == ['zz-app']
    assert result['failed_tag'] == 'app-web'
    assert result['states']['ip-10.0.0.50'] == 'OSF'
    assert result['rc'] == 1
    assert result['changed'] is True
    assert [r['after'] for r in result['results']] == ['ISP', 'OSU', 'ISP']
    # db was never attempted (it was ISP anyway) and nothing after the failure ran
    assert cluster.actions == [('restore', 'zz-app'), ('restore', 'app-web')]


def test_restore_rc0_but_osf_afterwards_fails(lkroot, cluster, fake_cli, run):
    cluster.osf_quietly.add('datarep-data')
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert failed
    assert 'datarep-data' in result['msg'] and 'OSF' in result['msg']
    assert result['failed_tag'] == 'app-web'
    assert 'timed out' not in result['msg']


def test_resource_osf_before_is_recovered_by_restore(lkroot, cluster, fake_cli, run):
    cluster.states[LOCAL]['datarep-data'] = 'OSF'
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert not failed, result
    assert result['states']['datarep-data'] == 'ISP'


def test_timeout_when_state_never_reached(lkroot, cluster, fake_cli, run):
    cluster.silent.add('app-web')
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web'], timeout=0.2))
    assert failed
    assert 'timed out after 0.2 s waiting for app-web' in result['msg']
    assert 'app-web=OSU' in result['msg']


def test_out_of_service_removes_parents_then_remaining_children(lkroot, cluster, fake_cli, run):
    """remove takes the tag and its parents down; what stays up below is removed too."""
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['db'], state='out_of_service'))
    assert not failed, result
    assert result['changed'] is True
    assert cluster.actions == [('remove', 'db'), ('remove', 'ip-10.0.0.60')]
    assert cluster.states[LOCAL]['db'] == cluster.states[LOCAL]['ip-10.0.0.60'] == 'OSU'
    assert result['results'][0]['after'] == 'OSU'
    assert 'from_node' not in result['results'][0]


def test_out_of_service_one_remove_when_it_takes_the_hierarchy(lkroot, cluster, fake_cli, run):
    cluster.remove_whole = True
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['db'], state='out_of_service'))
    assert not failed, result
    assert cluster.actions == [('remove', 'db')]


def test_out_of_service_when_already_standby_is_unchanged(lkroot, cluster, fake_cli, run):
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web'], state='out_of_service'))
    assert not failed
    assert result['changed'] is False
    assert mutating_calls(fake_cli) == []


def test_legacy_generation_uses_perform_action(lkroot, cluster, fake_cli, run):
    cluster.version = '8.4.1'
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert not failed, result
    assert (str(lkroot / 'bin' / 'perform_action'), '-t', 'app-web', '-a', 'restore') in fake_cli.argvs()


def test_tag_with_shell_characters_is_one_argv_element(lkroot, cluster, fake_cli, run):
    cluster.add_root(WEIRD)
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=[WEIRD]))
    assert not failed, result
    assert (str(lkroot / 'bin' / 'lkcli'), 'resource', 'restore', '--tag', WEIRD) in fake_cli.argvs()
    for argv, kwargs in fake_cli.calls:
        assert not kwargs.get('use_unsafe_shell')


def test_tag_with_space_is_one_argv_element(lkroot, cluster, fake_cli, run, monkeypatch):
    """A tag the display cannot show (space) still reaches the command as one element."""
    cluster.add_root(WEIRD_SPACED)
    from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeper

    def status(self):
        resources = [lkstatus.Resource(tag, cluster.defs[tag][0], cluster.states[LOCAL][tag], 10, PEER)
                     for tag in [WEIRD_SPACED]]
        return lkstatus.ClusterStatus(running=True, layout='backup', resources=resources)
    monkeypatch.setattr(LifeKeeper, 'status', status)
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=[WEIRD_SPACED]))
    assert not failed, result
    assert cluster.actions == [('restore', WEIRD_SPACED)]
    assert (str(lkroot / 'bin' / 'lkcli'), 'resource', 'restore', '--tag', WEIRD_SPACED) in fake_cli.argvs()


def test_unknown_tag_with_shell_characters_never_runs(lkroot, cluster, fake_cli, run):
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=[WEIRD_SPACED]))
    assert failed
    assert WEIRD_SPACED in result['msg'] or repr(WEIRD_SPACED) in result['msg']
    assert mutating_calls(fake_cli) == []


def test_not_running_fails(lkroot, cluster, fake_cli, run):
    fake_cli.responses = {
        (RPM, '-q', '--qf', '%{VERSION}', 'steeleye-lk'): (0, '9.8.0', ''),
        (str(lkroot / 'bin' / 'lktest'),): (1, '', ''),
    }
    failed, result = run(lk_resource_switch.main, args(lkroot, timeout=0))
    assert failed
    assert result['msg'].startswith('LifeKeeper is not running on this node (lktest failed): start it with %s/bin/lkstart'
                                    % lkroot)
    assert mutating_calls(fake_cli) == []


def test_not_installed_fails(tmp_path, cluster, fake_cli, run):
    failed, result = run(lk_resource_switch.main, {'lkroot': str(tmp_path / 'none')})
    assert failed
    assert 'not installed' in result['msg']
    assert mutating_calls(fake_cli) == []


def test_out_of_service_three_levels_removes_level_by_level(lkroot, cluster, fake_cli, run):
    cluster.add_local({'deep': ('deep', ['deep-fs']), 'deep-fs': ('/deep', ['deep-disk']),
                       'deep-disk': ('/dev/sdz', [])}, ['deep'], ['deep', 'deep-fs', 'deep-disk'])
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['deep'], state='out_of_service'))
    assert not failed, result
    assert cluster.actions == [('remove', 'deep'), ('remove', 'deep-fs'), ('remove', 'deep-disk')]
    assert [cluster.states[LOCAL][t] for t in ('deep', 'deep-fs', 'deep-disk')] == ['OSU'] * 3


def test_mirror_without_source_does_not_block(lkroot, cluster, fake_cli, run):
    """Hierarchy in service nowhere: the mirror has no source and its targets are Unknown."""
    cluster.states[PEER].update({'app-web': 'OSU', 'ip-10.0.0.50': 'OSU', 'datarep-data': 'OSU'})
    cluster.mirror = [(0, 'Mirror: datarep-data\nSource: --\nTARGET   STATE       PROGRESS\n'
                          'node1    Unknown     --\nnode2    Unknown     --\n', '')]
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert not failed, result
    assert result['results'][0]['from_node'] is None
    assert cluster.actions == [('restore', 'app-web')]


def test_unknown_mirror_target_here_blocks_when_source_elsewhere(lkroot, cluster, fake_cli, run):
    cluster.mirror = [(0, 'Mirror: datarep-data\nSource: node1\nTARGET   STATE       PROGRESS\n'
                          'node2    Unknown     --\n', '')]
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert failed
    assert 'Unknown' in result['msg'] and 'progress unknown' in result['msg']
    assert mutating_calls(fake_cli) == []


# ---- mirrors found by type, strict mirror answers, deadlines ---------------------------------------

def test_a_mirror_is_found_by_its_type_whatever_its_tag(lkroot, cluster, fake_cli, run):
    """Rename the mirror: mirror-export (scsi/netraid) blocks, datarep-data made a file system does not."""
    cluster.defs['mirror-export'] = ('/export', [])
    cluster.defs['app-web'] = ('app-web', ['ip-10.0.0.50', 'datarep-data', 'mirror-export'])
    cluster.types.update({'mirror-export': 'scsi/netraid', 'datarep-data': 'gen/filesys'})
    cluster.primary['mirror-export'] = PEER
    cluster.states[PEER]['mirror-export'] = 'ISP'
    cluster.states[LOCAL]['mirror-export'] = 'OSU'
    resync = MIRROR_RESYNC.replace('datarep-data', 'mirror-export')
    fake_cli.responses[(str(lkroot / 'bin' / 'mirror_status'), 'mirror-export')] = (0, resync, '')
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert failed
    assert 'mirror mirror-export is Resyncing on node2 (45%)' in result['msg']
    assert result['mirrors'] == ['mirror-export']
    asked = [a[1] for a in fake_cli.argvs() if a[0].endswith('/mirror_status')]
    assert asked == ['mirror-export']
    assert mutating_calls(fake_cli) == []


@pytest.mark.parametrize('answer,why', [
    (MIRROR_IN_SYNC.replace('datarep-data', 'datarep-other'), "about mirror 'datarep-other'"),
    ('Mirror: datarep-data\nSource: node1\nTARGET   STATE       PROGRESS\n', 'no target rows'),
])
def test_a_mirror_answer_that_proves_nothing_refuses_the_switchover(lkroot, cluster, fake_cli, run, answer, why):
    cluster.mirror = [(0, answer, '')]
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert failed
    assert 'mirror datarep-data: state unknown' in result['msg'] and why in result['msg']
    assert mutating_calls(fake_cli) == []


def test_an_unknown_mirror_state_is_waited_out_when_asked(lkroot, cluster, fake_cli, run):
    cluster.mirror = [(0, MIRROR_IN_SYNC.replace('datarep-data', 'other'), ''), (0, MIRROR_IN_SYNC, '')]
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web'], wait_for_mirror_sync=True))
    assert not failed, result
    assert cluster.actions == [('restore', 'app-web')]


def test_without_the_long_display_no_switchover_is_risked(lkroot, cluster, fake_cli, run):
    cluster.long_answer = (0, '', '')
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web']))
    assert failed
    assert 'cannot tell which resources of app-web are mirrors' in result['msg']
    assert mutating_calls(fake_cli) == []


def test_out_of_service_needs_no_long_display(lkroot, cluster, fake_cli, run):
    cluster.long_answer = (0, '', '')
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['db'], state='out_of_service'))
    assert not failed, result


def test_a_hanging_restore_is_killed_at_the_hierarchy_timeout(lkroot, cluster, fake_cli, run):
    from conftest import Hang
    hang = Hang()
    fake_cli.responses[(str(lkroot / 'bin' / 'lkcli'), 'resource', 'restore', '--tag', 'app-web')] = hang
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web'], timeout=30, command_timeout=5))
    assert failed
    assert 'restore of app-web failed: lkcli resource restore --tag app-web did not finish within' in result['msg']
    assert result['failed_tag'] == 'app-web'
    # the restore got the hierarchy's time, not the 5 s of a status command
    assert 25 < hang.deadlines[0] <= 30


def test_a_peer_that_does_not_answer_only_loses_from_node(lkroot, cluster, fake_cli, run):
    from conftest import Hang
    hang = Hang()
    fake_cli.responses[(str(lkroot / 'bin' / 'lcdstatus'), '-d', PEER, '-q')] = hang
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['app-web'], command_timeout=2))
    assert not failed, result
    assert result['results'][0]['from_node'] is None and hang.deadlines == [2]
    assert cluster.actions == [('restore', 'app-web')]


def test_out_of_service_never_removes_a_child_another_hierarchy_needs(lkroot, cluster, fake_cli, run):
    """shared-fs serves db and app2: taking db out of service leaves shared-fs and its disk up."""
    cluster.add_local({'db': ('pgsql-main', ['ip-10.0.0.60', 'shared-fs']), 'shared-fs': ('/shared', ['disk']),
                       'disk': ('/dev/sdq', []), 'app2': ('app2', ['shared-fs'])}, ['app2'],
                      ['shared-fs', 'disk', 'app2'])
    failed, result = run(lk_resource_switch.main, args(lkroot, tags=['db'], state='out_of_service'))
    assert not failed, result
    assert cluster.actions == [('remove', 'db'), ('remove', 'ip-10.0.0.60')]
    assert cluster.states[LOCAL]['app2'] == cluster.states[LOCAL]['shared-fs'] == cluster.states[LOCAL]['disk'] == 'ISP'
