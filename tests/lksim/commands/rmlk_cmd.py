"""rmlk: remove LifeKeeper (every steeleye-* rpm and everything under $LKROOT).

Output lines are the vendor's (9.9.0 update guide) where the guide shows them: the three
warning lines, the "Note" block naming the systems where LifeKeeper does not appear to run
(only when there is one), the question, the GUI server lines, the package removal lines.
Anything but y/yes (empty line, end of input) aborts with exit 1 and nothing changed
(ASSUMED exit code). On y: a running LifeKeeper is stopped with a plain `lkstop` (resources
taken out of service), the GUI server is disabled, the kits then the core are erased,
$LKROOT is deleted (lkbackup archives in $LKROOT/config included). /etc/default/LifeKeeper
and the license keys stay (ASSUMED).
"""
import argparse
import os
import shutil
import sys

from lksim import client, defaults, knobs, packaging
from lksim.commands._util import load_lcd, node_name
from lksim.setup_tool import lifekeeper_running, run_bin

WARNING = ("This script will uninstall LifeKeeper on your system.",
           "All in service resources will be taken out of service.",
           "This will stop any applications protected by LifeKeeper.")
NOTE = ("Note: For proper cleanup it is recommended that LifeKeeper",
        "be running on all nodes in the cluster. Incomplete removal",
        "may occur if LifeKeeper is not running. Currently LifeKeeper",
        "does not appear to be running on the following systems:")
QUESTION = 'Do you wish to continue (answering "no" will abort the removal) (y/n) [n] ? '
GUI_RUNNING = ("LifeKeeper GUI Server Setup Starting",
               "LifeKeeper GUI Server Disabled",
               "LifeKeeper GUI Server Setup Completed")
GUI_NOT_RUNNING = "The LifeKeeper GUI server is not running."


def _say(*lines):
    for line in lines or ("",):
        sys.stdout.write(line + "\n")
    sys.stdout.flush()


def peer_running(paths, addresses, timeout=2.0):
    """True when a LifeKeeper daemon answers on one of a peer's addresses."""
    port = defaults.port(defaults.load(paths))
    for address in addresses:
        try:
            if client.send(address, port, {"op": "ping"}, timeout=timeout).get("ok"):
                return True
        except client.NotRunning:
            continue
    return False


def systems_not_running(paths, local_running):
    """Names of the cluster's systems (this one first) where LifeKeeper does not run."""
    local = node_name(paths)
    names = [] if local_running else [local]
    for name, entry in load_lcd(paths).data["systems"].items():
        if name != local and not peer_running(paths, entry.get("addresses", [])):
            names.append(name)
    return names


def _disable_gui_server(paths):
    if os.path.exists(paths.gui_server_file):
        _say(*GUI_RUNNING)
        os.unlink(paths.gui_server_file)
    else:
        _say(GUI_NOT_RUNNING)


def main(name, argv, paths):
    parser = argparse.ArgumentParser(prog=name, description="remove LifeKeeper from this node")
    parser.parse_args(argv)
    running = lifekeeper_running(paths)
    _say(*WARNING)
    _say("")
    absent = systems_not_running(paths, running)
    if absent:
        _say(*(NOTE + tuple(absent)))
        _say("")
    sys.stdout.write(QUESTION)
    sys.stdout.flush()
    line = sys.stdin.readline()
    answer = line.strip().lower()
    if not line or not sys.stdin.isatty():   # a terminal echoes the answer and its newline
        _say()
    if answer not in ("y", "yes"):
        _say("Removal aborted; nothing was changed.")
        return 1
    if running:
        _say("Stopping LifeKeeper (resources are taken out of service)")
        rc, out = run_bin(paths, "lkstop")
        if out.strip():
            _say(out.rstrip())
        if rc != 0:
            sys.stderr.write("%s: lkstop failed (exit %d); nothing was removed\n" % (name, rc))
            return 1
    _disable_gui_server(paths)
    # knob rmlk_leaves_packages: the same lines and exit 0, but no rpm is erased (their files
    # under $LKROOT stay with them; only what no package owns, $LKROOT/config, goes)
    leave = knobs.load(paths).get("rmlk_leaves_packages")
    installed = sorted(packaging.installed_packages(paths))
    try:
        _say("Removing kit packages")
        if not leave:
            packaging.remove(paths, [p for p in installed if p != packaging.CORE])
        _say("Removing core packages")
        if not leave:
            packaging.remove(paths, [packaging.CORE])
    except packaging.PackagingError as exc:
        sys.stderr.write("%s: %s\n" % (name, exc))
        return 1
    _say("Removing supporting packages")
    _say("Removing any remaining LifeKeeper files in /etc and /lib/modules")
    doomed = paths.config_dir if leave else paths.lkroot
    if os.path.isdir(doomed):
        shutil.rmtree(doomed)
    return 0
