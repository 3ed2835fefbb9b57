#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: lk_service
short_description: Start or stop SIOS LifeKeeper on a node
version_added: 1.0.0
description:
  - Starts LifeKeeper and waits until it is ready (C(lktest) exits 0 and
    C($LKROOT/config/LK_INITDONE) exists), or stops it and waits until C(lktest) fails.
  - Uses C(lkcli start) and C(lkcli stop [-f]) on 9.x and later, C(lkstart) and
    C(lkstop [-f]) on 8.x.
  - Does nothing when LifeKeeper is already in the requested state.
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - hatools.lifekeeper.lifekeeper
  - hatools.lifekeeper.lifekeeper.progress
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Predicts RV(ignore:changed) from whether LifeKeeper runs; runs no start or stop command.
  diff_mode:
    support: full
    details: Shows C(running) before and after.
  platform:
    platforms: posix
options:
  state:
    description:
      - V(started) starts LifeKeeper (when it is not running) and waits until it is ready.
      - V(stopped) stops LifeKeeper (when it is running) and waits until it no longer answers.
    type: str
    required: true
    choices: [started, stopped]
  force:
    description:
      - With O(state=stopped), stop only LifeKeeper and leave the protected resources
        running, unprotected (C(stop -f)). Without it the resources are taken out of
        service on this node first.
      - Ignored with O(state=started).
    type: bool
    default: false
  poll_interval:
    description:
      - Seconds between two checks while waiting.
    type: float
    default: 0.5
seealso:
  - module: hatools.lifekeeper.lk_status
'''

EXAMPLES = r'''
- name: Stop LifeKeeper, leaving the protected applications running
  hatools.lifekeeper.lk_service:
    state: stopped
    force: true

- name: Start LifeKeeper and wait until it is ready
  hatools.lifekeeper.lk_service:
    state: started
    timeout: 600
'''

RETURN = r'''
state:
  description: The requested state.
  returned: always
  type: str
  sample: started
running:
  description: LifeKeeper runs when the module finishes.
  returned: always
  type: bool
  sample: true
ready:
  description: LifeKeeper runs and has finished start-up when the module finishes.
  returned: always
  type: bool
  sample: true
running_before:
  description: LifeKeeper ran when the module started.
  returned: always
  type: bool
  sample: false
version:
  description: Installed LifeKeeper version.
  returned: always
  type: str
  sample: 9.9.0
generation:
  description: Command set used, V(lkcli) or V(legacy).
  returned: always
  type: str
  sample: lkcli
cmd:
  description: The command run (or, in check mode, the command that would run); null when nothing was to be done.
  returned: always
  type: list
  elements: str
  sample: [/opt/LifeKeeper/bin/lkcli, start]
stdout:
  description: Output of the command.
  returned: when a command ran
  type: str
  sample: ''
stderr:
  description: Error output of the command.
  returned: when a command ran
  type: str
  sample: ''
elapsed:
  description: Seconds from the start of the command until the state was reached.
  returned: always
  type: float
  sample: 4.2
'''

import os

from ansible_collections.hatools.lifekeeper.plugins.module_utils.base import LkModule
from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import LifeKeeperError


class LifeKeeperService(LkModule):
    """One method per requested state (like community.general's pacemaker modules)."""

    progress_option = True

    argument_spec = dict(
        state=dict(type='str', required=True, choices=['started', 'stopped']),
        force=dict(type='bool', default=False),
        poll_interval=dict(type='float', default=0.5),
    )
    seconds_options = ('poll_interval',)

    def dispatch(self):
        lk = self.lk
        self.started = lk.clock()
        version = lk.version()
        self.result.update(state=self.params['state'], cmd=None, version=version,
                           generation=lk.generation() if version else None)
        if not lk.installed():
            raise LifeKeeperError('LifeKeeper is not installed under %s (%s missing or no steeleye-lk rpm)'
                                  % (lk.lkroot, lk.bin('lcdstatus')))
        running, ready = self.probe()
        self.result.update(running_before=running, running=running, ready=ready, elapsed=0.0)
        return LkModule.dispatch(self)

    def state_started(self):
        if self.result['running']:
            if not self.result['ready']:
                # Starting up already: just wait for it to finish.
                self.wait(self.ready_now, 'ready')
            return
        self.change(self.lk.start_command())
        if not self.check_mode:
            self.wait(self.ready_now, 'ready')

    def state_stopped(self):
        if not self.result['running']:
            return
        self.change(self.lk.stop_command(force=self.params['force']))
        if not self.check_mode:
            self.wait(self.stopped_now, 'stopped')

    # ---- helpers -------------------------------------------------------------------------
    def remaining(self):
        return self.params['timeout'] - (self.lk.clock() - self.started)

    def probe(self):
        running = self.lk.running()
        return running, running and os.path.exists(self.lk.initdone_path)

    def ready_now(self):
        running, ready = self.probe()
        return ready, (running, ready)

    def stopped_now(self):
        running, ready = self.probe()
        return not running, (running, ready)

    def wait(self, predicate, what):
        ok, last = self.lk.wait(predicate, max(0.0, self.remaining()), self.params['poll_interval'])
        self.result['elapsed'] = round(self.lk.clock() - self.started, 3)
        self.result['running'], self.result['ready'] = last
        if not ok:
            raise LifeKeeperError('timed out after %ss waiting for LifeKeeper to be %s (running=%s, ready=%s)'
                                  % (self.params['timeout'], what, last[0], last[1]))

    def change(self, argv):
        self.result['changed'] = True
        self.result['cmd'] = [self.lk.bin(argv[0])] + argv[1:]
        want_running = self.params['state'] == 'started'
        self.set_diff(dict(running=not want_running), dict(running=want_running))
        if self.check_mode:
            self.result['running'] = want_running
            self.result['ready'] = want_running
            return
        # start and stop (which takes the resources out of service) run within timeout.
        rc, out, err = self.lk.run(argv, timeout=self.remaining())
        self.record_command(self.result['cmd'], rc, out, err)


def main():
    LifeKeeperService.main()


if __name__ == '__main__':
    main()
