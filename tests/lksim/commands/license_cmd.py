"""lkkeyins FILE...: install license key files into /var/LifeKeeper/license/ (exit 0)."""
import argparse
import os
import shutil
import sys


def main(name, argv, paths):
    parser = argparse.ArgumentParser(prog=name, description="install LifeKeeper license keys")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    missing = [f for f in args.files if not os.path.isfile(f)]
    if missing:
        for path in missing:
            sys.stderr.write("%s: %s: No such file\n" % (name, path))
        return 1
    os.makedirs(paths.license_dir, exist_ok=True)
    for path in args.files:
        shutil.copy(path, os.path.join(paths.license_dir, os.path.basename(path)))
        print("License key %s installed." % os.path.basename(path))
    return 0
