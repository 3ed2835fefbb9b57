"""rmlk: remove LifeKeeper (every steeleye-* rpm and everything under $LKROOT).

Asks `Do you wish to continue (answering "no" will abort the removal) (y/n) [n] ?` on stdin;
anything but y/yes (empty line, end of input) aborts with exit 1 and nothing changed (ASSUMED
exit code). On y: a running LifeKeeper is stopped with a plain `lkstop` (resources taken out
of service), the packages are erased, $LKROOT is deleted (lkbackup archives in
$LKROOT/config included). /etc/default/LifeKeeper and the license keys stay (ASSUMED).
"""
import argparse
import os
import shutil
import sys

from lksim import packaging
from lksim.setup_tool import lifekeeper_running, run_bin

QUESTION = 'Do you wish to continue (answering "no" will abort the removal) (y/n) [n] ? '


def main(name, argv, paths):
    parser = argparse.ArgumentParser(prog=name, description="remove LifeKeeper from this node")
    parser.parse_args(argv)
    print("rmlk removes LifeKeeper: the recovery kits, the core and supporting packages and "
          "everything under %s, lkbackup archives there included." % "/opt/LifeKeeper")
    print("Resources in service on this node will be taken out of service.")
    sys.stdout.write(QUESTION)
    sys.stdout.flush()
    line = sys.stdin.readline()
    answer = line.strip().lower()
    if not line:
        print()
    if answer not in ("y", "yes"):
        print("Removal aborted; nothing was changed.")
        return 1
    if lifekeeper_running(paths):
        print("Stopping LifeKeeper (resources are taken out of service)")
        sys.stdout.flush()
        rc, out = run_bin(paths, "lkstop")
        if out.strip():
            print(out.rstrip())
        if rc != 0:
            sys.stderr.write("%s: lkstop failed (exit %d); nothing was removed\n" % (name, rc))
            return 1
    try:
        removed = packaging.remove(paths)
    except packaging.PackagingError as exc:
        sys.stderr.write("%s: %s\n" % (name, exc))
        return 1
    for package in removed:
        print("Removed package %s" % package)
    if os.path.isdir(paths.lkroot):
        shutil.rmtree(paths.lkroot)
    print("Removed %s" % paths.lkroot)
    print("LifeKeeper has been removed.")
    return 0
