"""lkbackup -c/-x, rmlk, lksupport and lkkeyins, run through the launchers the rpm installed."""
import datetime
import json
import os
import re
import tarfile
import time

import pytest

import lksim_b_helpers as h
from lksim.commands import rmlk_cmd

LCD = {"resources": {"app-web": {"state": "ISP"}}, "note": "original"}
DEFAULTS = "LCMPORT=7400\nLCMHBEATTIME=1\nLK_SERV_ENV=generic\n"


@pytest.fixture
def node(tmp_path):
    paths = h.make_node(tmp_path, version="9.9.0", defaults_text=DEFAULTS)
    h.write(paths.lcd_file, json.dumps(LCD))
    h.write(paths.initdone, "")
    h.write(os.path.join(paths.license_dir, "node1.lic"), "KEY\n")
    h.write(paths.lifekeeper_log, "Nov 22 02:00:00 node1 lcm[1]: INFO:lcm:::000:started\n")
    return paths


def _members(archive):
    with tarfile.open(archive) as tar:
        return sorted(m.name for m in tar.getmembers() if m.isfile())


# --- lkbackup ---------------------------------------------------------------------------

def test_lkbackup_c_default_archive(node):
    h.write(os.path.join(node.config_dir, "archive.2001010000.tar.gz"), "old archive")
    result = h.run_bin(node, "lkbackup", ["-c"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Executing on node1"            # the vendor's sample lines
    match = re.match(r"^Creating archive (\S+)$", lines[1])
    assert match and len(lines) == 2, result.stdout
    archive = match.group(1)
    assert re.match(re.escape(node.config_dir) + r"/archive\.\d{10}\.tar\.gz$", archive)
    stamp = datetime.datetime.strptime(archive.split(".")[-3], "%y%m%d%H%M")
    assert abs((datetime.datetime.now() - stamp).total_seconds()) < 120
    members = _members(archive)
    assert members == ["etc/default/LifeKeeper", "opt/LifeKeeper/config/lcd.json",
                       "var/LifeKeeper/license/node1.lic"]


def test_lkbackup_round_trip_restores_config_and_defaults(node, tmp_path):
    archive = str(tmp_path / "saved" / "lk.tar.gz")
    created = h.run_bin(node, "lkbackup", ["-c", "-f", archive])
    assert created.returncode == 0, created.stderr
    assert created.stdout == "Executing on node1\nCreating archive %s\n" % archive
    h.write(node.lcd_file, json.dumps({"resources": {}, "note": "changed"}))
    h.write(node.defaults_file, "LCMPORT=0\nNEW_PARAMETER=1\n")
    os.remove(os.path.join(node.license_dir, "node1.lic"))
    restored = h.run_bin(node, "lkbackup", ["-x", "-f", archive])
    assert restored.returncode == 0, restored.stderr
    assert json.loads(h.read(node.lcd_file)) == LCD
    assert h.read(node.defaults_file) == DEFAULTS
    assert h.read(os.path.join(node.license_dir, "node1.lic")) == "KEY\n"


def test_lkbackup_x_restores_configuration_not_runtime_states(node, tmp_path):
    """An archive taken while resources ran here restores them out of service, LCD stopped."""
    running_lcd = {"node": "node1", "systems": {}, "comm_paths": [], "running": True,
                   "resources": [{"tag": "app-web", "id": "app-web", "type": "gen/app", "state": "ISP",
                                  "priorities": {"node1": 1}, "children": []}]}
    h.write(node.lcd_file, json.dumps(running_lcd))
    archive = str(tmp_path / "running.tar.gz")
    assert h.run_bin(node, "lkbackup", ["-c", "-f", archive]).returncode == 0
    assert h.run_bin(node, "lkbackup", ["-x", "-f", archive]).returncode == 0
    restored = json.loads(h.read(node.lcd_file))
    assert restored["running"] is False
    assert [(r["tag"], r["state"]) for r in restored["resources"]] == [("app-web", "OSU")]


def test_lkbackup_x_after_rmlk_and_fresh_install(node, tmp_path):
    """The reinstall path: archive kept off $LKROOT survives rmlk and restores the LCD."""
    archive = str(tmp_path / "off-node.tar.gz")
    assert h.run_bin(node, "lkbackup", ["-c", "-f", archive]).returncode == 0
    assert h.run_bin(node, "rmlk", stdin="y\n").returncode == 0
    setup = h.run_setup(node, h.media_dir("9.9.0"), ["-f", h.write(str(tmp_path / "c"), "")])
    assert setup.returncode == 0, setup.stderr
    assert not os.path.exists(node.lcd_file)
    assert h.run_bin(node, "lkbackup", ["-x", "-f", archive]).returncode == 0
    assert json.loads(h.read(node.lcd_file)) == LCD


def test_lkbackup_x_bad_archives(node, tmp_path):
    missing = h.run_bin(node, "lkbackup", ["-x", "-f", str(tmp_path / "absent.tar.gz")])
    assert missing.returncode != 0 and "absent.tar.gz" in missing.stderr
    garbage = h.write(str(tmp_path / "garbage.tar.gz"), "this is not a tar file")
    result = h.run_bin(node, "lkbackup", ["-x", "-f", garbage])
    assert result.returncode != 0 and "garbage.tar.gz" in result.stderr
    foreign = str(tmp_path / "foreign.tar.gz")
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(node.lifekeeper_log, arcname="var/log/lifekeeper.log")
    result = h.run_bin(node, "lkbackup", ["-x", "-f", foreign])
    assert result.returncode != 0 and "not a LifeKeeper configuration archive" in result.stderr
    for out in (missing, result):
        assert "Traceback" not in out.stderr
    assert json.loads(h.read(node.lcd_file)) == LCD


def test_lkbackup_usage_errors(node):
    for args in ([], ["-c", "-x"], ["-x"], ["--bogus"]):
        result = h.run_bin(node, "lkbackup", args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


# --- rmlk -------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["n\n", "\n", "", "maybe\n"])
def test_rmlk_aborts_unless_yes(node, answer):
    before = h.rpm_qa(node)
    result = h.run_bin(node, "rmlk", stdin=answer)
    assert rmlk_cmd.QUESTION.strip() == \
        'Do you wish to continue (answering "no" will abort the removal) (y/n) [n] ?'
    assert 'Do you wish to continue (answering "no" will abort the removal) (y/n) [n] ?' in result.stdout
    assert result.returncode != 0
    assert "aborted" in result.stdout
    assert h.rpm_qa(node) == before == ["steeleye-lk-9.9.0", "steeleye-lkDR-9.9.0"]
    assert os.path.exists(node.lcd_file)


def test_rmlk_yes_removes_packages_and_lkroot_with_archives(node):
    archive = h.run_bin(node, "lkbackup", ["-c"]).stdout.split()[-1]
    assert os.path.exists(archive)
    result = h.run_bin(node, "rmlk", stdin="y\n")
    assert result.returncode == 0, result.stderr
    assert h.rpm_qa(node) == []
    assert h.rpm_q(node)[0] != 0
    assert not os.path.exists(node.lkroot)
    assert not os.path.exists(archive)
    # the simulator's own files and the tunables stay
    assert os.path.exists(node.node_file)
    assert h.read(node.defaults_file) == DEFAULTS


# --- lksupport, lkkeyins ----------------------------------------------------------------

def test_lksupport_writes_the_bundle_under_tmp_lksupport(node):
    result = h.run_bin(node, "lksupport")
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    match = re.match(r"^Support archive: (\S+)$", last)
    assert match, result.stdout
    bundle = match.group(1)
    assert re.match(re.escape(os.path.join(node.root, "tmp", "lksupport")) +
                    r"/node1\.lksupport\.\d{14}\.tar\.gz$", bundle)
    members = _members(bundle)
    for name in ("var/log/lifekeeper.log", "opt/LifeKeeper/config/lcd.json",
                 "etc/default/LifeKeeper", "rpm-packages.txt"):
        assert name in members
    with tarfile.open(bundle) as tar:
        listing = tar.extractfile("rpm-packages.txt").read().decode()
    assert "steeleye-lk-9.9.0" in listing


def test_lkkeyins(node, tmp_path):
    key = h.write(str(tmp_path / "new.lic"), "NEWKEY\n")
    result = h.run_bin(node, "lkkeyins", [key])
    assert result.returncode == 0
    assert h.read(os.path.join(node.license_dir, "new.lic")) == "NEWKEY\n"
    missing = h.run_bin(node, "lkkeyins", [str(tmp_path / "absent.lic")])
    assert missing.returncode != 0 and "absent.lic" in missing.stderr
    assert h.run_bin(node, "lkkeyins", []).returncode == 2


# --- with LifeKeeper running ----------------------------------------------------------------


def test_rmlk_yes_stops_lifekeeper_and_takes_resources_out_of_service(tmp_path):
    paths = h.init_running_node(tmp_path, "9.9.0")
    try:
        deadline = time.time() + 15
        while time.time() < deadline and not os.path.exists(paths.initdone):
            time.sleep(0.1)
        assert os.path.exists(paths.initdone)
        result = h.run_bin(paths, "rmlk", stdin="y\n")
        assert result.returncode == 0, result.stdout + result.stderr
        assert h.rpm_qa(paths) == []
        assert not os.path.exists(paths.lkroot)
        last = {}
        for event in h.events(paths):
            last[event["tag"]] = event["to"]
        assert last and all(state not in ("ISP", "ISU") for state in last.values()), last
    finally:
        h.stop_node(paths)


def test_lkbackup_x_refused_while_running(tmp_path):
    paths = h.init_running_node(tmp_path, "9.9.0")
    try:
        archive = str(tmp_path / "a.tar.gz")
        assert h.run_bin(paths, "lkbackup", ["-c", "-f", archive]).returncode == 0
        result = h.run_bin(paths, "lkbackup", ["-x", "-f", archive])
        assert result.returncode != 0 and "running" in result.stderr
    finally:
        h.stop_node(paths)
