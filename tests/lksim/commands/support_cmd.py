"""lksupport: collect support data into ROOT/tmp/lksupport/<host>.lksupport.<timestamp>.tar.gz.

The archive holds var/log/lifekeeper.log, opt/LifeKeeper/config/lcd.json,
etc/default/LifeKeeper, var/log/lksim/events.jsonl and rpm-packages.txt (whatever exists).
Output (ASSUMED): "Collecting support data for <host>" then
"Support archive: <path>"; timestamp format %Y%m%d%H%M%S (ASSUMED).
"""
import argparse
import io
import os
import socket
import sys
import tarfile
import time

from lksim import knobs, packaging


def _host(paths):
    try:
        return paths.node_info()["name"]
    except (IOError, OSError, ValueError, KeyError):
        return socket.gethostname().split(".")[0]


def main(name, argv, paths):
    parser = argparse.ArgumentParser(prog=name, description="collect LifeKeeper support data")
    parser.parse_args(argv)
    host = _host(paths)
    if knobs.load(paths).get("fail_lksupport"):
        sys.stderr.write("%s: cannot collect support data for %s (simulated fault: knob "
                         "fail_lksupport); no archive was written\n" % (name, host))
        return 1
    print("Collecting support data for %s" % host)
    sys.stdout.flush()
    out_dir = os.path.join(paths.root, "tmp", "lksupport")
    os.makedirs(out_dir, exist_ok=True)
    archive = os.path.join(out_dir, "%s.lksupport.%s.tar.gz" % (host, time.strftime("%Y%m%d%H%M%S")))
    members = [(paths.lifekeeper_log, "var/log/lifekeeper.log"),
               (paths.lcd_file, "opt/LifeKeeper/config/lcd.json"),
               (paths.defaults_file, "etc/default/LifeKeeper"),
               (paths.events_file, "var/log/lksim/events.jsonl")]
    tmp = archive + ".tmp"
    with tarfile.open(tmp, "w:gz") as tar:
        for full, member in members:
            if os.path.isfile(full):
                tar.add(full, arcname=member, recursive=False)
        listing = "".join("%s-%s\n" % item for item in sorted(packaging.installed_packages(paths).items()))
        info = tarfile.TarInfo("rpm-packages.txt")
        data = listing.encode("utf-8")
        info.size = len(data)
        info.mtime = int(time.time())
        tar.addfile(info, io.BytesIO(data))
    os.replace(tmp, archive)
    print("Support archive: %s" % archive)
    return 0
