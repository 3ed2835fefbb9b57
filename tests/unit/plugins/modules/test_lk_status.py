# -*- coding: utf-8 -*-
"""lk_status with recorded command output."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest

from ansible_collections.hatools.lifekeeper.plugins.modules import lk_status

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'module_utils', 'fixtures')


def fixture_text(name):
    with open(os.path.join(FIXTURES, name), encoding='utf-8') as handle:
        return handle.read()


def rpm_argv():
    # the conftest fake_cli fixture resolves rpm to /usr/bin/rpm
    return ('/usr/bin/rpm', '-q', '--qf', '%{VERSION}', 'steeleye-lk')


ISP_HERE = fixture_text('doc_example_q.txt')
MIXED = fixture_text('e_mixed_node2.txt')


def osu(text):
    return text.replace(' ISP ', ' OSU ')


def setup(lkroot, fake_cli, version='9.9.0', lktest=0, status_e=None, status_q=None, initdone=True):
    root = str(lkroot)
    fake_cli.set(rpm_argv(), (0, version, '') if version else (1, 'package steeleye-lk is not installed', ''))
    fake_cli.set((root + '/bin/lktest',), (lktest, '', '') if isinstance(lktest, int) else lktest)
    not_running = (1, 'LifeKeeper is not running on node-a.\n', '')
    fake_cli.set((root + '/bin/lcdstatus', '-e'), status_e if status_e is not None else (0, ISP_HERE, ''))
    fake_cli.set((root + '/bin/lcdstatus', '-q'), status_q if status_q is not None else
                 ((0, ISP_HERE, '') if lktest == 0 else not_running))
    if initdone:
        (lkroot / 'config' / 'LK_INITDONE').write_text('')
    return root


def test_running_node_full_result(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, status_e=(0, MIXED, ''))
    failed, result = run(lk_status.main, {'lkroot': root})
    assert not failed and result['changed'] is False
    assert (result['installed'], result['running'], result['ready']) == (True, True, True)
    assert (result['version'], result['generation']) == ('9.9.0', 'lkcli')
    assert result['node_name'] == 'node-a'
    res = dict((r['tag'], r) for r in result['resources'])
    assert res['datarep-db']['depth'] == 2 and res['datarep-db']['parent'] == 'fs-db'
    assert res['db']['children'] == ['fs-db', 'ip-10.0.0.60']
    assert result['comm_paths'][2] == {'machine': 'node3', 'network': 'TTY', 'addresses': '/dev/ttyS0',
                                       'state': 'ALIVE', 'priority': None}
    summary = result['summary']
    assert summary['in_service_here'] == ['db'] and summary['standby_here'] == ['app-web']
    assert summary['failed_anywhere'] == ['local-only'] and summary['all_paths_alive'] is False
    assert result['missing'] == []


def test_not_running_is_a_result_not_a_failure(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, lktest=1, initdone=False)
    failed, result = run(lk_status.main, {'lkroot': root})
    assert not failed
    assert (result['installed'], result['running'], result['ready']) == (True, False, False)
    assert result['resources'] == [] and result['comm_paths'] == []
    assert result['node_name'] == 'node-a'
    # not running: no status display is read
    assert (root + '/bin/lcdstatus', '-e') not in fake_cli.argvs()


def test_not_installed_is_a_result(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, version=None)
    failed, result = run(lk_status.main, {'lkroot': root})
    assert not failed
    assert (result['installed'], result['running'], result['version'], result['generation']) == \
        (False, False, None, None)
    assert result['node_name'] is None
    assert fake_cli.argvs() == [rpm_argv()]


def test_not_installed_with_wait_for_fails_at_once(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, version=None)
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['ready'], 'timeout': 30})
    assert failed and 'not installed' in result['msg']
    assert result['missing'] == ['ready']


def test_legacy_generation(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, version='8.4.1')
    failed, result = run(lk_status.main, {'lkroot': root})
    assert not failed and result['generation'] == 'legacy'


def test_wait_until_local_resources_osu(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, status_e=[(0, ISP_HERE, ''), (0, ISP_HERE, ''), (0, osu(ISP_HERE), '')])
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['ready', 'local_resources_osu'],
                                          'timeout': 5, 'poll_interval': 0.01})
    assert not failed, result['msg'] if failed else ''
    assert [r['state'] for r in result['resources']] == ['OSU'] * 3
    assert result['summary']['standby_here'] == ['app-web']
    assert fake_cli.argvs().count((root + '/bin/lcdstatus', '-e')) == 3
    assert result['missing'] == [] and result['waited'] < 5


def test_timeout_fails_with_last_state_and_missing(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli)
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['local_resources_osu', 'paths_alive'],
                                          'timeout': 0.3, 'poll_interval': 0.05})
    assert failed
    assert 'timed out after 0.3s' in result['msg']
    assert 'app-web=ISP' in result['msg']
    assert result['missing'] == ['local_resources_osu: not OSU here: app-web=ISP, ip-10.0.0.50=ISP, datarep-data=ISP']
    assert result['resources'][0]['tag'] == 'app-web' and result['running'] is True
    assert 0.3 <= result['waited'] < 2


def test_wait_ready_while_not_running(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, lktest=1, initdone=False)
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['ready', 'paths_alive'],
                                          'timeout': 0.1, 'poll_interval': 0.02})
    assert failed
    assert result['missing'] == ['ready: LifeKeeper is not running', 'paths_alive: LifeKeeper is not running']


def test_running_but_not_ready(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, initdone=False)
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['ready'],
                                          'timeout': 0.1, 'poll_interval': 0.02})
    assert failed and result['running'] is True and result['ready'] is False
    assert 'no LK_INITDONE' in result['missing'][0]


def test_wait_until_ready_after_start(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, initdone=False)
    initdone = lkroot / 'config' / 'LK_INITDONE'
    polls = []

    def lktest(argv):
        polls.append(argv)
        if len(polls) == 3:
            initdone.write_text('')
        return (1, '', '') if len(polls) < 2 else (0, '', '')

    fake_cli.set((root + '/bin/lktest',), lktest)
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['ready'], 'timeout': 5,
                                          'poll_interval': 0.01})
    assert not failed and result['ready'] is True
    # poll 1: not running; poll 2: running, no LK_INITDONE; poll 3: ready
    assert len(polls) == 3


def test_tags_in_service(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, status_e=[(0, osu(ISP_HERE), ''), (0, ISP_HERE, '')])
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['tags_in_service'],
                                          'tags': ['app-web', 'datarep-data'], 'timeout': 5,
                                          'poll_interval': 0.01})
    assert not failed
    assert result['summary']['in_service_here'] == ['app-web']


def test_tags_in_service_timeout_names_states(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, status_e=(0, MIXED, ''))
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['tags_in_service'],
                                          'tags': ['db', 'app-web'], 'timeout': 0.05, 'poll_interval': 0.01})
    assert failed and result['missing'] == ['tags_in_service: not ISP here: app-web=OSU']


@pytest.mark.parametrize('wait_for', [['tags_in_service'], []])
def test_unknown_tag_fails_listing_known_tags(lkroot, fake_cli, run, wait_for):
    root = setup(lkroot, fake_cli)
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': wait_for, 'tags': ['app-web', 'nope'],
                                          'timeout': 5})
    assert failed
    assert result['msg'] == 'unknown tag(s) nope; known tags: app-web, ip-10.0.0.50, datarep-data'
    assert result['known_tags'] == ['app-web', 'ip-10.0.0.50', 'datarep-data']


def test_tags_in_service_needs_tags(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli)
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['tags_in_service']})
    assert failed and 'tags' in result['msg']
    assert fake_cli.calls == []


def test_bad_wait_for_choice(lkroot, fake_cli, run):
    failed, result = run(lk_status.main, {'lkroot': str(lkroot), 'wait_for': ['sunshine']})
    assert failed and 'sunshine' in result['msg']


def test_paths_alive(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, status_e=(0, MIXED, ''))
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['paths_alive'], 'timeout': 0.05,
                                          'poll_interval': 0.01})
    assert failed and result['missing'] == ['paths_alive: DEAD: node3 10.0.0.12/10.0.0.13']
    root = setup(lkroot, fake_cli)
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['paths_alive']})
    assert not failed and result['summary']['all_paths_alive'] is True


def test_mirrors_in_sync(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli)
    fake_cli.set((root + '/bin/mirror_status', 'datarep-data'),
                 [(0, fixture_text('mirror_resyncing.txt'), ''), (0, fixture_text('mirror_in_sync.txt'), '')])
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['mirrors_in_sync'], 'timeout': 5,
                                          'poll_interval': 0.01})
    assert not failed
    assert result['mirrors'] == [{'tag': 'datarep-data', 'source': 'node1', 'in_sync': True,
                                  'targets': [{'name': 'node2', 'state': 'Mirroring', 'progress': 100}]}]
    # only datarep-* tags are asked
    assert [a for a in fake_cli.argvs() if 'mirror_status' in a[0]] == [(root + '/bin/mirror_status', 'datarep-data')] * 2


def test_mirrors_not_in_sync_timeout(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli)
    fake_cli.set((root + '/bin/mirror_status', 'datarep-data'), (0, fixture_text('mirror_resyncing.txt'), ''))
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['mirrors_in_sync'], 'timeout': 0.05,
                                          'poll_interval': 0.01})
    assert failed
    assert result['missing'] == ['mirrors_in_sync: datarep-data: node2 Resyncing 45%']
    assert result['mirrors'][0]['in_sync'] is False


def test_status_command_error_fails_with_details(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, status_e=(3, '', 'internal error'))
    failed, result = run(lk_status.main, {'lkroot': root})
    assert failed and result['rc'] == 3 and result['stderr'] == 'internal error'
    assert result['cmd'] == [root + '/bin/lcdstatus', '-e']


def test_check_mode_reads_the_same(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli)
    failed, result = run(lk_status.main, {'lkroot': root}, check_mode=True)
    assert not failed and result['changed'] is False and len(result['resources']) == 3


def test_every_command_is_an_argument_list_with_c_locale(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli)
    fake_cli.set((root + '/bin/mirror_status', 'datarep-data'), (0, fixture_text('mirror_in_sync.txt'), ''))
    run(lk_status.main, {'lkroot': root, 'wait_for': ['ready', 'mirrors_in_sync']})
    assert fake_cli.calls
    for _argv, kwargs in fake_cli.calls:
        assert kwargs['environ_update']['LC_ALL'] == 'C'
        assert kwargs['use_unsafe_shell'] is False


def test_empty_display_while_waiting_for_tags_keeps_polling(lkroot, fake_cli, run):
    header_only = fixture_text('header_only_e.txt')
    root = setup(lkroot, fake_cli, status_e=[(0, header_only, ''), (0, ISP_HERE, '')])
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['tags_in_service'], 'tags': ['app-web'],
                                          'timeout': 5, 'poll_interval': 0.01})
    assert not failed and result['missing'] == []


def test_empty_display_timeout_names_unknown_tag(lkroot, fake_cli, run):
    root = setup(lkroot, fake_cli, status_e=(0, fixture_text('header_only_e.txt'), ''))
    failed, result = run(lk_status.main, {'lkroot': root, 'wait_for': ['tags_in_service', 'paths_alive'],
                                          'tags': ['app-web'], 'timeout': 0.05, 'poll_interval': 0.01})
    assert failed
    assert result['missing'] == ['tags_in_service: unknown tag(s) app-web; known tags: (none)',
                                 'paths_alive: no communication paths']
