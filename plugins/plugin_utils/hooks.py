# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the hook task files are (controller side, pure).

A relative hook path resolves against lk_hook_dir when it is set, else against the directory
of the playbook file given to ansible-playbook. Not against playbook_dir: that is the
directory of the playbook being executed, the installed collection's playbooks/ when the
user's playbook imports hatools.lifekeeper.rolling_update or runs it by its collection name.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

POINTS = ('before_evacuate', 'after_evacuate', 'after_update', 'before_placement', 'after_placement', 'on_failure')


def playbook_dir(arguments, cwd, is_file=os.path.isfile):
    """(directory, None) of the playbook file(s) given on the ansible-playbook command line
    (arguments, relative to cwd), or (None, why there is none): a playbook run by its
    collection name, playbooks in different directories, no playbook."""
    dirs, by_name = set(), []
    for argument in arguments or []:
        path = os.path.normpath(os.path.join(cwd, os.path.expanduser(str(argument))))
        if is_file(path):
            dirs.add(os.path.dirname(path))
        else:
            by_name.append(str(argument))
    if by_name:
        return None, ('the playbook %s was run by its collection name (a relative path would point inside the '
                      'installed collection)' % ', '.join(by_name))
    if len(dirs) > 1:
        return None, 'the playbooks given are in different directories (%s)' % ', '.join(sorted(dirs))
    if not dirs:
        return None, 'no playbook file was given to ansible-playbook'
    return dirs.pop(), None


def hook_files(hooks, hook_dir, arguments, cwd, is_file=os.path.isfile):
    """The hook task files that are set, resolved and checked.

    hooks: {point: value of lk_hook_<point>} (empty or null: no hook); hook_dir: lk_hook_dir
    (empty: the playbook's directory); arguments: the playbooks given to ansible-playbook;
    cwd: its working directory. Returns {'paths': {point: absolute path}, 'problems': [one
    sentence per hook that is not a file, naming the variable, its value and the path tried]}.
    """
    paths, problems = {}, []
    if hook_dir not in (None, ''):
        # a relative lk_hook_dir is relative to the working directory of ansible-playbook
        base, why = os.path.normpath(os.path.join(cwd, os.path.expanduser(str(hook_dir)))), None
        where = 'relative paths resolve against lk_hook_dir %s' % base
    else:
        base, why = playbook_dir(arguments, cwd, is_file)
        where = 'relative paths resolve against the directory of the playbook run, %s' % base
    for point in POINTS:
        value = (hooks or {}).get(point)
        if value in (None, ''):
            continue
        name = 'lk_hook_%s' % point
        if not isinstance(value, str):
            problems.append('%s is %r: expected the path of a task file on the controller' % (name, value))
            continue
        given = os.path.expanduser(value)
        if os.path.isabs(given):
            path = os.path.normpath(given)
        elif base is None:
            problems.append('%s is %r, a relative path, and %s: give an absolute path or set lk_hook_dir'
                            % (name, value, why))
            continue
        else:
            path = os.path.normpath(os.path.join(base, given))
        if not is_file(path):
            problems.append('%s is %r: no such file %s (a task file on the controller, absolute or relative; %s)'
                            % (name, value, path, where))
            continue
        paths[point] = path
    return {'paths': paths, 'problems': problems}
