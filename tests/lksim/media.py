"""The product media: LKL_V<ver>_<mmddyy>.iso holding sps_<ver>.img holding setup and rpms/.

build() needs rpmbuild (through packaging.build_rpms) and xorriso; extract() only xorriso
(for hosts whose kernel cannot loop-mount ISO9660, like this build machine).

    python3 -m lksim media build --version V --out DIR [--date MMDDYY]   -> prints the ISO path
    python3 -m lksim media extract ISO DIR                                -> prints DIR
"""
import argparse
import datetime
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

from lksim import packaging

# The setup script on the media: standalone, like the $LKROOT/bin launchers, but it is not
# inside a node, so the node ROOT comes from $LKSIM_ROOT (default "/").
SETUP_SCRIPT = '''#!/usr/bin/env python3
# LifeKeeper for Linux setup (simulated by lksim)
import json
import os
import sys

_media = os.path.dirname(os.path.abspath(__file__))
_root = os.environ.get("LKSIM_ROOT", "/")
_node = os.path.join(_root, "etc", "lksim", "node.json")
try:
    with open(_node) as _f:
        sys.path.insert(0, json.load(_f)["lksim_path"])
except (IOError, OSError, ValueError, KeyError) as _exc:
    sys.stderr.write("setup: this host is not a simulated LifeKeeper node (%s: %s)\\n" % (_node, _exc))
    sys.exit(1)
from lksim.setup_tool import main  # noqa: E402
from lksim import journal, paths  # noqa: E402

# recorded in the node's commands journal (lksim/journal.py), like the $LKROOT/bin commands
sys.exit(journal.journaled(paths.NodePaths(_root), ["setup"] + sys.argv[1:],
                           lambda: main(sys.argv[1:], _root, _media)))
'''


class MediaError(Exception):
    pass


def iso_name(version, date=None):
    date = date or datetime.date.today().strftime("%m%d%y")
    return "LKL_V%s_%s.iso" % (version, date)


def img_name(version):
    return "sps_%s.img" % version


def _xorriso(args):
    if shutil.which("xorriso") is None:
        raise MediaError("xorriso is not installed")
    proc = subprocess.run(["xorriso"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if proc.returncode != 0:
        raise MediaError("xorriso %s failed (rc %d): %s"
                         % (" ".join(args[:3]), proc.returncode, proc.stderr.strip()[-2000:]))
    return proc


def _mkiso(source_dir, out_file, label):
    # Rock Ridge keeps the modes (setup stays executable); -J for good measure.
    _xorriso(["-as", "mkisofs", "-quiet", "-R", "-J", "-V", label[:32], "-o", out_file, source_dir])


def content_key(version):
    """Short hash of what goes into the ISO of version (the rpms' content and setup), so
    that an ISO built by an older simulator is never reused."""
    digest = hashlib.sha256()
    digest.update(packaging.content_key(str(version)).encode("utf-8"))
    digest.update(SETUP_SCRIPT.encode("utf-8"))
    return digest.hexdigest()[:10]


def build(version, out_dir, date=None, cache_dir=None):
    """The product ISO of version in out_dir (reused when one of the same content is there);
    returns its path. The content key is kept beside it in <iso>.key."""
    version = str(version)
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, iso_name(version, date))
    key = content_key(version)
    try:
        with open(target + ".key") as handle:
            if os.path.isfile(target) and handle.read().strip() == key:
                return target
    except (IOError, OSError):
        pass
    rpms = packaging.build_rpms(version, cache_dir or packaging.default_cache_dir())
    work = tempfile.mkdtemp(prefix=".media-%s-" % version, dir=out_dir)
    try:
        img_dir = os.path.join(work, "img")
        os.makedirs(os.path.join(img_dir, "rpms"))
        for rpm in rpms:
            shutil.copy(rpm, os.path.join(img_dir, "rpms"))
        setup = os.path.join(img_dir, "setup")
        with open(setup, "w") as handle:
            handle.write(SETUP_SCRIPT)
        os.chmod(setup, 0o755)
        with open(os.path.join(img_dir, "VERSION"), "w") as handle:
            handle.write(version + "\n")
        iso_dir = os.path.join(work, "iso")
        os.makedirs(iso_dir)
        _mkiso(img_dir, os.path.join(iso_dir, img_name(version)), "SPS_" + version.replace(".", "_"))
        tmp_iso = os.path.join(work, "out.iso")
        _mkiso(iso_dir, tmp_iso, "LKL_V" + version.replace(".", "_"))
        os.replace(tmp_iso, target)
        with open(target + ".key", "w") as handle:
            handle.write(key + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _extract_one(image, dest):
    os.makedirs(dest, exist_ok=True)
    _xorriso(["-osirrox", "on", "-indev", image, "-extract", "/", dest])
    # xorriso keeps the read-only modes of the ISO; make the tree removable again.
    for dirpath, dirnames, dummy in os.walk(dest):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
    os.chmod(dest, 0o755)


def extract(iso, dest):
    """Unpack the product ISO and its sps_<ver>.img into dest (setup ends up in dest/setup)."""
    if not os.path.isfile(iso):
        raise MediaError("no such ISO: %s" % iso)
    work = tempfile.mkdtemp(prefix=".lkl-")
    try:
        _extract_one(iso, work)
        imgs = sorted(glob.glob(os.path.join(work, "sps_*.img")))
        if not imgs:
            raise MediaError("%s holds no sps_*.img" % iso)
        _extract_one(imgs[0], dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


def cli_main(argv):
    """`python3 -m lksim media ...` (argv without the word "media"); returns an exit code."""
    parser = argparse.ArgumentParser(prog="lksim media", description="product media")
    sub = parser.add_subparsers(dest="action")
    p_build = sub.add_parser("build", help="build LKL_V<ver>_<mmddyy>.iso")
    p_build.add_argument("--version", required=True)
    p_build.add_argument("--out", required=True)
    p_build.add_argument("--date", help="MMDDYY in the file name (default: today)")
    p_extract = sub.add_parser("extract", help="unpack an ISO and its sps image into DIR")
    p_extract.add_argument("iso")
    p_extract.add_argument("dir")
    args = parser.parse_args(argv)
    try:
        if args.action == "build":
            print(build(args.version, args.out, date=args.date))
        elif args.action == "extract":
            print(extract(args.iso, args.dir))
        else:
            parser.print_usage(sys.stderr)
            return 2
    except (MediaError, packaging.PackagingError, OSError) as exc:
        sys.stderr.write("lksim media: %s\n" % exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(cli_main(sys.argv[1:]))
