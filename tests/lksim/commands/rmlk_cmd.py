"""rmlk: remove LifeKeeper (every steeleye-* rpm and everything under $LKROOT).

Output lines are the vendor's where the 9.9.0 update guide shows them, in its two samples,
which differ by the node's state:
- LifeKeeper stopped on this node (section 5 step 4, as the update procedure runs it): the
  three warning lines, the "Note" block naming this node (and any peer that does not answer),
  the question, then `The LifeKeeper GUI server is not running.` and the four `Removing ...`
  lines. No `Removing <node> from the cluster` line: the peers are not told and keep the node
  (its systems entry, comm paths and equivalencies).
- LifeKeeper running (section 6.5): no Note, the question, `Removing <node> from the
  cluster` (each running peer drops this node's comm paths and equivalencies), the three GUI
  Server lines, the four `Removing ...` lines. LifeKeeper is stopped with a plain `lkstop`
  first (resources taken out of service; its output is not shown: the sample shows none).
Anything but y/yes (empty line, end of input) aborts with exit 1 and nothing changed
(ASSUMED exit code). The kits then the core are erased, $LKROOT is deleted (lkbackup archives
in $LKROOT/config included). /etc/default/LifeKeeper and the license keys stay (ASSUMED).
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


def peer_systems(paths):
    """{name: addresses} of the other systems in the node's LCD."""
    local = node_name(paths)
    return dict((name, entry.get("addresses", []))
                for name, entry in load_lcd(paths).data["systems"].items() if name != local)


def systems_not_running(paths, local_running, peers):
    """Names of the cluster's systems (this one first) where LifeKeeper does not run."""
    names = [] if local_running else [node_name(paths)]
    return names + [name for name, addresses in peers.items()
                    if not peer_running(paths, addresses)]


def remove_from_cluster(paths, node, peers):
    """Ask each running peer to forget node (its comm paths and equivalencies); returns the
    peers that could not be told."""
    port = defaults.port(defaults.load(paths))
    missed = []
    for name, addresses in peers.items():
        for address in addresses:
            try:
                answer = client.send(address, port, {"op": "forget", "node": node, "from": node},
                                     timeout=10.0)
            except client.NotRunning:
                continue
            if answer.get("ok"):
                break
        else:
            missed.append(name)
    return missed


def main(name, argv, paths):
    parser = argparse.ArgumentParser(prog=name, description="remove LifeKeeper from this node")
    parser.parse_args(argv)
    running = lifekeeper_running(paths)
    node = node_name(paths)
    peers = peer_systems(paths)
    _say(*WARNING)
    _say("")
    absent = systems_not_running(paths, running, peers)
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
        # the 6.5 sample: the node leaves the cluster (the running peers forget it), then the
        # GUI server is disabled
        rc, out = run_bin(paths, "lkstop")
        if rc != 0:
            sys.stderr.write("%s: lkstop failed (exit %d); nothing was removed\n%s" % (name, rc, out))
            return 1
        _say("Removing %s from the cluster" % node)
        running_peers = dict((p, a) for p, a in peers.items() if p not in absent)
        for peer in remove_from_cluster(paths, node, running_peers):
            _say("Warning: %s could not be told; it still knows %s" % (peer, node))
        _say(*GUI_RUNNING)
    else:
        # the section 5 sample (LifeKeeper stopped here): nothing tells the peers
        _say(GUI_NOT_RUNNING)
    if os.path.exists(paths.gui_server_file):
        os.unlink(paths.gui_server_file)
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
