# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a person resumes a run that stopped (controller side, pure, no I/O).

The resume is the command the user ran - their own playbook (a wrapper that imports the
collection's, never a path inside the installed collection unless that is what they ran),
their inventories and options - with every ``-e`` replaced by one vars file the run wrote
into its folder: the variables the run was given with ``-e`` (secrets left out) and
``lk_run_id``. Only extra variables go into that file: they are the same on every host, and
writing an inventory or default value there would pin it for every cluster as an extra
variable (the highest precedence). Under AWX the resume is a relaunch with lk_run_id.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
import shlex

from ansible.module_utils.common.yaml import yaml_dump
from ansible.module_utils.six.moves.collections_abc import Mapping

RESUME_VARS_FILE = 'resume-vars.yml'
# variable (or key) names whose values are secrets: left out of the file, named in the message
SECRET_NAME = re.compile(r'pass(word|wd)?$|^pass|secret|token|private_key|api_key|credential', re.I)
# AWX adds its job's metadata as extra variables: a relaunch brings them again
AWX_PREFIXES = ('awx_', 'tower_')
# ansible-playbook options with a value that a resume must not repeat: the extra variables
# (they are in the vars file) and where a run was started within the playbook
_DROP_WITH_VALUE = ('--extra-vars', '--start-at-task')
_DROP_ALONE = ('--check', '-C', '--step', '--syntax-check', '--list-tasks', '--list-hosts', '--list-tags')


def _exact_str(value):
    """value as a str of the exact type: ansible-core 2.16-2.18's AnsibleUnsafeText keeps its type
    through str() (its __str__ returns itself), and YAML's safe dumper refuses any subclass."""
    return str.__str__(value) if isinstance(value, str) else str(value)


def _plain(value, name, left_out):
    """value with only YAML's plain types (ansible-core tags its strings); None when it must be
    left out (a secret by its name, or a value of another type: a vault-encrypted one)."""
    if name and SECRET_NAME.search(name.rsplit('.', 1)[-1]):
        left_out.append(name)
        return None
    if value is None or isinstance(value, bool):
        return (value,)
    if isinstance(value, str):
        return (_exact_str(value),)
    for kind in (int, float):
        if isinstance(value, kind):
            return (kind(value),)
    if isinstance(value, Mapping):
        kept = {}
        for key, item in value.items():
            key = _exact_str(key)
            plain = _plain(item, '%s.%s' % (name, key) if name else key, left_out)
            if plain is not None:
                kept[key] = plain[0]
        return (kept,)
    if isinstance(value, (list, tuple)):
        kept = []
        for index, item in enumerate(value):
            plain = _plain(item, '%s[%d]' % (name, index), left_out)
            if plain is not None:
                kept.append(plain[0])
        return (kept,)
    left_out.append(name)   # EncryptedString (vault) and anything else not plain data
    return None


def given_variables(extra_vars):
    """{'vars': the extra variables as plain data, 'left_out': [names of the secrets left out]}.

    extra_vars: the run's extra variables as given (ansible.utils.vars.load_extra_vars)."""
    kept, left_out = {}, []
    for name, value in sorted((extra_vars or {}).items()):
        name = str(name)
        if name.startswith(AWX_PREFIXES):
            continue
        plain = _plain(value, name, left_out)
        if plain is not None:
            kept[name] = plain[0]
    return {'vars': kept, 'left_out': left_out}


def resume_vars_text(given, run_id):
    """The vars file of a resume (YAML): the variables given (see given_variables) and lk_run_id."""
    given = given or {}
    left_out = list(given.get('left_out') or [])
    # the values come through a template (ansible-core wraps them): plain data again for YAML
    variables = dict(_plain(dict(given.get('vars') or {}), '', left_out)[0], lk_run_id=_exact_str(run_id))
    header = ['# The variables run %s was given with -e, and its lk_run_id: resume it with -e @this-file.' % run_id]
    if left_out:
        header.append('# Left out (secrets; give them again as you did): %s' % ', '.join(left_out))
    return '\n'.join(header) + '\n' + yaml_dump(variables, default_flow_style=False, sort_keys=True)


def _drops_value(arg):
    """True when arg is an option whose value follows it (or is attached) and a resume drops both."""
    if arg == '-e':
        return True
    return arg.startswith('--') and '=' not in arg and len(arg) > 3 and any(o.startswith(arg) for o in _DROP_WITH_VALUE)


def _drops_alone(arg):
    if arg in _DROP_ALONE:
        return True
    if arg.startswith('-e') and not arg.startswith('--'):
        return True   # -eVALUE
    if arg.startswith('--') and '=' in arg:
        option = arg.split('=', 1)[0]
        return len(option) > 3 and any(o.startswith(option) for o in _DROP_WITH_VALUE)
    return False


def options_to_repeat(argv, playbooks):
    """The arguments of ansible-playbook (argv without the program) a resume repeats: all but
    the playbooks, the extra variables and --check/--start-at-task/--step."""
    kept = []
    skip_next = False
    for arg in argv or []:
        if skip_next:
            skip_next = False
            continue
        if arg in (playbooks or []):
            continue
        if _drops_value(arg):
            skip_next = True
            continue
        if _drops_alone(arg):
            continue
        kept.append(str(arg))
    return kept


def resume_lines(command_line, vars_file, run_id, awx_job=None, playbook=None, left_out=(), inventories=()):
    """The lines that say how to resume.

    command_line: the lk_command_line lookup ({playbooks, cwd, options}); vars_file: the file
    the run wrote (resume_vars_text); awx_job: AWX's job id when the run is an AWX job (then
    the resume is a relaunch); playbook: lk_report_playbook when the operator named the
    playbook to resume with (else the playbooks given); inventories: used when command_line
    has no options (the inventories are among the options)."""
    if awx_job not in (None, ''):
        return ['relaunch AWX job %s with the extra variable lk_run_id=%s (the relaunch keeps the job\'s other '
                'variables; docs/awx/README.md says how to give it)' % (awx_job, run_id)]
    command_line = command_line or {}
    playbooks = [str(playbook)] if playbook else [str(p) for p in command_line.get('playbooks') or []]
    options = command_line.get('options')
    if options is None:
        options = [word for inventory in inventories or [] for word in ('-i', str(inventory))]
    words = ['ansible-playbook'] + [shlex.quote(word) for word in list(options) + playbooks]
    words.extend(['-e', shlex.quote('@%s' % vars_file)])
    command = ' '.join(words)
    cwd = command_line.get('cwd')
    if cwd:   # the paths given (playbooks, inventories, files) may be relative to it
        command = 'cd %s && %s' % (shlex.quote(str(cwd)), command)
    lines = [command,
             '(%s holds the variables this run was given with -e and lk_run_id=%s)' % (vars_file, run_id)]
    if left_out:
        lines.append('(left out of it, they are secrets: %s - give them again as you did)' % ', '.join(left_out))
    return lines
