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
      - How long, in seconds, the module waits for the state it needs to be reached
        before it fails.
    type: float
    default: 300
notes:
  - Commands are run as argument lists, never through a shell, with C(LC_ALL=C).
  - The installed version is read from the C(steeleye-lk) rpm; LifeKeeper 9.x and later
    are driven through C(lkcli), 8.x through C(lkstart), C(lkstop) and C(perform_action).
requirements:
  - SIOS LifeKeeper for Linux installed on the managed node (8.x or 9.x and later).
  - The C(rpm) command on the managed node.
'''
