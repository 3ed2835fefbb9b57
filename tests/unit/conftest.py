# -*- coding: utf-8 -*-
"""Unit-test setup shared by all tests under tests/unit.

1. Makes ``ansible_collections.hatools.lifekeeper`` importable: when this checkout
   already lives at ``.../ansible_collections/hatools/lifekeeper`` its parent is put on
   sys.path; otherwise a temporary tree ``<tmp>/ansible_collections/hatools/lifekeeper``
   (a symlink to the repo root) is built and ``<tmp>`` is put first on sys.path.
   ``ansible_collections`` stays a plain namespace package, so collections installed in
   site-packages (the ``ansible`` package) are still found next to it.
2. Fixtures for module tests: ``lkroot`` (a fake $LKROOT with the command files) and
   ``fake_cli`` (replaces runner.run_command, the one place commands are started, with
   recorded outputs keyed by argv) and ``run_module`` (calls a module's main() under
   patch_module_args and returns the result dict).
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import atexit
import os
import shutil
import sys
import tempfile

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMESPACE, NAME = 'hatools', 'lifekeeper'


def _collection_parent():
    parts = REPO_ROOT.split(os.sep)
    if parts[-3:] == ['ansible_collections', NAMESPACE, NAME]:
        return os.sep.join(parts[:-3])
    tmp = tempfile.mkdtemp(prefix='lk-unit-')
    atexit.register(shutil.rmtree, tmp, True)
    ns_dir = os.path.join(tmp, 'ansible_collections', NAMESPACE)
    os.makedirs(ns_dir)
    os.symlink(REPO_ROOT, os.path.join(ns_dir, NAME))
    return tmp


def _install_path():
    parent = _collection_parent()
    if parent not in sys.path:
        sys.path.insert(0, parent)
    # ansible_collections is a namespace package: its portions follow sys.path changes,
    # and under ansible-test units its collection loader resolves the same name.
    __import__('ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper')


_install_path()

# Imported after the path is set up.
from ansible.module_utils import basic  # noqa: E402

try:
    from ansible.module_utils.testing import patch_module_args  # noqa: E402  (ansible-core >= 2.19)
except ImportError:  # ansible-core 2.16-2.18 (`make core216`): module args the way their own unit tests set them
    import contextlib
    import json
    import types

    @contextlib.contextmanager
    def patch_module_args(args=None):
        args = dict(args or {}, _ansible_remote_tmp='/tmp', _ansible_keep_remote_files=False)
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode('utf-8')
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

    sys.modules['ansible.module_utils.testing'] = types.ModuleType('ansible.module_utils.testing')
    sys.modules['ansible.module_utils.testing'].patch_module_args = patch_module_args

# Where AnsibleModule hands over its result: 2.19 records it, older cores format and print it.
RESULT_HOOK = '_record_module_result' if hasattr(basic.AnsibleModule, '_record_module_result') else '_return_formatted'

from ansible_collections.hatools.lifekeeper.plugins.module_utils import runner as lkrunner  # noqa: E402

# Commands a fake $LKROOT/bin gets (both generations' sets; tests remove what they need absent).
LK_COMMANDS = ('lcdstatus', 'lktest', 'lkstart', 'lkstop', 'lkcli', 'perform_action', 'lkbackup',
               'lksupport', 'rmlk', 'mirror_status', 'mirror_action')
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'plugins', 'module_utils', 'fixtures')
RPM = '/usr/bin/rpm'


def fixture_text(name):
    with open(os.path.join(FIXTURES, name), encoding='utf-8') as handle:
        return handle.read()


# The 8.x setup screens as the simulator prints them (tests/lksim/setup_prompts.py; assumed
# texts but the Java line, see ASSUMPTIONS.md): an Enter screen ends with "Press ENTER ...",
# a question with its default; no newline after either. core_update/core_fresh take versions.
ENTER_LINE = '\nPress ENTER to continue... '
SETUP8_QUESTIONS = {
    'intro': 'LifeKeeper for Linux %s setup.\nThis will install or update LifeKeeper for Linux on this system.'
             + ENTER_LINE,
    'stop_lifekeeper': 'LifeKeeper is running. It must be stopped before the update continues.\n'
                       'Press ENTER to stop LifeKeeper... ',
    'stop_done': 'The stop of LifeKeeper has completed.' + ENTER_LINE,
    'base_packages': 'The LifeKeeper base packages will be installed or updated.' + ENTER_LINE,
    'java_current': 'Java is already properly installed on this system.' + ENTER_LINE,
    'java': 'Install the Java Runtime for the GUI client? (y/n) [y] ',
    'datakeeper': 'Update the DataKeeper kernel module? Answer n if DataKeeper is not used. (y/n) [y] ',
    'nfs_utils': 'Enable the NFS utilities (nfs-utils) for protected NFS exports? Answer n if NFS is not used. '
                 '(y/n) [y] ',
    'nfs_restart': 'Restart the NFS daemons now? (y/n) [y] ',
    'required_packages': 'The required packages will be updated: bzip2 lsof net-tools patch' + ENTER_LINE,
    'core_update': 'The LifeKeeper core packages will be updated (%s -> %s).' + ENTER_LINE,
    'core_fresh': 'The LifeKeeper core packages will be installed (%s).' + ENTER_LINE,
    'gui_users': 'GUI group and login users (space separated) [keep]: ',
    'license': 'Install license keys now? (y/n) [n] ',
    'license_files': 'License key file(s), space separated: ',
    'kit_selection': 'Recovery kits to select (space separated names, Enter keeps the marks): ',
    'kit_confirm': 'Install/update the selected recovery kits? (y/n) [y] ',
}


class FakeClock(object):
    """A monotonic clock that only moves when told (sleep and hanging commands move it)."""

    def __init__(self, now=1000.0):
        self.now = now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds):
        self.now += seconds


class Hang(object):
    """A response: the command hangs until it is killed at its deadline.

    With a FakeClock the clock moves by the deadline; without one the call returns at once.
    Either way the adapter sees what runner.run_command raises for a killed command.
    """

    def __init__(self, clock=None, stdout=''):
        self.clock = clock
        self.stdout = stdout
        self.deadlines = []

    def __call__(self, argv, timeout):
        self.deadlines.append(timeout)
        if self.clock is not None:
            self.clock.advance(timeout)
        raise lkrunner.CommandInterrupted(argv, 'timeout', timeout, self.stdout, '', signal_name='SIGTERM')


def with_kwargs(func):
    """A response callable that gets the call's keyword arguments (timeout, data, conversation)."""
    def call(argv, **kwargs):
        return func(argv, **kwargs)
    call.takes_kwargs = True
    return call


class _Route(dict):
    """Responses of FakeCli.route: the argvs set in it, then the catch-all for everything else."""

    def __init__(self, catch_all):
        dict.__init__(self)
        self.catch_all = catch_all

    def __contains__(self, argv):
        return True

    def __getitem__(self, argv):
        return dict.get(self, argv, self.catch_all)


class FakeCli(object):
    """Recorded command outputs keyed by argv (a tuple).

    A response is (rc, out, err), a list of those (consumed in order, the last one
    repeats), a Hang, or a callable(argv) returning one (callable(argv, **kwargs) when
    marked with with_kwargs). ``calls`` records (argv, kwargs) of every call; an argv
    without a response fails the test.
    """

    def __init__(self):
        self.responses = {}
        self.calls = []

    def set(self, argv, response):
        self.responses[tuple(argv)] = response

    def route(self, response):
        """Answer every command with response (a callable); responses[argv] = ... still overrides."""
        self.responses = _Route(response)

    def argvs(self):
        return [argv for argv, _kw in self.calls]

    def __call__(self, args, timeout, data=None, env_update=None, conversation=None, **more):
        assert isinstance(args, list), 'run_command got %r, not an argument list' % (args,)
        assert timeout is not None and 0 < timeout < float('inf'), 'no deadline for %r: %r' % (args, timeout)
        argv = tuple(args)
        kwargs = dict(timeout=timeout, data=data, env_update=env_update, conversation=conversation)
        kwargs.update((key, more[key]) for key in ('cwd', 'kill_grace') if more.get(key) is not None)
        self.calls.append((argv, kwargs))
        if argv not in self.responses:
            raise AssertionError('unexpected command %r; recorded: %r' % (argv, sorted(self.responses)))
        response = self.responses[argv]
        if isinstance(response, Hang):
            return response(list(argv), timeout)
        if callable(response):
            if getattr(response, 'takes_kwargs', False):
                return response(argv, **kwargs)
            return response(argv)
        if isinstance(response, list):
            if len(response) > 1:
                return response.pop(0)
            return response[0]
        return response


@pytest.fixture
def lkroot(tmp_path):
    """A fake $LKROOT: bin/<cmd> files for LK_COMMANDS and an empty config/."""
    root = tmp_path / 'LifeKeeper'
    (root / 'bin').mkdir(parents=True)
    (root / 'config').mkdir()
    for name in LK_COMMANDS:
        path = root / 'bin' / name
        path.write_text('#!/bin/sh\nexit 99\n')
        path.chmod(0o755)
    return root


@pytest.fixture
def fake_cli(monkeypatch):
    """Install a FakeCli as runner.run_command; rpm resolves to /usr/bin/rpm."""
    cli = FakeCli()
    monkeypatch.setattr(lkrunner, 'run_command', cli)

    def no_run_command(self, *args, **kwargs):
        raise AssertionError('a module called AnsibleModule.run_command (no deadline): %r' % (args,))

    monkeypatch.setattr(basic.AnsibleModule, 'run_command', no_run_command)
    real_get_bin_path = basic.AnsibleModule.get_bin_path

    def get_bin_path(self, arg, required=False, opt_dirs=None):
        if arg == 'rpm':
            return RPM
        return real_get_bin_path(self, arg, required=required, opt_dirs=opt_dirs)

    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', get_bin_path)
    return cli


def rpm_argv(package='steeleye-lk'):
    return (RPM, '-q', '--qf', '%{VERSION}', package)


def run_module(main, args, check_mode=False, diff=False):
    """Run main() with args; returns (failed, result dict)."""
    args = dict(args)
    if check_mode:
        args['_ansible_check_mode'] = True
    if diff:
        args['_ansible_diff'] = True
    captured = {}
    original = getattr(basic.AnsibleModule, RESULT_HOOK)

    def record(self, result):
        original(self, result)  # serialises as Ansible would (fails on non-JSON values)
        captured.update(result)

    with patch_module_args(args):
        mp = pytest.MonkeyPatch()
        try:
            mp.setattr(basic.AnsibleModule, RESULT_HOOK, record)
            with pytest.raises(SystemExit) as exc_info:
                main()
        finally:
            mp.undo()
    assert captured, 'module exited without a result'
    failed = bool(captured.get('failed'))
    assert (exc_info.value.code != 0) == failed, 'exit code and failed disagree'
    return failed, captured


@pytest.fixture
def run():
    return run_module
