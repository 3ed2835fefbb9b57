# -*- coding: utf-8 -*-
"""runner.py with real processes: deadlines, the whole process group killed, LC_ALL=C, no shell,
questions answered (or an unknown one ending the run)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import sys
import time

import pytest

from ansible_collections.hatools.lifekeeper.plugins.module_utils import runner
from ansible_collections.hatools.lifekeeper.plugins.module_utils.runner import (
    CommandInterrupted, command_text, format_seconds, is_prompt_shaped, run_command)

PY = sys.executable


def alive(pid):
    """True while pid runs (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open('/proc/%d/stat' % pid) as handle:
            return handle.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except IOError:
        return False


def wait_gone(pid, seconds=3.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.02)
    return False


def test_output_rc_and_stdin():
    assert run_command(['/bin/echo', 'hi'], 5) == (0, 'hi\n', '')
    assert run_command(['/bin/cat'], 5, data='abc\n') == (0, 'abc\n', '')
    rc, out, err = run_command([PY, '-c', 'import sys; sys.stderr.write("e"); sys.exit(3)'], 5)
    assert (rc, out, err) == (3, '', 'e')


def test_large_output_and_input_do_not_deadlock():
    data = 'x' * 300000 + '\n'
    rc, out, err = run_command([PY, '-c', 'import sys; d = sys.stdin.read(); sys.stdout.write(d * 2); '
                                          'sys.stderr.write(d)'], 10, data=data)
    assert rc == 0 and out == data * 2 and err == data


def test_arguments_are_not_interpreted_by_a_shell_and_locale_is_c(tmp_path):
    record = tmp_path / 'seen.json'
    evil = 'a b;$(touch %s)"\'`id` $HOME ~root|&>' % (tmp_path / 'pwned')
    script = 'import json, os, sys; json.dump({"argv": sys.argv[1:], "lc": os.environ.get("LC_ALL"), ' \
             '"lang": os.environ.get("LANG")}, open(%r, "w"))' % str(record)
    assert run_command([PY, '-c', script, evil], 5)[0] == 0
    assert json.loads(record.read_text()) == {'argv': [evil], 'lc': 'C', 'lang': 'C'}
    assert not (tmp_path / 'pwned').exists()


def test_refuses_strings_and_empty_lists():
    for bad in ('echo hi', b'echo', []):
        with pytest.raises(TypeError):
            run_command(bad, 5)


def test_a_missing_command_is_an_oserror():
    with pytest.raises(OSError):
        run_command(['/nonexistent/command'], 5)


def test_deadline_kills_the_whole_process_group(tmp_path):
    pids = tmp_path / 'pids'
    script = ('import subprocess, sys, time\n'
              'kids = [subprocess.Popen(["sleep", "60"]) for _ in range(2)]\n'
              'open(%r, "w").write(" ".join(str(k.pid) for k in kids))\n'
              'print("started", flush=True)\n'
              'time.sleep(60)\n' % str(pids))
    started = time.monotonic()
    with pytest.raises(CommandInterrupted) as info:
        run_command([PY, '-c', script], 1)
    elapsed = time.monotonic() - started
    assert 1 <= elapsed < 2.5
    exc = info.value
    assert exc.why == 'timeout' and exc.seconds == 1 and exc.stdout == 'started\n'
    assert str(exc).startswith(os.path.basename(PY) + ' -c import subprocess')
    assert str(exc).endswith(' did not finish within 1 s: its process group was killed')
    for pid in (int(p) for p in pids.read_text().split()):
        assert wait_gone(pid), 'child %d of the killed command still runs' % pid


def test_a_command_that_ignores_sigterm_is_killed_anyway():
    script = 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print("x", flush=True); ' \
             'time.sleep(60)'
    started = time.monotonic()
    with pytest.raises(CommandInterrupted):
        run_command([PY, '-c', script], 0.5)
    assert time.monotonic() - started < 0.5 + runner.KILL_GRACE + 1.5


def test_a_daemon_that_keeps_the_pipes_does_not_hold_the_caller(tmp_path):
    """Like lkstart: the command exits, something it started keeps stdout open."""
    pidfile = tmp_path / 'daemon.pid'
    script = ('import os, subprocess, sys\n'
              'p = subprocess.Popen(["sleep", "30"], start_new_session=True)\n'
              'open(%r, "w").write(str(p.pid))\n'
              'print("LifeKeeper is starting", flush=True)\n' % str(pidfile))
    started = time.monotonic()
    rc, out, err = run_command([PY, '-c', script], 20)
    assert rc == 0 and out == 'LifeKeeper is starting\n'
    assert time.monotonic() - started < runner.DRAIN_AFTER_EXIT + 2
    pid = int(pidfile.read_text())
    assert alive(pid)          # a successful command's children are not ours to kill
    os.kill(pid, 9)


class Answers(object):
    """Answers '[y]' questions with y; records what it was offered."""

    def __init__(self):
        self.offered = []

    def reply(self, prompt, transcript):
        self.offered.append(prompt)
        return 'y' if prompt.rstrip().endswith('[y]') else None


QUESTIONS = ('import sys\n'
             'for i in range(3):\n'
             '    sys.stdout.write("Q%d? (y/n) [y] " % i); sys.stdout.flush()\n'
             '    print("got", sys.stdin.readline().strip())\n')


def test_questions_are_answered_and_shown_with_their_answers():
    conversation = Answers()
    rc, out, err = run_command([PY, '-c', QUESTIONS + 'print("Setup Complete.")'], 10, conversation=conversation)
    assert rc == 0
    assert out == ('Q0? (y/n) [y] y\ngot y\nQ1? (y/n) [y] y\ngot y\nQ2? (y/n) [y] y\ngot y\n'
                   'Setup Complete.\n')


def test_an_unknown_question_ends_the_run_naming_it(tmp_path):
    script = QUESTIONS + ('sys.stdout.write("Erase the disks? (y/n) [n] "); sys.stdout.flush()\n'
                          'sys.stdin.readline()\nopen(%r, "w").write("erased")\n' % str(tmp_path / 'erased'))
    started = time.monotonic()
    with pytest.raises(CommandInterrupted) as info:
        run_command([PY, '-c', script], 20, conversation=Answers(), prompt_idle=0.3)
    assert time.monotonic() - started < 5
    exc = info.value
    assert exc.why == 'prompt' and exc.prompt == 'Erase the disks? (y/n) [n]'
    assert "asked a question this module does not recognise: 'Erase the disks? (y/n) [n]'" in str(exc)
    assert exc.stdout.endswith('got y\nErase the disks? (y/n) [n] ')
    assert not (tmp_path / 'erased').exists()


def test_a_slow_line_without_a_question_mark_is_not_a_question():
    script = 'import sys, time\nsys.stdout.write("Installing steeleye-lk..."); sys.stdout.flush()\n' \
             'time.sleep(0.8)\nprint(" done")\n'
    rc, out, err = run_command([PY, '-c', script], 10, conversation=Answers(), prompt_idle=0.2)
    assert (rc, out) == (0, 'Installing steeleye-lk... done\n')


@pytest.mark.parametrize('text,shaped', [
    ('Stop LifeKeeper now? (y/n) [y] ', True), ('License key file(s), space separated: ', True),
    ('Continue?', True), ('Installing...', False), ('', False), ('   ', False),
    ('Press ENTER to continue...', True), ('press enter when the stop has completed', True),
])
def test_prompt_shape(text, shaped):
    assert is_prompt_shaped(text) is shaped


def test_messages_name_the_command_and_seconds():
    assert command_text(['/opt/LifeKeeper/bin/lcdstatus', '-e']) == 'lcdstatus -e'
    assert len(command_text(['x'] + ['y' * 50] * 10)) == 200
    assert (format_seconds(60.0), format_seconds(0.25), format_seconds(1e-9)) == ('60', '0.25', '0')


def test_a_command_that_closed_its_output_is_killed_at_its_deadline():
    """Issue 18: once both pipes closed, the wait for the command had no deadline."""
    started = time.monotonic()
    with pytest.raises(CommandInterrupted) as info:
        run_command(['sh', '-c', 'exec >/dev/null 2>&1; sleep 6'], 1)
    elapsed = time.monotonic() - started
    assert 1 <= elapsed < 2.5, elapsed
    assert info.value.why == 'timeout' and info.value.signal == 'SIGTERM'


def test_a_grandchild_that_closed_the_pipes_dies_with_the_group(tmp_path):
    pidfile = tmp_path / 'pid'
    script = ('import subprocess, sys, os, time\n'
              'p = subprocess.Popen(["sleep", "60"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n'
              'open(%r, "w").write(str(p.pid))\n'
              'os.close(1); os.close(2)\n'
              'time.sleep(60)\n' % str(pidfile))
    with pytest.raises(CommandInterrupted):
        run_command([PY, '-c', script], 1)
    assert wait_gone(int(pidfile.read_text()))


def test_the_grace_lets_a_child_finish_its_work_after_sigterm(tmp_path):
    """setup gets SIGTERM; rpm (a child that finishes its transaction) is not cut by SIGKILL."""
    done = tmp_path / 'done'
    script = ('import signal, subprocess, sys, time\n'
              'child = subprocess.Popen([sys.executable, "-c", "import signal, time; '
              'signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(1.2); open(%r, \\"w\\").write(\\"ok\\")"])\n'
              'signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))\n'
              'print("installing", flush=True)\n'
              'time.sleep(60)\n' % str(done))
    started = time.monotonic()
    with pytest.raises(CommandInterrupted) as info:
        run_command([PY, '-c', script], 0.5, kill_grace=10)
    elapsed = time.monotonic() - started
    assert done.read_text() == 'ok'          # the child finished within the grace
    assert info.value.signal == 'SIGTERM' and elapsed < 5
    assert str(info.value).endswith('its process group was killed')


def test_sigkill_after_the_grace_is_named():
    script = 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)'
    started = time.monotonic()
    with pytest.raises(CommandInterrupted) as info:
        run_command([PY, '-c', script], 0.3, kill_grace=0.5)
    assert time.monotonic() - started < 3
    assert info.value.signal == 'SIGKILL'
    assert str(info.value).endswith('its process group was killed (SIGKILL after a grace of 0.5 s)')


def test_the_command_runs_in_the_given_directory(tmp_path):
    rc, out, dummy = run_command([PY, '-c', 'import os; print(os.getcwd())'], 5, cwd=str(tmp_path))
    assert rc == 0 and out.strip() == str(tmp_path)


class EnterScreens(object):
    """Answers a screen that names 'base packages' with Enter, nothing else."""

    def reply(self, screen, transcript):
        return '' if 'base packages' in screen and 'Press ENTER' in screen else None


def test_enter_screens_are_answered_and_an_unknown_one_is_named():
    script = ('import sys\n'
              'sys.stdout.write("The base packages will be installed.\\nPress ENTER to continue... "); sys.stdout.flush()\n'
              'sys.stdin.readline()\n'
              'sys.stdout.write("Warning: disk full.\\nPress ENTER to continue... "); sys.stdout.flush()\n'
              'sys.stdin.readline()\nprint("changed")\n')
    with pytest.raises(CommandInterrupted) as info:
        run_command([PY, '-c', script], 10, conversation=EnterScreens(), prompt_idle=0.3)
    exc = info.value
    assert exc.why == 'prompt' and exc.prompt == 'Press ENTER to continue...'
    assert exc.screen == 'Warning: disk full.\nPress ENTER to continue...'
    assert 'changed' not in exc.stdout
    assert 'the screen was:\nWarning: disk full.' in str(exc)
