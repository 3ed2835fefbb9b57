# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the whole collection agrees on about LifeKeeper: states, what a mirror is, versions,
the product packages and the local node name (pure, no LifeKeeper command is run).

Node code (modules, module_utils) and controller code (plugin_utils, filters) import these
names instead of keeping their own copies, so that one definition holds everywhere.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
import socket

# ---- resource and path states (lifekeeper-cli.md "States") ----------------------------------
RESOURCE_STATES = ('ISP', 'ISU', 'OSU', 'OSF', 'ILLSTATE', 'UNKNOWN')
# In service (protected or unprotected): where a hierarchy "runs".
IN_SERVICE_STATES = ('ISP', 'ISU')
# In service, protected: the state a restore brings a resource to.
ACTIVE_STATE = 'ISP'
# Out of service, unimpaired: the normal state on a standby node.
STANDBY_STATE = 'OSU'
# Out of service, failed.
FAILED_STATE = 'OSF'
PATH_STATES = ('ALIVE', 'DEAD')
ALIVE = 'ALIVE'

# ---- DataKeeper mirrors (mirror_status: tests/lksim/ASSUMPTIONS.md, "Core") -----------------
# A replicated volume is a resource of type scsi/netraid (app scsi, type netraid); never decide
# by tag, a tag is the administrator's choice.
MIRROR_TYPE = 'scsi/netraid'
# The target state of mirror_status that means "in sync" ([assumed] format, see ASSUMPTIONS.md).
MIRROR_IN_SYNC_STATE = 'Mirroring'
# A Generic ARK NFS export: the 8.x setup's NFS utilities are needed only with one of these.
NFS_TYPE = 'gen/nfs'

# ---- product packages ------------------------------------------------------------------------
PRODUCT_RPM = 'steeleye-lk'          # the core: its version is "the installed version"
PRODUCT_RPM_PREFIX = 'steeleye-'     # core, GUI and recovery kits
DATAKEEPER_KIT = 'steeleye-lkDR'
NFS_KIT = 'steeleye-lkNFS'

# ---- places and defaults ---------------------------------------------------------------------
DEFAULT_LKROOT = '/opt/LifeKeeper'
DEFAULTS_FILE = '/etc/default/LifeKeeper'
LICENSE_DIR = '/var/LifeKeeper/license'
DEFAULT_LCMPORT = 7365               # LCMPORT=0 (or unset) means this port
HEARTBEAT_SETTINGS = ('LCMPORT', 'LCMHBEATTIME', 'LCMNUMHBEATS')

# ---- run identifiers and time limits ---------------------------------------------------------
RUN_ID_PATTERN = r'^[A-Za-z0-9._-]+\Z'   # \Z: '$' would accept a trailing newline
RUN_ID_RE = re.compile(RUN_ID_PATTERN)
# Longest timeout any option accepts (seconds): more is a mistake, not a wish.
MAX_SECONDS = 7 * 24 * 3600

_MAJOR_RE = re.compile(r'^\s*[vV]?([0-9]+)(?:\.|\s*\Z)')   # [0-9]: \d also matches other scripts' digits


def version_major(version):
    """Major number of a version text ('9.9.0' -> 9, 'v8.4.1' -> 8); None when it has none."""
    if version is None:
        return None
    match = _MAJOR_RE.match(str(version))
    return int(match.group(1)) if match else None


def generation_of(version):
    """Command set of a release: 'lkcli' (9.x and later), 'legacy' (8.x and older) or None."""
    major = version_major(version)
    if major is None:
        return None
    return 'lkcli' if major >= 9 else 'legacy'


def resource_type(resource):
    """The ``app/type`` of a resource (a dict with 'type', or an object with .type); None if unknown."""
    if resource is None:
        return None
    if isinstance(resource, dict):
        return resource.get('type')
    return getattr(resource, 'type', None)


def is_mirror(resource):
    """True when the resource is a DataKeeper replicated volume (type scsi/netraid)."""
    return resource_type(resource) == MIRROR_TYPE


def is_in_service(state):
    return state in IN_SERVICE_STATES


def local_node_name(displayed=None):
    """This node's LifeKeeper system name.

    The name the status display shows for this node (the LOCAL column of ``lcdstatus -q``, the
    machine of the long display, or the node named by the not-running message) when there is
    one; otherwise the host name, which LifeKeeper takes as the system name when installed.
    """
    if displayed:
        return displayed
    return socket.gethostname()
