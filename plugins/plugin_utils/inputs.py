# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every public input checked once, in pre-flight, before any node changes (controller side).

Each role checks its meta/argument_specs.yml when it starts; the roles of stage 2 and 3 start
after nodes have changed (a bad lk_update_setup_timeout used to fail once node 1 was
evacuated). Pre-flight checks every public variable with the same validator Ansible uses for
the role argument specs (ArgumentSpecValidator), read from the collection's own specs, plus
the bounds a type cannot say (a deadline of 0 seconds leaves no time).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import os

from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
# ansible-core's own YAML reader: the controller side needs no package beyond ansible-core
from ansible.module_utils.common.yaml import yaml_load

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import MAX_SECONDS

# Set by the collection at each call (the flow, the hook role, the rescue): not operator input.
INTERNAL = frozenset((
    'lk_node', 'lk_cluster_hosts', 'lk_hook_point', 'lk_hook_node', 'lk_hook_moves', 'lk_hook_run_id',
    'lk_hook_cluster', 'lk_hook_hosts', 'lk_rescue_failed_node', 'lk_rescue_failed_step', 'lk_rescue_failed_msg',
))

# Public variables of roles/defaults/defaults/main.yml that no role's argument spec lists
# (the playbooks and module_defaults use them directly).
EXTRA_SPECS = {
    'lk_command_timeout': {'type': 'float', 'default': 60},
    'lk_switchover_test': {'type': 'bool', 'default': False},
    'lk_switch_wait_for_mirror_sync': {'type': 'bool', 'default': True},
    'lk_switch_timeout': {'type': 'int', 'default': 900},
}

# (lowest, highest) of each number. Deadlines are passed to the modules, which refuse 0 and
# more than 7 days; a count may be 0.
_SECONDS = (1, MAX_SECONDS)
BOUNDS = {
    'lk_command_timeout': _SECONDS,
    'lk_evacuate_timeout': _SECONDS,
    'lk_update_setup_timeout': _SECONDS,
    'lk_update_ready_timeout': _SECONDS,
    'lk_placement_timeout': _SECONDS,
    'lk_verify_timeout': _SECONDS,
    'lk_rescue_timeout': _SECONDS,
    'lk_rollback_timeout': _SECONDS,
    'lk_rollback_setup_timeout': _SECONDS,
    'lk_maintenance_reboot_timeout': _SECONDS,
    'lk_maintenance_boot_start_timeout': _SECONDS,
    'lk_maintenance_ready_timeout': _SECONDS,
    'lk_switch_timeout': _SECONDS,
    # 0: read once, do not wait for a resync
    'lk_preflight_mirror_timeout': (0, MAX_SECONDS),
    # 0: SIGKILL at once when setup is killed at its deadline
    'lk_setup_kill_grace': (0, MAX_SECONDS),
    'lk_progress_interval': (1, 3600),
    'lk_preflight_min_free_mb': (0, None),
    'lk_fleet_canary': (0, None),
    'lk_bigip_api_timeout': _SECONDS,
    'lk_bigip_drain_poll': _SECONDS,
    # 0: do not wait for the connections to drain
    'lk_bigip_drain_timeout': (0, MAX_SECONDS),
    'lk_bigip_retry_after': (1, 86400),
}

# Never echoed in a message (it holds the BIG-IP password).
SECRET = frozenset(('lk_bigip_provider',))

_WHAT = {
    'int': 'a whole number',
    'float': 'a number',
    'bool': 'true or false (as text too: yes/no, 1/0)',
    'str': 'a text',
    'path': 'a path',
    'list': 'a list',
    'dict': 'a mapping',
}


def role_specs(roles_dir):
    """{variable: argument spec} of every option of every entry point of the roles in
    roles_dir (meta/argument_specs.yml), without descriptions and 'required' (a required
    input has its own check; an internal one is set by the collection). The default stays:
    Ansible lets null through only where the default is null."""
    specs = {}
    for path in sorted(glob.glob(os.path.join(roles_dir, '*', 'meta', 'argument_specs.yml'))):
        with open(path) as handle:
            entry_points = (yaml_load(handle) or {}).get('argument_specs') or {}
        for entry in entry_points.values():
            for name, option in ((entry or {}).get('options') or {}).items():
                specs.setdefault(name, dict((key, value) for key, value in option.items()
                                            if key not in ('description', 'required')))
    return specs


_SPECS = {}


def collection_specs():
    """The specs of every public input of the installed collection (its roles beside this
    file), read once per process."""
    if _SPECS:
        return _SPECS
    roles_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'roles')
    specs = role_specs(os.path.normpath(roles_dir))
    specs.update(EXTRA_SPECS)
    _SPECS.update((name, spec) for name, spec in specs.items() if name not in INTERNAL)
    return _SPECS


def expected(name, spec):
    """What name accepts, for a person."""
    if spec.get('choices'):
        return 'one of %s' % ', '.join(str(choice) for choice in spec['choices'])
    what = _WHAT.get(spec.get('type', 'str'), 'any value')
    if spec.get('type') == 'list' and spec.get('elements'):
        what = 'a list of %s values' % spec['elements']
    low, high = BOUNDS.get(name, (None, None))
    if low is not None and high is not None:
        what += ' from %s to %s' % (low, high)
    elif low is not None:
        what += ' of at least %s' % low
    if spec.get('type') in ('int', 'float'):
        what += " (as text too, as AWX sends it: '30')"
    return what


def _out_of_bounds(name, value):
    low, high = BOUNDS.get(name, (None, None))
    return (low is not None and value < low) or (high is not None and value > high)


def plain(value):
    """value as plain Python (dict, list, str, int, float, bool, None). The values of a play's
    variables arrive as ansible-core's lazy containers and tagged strings, whose deepcopy (the
    validator copies every value it checks) copies their templating context: some 0.5 s of CPU
    per node for pre-flight's check where the plain values take a few milliseconds. Unlike
    controller_module.plain (a module's arguments, through JSON) it keeps a value JSON cannot
    carry as it is, so that the validator names it instead of the check failing."""
    if isinstance(value, Mapping):
        return dict((plain(key), plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(item) for item in value]
    for kind in (bool, str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def input_problems(given, specs):
    """Sentences naming each bad value of given ({variable: value}, the variables that are
    set) against specs ({variable: argument spec}); variables without a spec are ignored.

    The types and choices are Ansible's own role argument validation; numbers must also be
    within BOUNDS (and not a boolean, which Ansible would read as 0 or 1).
    """
    problems = []
    for name in sorted(given):
        spec = specs.get(name)
        if spec is None:
            continue
        value = plain(given[name])
        shown = '(hidden)' if name in SECRET else repr(value)
        result = ArgumentSpecValidator({name: spec}).validate({name: value}, validate_role_argument_spec=True)
        checked = result.validated_parameters.get(name)
        bad = bool(result.error_messages)
        if not bad and spec.get('type') in ('int', 'float') and value is not None:
            bad = isinstance(value, bool) or _out_of_bounds(name, checked)
        if bad:
            problems.append('%s is %s: expected %s' % (name, shown, expected(name, spec)))
    return problems
