# -*- coding: utf-8 -*-
"""The collection's 8.x answers against the simulator's setup (tests/lksim), through the real
runner: every screen of the 8.4.1 guide is passed, Enter screens with Enter, the stop of
LifeKeeper in the middle of the dialogue, and the simulator's own record agrees."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import sys
import time

import pytest

from conftest import REPO_ROOT
from ansible_collections.hatools.lifekeeper.plugins.module_utils import runner
from ansible_collections.hatools.lifekeeper.plugins.module_utils import setup_answers as sa

for _path in (os.path.join(REPO_ROOT, 'tests'), os.path.join(REPO_ROOT, 'tests', 'lksim_tests')):
    if _path not in sys.path:
        sys.path.insert(0, _path)
h = pytest.importorskip('lksim_b_helpers')


def _records(paths):
    with open(paths.setup_log) as handle:
        return [json.loads(line) for line in handle.read().splitlines()]


def _setup(paths, conversation, timeout=60):
    media = h.media_dir('8.4.1')
    return runner.run_command([h.PYTHON, os.path.join(media, 'setup')], timeout, conversation=conversation,
                              env_update={'LKSIM_ROOT': paths.root}, cwd=media, prompt_idle=0.5)


def test_every_screen_of_a_running_node_is_passed(tmp_path):
    paths = h.init_running_node(tmp_path, '8.3.0')
    try:
        end = time.monotonic() + 30
        while not os.path.exists(paths.initdone) and time.monotonic() < end:
            time.sleep(0.1)
        conversation = sa.SetupConversation(sa.facts_answers(datakeeper=True, nfs_in_use=False, nfs_restart=False),
                                            requested_kits=['steeleye-lkNFS'])
        rc, out, err = _setup(paths, conversation)
    finally:
        h.stop_node(paths)
    assert rc == 0, out + err
    assert out.rstrip().endswith('Setup Complete.')
    assert conversation.order == ['intro', 'stop_lifekeeper', 'stop_done', 'base_packages', 'java', 'datakeeper',
                                  'nfs_utils', 'required_packages', 'core_packages', 'gui_users', 'license',
                                  'kit_selection', 'kit_confirm']
    (record,) = _records(paths)
    # the simulator saw the same screens, the Enter screens answered with Enter
    assert [screen['id'] for screen in record['screens']] == conversation.order
    assert set(screen['answer'] for screen in record['screens'] if screen['id'] in sa.ENTER_SCREENS) == {''}
    assert record['stopped_lifekeeper'] is True and record['result'] == 'complete'
    assert record['kits_after'] == {'steeleye-lkDR': '8.4.1', 'steeleye-lkNFS': '8.4.1'}


def test_a_screen_nobody_knows_stops_setup_before_any_change(tmp_path):
    paths = h.make_node(tmp_path, version='8.3.0')
    answers = sa.facts_answers(datakeeper=True, nfs_in_use=False, nfs_restart=False)
    del answers['required_packages']          # as if this release printed another text there
    conversation = sa.SetupConversation(answers)
    started = time.monotonic()
    with pytest.raises(runner.CommandInterrupted) as info:
        _setup(paths, conversation)
    assert time.monotonic() - started < 20
    exc = info.value
    assert exc.why == 'prompt' and exc.signal == 'SIGTERM'
    assert exc.screen.endswith('The required packages will be updated: bzip2 lsof net-tools patch redhat-lsb-core\n'
                               'Press ENTER to continue...')
    assert h.rpm_qa(paths) == ['steeleye-lk-8.3.0', 'steeleye-lkDR-8.3.0']      # nothing changed


def test_the_operator_answers_a_screen_of_their_release(tmp_path):
    paths = h.make_node(tmp_path, version='8.3.0')
    answers = sa.facts_answers(datakeeper=True, nfs_in_use=False, nfs_restart=False)
    del answers['required_packages']
    conversation = sa.SetupConversation(answers, extra={'The required packages will be updated': ''})
    rc, out, err = _setup(paths, conversation)
    assert rc == 0, out + err
    assert 'The required packages will be updated' in conversation.order
    assert h.rpm_qa(paths) == ['steeleye-lk-8.4.1', 'steeleye-lkDR-8.4.1']
