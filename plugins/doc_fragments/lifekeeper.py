# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    # Options shared by every hatools.lifekeeper module (set them once for all with
    # module_defaults: group/hatools.lifekeeper.lifekeeper).
    DOCUMENTATION = r'''
options:
  lkroot:
    description:
      - The LifeKeeper installation directory (C($LKROOT)); commands are run from its C(bin) folder.
    type: path
    default: /opt/LifeKeeper
  timeout:
    description:
      - The overall time, in seconds, the module may wait for the state it needs or run its
        action before it fails.
      - From 0 to 604800 (7 days); V(inf), V(nan) and negative values are refused, naming the value.
    type: float
    default: 300
  command_timeout:
    description:
      - The deadline, in seconds, of each single status or query command (C(lcdstatus), C(lktest),
        C(mirror_status), C(rpm), ...). When it expires, the command's whole process group is
        killed and the module fails naming the command and the seconds (M(hatools.lifekeeper.lk_status)
        reports it as RV(hatools.lifekeeper.lk_status#module:answered=false) instead).
      - Commands whose duration is the action itself (C(setup), C(rmlk), start, stop, restore,
        remove, C(lksupport)) run within O(timeout) instead.
      - Inside a wait, a command also ends at the latest one O(command_timeout) after the wait's
        deadline, so a wait never overruns O(timeout) by more than one poll interval plus one
        O(command_timeout).
      - More than 0 and at most 604800 (7 days).
    type: float
    default: 60
notes:
  - Commands are run as argument lists, never through a shell, with C(LC_ALL=C), each in a
    process group of its own with a deadline.
'''

    # For the modules that drive LifeKeeper (extends_documentation_fragment:
    # hatools.lifekeeper.lifekeeper.requirements).
    REQUIREMENTS = r'''
options: {}
notes:
  - The installed version is read from the C(steeleye-lk) rpm; LifeKeeper 9.x and later
    are driven through C(lkcli), 8.x through C(lkstart), C(lkstop) and C(perform_action).
requirements:
  - SIOS LifeKeeper for Linux installed on the managed node (8.x or 9.x and later).
  - The C(rpm) command on the managed node.
'''

    # For the modules whose action plugin can say while they run that they run
    # (extends_documentation_fragment: hatools.lifekeeper.lifekeeper.progress).
    PROGRESS = r'''
options:
  progress:
    description:
      - 'When given, the controller prints every O(progress.interval) seconds, while the module runs, one line that
        says what it still waits for, for example C([prod] node 2/4 lk2: still waiting for setup (+00:05:40, 120 s
        of at most 1800 s)). The lines appear in the normal output and in the AWX job output, without any callback
        plugin. The module runs once, in the foreground; nothing is polled, and its end ends the wait at once.'
      - The module's action plugin prints the lines and does not pass this option to the module. With C(async),
        no lines are printed.
    type: dict
    suboptions:
      what:
        description:
          - What the lines say is awaited (V(setup), V(the gate ready, paths_alive)).
        type: str
        required: true
      at_most:
        description:
          - The module's own deadline in seconds (its O(timeout)), shown in the lines.
        type: float
      interval:
        description:
          - Seconds between two lines.
        type: float
        default: 30
      context:
        description:
          - 'Where the flow is, for the start of the lines (see the filter M(hatools.lifekeeper.lk_progress_line)):
            C(cluster), C(node), C(nodes), C(started), C(hop), C(hops); every key optional.'
        type: dict
        default: {}
'''

    # For the collection's actions that run on the controller without a module (lk_preflight,
    # lk_cluster_record, lk_report_write); each documents its own check_mode attribute.
    CONTROLLER_ACTION = r'''
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  diff_mode:
    support: none
  platform:
    platforms: posix
'''
