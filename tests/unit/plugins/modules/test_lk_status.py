# -*- coding: utf-8 -*-
"""lk_status with recorded command output (tests/lksim/ASSUMPTIONS.md: "Status displays", and
mirror_status under "Core")."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from conftest import FakeClock, Hang, fixture_text, rpm_argv
from ansible_collections.hatools.lifekeeper.plugins.module_utils import lifekeeper as lkadapter
from ansible_collections.hatools.lifekeeper.plugins.modules import lk_status

ISP_HERE = fixture_text('e_contract_node1.txt')
LONG = fixture_text('long_contract.txt')
MIXED = fixture_text('e_mixed_node2.txt')
LONG_MIXED = fixture_text('long_mixed_node2.txt')
IN_SYNC = fixture_text('mirror_in_sync.txt')
RESYNC = fixture_text('mirror_resyncing.txt')
NOT_RUNNING = (1, 'LifeKeeper is not running on node1.\n', '')
PACKAGES = 'steeleye-lkDR\t9.9.0\nsteeleye-lk\t9.9.0\n'
RPM_QA = ('/usr/bin/rpm', '-qa', '--qf', '%{NAME}\\t%{VERSION}\\n', 'steeleye-*')


def osu(text):
    return text.replace(' ISP ', ' OSU ').replace('state=ISP', 'state=OSU')


class Node(object):
    """The recorded answers of one node; tests change what they need."""

    def __init__(self, lkroot, fake_cli, tmp_path, version='9.9.0', lktest=0, status_e=None, long=None,
                 initdone=True, defaults='LCMPORT=0\nLCMHBEATTIME=5\nLCMNUMHBEATS=3\n'):
        self.root = root = str(lkroot)
        self.cli = fake_cli
        self.defaults = tmp_path / 'default-LifeKeeper'
        if defaults is not None:
            self.defaults.write_text(defaults)
        fake_cli.set(rpm_argv(), (0, version, '') if version else (1, 'package steeleye-lk is not installed', ''))
        fake_cli.set(RPM_QA, (0, PACKAGES if version else '', ''))
        fake_cli.set((root + '/bin/lktest',), (lktest, '', '') if isinstance(lktest, int) else lktest)
        fake_cli.set((root + '/bin/lcdstatus', '-e'), status_e if status_e is not None else (0, ISP_HERE, ''))
        fake_cli.set((root + '/bin/lcdstatus',), long if long is not None else
                     ((0, LONG, '') if lktest == 0 else NOT_RUNNING))
        fake_cli.set(self.mirror_argv('datarep-data'), (0, IN_SYNC, ''))
        if initdone:
            (lkroot / 'config' / 'LK_INITDONE').write_text('')

    def mirror_argv(self, tag):
        return (self.root + '/bin/mirror_status', tag)

    def args(self, **extra):
        out = {'lkroot': self.root, 'defaults_file': str(self.defaults)}
        out.update(extra)
        return out

    def count(self, *argv):
        return self.cli.argvs().count((self.root + '/bin/' + argv[0],) + argv[1:])


@pytest.fixture
def node(lkroot, fake_cli, tmp_path):
    return Node(lkroot, fake_cli, tmp_path)


def test_running_node_full_result(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, status_e=(0, MIXED, ''), long=(0, LONG_MIXED, ''))
    fake_cli.set(node.mirror_argv('datarep-db'), (0, IN_SYNC.replace('datarep-data', 'datarep-db'), ''))
    failed, result = run(lk_status.main, node.args())
    assert not failed, result
    assert result['changed'] is False and result['answered'] is True
    assert (result['installed'], result['running'], result['ready']) == (True, True, True)
    assert (result['version'], result['generation']) == ('9.9.0', 'lkcli')
    assert result['node_name'] == 'node2'
    res = dict((r['tag'], r) for r in result['resources'])
    assert res['datarep-db']['depth'] == 2 and res['datarep-db']['parent'] == 'fs-db'
    assert res['db']['children'] == ['fs-db', 'ip-10.0.0.60']
    assert (res['db']['type'], res['fs-db']['type'], res['ip-10.0.0.60']['type']) == \
        ('database/pgsql', 'gen/filesys', 'comm/ip')
    assert [t for t in res if res[t]['mirror']] == ['datarep-data', 'datarep-db']
    assert result['comm_paths'][2] == {'machine': 'node3', 'network': 'TTY', 'addresses': '/dev/ttyS0',
                                       'state': 'ALIVE', 'priority': None}
    summary = result['summary']
    assert summary['in_service_here'] == ['db'] and summary['standby_here'] == ['app-web']
    assert summary['failed_anywhere'] == ['local-only'] and summary['all_paths_alive'] is False
    assert result['missing'] == []
    # what holds at this read: the resources in service here are not OSU, the TTY path is DEAD
    assert result['holds'] == {'ready': True, 'local_resources_osu': False, 'paths_alive': False,
                               'mirrors_in_sync': True}
    assert [m['tag'] for m in result['mirrors']] == ['datarep-data', 'datarep-db']
    assert all(m['known'] and m['in_sync'] for m in result['mirrors'])
    assert result['packages'] == [{'name': 'steeleye-lk', 'version': '9.9.0'},
                                  {'name': 'steeleye-lkDR', 'version': '9.9.0'}]
    assert result['settings'] == {'LCMPORT': '0', 'LCMHBEATTIME': '5', 'LCMNUMHBEATS': '3', 'lcm_port': 7365}


def test_contract_sample_types_and_one_long_display_per_run(node, fake_cli, run):
    failed, result = run(lk_status.main, node.args(wait_for=['ready', 'paths_alive', 'mirrors_in_sync']))
    assert not failed, result
    assert [(r['tag'], r['type'], r['mirror']) for r in result['resources']] == [
        ('app-web', 'gen/app', False), ('ip-10.0.0.50', 'comm/ip', False), ('datarep-data', 'scsi/netraid', True)]
    assert result['mirrors'] == [{'tag': 'datarep-data', 'source': 'node1', 'in_sync': True, 'known': True,
                                  'targets': [{'name': 'node2', 'state': 'Mirroring', 'progress': 100}]}]
    assert result['node_name'] == 'node1' and result['node_name_from'] == 'display'
    assert node.count('lcdstatus') == 1


def test_known_machines_come_from_the_long_display(lkroot, fake_cli, tmp_path, run):
    # the documented detailed display (SPS 8.10.2 sample) lists the known machines, this one included
    node = Node(lkroot, fake_cli, tmp_path, long=(0, fixture_text('long_sps8102_detailed.txt'), ''))
    failed, result = run(lk_status.main, node.args())
    assert not failed, result
    assert result['known_machines'] == ['CAE-CX-LAB29', 'CAE-CX-LAB30']
    # the contract sample has no such list: nothing is made up
    failed, result = run(lk_status.main, Node(lkroot, fake_cli, tmp_path).args())
    assert not failed and result['known_machines'] == [], result
    failed, result = run(lk_status.main, Node(lkroot, fake_cli, tmp_path, lktest=1, initdone=False).args())
    assert not failed and result['running'] is False and result['known_machines'] == [], result


def test_mirrors_are_found_by_type_not_by_tag(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, status_e=(0, fixture_text('e_mirror_by_type.txt'), ''),
                long=(0, fixture_text('long_mirror_by_type.txt'), ''))
    fake_cli.set(node.mirror_argv('mirror-export'),
                 [(0, RESYNC.replace('datarep-data', 'mirror-export'), ''),
                  (0, IN_SYNC.replace('datarep-data', 'mirror-export'), '')])
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=5, poll_interval=0.01))
    assert not failed, result
    asked = [a[1] for a in fake_cli.argvs() if a[0].endswith('/mirror_status')]
    assert asked == ['mirror-export', 'mirror-export']        # never datarep-lookalike (gen/filesys)
    assert [m['tag'] for m in result['mirrors']] == ['mirror-export']
    assert [r['tag'] for r in result['resources'] if r['mirror']] == ['mirror-export']


def test_not_running_is_a_result_not_a_failure(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, lktest=1, initdone=False)
    failed, result = run(lk_status.main, node.args())
    assert not failed
    assert (result['installed'], result['running'], result['ready']) == (True, False, False)
    assert result['resources'] == [] and result['comm_paths'] == [] and result['mirrors'] == []
    assert result['node_name'] == 'node1' and result['answered'] is True
    assert not any(result['holds'].values()), result['holds']
    # not running: the short display is not read
    assert node.count('lcdstatus', '-e') == 0


def test_not_installed_is_a_result(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, version=None)
    failed, result = run(lk_status.main, node.args())
    assert not failed
    assert (result['installed'], result['running'], result['version'], result['generation']) == \
        (False, False, None, None)
    assert result['node_name'] is None and result['packages'] == [] and result['mirrors'] == []
    assert result['node_name_from'] is None
    assert fake_cli.argvs() == [rpm_argv()]


def test_not_installed_with_wait_for_fails_at_once(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, version=None)
    failed, result = run(lk_status.main, node.args(wait_for=['ready'], timeout=30))
    assert failed and 'not installed' in result['msg']
    assert result['missing'] == ['ready']


def test_legacy_generation(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, version='8.4.1')
    failed, result = run(lk_status.main, node.args())
    assert not failed and result['generation'] == 'legacy'


@pytest.mark.parametrize('text,expected', [
    ('LCMPORT=0\nLCMHBEATTIME=5\nLCMNUMHBEATS=3\n', {'LCMPORT': '0', 'LCMHBEATTIME': '5', 'LCMNUMHBEATS': '3',
                                                     'lcm_port': 7365}),
    ('# comment\nexport LCMPORT="7400"\nLCMHBEATTIME=2\n',
     {'LCMPORT': '7400', 'LCMHBEATTIME': '2', 'LCMNUMHBEATS': None, 'lcm_port': 7400}),
    ('LKROOT=/opt/LifeKeeper\n', {'LCMPORT': None, 'LCMHBEATTIME': None, 'LCMNUMHBEATS': None, 'lcm_port': 7365}),
    (None, {'LCMPORT': None, 'LCMHBEATTIME': None, 'LCMNUMHBEATS': None, 'lcm_port': 7365}),
])
def test_settings(lkroot, fake_cli, tmp_path, run, text, expected):
    node = Node(lkroot, fake_cli, tmp_path, defaults=text)
    failed, result = run(lk_status.main, node.args())
    assert not failed and result['settings'] == expected


def test_wait_until_local_resources_osu(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path,
                status_e=[(0, ISP_HERE, ''), (0, ISP_HERE, ''), (0, osu(ISP_HERE), '')])
    failed, result = run(lk_status.main, node.args(wait_for=['ready', 'local_resources_osu'], timeout=5,
                                                   poll_interval=0.01))
    assert not failed, result['msg'] if failed else ''
    assert [r['state'] for r in result['resources']] == ['OSU'] * 3
    assert result['summary']['standby_here'] == ['app-web']
    assert node.count('lcdstatus', '-e') == 3
    assert result['missing'] == [] and result['waited'] < 5
    assert result['holds']['local_resources_osu'] is True and result['holds']['ready'] is True


def test_a_resync_in_progress_does_not_hold_mirrors_in_sync(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, status_e=(0, fixture_text('e_mirror_by_type.txt'), ''),
                long=(0, fixture_text('long_mirror_by_type.txt'), ''))
    fake_cli.set(node.mirror_argv('mirror-export'), (0, RESYNC.replace('datarep-data', 'mirror-export'), ''))
    failed, result = run(lk_status.main, node.args())
    assert not failed, result
    assert result['holds']['mirrors_in_sync'] is False and result['missing'] == []


def test_timeout_fails_with_last_state_and_missing(node, run):
    failed, result = run(lk_status.main, node.args(wait_for=['local_resources_osu', 'paths_alive'],
                                                   timeout=0.3, poll_interval=0.05))
    assert failed
    assert 'timed out after 0.3s' in result['msg']
    assert 'app-web=ISP' in result['msg']
    assert result['missing'] == ['local_resources_osu: not OSU here: app-web=ISP, ip-10.0.0.50=ISP, datarep-data=ISP']
    assert result['resources'][0]['tag'] == 'app-web' and result['running'] is True
    assert 0.3 <= result['waited'] < 2


def test_wait_ready_while_not_running(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, lktest=1, initdone=False)
    failed, result = run(lk_status.main, node.args(wait_for=['ready', 'paths_alive'], timeout=0.1,
                                                   poll_interval=0.02))
    assert failed
    assert result['missing'] == ['ready: LifeKeeper is not running', 'paths_alive: LifeKeeper is not running']


def test_running_but_not_ready(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, initdone=False)
    failed, result = run(lk_status.main, node.args(wait_for=['ready'], timeout=0.1, poll_interval=0.02))
    assert failed and result['running'] is True and result['ready'] is False
    assert 'no LK_INITDONE' in result['missing'][0]


def test_wait_until_ready_after_start(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, initdone=False)
    initdone = lkroot / 'config' / 'LK_INITDONE'
    polls = []

    def lktest(argv):
        polls.append(argv)
        if len(polls) == 3:
            initdone.write_text('')
        return (1, '', '') if len(polls) < 2 else (0, '', '')

    fake_cli.set((node.root + '/bin/lktest',), lktest)
    failed, result = run(lk_status.main, node.args(wait_for=['ready'], timeout=5, poll_interval=0.01))
    assert not failed and result['ready'] is True
    # poll 1: not running; poll 2: running, no LK_INITDONE; poll 3: ready
    assert len(polls) == 3


def test_tags_in_service(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, status_e=[(0, osu(ISP_HERE), ''), (0, ISP_HERE, '')])
    failed, result = run(lk_status.main, node.args(wait_for=['tags_in_service'], tags=['app-web', 'datarep-data'],
                                                   timeout=5, poll_interval=0.01))
    assert not failed
    assert result['summary']['in_service_here'] == ['app-web']


def test_tags_in_service_timeout_names_states(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, status_e=(0, MIXED, ''), long=(0, LONG_MIXED, ''))
    fake_cli.set(node.mirror_argv('datarep-db'), (0, IN_SYNC.replace('datarep-data', 'datarep-db'), ''))
    failed, result = run(lk_status.main, node.args(wait_for=['tags_in_service'], tags=['db', 'app-web'],
                                                   timeout=0.05, poll_interval=0.01))
    assert failed and result['missing'] == ['tags_in_service: not ISP here: app-web=OSU']


@pytest.mark.parametrize('wait_for', [['tags_in_service'], []])
def test_unknown_tag_fails_listing_known_tags(node, run, wait_for):
    failed, result = run(lk_status.main, node.args(wait_for=wait_for, tags=['app-web', 'nope'], timeout=5))
    assert failed
    assert result['msg'] == 'unknown tag(s) nope; known tags: app-web, ip-10.0.0.50, datarep-data'
    assert result['known_tags'] == ['app-web', 'ip-10.0.0.50', 'datarep-data']


def test_tags_in_service_needs_tags(node, fake_cli, run):
    failed, result = run(lk_status.main, node.args(wait_for=['tags_in_service']))
    assert failed and 'tags' in result['msg']
    assert fake_cli.calls == []


def test_bad_wait_for_choice(lkroot, fake_cli, run):
    failed, result = run(lk_status.main, {'lkroot': str(lkroot), 'wait_for': ['sunshine']})
    assert failed and 'sunshine' in result['msg']


@pytest.mark.parametrize('option,value,shown', [
    ('timeout', 'inf', 'inf'), ('timeout', 'nan', 'nan'), ('timeout', -1, '-1'), ('timeout', 604801, '604801'),
    ('command_timeout', 0, '0'), ('command_timeout', 'inf', 'inf'), ('command_timeout', -5, '-5'),
    ('poll_interval', -0.5, '-0.5'), ('poll_interval', 0, '0'), ('poll_interval', 'nan', 'nan'),
])
def test_absurd_seconds_are_refused_naming_the_value(node, fake_cli, run, option, value, shown):
    failed, result = run(lk_status.main, node.args(**{option: value, 'wait_for': ['ready']}))
    assert failed
    assert result['msg'].startswith('%s must be a number of seconds' % option)
    assert shown in result['msg'] and '7 days' in result['msg']
    assert fake_cli.calls == []


def test_paths_alive(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, status_e=(0, MIXED, ''), long=(0, LONG_MIXED, ''))
    fake_cli.set(node.mirror_argv('datarep-db'), (0, IN_SYNC.replace('datarep-data', 'datarep-db'), ''))
    failed, result = run(lk_status.main, node.args(wait_for=['paths_alive'], timeout=0.05, poll_interval=0.01))
    assert failed and result['missing'] == ['paths_alive: DEAD: node3 10.0.0.12/10.0.0.13']
    node = Node(lkroot, fake_cli, tmp_path)
    failed, result = run(lk_status.main, node.args(wait_for=['paths_alive']))
    assert not failed and result['summary']['all_paths_alive'] is True


def test_mirrors_in_sync(node, fake_cli, run):
    fake_cli.set(node.mirror_argv('datarep-data'), [(0, RESYNC, ''), (0, IN_SYNC, '')])
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=5, poll_interval=0.01))
    assert not failed
    assert result['mirrors'] == [{'tag': 'datarep-data', 'source': 'node1', 'in_sync': True, 'known': True,
                                  'targets': [{'name': 'node2', 'state': 'Mirroring', 'progress': 100}]}]
    assert node.count('mirror_status', 'datarep-data') == 2


def test_mirrors_not_in_sync_timeout(node, fake_cli, run):
    fake_cli.set(node.mirror_argv('datarep-data'), (0, RESYNC, ''))
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=0.05, poll_interval=0.01))
    assert failed
    assert result['missing'] == ['mirrors_in_sync: datarep-data: node2 Resyncing 45%']
    assert result['mirrors'][0]['in_sync'] is False and result['mirrors'][0]['known'] is True


@pytest.mark.parametrize('answer,why', [
    (IN_SYNC.replace('datarep-data', 'datarep-other'), "about mirror 'datarep-other', not 'datarep-data'"),
    ('Mirror: datarep-data\nSource: node1\nTARGET   STATE       PROGRESS\n', 'no target rows'),
    ('Mirror: datarep-data\nSource: node1\n', 'no target rows'),
])
def test_a_mirror_answer_about_another_tag_or_without_targets_is_unknown(node, fake_cli, run, answer, why):
    fake_cli.set(node.mirror_argv('datarep-data'), (0, answer, ''))
    failed, result = run(lk_status.main, node.args())
    assert not failed                                   # without wait_for: a result
    mirror = result['mirrors'][0]
    assert (mirror['known'], mirror['in_sync'], mirror['targets']) == (False, False, [])
    assert why in mirror['error']
    # the node answered: only this mirror is unknown (a peer removed by rmlk leaves a mirror
    # without targets on the node that stays)
    assert result['answered'] is True and result['resources'], result
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=0.05,
                                                   poll_interval=0.01))
    assert failed and 'datarep-data: state unknown' in result['msg'] and why in result['msg']


def test_a_failing_mirror_status_command_is_lifekeeper_not_answering(node, fake_cli, run):
    fake_cli.set(node.mirror_argv('datarep-data'), (1, '', 'mirror_status: internal error'))
    failed, result = run(lk_status.main, node.args())
    assert not failed
    mirror = result['mirrors'][0]
    assert (mirror['known'], mirror['in_sync']) == (False, False)
    assert result['answered'] is False and 'mirror_status' in result['message']


def test_hung_status_without_wait_for_is_a_result(node, fake_cli, run):
    fake_cli.set((node.root + '/bin/lcdstatus', '-e'), Hang())
    failed, result = run(lk_status.main, node.args(command_timeout=4))
    assert not failed
    assert result['answered'] is False and result['running'] is True
    assert result['message'] == 'lcdstatus -e did not finish within 4 s: its process group was killed'
    assert result['resources'] == []


def test_status_command_error_is_an_unanswered_result(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, status_e=(3, '', 'internal error'))
    failed, result = run(lk_status.main, node.args())
    assert not failed and result['answered'] is False
    assert result['message'] == 'lcdstatus -e failed (rc=3): internal error'


def test_unreadable_long_display_leaves_types_unknown(lkroot, fake_cli, tmp_path, run):
    doubled = LONG + '\ndatarep-data: id=/data app=scsi type=netraid state=ISP\n'
    node = Node(lkroot, fake_cli, tmp_path, long=(0, doubled, ''))
    failed, result = run(lk_status.main, node.args())
    assert not failed and result['answered'] is False
    assert 'tag datarep-data appears twice' in result['message'] and 'lcdstatus (long display)' in result['message']
    assert [r['type'] for r in result['resources']] == [None, None, None]
    assert result['mirrors'] == []      # no type, no mirror: never "in sync" by default
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=0, poll_interval=0.01))
    assert failed and 'resource types unknown' in result['msg']


@pytest.fixture
def fake_time(monkeypatch):
    clock = FakeClock()

    class Time(object):
        monotonic = staticmethod(clock)
        sleep = staticmethod(clock.sleep)
        time = staticmethod(lambda: clock.now)
    monkeypatch.setattr(lkadapter, 'time', Time)
    return clock


@pytest.mark.parametrize('hung', [('lcdstatus', '-e'), ('lktest',), ('mirror_status', 'datarep-data')])
def test_a_hung_command_never_stretches_the_wait_past_one_poll_and_one_command_deadline(
        node, fake_cli, run, fake_time, hung):
    hang = Hang(clock=fake_time)
    fake_cli.set((node.root + '/bin/' + hung[0],) + hung[1:], hang)
    started = fake_time.now
    wait_for = ['ready', 'paths_alive', 'mirrors_in_sync']
    failed, result = run(lk_status.main, node.args(wait_for=wait_for, timeout=10, poll_interval=1,
                                                   command_timeout=4))
    elapsed = fake_time.now - started
    assert failed
    assert '%s did not finish within 4 s' % ' '.join(hung) in result['msg']
    assert elapsed <= 10 + 1 + 4
    assert result['waited'] == pytest.approx(elapsed)
    assert result['answered'] is False
    # every command got at most command_timeout, and none ran past deadline + command_timeout
    assert max(hang.deadlines) <= 4 and len(hang.deadlines) >= 2


def test_commands_inside_a_wait_are_capped_by_the_wait_deadline(node, fake_cli, run, fake_time):
    """lktest hangs 4 s per poll, the wait is 5 s: the second lktest may only run to 5 + 4."""
    hang = Hang(clock=fake_time)
    fake_cli.set((node.root + '/bin/lktest',), hang)
    started = fake_time.now
    failed, result = run(lk_status.main, node.args(wait_for=['ready'], timeout=5, poll_interval=3,
                                                   command_timeout=4))
    assert failed
    assert hang.deadlines == [4, 4]
    assert fake_time.now - started == pytest.approx(4 + 1 + 4)


def test_check_mode_reads_the_same(node, run):
    failed, result = run(lk_status.main, node.args(), check_mode=True)
    assert not failed and result['changed'] is False and len(result['resources']) == 3


def test_every_command_has_a_deadline(node, fake_cli, run):
    run(lk_status.main, node.args(wait_for=['ready', 'mirrors_in_sync'], command_timeout=9))
    assert fake_cli.calls
    for _argv, kwargs in fake_cli.calls:
        assert kwargs['timeout'] == 9


def test_empty_display_while_waiting_for_tags_keeps_polling(lkroot, fake_cli, tmp_path, run):
    header_only = fixture_text('header_only_e.txt')
    node = Node(lkroot, fake_cli, tmp_path, status_e=[(0, header_only, ''), (0, ISP_HERE, '')])
    failed, result = run(lk_status.main, node.args(wait_for=['tags_in_service'], tags=['app-web'], timeout=5,
                                                   poll_interval=0.01))
    assert not failed and result['missing'] == []


def test_empty_display_timeout_names_unknown_tag(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path, status_e=(0, fixture_text('header_only_e.txt'), ''))
    failed, result = run(lk_status.main, node.args(wait_for=['tags_in_service', 'paths_alive'], tags=['app-web'],
                                                   timeout=0.05, poll_interval=0.01))
    assert failed
    assert result['missing'] == ['tags_in_service: unknown tag(s) app-web; known tags: (none)',
                                 'paths_alive: no communication paths']


# ---- issue 18: a row that cannot be read never shrinks the answer --------------------------------
# The mirror's ID holds a blank; the columns are not aligned, so its row cannot be read.
MIRROR_ROW_UNREADABLE = ISP_HERE.replace('node2    datarep-data  /data         ISP       1  node1',
                                         'node2 datarep-data /data 2 ISP 1 node1')


def test_an_unreadable_mirror_row_never_lets_mirrors_in_sync_pass(node, fake_cli, run):
    assert MIRROR_ROW_UNREADABLE != ISP_HERE
    fake_cli.set((node.root + '/bin/lcdstatus', '-e'), (0, MIRROR_ROW_UNREADABLE, ''))
    fake_cli.set(node.mirror_argv('datarep-data'), (0, RESYNC, ''))
    failed, result = run(lk_status.main, node.args())
    assert not failed and result['answered'] is False and result['resources'] == []
    assert "unreadable status display row 'node2 datarep-data /data 2 ISP 1 node1'" in result['message']
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=0.05, poll_interval=0.01))
    assert failed and "'node2 datarep-data /data 2 ISP 1 node1'" in result['msg']


def test_an_id_with_a_blank_in_aligned_columns_is_read_and_its_mirror_checked(node, fake_cli, run):
    aligned = ISP_HERE.replace('node2    datarep-data  /data         ISP',
                               'node2    datarep-data  /data 2       ISP')
    fake_cli.set((node.root + '/bin/lcdstatus', '-e'), (0, aligned, ''))
    fake_cli.set(node.mirror_argv('datarep-data'), (0, RESYNC, ''))
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=0.05, poll_interval=0.01))
    assert failed
    assert [r['id'] for r in result['resources']] == ['app-web', 'IP-10.0.0.50', '/data 2']
    assert result['missing'] == ['mirrors_in_sync: datarep-data: node2 Resyncing 45%']


def test_a_mirror_of_the_long_display_missing_from_the_short_display_is_not_in_sync(node, fake_cli, run):
    without_mirror = '\n'.join(line for line in ISP_HERE.splitlines() if 'datarep-data' not in line) + '\n'
    fake_cli.set((node.root + '/bin/lcdstatus', '-e'), (0, without_mirror, ''))
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=0.05, poll_interval=0.01))
    assert failed
    assert result['mirrors'][0]['tag'] == 'datarep-data' and result['mirrors'][0]['in_sync'] is False
    assert 'the long display (lcdstatus) shows mirror datarep-data, lcdstatus -e does not' in result['msg']


def test_waiting_for_mirrors_reads_the_long_display_at_every_poll(node, fake_cli, run):
    fake_cli.set(node.mirror_argv('datarep-data'), [(0, RESYNC, ''), (0, RESYNC, ''), (0, IN_SYNC, '')])
    failed, result = run(lk_status.main, node.args(wait_for=['mirrors_in_sync'], timeout=5, poll_interval=0.01))
    assert not failed, result
    assert node.count('mirror_status', 'datarep-data') == 3
    assert node.count('lcdstatus') == 3


@pytest.mark.parametrize('value', ['seven', u'\u00b2', u'\u0667\u0663\u0666\u0665', '70000', '-1'])
def test_an_lcmport_that_is_not_a_port_fails_naming_key_value_and_file(lkroot, fake_cli, tmp_path, run, value):
    node = Node(lkroot, fake_cli, tmp_path, defaults=u'LCMPORT=%s\n' % value)
    failed, result = run(lk_status.main, node.args())
    assert failed
    assert result['msg'].startswith(u'LCMPORT=%s in %s is not a port number' % (value, node.defaults))


def test_a_defaults_file_that_is_not_utf8_fails_naming_the_file(lkroot, fake_cli, tmp_path, run):
    node = Node(lkroot, fake_cli, tmp_path)
    node.defaults.write_bytes(b'LCMPORT=0\n# caf\xe9\n')
    failed, result = run(lk_status.main, node.args())
    assert failed
    assert result['msg'] == '%s is not UTF-8 text: byte 0xe9 on line 2 cannot be read' % node.defaults
