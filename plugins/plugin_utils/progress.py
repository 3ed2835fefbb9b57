# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The progress lines an operator follows (controller side, pure).

One line per step of a cluster's flow, carried by the step's task name, and one line at a
steady interval while a long setup or gate runs (the modules' option progress, printed by
their action plugins: plugin_utils.progress_action):

    [prod] node 2/4 lk2: evacuate (+00:03:12)
    [prod] node 2/4 lk2: still waiting for setup (+00:05:40, 120 s of at most 1800 s)

The context says where the flow is: {cluster, node, nodes (the pass's planned order), started
(when the run started, epoch seconds), hop (the pass's version), hops (how many passes)}.
Every key may be missing or null: a piece that is not known is left out, never printed as
None. Seconds arrive as numbers or as the strings Jinja makes of them.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import math


def _seconds(value):
    """value as float seconds, or None when it is not a number (missing, empty, text)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _text(value):
    """value as stripped text, or '' when it is missing (None or only blanks)."""
    return '' if value is None else str(value).strip()


def elapsed(seconds):
    """'+HH:MM:SS' for a number of seconds (hours go past 24; a negative clock skew is 0)."""
    total = int(max(0, _seconds(seconds) or 0))
    return '+%02d:%02d:%02d' % (total // 3600, total % 3600 // 60, total % 60)


def where(context):
    """'[prod] pass 2/2 (9.9.0) node 2/4 lk2': the cluster, the pass of a multi-hop run, the
    node and its place in the pass's order; the known parts only."""
    context = context if isinstance(context, dict) else {}
    parts = []
    cluster = _text(context.get('cluster'))
    if cluster:
        parts.append('[%s]' % cluster)
    hops = _seconds(context.get('hops'))
    hop = _text(context.get('hop'))
    if hop and hops and hops > 1:
        parts.append('to %s' % hop)
    node = _text(context.get('node'))
    nodes = [_text(n) for n in context.get('nodes') or [] if _text(n)]
    if node and node in nodes:
        parts.append('node %d/%d %s' % (nodes.index(node) + 1, len(nodes), node))
    elif node:
        parts.append(node)
    return ' '.join(parts)


def _line(context, text, now, more=()):
    context = context if isinstance(context, dict) else {}
    started = _seconds(context.get('started'))
    now = _seconds(now)
    details = ([elapsed(now - started)] if started is not None and now is not None else []) + list(more)
    head = where(context)
    # '[prod] node 2/4 lk2: evacuate', '[prod] placement' (a cluster's step has no node before its colon)
    separator = ' ' if head.endswith(']') else ': '
    return '%s%s%s' % (head + separator if head else '', text, ' (%s)' % ', '.join(details) if details else '')


def step_line(context, step, now):
    """'[prod] node 2/4 lk2: evacuate (+00:03:12)': the step starting now."""
    return _line(context, _text(step) or 'step', now)


def waiting_line(context, what, now, waited, limit=None):
    """'[prod] node 2/4 lk2: still waiting for setup (+00:05:40, 120 s of at most 1800 s)':
    what has been waited on for waited seconds, with its own deadline limit when known."""
    waited = _seconds(waited)
    limit = _seconds(limit)
    more = []
    if waited is not None:
        # past its own deadline a job is being killed (its grace): the limit no longer says "at most"
        more.append('%d s' % int(max(0, waited)) + (' of at most %d s' % int(limit) if limit and waited <= limit else ''))
    elif limit:
        more.append('at most %d s' % int(limit))
    return _line(context, 'still waiting for %s' % (_text(what) or 'the job'), now, more)


def wait_saying(finished, begun, interval, say, clock):
    """Wait until a job finishes, saying every interval seconds that it still runs.

    finished(timeout) waits at most timeout seconds and returns whether the job finished
    (threading.Event.wait); say(seconds) prints the line for the seconds waited; clock() is
    the time. The job is never polled: its end wakes the wait at once, so a short job is not
    held back by the interval. Returns the lines said.
    """
    interval = _seconds(interval)
    interval = max(1.0, 30.0 if interval is None else interval)
    begun = _seconds(begun) or 0.0
    lines = 0
    while True:
        until_line = (lines + 1) * interval - (clock() - begun)
        if finished(max(0.1, until_line)):
            return lines
        waited = clock() - begun
        if waited >= (lines + 1) * interval:
            # a line per interval passed; one line only after a long stall (a suspended controller)
            lines = int(waited // interval)
            say(waited)
