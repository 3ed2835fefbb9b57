# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reinstall path's records and decisions (controller side, pure, no I/O).

A reinstall (rmlk, fresh install, configuration restored) writes its progress on the node
(``<lk_update_state_dir>/update-progress.json``, which rmlk leaves): before rmlk the step
``removing`` with the node's archive of this run (node path and controller copy), the kits it
had, its version and LifeKeeper name, and each peer's archive taken just before the rmlk
(the peers forget the node when it is removed and re-learn it from that archive); then
``restoring`` and ``relearning``. A node left by such a run without a working LifeKeeper is
completed by a rerun with the same run id (resuming); any other run is refused with the
manual steps (reinstall_problems).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import json

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import PRODUCT_RPM, version_major
from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.cluster import is_known

# Steps after the node's and its peers' archives were taken (the record names them).
REINSTALL_STEPS = ('removing', 'restoring', 'relearning')
GUIDE_CAVEAT = ('the v9.9.0 update guide, for a reinstall, rebuilds the communication paths and resource hierarchies '
                '(data replication resources recreated and fully resynchronised) and keeps the lkbackup archive for '
                'going back; this run restores the archive instead, so the paths and hierarchies come back as they '
                'were: check them afterwards')


def progress_records(results, loop_var=None):
    """{host: progress record or None} from registered slurp results: a loop over the nodes
    (loop_var names the host) or a dict {host: result} (each node read its own). A missing
    or unreadable record is None."""
    if isinstance(results, dict):
        pairs = list(results.items())
    else:
        pairs = [(result.get(loop_var), result) for result in results or []]
    records = {}
    for host, result in pairs:
        if host is None:
            continue
        result = result or {}
        record = None
        if result.get('content') and not result.get('failed') and not result.get('unreachable'):
            try:
                record = json.loads(base64.b64decode(result['content']).decode('utf-8'))
            except (ValueError, TypeError, UnicodeDecodeError):
                record = None
        records[host] = record if isinstance(record, dict) else None
    return records


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
    peers = record.get('peer_archives') or {}
    kits = ' with the recovery kits %s' % ', '.join(record['kits']) if record.get('kits') else ''
    steps = ['install LifeKeeper %s with setup from the media%s' % (record.get('target_version'), kits),
             '%s/lkbackup -x -f %s (or its controller copy %s)' % (
                 bin_dir, record.get('archive'), record.get('controller_copy') or 'none'),
             'keep the new /etc/default/LifeKeeper and carry over the old values']
    for peer, archive in sorted(peers.items()):
        stop, start = _stop_start(record, bin_dir)
        steps.append('on %s: %s, %s/lkbackup -x -f %s, %s' % (peer, stop, bin_dir, archive, start))
    steps.append('start LifeKeeper on %s' % host)
    return '; '.join('%d. %s' % (i, step) for i, step in enumerate(steps, 1))


def _stop_start(record, bin_dir):
    """The commands that stop LifeKeeper leaving the resources in service, and start it."""
    if (version_major(record.get('target_version')) or 9) >= 9:
        return '%s/lkcli stop -f' % bin_dir, '%s/lkcli start' % bin_dir
    return '%s/lkstop -f' % bin_dir, '%s/lkstart' % bin_dir


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


def caveat(host, target_version):
    """The v9.x guide's caveat for a node reinstalled to target_version ('' for 8.x)."""
    if (version_major(target_version) or 0) < 9:
        return ''
    return '%s: reinstall to %s: %s' % (host, target_version, GUIDE_CAVEAT)


def resume_warnings(resuming_records):
    """One sentence per node whose reinstall this run completes (for the printed plan)."""
    return ['%s: completing the reinstall this run left at step %s: LifeKeeper %s installed fresh, the configuration '
            'restored from this run\'s archive %s, the peers re-learn the node from their archives (%s); until then '
            'a hierarchy whose standby it was has none' % (
                host, record.get('step'), record.get('target_version'), record.get('archive'),
                ', '.join(sorted(record.get('peer_archives') or {})) or 'none')
            for host, record in sorted((resuming_records or {}).items())]
