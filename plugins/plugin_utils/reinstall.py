# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reinstall path's decisions and records (controller side, pure, no I/O).

Two guides, two reinstalls (update-procedure "Reinstall path"):
- the 8.4.1 guide (from below 8.2): lkbackup, stop, rmlk, install, the node's own archive
  restored, the NEW /etc/default/LifeKeeper kept (mode 'archive');
- the 9.9.0 guide (from below 9.7.0, section 5): the resource structure is lost; after the
  install on every node the communication paths and hierarchies are rebuilt (mode
  'rebuild': the operator's lk_reinstall_rebuild, once), or the update goes through a version
  with a direct update (lk_media_hops) and keeps the structure. Restoring the old archive
  onto 9.x is outside the guide (lk_reinstall_restore_archive: mode 'archive').
rmlk runs with LifeKeeper stopped, as the guides do; the peers are then not told (the guide's
sample shows no removal from the cluster), so no peer is stopped or restored: the collection
reads afterwards what the peers show (peers_missing).

A reinstall writes its progress on the node (``<lk_update_state_dir>/update-progress.json``,
which rmlk leaves): before rmlk the step ``removing`` with the node's archive of this run
(node path and controller copy), the kits it had, its version and LifeKeeper name; then
``restoring`` (mode 'archive'). A node left by such a run without a working LifeKeeper is
completed by a rerun with the same run id (resuming); any other run is refused with the
manual steps (reinstall_problems).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import json

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import PRODUCT_RPM, version_major
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import is_known, lk_name, placement

# Steps after the node's archive was taken (the record names it); 'relearning' only in the
# records of earlier releases (their peers re-learnt the node), still completed by a rerun.
REINSTALL_STEPS = ('removing', 'restoring', 'relearning')
GUIDE_CAVEAT = ('OUTSIDE THE v9.9.0 GUIDE (lk_reinstall_restore_archive): the guide rebuilds the communication paths '
                'and resource hierarchies after a reinstall (data replication resources recreated and fully '
                'resynchronised) and keeps the lkbackup archive for going back; this run restores the old archive '
                'onto the new version instead: check the paths and hierarchies afterwards')
# The 9.9.0 guide, section 5 step 7: the order for replicated file systems whose disks lack a unique ID.
REBUILD_ORDER = ('data replication resources are recreated and fully resynchronised; with disks lacking a unique ID, '
                 'first create the replicated file systems and extend them to every node, then restore the data, '
                 'then recreate the rest of each hierarchy')


def rebuild_guide_mode(target_version, restore_archive=False):
    """True when a reinstall to target_version follows the 9.9.0 guide (structure rebuilt),
    False for the 8.4.1 guide's (archive restored) or with lk_reinstall_restore_archive."""
    return (version_major(str(target_version)) or 0) >= 9 and not restore_archive


def reinstall_problem(host, path, target, hop_count, allow_reinstall, rebuild, restore_archive=False):
    """Why pre-flight refuses host's reinstall to target (path: versions.update_path), or None.

    Not allowed: the hop route first (the guides' way to keep the resource structure), then
    lk_allow_reinstall. Allowed the 9.9.0 guide's way without the operator's rebuild task file
    (lk_reinstall_rebuild): refused naming it, since nothing else brings the hierarchies back."""
    guide_mode = rebuild_guide_mode(target, restore_archive)
    if not allow_reinstall:
        text = '%s: %s' % (host, path.reason)
        if hop_count == 1 and path.allowed_from:
            text += ('. To keep the resource structure, update through a version with a direct update to %s '
                     '(from %s): list it in lk_media_hops (one rolling pass each)' % (
                         target, ', '.join(path.allowed_from)))
        elif hop_count == 1:
            text += '; list intermediate versions in lk_media_hops (one rolling pass each)'
        if guide_mode:
            text += ('; or set lk_allow_reinstall=true with lk_reinstall_rebuild (the 9.9.0 guide: the communication '
                     'paths and hierarchies are lost and rebuilt, every hierarchy out of service until then)')
        else:
            text += '; or set lk_allow_reinstall=true to take the reinstall path (the archive is restored)'
        return text
    if guide_mode and not rebuild:
        return ('%s: the reinstall to %s loses the resource structure (the 9.9.0 guide, section 5): lk_reinstall_rebuild '
                'is required, a task file that rebuilds the communication paths and hierarchies once every node runs '
                '%s (%s); or update through lk_media_hops instead' % (host, target, target, REBUILD_ORDER))
    return None


def reinstall_warning(hosts, tags, target, rebuild):
    """The outage the 9.9.0 guide's reinstall implies, for the printed plan."""
    return ('OUTAGE: %s reinstalled to %s the 9.9.0 guide\'s way (section 5): each node is backed up (node and '
            'controller copies, /etc/default/LifeKeeper saved), stopped with lkcli stop (its hierarchies go out of '
            'service; nothing is switched over: no node keeps the structure), removed with rmlk and installed '
            'fresh. The hierarchies lose their standby at the first rmlk and are out of service from the stop of '
            'the node holding them until the rebuild (%s) runs once after the last node; then %s must be back and in '
            'service (%s)' % (', '.join(hosts), target, rebuild, ', '.join(tags) or 'no hierarchy', REBUILD_ORDER))


def rebuild_missing(placement_before, statuses):
    """The hierarchies of placement_before ({tag: host}, the pre-update snapshot) that are not
    in service on any node of statuses (read afresh after the rebuild), sorted."""
    now = placement(statuses or {})
    return sorted(tag for tag in placement_before or {} if tag not in now)


def peers_missing(node, statuses, node_name=None):
    """After node's reinstall (rmlk with LifeKeeper stopped: the peers were not told), the
    peers that do not show node with every communication path ALIVE, each with what it shows:
    [sentence]. statuses: {host: lk_status result} read afresh; node_name: node's LifeKeeper
    name (default: read from its status)."""
    name = node_name or lk_name(node, (statuses or {}).get(node) or {})
    problems = []
    for host, status in sorted((statuses or {}).items()):
        if host == node:
            continue
        if not is_known(status) or not status.get('running'):
            problems.append('%s: not read, or LifeKeeper not running there' % host)
            continue
        paths = [p for p in status.get('comm_paths') or [] if p.get('machine') == name]
        if not paths:
            problems.append('%s: no communication path to %s (the peer does not know it)' % (host, name))
        elif any(p.get('state') != 'ALIVE' for p in paths):
            problems.append('%s: communication path(s) to %s %s' % (
                host, name, ', '.join(sorted(set(p.get('state') or 'unknown' for p in paths)))))
    return problems


def progress_records(results, loop_var=None):
    """{host: progress record or None} from registered slurp results, or lk_host_info results
    whose first RV(records) entry is the record: a loop over the nodes (loop_var names the
    host) or a dict {host: result} (each node read its own). A missing or unreadable record is
    None."""
    if isinstance(results, dict):
        pairs = list(results.items())
    else:
        pairs = [(result.get(loop_var), result) for result in results or []]
    return dict((host, host_record(result)) for host, result in pairs if host is not None)


def host_record(result, position=0):
    """The JSON record one node read (a dict), or None: the RV(records) entry at position of an
    lk_host_info result, or a slurp result's content; None when the read failed or the record
    is missing or unreadable."""
    result = result or {}
    if result.get('failed') or result.get('unreachable'):
        return None
    record = None
    if isinstance(result.get('records'), list):
        record = (result['records'][position:position + 1] or [{}])[0].get('content')
    elif result.get('content'):
        try:
            record = json.loads(base64.b64decode(result['content']).decode('utf-8'))
        except (ValueError, TypeError, UnicodeDecodeError):
            record = None
    return record if isinstance(record, dict) else None


def _broken(status):
    """A node read without a working LifeKeeper (not installed or not running)."""
    return is_known(status) and (not status.get('installed', True) or not status.get('running'))


def _in_reinstall(record):
    return bool(record) and record.get('step') in REINSTALL_STEPS and bool(record.get('archive'))


def resuming(records, statuses, run_id):
    """{host: record} of the nodes this run (run_id) left mid-reinstall and that have no
    working LifeKeeper now: a rerun completes their reinstall from the recorded archives."""
    return dict((host, record) for host, record in sorted((records or {}).items())
                if _in_reinstall(record) and record.get('run_id') == run_id and _broken((statuses or {}).get(host)))


def manual_steps(host, record, lkroot='/opt/LifeKeeper'):
    """How to finish by hand the reinstall a run left on host (from its record)."""
    bin_dir = lkroot.rstrip('/') + '/bin'
    kits_text = ' with the recovery kits %s' % ', '.join(record['kits']) if record.get('kits') else ''
    steps = ['install LifeKeeper %s with setup from the media%s' % (record.get('target_version'), kits_text)]
    if record.get('mode') == 'rebuild':
        steps.append('once every node runs %s, rebuild the communication paths and hierarchies (%s); the archive '
                     '%s (controller copy %s) is for going back' % (
                         record.get('target_version'), REBUILD_ORDER, record.get('archive'),
                         record.get('controller_copy') or 'none'))
    else:
        restore = '%s/lkbackup -x -f %s (or its controller copy %s)' % (
            bin_dir, record.get('archive'), record.get('controller_copy') or 'none')
        review = 'keep the new /etc/default/LifeKeeper and review the old values (%s)' % (
            record.get('defaults_copy') or 'in the archive')
        steps.extend([restore, review])
    steps.append('start LifeKeeper on %s' % host)
    return '; '.join('%d. %s' % (i, step) for i, step in enumerate(steps, 1))


def reinstall_problems(records, statuses, run_id, lkroot='/opt/LifeKeeper'):
    """Sentences for the nodes another run (not run_id) left mid-reinstall without a working
    LifeKeeper: the run id that completes it, and the manual steps."""
    problems = []
    for host, record in sorted((records or {}).items()):
        if _in_reinstall(record) and record.get('run_id') != run_id and _broken((statuses or {}).get(host)):
            problems.append(
                '%s: run %s stopped while reinstalling LifeKeeper here (step %s, after its backups): rerun with '
                '-e lk_run_id=%s to complete it, or by hand: %s' % (
                    host, record.get('run_id'), record.get('step'), record.get('run_id'),
                    manual_steps(host, record, lkroot)))
    return problems


def kits(packages):
    """The recovery kits of a node (every installed steeleye-* package but the core), by name."""
    return sorted(set(p['name'] for p in packages or [] if p.get('name') and p['name'] != PRODUCT_RPM))


def caveat(host, target_version, restore_archive=True):
    """The caveat for a node reinstalled to a 9.x target_version by restoring its old archive
    (outside the 9.9.0 guide); '' for an 8.x target (the 8.4.1 guide restores the archive) and
    for the 9.9.0 guide's rebuild (reinstall_warning states that)."""
    if (version_major(str(target_version)) or 0) < 9 or not restore_archive:
        return ''
    return '%s: reinstall to %s: %s' % (host, target_version, GUIDE_CAVEAT)


def resume_warnings(resuming_records):
    """One sentence per node whose reinstall this run completes (for the printed plan)."""
    return ['%s: completing the reinstall this run left at step %s: LifeKeeper %s installed fresh%s; until then '
            'a hierarchy whose standby it was has none' % (
                host, record.get('step'), record.get('target_version'),
                '' if record.get('mode') == 'rebuild' else
                ', the configuration restored from this run\'s archive %s' % record.get('archive'))
            for host, record in sorted((resuming_records or {}).items())]


def reinstall_mode(target_version, restore_archive=False):
    """'rebuild' (the 9.9.0 guide: the structure is rebuilt) or 'archive' (the node's own archive
    restored: the 8.4.1 guide, or lk_reinstall_restore_archive)."""
    return 'rebuild' if rebuild_guide_mode(target_version, restore_archive) else 'archive'


def defaults_note(host, restored):
    """The report's note on /etc/default/LifeKeeper after a restore (restored: lk_backup's result
    with defaults=keep_new): the new release's file was kept; each old value that differs is
    listed for review, and what lk_defaults_carry carried over."""
    def value(text):
        return 'absent' if text is None else text
    review = ['%s=%s (new: %s)' % (c['key'], value(c['old']), value(c['new'])) for c in restored.get('defaults_review') or []]
    carried = ['%s=%s' % (c['key'], c['old']) for c in restored.get('defaults_changes') or []]
    return ('%s: /etc/default/LifeKeeper: the new release\'s file was kept; old values to review: %s; carried over '
            '(lk_defaults_carry): %s' % (host, ', '.join(review) or 'none', ', '.join(carried) or 'none'))
