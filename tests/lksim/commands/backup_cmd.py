"""lkbackup: save and restore the node's LifeKeeper configuration.

lkbackup -c [-f ARCHIVE]   archive $LKROOT/config (without earlier archives and LK_INITDONE),
                           /etc/default/LifeKeeper and the license keys; default
                           $LKROOT/config/archive.<YYMMDDhhmm>.tar.gz; prints
                           "Executing on <node>" and "Creating archive <path>" (vendor sample).
lkbackup -x -f ARCHIVE     put those files back, /etc/default/LifeKeeper included.
                           Refused while LifeKeeper runs (ASSUMED). Restored resource
                           instances keep the state they have on the node now (ASSUMED).
Member names inside the archive are relative to the node ROOT (opt/LifeKeeper/config/...).
"""
import argparse
import fnmatch
import os
import sys
import tarfile
import time

from lksim import lcd
from lksim.commands._util import node_name
from lksim.setup_tool import lifekeeper_running

CONFIG_PREFIX = "opt/LifeKeeper/config"
DEFAULTS_MEMBER = "etc/default/LifeKeeper"
LICENSE_PREFIX = "var/LifeKeeper/license"
EXCLUDED = ("archive.*.tar.gz", "LK_INITDONE")


def _parser(name):
    parser = argparse.ArgumentParser(prog=name, description="back up or restore the LifeKeeper configuration")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("-c", action="store_true", help="create an archive")
    mode.add_argument("-x", action="store_true", help="extract (restore) an archive")
    parser.add_argument("-f", dest="archive", metavar="ARCHIVE", help="archive file")
    return parser


def _allowed(member_name):
    name = member_name.lstrip("./")
    if os.path.isabs(member_name) or ".." in name.split("/"):
        return False
    return any(name == p or name.startswith(p + "/")
               for p in (CONFIG_PREFIX, DEFAULTS_MEMBER, LICENSE_PREFIX))


def _collect(paths, skip):
    """[(absolute path, member name)] of what an archive holds."""
    items = []
    for base, prefix in ((paths.config_dir, CONFIG_PREFIX), (paths.license_dir, LICENSE_PREFIX)):
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for filename in sorted(filenames):
                full = os.path.join(dirpath, filename)
                if any(fnmatch.fnmatch(filename, pattern) for pattern in EXCLUDED):
                    continue
                if os.path.abspath(full) == skip:
                    continue
                rel = os.path.relpath(full, base)
                items.append((full, prefix + "/" + rel.replace(os.sep, "/")))
    if os.path.isfile(paths.defaults_file):
        items.append((paths.defaults_file, DEFAULTS_MEMBER))
    return items


def create(paths, archive=None):
    if archive is None:
        archive = os.path.join(paths.config_dir, "archive.%s.tar.gz" % time.strftime("%y%m%d%H%M"))
    archive = os.path.abspath(archive)
    print("Executing on %s" % node_name(paths))
    print("Creating archive %s" % archive)
    sys.stdout.flush()
    items = _collect(paths, archive)
    os.makedirs(os.path.dirname(archive), exist_ok=True)
    tmp = archive + ".tmp"
    with tarfile.open(tmp, "w:gz") as tar:
        for full, member in items:
            tar.add(full, arcname=member, recursive=False)
    os.replace(tmp, archive)
    return 0


def extract(name, paths, archive):
    if not archive:
        sys.stderr.write("%s: -x needs the archive: %s -x -f ARCHIVE\n" % (name, name))
        return 2
    archive = os.path.abspath(archive)
    if not os.path.isfile(archive):
        sys.stderr.write("%s: archive %s does not exist\n" % (name, archive))
        return 1
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = tar.getmembers()
            wanted = [m for m in members if (m.isfile() or m.isdir()) and _allowed(m.name)]
            if not any(m.isfile() for m in wanted):
                sys.stderr.write("%s: %s is not a LifeKeeper configuration archive (made by lkbackup -c)\n"
                                 % (name, archive))
                return 1
            if lifekeeper_running(paths):
                sys.stderr.write("%s: LifeKeeper is running; stop it before restoring a configuration\n"
                                 % name)
                return 1
            current = _runtime_states(paths)
            print("Restoring archive %s" % archive)
            for member in wanted:
                target = os.path.join(paths.root, member.name.lstrip("./"))
                if member.isdir():
                    os.makedirs(target, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                source = tar.extractfile(member)
                tmp = target + ".lkbackup-tmp"
                with open(tmp, "wb") as handle:
                    handle.write(source.read())
                os.chmod(tmp, member.mode & 0o7777)
                os.replace(tmp, target)
    except (tarfile.TarError, EOFError, OSError) as exc:
        sys.stderr.write("%s: cannot read archive %s: %s\n" % (name, archive, exc))
        return 1
    _configuration_only(paths, current)
    return 0


def _runtime_states(paths):
    """{tag: state} of the node's resource instances now, when LifeKeeper was stopped
    cleanly (a `stop -f` leaves resources in service and they still run); {} when there is
    no LCD or the last run crashed (its resources died with it)."""
    try:
        data = lcd.load(paths)
    except lcd.LcdError:
        return {}
    if data.get("running") or not isinstance(data.get("resources"), list):
        return {}
    return dict((res["tag"], res.get("state")) for res in data["resources"]
                if isinstance(res, dict) and "tag" in res)


def _configuration_only(paths, current):
    """The archive restores configuration, not runtime (ASSUMPTIONS.md): each restored
    instance keeps the state it has on the node now (current), out of service when the
    node has none, and the LCD is marked stopped, so the next start neither brings up what
    ran when the archive was taken nor reads as a crash of that run."""
    try:
        data = lcd.load(paths)
    except lcd.LcdError:
        return
    if not isinstance(data.get("resources"), list):
        return
    for res in data["resources"]:
        if not isinstance(res, dict):
            continue
        now = current.get(res.get("tag"))
        if now in lcd.STATES and now != "ILLSTATE":
            res["state"] = now
        elif res.get("state") in ("ISP", "ISU", "ILLSTATE"):
            res["state"] = "OSU"
    data["running"] = False
    lcd.save(paths, data)


def main(name, argv, paths):
    args = _parser(name).parse_args(argv)
    if args.c:
        return create(paths, args.archive)
    return extract(name, paths, args.archive)
