# -*- coding: utf-8 -*-
"""molecule/shared/check_report_view.py, the ground-truth check of the
report's HTML page: it passes when the page agrees with the event logs and command journals,
and names what differs when it does not."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import subprocess
import sys


from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import report, report_view
from ansible_collections.hatools.lifekeeper.tests.unit.plugins.plugin_utils.test_report_view import T0, _success

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'molecule', 'shared', 'check_report_view.py')


def _event(at, node, from_, to):
    return {'time': T0 + at, 'node': node, 'tag': 'app', 'from': from_, 'to': to, 'cause': 'test'}


def _command(at, end, node, argv):
    return {'time': T0 + at, 'end': T0 + end, 'node': node, 'argv': argv, 'rc': 0}


# what the nodes logged during the run of _success(): n2 (node2) updated first, then n1 (node1)
# evacuated (app to node2 at +42) and updated, app back on node1 at +92
EVENTS = [_event(42.2, 'node1', 'ISP', 'OSU'), _event(44.3, 'node2', 'OSU', 'ISP'),
          _event(92.1, 'node2', 'ISP', 'OSU'), _event(93.3, 'node1', 'OSU', 'ISP')]
COMMANDS = [_command(5, 8, 'node2', ['lkcli', 'stop']), _command(10, 30, 'node2', ['setup']),
            _command(31, 35, 'node2', ['lkcli', 'start']), _command(50, 52, 'node1', ['lkcli', 'stop']),
            _command(55, 80, 'node1', ['setup']), _command(81, 88, 'node1', ['lkcli', 'start'])]


def _write(folder, events, commands, views=('md', 'html')):
    rep = report.combine_reports([_success()])
    for name, text in (('json', json.dumps(rep)), ('md', report_view.render(rep, 'markdown')),
                       ('html', report_view.render(rep, 'html'))):
        if name == 'json' or name in views:
            folder.join('report.' + name).write(text)
    folder.join('events.jsonl').write(''.join(json.dumps(e) + '\n' for e in events))
    folder.join('commands.jsonl').write(''.join(json.dumps(c) + '\n' for c in commands))
    return [sys.executable, SCRIPT, '--report', str(folder.join('report.json')), '--tags', 'app',
            '--events', str(folder.join('events.jsonl')), '--commands', str(folder.join('commands.jsonl'))]


def _run(argv):
    done = subprocess.run(argv, stdout=subprocess.PIPE, universal_newlines=True, check=False)
    return done.returncode, json.loads(done.stdout)['problems']


def test_the_page_agrees_with_the_logs(tmpdir):
    assert _run(_write(tmpdir, EVENTS, COMMANDS)) == (0, [])


def test_an_outage_the_page_does_not_draw_where_it_was(tmpdir):
    late = EVENTS[:2] + [_event(60.0, 'node2', 'ISP', 'OSU'), _event(61.0, 'node1', 'OSU', 'ISP')]
    rc, problems = _run(_write(tmpdir, late, COMMANDS))
    assert rc == 1 and any('the outage' in p and 'is in no bar' in p for p in problems)


def test_an_extra_outage_and_a_setup_outside_the_update_step(tmpdir):
    extra = EVENTS + [_event(96.0, 'node1', 'ISP', 'OSU'), _event(97.0, 'node1', 'OSU', 'ISP')]
    moved = COMMANDS[:4] + [_command(95, 99, 'node1', ['setup'])]
    rc, problems = _run(_write(tmpdir, extra, moved))
    assert rc == 1
    assert any('2 bar(s)' in p and '3 outage(s)' in p for p in problems)
    assert any(p.startswith('node1: setup at') and 'none of its update steps' in p for p in problems)


def test_a_missing_view_is_named(tmpdir):
    rc, problems = _run(_write(tmpdir, EVENTS, COMMANDS, views=('md',)))
    assert rc == 1 and problems == ['missing: %s' % tmpdir.join('report.html')]
