# -*- coding: utf-8 -*-
"""Hook task files: relative paths resolve against the playbook the user ran or lk_hook_dir,
never inside the installed collection (issue 18)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import hooks

FILES = {'/proj/hooks/check.yml', '/proj/wrap.yml', '/srv/hooks/check.yml', '/other/play.yml'}


def is_file(path):
    return path in FILES


def resolve(given, hook_dir='', arguments=('wrap.yml',), cwd='/proj'):
    return hooks.hook_files(given, hook_dir, list(arguments), cwd, is_file)


def test_a_relative_hook_resolves_against_the_playbook_given_not_playbook_dir():
    # the wrapper imports hatools.lifekeeper.rolling_update: playbook_dir would be the collection's
    assert resolve({'after_update': 'hooks/check.yml'}) == {'paths': {'after_update': '/proj/hooks/check.yml'},
                                                            'problems': []}
    assert resolve({'after_update': 'hooks/check.yml'}, arguments=['/proj/wrap.yml'], cwd='/') == \
        {'paths': {'after_update': '/proj/hooks/check.yml'}, 'problems': []}


def test_lk_hook_dir_wins_and_is_relative_to_the_working_directory():
    assert resolve({'on_failure': 'check.yml'}, hook_dir='/srv/hooks')['paths'] == {'on_failure': '/srv/hooks/check.yml'}
    assert resolve({'on_failure': 'check.yml'}, hook_dir='../srv/hooks')['paths'] == {'on_failure': '/srv/hooks/check.yml'}


def test_an_absolute_hook_is_taken_as_it_is_and_unset_hooks_are_left_out():
    result = resolve({'before_evacuate': '/srv/hooks/check.yml', 'after_evacuate': '', 'after_placement': None},
                     arguments=['hatools.lifekeeper.rolling_update'])
    assert result == {'paths': {'before_evacuate': '/srv/hooks/check.yml'}, 'problems': []}


def test_a_relative_hook_of_a_playbook_run_by_its_collection_name_is_refused_naming_it():
    result = resolve({'after_update': 'hooks/check.yml'}, arguments=['hatools.lifekeeper.rolling_update'])
    assert result['paths'] == {}
    assert result['problems'] == [
        "lk_hook_after_update is 'hooks/check.yml', a relative path, and the playbook hatools.lifekeeper.rolling_update "
        "was run by its collection name (a relative path would point inside the installed collection): give an "
        "absolute path or set lk_hook_dir"]


def test_playbooks_in_two_directories_leave_a_relative_hook_unresolved():
    result = resolve({'after_update': 'hooks/check.yml'}, arguments=['wrap.yml', '/other/play.yml'])
    assert 'the playbooks given are in different directories (/other, /proj)' in result['problems'][0]


def test_a_missing_file_is_named_with_the_path_tried_and_the_rule():
    result = resolve({'after_update': 'hooks/nothing.yml', 'on_failure': '/nowhere/hook.yml'})
    assert result['problems'] == [
        "lk_hook_after_update is 'hooks/nothing.yml': no such file /proj/hooks/nothing.yml (a task file on the "
        "controller, absolute or relative; relative paths resolve against the directory of the playbook run, /proj)",
        "lk_hook_on_failure is '/nowhere/hook.yml': no such file /nowhere/hook.yml (a task file on the controller, "
        "absolute or relative; relative paths resolve against the directory of the playbook run, /proj)"]


def test_a_hook_that_is_not_a_text_is_refused():
    assert resolve({'after_update': ['a.yml']})['problems'] == [
        "lk_hook_after_update is ['a.yml']: expected the path of a task file on the controller"]


def test_the_playbook_dir_of_the_command_line():
    assert hooks.playbook_dir(['wrap.yml'], '/proj', is_file) == ('/proj', None)
    assert hooks.playbook_dir([], '/proj', is_file) == (None, 'no playbook file was given to ansible-playbook')
