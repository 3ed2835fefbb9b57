# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one command with a deadline: the only place the collection starts a process on a node.

``run_command(argv, timeout, ...)`` starts ``argv`` (a list, never a shell) with ``LC_ALL=C`` in
a session (and process group) of its own. When the deadline expires the whole group is
killed (SIGTERM, then SIGKILL after a short grace), so a hung command and everything it started
stop together, and CommandInterrupted is raised naming the command and the seconds.
``AnsibleModule.run_command`` has no deadline and cannot kill a process group, hence this.

A ``conversation`` (an object with ``reply(prompt, transcript)``) answers a program that asks
questions on stdout (the 8.x setup): the text after the last newline is offered as a prompt;
an answer is written to stdin as a line. A prompt-shaped line that stays unanswered while the
program waits (no output for ``prompt_idle`` seconds) ends the run: the group is killed and
CommandInterrupted names the prompt.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import errno
import os
import select
import signal
import subprocess
import time

C_LOCALE = {'LC_ALL': 'C', 'LANG': 'C'}
KILL_GRACE = 0.5          # seconds between SIGTERM and SIGKILL of the group
DRAIN_AFTER_EXIT = 0.5    # seconds to read what is left once the command has exited
PROMPT_IDLE = 1.0         # seconds of silence after which an unanswered prompt ends the run
PROMPT_ENDINGS = (']', '?', ':')
_CHUNK = 65536


class CommandInterrupted(Exception):
    """The command was killed: ``why`` is 'timeout' or 'prompt' (an unrecognised question)."""

    def __init__(self, argv, why, seconds, stdout='', stderr='', prompt=None):
        self.argv = list(argv)
        self.why = why
        self.seconds = seconds
        self.stdout = stdout
        self.stderr = stderr
        self.prompt = prompt
        if why == 'timeout':
            msg = '%s did not finish within %s s: its process group was killed' % (
                command_text(self.argv), format_seconds(seconds))
        else:
            msg = '%s asked a question this module does not recognise: %r; it was killed' % (
                command_text(self.argv), prompt)
        super(CommandInterrupted, self).__init__(msg)
        self.msg = msg

    def __str__(self):
        return self.msg


def command_text(argv, limit=200):
    """The command for messages: its name (not the full path) and its arguments."""
    text = ' '.join([os.path.basename(str(argv[0]))] + [str(arg) for arg in argv[1:]])
    return text if len(text) <= limit else text[:limit - 3] + '...'


def format_seconds(seconds):
    """60.0 -> '60', 0.25 -> '0.25' (for messages)."""
    text = ('%.3f' % float(seconds)).rstrip('0').rstrip('.')
    return text or '0'


def is_prompt_shaped(text):
    """A line that waits for an answer: ends (before blanks) with ], ? or :."""
    stripped = (text or '').rstrip()
    return bool(stripped) and stripped.endswith(PROMPT_ENDINGS)


def _kill_group(proc):
    """SIGTERM the command's process group, SIGKILL it after KILL_GRACE; reap the command."""
    for sig, grace in ((signal.SIGTERM, KILL_GRACE), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except OSError as exc:
            if exc.errno != errno.ESRCH:
                raise
        end = time.monotonic() + grace
        while time.monotonic() < end:
            if proc.poll() is not None:
                # The leader is gone; the rest of the group may not be: one SIGKILL for them.
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
                return
            time.sleep(0.02)
    proc.poll()


def _decode(chunks):
    return b''.join(chunks).decode('utf-8', 'replace')


def run_command(argv, timeout, data=None, env_update=None, conversation=None,
                prompt_idle=PROMPT_IDLE, clock=time.monotonic):
    """Run argv; return (rc, stdout, stderr). Raises CommandInterrupted (killed) or OSError
    (could not start). ``timeout`` is in seconds (> 0); ``data`` is written to stdin."""
    if isinstance(argv, (str, bytes)) or not argv:
        raise TypeError('run_command takes a non-empty argument list, not %r' % (argv,))
    argv = [str(arg) for arg in argv]
    env = dict(os.environ)
    env.update(C_LOCALE)
    env.update(env_update or {})
    interactive = conversation is not None
    started = clock()
    deadline = started + float(timeout)
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE if (data is not None or interactive) else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, close_fds=True,
        start_new_session=True)
    session = _Session(proc, data, interactive)
    interrupted = None
    last_output = clock()
    exited_at = None
    while session.streams:
        now = clock()
        if exited_at is None and proc.poll() is not None:
            exited_at = now
        if exited_at is not None and now - exited_at >= DRAIN_AFTER_EXIT:
            break  # something the command started still holds its pipes: stop reading
        if now >= deadline:
            if exited_at is None:
                interrupted = ('timeout', None)
            break
        if session.step(min(0.1, deadline - now)):
            last_output = clock()
        if not interactive:
            continue
        current = session.current_line()
        if not current.strip():
            continue
        answer = conversation.reply(current, session.stdout())
        if answer is not None:
            session.answer(answer)
            last_output = clock()
        elif is_prompt_shaped(current) and proc.poll() is None and clock() - last_output >= prompt_idle:
            interrupted = ('prompt', current.strip())
            break
    if interrupted is not None:
        _kill_group(proc)
        session.close()
        seconds = float(timeout) if interrupted[0] == 'timeout' else clock() - started
        raise CommandInterrupted(argv, interrupted[0], seconds, session.transcript(),
                                 session.stderr(), prompt=interrupted[1])
    session.close()
    rc = proc.wait()
    return rc, session.transcript(), session.stderr()


class _Session(object):
    """The pipes of one running command: input to write, output read so far, answers given."""

    def __init__(self, proc, data, interactive):
        self.proc = proc
        self.out = []
        self.err = []
        self.streams = {proc.stdout.fileno(): self.out, proc.stderr.fileno(): self.err}
        self.interactive = interactive
        self.pending = b''
        if data is not None:
            self.pending = data.encode('utf-8') if not isinstance(data, bytes) else data
        self.stdin_open = proc.stdin is not None
        self.answers = []    # (position in stdout, answer line)
        self.consumed = 0    # characters of stdout already answered
        if self.stdin_open and not interactive and not self.pending:
            self._close_stdin()

    def _close_stdin(self):
        try:
            self.proc.stdin.close()
        except (IOError, OSError):
            pass
        self.stdin_open = False

    def step(self, wait):
        """Write what is pending, read what is there (waiting at most ``wait`` s); True if read."""
        writers = [self.proc.stdin.fileno()] if (self.stdin_open and self.pending) else []
        try:
            readable, writable, _x = select.select(list(self.streams), writers, [], max(0.0, wait))
        except (OSError, select.error) as exc:  # interrupted by a signal
            if exc.args and exc.args[0] == errno.EINTR:
                return False
            raise
        if writable:
            try:
                written = os.write(self.proc.stdin.fileno(), self.pending[:_CHUNK])
                self.pending = self.pending[written:]
            except OSError as exc:
                if exc.errno != errno.EPIPE:
                    raise
                self.pending = b''
            if not self.pending and not self.interactive:
                self._close_stdin()
        got = False
        for fd in readable:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                del self.streams[fd]
            else:
                self.streams[fd].append(chunk)
                got = True
        return got

    def stdout(self):
        return _decode(self.out)

    def stderr(self):
        return _decode(self.err)

    def current_line(self):
        """Unanswered text after the last newline of stdout (a prompt when the program waits)."""
        tail = self.stdout()[self.consumed:]
        return tail[tail.rfind('\n') + 1:]

    def answer(self, text):
        position = len(self.stdout())
        self.answers.append((position, text + '\n'))
        self.consumed = position
        if self.stdin_open:
            self.pending += (text + '\n').encode('utf-8')

    def transcript(self):
        """stdout with each answer put back after its question, as a terminal shows it."""
        text = self.stdout()
        parts = []
        last = 0
        for position, line in self.answers:
            parts.append(text[last:position])
            parts.append(line)
            last = position
        parts.append(text[last:])
        return ''.join(parts)

    def close(self):
        for handle in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if handle is not None:
                try:
                    handle.close()
                except (IOError, OSError):
                    pass
