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


class Job(object):
    """A job that ends at ends (None: never) on a clock that only waiting moves; waits can
    stall (the controller suspended), jumping the clock further than asked."""

    def __init__(self, ends, stalls=None):
        self.now = 1000.0
        self.ends = None if ends is None else 1000.0 + ends
        self.stalls = dict(stalls or {})
        self.waits = []

    def clock(self):
        return self.now

    def finished(self, timeout):
        self.waits.append(round(timeout, 3))
        target = self.now + timeout + self.stalls.pop(len(self.waits), 0)
        if self.ends is not None and self.ends <= target:
            self.now = max(self.now, self.ends)
            return True
        self.now = target
        return False


def test_a_job_that_ends_at_once_is_not_held_back_and_says_nothing():
    job, said = Job(0.2), []
    assert progress.wait_saying(job.finished, 1000.0, 30, said.append, job.clock) == 0
    assert said == [] and job.now == 1000.2 and job.waits == [30.0]


def test_a_line_every_interval_while_the_job_runs():
    job, said = Job(95), []
    assert progress.wait_saying(job.finished, 1000.0, '30', said.append, job.clock) == 3
    assert said == [30.0, 60.0, 90.0] and job.now == 1095.0


def test_one_line_after_a_stall_then_the_interval_again():
    job, said = Job(130, stalls={1: 65}), []
    assert progress.wait_saying(job.finished, 1000.0, 30, said.append, job.clock) == 4
    # the first wait ended at 95 s instead of 30: one line, then the next at 120 s
    assert said == [95.0, 120.0] and job.waits == [30.0, 25.0, 30.0]


def test_an_interval_below_one_second_or_missing_is_corrected():
    job, said = Job(2.5), []
    progress.wait_saying(job.finished, 1000.0, 0, said.append, job.clock)
    assert said == [1.0, 2.0]
    job, said = Job(31), []
    progress.wait_saying(job.finished, 1000.0, None, said.append, job.clock)
    assert said == [30.0]
