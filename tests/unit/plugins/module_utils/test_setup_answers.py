# -*- coding: utf-8 -*-
"""setup_answers.py: the 8.x screens (Enter screens and questions) answered from facts, the
operator's own answers, unknown screens left unanswered; the 9.x command line."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from conftest import SETUP8_QUESTIONS
from ansible_collections.hatools.lifekeeper.plugins.module_utils import setup_answers as sa

# The screens as the simulator prints them (no newline after the waiting line).
SCREENS = dict((sid, text) for sid, text in SETUP8_QUESTIONS.items()
               if not sid.startswith('core_') and sid not in ('intro', 'license_files'))
SCREENS['intro'] = SETUP8_QUESTIONS['intro'] % '8.4.1'
SCREENS['core_packages'] = SETUP8_QUESTIONS['core_update'] % ('8.3.0', '8.4.1')


@pytest.mark.parametrize('sid', sorted(SCREENS))
def test_every_screen_is_recognised(sid):
    assert sa.screen_id(SCREENS[sid]) == sid
    # output printed before it since the last answer does not change which screen it is
    assert sa.screen_id('Checking the distribution and kernel: supported.\n' + SCREENS[sid]) == sid


def test_fresh_install_core_screen():
    assert sa.screen_id(SETUP8_QUESTIONS['core_fresh'] % '8.4.1') == 'core_packages'


def test_every_enter_screen_of_the_guide_is_answered_with_enter():
    answers = sa.facts_answers(datakeeper=True, nfs_in_use=False, nfs_restart=False)
    conv = sa.SetupConversation(answers)
    for sid in ('intro', 'stop_lifekeeper', 'stop_done', 'base_packages', 'java_current', 'required_packages',
                'core_packages'):
        assert conv.reply(SCREENS[sid]) == '', sid
    assert conv.order == ['intro', 'stop_lifekeeper', 'stop_done', 'base_packages', 'java_current',
                          'required_packages', 'core_packages']


@pytest.mark.parametrize('text', [
    'Update the DataKeeper kernel',                              # not waiting yet
    'The LifeKeeper base packages will be installed or updated.\n',   # its Enter line not printed yet
    'Reformat the shared disks now? (y/n) [y] ',                 # unknown question
    'Warning: the shared disk is full.\nPress ENTER to continue... ',  # unknown Enter screen
    'update the datakeeper kernel module? (y/n) [y] ',           # case matters
    'Java is already properly installed on this system.',        # the Java line without its Enter prompt
    'Installing steeleye-lk...',
    '',
])
def test_other_text_is_not_answered(text):
    assert sa.screen_id(text) is None
    assert sa.SetupConversation(sa.facts_answers(True, True, True)).reply(text) is None


def test_facts_answers_without_datakeeper_or_nfs():
    answers = sa.facts_answers(datakeeper=False, nfs_in_use=False, nfs_restart=True)
    assert answers == {'intro': '', 'stop_lifekeeper': '', 'stop_done': '', 'base_packages': '', 'java_current': '',
                       'required_packages': '', 'core_packages': '', 'java': 'y', 'datakeeper': 'n',
                       'nfs_utils': 'n', 'nfs_restart': 'n', 'gui_users': '', 'license': 'n', 'kit_confirm': 'y'}


def test_facts_answers_with_everything():
    answers = sa.facts_answers(datakeeper=True, nfs_in_use=True, nfs_restart=True)
    assert (answers['datakeeper'], answers['nfs_utils'], answers['nfs_restart']) == ('y', 'y', 'y')
    assert answers['license'] == 'n'          # keys go in with lkkeyins after setup
    assert sa.facts_answers(True, True, False)['nfs_restart'] == 'n'


def test_datakeeper_wanted():
    assert sa.datakeeper_wanted({'steeleye-lkDR': '9.9.0'}, [])
    assert sa.datakeeper_wanted({}, ['steeleye-lkDR'])
    assert not sa.datakeeper_wanted({'steeleye-lkNFS': '9.9.0'}, ['steeleye-lkORA'])


KIT_LIST = ('  [u] steeleye-lkDR   DataKeeper\n'
            '  [ ] steeleye-lkNFS  NFS\n'
            '  [ ] steeleye-lkORA  Oracle\n')


def test_kit_marks_and_selection():
    marks = sa.kit_marks(KIT_LIST)
    assert marks == {'steeleye-lkDR': 'u', 'steeleye-lkNFS': ' ', 'steeleye-lkORA': ' '}
    assert sa.kit_selection(marks, []) == ''                          # Enter keeps the marks
    assert sa.kit_selection(marks, ['steeleye-lkDR']) == ''
    assert sa.kit_selection(marks, ['steeleye-lkNFS']) == 'steeleye-lkDR steeleye-lkNFS'


def test_conversation_records_answers_in_order():
    conv = sa.SetupConversation(sa.facts_answers(True, False, False), requested_kits=['steeleye-lkORA'])
    assert conv.reply(SCREENS['datakeeper']) == 'y'
    assert conv.reply(SCREENS['nfs_utils']) == 'n'
    assert conv.reply(KIT_LIST + SCREENS['kit_selection']) == 'steeleye-lkDR steeleye-lkORA'
    assert conv.reply('The following recovery kits will be installed or updated:\n  steeleye-lkDR\n'
                      + SCREENS['kit_confirm']) == 'y'
    assert conv.reply('Something else? (y/n) [y] ') is None
    assert conv.order == ['datakeeper', 'nfs_utils', 'kit_selection', 'kit_confirm']
    assert conv.given == {'datakeeper': 'y', 'nfs_utils': 'n', 'kit_selection': 'steeleye-lkDR steeleye-lkORA',
                          'kit_confirm': 'y'}


def test_conversation_does_not_invent_licence_files():
    conv = sa.SetupConversation(sa.facts_answers(True, False, False))
    assert conv.reply(SETUP8_QUESTIONS['license_files']) is None


def test_operator_answers_come_first_and_cover_site_screens():
    extra = {'Apply the site profile': 'n', 'Update the DataKeeper kernel module?': 'n', 'disk is full': ''}
    conv = sa.SetupConversation(sa.facts_answers(True, False, False), extra=extra)
    assert conv.reply('Apply the site profile? (y/n) [y] ') == 'n'
    assert conv.reply(SCREENS['datakeeper']) == 'n'                    # the operator's word over the facts
    assert conv.reply('Warning: the disk is full.\nPress ENTER to continue... ') == ''
    assert conv.reply('Apply the site profile') is None               # not waiting yet
    assert conv.order == ['Apply the site profile', 'Update the DataKeeper kernel module?', 'disk is full']


def test_the_9x_command_line_is_the_operators_file():
    assert sa.setup_args_9x('/root/saved setup.conf') == ['-f', '/root/saved setup.conf']
    assert sa.SETUP_ARGS_8X == () and sa.SETUP_ARGS_8X_KITS == ('-k',)


@pytest.mark.parametrize('name,ok', [
    ('steeleye-lkDR', True), ('steeleye-lkSAP-HANA', True), ('lkDR', False), ('steeleye-', False),
    ('steeleye-lkDR rm', False), ('steeleye-lkDR;x', False),
])
def test_kit_names(name, ok):
    assert bool(sa.KIT_NAME_RE.match(name)) is ok
