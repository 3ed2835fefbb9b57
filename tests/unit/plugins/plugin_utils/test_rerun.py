# -*- coding: utf-8 -*-
"""The resume of a stopped run: the user's own command line, one vars file, or an AWX relaunch."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import yaml

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import rerun


class Vaulted(object):
    """Stands for a vault-encrypted value (ansible-core's EncryptedString is no str)."""


def test_given_variables_leave_out_secrets_vault_values_and_awx_metadata():
    given = rerun.given_variables({
        'lk_target_version': '9.9.0', 'lk_confirm': True, 'lk_fleet_parallel': 2,
        'lk_bigip_provider': {'server': 'f5', 'user': 'admin', 'password': 'hunter2'},
        'lk_media_hops': [{'version': '9.8.0', 'media': '/m.iso'}],
        'ansible_become_password': 'x', 'db_token': 'y', 'vaulted': Vaulted(),
        'awx_job_id': 7, 'tower_job_id': 7, 'lk_setup_args': None})
    assert given['vars'] == {
        'lk_target_version': '9.9.0', 'lk_confirm': True, 'lk_fleet_parallel': 2,
        'lk_bigip_provider': {'server': 'f5', 'user': 'admin'},
        'lk_media_hops': [{'version': '9.8.0', 'media': '/m.iso'}], 'lk_setup_args': None}
    assert given['left_out'] == ['ansible_become_password', 'db_token', 'lk_bigip_provider.password', 'vaulted']


def test_given_variables_of_a_run_without_extra_variables():
    assert rerun.given_variables(None) == {'vars': {}, 'left_out': []}


def test_the_vars_file_holds_the_variables_and_the_run_id_and_names_what_was_left_out():
    text = rerun.resume_vars_text({'vars': {'lk_confirm': 'true', 'lk_run_id': 'old', 'note': '{{ x }}'},
                                   'left_out': ['lk_bigip_provider.password']}, 'r1')
    lines = text.splitlines()
    assert lines[0].startswith('# The variables run r1 was given with -e, and its lk_run_id')
    assert lines[1] == '# Left out (secrets; give them again as you did): lk_bigip_provider.password'
    assert yaml.safe_load(text) == {'lk_confirm': 'true', 'lk_run_id': 'r1', 'note': '{{ x }}'}
    assert yaml.safe_load(rerun.resume_vars_text({}, 'r2')) == {'lk_run_id': 'r2'}


def test_options_to_repeat_drop_the_playbooks_extra_vars_and_check_mode():
    argv = ['-i', 'inv', 'site.yml', '-e', 'a=1', '-eb=2', '--extra-vars', '@f.yml', '--extra-vars=c=3', '--extra', 'd=4',
            '--check', '-C', '--limit', 'prod', '--start-at-task', 'Update', '--step', '-vv', '--vault-id', 'x@prompt',
            '-b', '--diff']
    assert rerun.options_to_repeat(argv, ['site.yml']) == ['-i', 'inv', '--limit', 'prod', '-vv', '--vault-id',
                                                           'x@prompt', '-b', '--diff']
    assert rerun.options_to_repeat(None, None) == []


def test_resume_lines_quote_what_the_shell_needs_and_start_in_the_users_folder():
    command_line = {'playbooks': ['my update.yml'], 'cwd': '/home/o p', 'options': ['-i', 'inv']}
    lines = rerun.resume_lines(command_line, '/arts/r1/resume-vars.yml', 'r1')
    assert lines == ["cd '/home/o p' && ansible-playbook -i inv 'my update.yml' -e @/arts/r1/resume-vars.yml",
                     '(/arts/r1/resume-vars.yml holds the variables this run was given with -e and lk_run_id=r1)']


def test_resume_lines_without_options_name_the_inventories():
    lines = rerun.resume_lines({'playbooks': ['/p/site.yml']}, '/a/v.yml', 'r1', inventories=['/inv'])
    assert lines[0] == 'ansible-playbook -i /inv /p/site.yml -e @/a/v.yml'


def test_under_awx_the_resume_is_a_relaunch_with_the_run_id():
    (line,) = rerun.resume_lines({'playbooks': ['/runner/project/site.yml']}, '/a/v.yml', 'r1', awx_job='42')
    assert line.startswith('relaunch AWX job 42 with the extra variable lk_run_id=r1')


class _SelfStr(str):
    """Like ansible-core 2.16-2.18's AnsibleUnsafeText: str() of it returns itself."""

    def __str__(self):  # pylint: disable=invalid-str-returned
        return self


def test_the_vars_file_is_written_from_strings_that_keep_their_type_through_str():
    provider = {_SelfStr('server'): _SelfStr('f5'), _SelfStr('password'): _SelfStr('x')}
    given = rerun.given_variables({_SelfStr('lk_bigip_provider'): provider, _SelfStr('lk_media'): [_SelfStr('/srv/a.iso')]})
    text = rerun.resume_vars_text(given, _SelfStr('r1'))
    assert yaml.safe_load(text) == {'lk_bigip_provider': {'server': 'f5'}, 'lk_media': ['/srv/a.iso'], 'lk_run_id': 'r1'}
    assert 'lk_bigip_provider.password' in text
