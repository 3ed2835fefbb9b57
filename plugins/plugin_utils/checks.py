# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight checks the vendor's update guides ask for (controller side, pure, no I/O).

Each check looks at what the nodes reported (lk_status: version, settings, communication
paths, resource types; lk_host_info: SELinux, machine, free space, name lookups, TCP
connects) and gives one row per node: {name, node, result, value, why}, result ``pass``,
``fail`` or ``skipped``. A failed check refuses the run before any change (the plan names it);
``lk_preflight_skip`` turns named checks into ``skipped`` rows that still show what was seen.

The checks of the v8.4.1 update guide's preparation (section 2): DataKeeper sync ports between
mirror peers (datakeeper_ports), sg3_utils with a multipath recovery kit (multipath_sg3_utils),
the distribution and kernel against the release notes (kernel).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import fnmatch

from ansible_collections.hatools.lifekeeper.plugins.module_utils.versions import (
    PERL_CHANGE_VERSION, crosses_perl_change, parse_version)
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import is_known, lk_name
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.values import to_bool

CHECKS = ('selinux', 'name_resolution', 'lcm_port', 'heartbeat_settings', 'arch', 'disk_space', 'licence',
          'perl_crossing', 'datakeeper_ports', 'multipath_sg3_utils', 'kernel')
PASS, FAIL, SKIPPED = 'pass', 'fail', 'skipped'
# The heartbeat settings that must be identical on every node, with the value LifeKeeper uses
# when /etc/default/LifeKeeper does not set them (LCMPORT: lk_status reports the effective port).
HEARTBEAT_DEFAULTS = (('LCMHBEATTIME', '5'), ('LCMNUMHBEATS', '3'))
GENERIC_ARK = 'gen/app'
LOCALHOST = '127.0.0.1'
# Where lk_setup unpacks the media (media_access=extract): the node's temporary directory.
EXTRACT_DIR = '/tmp'
# DataKeeper's sync port of a mirror (v8.4.1 update guide 2.3; "Running LifeKeeper With a Firewall"):
# 10001 + mirror number + 256 x i, i from 0 up to the first port not in use on the target, which
# listens; the source connects. The first SYNC_PORT_TRIES values of i are tried.
SYNC_PORT_BASE = 10001
SYNC_PORT_STEP = 256
SYNC_PORT_TRIES = 4
MIRROR_TYPE = 'scsi/netraid'
# The multipath recovery kits that need sg3_utils (v8.4.1 update guide, required packages), by rpm.
MULTIPATH_KITS = (('steeleye-lkDMMP', 'Device Mapper Multipath (DMMP)'), ('steeleye-lkPPATH', 'PowerPath'),
                  ('steeleye-lkHDLM', 'Hitachi Dynamic Link Manager (HDLM)'),
                  ('steeleye-lkNECSPS', 'NEC iStorage StoragePathSavior'))
SG3_UTILS = 'sg3_utils'
RELEASE_NOTES = ('the release notes of LifeKeeper %s list the supported distributions and kernels (DataKeeper '
                 'and setup install kernel modules for the running kernel)')


def skip_list(value):
    """lk_preflight_skip as a list of check names (a list, or a comma/space separated string);
    ValueError naming an unknown name and the allowed ones."""
    if value is None or value == '':
        names = []
    elif isinstance(value, (list, tuple)):
        names = [str(item).strip() for item in value]
    else:
        names = str(value).replace(',', ' ').split()
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        raise ValueError('lk_preflight_skip names unknown check(s) %s; the checks are: %s'
                         % (', '.join(repr(name) for name in unknown), ', '.join(CHECKS)))
    return [name for name in names if name]


def _row(name, node, result, value, why):
    return {'name': name, 'node': node, 'result': result, 'value': value, 'why': why}


def _version(text):
    try:
        return parse_version(text) if text else None
    except ValueError:
        return None


def peer_targets(host, statuses, hosts):
    """What host must look up and reach for the checks: {'names': the other nodes' LifeKeeper
    names, 'connect': [{address, port}] the remote address of each of host's communication
    paths on the LCM port of the peer at its end}. Peers whose LifeKeeper does not run (or
    that could not be read) are left out: their state is a problem of its own."""
    status = statuses.get(host) or {}
    names = []
    ports = {}
    for peer in hosts:
        peer_status = statuses.get(peer) or {}
        if peer == host or not is_known(peer_status):
            continue
        names.append(lk_name(peer, peer_status))
        if peer_status.get('running'):
            ports[lk_name(peer, peer_status)] = (peer_status.get('settings') or {}).get('lcm_port') or 7365
    connect = []
    if is_known(status):
        for path in status.get('comm_paths') or []:
            if path.get('machine') not in ports or path.get('network', 'TCP') != 'TCP':
                continue
            remote = str(path.get('addresses') or '').rsplit('/', maxsplit=1)[-1]
            target = {'address': remote, 'port': ports[path['machine']]}
            if remote and target not in connect:
                connect.append(target)
    return {'names': names, 'connect': connect}


def _info_problem(facts):
    info = (facts or {}).get('host_info') or {}
    if info.get('unreachable'):
        return 'the node could not be reached: %s' % (info.get('msg') or 'no connection')
    if info.get('failed') or 'arch' not in info:
        return 'lk_host_info failed: %s' % (info.get('msg') or 'no result')
    return None


def _selinux(host, info, versions):
    mode = (info.get('selinux') or {}).get('mode')
    eight = [str(v) for v in versions if v.major < 9]
    if not eight:
        return _row('selinux', host, PASS, mode, 'only 8.x targets require SELinux disabled (v8.4.1 guide)')
    if mode in ('disabled', 'absent'):
        return _row('selinux', host, PASS, mode, 'SELinux is %s, as LifeKeeper %s requires' % (mode, eight[-1]))
    return _row('selinux', host, FAIL, mode,
                'LifeKeeper %s requires SELinux disabled (the v8.4.1 guide supports neither permissive nor '
                'enforcing): set SELINUX=disabled in /etc/selinux/config and reboot' % eight[-1])


def _name_resolution(host, info, expected):
    found = dict((entry.get('name'), entry) for entry in info.get('resolve') or [])
    seen, bad = [], []
    for name in list(expected) + ['localhost']:
        entry = found.get(name)
        if entry is None:
            bad.append('%s was not looked up' % name)
            continue
        addresses = entry.get('addresses') or []
        seen.append('%s=%s' % (name, ' '.join(addresses) if addresses else '(none)'))
        if entry.get('error') or not addresses:
            bad.append('%s does not resolve (%s)' % (name, entry.get('error') or 'no address'))
        elif name == 'localhost' and LOCALHOST not in addresses:
            bad.append('localhost resolves to %s, not %s' % (', '.join(addresses), LOCALHOST))
    value = ', '.join(seen)
    if bad:
        return _row('name_resolution', host, FAIL, value,
                    '%s: every node must resolve the other nodes\' names and localhost to %s (v8.4.1 guide)'
                    % ('; '.join(bad), LOCALHOST))
    return _row('name_resolution', host, PASS, value, 'every peer name resolves; localhost is %s' % LOCALHOST)


def _dead_to_running_peers(host, statuses, hosts):
    """'MACHINE over ADDRESSES' of host's paths that LifeKeeper shows not ALIVE although the
    peer at the other end runs: LifeKeeper itself cannot reach that peer's LCM port there."""
    running = set(lk_name(h, statuses[h]) for h in hosts
                  if h != host and is_known(statuses.get(h)) and statuses[h].get('running'))
    return ['%s over %s' % (path.get('machine'), path.get('addresses'))
            for path in (statuses.get(host) or {}).get('comm_paths') or []
            if path.get('machine') in running and path.get('state') != 'ALIVE']


def _lcm_port(host, info, targets, statuses, hosts):
    results = dict(((entry.get('address'), entry.get('port')), entry) for entry in info.get('connect') or [])
    seen, bad = [], []
    for path in _dead_to_running_peers(host, statuses, hosts):
        bad.append('the path to %s is DEAD although LifeKeeper runs there' % path)
    for target in targets:
        entry = results.get((target['address'], target['port']))
        where = '%s:%s' % (target['address'], target['port'])
        if entry is None:
            bad.append('%s was not tried' % where)
        elif entry.get('ok'):
            seen.append('%s ok' % where)
        else:
            seen.append('%s %s' % (where, entry.get('error') or 'refused'))
            bad.append('%s cannot be reached (%s)' % (where, entry.get('error') or 'refused'))
    down = [h for h in hosts if h != host and not (is_known(statuses.get(h)) and (statuses.get(h) or {}).get('running'))]
    value = ', '.join(seen) or '(nothing to try)'
    if bad:
        return _row('lcm_port', host, FAIL, value,
                    '%s: every node must reach every peer\'s LCMPORT over each communication path address (a firewall '
                    'between the path addresses?)' % '; '.join(bad))
    if not targets:
        return _row('lcm_port', host, SKIPPED, value, 'no communication path to a running peer to try%s'
                    % (' (not running or not read: %s)' % ', '.join(down) if down else ''))
    return _row('lcm_port', host, PASS, value, 'every peer\'s LCM port answers on each path address%s'
                % (' (not tried: %s, LifeKeeper not running or not read)' % ', '.join(down) if down else ''))


def _heartbeat(hosts, statuses):
    def effective(status):
        settings = status.get('settings') or {}
        values = [('LCMPORT', str(settings.get('lcm_port')))]
        values.extend((key, str(settings.get(key) if settings.get(key) not in (None, '') else default))
                      for key, default in HEARTBEAT_DEFAULTS)
        return values
    seen = dict((host, effective(statuses[host])) for host in hosts if is_known(statuses.get(host)))
    differing = [key for key, dummy in (list(seen.values()) or [[]])[0]
                 if len(set(dict(values)[key] for values in seen.values())) > 1]
    rows = []
    for host in hosts:
        if host not in seen:
            rows.append(_row('heartbeat_settings', host, FAIL, None, 'the node could not be read'))
            continue
        value = ' '.join('%s=%s' % pair for pair in seen[host])
        if differing:
            detail = '; '.join('%s is %s' % (key, ', '.join('%s on %s' % (dict(seen[h])[key], h) for h in sorted(seen)))
                               for key in differing)
            rows.append(_row('heartbeat_settings', host, FAIL, value,
                             'differs between the nodes (%s): LCMPORT, LCMHBEATTIME and LCMNUMHBEATS must be identical '
                             'on every node (/etc/default/LifeKeeper)' % detail))
        else:
            rows.append(_row('heartbeat_settings', host, PASS, value, 'identical on every node'))
    return rows


def _arch(host, info):
    arch = info.get('arch') or {}
    value = '%s (%s-bit)' % (arch.get('machine'), arch.get('bits') or '?')
    if arch.get('bits') == 64:
        return _row('arch', host, PASS, value, '64-bit')
    if arch.get('bits') == 32:
        return _row('arch', host, FAIL, value, 'LifeKeeper supports 64-bit systems only since 8.2')
    return _row('arch', host, FAIL, value, 'machine type %s is not known to be 64-bit (LifeKeeper supports 64-bit '
                'only since 8.2); skip this check with lk_preflight_skip if it is' % arch.get('machine'))


def disk_paths(options):
    """{path on the node: MiB it needs free}: the backup folder needs lk_preflight_min_free_mb;
    with media_access=extract the temporary folder needs twice the largest ISO on top."""
    options = options or {}
    margin = int(options.get('min_free_mb') or 0)
    needs = {str(options.get('backup_dir') or '/var/lib/hatools-lifekeeper/backups'): margin}
    if options.get('media_access') == 'extract':
        extra = int(round(2 * float(options.get('media_mb') or 0))) + margin
        needs[EXTRACT_DIR] = needs.get(EXTRACT_DIR, 0) + extra
    return needs


def _disk(host, info, needs):
    found = dict((entry.get('path'), entry) for entry in info.get('disk') or [])
    seen, bad = [], []
    for path, need in sorted(needs.items()):
        entry = found.get(path)
        if entry is None or entry.get('free_mb') is None:
            bad.append('%s: free space unknown (%s)' % (path, (entry or {}).get('error') or 'not measured'))
            continue
        seen.append('%s %d MiB free (needs %d)' % (entry.get('checked_path') or path, entry['free_mb'], need))
        if entry['free_mb'] < need:
            bad.append('%s has %d MiB free, needs %d' % (entry.get('checked_path') or path, entry['free_mb'], need))
    value = ', '.join(seen)
    if bad:
        return _row('disk_space', host, FAIL, value,
                    '%s: room is needed for the media extraction and the backup' % '; '.join(bad))
    return _row('disk_space', host, PASS, value, 'room for the media extraction and the backup')


def _licence(host, status, versions, license_files, missing):
    installed = _version(status.get('version'))
    if installed is None or (installed.major, installed.minor) != (8, 1) or not any(
            (v.major, v.minor) > (8, 1) for v in versions):
        return _row('licence', host, PASS, status.get('version'), 'no update from 8.1.x: the licence keys stay')
    value = '%s -> %s; lk_license_files: %s' % (installed, versions[-1], ', '.join(license_files) or 'none')
    if not license_files:
        return _row('licence', host, FAIL, value,
                    'an update from 8.1.x needs new licence keys (the licence type changed in 8.2): give the new key '
                    'files in lk_license_files')
    if missing:
        return _row('licence', host, FAIL, value, 'not on this node: %s' % ', '.join(missing))
    return _row('licence', host, PASS, value, 'the new licence keys are on the node')


def _perl(host, status, versions, generic, unknown_types, accepted):
    installed = status.get('version')
    target = str(versions[-1])
    if not installed or _version(installed) is None or not crosses_perl_change(installed, target):
        return _row('perl_crossing', host, PASS, installed, 'does not cross %s' % PERL_CHANGE_VERSION)
    value = '%s -> %s; Generic ARK (gen/app): %s' % (installed, target, ', '.join(generic) or 'none')
    change = 'crossing %s changes the bundled Perl from 5.8.8 to 5.32.1' % PERL_CHANGE_VERSION
    if unknown_types:
        value += '; type unknown: %s' % ', '.join(unknown_types)
    if not generic and not unknown_types:
        return _row('perl_crossing', host, PASS, value, '%s; no Generic ARK resource' % change)
    if accepted:
        return _row('perl_crossing', host, PASS, value,
                    '%s; accepted (lk_accept_perl_change): the scripts of %s were checked'
                    % (change, ', '.join(generic + unknown_types)))
    what = ('the Generic ARK resources %s' % ', '.join(generic)) if generic else \
        ('resources of unknown type %s' % ', '.join(unknown_types))
    return _row('perl_crossing', host, FAIL, value,
                '%s, used by the scripts of %s: check them, then set lk_accept_perl_change=true'
                % (change, what))


# ---- the v8.4.1 guide's preparation: sync ports, sg3_utils, kernels ------------------------------

def mirror_numbers(value):
    """lk_mirror_numbers as {mirror tag: number}; ValueError naming a bad entry and what is allowed."""
    if value in (None, ''):
        return {}
    if not isinstance(value, dict):
        raise ValueError('lk_mirror_numbers must be a mapping of mirror tag to mirror number, not %r' % (value,))
    numbers = {}
    for tag, number in value.items():
        if isinstance(number, bool) or not isinstance(number, (int, str)) or not str(number).strip().isdigit() \
                or not 0 <= int(number) < SYNC_PORT_STEP:
            raise ValueError('lk_mirror_numbers[%s] is %r: a mirror number is a whole number from 0 to %d'
                             % (tag, number, SYNC_PORT_STEP - 1))
        numbers[str(tag)] = int(number)
    return numbers


def supported_kernels(value):
    """lk_supported_kernels as a list of patterns; ValueError naming a bad entry."""
    if value in (None, ''):
        return []
    if not isinstance(value, (list, tuple)):
        raise ValueError('lk_supported_kernels must be a list of kernel releases (uname -r) or patterns, not %r'
                         % (value,))
    bad = [item for item in value if not isinstance(item, str) or not item.strip()]
    if bad:
        raise ValueError('lk_supported_kernels has %s: each entry is a kernel release (uname -r) or a pattern with '
                         '* and ?' % ', '.join(repr(item) for item in bad))
    return [item.strip() for item in value]


def kernel_change_problem(host, reboot, patterns):
    """Why host must not boot the kernel it boots next, or None. reboot: lk_host_info's
    C(reboot) ({kernel: running release, boot_kernel: the release it boots next, null when no
    method says}); patterns: lk_supported_kernels (empty: not compared). A node whose next
    kernel is its running one, or unknown, is not judged here (the pre-flight kernel check
    judged the running one)."""
    patterns = supported_kernels(patterns)
    reboot = reboot or {}
    running, boot = reboot.get('kernel'), reboot.get('boot_kernel')
    if not patterns or not boot or boot == running:
        return None
    if any(fnmatch.fnmatchcase(boot, pattern) for pattern in patterns):
        return None
    return ('%s would boot kernel %s (it runs %s), which matches none of lk_supported_kernels (%s): DataKeeper and '
            'the recovery kits install kernel modules for the kernel they run on; %s. Add the kernel to '
            'lk_supported_kernels once the release notes list it, or make the node\'s default kernel one they list'
            % (host, boot, running or 'unknown', ', '.join(patterns), RELEASE_NOTES % 'the installed version'))


def sync_ports(number):
    """The ports a mirror of this number may use on its target: 10001 + number + 256 x i."""
    return [port for port in (SYNC_PORT_BASE + number + SYNC_PORT_STEP * i for i in range(SYNC_PORT_TRIES))
            if port <= 65535]


def _in_service(state):
    return state in ('ISP', 'ISU')


def sync_targets(host, statuses, hosts, numbers):
    """The mirrors in service on host (it is their source) and, for each, the targets to reach:
    [{mirror, number (None when not given), target, target_name, running, addresses, ports}].
    The target is every other node that was read and has the mirror; its addresses are the
    remote addresses of host's TCP communication paths to it."""
    status = statuses.get(host) or {}
    if not is_known(status):
        return []
    found = []
    for resource in status.get('resources') or []:
        if resource.get('type') != MIRROR_TYPE or not _in_service(resource.get('state')):
            continue
        tag = resource['tag']
        number = numbers.get(tag)
        for peer in hosts:
            peer_status = statuses.get(peer) or {}
            if peer == host or not is_known(peer_status) or \
                    tag not in [r.get('tag') for r in peer_status.get('resources') or []]:
                continue
            name = lk_name(peer, peer_status)
            addresses = []
            for path in status.get('comm_paths') or []:
                remote = str(path.get('addresses') or '').rsplit('/', maxsplit=1)[-1]
                if path.get('machine') == name and path.get('network', 'TCP') == 'TCP' and remote \
                        and remote not in addresses:
                    addresses.append(remote)
            found.append({'mirror': tag, 'number': number, 'target': peer, 'target_name': name,
                          'running': bool(peer_status.get('running')), 'addresses': addresses,
                          'ports': sync_ports(number) if number is not None else []})
    return found


def sync_connect(host, statuses, hosts, numbers):
    """[{address, port}] host (a mirror source) tries for the datakeeper_ports check."""
    connect = []
    for target in sync_targets(host, statuses, hosts, numbers):
        if not target['running']:
            continue
        for address in target['addresses']:
            for port in target['ports']:
                if {'address': address, 'port': port} not in connect:
                    connect.append({'address': address, 'port': port})
    return connect


def _datakeeper_ports(host, info, statuses, hosts, numbers):
    results = dict(((entry.get('address'), entry.get('port')), entry) for entry in info.get('connect') or [])
    targets = sync_targets(host, statuses, hosts, numbers)
    if not targets:
        return _row('datakeeper_ports', host, PASS, None, 'no mirror in service here with a target that was read (the '
                    'source connects to the sync port its targets listen on)')
    seen, bad, unknown, down = [], [], [], []
    for target in targets:
        where = 'mirror %s -> %s' % (target['mirror'], target['target_name'])
        if target['number'] is None:
            unknown.append(target['mirror'])
            continue
        if not target['running']:
            down.append(where)
            continue
        formula = '%d + %d + 256 x i' % (SYNC_PORT_BASE, target['number'])
        if not target['addresses']:
            bad.append('%s: no communication path from %s to the target %s to try its sync port %s'
                       % (target['mirror'], host, target['target_name'], formula))
            continue
        tried = [(address, port, results.get((address, port))) for address in target['addresses']
                 for port in target['ports']]
        answered = ['%s:%s' % (address, port) for address, port, entry in tried if entry and entry.get('ok')]
        if answered:
            seen.append('%s %s ok' % (where, answered[0]))
            continue
        errors = sorted(set((entry or {}).get('error') or ('not tried' if entry is None else 'refused')
                            for dummy, dummy2, entry in tried))
        seen.append('%s no answer' % where)
        bad.append('%s: the target %s does not answer %s on its sync port %s (tried %s on %s: %s)'
                   % (target['mirror'], target['target_name'], host, formula,
                      ', '.join(str(port) for port in target['ports']), ', '.join(target['addresses']),
                      '; '.join(errors)))
    value = ', '.join(seen) or None
    if bad:
        return _row('datakeeper_ports', host, FAIL, value,
                    'mirror %s: the source must reach each target on the mirror\'s DataKeeper sync port (10001 + mirror '
                    'number + 256 x i, v8.4.1 guide 2.3): open it in the target\'s firewall' % '; mirror '.join(bad))
    notes = []
    if down:
        notes.append('not tried, LifeKeeper not running on the target: %s' % ', '.join(down))
    if unknown:
        notes.append('mirror number not given in lk_mirror_numbers: %s' % ', '.join(sorted(set(unknown))))
    if unknown and not seen:
        return _row('datakeeper_ports', host, SKIPPED, value,
                    'the sync port of a mirror is 10001 + its mirror number + 256 x i, and no status command shows '
                    'the number: %s' % '; '.join(notes))
    return _row('datakeeper_ports', host, PASS, value, 'every mirror target answers on its sync port%s'
                % (' (%s)' % '; '.join(notes) if notes else ''))


def _multipath(host, info, status):
    installed = dict((pkg.get('name'), pkg.get('version')) for pkg in status.get('packages') or [])
    kits = ['%s (%s)' % (label, name) for name, label in MULTIPATH_KITS if name in installed]
    queried = dict((pkg.get('name'), pkg) for pkg in info.get('packages') or [])
    sg3 = queried.get(SG3_UTILS) or {}
    have = '%s %s' % (SG3_UTILS, sg3.get('version')) if sg3.get('installed') else '%s not installed' % SG3_UTILS
    value = '%s; %s' % (', '.join(kits) or 'no multipath recovery kit', have)
    if not kits:
        return _row('multipath_sg3_utils', host, PASS, value, 'no multipath recovery kit installed')
    if sg3.get('error') or not sg3:
        return _row('multipath_sg3_utils', host, FAIL, value, 'the multipath recovery kit %s needs the package %s, '
                    'which could not be queried (%s)' % (', '.join(kits), SG3_UTILS, sg3.get('error') or 'not asked'))
    if not sg3.get('installed'):
        return _row('multipath_sg3_utils', host, FAIL, value,
                    'the multipath recovery kit %s needs the package %s (v8.4.1 guide, required packages): install it'
                    % (', '.join(kits), SG3_UTILS))
    return _row('multipath_sg3_utils', host, PASS, value, '%s is installed, as the multipath kit needs' % SG3_UTILS)


def _kernel(host, info, versions, patterns):
    found = info.get('os') or {}
    kernel = found.get('kernel')
    value = '%s, kernel %s' % (found.get('name') or 'distribution unknown', kernel or 'unknown')
    note = RELEASE_NOTES % versions[-1]
    if not patterns:
        return _row('kernel', host, PASS, value, '%s: check them (lk_supported_kernels is empty: not compared)' % note)
    if not kernel:
        return _row('kernel', host, FAIL, value, 'the kernel release could not be read (%s)'
                    % (found.get('error') or 'no uname -r'))
    matched = [pattern for pattern in patterns if fnmatch.fnmatchcase(kernel, pattern)]
    if matched:
        return _row('kernel', host, PASS, value, 'kernel %s matches %s of lk_supported_kernels; %s'
                    % (kernel, matched[0], note))
    return _row('kernel', host, FAIL, value, 'kernel %s matches none of lk_supported_kernels (%s); %s'
                % (kernel, ', '.join(patterns), note))


def cluster_checks(hosts, statuses, facts, target_version, options=None, hops=None):
    """The rows of every check for one cluster.

    hosts: the cluster's inventory hosts in order; statuses: {host: node status}; facts:
    {host: {'host_info': lk_host_info result, 'license_missing': [paths]}}; target_version:
    the final version; hops: the intermediate versions (multi-hop); options: skip (names),
    accept_perl_change, license_files, media_access, media_mb (largest ISO), min_free_mb,
    backup_dir.
    """
    options = options or {}
    skip = skip_list(options.get('skip'))
    versions = [parse_version(v) for v in list(hops or []) + [target_version]]
    accepted = to_bool(options.get('accept_perl_change', False), 'lk_accept_perl_change')
    numbers = mirror_numbers(options.get('mirror_numbers'))
    kernels = supported_kernels(options.get('supported_kernels'))
    license_files = [str(f) for f in options.get('license_files') or []]
    needs = disk_paths(options)
    known = [h for h in hosts if is_known(statuses.get(h))]
    generic = sorted(set(res['tag'] for h in known for res in statuses[h].get('resources') or []
                         if res.get('type') == GENERIC_ARK))
    unknown_types = sorted(set(res['tag'] for h in known for res in statuses[h].get('resources') or []
                               if not res.get('type')))
    rows = []
    for host in hosts:
        status = statuses.get(host) or {}
        node_facts = (facts or {}).get(host) or {}
        info = node_facts.get('host_info') or {}
        problem = _info_problem(node_facts)
        read = is_known(status)
        unread = 'the node could not be read: %s' % status.get('reason', 'no status')
        targets = peer_targets(host, statuses, hosts)
        if problem:
            rows.extend(_row(name, host, FAIL, None, problem)
                        for name in ('selinux', 'name_resolution', 'lcm_port', 'arch', 'disk_space', 'datakeeper_ports',
                                     'multipath_sg3_utils', 'kernel'))
        else:
            rows.extend([_selinux(host, info, versions), _name_resolution(host, info, targets['names']),
                         _lcm_port(host, info, targets['connect'], statuses, hosts) if read
                         else _row('lcm_port', host, FAIL, None, unread),
                         _arch(host, info), _disk(host, info, needs),
                         _datakeeper_ports(host, info, statuses, hosts, numbers) if read
                         else _row('datakeeper_ports', host, FAIL, None, unread),
                         _multipath(host, info, status) if read
                         else _row('multipath_sg3_utils', host, FAIL, None, unread),
                         _kernel(host, info, versions, kernels)])
        if read:
            rows.append(_licence(host, status, versions, license_files, node_facts.get('license_missing') or []))
            rows.append(_perl(host, status, versions, generic, unknown_types, accepted))
        else:
            rows.extend(_row(name, host, FAIL, None, unread) for name in ('licence', 'perl_crossing'))
    rows.extend(_heartbeat(hosts, statuses))
    order = dict((name, i) for i, name in enumerate(CHECKS))
    host_rank = dict((host, i) for i, host in enumerate(hosts))
    rows.sort(key=lambda row: (order[row['name']], host_rank.get(row['node'], 0)))
    for row in rows:
        if row['name'] in skip:
            row['why'] = 'skipped by lk_preflight_skip (evaluated: %s, %s)' % (row['result'], row['why'])
            row['result'] = SKIPPED
    return rows


def _files(info):
    """{path: entry} of lk_host_info's files."""
    return dict((entry.get('path'), entry) for entry in (info or {}).get('files') or [] if isinstance(entry, dict))


def licence_missing(info, license_files):
    """The licence files lk_host_info found missing on the node (a file it did not look at is not
    counted: a failed read is the node's own check failure)."""
    files = _files(info)
    return [path for path in license_files if path in files and not files[path].get('exists')]


def media_mb(facts, media):
    """MiB of the largest of the media files (every hop's) that lk_host_info measured on any node."""
    sizes = [entry.get('size') or 0 for node in (facts or {}).values()
             for path, entry in _files((node or {}).get('host_info')).items() if path in media]
    return max(sizes + [0]) / 1048576.0


def with_file_facts(facts, options):
    """facts and options completed from lk_host_info's files: each node's license_missing (of
    options' license_files) and options' media_mb (of options' media), where not given."""
    options = dict(options or {})
    license_files = [str(f) for f in options.get('license_files') or []]
    completed = {}
    for host, node in (facts or {}).items():
        node = dict(node or {})
        if 'license_missing' not in node:
            node['license_missing'] = licence_missing(node.get('host_info'), license_files)
        completed[host] = node
    if options.get('media_mb') is None:
        options['media_mb'] = media_mb(completed, [str(m) for m in options.get('media') or []])
    return completed, options


def evaluate(clusters, statuses, facts, target_version, options=None, hops=None):
    """{cluster name: rows} for clusters [{'name', 'hosts'}] (see cluster_checks). A node's facts
    may give license_missing, and options media_mb, or leave them to lk_host_info's files (the
    paths of options' license_files and media)."""
    facts, options = with_file_facts(facts, options)
    return dict((one['name'], cluster_checks(one['hosts'], statuses, facts, target_version, options, hops))
                for one in clusters)


def check_problems(rows):
    """One sentence per check that failed, naming its nodes and why."""
    failed = {}
    for row in rows or []:
        if row['result'] == FAIL:
            failed.setdefault(row['name'], []).append(row)
    order = dict((name, i) for i, name in enumerate(CHECKS))
    return ['pre-flight check %s failed: %s' % (name, '; '.join('%s: %s%s' % (r['node'], r['why'], _seen(r['value']))
                                                                for r in found))
            for name, found in sorted(failed.items(), key=lambda item: order.get(item[0], 99))]


def _seen(value):
    """' (seen: VALUE)', or nothing when nothing was seen (a node not read): never 'None'."""
    return ' (seen: %s)' % (value,) if value not in (None, '') else ''


def check_lines(rows):
    """The rows as a table for a person (printed with the plan)."""
    if not rows:
        return []
    width = max(len(str(row['node'])) for row in rows)
    lines = ['pre-flight checks:']
    for row in rows:
        lines.append('  %-18s %-*s %-7s %s -- %s' % (row['name'], width, row['node'], row['result'].upper(),
                                                     row['value'] if row['value'] not in (None, '') else '-',
                                                     row['why']))
    return lines
