# -*- coding: utf-8 -*-
"""setup_answers.py: 8.x questions answered from facts, 9.x configuration with kits and keys."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from conftest import SETUP8_QUESTIONS
from ansible_collections.hatools.lifekeeper.plugins.module_utils import setup_answers as sa

# The question texts of CONTRACTS.md section 4, as printed (no newline after the question).
QUESTIONS = dict((pid, text) for pid, text in SETUP8_QUESTIONS.items() if not pid.startswith('core_'))
QUESTIONS['core_packages'] = SETUP8_QUESTIONS['core_update'] % ('8.3.0', '8.4.1')


@pytest.mark.parametrize('pid', sorted(QUESTIONS))
def test_every_contract_question_is_recognised(pid):
    assert sa.prompt_id(QUESTIONS[pid]) == pid
    assert sa.prompt_id('Java is already properly installed on this system. ' + QUESTIONS[pid]) == pid


def test_fresh_install_core_question():
    assert sa.prompt_id(SETUP8_QUESTIONS['core_fresh'] % '8.4.1') == 'core_packages'


@pytest.mark.parametrize('text', [
    'Update the DataKeeper kernel',                              # not complete yet
    'Reformat the shared disks now? (y/n) [y] ',                 # unknown
    'update the datakeeper kernel module? (y/n) [y] ',           # case matters
    'Java is already properly installed on this system.',
    '',
])
def test_other_text_is_not_answered(text):
    assert sa.prompt_id(text) is None


def test_facts_answers_without_datakeeper_nfs_or_keys():
    answers = sa.facts_answers(datakeeper=False, nfs_in_use=False, nfs_restart=True, license_files=[])
    assert answers == {'stop_lifekeeper': 'y', 'java': 'y', 'datakeeper': 'n', 'nfs_utils': 'n', 'nfs_restart': 'n',
                       'required_packages': 'y', 'core_packages': 'y', 'gui_users': '', 'license': 'n',
                       'license_files': '', 'kit_confirm': 'y'}


def test_facts_answers_with_everything():
    answers = sa.facts_answers(datakeeper=True, nfs_in_use=True, nfs_restart=True, license_files=['/k/a', '/k/b'])
    assert (answers['datakeeper'], answers['nfs_utils'], answers['nfs_restart']) == ('y', 'y', 'y')
    assert (answers['license'], answers['license_files']) == ('y', '/k/a /k/b')
    assert sa.facts_answers(True, True, False, [])['nfs_restart'] == 'n'


def test_datakeeper_wanted():
    assert sa.datakeeper_wanted({'steeleye-lkDR': '9.9.0'}, [])
    assert sa.datakeeper_wanted({}, ['steeleye-lkDR'])
    assert not sa.datakeeper_wanted({'steeleye-lkNFS': '9.9.0'}, ['steeleye-lkORA'])


KIT_LIST = ('Recovery kits on this media:\n'
            '  [u] steeleye-lkDR   DataKeeper\n'
            '  [ ] steeleye-lkNFS  NFS\n'
            '  [ ] steeleye-lkORA  Oracle\n')


def test_kit_marks_and_selection():
    marks = sa.kit_marks(KIT_LIST)
    assert marks == {'steeleye-lkDR': 'u', 'steeleye-lkNFS': ' ', 'steeleye-lkORA': ' '}
    assert sa.kit_selection(marks, []) == ''                          # Enter keeps the marks
    assert sa.kit_selection(marks, ['steeleye-lkDR']) == ''
    assert sa.kit_selection(marks, ['steeleye-lkNFS']) == 'steeleye-lkDR steeleye-lkNFS'


def test_conversation_records_answers_in_order():
    conv = sa.SetupConversation(sa.facts_answers(True, False, False, []), requested_kits=['steeleye-lkORA'])
    transcript = QUESTIONS['datakeeper']
    assert conv.reply(QUESTIONS['datakeeper'], transcript) == 'y'
    assert conv.reply(QUESTIONS['nfs_utils'], transcript) == 'n'
    transcript += 'n\n' + KIT_LIST + QUESTIONS['kit_selection']
    assert conv.reply(QUESTIONS['kit_selection'], transcript) == 'steeleye-lkDR steeleye-lkORA'
    assert conv.reply('Something else? (y/n) [y] ', transcript) is None
    assert conv.order == ['datakeeper', 'nfs_utils', 'kit_selection']
    assert conv.given == {'datakeeper': 'y', 'nfs_utils': 'n', 'kit_selection': 'steeleye-lkDR steeleye-lkORA'}


def test_conversation_does_not_invent_licence_files():
    conv = sa.SetupConversation(sa.facts_answers(True, False, False, []))
    assert conv.reply(QUESTIONS['license_files'], '') is None


def test_config_with_adds_kits_and_keys_once():
    text, written = sa.config_with('# saved\nSERVER_ENVIRONMENT=generic\nRECOVERY_KITS="steeleye-lkDR"\n',
                                   ['steeleye-lkDR', 'steeleye-lkNFS'], ['/root/a.lic'])
    assert text == ('# saved\nSERVER_ENVIRONMENT=generic\nRECOVERY_KITS=steeleye-lkDR steeleye-lkNFS\n'
                    'LICENSE_FILES=/root/a.lic\n')
    assert written == {'RECOVERY_KITS': 'steeleye-lkDR steeleye-lkNFS', 'LICENSE_FILES': '/root/a.lic'}


def test_config_with_nothing_to_add_keeps_the_text():
    assert sa.config_with('', [], []) == ('', {})
    assert sa.config_with('INSTALL_JAVA=no\n', [], []) == ('INSTALL_JAVA=no\n', {})


@pytest.mark.parametrize('name,ok', [
    ('steeleye-lkDR', True), ('steeleye-lkSAP-HANA', True), ('lkDR', False), ('steeleye-', False),
    ('steeleye-lkDR rm', False), ('steeleye-lkDR;x', False),
])
def test_kit_names(name, ok):
    assert bool(sa.KIT_NAME_RE.match(name)) is ok
