# -*- coding: utf-8 -*-
"""The reinstall path's records: which reinstalls a rerun completes, which another run left
(with the manual steps), the kits, the guide's caveat."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import json

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import reinstall

from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.node_statuses import node, res, unknown

RECORD = {'run_id': 'R1', 'target_version': '9.9.0', 'step': 'removing', 'time': 't',
          'archive': '/var/lib/hatools-lifekeeper/reinstall/archive.1.tar.gz',
          'controller_copy': '/ctl/art/R1/n2/reinstall/archive.1.tar.gz',
          'kits': ['steeleye-lkDR'], 'version_before': '9.6.0', 'node_name': 'node2'}


def slurped(record):
    return {'content': base64.b64encode(json.dumps(record).encode()).decode(), 'encoding': 'base64'}


def not_installed():
    return dict(node('node2', None, []), installed=False, running=False, version=None)


def test_progress_records_from_a_loop_or_per_host():
    results = [dict(slurped(RECORD), node='n2'), {'node': 'n1', 'msg': 'file not found', 'failed_when_result': False},
               {'node': 'n3', 'content': base64.b64encode(b'not json').decode()}, {'node': 'n4', 'unreachable': True}]
    assert reinstall.progress_records(results, 'node') == {'n2': RECORD, 'n1': None, 'n3': None, 'n4': None}
    assert reinstall.progress_records({'n2': slurped(RECORD), 'n1': {'msg': 'no file'}}) == {'n2': RECORD, 'n1': None}


def test_progress_records_from_the_host_info_reads_of_pre_flight():
    def read(content, error=None):
        return {'changed': False, 'records': [{'path': '/var/lib/hatools-lifekeeper/update-progress.json',
                                               'exists': content is not None, 'content': content, 'error': error}]}
    reads = {'n1': read(RECORD), 'n2': read(None), 'n3': read(None, 'not JSON: Expecting value'),
             'n4': {'unreachable': True, 'msg': 'gone'}, 'n5': dict(read(RECORD), failed=True), 'n6': read(['a list'])}
    assert reinstall.progress_records(reads) == {'n1': RECORD, 'n2': None, 'n3': None, 'n4': None, 'n5': None,
                                                 'n6': None}


@pytest.mark.parametrize('status, step, run_id, expected', [
    (not_installed(), 'removing', 'R1', True),
    (dict(node('node2', '9.6.0', []), running=False), 'restoring', 'R1', True),   # rmlk left the packages
    (not_installed(), 'relearning', 'R1', True),
    (not_installed(), 'removing', 'R2', False),                                     # another run's
    (not_installed(), 'started', 'R1', False),                                      # before the backups
    (node('node2', '9.9.0', [res('app', 'OSU')]), 'relearning', 'R1', False),        # works again
    (unknown(), 'removing', 'R1', False),                                           # not read: not decided
])
def test_resuming(status, step, run_id, expected):
    records = {'n2': dict(RECORD, step=step), 'n1': None}
    statuses = {'n2': status, 'n1': node('node1', '9.6.0', [res('app', 'ISP')])}
    assert reinstall.resuming(records, statuses, run_id) == ({'n2': dict(RECORD, step=step)} if expected else {})


def test_another_runs_reinstall_is_refused_with_the_run_and_the_manual_steps():
    problems = reinstall.reinstall_problems({'n2': RECORD}, {'n2': not_installed()}, 'R9')
    assert len(problems) == 1
    text = problems[0]
    assert text.startswith('n2: run R1 stopped while reinstalling LifeKeeper here (step removing, after its backups): '
                           'rerun with -e lk_run_id=R1 to complete it, or by hand: ')
    assert ('1. install LifeKeeper 9.9.0 with setup from the media with the recovery kits steeleye-lkDR; '
            '2. /opt/LifeKeeper/bin/lkbackup -x -f /var/lib/hatools-lifekeeper/reinstall/archive.1.tar.gz (or its '
            'controller copy /ctl/art/R1/n2/reinstall/archive.1.tar.gz); 3. keep the new /etc/default/LifeKeeper and '
            'review the old values (in the archive); 4. start LifeKeeper on n2') in text
    assert 'lkcli stop' not in text        # no peer is stopped or restored
    assert reinstall.reinstall_problems({'n2': RECORD}, {'n2': not_installed()}, 'R1') == []


def test_manual_steps_of_a_rebuild_reinstall_name_the_rebuild():
    steps = reinstall.manual_steps('n2', dict(RECORD, mode='rebuild', kits=[]), '/opt/LK/')
    assert steps.startswith('1. install LifeKeeper 9.9.0 with setup from the media; 2. once every node runs 9.9.0, '
                            'rebuild the communication paths and hierarchies (')
    assert 'lkbackup -x' not in steps and 'with the recovery kits' not in steps


def test_kits_are_every_package_but_the_core():
    packages = [{'name': 'steeleye-lk', 'version': '9.6.0'}, {'name': 'steeleye-lkNFS', 'version': '9.6.0'},
                {'name': 'steeleye-lkDR', 'version': '9.6.0'}]
    assert reinstall.kits(packages) == ['steeleye-lkDR', 'steeleye-lkNFS']
    assert reinstall.kits(None) == []


def test_caveat_for_9x_archive_restores_only():
    assert reinstall.caveat('n1', '9.9.0').startswith('n1: reinstall to 9.9.0: OUTSIDE THE v9.9.0 GUIDE')
    assert 'keeps the lkbackup archive for going back' in reinstall.caveat('n1', '9.9.0', True)
    assert reinstall.caveat('n1', '9.9.0', False) == ''
    assert reinstall.caveat('n1', '8.4.1') == ''


def test_resume_warnings_name_the_archive_unless_rebuilt():
    text = reinstall.resume_warnings({'n2': RECORD})[0]
    assert text.startswith('n2: completing the reinstall this run left at step removing')
    assert RECORD['archive'] in text
    assert RECORD['archive'] not in reinstall.resume_warnings({'n2': dict(RECORD, mode='rebuild')})[0]


def test_rebuild_missing_names_what_is_in_service_nowhere():
    after = {'n1': node('node1', '9.9.0', [res('app', 'ISP'), res('db', 'OSU')]),
             'n2': node('node2', '9.9.0', [res('app', 'OSU'), res('db', 'OSU')]), 'n3': unknown()}
    assert reinstall.rebuild_missing({'app': 'n1', 'db': 'n2', 'web': 'n1'}, after) == ['db', 'web']
    assert reinstall.rebuild_missing({'app': 'n2'}, after) == []
    assert reinstall.rebuild_missing({}, after) == []


def test_peers_missing_reads_what_each_peer_shows():
    def peer(paths, running=True):
        return dict(node('node1', '9.6.0', [res('app', 'ISP')], paths=()), comm_paths=paths, running=running)
    alive = [{'machine': 'node2', 'state': 'ALIVE'}]
    me = node('node2', '9.9.0', [])
    assert reinstall.peers_missing('n2', {'n1': peer(alive), 'n2': me}) == []
    assert reinstall.peers_missing('n2', {'n1': peer([]), 'n2': me}) == [
        'n1: no communication path to node2 (the peer does not know it)']
    assert reinstall.peers_missing('n2', {'n1': peer([{'machine': 'node2', 'state': 'DEAD'}]), 'n2': me}) == [
        'n1: communication path(s) to node2 DEAD']
    assert reinstall.peers_missing('n2', {'n1': peer(alive, running=False), 'n2': me}) == [
        'n1: not read, or LifeKeeper not running there']
    assert reinstall.peers_missing('n2', {'n1': unknown(), 'n2': me}, 'node2') == [
        'n1: not read, or LifeKeeper not running there']


def test_reinstall_problem_8x_points_at_the_archive_restore():
    from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import update_path
    text = reinstall.reinstall_problem('n1', update_path('8.1.2', '8.4.1'), '8.4.1', 1, False, None)
    assert 'lk_media_hops' in text and 'the archive is restored' in text
    assert reinstall.reinstall_problem('n1', update_path('8.1.2', '8.4.1'), '8.4.1', 1, True, None) is None
    assert reinstall.reinstall_problem('n1', update_path('9.6.0', '9.9.0'), '9.9.0', 1, True, 'r.yml') is None


def test_reinstall_mode_follows_the_guides():
    assert reinstall.reinstall_mode('9.9.0') == 'rebuild'
    assert reinstall.reinstall_mode('9.9.0', True) == 'archive'
    assert reinstall.reinstall_mode('8.4.1') == 'archive'


def test_defaults_note_lists_the_old_values_for_review():
    restored = {'defaults_review': [{'key': 'LCMHBEATTIME', 'new': '5', 'old': '1'},
                                    {'key': 'OLDPARAM', 'new': None, 'old': 'x'}],
                'defaults_changes': [{'key': 'LCMNUMHBEATS', 'new': '3', 'old': '5', 'action': 'kept old value'}]}
    assert reinstall.defaults_note('n2', restored) == (
        "n2: /etc/default/LifeKeeper: the new release's file was kept; old values to review: LCMHBEATTIME=1 (new: 5), "
        "OLDPARAM=x (new: absent); carried over (lk_defaults_carry): LCMNUMHBEATS=5")
    assert reinstall.defaults_note('n2', {}).endswith('to review: none; carried over (lk_defaults_carry): none')
