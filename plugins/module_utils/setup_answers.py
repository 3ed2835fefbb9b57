# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What lk_setup tells the product's setup (pure, no I/O).

8.x setup asks questions one by one (the 8.4.1 guide's order; the texts are [assumed], see
CONTRACTS.md section 4). ``SetupConversation`` recognises each question by its key phrase
(case-sensitive) and answers it from facts about the node, never with a blind default:
the DataKeeper kernel module only when DataKeeper is installed or requested, the NFS
utilities only when an NFS hierarchy exists, the NFS daemon restart only when allowed,
licence keys from the given files, the installed recovery kits kept for update plus the kits
requested. A question it does not recognise gets no answer (runner.run_command then kills
setup and names the question).

9.x setup reads a configuration file (``setup -f CONFIG``); ``config_with`` adds the recovery
kits and licence files to the user's configuration.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import DATAKEEPER_KIT

# (answer id, key phrase), in the order setup asks them.
PROMPTS = (
    ('stop_lifekeeper', 'Stop LifeKeeper now?'),
    ('java', 'Install the Java Runtime for the GUI client?'),
    ('datakeeper', 'Update the DataKeeper kernel module?'),
    ('nfs_utils', 'Enable the NFS utilities (nfs-utils)'),
    ('nfs_restart', 'Restart the NFS daemons now?'),
    ('required_packages', 'Update the required packages?'),
    ('core_packages', 'the LifeKeeper core packages ('),
    ('gui_users', 'GUI group and login users'),
    ('license', 'Install license keys now?'),
    ('license_files', 'License key file(s), space separated:'),
    ('kit_selection', 'Recovery kits to select'),
    ('kit_confirm', 'Install/update the selected recovery kits?'),
)
PROMPT_IDS = tuple(prompt_id for prompt_id, _phrase in PROMPTS)
# A question is complete (setup waits for the answer) when it ends with its default in
# brackets, or with a colon.
COMPLETE_ENDINGS = (']', ':')
KIT_LINE_RE = re.compile(r'^\s*\[(?P<mark>.)\]\s+(?P<name>\S+)')
KIT_NAME_RE = re.compile(r'^steeleye-[A-Za-z0-9][A-Za-z0-9._+-]*\Z')
CONFIG_LINE_RE = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$')
LIST_KEYS = ('RECOVERY_KITS', 'LICENSE_FILES')


def prompt_id(text):
    """The id of the complete question ``text`` (the unanswered end of setup's output), or None."""
    stripped = (text or '').rstrip()
    if not stripped.endswith(COMPLETE_ENDINGS):
        return None
    for pid, phrase in PROMPTS:
        if phrase in stripped:
            return pid
    return None


def kit_marks(transcript):
    """{kit: mark} of the kit list setup printed last (``  [u] steeleye-lkDR ...``; ' ' = not selected)."""
    marks = {}
    for line in (transcript or '').splitlines():
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


def facts_answers(datakeeper, nfs_in_use, nfs_restart, license_files):
    """{answer id: answer} for the yes/no and text questions, from facts (kit_selection apart).

    datakeeper: steeleye-lkDR installed or requested; nfs_in_use: an NFS hierarchy exists;
    nfs_restart: the operator allows restarting the NFS daemons; license_files: key files to install.
    """
    return {
        'stop_lifekeeper': 'y',          # setup cannot update a running LifeKeeper
        'java': 'y',                     # only asked when the GUI's Java is not current
        'datakeeper': 'y' if datakeeper else 'n',
        'nfs_utils': 'y' if nfs_in_use else 'n',
        'nfs_restart': 'y' if (nfs_in_use and nfs_restart) else 'n',
        'required_packages': 'y',
        'core_packages': 'y',
        'gui_users': '',                 # Enter keeps the GUI group and users
        'license': 'y' if license_files else 'n',
        'license_files': ' '.join(license_files),
        'kit_confirm': 'y',
    }


class SetupConversation(object):
    """Answers 8.x setup's questions (runner conversation); ``given`` records {id: answer} in order."""

    def __init__(self, answers, requested_kits=()):
        self.answers = dict(answers)
        self.requested_kits = list(requested_kits)
        self.given = {}
        self.order = []

    def reply(self, prompt, transcript):
        pid = prompt_id(prompt)
        if pid is None:
            return None
        if pid == 'kit_selection':
            answer = kit_selection(kit_marks(transcript), self.requested_kits)
        elif pid == 'license_files' and not self.answers.get('license_files'):
            return None  # asked for keys we do not have: leave it unanswered (setup is stopped)
        else:
            answer = self.answers[pid]
        self.given[pid] = answer
        self.order.append(pid)
        return answer


def datakeeper_wanted(installed_kits, requested_kits):
    return DATAKEEPER_KIT in installed_kits or DATAKEEPER_KIT in requested_kits


def config_with(text, kits, license_files):
    """A 9.x setup configuration: the user's text with RECOVERY_KITS and LICENSE_FILES holding
    what it had plus kits / license_files (each value once, space separated). Returns
    (text, {key: value} of what was set)."""
    values = {}
    lines = []
    for line in (text or '').splitlines():
        match = CONFIG_LINE_RE.match(line)
        if match and match.group(1) in LIST_KEYS:
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
                value = value[1:-1]
            values[match.group(1)] = value.split()
            continue
        lines.append(line)
    written = {}
    for key, extra in (('RECOVERY_KITS', kits), ('LICENSE_FILES', license_files)):
        merged = []
        for item in values.get(key, []) + list(extra):
            if item not in merged:
                merged.append(item)
        if merged or key in values:
            written[key] = ' '.join(merged)
            lines.append('%s=%s' % (key, written[key]))
    return '\n'.join(lines) + ('\n' if lines else ''), written
