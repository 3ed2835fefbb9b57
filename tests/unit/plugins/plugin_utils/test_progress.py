# -*- coding: utf-8 -*-
"""The progress lines: where the flow is, the step or what it waits on, the time since the run started."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import progress

STARTED = 1800000000.0
NODE = {'cluster': 'prod', 'node': 'lk2', 'nodes': ['lk1', 'lk2', 'lk3', 'lk4'], 'started': STARTED}


@pytest.mark.parametrize('seconds, text', [
    (0, '+00:00:00'), (59.9, '+00:00:59'), (192, '+00:03:12'), (3600, '+01:00:00'), (90061, '+25:01:01'),
    (-3, '+00:00:00'), ('192.5', '+00:03:12'), (None, '+00:00:00'),
])
def test_elapsed(seconds, text):
    assert progress.elapsed(seconds) == text


def test_step_line_of_a_node():
    assert progress.step_line(NODE, 'evacuate', STARTED + 192) == '[prod] node 2/4 lk2: evacuate (+00:03:12)'


def test_step_line_of_the_cluster_and_seconds_as_jinja_strings():
    context = {'cluster': 'prod', 'started': str(STARTED)}
    assert progress.step_line(context, 'placement', str(STARTED + 3725)) == '[prod] placement (+01:02:05)'


def test_waiting_line():
    line = progress.waiting_line(NODE, 'setup', STARTED + 340, 120.4, '1800')
    assert line == '[prod] node 2/4 lk2: still waiting for setup (+00:05:40, 120 s of at most 1800 s)'


def test_waiting_line_without_a_limit():
    assert progress.waiting_line(NODE, 'the gate', STARTED + 31, 30) == \
        '[prod] node 2/4 lk2: still waiting for the gate (+00:00:31, 30 s)'


def test_a_pass_of_a_multi_hop_run_is_named():
    context = dict(NODE, hop='9.8.0', hops=2)
    assert progress.step_line(context, 'update', STARTED) == '[prod] to 9.8.0 node 2/4 lk2: update (+00:00:00)'
    assert progress.step_line(dict(NODE, hop='9.9.0', hops=1), 'update', STARTED).startswith('[prod] node 2/4 lk2:')


@pytest.mark.parametrize('context', [
    None, {}, {'cluster': None, 'node': None, 'nodes': None, 'started': None, 'hop': None, 'hops': None},
    {'cluster': '', 'node': ' ', 'nodes': [None, ''], 'started': 'None'},
])
def test_unknown_parts_are_left_out_never_none(context):
    assert progress.step_line(context, 'verify', STARTED) == 'verify'
    assert progress.waiting_line(context, None, None, None, None) == 'still waiting for the job'
    assert 'None' not in progress.waiting_line(context, 'setup', STARTED, None, 1800)


def test_a_node_outside_the_order_is_named_without_a_position():
    context = dict(NODE, node='lk9')
    assert progress.step_line(context, 'backup', STARTED + 5) == '[prod] lk9: backup (+00:00:05)'
    assert progress.step_line(dict(NODE, nodes=None), 'backup', STARTED) == '[prod] lk2: backup (+00:00:00)'


def test_waiting_past_the_jobs_own_deadline_drops_at_most():
    line = progress.waiting_line(NODE, 'setup', STARTED + 1900, 1830, 1800)
    assert line.endswith('still waiting for setup (+00:31:40, 1830 s)'), line


def test_wait_clock_checks_often_first_then_every_five_seconds_and_says_a_line_every_interval():
    clock = progress.WaitClock(30, 1000.0)
    now, checks, lines = 1000.0, [], []
    while now < 1000.0 + 95:
        delay = clock.next_check(now)
        checks.append(delay)
        now += delay
        if clock.line_due(now):
            lines.append(round(clock.seconds(now), 3))
    assert checks[:5] == [0.5, 1.0, 2.0, 4.0, 5.0]
    assert max(checks) == 5.0 and min(checks) >= 0.1
    assert lines == [30.0, 60.0, 90.0]


def test_wait_clock_says_one_line_after_a_long_check():
    clock = progress.WaitClock('30', 0.0)
    assert not clock.line_due(29.9)
    assert clock.line_due(75.0) and not clock.line_due(80.0) and clock.line_due(90.0)
    assert clock.next_check(90.0) == 0.5
    assert progress.WaitClock(None, None).interval == 30.0 and progress.WaitClock(0, 5).interval == 1.0
