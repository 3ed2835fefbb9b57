# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write docs/variables.md, the variable reference, from the roles' meta/argument_specs.yml.

The argument specs are the one source of every variable's type, default and meaning (what
ansible-doc shows and what pre-flight checks); this page groups them by purpose for a
reader. Variables no spec lists (plugins/plugin_utils/inputs.py EXTRA_SPECS, and the
switchover playbook's own) are described here. tests/unit/test_variables_page.py fails
when the page differs from what this script writes, or when a variable is in no group.

Usage: python tests/docs/gen_variables.py [--check]
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ast
import glob
import os
import re
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join('docs', 'variables.md')
COMMAND = 'python tests/docs/gen_variables.py'

# (name, title, what the group is for, variables). Every public variable is in exactly one.
GROUPS = (
    ('first-run', 'The first run: target, confirmation, run id',
     'What every run needs; `--check` shows the plan without `lk_confirm`.',
     ('lk_target_version', 'lk_media', 'lk_confirm', 'lk_run_id', 'lk_cluster_group', 'lk_lkroot')),
    ('media-and-setup', 'Media and setup',
     "Where the product ISO comes from and how the product's setup is run.",
     ('lk_media_src', 'lk_media_sha256', 'lk_media_access', 'lk_media_hops', 'lk_setup_config_file',
      'lk_setup_args', 'lk_setup_kits', 'lk_license_files', 'lk_setup_allow_nfs_restart', 'lk_setup_answers',
      'lk_setup_kill_grace')),
    ('pre-flight-checks', 'Pre-flight checks',
     "The vendor's pre-flight checks, evaluated on every node before anything changes.",
     ('lk_preflight_skip', 'lk_accept_perl_change', 'lk_preflight_min_free_mb', 'lk_mirror_numbers',
      'lk_supported_kernels', 'lk_preflight_mirror_timeout')),
    ('deadlines', 'Deadlines',
     'Seconds each wait or command may take; a wait that runs out fails its step, naming what it waited for.',
     ('lk_command_timeout', 'lk_evacuate_timeout', 'lk_update_setup_timeout', 'lk_update_ready_timeout',
      'lk_placement_timeout', 'lk_verify_timeout', 'lk_rescue_timeout', 'lk_rollback_timeout',
      'lk_rollback_setup_timeout', 'lk_switch_timeout')),
    ('backups-records-and-the-report', 'Backups, records and the report',
     'Where backups, support bundles, progress records and the report are kept, and how often a long wait says so.',
     ('lk_artifacts_dir', 'lk_backup_node_dir', 'lk_update_state_dir', 'lk_report_file', 'lk_report_playbook',
      'lk_report_clusters_from', 'lk_progress_interval')),
    ('placement-and-switchovers', 'Placement and switchovers',
     'Where the hierarchies end up, the optional switchover test and `switchover.yml`.',
     ('lk_restore_placement', 'lk_placement_file', 'lk_switchover_test', 'lk_switch_to', 'lk_switch_tags',
      'lk_switch_wait_for_mirror_sync')),
    ('locks', 'Locks', 'One run per cluster: the cluster lock.',
     ('lk_break_lock',)),
    ('hooks', 'Hooks', 'Task files of yours run at fixed points of the flow.',
     ('lk_hook_before_evacuate', 'lk_hook_after_evacuate', 'lk_hook_after_update', 'lk_hook_before_placement',
      'lk_hook_after_placement', 'lk_hook_on_failure', 'lk_hook_dir')),
    ('big-ip', 'BIG-IP', 'The optional `bigip_drain` role ([docs/bigip.md](bigip.md)), used through the hooks.',
     ('lk_bigip_provider', 'lk_bigip_members', 'lk_bigip_virtual_servers', 'lk_bigip_partition',
      'lk_bigip_irule_name', 'lk_bigip_retry_after', 'lk_bigip_disable_state', 'lk_bigip_drain_timeout',
      'lk_bigip_drain_poll', 'lk_bigip_drain_timeout_action', 'lk_bigip_ledger', 'lk_bigip_delegate_to',
      'lk_bigip_api_timeout')),
    ('fleet', 'Fleet', 'Several clusters in one run (the leaf groups under `lk_cluster_group`).',
     ('lk_fleet_parallel', 'lk_fleet_canary', 'lk_fleet_all_or_nothing')),
    ('reinstall-and-rollback', 'Reinstall and rollback',
     'Nodes outside the direct update window (rmlk and a fresh install), and `rollback.yml`.',
     ('lk_allow_reinstall', 'lk_reinstall_rebuild', 'lk_reinstall_restore_archive', 'lk_defaults_carry',
      'lk_rollback_archive', 'lk_rollback_version', 'lk_rollback_media')),
    ('rolling-maintenance', 'Rolling OS maintenance',
     '`rolling_maintenance.yml` and the `maintenance` role: each node emptied, maintained, rebooted and back in turn.',
     ('lk_maintenance_tasks', 'lk_maintenance_packages', 'lk_maintenance_reboot', 'lk_maintenance_reboot_timeout',
      'lk_maintenance_boot_time_command', 'lk_maintenance_boot_start_timeout', 'lk_maintenance_ready_timeout')),
    ('discovery', 'Discovery',
     '`discover.yml`: an inventory of the clusters LifeKeeper knows on a few hosts.',
     ('lk_discover_file', 'lk_discover_hosts')),
    ('set-by-the-collection', 'Set by the collection',
     'Inputs the flow gives a role or a hook at each call; set them yourself only when you call a role '
     'from your own playbook.',
     ('lk_node', 'lk_cluster_hosts', 'lk_hook_point', 'lk_hook_node', 'lk_hook_moves', 'lk_hook_run_id',
      'lk_hook_cluster', 'lk_hook_hosts', 'lk_rescue_failed_node', 'lk_rescue_failed_step',
      'lk_rescue_failed_msg')),
)

# The meaning of each EXTRA_SPECS variable (inputs.py has the type and the default only).
EXTRA_DESCRIPTIONS = {
    'lk_command_timeout': 'Seconds each single LifeKeeper command may run (every module\'s `command_timeout`): a '
                          'command that does not answer is killed with its process group and named; a wait overruns '
                          'its deadline by at most one poll and one command.',
    'lk_switchover_test': 'After the update, switch each hierarchy to an updated standby and back (the guides\' '
                          'optional check); its outages are reported apart (report key `switchover_test`).',
    'lk_switch_wait_for_mirror_sync': '`switchover.yml`: wait until the node\'s mirrors are in sync before switching.',
    'lk_switch_timeout': '`switchover.yml`: seconds allowed for the switchover.',
}

# Inputs of a playbook of the collection that no role reads (no spec, no default).
PLAYBOOK_ONLY = {
    'lk_switch_to': {'type': 'str', 'required': True, 'playbook': 'switchover.yml',
                     'description': 'Inventory name of the node that takes the hierarchies.'},
    'lk_switch_tags': {'type': 'list', 'elements': 'str', 'required': True, 'playbook': 'switchover.yml',
                       'description': 'Hierarchy root tags, a list or comma-separated.'},
    'lk_discover_file': {'type': 'path', 'required': True, 'playbook': 'discover.yml',
                         'description': 'The inventory file to write on the controller: one child group of '
                                        '`lifekeeper` per cluster found.'},
    'lk_discover_hosts': {'type': 'str', 'default': 'all', 'playbook': 'discover.yml',
                          'description': 'The hosts (a group or pattern) that read their own LifeKeeper node.'},
}

_MACRO = re.compile(r'\b([A-Z])\(([^()]*)\)')


def _inline(text):
    """ansible-doc markup to Markdown, pipes escaped for a table cell."""
    def repl(match):
        kind, value = match.groups()
        if kind == 'I':
            return '*%s*' % value
        if kind == 'B':
            return '**%s**' % value
        if kind == 'L':
            label, _sep, url = value.partition(',')
            return '[%s](%s)' % (label.strip(), url.strip())
        return '`%s`' % value
    previous = None
    while previous != text:
        previous, text = text, _MACRO.sub(repl, text)
    return ' '.join(text.split()).replace('|', '\\|')


def _paragraphs(description):
    if isinstance(description, str):
        description = [description]
    return [_inline(part) for part in description or []]


def _literal(tree, name):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, 'id', None) == name for target in node.targets):
            value = node.value
            if isinstance(value, ast.Call):  # frozenset((...))
                value = value.args[0]
            return ast.literal_eval(value)
    raise LookupError('plugins/plugin_utils/inputs.py has no %s' % name)


def inputs_module(repo):
    """(EXTRA_SPECS, INTERNAL) of plugins/plugin_utils/inputs.py, read without importing it."""
    with open(os.path.join(repo, 'plugins', 'plugin_utils', 'inputs.py')) as handle:
        tree = ast.parse(handle.read())
    return _literal(tree, 'EXTRA_SPECS'), frozenset(_literal(tree, 'INTERNAL'))


def role_specs(repo):
    """{role: argument_specs} of every role with a meta/argument_specs.yml."""
    specs = {}
    for path in sorted(glob.glob(os.path.join(repo, 'roles', '*', 'meta', 'argument_specs.yml'))):
        with open(path) as handle:
            specs[path.split(os.sep)[-3]] = (yaml.safe_load(handle) or {}).get('argument_specs') or {}
    return specs


def internal_roles(repo):
    """Roles whose every entry point is marked (internal): shared pieces of the playbooks."""
    return set(role for role, entries in role_specs(repo).items()
               if entries and all('(internal)' in str((spec or {}).get('short_description', ''))
                                  for spec in entries.values()))


def variables(repo):
    """{name: {'option', 'required', 'computed', 'meanings': [(roles, text)], 'roles': [...]}}."""
    result = {}
    with open(os.path.join(repo, 'roles', 'defaults', 'defaults', 'main.yml')) as handle:
        defaults = yaml.safe_load(handle) or {}
    internal = internal_roles(repo)
    for role, entries in role_specs(repo).items():
        shown = '(%s)' % role if role in internal else role
        for entry, spec in entries.items():
            for name, option in ((spec or {}).get('options') or {}).items():
                var = result.setdefault(name, {'option': option, 'required': False, 'roles': [], 'meanings': [],
                                               'computed': defaults.get(name, '')})
                var['required'] = var['required'] or bool(option.get('required'))
                if shown not in var['roles']:
                    var['roles'].append(shown)
                text = ' '.join(_paragraphs(option.get('description')))
                for roles, known in var['meanings']:
                    if known == text:
                        if shown not in roles:
                            roles.append(shown)
                        break
                else:
                    var['meanings'].append(([shown], text))
    extra, _internal = inputs_module(repo)
    for name, option in extra.items():
        if name in result:
            continue
        if name not in EXTRA_DESCRIPTIONS:
            raise LookupError('%s (inputs.py EXTRA_SPECS) has no description in %s EXTRA_DESCRIPTIONS'
                              % (name, COMMAND.split()[-1]))
        result[name] = {'option': option, 'required': False, 'roles': ['(playbooks)'],
                        'meanings': [([], EXTRA_DESCRIPTIONS[name])]}
    for name, option in PLAYBOOK_ONLY.items():
        result.setdefault(name, {'option': option, 'required': True, 'roles': ['(%s)' % option['playbook']],
                                 'meanings': [([], option['description'])]})
    return result


def ungrouped(repo):
    """Variables in no group, and group entries that are no variable."""
    names = set(variables(repo))
    grouped = [name for group in GROUPS for name in group[3]]
    twice = sorted(set(name for name in grouped if grouped.count(name) > 1))
    return sorted(names - set(grouped)), sorted(set(grouped) - names), twice


def _type(option):
    kind = option.get('type', 'str')
    if kind == 'list' and option.get('elements'):
        kind = 'list/%s' % option['elements']
    return kind


def _default(var):
    option = var['option']
    if 'default' in option:
        value = option['default']
        if isinstance(value, bool):
            value = str(value).lower()
        elif value == '':
            value = '""'
        return '`%s`' % (value if not isinstance(value, (list, dict)) else yaml.safe_dump(
            value, default_flow_style=True).strip())
    if var['required']:
        return '(required)'
    return '(computed)' if '{{' in str(var.get('computed', '')) else '(optional)'


def _meaning(var):
    option = var['option']
    parts = []
    for roles, text in var['meanings']:
        if len(var['meanings']) > 1:
            text = '*%s*: %s' % (', '.join(roles), text)
        parts.append(text)
    meaning = '<br>'.join(parts)
    if option.get('choices'):
        meaning += ' Choices: %s.' % ', '.join('`%s`' % choice for choice in option['choices'])
    return meaning


def anchor(title):
    """The anchor GitHub gives a heading."""
    return re.sub(r'[^\w\- ]', '', title.strip().lower()).replace(' ', '-')


def render(repo=REPO):
    """The page's text."""
    missing, unknown, twice = ungrouped(repo)
    if missing or unknown or twice:
        raise LookupError('%s GROUPS: variables in no group %s; not variables %s; in two groups %s'
                          % (COMMAND.split()[-1], missing, unknown, twice))
    found = variables(repo)
    lines = [
        '# Variable reference',
        '',
        '<!-- Generated from roles/*/meta/argument_specs.yml and plugins/plugin_utils/inputs.py by',
        '     `%s`; tests/unit/test_variables_page.py keeps it in step. Do not edit. -->' % COMMAND,
        '',
        'Every public variable of `hatools.lifekeeper`, grouped by purpose. The roles\' argument specs are',
        'the source (`ansible-doc -t role hatools.lifekeeper.<role>` shows them per role); pre-flight checks',
        'every variable against them before anything changes on any node. Where roles describe a variable',
        'differently, each description is given with the roles it comes from. "read by" names the roles',
        '(internal ones in parentheses are shared pieces of the playbooks).',
        '',
    ]
    lines += ['- [%s](#%s)' % (title, anchor(title)) for _name, title, _what, _names in GROUPS]
    lines += ['- [Roles and their entry points](#roles-and-their-entry-points)', '']
    for _name, title, what, names in GROUPS:
        lines += ['## %s' % title, '', what, '',
                  '| variable | type | default | meaning | read by |', '|---|---|---|---|---|']
        for name in names:
            var = found[name]
            lines.append('| `%s` | %s | %s | %s | %s |' % (
                name, _type(var['option']), _default(var), _meaning(var), ', '.join(var['roles'])))
        lines.append('')
    lines += ['## Roles and their entry points', '',
              'What each role does, its entry points (`tasks_from: <entry point>.yml`) and the variables it',
              'reads. Internal roles are shared pieces of the playbooks, documented for ansible-doc, not',
              'meant to be called by users.', '']
    group_of = dict((name, anchor(title)) for _name, title, _what, names in GROUPS for name in names)
    shared = internal_roles(repo)
    for role, entries in role_specs(repo).items():
        main = entries.get('main') or {}
        lines += ['### `hatools.lifekeeper.%s`%s' % (role, ' (internal)' if role in shared else ''), '']
        title = _inline(main.get('short_description', ''))
        lines += [title + '.' if title and not title.endswith('.') else title, '']
        for paragraph in _paragraphs(main.get('description')):
            lines += [paragraph, '']
        points = ['`%s` (%s)' % (entry, _inline((spec or {}).get('short_description', '')))
                  for entry, spec in entries.items()]
        lines += ['Entry points: %s.' % ', '.join(points), '']
        names = []
        for spec in entries.values():
            for name in ((spec or {}).get('options') or {}):
                if name not in names:
                    names.append(name)
        if names:
            lines += ['Variables: %s.' % ', '.join('[`%s`](#%s)' % (name, group_of[name]) for name in names), '']
    return '\n'.join(lines).rstrip('\n') + '\n'


def main(argv):
    text = render(REPO)
    path = os.path.join(REPO, PAGE)
    if '--check' in argv:
        with open(path) as handle:
            if handle.read() != text:
                sys.stderr.write('%s is out of date: run %s\n' % (PAGE, COMMAND))
                return 1
        return 0
    with open(path, 'w') as handle:
        handle.write(text)
    print('wrote %s' % PAGE)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
