# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One adapter over the LifeKeeper command line.

Every command runs as an argument list (never through a shell, no ``~``/``$VAR``
expansion) with ``LC_ALL=C``; failures raise LifeKeeperError carrying cmd, rc,
stdout and stderr. The generation of the installed release picks the command set:
``lkcli`` on 9.x and later, ``lkstart``/``lkstop``/``perform_action`` before.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import time

from ansible_collections.hatools.lifekeeper.plugins.module_utils import status as lkstatus
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    DEFAULT_LKROOT, PRODUCT_RPM, generation_of)

DEFAULT_TIMEOUT = 300
C_LOCALE = {'LC_ALL': 'C', 'LANG': 'C'}
GENERATIONS = ('lkcli', 'legacy')


def lifekeeper_argument_spec():
    """The options shared by every module (doc fragment hatools.lifekeeper.lifekeeper)."""
    return dict(
        lkroot=dict(type='path', default=DEFAULT_LKROOT),
        timeout=dict(type='float', default=DEFAULT_TIMEOUT),
    )


class ModuleFailure(Exception):
    """A failure a module reports with fail_json after cleaning up: msg plus result details."""

    def __init__(self, msg, **details):
        super(ModuleFailure, self).__init__(msg)
        self.msg = msg
        self.details = details


class LifeKeeperError(Exception):
    """A LifeKeeper command failed, or LifeKeeper is not usable for the request."""

    def __init__(self, msg, cmd=None, rc=None, stdout=None, stderr=None):
        super(LifeKeeperError, self).__init__(msg)
        self.msg = msg
        self.cmd = list(cmd) if cmd is not None else None
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr

    def as_dict(self):
        return {'msg': self.msg, 'cmd': self.cmd, 'rc': self.rc,
                'stdout': self.stdout, 'stderr': self.stderr}

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
    """LifeKeeper on this host, driven through ``module.run_command``."""

    def __init__(self, module, lkroot=DEFAULT_LKROOT, rpm_root=None):
        self.module = module
        self.lkroot = lkroot or DEFAULT_LKROOT
        self.rpm_root = rpm_root

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

    def _run_argv(self, argv, check=True, data=None):
        rc, out, err = self.module.run_command(
            argv, check_rc=False, data=data, environ_update=dict(C_LOCALE),
            expand_user_and_vars=False, use_unsafe_shell=False)
        if check and rc != 0:
            detail = (err or out or '').strip() or 'no output'
            raise LifeKeeperError('%s failed (rc=%s): %s' % (os.path.basename(argv[0]), rc, detail),
                                  cmd=argv, rc=rc, stdout=out, stderr=err)
        return rc, out, err

    def run(self, args, check=True, data=None):
        """Run a command (args[0]: a name in $LKROOT/bin or an absolute path).

        Returns (rc, stdout, stderr); raises LifeKeeperError when check and rc != 0.
        """
        return self._run_argv(self._argv(args), check=check, data=data)

    # ---- what is installed -------------------------------------------------
    def rpm_query(self, package):
        """Version of an installed rpm package, or None (not installed / no rpm)."""
        rpm = self.module.get_bin_path('rpm')
        if not rpm:
            return None
        argv = [rpm, '-q', '--qf', '%{VERSION}']
        if self.rpm_root:
            argv += ['--root', self.rpm_root]
        argv.append(package)
        rc, out, _err = self._run_argv(argv, check=False)
        out = (out or '').strip()
        if rc != 0 or not out or ' ' in out:
            return None
        return out

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
        parsed = lkstatus.parse_short_status(out)
        if not parsed.running and rc not in (0, 1):
            raise LifeKeeperError('lcdstatus failed (rc=%s): %s' % (rc, (err or out or '').strip()),
                                  cmd=argv, rc=rc, stdout=out, stderr=err)
        if not parsed.running and not parsed.message:
            parsed.message = (err or '').strip() or None
        return parsed

    def node_name(self):
        """This node's LifeKeeper name: the LOCAL column of ``lcdstatus -q``, or the node named
        in the not-running message; None when neither shows it (no resources, no message)."""
        if not os.path.exists(self.bin('lcdstatus')):
            return None
        _rc, out, _err = self.run(['lcdstatus', '-q'], check=False)
        return lkstatus.parse_short_status(out).node

    def mirror_status(self, tag):
        """``mirror_status TAG`` parsed (status.MirrorStatus)."""
        argv = self._argv(['mirror_status', tag])
        rc, out, err = self._run_argv(argv, check=True)
        try:
            return lkstatus.parse_mirror_status(out)
        except ValueError as exc:
            raise LifeKeeperError('cannot read mirror_status output for %s: %s' % (tag, exc),
                                  cmd=argv, rc=rc, stdout=out, stderr=err)

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

    def start(self):
        return self.run(self.start_command())

    def stop(self, force=False):
        return self.run(self.stop_command(force=force))

    def restore(self, tag):
        return self.run(self.resource_command('restore', tag))

    def remove(self, tag):
        return self.run(self.resource_command('remove', tag))
