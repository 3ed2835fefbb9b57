# -*- coding: utf-8 -*-
"""lk_record through main(): a private JSON record, written once, atomically, in a private folder."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import stat

from ansible_collections.hatools.lifekeeper.plugins.modules import lk_record

RECORD = {'run_id': 'run1', 'step': 'started', 'target_version': '9.9.0', 'archives': ['/b/a.tar.gz']}


def mode(path):
    return stat.S_IMODE(os.lstat(str(path)).st_mode)


def test_the_first_record_creates_its_private_folder(run, tmp_path):
    path = tmp_path / 'state' / 'update-progress.json'
    failed, result = run(lk_record.main, {'path': str(path), 'content': RECORD}, diff=True)
    assert not failed, result
    assert result['changed'] is True and result['created_folder'] is True and result['path'] == str(path)
    assert json.loads(path.read_text()) == RECORD and path.read_text().endswith('}\n')
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert result['diff']['before'] == '' and json.loads(result['diff']['after']) == RECORD


def test_the_same_record_again_changes_nothing_and_a_new_step_replaces_it(run, tmp_path):
    path = tmp_path / 'update-progress.json'
    run(lk_record.main, {'path': str(path), 'content': RECORD})
    failed, result = run(lk_record.main, {'path': str(path), 'content': dict(RECORD)})
    assert not failed and result['changed'] is False and result['created_folder'] is False
    failed, result = run(lk_record.main, {'path': str(path), 'content': dict(RECORD, step='done')})
    assert not failed and result['changed'] is True
    assert json.loads(path.read_text())['step'] == 'done'
    # replaced by a rename: no temporary file is left beside it
    assert sorted(os.listdir(str(tmp_path))) == ['update-progress.json']


def test_a_record_with_the_content_but_another_mode_is_made_private(run, tmp_path):
    path = tmp_path / 'placement-run1.json'
    path.write_text(lk_record.record_text({'app': 'node1'}))
    path.chmod(0o644)
    failed, result = run(lk_record.main, {'path': str(path), 'content': {'app': 'node1'}})
    assert not failed and result['changed'] is True and mode(path) == 0o600


def test_check_mode_predicts_and_writes_nothing(run, tmp_path):
    path = tmp_path / 'state' / 'update-progress.json'
    failed, result = run(lk_record.main, {'path': str(path), 'content': RECORD}, check_mode=True)
    assert not failed and result['changed'] is True and result['created_folder'] is True
    assert not (tmp_path / 'state').exists()


def test_a_folder_others_can_write_is_refused_before_writing(run, tmp_path):
    folder = tmp_path / 'shared'
    folder.mkdir()
    folder.chmod(0o777)
    failed, result = run(lk_record.main, {'path': str(folder / 'update-progress.json'), 'content': RECORD})
    assert failed and str(folder) in result['msg'] and '0777' in result['msg']
    assert os.listdir(str(folder)) == []


def test_a_link_is_refused_naming_it(run, tmp_path):
    target = tmp_path / 'elsewhere.json'
    target.write_text('{}\n')
    link = tmp_path / 'update-progress.json'
    link.symlink_to(target)
    failed, result = run(lk_record.main, {'path': str(link), 'content': RECORD})
    assert failed and str(link) in result['msg'] and 'link' in result['msg']
    assert target.read_text() == '{}\n'


def test_a_relative_path_and_a_missing_content_are_refused(run, tmp_path):
    failed, result = run(lk_record.main, {'path': 'update-progress.json', 'content': RECORD})
    assert failed and "'update-progress.json'" in result['msg'] and 'absolute' in result['msg']
    failed, result = run(lk_record.main, {'path': str(tmp_path / 'r.json')})
    assert failed and 'content' in result['msg']


def test_absent_removes_the_record_once(run, tmp_path):
    path = tmp_path / 'update-progress.json'
    run(lk_record.main, {'path': str(path), 'content': RECORD})
    failed, result = run(lk_record.main, {'path': str(path), 'state': 'absent'}, check_mode=True)
    assert not failed and result['changed'] is True and path.exists()
    failed, result = run(lk_record.main, {'path': str(path), 'state': 'absent'})
    assert not failed and result['changed'] is True and not path.exists()
    failed, result = run(lk_record.main, {'path': str(path), 'state': 'absent'})
    assert not failed and result['changed'] is False


def test_a_record_is_ascii_whatever_it_holds(run, tmp_path):
    path = tmp_path / 'update-progress.json'
    failed, result = run(lk_record.main, {'path': str(path), 'content': dict(RECORD, note='caf\u00e9 \u2192 node2')})
    assert not failed, result
    raw = path.read_bytes()
    assert raw.decode('ascii') and json.loads(raw.decode('ascii'))['note'] == 'caf\u00e9 \u2192 node2'
