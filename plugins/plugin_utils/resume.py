# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A resume that lost the controller's records (controller side, pure).

The placement record lives in lk_artifacts_dir on the controller; the collection also keeps a
copy on every node (<lk_update_state_dir>/placement-<run id>.json) and each node's progress
record names the run that updated it. When the controller's record is gone (an AWX job runs
in a new container) but the nodes show that an earlier attempt of this run recorded the
placement or updated nodes, recording the placement again would take the first attempt's
result (hierarchies moved) for the placement to restore: refused instead.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import cluster


def _of_run(records, run_id):
    return sorted(host for host, record in (records or {}).items()
                  if isinstance(record, dict) and (record.get('run_id') == run_id))


def lost_placement_record(path, run_id, node_copies, progress_records, copy_path=None):
    """'' when the placement may be recorded now, else why not and how to fix it.

    path: the controller record (missing); node_copies: {host: the node's copy of this run's
    record, parsed, or None}; progress_records: {host: progress record or None} as pre-flight
    read them; copy_path: where the copy is on the nodes.
    """
    copies = sorted(host for host, record in (node_copies or {}).items() if isinstance(record, dict))
    updated = _of_run(progress_records, run_id)
    if not copies and not updated:
        return ''
    evidence = []
    if copies:
        evidence.append('recorded the placement (its copy is on %s)' % ', '.join(copies))
    if updated:
        evidence.append('updated or started to update %s (their progress records name it)' % ', '.join(updated))
    fix = 'put the record back at %s' % path
    if copies and copy_path:
        fix += ' (copy %s from %s)' % (copy_path, copies[0])
    return ('run %s is resumed, and its earlier attempt %s, but the placement record %s is missing on the controller: '
            'lk_artifacts_dir did not persist between the jobs (AWX runs each job in a new container). Recording the '
            'placement now would restore where the earlier attempt left the hierarchies, not where they were, so it '
            'is refused; no hierarchy was moved by this attempt. To resume: %s and keep lk_artifacts_dir on storage '
            'that persists between jobs (docs/awx/README.md), then run again with -e lk_run_id=%s'
            % (run_id, ' and '.join(evidence), path, fix, run_id))


def placement_refusal(path, run_id, node_copies, progress_records, copy_path, statuses):
    """'' when the placement may be recorded now from statuses (every node read), else the
    sentence that refuses it: an earlier attempt of this run lost its record
    (lost_placement_record), or a node was not read (a placement seen from part of the cluster
    is not recorded)."""
    lost = lost_placement_record(path, run_id, node_copies, progress_records, copy_path)
    if lost:
        return lost
    unread = cluster.describe_unreadable(statuses or {})
    if unread:
        return 'cannot record where the hierarchies are in service: not read: %s' % unread
    return ''
