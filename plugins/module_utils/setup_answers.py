# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What lk_setup tells the product's setup (pure, no I/O).

8.x setup is a dialogue (the 8.4.1 update guide, steps 4-13): screens that only wait for Enter
("Press ENTER to continue...", the Enter once the stop of LifeKeeper has completed, the base,
Java, required-package and core-package screens) between questions. The guide prints one text
verbatim ("Java is already properly installed on this system."); the others are shown only as
pictures, so the key phrases below are ASSUMED (tests/lksim/ASSUMPTIONS.md names the guide step
of each). ``SetupConversation`` recognises each screen by its key phrase (case-sensitive) once
it waits (its last line asks for Enter, or ends with ] or :). Enter screens get Enter;
questions are answered from facts, never with a blind default: the DataKeeper kernel module
only when DataKeeper is installed or requested, the NFS utilities only when an NFS hierarchy
exists, the NFS daemon restart only when allowed, licence keys never (they go in with lkkeyins
after setup, 8.4.1 guide step 12), the installed recovery kits kept for update plus the kits
requested. The operator's own answers (``extra``: screen text -> answer) are looked up first,
for site-specific screens. A screen nobody recognises gets no answer: runner.run_command then
kills setup and names the screen with its last lines.

9.x and later: setup runs from the operator's configuration file, saved from setup's own menu,
passed through unchanged (``SETUP_ARGS_9X``); the collection writes no keys of its own.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import DATAKEEPER_KIT

# The setup command lines, with their sources.
# 8.x: `cd /mnt; ./setup` (8.4.1 update guide step 3): no arguments, run from the image's
# directory; `setup -k` reopens only the recovery kit selection (8.4.1 guide).
SETUP_ARGS_8X = ()
SETUP_ARGS_8X_KITS = ('-k',)
# 9.x: the menu's Save writes "a configuration file used for non-interactive installation"
# and Load reads one (9.9.0 update guide, section 4); docs.us.sios.com spslinux 9.6.1
# "Software Packaging": "A non-user interactive install can be performed as well (see
# Non-interactive Way for more information)". The flag below is ASSUMED (the text of the
# "Non-interactive Way" topic could not be read): operators whose release differs pass
# lk_setup_args. {config} is the operator's file, unchanged.
SETUP_ARGS_9X = ('-f', '{config}')

ENTER = 'enter'
QUESTION = 'question'
# (screen id, key phrase, kind), in the order setup shows them (8.4.1 guide steps 4-13).
SCREENS = (
    ('intro', 'This will install or update LifeKeeper', ENTER),
    ('stop_lifekeeper', 'Press ENTER to stop LifeKeeper', ENTER),
    ('stop_done', 'The stop of LifeKeeper has completed', ENTER),
    ('base_packages', 'base packages will be installed or updated', ENTER),
    ('java_current', 'Java is already properly installed on this system.', ENTER),   # verbatim
    ('java', 'Install the Java Runtime for the GUI client?', QUESTION),
    ('datakeeper', 'Update the DataKeeper kernel module?', QUESTION),
    ('nfs_utils', 'Enable the NFS utilities (nfs-utils)', QUESTION),
    ('nfs_restart', 'Restart the NFS daemons now?', QUESTION),
    ('required_packages', 'The required packages will be updated', ENTER),
    ('core_packages', 'LifeKeeper core packages will be', ENTER),
    ('gui_users', 'GUI group and login users', QUESTION),
    ('license', 'Install license keys now?', QUESTION),
    ('kit_selection', 'Recovery kits to select', QUESTION),
    ('kit_confirm', 'Install/update the selected recovery kits?', QUESTION),
)
SCREEN_IDS = tuple(sid for sid, _phrase, _kind in SCREENS)
ENTER_SCREENS = tuple(sid for sid, _phrase, kind in SCREENS if kind == ENTER)
# A question waits once it ends with its default in brackets, or with a colon.
QUESTION_ENDINGS = (']', ':')
ENTER_RE = re.compile(r'\b(press|hit)\s+(the\s+)?(enter|return)\b', re.IGNORECASE)
KIT_LINE_RE = re.compile(r'^\s*\[(?P<mark>.)\]\s+(?P<name>\S+)')
KIT_NAME_RE = re.compile(r'^steeleye-[A-Za-z0-9][A-Za-z0-9._+-]*\Z')


def _last_line(screen):
    lines = [line for line in (screen or '').splitlines() if line.strip()]
    return lines[-1].rstrip() if lines else ''


def waits_for(screen):
    """ENTER or QUESTION when ``screen`` (setup's output since the last answer) has reached a
    point where setup waits for input, else None."""
    last = _last_line(screen)
    if not last:
        return None
    if ENTER_RE.search(last):
        return ENTER
    if last.endswith(QUESTION_ENDINGS):
        return QUESTION
    return None


def screen_id(screen):
    """The id of the waiting screen ``screen``, or None (not waiting yet, or not recognised).
    When several key phrases appear, the one printed last names the screen."""
    kind = waits_for(screen)
    if kind is None:
        return None
    best, where = None, -1
    for sid, phrase, phrase_kind in SCREENS:
        if phrase_kind != kind:
            continue
        position = screen.rfind(phrase)
        if position > where:
            best, where = sid, position
    return best


def operator_answer(screen, extra):
    """(text, answer) of the operator's answer whose text appears last in the waiting screen."""
    if not extra or waits_for(screen) is None:
        return None
    best, where = None, -1
    for text, answer in extra.items():
        position = screen.rfind(text)
        if position > where:
            best, where = (text, answer), position
    return best


def kit_marks(screen):
    """{kit: mark} of the kit list in ``screen`` (``  [u] steeleye-lkDR ...``; ' ' = not selected)."""
    marks = {}
    for line in (screen or '').splitlines():
        match = KIT_LINE_RE.match(line)
        if match:
            marks[match.group('name')] = match.group('mark')
    return marks


def kit_selection(marks, requested):
    """The answer to the kit selection: '' (Enter keeps the marks) when every requested kit is
    marked already, else every marked kit and every requested one, space separated."""
    marked = [name for name, mark in marks.items() if mark.strip()]
    missing = [kit for kit in requested if kit not in marked]
    if not missing:
        return ''
    return ' '.join(marked + missing)


def facts_answers(datakeeper, nfs_in_use, nfs_restart):
    """{screen id: answer} for every screen but the kit selection, from facts ('' = Enter).

    datakeeper: steeleye-lkDR installed or requested; nfs_in_use: an NFS hierarchy exists;
    nfs_restart: the operator allows restarting the NFS daemons.
    """
    answers = dict((sid, '') for sid in ENTER_SCREENS)
    answers.update({
        'java': 'y',                     # only asked when the GUI's Java is not current
        'datakeeper': 'y' if datakeeper else 'n',
        'nfs_utils': 'y' if nfs_in_use else 'n',
        'nfs_restart': 'y' if (nfs_in_use and nfs_restart) else 'n',
        'gui_users': '',                 # Enter keeps the GUI group and users
        'license': 'n',                  # keys go in with lkkeyins after setup (guide step 12)
        'kit_confirm': 'y',
    })
    return answers


class SetupConversation(object):
    """Answers 8.x setup's screens (a runner conversation). ``given``: {id or operator text:
    answer}; ``order``: the ids (or operator texts) in the order answered."""

    def __init__(self, answers, requested_kits=(), extra=None):
        self.answers = dict(answers)
        self.requested_kits = list(requested_kits)
        self.extra = dict(extra or {})
        self.given = {}
        self.order = []

    def reply(self, screen, transcript=None):
        own = operator_answer(screen, self.extra)
        if own is not None:
            key, answer = own
        else:
            key = screen_id(screen)
            if key is None:
                return None
            if key == 'kit_selection':
                answer = kit_selection(kit_marks(screen), self.requested_kits)
            else:
                answer = self.answers.get(key)
                if answer is None:
                    return None
        self.given[key] = answer
        self.order.append(key)
        return answer


def datakeeper_wanted(installed_kits, requested_kits):
    return DATAKEEPER_KIT in installed_kits or DATAKEEPER_KIT in requested_kits


def setup_args_9x(config_file):
    """9.x setup's arguments for the operator's configuration file (SETUP_ARGS_9X)."""
    return [arg.replace('{config}', config_file) for arg in SETUP_ARGS_9X]


def after_failed_setup(output_log=None):
    """What to do after setup failed: where its whole output is on the node (output_log), else
    where its last lines are; then how to see the node's state and go on."""
    where = ('Its whole output is in %s on this node' % output_log if output_log else
             'Its last lines are in the task result (setup_output_tail)')
    return ('%s: find the first error there and fix its cause (the node keeps what setup left: rpm -q steeleye-lk '
            'shows the version installed now), then run again' % where)
