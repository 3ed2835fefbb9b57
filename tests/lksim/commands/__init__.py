"""Dispatch of the LifeKeeper commands installed in $LKROOT/bin.

Each launcher in $LKROOT/bin (see launcher.py) calls run(name, argv, root). A command
module exposes main(name, argv, paths) -> exit code. Unknown options print usage and
exit 2; no traceback ever reaches the user.
"""
import importlib
import sys

from lksim import journal, knobs
from lksim.paths import NodePaths

# command name -> module under lksim.commands that implements it
COMMAND_MODULES = {
    "lkstart": "service",
    "lkstop": "service",
    "lktest": "service",
    "lcdstatus": "status_cmd",
    "perform_action": "resource_cmd",
    "lkcli": "lkcli",
    "ins_list": "lcd_tools",
    "eqv_list": "lcd_tools",
    "sys_list": "lcd_tools",
    "net_list": "lcd_tools",
    "mirror_action": "mirror_cmd",
    "mirror_status": "mirror_cmd",
    "lkkeyins": "license_cmd",
    "lkbackup": "backup_cmd",
    "lksupport": "support_cmd",
    "rmlk": "rmlk_cmd",
}


def run(name, argv, root):
    """Run command name with argv on the node at root; returns the exit code. Every run is
    recorded in the node's commands journal (lksim/journal.py)."""
    if COMMAND_MODULES.get(name) is None:
        return _run(name, argv, root)
    paths = NodePaths(root)
    return journal.journaled(paths, [name] + list(argv), lambda: _run(name, argv, root))


def _run(name, argv, root):
    module_name = COMMAND_MODULES.get(name)
    if module_name is None:
        sys.stderr.write("%s: command not found\n" % name)
        return 127
    paths = NodePaths(root)
    try:
        if name in (knobs.load(paths).get("hang_commands") or []):
            knobs.hang()
        module = importlib.import_module("lksim.commands." + module_name)
        return module.main(name, list(argv), paths)
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # argparse usage errors
        return exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:  # pylint: disable=broad-except
        # A LifeKeeper command never shows a Python traceback; say what failed instead.
        sys.stderr.write("%s: internal error: %s\n" % (name, exc))
        return 3  # LCDI: internal error
