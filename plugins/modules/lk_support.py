#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: lk_support
short_description: Collect a SIOS LifeKeeper support bundle (lksupport)
version_added: 1.0.0
description:
  - Runs C($LKROOT/bin/lksupport) and returns the path of the bundle it wrote,
    C(/tmp/lksupport/<host>.lksupport.<timestamp>.tar.gz).
  - The path is taken from the output of C(lksupport) when it prints one that exists,
    otherwise it is the newest bundle in O(bundle_dir) written by this run.
  - Fetch the bundle to the controller with M(ansible.builtin.fetch).
author:
  - hatools developers (@hatools)
extends_documentation_fragment:
  - hatools.lifekeeper.lifekeeper
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reports RV(ignore:changed=true) and runs nothing.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  bundle_dir:
    description:
      - Where C(lksupport) writes its bundles; searched when its output names no existing file.
    type: path
    default: /tmp/lksupport
notes:
  - O(timeout) is accepted so that the shared options can be set for the whole action group;
    C(lksupport) always runs to completion.
  - Every run writes a new bundle, so the module always reports a change.
seealso:
  - module: ansible.builtin.fetch
'''

EXAMPLES = r'''
- name: Collect a support bundle
  hatools.lifekeeper.lk_support:
  register: support

- name: Bring it to the controller
  ansible.builtin.fetch:
    src: "{{ support.bundle }}"
    dest: "support/{{ inventory_hostname }}/"
    flat: true
'''

RETURN = r'''
bundle:
  description: Absolute path of the bundle on the managed node; null in check mode.
  returned: always
  type: str
  sample: /tmp/lksupport/node1.lksupport.2611220230.tar.gz
size:
  description: Size of the bundle in bytes; null in check mode.
  returned: always
  type: int
  sample: 1048576
cmd:
  description: The command run (or that would run in check mode).
  returned: always
  type: list
  elements: str
  sample: [/opt/LifeKeeper/bin/lksupport]
stdout:
  description: Output of C(lksupport).
  returned: when it ran
  type: str
  sample: /tmp/lksupport/node1.lksupport.2611220230.tar.gz
stderr:
  description: Error output of C(lksupport).
  returned: when it ran
  type: str
  sample: ''
'''

import glob
import os
import re
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hatools.lifekeeper.plugins.module_utils.lifekeeper import (
    LifeKeeper, LifeKeeperError, lifekeeper_argument_spec,
)
from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import local_node_name

_BUNDLE_RE = re.compile(r'(/\S*lksupport\S*\.tar\.gz)')


def printed_bundle(text):
    """The last existing bundle path printed by lksupport, or None."""
    for path in reversed(_BUNDLE_RE.findall(text or '')):
        path = path.rstrip('.,;:\'"')
        if os.path.isfile(path):
            return path
    return None


def newest_bundle(bundle_dir, not_before):
    """Newest <host>.lksupport.*.tar.gz in bundle_dir modified at or after not_before."""
    names = set()
    host = local_node_name()
    for name in (host, host.split('.')[0]):
        names.update(glob.glob(os.path.join(glob.escape(bundle_dir), glob.escape(name) + '.lksupport.*.tar.gz')))
    if not names:
        names.update(glob.glob(os.path.join(glob.escape(bundle_dir), '*.lksupport.*.tar.gz')))
    fresh = [path for path in names if os.path.getmtime(path) >= not_before]
    if not fresh:
        return None
    return max(fresh, key=os.path.getmtime)


def main():
    argument_spec = lifekeeper_argument_spec()
    argument_spec.update(bundle_dir=dict(type='path', default='/tmp/lksupport'))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    lk = LifeKeeper(module, module.params['lkroot'])
    result = dict(changed=True, bundle=None, size=None, cmd=[lk.bin('lksupport')])

    if not os.path.exists(lk.bin('lksupport')):
        result['changed'] = False
        module.fail_json(msg='LifeKeeper is not installed under %s (%s missing)'
                         % (lk.lkroot, lk.bin('lksupport')), **result)
    if module.check_mode:
        module.exit_json(**result)

    # Filesystem timestamps may be coarser than the clock: allow a little slack.
    not_before = time.time() - 2
    try:
        rc, out, err = lk.run(['lksupport'])
    except LifeKeeperError as exc:
        details = exc.as_dict()
        result.update(details)
        module.fail_json(**result)
    result.update(rc=rc, stdout=out, stderr=err)
    bundle = printed_bundle(out) or printed_bundle(err) or newest_bundle(module.params['bundle_dir'], not_before)
    if bundle is None:
        module.fail_json(msg='lksupport ran but no bundle was found (output names none, nothing new in %s)'
                         % module.params['bundle_dir'], **result)
    result['bundle'] = bundle
    result['size'] = os.path.getsize(bundle)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
