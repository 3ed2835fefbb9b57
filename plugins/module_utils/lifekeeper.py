# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One adapter over the LifeKeeper command line.

Every command runs as an argument list (never through a shell, no ``~``/``$VAR``
expansion) with ``LC_ALL=C`` and a deadline (runner.run_command: the whole process group
is killed when it expires). Failures raise LifeKeeperError, the one failure type of the
collection's modules, carrying cmd, rc, stdout and stderr when a command ran. The
generation of the installed release picks the command set: ``lkcli`` on 9.x and later,
``lkstart``/``lkstop``/``perform_action`` before.

Deadlines: a command gets ``command_timeout`` seconds, or the seconds the caller gives
(setup, restore, stop: actions whose duration is the action itself). Inside ``wait()``
every command must also end by the wait's deadline plus one ``command_timeout``, so a wait
never overruns its deadline by more than one poll interval plus one command deadline.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import time

from ansible_collections.hatools.lifekeeper.plugins.module_utils import runner as lkrunner
from ansible_collections.hatools.lifekeeper.plugins.module_utils import status as lkstatus
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    DEFAULT_LKROOT, PRODUCT_RPM, PRODUCT_RPM_PREFIX, generation_of)

DEFAULT_TIMEOUT = 300
DEFAULT_COMMAND_TIMEOUT = 60
GENERATIONS = ('lkcli', 'legacy')


class LifeKeeperError(Exception):
    """The one failure type: a command failed or timed out, or the request cannot be done.

    ``details`` become keys of the module's failure result (cmd, rc, stdout and stderr are
    included only when a command ran). ``timed_out`` is True when the command was killed at
    its deadline.
    """

    def __init__(self, msg, cmd=None, rc=None, stdout=None, stderr=None, timed_out=False, **details):
        super(LifeKeeperError, self).__init__(msg)
        self.msg = msg
        self.cmd = list(cmd) if cmd is not None else None
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out
        self.details = details

    def as_dict(self):
        result = {'msg': self.msg}
        if self.cmd is not None:
            result.update(cmd=self.cmd, rc=self.rc, stdout=self.stdout, stderr=self.stderr)
        result.update(self.details)
        return result

    def __str__(self):
        return self.msg


def wait_until(predicate_fn, timeout, interval=0.5, clock=None, sleep=None):
    """Poll predicate_fn until it reports done or timeout seconds have passed.

    predicate_fn() returns (done, last). It is called at least once; between calls
    this sleeps at most ``interval`` (never past the deadline). Returns (done, last)
    of the final call.
    """
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    deadline = clock() + max(0.0, float(timeout))
    while True:
        done, last = predicate_fn()
        if done:
            return True, last
        remaining = deadline - clock()
        if remaining <= 0:
            return False, last
        sleep(min(float(interval), remaining))


class LifeKeeper(object):
    """LifeKeeper on this host; ``module`` gives get_bin_path (for rpm and system tools)."""

    def __init__(self, module, lkroot=DEFAULT_LKROOT, command_timeout=DEFAULT_COMMAND_TIMEOUT,
                 rpm_root=None, clock=None, sleep=None):
        self.module = module
        self.lkroot = lkroot or DEFAULT_LKROOT
        self.command_timeout = float(command_timeout)
        self.rpm_root = rpm_root
        self.clock = clock or time.monotonic
        self.sleep = sleep or time.sleep
        self.wait_deadline = None

    # ---- running commands -------------------------------------------------
    def bin(self, name):
        """Absolute path of a command in $LKROOT/bin."""
        return os.path.join(self.lkroot, 'bin', name)

    @property
    def initdone_path(self):
        return os.path.join(self.lkroot, 'config', 'LK_INITDONE')

    def _argv(self, args):
        if isinstance(args, (str, bytes)) or not isinstance(args, (list, tuple)):
            raise TypeError('LifeKeeper.run() takes an argument list, not %r' % (args,))
        if not args:
            raise TypeError('LifeKeeper.run() needs a command')
        argv = [str(arg) for arg in args]
        if not os.path.isabs(argv[0]):
            argv[0] = self.bin(argv[0])
        return argv

    def command_seconds(self, timeout=None):
        """The deadline of the next command: ``timeout`` or command_timeout, and inside a wait
        no later than the wait's deadline plus one command_timeout."""
        seconds = self.command_timeout if timeout is None else float(timeout)
        if self.wait_deadline is not None:
            seconds = min(seconds, self.wait_deadline + self.command_timeout - self.clock())
        return seconds

    def _run_argv(self, argv, check=True, data=None, timeout=None, conversation=None,
                  kill_grace=None, cwd=None):
        seconds = self.command_seconds(timeout)
        name = lkrunner.command_text(argv)
        if seconds <= 0:
            if timeout is not None and float(timeout) <= 0:
                why = 'no time was left of the module\'s timeout'
            else:
                why = 'the deadline of the wait had passed by one command deadline (%s s)' % (
                    lkrunner.format_seconds(self.command_timeout))
            raise LifeKeeperError('%s was not run: %s' % (name, why), cmd=argv, timed_out=True)
        try:
            rc, out, err = lkrunner.run_command(
                argv, seconds, data=data, conversation=conversation, cwd=cwd,
                kill_grace=lkrunner.KILL_GRACE if kill_grace is None else kill_grace)
        except lkrunner.CommandInterrupted as exc:
            # kill_signal: the signal that ended it; screen: the unrecognised screen's last lines
            raise LifeKeeperError(exc.msg, cmd=argv, stdout=exc.stdout, stderr=exc.stderr,
                                  timed_out=exc.why == 'timeout', kill_signal=exc.signal,
                                  screen=exc.screen)
        except OSError as exc:
            raise LifeKeeperError('cannot run %s: %s' % (argv[0], exc.strerror or exc), cmd=argv)
        if check and rc != 0:
            detail = (err or out or '').strip() or 'no output'
            raise LifeKeeperError('%s failed (rc=%s): %s' % (name, rc, detail),
                                  cmd=argv, rc=rc, stdout=out, stderr=err)
        return rc, out, err

    def run(self, args, check=True, data=None, timeout=None, conversation=None, kill_grace=None,
            cwd=None):
        """Run a command (args[0]: a name in $LKROOT/bin or an absolute path).

        Returns (rc, stdout, stderr); raises LifeKeeperError when check and rc != 0, and
        always when the command was killed at its deadline.
        """
        return self._run_argv(self._argv(args), check=check, data=data, timeout=timeout,
                              conversation=conversation, kill_grace=kill_grace, cwd=cwd)

    def wait(self, predicate_fn, timeout, interval):
        """wait_until() on this adapter's clock; commands inside end by deadline + command_timeout."""
        saved = self.wait_deadline
        deadline = self.clock() + max(0.0, float(timeout))
        self.wait_deadline = deadline if saved is None else min(saved, deadline)
        try:
            return wait_until(predicate_fn, timeout, interval, clock=self.clock, sleep=self.sleep)
        finally:
            self.wait_deadline = saved

    # ---- what is installed -------------------------------------------------
    def _rpm(self):
        return self.module.get_bin_path('rpm')

    def _rpm_argv(self, rpm, *args):
        argv = [rpm] + list(args[:-1])
        if self.rpm_root:
            argv += ['--root', self.rpm_root]
        argv.append(args[-1])
        return argv

    def rpm_query(self, package):
        """Version of an installed rpm package, or None (not installed / no rpm)."""
        rpm = self._rpm()
        if not rpm:
            return None
        rc, out, _err = self._run_argv(self._rpm_argv(rpm, '-q', '--qf', '%{VERSION}', package), check=False)
        out = (out or '').strip()
        if rc != 0 or not out or ' ' in out:
            return None
        return out

    def packages(self):
        """[{name, version}] of every installed steeleye-* rpm (core, GUI, recovery kits), by name."""
        rpm = self._rpm()
        if not rpm:
            return []
        argv = self._rpm_argv(rpm, '-qa', '--qf', '%{NAME}\\t%{VERSION}\\n', PRODUCT_RPM_PREFIX + '*')
        _rc, out, _err = self._run_argv(argv, check=False)
        return lkstatus.parse_package_list(out)

    def version(self):
        """Version of the steeleye-lk rpm, or None (queried on every call, never cached)."""
        return self.rpm_query(PRODUCT_RPM)

    def installed(self):
        """$LKROOT/bin/lcdstatus exists and the steeleye-lk rpm is installed."""
        return os.path.exists(self.bin('lcdstatus')) and self.version() is not None

    def generation(self):
        """'lkcli' (9.x and later), 'legacy' (8.x and older) or None (not installed)."""
        return generation_of(self.version())

    def _require_generation(self):
        generation = self.generation()
        if generation is None:
            raise LifeKeeperError('LifeKeeper is not installed under %s (no %s rpm)'
                                  % (self.lkroot, PRODUCT_RPM))
        return generation

    # ---- state ---------------------------------------------------------------
    def running(self):
        """lktest exits 0."""
        if not os.path.exists(self.bin('lktest')):
            return False
        rc, _out, _err = self.run(['lktest'], check=False)
        return rc == 0

    def ready(self):
        """Running and start-up initialisation finished ($LKROOT/config/LK_INITDONE)."""
        return self.running() and os.path.exists(self.initdone_path)

    def status(self):
        """``lcdstatus -e`` parsed (status.ClusterStatus); running False when not running."""
        if not os.path.exists(self.bin('lcdstatus')):
            return lkstatus.ClusterStatus(running=False, message='%s not found' % self.bin('lcdstatus'))
        argv = self._argv(['lcdstatus', '-e'])
        rc, out, err = self._run_argv(argv, check=False)
        parsed = self._parse_short('lcdstatus -e', argv, rc, out, err)
        if not parsed.running and rc not in (0, 1):
            raise LifeKeeperError('lcdstatus -e failed (rc=%s): %s' % (rc, (err or out or '').strip()),
                                  cmd=argv, rc=rc, stdout=out, stderr=err)
        if not parsed.running and not parsed.message:
            parsed.message = (err or '').strip() or None
        return parsed

    @staticmethod
    def _parse_short(what, argv, rc, out, err):
        """The short display parsed; a row that cannot be read makes the whole answer unusable."""
        try:
            return lkstatus.parse_short_status(out)
        except ValueError as exc:
            raise LifeKeeperError('%s answered nothing usable: %s' % (what, exc),
                                  cmd=argv, rc=rc, stdout=out, stderr=err, unusable_answer=True)

    def long_status(self):
        """The long display (``lcdstatus`` without flags) parsed (status.LongStatus): resource
        types, dependencies, the node's name. LifeKeeperError when it answers nothing usable."""
        argv = self._argv(['lcdstatus'])
        rc, out, err = self._run_argv(argv, check=False)
        try:
            parsed = lkstatus.parse_long_status(out)
        except ValueError as exc:
            raise LifeKeeperError('lcdstatus (long display) answered nothing usable: %s' % exc,
                                  cmd=argv, rc=rc, stdout=out, stderr=err)
        if not parsed.running and not parsed.message:
            raise LifeKeeperError('lcdstatus (long display) answered nothing usable (rc=%s): %s'
                                  % (rc, (err or '').strip() or 'no output'), cmd=argv, rc=rc, stdout=out, stderr=err)
        return parsed

    def node_name(self):
        """This node's LifeKeeper name: the LOCAL column of ``lcdstatus -q``, or the node named
        in the not-running message; None when neither shows it (no resources, no message)."""
        if not os.path.exists(self.bin('lcdstatus')):
            return None
        _rc, out, _err = self.run(['lcdstatus', '-q'], check=False)
        return lkstatus.parse_short_status(out).node

    def peer_status(self, peer):
        """``lcdstatus -d PEER -q`` parsed, or None when the peer does not answer usably."""
        rc, out, err = self.run(['lcdstatus', '-d', peer, '-q'], check=False)
        if rc != 0:
            return None
        return self._parse_short('lcdstatus -d %s -q' % peer, ['lcdstatus', '-d', peer, '-q'], rc, out, err)

    def mirror_status(self, tag):
        """``mirror_status TAG`` parsed strictly (status.MirrorStatus).

        An answer about another tag, or without target rows, raises LifeKeeperError: the
        mirror's state is unknown, never "in sync".
        """
        argv = self._argv(['mirror_status', tag])
        rc, out, err = self._run_argv(argv, check=True)
        try:
            return lkstatus.parse_mirror_status(out, tag)
        except ValueError as exc:
            raise LifeKeeperError('cannot read mirror_status output for %s: %s' % (tag, exc),
                                  cmd=argv, rc=rc, stdout=out, stderr=err, unusable_answer=True)

    # ---- actions -------------------------------------------------------------
    def start_command(self):
        if self._require_generation() == 'lkcli':
            return ['lkcli', 'start']
        return ['lkstart']

    def stop_command(self, force=False):
        if self._require_generation() == 'lkcli':
            argv = ['lkcli', 'stop']
        else:
            argv = ['lkstop']
        if force:
            argv.append('-f')
        return argv

    def resource_command(self, action, tag):
        if action not in ('restore', 'remove'):
            raise ValueError('action must be restore or remove, not %r' % (action,))
        if self._require_generation() == 'lkcli':
            return ['lkcli', 'resource', action, '--tag', tag]
        return ['perform_action', '-t', tag, '-a', action]

    def start(self, timeout=None):
        return self.run(self.start_command(), timeout=timeout)

    def stop(self, force=False, timeout=None):
        return self.run(self.stop_command(force=force), timeout=timeout)

    def restore(self, tag, timeout=None):
        return self.run(self.resource_command('restore', tag), timeout=timeout)

    def remove(self, tag, timeout=None):
        return self.run(self.resource_command('remove', tag), timeout=timeout)
