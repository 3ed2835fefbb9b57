# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one skeleton of every hatools.lifekeeper module (after community.general's
StateModuleHelper): the shared options (doc fragment hatools.lifekeeper.lifekeeper), their
checks, one result with ``cmd``/``rc``/``stdout``/``stderr`` where a command ran and ``diff``
where state moves, one failure type (LifeKeeperError), and one method per state.

A module subclasses LkModule, sets ``argument_spec`` (its own options), ``module_kwargs``
(required_if, ...), and writes ``state_<value>()`` methods (``state_option`` names the option)
or ``run_module()``; ``main = Module.main``. A state method raises LifeKeeperError to fail; it
never calls exit_json or fail_json. Whatever goes wrong, the user gets a message, never a
traceback: OSError/IOError become "PATH: reason", ValueError its message (which names the
value), anything else "internal error" with the traceback kept in ``exception`` (-vvv).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import math
import traceback

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    DEFAULT_LKROOT, MAX_SECONDS)
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import (
    DEFAULT_COMMAND_TIMEOUT, DEFAULT_TIMEOUT, LifeKeeper, LifeKeeperError)
from ansible_collections.hatools.lifekeeper.plugins.module_utils.runner import format_seconds


def shared_argument_spec(timeout=DEFAULT_TIMEOUT):
    """The options of every module (doc fragment hatools.lifekeeper.lifekeeper)."""
    return dict(
        lkroot=dict(type='path', default=DEFAULT_LKROOT),
        timeout=dict(type='float', default=timeout),
        command_timeout=dict(type='float', default=DEFAULT_COMMAND_TIMEOUT),
    )


# the option progress, for the documentation's sake: the action plugin consumes it
PROGRESS_ARGUMENT_SPEC = dict(progress=dict(type='dict', options=dict(
    what=dict(type='str', required=True),
    at_most=dict(type='float'),
    interval=dict(type='float', default=30),
    context=dict(type='dict', default={}),
)))


def check_seconds(name, value, allow_zero=False, maximum=MAX_SECONDS):
    """Refuse inf, nan, negative (and zero unless allowed) and absurd (> 7 days) seconds.

    Returns the value as float; raises LifeKeeperError naming the option and the value.
    """
    upper = format_seconds(maximum) + (' (7 days)' if maximum == MAX_SECONDS else '')
    allowed = ('from 0 to %s' if allow_zero else 'more than 0 and at most %s') % upper
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise LifeKeeperError('%s must be a number of seconds %s, not %r' % (name, allowed, value))
    if math.isnan(seconds) or math.isinf(seconds) or seconds < 0 or seconds > maximum \
            or (seconds == 0 and not allow_zero):
        raise LifeKeeperError('%s must be a number of seconds %s, not %r' % (name, allowed, value))
    return seconds


def describe_os_error(exc):
    """'PATH: reason' (both paths for rename-like errors) of an OSError/IOError."""
    reason = exc.strerror or str(exc)
    filename = getattr(exc, 'filename', None)
    filename2 = getattr(exc, 'filename2', None)
    if filename and filename2:
        return '%s -> %s: %s' % (filename, filename2, reason)
    if filename:
        return '%s: %s' % (filename, reason)
    return reason


def module_spec(module_class):
    """(argument_spec, checks such as required_if) of an LkModule subclass: its own options, the
    shared ones and progress when it takes it; for AnsibleModule or, on the controller,
    ansible-core's ArgumentSpecValidator (plugin_utils.controller_module)."""
    spec = shared_argument_spec(module_class.default_timeout)
    spec.update(module_class.argument_spec)
    if module_class.progress_option:
        spec.update(PROGRESS_ARGUMENT_SPEC)
    return spec, dict(module_class.module_kwargs)


class LkModule(object):
    """Base of every module: shared options, checks, result, diff, failure, state dispatch."""

    argument_spec = {}
    module_kwargs = {}
    default_timeout = DEFAULT_TIMEOUT
    # The option whose value selects state_<value>(); None: run_module() is called.
    state_option = 'state'
    # Further float options that are seconds (> 0, finite, at most 7 days).
    seconds_options = ()
    # Whether the module takes the option progress (doc fragment hatools.lifekeeper.lifekeeper.progress):
    # its action plugin (plugin_utils.progress_action) reads it and never passes it on.
    progress_option = False

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.result = dict(changed=False)
        self.cleanups = []
        self.lk = LifeKeeper(module, lkroot=self.params['lkroot'],
                             command_timeout=self.params['command_timeout'] or DEFAULT_COMMAND_TIMEOUT)

    @classmethod
    def main(cls):
        spec, kwargs = module_spec(cls)
        module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        cls(module).execute()

    # ---- for the subclasses ------------------------------------------------------------------
    def validate(self):
        """Module-specific checks of the input, before anything is read or changed."""

    def run_module(self):
        raise NotImplementedError('%s has neither run_module() nor state methods' % type(self).__name__)

    def set_diff(self, before, after, **headers):
        self.result['diff'] = dict(before=before, after=after, **headers)

    def record_command(self, cmd, rc, stdout, stderr):
        """Keep what a command did in the result (cmd, rc, stdout, stderr)."""
        self.result.update(cmd=list(cmd), rc=rc, stdout=stdout, stderr=stderr)

    def on_exit(self, func, *args):
        """Run func(*args) when the module ends (success or failure), last registered first."""
        self.cleanups.append((func, args))

    # ---- the run -----------------------------------------------------------------------------
    def check_common(self):
        self.params['timeout'] = check_seconds('timeout', self.params['timeout'], allow_zero=True)
        self.params['command_timeout'] = check_seconds('command_timeout', self.params['command_timeout'])
        self.lk.command_timeout = self.params['command_timeout']
        for name in self.seconds_options:
            if self.params.get(name) is not None:
                self.params[name] = check_seconds(name, self.params[name])

    def dispatch(self):
        state = self.params.get(self.state_option) if self.state_option else None
        if state is None:
            return self.run_module()
        return getattr(self, 'state_' + state)()

    def execute(self):
        failure = None
        try:
            self.check_common()
            self.validate()
            self.dispatch()
        except LifeKeeperError as exc:
            failure = exc
        except (IOError, OSError) as exc:
            failure = LifeKeeperError(describe_os_error(exc))
        except ValueError as exc:
            failure = LifeKeeperError(str(exc))
        except Exception as exc:  # pylint: disable=broad-except
            failure = LifeKeeperError('internal error in %s: %s: %s (please report it)'
                                      % (self.module._name, type(exc).__name__, exc),
                                      exception=traceback.format_exc())
        cleanup_errors = self.run_cleanups()
        if failure is not None:
            self.fail(failure, cleanup_errors)
        if cleanup_errors:
            self.fail(LifeKeeperError('done, but cleaning up failed: %s' % '; '.join(cleanup_errors),
                                      cleanup_errors=cleanup_errors))
        self.module.exit_json(**self.result)

    def run_cleanups(self):
        errors = []
        while self.cleanups:
            func, args = self.cleanups.pop()
            try:
                func(*args)
            except LifeKeeperError as exc:
                errors.append(exc.msg)
            except (IOError, OSError) as exc:
                errors.append(describe_os_error(exc))
        return errors

    def fail(self, exc, cleanup_errors=None):
        result = dict(self.result)
        details = exc.as_dict()
        msg = details.pop('msg')
        result.update(details)
        if cleanup_errors:
            result['cleanup_errors'] = cleanup_errors
            msg = '%s; cleaning up failed too: %s' % (msg, '; '.join(cleanup_errors))
        self.module.fail_json(msg=msg, **result)
