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
          'peer_archives': {'n1': '/var/lib/hatools-lifekeeper/reinstall/archive.2.tar.gz'},
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
            'carry over the old values; 4. on n1: /opt/LifeKeeper/bin/lkcli stop -f, /opt/LifeKeeper/bin/lkbackup -x -f '
            '/var/lib/hatools-lifekeeper/reinstall/archive.2.tar.gz, /opt/LifeKeeper/bin/lkcli start; '
            '5. start LifeKeeper on n2') in text
    assert reinstall.reinstall_problems({'n2': RECORD}, {'n2': not_installed()}, 'R1') == []


def test_manual_steps_of_an_8x_reinstall_use_its_commands():
    steps = reinstall.manual_steps('n2', dict(RECORD, target_version='8.4.1', kits=[]), '/opt/LK/')
    assert 'on n1: /opt/LK/bin/lkstop -f, /opt/LK/bin/lkbackup -x -f' in steps and '/opt/LK/bin/lkstart;' in steps
    assert 'with the recovery kits' not in steps


def test_kits_are_every_package_but_the_core():
    packages = [{'name': 'steeleye-lk', 'version': '9.6.0'}, {'name': 'steeleye-lkNFS', 'version': '9.6.0'},
                {'name': 'steeleye-lkDR', 'version': '9.6.0'}]
    assert reinstall.kits(packages) == ['steeleye-lkDR', 'steeleye-lkNFS']
    assert reinstall.kits(None) == []


def test_caveat_for_9x_only():
    assert reinstall.caveat('n1', '9.9.0').startswith('n1: reinstall to 9.9.0: the v9.9.0 update guide')
    assert 'keeps the lkbackup archive for going back' in reinstall.caveat('n1', '9.9.0')
    assert reinstall.caveat('n1', '8.4.1') == ''


def test_resume_warnings_name_the_archives():
    text = reinstall.resume_warnings({'n2': RECORD})[0]
    assert text.startswith('n2: completing the reinstall this run left at step removing')
    assert RECORD['archive'] in text and '(n1)' in text
