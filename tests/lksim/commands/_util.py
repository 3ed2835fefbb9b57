"""Helpers shared by the LifeKeeper commands."""
import argparse
import sys

from lksim import client, lcd


class Parser(argparse.ArgumentParser):
    """argparse that prints usage and the error on stderr and exits 2 (LCDI syntax error)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write("%s: %s\n" % (self.prog, message))
        raise SystemExit(2)


def node_name(paths):
    try:
        return paths.node_info()["name"]
    except (IOError, OSError, ValueError, KeyError):
        import socket
        return socket.gethostname()


def not_running(paths, node=None):
    sys.stdout.write("LifeKeeper is not running on %s.\n" % (node or node_name(paths)))
    return 1


def ask(paths, payload, timeout=600.0):
    """Answer of the local daemon, or None when it is not running."""
    try:
        return client.request(paths, payload, timeout=timeout)
    except (client.NotRunning, IOError, OSError, ValueError, KeyError):
        return None


def report(name, answer):
    """Print a daemon answer (out lines on stdout, err on stderr); returns its exit code."""
    for line in answer.get("out", []) or []:
        sys.stdout.write(line + "\n")
    if answer.get("err"):
        sys.stderr.write("%s: %s\n" % (name, answer["err"]))
    if answer.get("ok"):
        return 0
    return int(answer.get("rc") or 1)


def load_lcd(paths):
    """The node's LCD from disk (an empty one when there is none yet)."""
    try:
        return lcd.Lcd(lcd.load(paths))
    except lcd.LcdError:
        return lcd.Lcd(lcd.empty(node_name(paths)))


def no_such_resource(name, tag):
    sys.stderr.write('%s: resource "%s" does not exist\n' % (name, tag))
    return 7
