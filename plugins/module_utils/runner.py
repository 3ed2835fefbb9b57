# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one command with a deadline: the only place the collection starts a process on a node.

``run_command(argv, timeout, ...)`` starts ``argv`` (a list, never a shell) with ``LC_ALL=C`` in
a session (and process group) of its own. The deadline is real: at ``timeout`` seconds the whole
group is sent SIGTERM whether or not the command still holds its output pipes (a command that
closed stdout/stderr and hangs is killed like any other), then SIGKILL once ``kill_grace``
seconds have passed with any member of the group left. Output keeps being read during the
grace, so a command finishing its work (rpm inside setup) is not blocked on a full pipe.
CommandInterrupted names the command, the seconds and the signal that ended it.
``AnsibleModule.run_command`` has no deadline and cannot kill a process group, hence this.

A ``conversation`` (an object with ``reply(screen, transcript)``) answers a program that shows
screens on stdout and waits (8.x setup): ``screen`` is everything printed since the last
answer; a non-None reply is written to stdin as a line. A screen that waits for input (its
unanswered line is prompt-shaped: it ends with ], ? or :, or asks to press Enter) and stays
unanswered while the program is silent for ``prompt_idle`` seconds ends the run: the group is
killed and CommandInterrupted names the screen.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import errno
import os
import re
import select
import signal
import subprocess
import time

C_LOCALE = {'LC_ALL': 'C', 'LANG': 'C'}
KILL_GRACE = 0.5          # default seconds between SIGTERM and SIGKILL of the group
DRAIN_AFTER_EXIT = 0.5    # seconds to read what is left once the command has exited
PROMPT_IDLE = 1.0         # seconds of silence after which an unanswered prompt ends the run
PROMPT_ENDINGS = (']', '?', ':')
# A screen that waits for Enter ("Press ENTER to continue...", 8.4.1 guide steps 4, 5 and 8).
ENTER_RE = re.compile(r'\b(press|hit)\s+(the\s+)?(enter|return)\b', re.IGNORECASE)
SCREEN_LINES = 12         # lines of an unrecognised screen kept for the message
_CHUNK = 65536


class CommandInterrupted(Exception):
    """The command was killed: ``why`` is 'timeout' or 'prompt' (a screen nobody recognised).

    ``signal`` is the signal that ended the group ('SIGTERM' when it stopped within the grace,
    'SIGKILL' otherwise); ``screen`` holds the last lines of an unrecognised screen."""

    def __init__(self, argv, why, seconds, stdout='', stderr='', prompt=None, signal_name=None,
                 screen=None, grace=None):
        self.argv = list(argv)
        self.why = why
        self.seconds = seconds
        self.stdout = stdout
        self.stderr = stderr
        self.prompt = prompt
        self.signal = signal_name
        self.screen = screen
        self.grace = grace
        how = ''
        if signal_name == 'SIGKILL':     # it did not stop on SIGTERM within the grace
            how = ' (SIGKILL after a grace of %s s)' % format_seconds(grace or 0)
        if why == 'timeout':
            msg = '%s did not finish within %s s: its process group was killed%s' % (
                command_text(self.argv), format_seconds(seconds), how)
        else:
            msg = '%s asked a question this module does not recognise: %r; it was killed%s' % (
                command_text(self.argv), prompt, how)
            if screen:
                msg += '; the screen was:\n%s' % screen
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
    """A line that waits for an answer: ends (before blanks) with ], ? or :, or asks for Enter."""
    stripped = (text or '').rstrip()
    return bool(stripped) and (stripped.endswith(PROMPT_ENDINGS) or bool(ENTER_RE.search(stripped)))


def last_lines(text, count=SCREEN_LINES):
    """The last ``count`` non-blank lines of ``text`` (for messages naming a screen)."""
    lines = [line.rstrip() for line in (text or '').splitlines() if line.strip()]
    return '\n'.join(lines[-count:])


def _group_alive(pgid):
    """Some live process of the group is left. Zombies do not count (in a container without an
    init that reaps, a killed child stays a zombie and signal 0 still reaches it)."""
    try:
        names = os.listdir('/proc')
    except OSError:
        names = None
    if names is None:
        try:
            os.killpg(pgid, 0)
        except OSError as exc:
            return exc.errno == errno.EPERM
        return True
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % name) as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
        except (IOError, OSError, IndexError):
            continue
        # after the command name: state, ppid, pgrp, ...
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ('Z', 'X'):
            return True
    return False


def _signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except OSError as exc:
        if exc.errno != errno.ESRCH:
            raise


def _kill_group(proc, session=None, grace=KILL_GRACE):
    """SIGTERM the command's process group; SIGKILL it once ``grace`` seconds have passed with
    any member left. Output is read meanwhile. Returns the signal that ended it."""
    _signal_group(proc.pid, signal.SIGTERM)
    end = time.monotonic() + max(0.0, float(grace))
    while time.monotonic() < end:
        proc.poll()        # reap the leader so that the group test sees only the others
        if proc.returncode is not None and not _group_alive(proc.pid):
            return 'SIGTERM'
        if session is not None and session.streams:
            session.step(min(0.05, max(0.0, end - time.monotonic())))
        else:
            time.sleep(0.02)
    _signal_group(proc.pid, signal.SIGKILL)
    try:
        proc.wait(timeout=5.0)
    except subprocess.TimeoutExpired:
        pass
    return 'SIGKILL'


def _decode(chunks):
    return b''.join(chunks).decode('utf-8', 'replace')


def run_command(argv, timeout, data=None, env_update=None, conversation=None,
                prompt_idle=PROMPT_IDLE, clock=time.monotonic, kill_grace=KILL_GRACE, cwd=None):
    """Run argv; return (rc, stdout, stderr). Raises CommandInterrupted (killed) or OSError
    (could not start). ``timeout`` is in seconds (> 0); ``data`` is written to stdin;
    ``kill_grace``: seconds between SIGTERM and SIGKILL of the group; ``cwd``: the directory
    the command runs in."""
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
        start_new_session=True, cwd=cwd)
    session = _Session(proc, data, interactive)
    interrupted = None
    last_output = clock()
    exited_at = None
    while True:
        now = clock()
        if exited_at is None and proc.poll() is not None:
            exited_at = now
        if exited_at is not None and (not session.streams or now - exited_at >= DRAIN_AFTER_EXIT):
            break  # done; or something the command started still holds its pipes: stop reading
        if now >= deadline:
            if exited_at is None:
                interrupted = ('timeout', None)   # alive at its deadline, pipes open or not
            break
        if not session.streams:
            # pipes closed: wait for the exit (returns as soon as it comes, not after a fixed sleep)
            try:
                proc.wait(timeout=min(0.05, max(0.0, deadline - now)))
            except subprocess.TimeoutExpired:
                pass
            continue
        if session.step(min(0.1, deadline - now)):
            last_output = clock()
        if not interactive:
            continue
        screen = session.unanswered()
        if not screen.strip():
            continue
        answer = conversation.reply(screen, session.stdout())
        if answer is not None:
            session.answer(answer)
            last_output = clock()
            continue
        current = session.current_line()
        if is_prompt_shaped(current) and proc.poll() is None and clock() - last_output >= prompt_idle:
            interrupted = ('prompt', current.strip())
            break
    if interrupted is not None:
        signal_name = _kill_group(proc, session, kill_grace)
        session.close()
        seconds = float(timeout) if interrupted[0] == 'timeout' else clock() - started
        raise CommandInterrupted(argv, interrupted[0], seconds, session.transcript(),
                                 session.stderr(), prompt=interrupted[1], signal_name=signal_name,
                                 screen=last_lines(session.unanswered()) if interrupted[0] == 'prompt' else None,
                                 grace=kill_grace)
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

    def unanswered(self):
        """stdout printed since the last answer (the screen the program may be waiting on)."""
        return self.stdout()[self.consumed:]

    def current_line(self):
        """Unanswered text after the last newline of stdout (a prompt when the program waits)."""
        tail = self.unanswered()
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
