# -*- coding: utf-8 -*-
"""molecule/shared/check_progress.py, the default scenario's check of the progress lines in the
Ansible log: it passes on the lines a rolling update prints and names what is missing or wrong."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'molecule', 'shared', 'check_progress.py')
HOSTS = ['lk-default-node2', 'lk-default-node1']
PREFIX = '2026-12-06 20:00:00,000 p=1 u=root n=ansible | '

GOOD = [
    'TASK [[lifekeeper] backup (+00:00:05)] ******',
    'TASK [[lifekeeper] placement record (+00:00:09)] ******',
    'TASK [[lifekeeper] node 1/2 lk-default-node2: evacuate (+00:00:12)] ******',
    '[lifekeeper] node 1/2 lk-default-node2: still waiting for app-web in service on lk-default-node1 (+00:00:13, 1 s of at most 900 s)',
    'TASK [[lifekeeper] node 1/2 lk-default-node2: update (+00:00:15)] ******',
    '[lifekeeper] node 1/2 lk-default-node2: still waiting for setup (+00:00:17, 1 s of at most 1800 s)',
    '[lifekeeper] node 1/2 lk-default-node2: still waiting for setup (+00:00:18, 2 s of at most 1800 s)',
    'TASK [[lifekeeper] node 2/2 lk-default-node1: evacuate (+00:00:25)] ******',
    'TASK [[lifekeeper] node 2/2 lk-default-node1: update (+00:00:31)] ******',
    '[lifekeeper] node 2/2 lk-default-node1: still waiting for setup (+00:00:33, 1 s of at most 1800 s)',
    'TASK [[lifekeeper] placement (+00:00:42)] ******',
    'TASK [[lifekeeper] verify (+00:00:48)] ******',
]


def run(tmp_path, lines, interval=1):
    log = tmp_path / 'ansible.log'
    log.write_text(''.join(PREFIX + line + '\n' for line in lines))
    done = subprocess.run([sys.executable, SCRIPT, '--log', str(log), '--hosts', ','.join(HOSTS),
                           '--cluster', 'lifekeeper', '--interval', str(interval)],
                          capture_output=True, text=True, check=False)
    return done.returncode, done.stdout + done.stderr


def test_the_lines_of_a_rolling_update_pass(tmp_path):
    rc, out = run(tmp_path, GOOD)
    assert rc == 0, out
    assert '"steps": 6' in out and '"lk-default-node2": [1, 2]' in out


def test_only_the_last_run_in_the_log_counts(tmp_path):
    earlier = [line for line in GOOD if 'still waiting' not in line]
    rc, out = run(tmp_path, earlier + GOOD)
    assert rc == 0, out


def test_a_setup_without_a_waiting_line_fails_naming_the_node(tmp_path):
    rc, out = run(tmp_path, [line for line in GOOD if 'lk-default-node1: still waiting' not in line])
    assert rc == 1 and "lk-default-node1: still-waiting lines []" in out


def test_a_waiting_line_outside_its_update_step_fails(tmp_path):
    lines = list(GOOD)
    lines.insert(3, '[lifekeeper] node 1/2 lk-default-node2: still waiting for setup (+00:00:13, 1 s of at most 1800 s)')
    rc, out = run(tmp_path, lines)
    assert rc == 1 and 'outside its update step' in out


def test_steps_out_of_order_or_missing_fail(tmp_path):
    rc, out = run(tmp_path, [line for line in GOOD if 'verify' not in line])
    assert rc == 1 and 'expected placement then verify' in out
    swapped = [line.replace('node 2/2 lk-default-node1', 'node 2/2 lk-default-node9') for line in GOOD]
    rc, out = run(tmp_path, swapped)
    assert rc == 1 and 'node steps' in out


def test_times_that_go_back_and_none_fail(tmp_path):
    lines = [line.replace('verify (+00:00:48)', 'verify (+00:00:01)') for line in GOOD]
    rc, out = run(tmp_path, lines)
    assert rc == 1 and 'go back' in out
    rc, out = run(tmp_path, GOOD + ['[lifekeeper] node None: still waiting'])
    assert rc == 1 and 'None in progress lines' in out


def test_a_line_before_the_interval_fails(tmp_path):
    rc, out = run(tmp_path, GOOD, interval=2)
    assert rc == 1 and 'before the interval 2 s' in out
