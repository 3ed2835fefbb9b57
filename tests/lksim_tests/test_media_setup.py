"""Product media (xorriso ISO in ISO) and setup: fresh install, update window, refusals, knobs."""
import os
import re
import subprocess
import time

import pytest

import lksim_b_helpers as h
from lksim import knobs, media, setup_tool

EMPTY = ""


@pytest.fixture
def config(tmp_path):
    def make(text=EMPTY):
        return h.write(str(tmp_path / "setup.conf"), text)
    return make


# --- media ------------------------------------------------------------------------------

def test_media_iso_holds_the_sps_image_with_setup_and_rpms(tmp_path):
    iso = media.build("9.9.0", str(tmp_path), date="112226", cache_dir=h.rpm_cache())
    assert os.path.basename(iso) == "LKL_V9.9.0_112226.iso"
    listing = subprocess.run(["xorriso", "-indev", iso, "-find", "/", "-type", "f"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             universal_newlines=True, check=False).stdout
    assert "sps_9.9.0.img" in listing
    out = media.extract(iso, str(tmp_path / "mnt"))
    setup = os.path.join(out, "setup")
    assert os.access(setup, os.X_OK)
    assert sorted(os.listdir(os.path.join(out, "rpms"))) == [
        "steeleye-lk-9.9.0-1.noarch.rpm", "steeleye-lkDR-9.9.0-1.noarch.rpm",
        "steeleye-lkNFS-9.9.0-1.noarch.rpm", "steeleye-lkORA-9.9.0-1.noarch.rpm"]
    # the inner image is a real ISO9660 image too
    inner = str(tmp_path / "outer")
    subprocess.run(["xorriso", "-osirrox", "on", "-indev", iso, "-extract", "/", inner],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(inner, "sps_9.9.0.img"), "rb") as handle:
        assert handle.read()[32769:32774] == b"CD001"


def test_media_cache_reuses_only_an_iso_of_the_same_content(tmp_path):
    iso = media.build("9.9.0", str(tmp_path), date="112226", cache_dir=h.rpm_cache())
    with open(iso + ".key") as handle:
        assert handle.read().strip() == media.content_key("9.9.0")
    first = os.stat(iso).st_mtime_ns
    assert media.build("9.9.0", str(tmp_path), date="112226", cache_dir=h.rpm_cache()) == iso
    assert os.stat(iso).st_mtime_ns == first
    # an ISO left by an older simulator (another content key) is rebuilt, never reused
    with open(iso + ".key", "w") as handle:
        handle.write("0123456789\n")
    media.build("9.9.0", str(tmp_path), date="112226", cache_dir=h.rpm_cache())
    with open(iso + ".key") as handle:
        assert handle.read().strip() == media.content_key("9.9.0")
    assert os.stat(iso).st_mtime_ns != first


def test_media_cli_build_and_extract(tmp_path):
    env = dict(os.environ, PYTHONPATH=h.TESTS_DIR, LKSIM_RPM_CACHE=h.rpm_cache())
    built = subprocess.run([h.PYTHON, "-m", "lksim.media", "build", "--version", "9.8.0",
                            "--out", str(tmp_path)], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert built.returncode == 0, built.stderr
    iso = built.stdout.strip()
    assert re.match(r".*/LKL_V9\.8\.0_\d{6}\.iso$", iso) and os.path.isfile(iso)
    extracted = subprocess.run([h.PYTHON, "-m", "lksim.media", "extract", iso, str(tmp_path / "x")],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, check=False)
    assert extracted.returncode == 0, extracted.stderr
    assert os.path.isfile(str(tmp_path / "x" / "setup"))
    missing = subprocess.run([h.PYTHON, "-m", "lksim.media", "extract", str(tmp_path / "nope.iso"),
                              str(tmp_path / "y")], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert missing.returncode != 0 and "nope.iso" in missing.stderr


def test_setup_outside_a_node_says_so(tmp_path):
    result = subprocess.run([h.PYTHON, os.path.join(h.media_dir("9.9.0"), "setup"), "--help"],
                            env=dict(os.environ, LKSIM_ROOT=str(tmp_path)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert result.returncode == 1
    assert "node.json" in result.stderr and "Traceback" not in result.stderr


# --- 9.x setup --------------------------------------------------------------------------

def test_fresh_install_with_empty_config(tmp_path, config):
    paths = h.make_node(tmp_path)
    os.remove(paths.defaults_file)
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("Setup Complete.")
    assert h.rpm_q(paths) == (0, "9.9.0")
    assert h.rpm_qa(paths) == ["steeleye-lk-9.9.0"]      # no kit installed: none preselected
    assert "LK_SERV_ENV=generic" in h.read(paths.defaults_file)
    assert os.path.exists(os.path.join(paths.bin_dir, "lkcli"))


def test_fresh_install_writes_a_new_defaults_file(tmp_path, config):
    paths = h.make_node(tmp_path, defaults_text="LCMHBEATTIME=1\nOLD_PARAMETER=x\n")
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
    assert result.returncode == 0, result.stderr
    text = h.read(paths.defaults_file)
    assert "OLD_PARAMETER" not in text and "LCMHBEATTIME=5" in text


def test_in_window_update_keeps_defaults_and_does_not_start_a_stopped_lifekeeper(tmp_path, config):
    paths = h.make_node(tmp_path, version="9.8.0",
                        defaults_text="LCMPORT=7400\nLCMHBEATTIME=1\nLK_SERV_ENV=generic\n")
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
    assert result.returncode == 0, result.stderr
    assert "9.8.0" in result.stdout and "Setup Complete." in result.stdout
    assert "lkstart" not in result.stdout
    assert h.rpm_qa(paths) == ["steeleye-lk-9.9.0", "steeleye-lkDR-9.9.0"]
    assert h.read(paths.defaults_file) == "LCMPORT=7400\nLCMHBEATTIME=1\nLK_SERV_ENV=generic\n"


def test_older_source_is_refused_naming_both_versions_and_the_rule(tmp_path, config):
    paths = h.make_node(tmp_path, version="9.5.0")
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
    assert result.returncode != 0
    assert "direct update to 9.9.0 is supported from 9.7.x and 9.8.x; 9.5.0 is installed" in result.stderr
    assert "Setup Complete." not in result.stdout
    assert h.rpm_q(paths) == (0, "9.5.0")


def test_downgrade_is_refused(tmp_path, config):
    paths = h.make_node(tmp_path, version="9.9.0")
    result = h.run_setup(paths, h.media_dir("9.8.0"), ["-f", config()])
    assert result.returncode != 0
    assert "downgrade" in result.stderr and "9.9.0" in result.stderr and "9.8.0" in result.stderr
    assert h.rpm_q(paths) == (0, "9.9.0")


def test_same_version_is_already_installed_exit_0(tmp_path, config):
    paths = h.make_node(tmp_path, version="9.9.0")
    before = os.stat(os.path.join(paths.bin_dir, "lkcli")).st_mtime_ns
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
    assert result.returncode == 0
    assert "already installed" in result.stdout
    assert "Setup Complete." not in result.stdout
    assert os.stat(os.path.join(paths.bin_dir, "lkcli")).st_mtime_ns == before


def test_9x_without_config_and_without_tty_refuses_naming_f(tmp_path):
    paths = h.make_node(tmp_path, version="9.8.0")
    result = h.run_setup(paths, h.media_dir("9.9.0"), [], stdin="y\n")
    assert result.returncode != 0
    assert "-f" in result.stderr
    assert h.rpm_q(paths) == (0, "9.8.0")


def test_9x_setup_rejects_y_and_unknown_options(tmp_path):
    paths = h.make_node(tmp_path, version="9.8.0")
    for args in (["-y"], ["--bogus"]):
        result = h.run_setup(paths, h.media_dir("9.9.0"), args)
        assert result.returncode == 2, args
        assert "usage:" in result.stderr and "Traceback" not in result.stderr
    assert h.rpm_q(paths) == (0, "9.8.0")


def test_help_names_the_options(tmp_path):
    paths = h.make_node(tmp_path)
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["--help"])
    assert result.returncode == 0
    assert "-f CONFIG_FILE" in result.stdout and "-k" in result.stdout


def test_fail_setup_knob_fails_and_changes_nothing(tmp_path, config):
    paths = h.make_node(tmp_path, version="9.8.0")
    knobs.update(paths, {"fail_setup": True})
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
    assert result.returncode != 0
    assert "fail_setup" in result.stderr and "Setup Complete." not in result.stdout
    assert h.rpm_qa(paths) == ["steeleye-lk-9.8.0", "steeleye-lkDR-9.8.0"]


def test_setup_seconds_knob_is_the_install_time(tmp_path, config):
    paths = h.make_node(tmp_path, version="9.8.0")
    knobs.update(paths, {"setup_seconds": 1.0})
    started = time.time()
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
    assert result.returncode == 0, result.stderr
    assert time.time() - started >= 1.0


def test_config_errors_change_nothing(tmp_path, config):
    paths = h.make_node(tmp_path, version="9.8.0")
    mdir = h.media_dir("9.9.0")
    cases = {"UNKNOWN_KEY=1\n": "UNKNOWN_KEY", "not a setting\n": "KEY=value",
             "START_AFTER_INSTALL=maybe\n": "yes or no",
             "LICENSE_FILES=/nonexistent/key.lic\n": "/nonexistent/key.lic",
             "RECOVERY_KITS=steeleye-lkNOPE\n": "steeleye-lkNOPE"}
    for text, needle in cases.items():
        result = h.run_setup(paths, mdir, ["-f", config(text)])
        assert result.returncode == 2, text
        assert needle in result.stderr, (text, result.stderr)
    missing = h.run_setup(paths, mdir, ["-f", str(tmp_path / "absent.conf")])
    assert missing.returncode == 2 and "absent.conf" in missing.stderr
    assert h.rpm_q(paths) == (0, "9.8.0")


def test_config_installs_licenses_and_selects_kits(tmp_path, config):
    paths = h.make_node(tmp_path, version="9.8.0")
    key = h.write(str(tmp_path / "keys" / "node1.lic"), "KEY\n")
    text = ("# saved from the setup menu\nSERVER_ENVIRONMENT=aws\nINSTALL_JAVA=no\n"
            "LICENSE_FILES=%s\nRECOVERY_KITS=\n" % key)
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config(text)])
    assert result.returncode == 0, result.stderr
    assert h.read(os.path.join(paths.license_dir, "node1.lic")) == "KEY\n"
    # no kit named: the installed kit is preselected and updated with the core
    assert h.rpm_qa(paths) == ["steeleye-lk-9.9.0", "steeleye-lkDR-9.9.0"]
    assert "LK_SERV_ENV=aws" in h.read(paths.defaults_file)


# --- 8.x setup --------------------------------------------------------------------------

def test_8x_setup_y_accepts_defaults(tmp_path):
    paths = h.make_node(tmp_path, version="8.3.0")
    result = h.run_setup(paths, h.media_dir("8.4.1"), ["-y"])
    assert result.returncode == 0, result.stderr
    assert "Setup Complete." in result.stdout
    assert h.rpm_qa(paths) == ["steeleye-lk-8.4.1", "steeleye-lkDR-8.4.1"]


def test_8x_setup_prompts_answered_with_defaults_on_stdin(tmp_path):
    paths = h.make_node(tmp_path, version="8.4.0")
    result = h.run_setup(paths, h.media_dir("8.4.1"), [], stdin="\n" * 20)
    assert result.returncode == 0, result.stderr
    assert "(y/n) [y]" in result.stdout
    assert h.rpm_q(paths) == (0, "8.4.1")
    record = _last_setup_record(paths)
    # the guide's order: Enter screens between the questions, the kit list and its confirmation
    assert [screen["id"] for screen in record["screens"]] == [
        "intro", "base_packages", "java", "datakeeper", "nfs_utils", "nfs_restart",
        "required_packages", "core_packages", "gui_users", "license", "kit_selection", "kit_confirm"]
    out = result.stdout
    assert out.index("Press ENTER to continue...") < out.index("base packages") < out.index("DataKeeper") \
        < out.index("required packages") < out.index("core packages will be updated (8.4.0 -> 8.4.1)") \
        < out.index("  [u] steeleye-lkDR") < out.index("The following recovery kits will be installed or updated:")


def _last_setup_record(paths):
    import json
    with open(paths.setup_log) as handle:
        return json.loads(handle.read().splitlines()[-1])


def test_8x_java_current_is_an_enter_screen(tmp_path):
    paths = h.make_node(tmp_path, version="8.4.0")
    first = h.run_setup(paths, h.media_dir("8.4.1"), ["-y"])
    assert first.returncode == 0, first.stderr
    again = h.run_setup(paths, h.media_dir("8.4.1"), ["-k", "-y"])
    assert again.returncode == 0
    # a node whose Java is current (the marker of this media): the verbatim line and Enter
    other = h.make_node(tmp_path, "node2", version="8.4.0")
    os.makedirs(os.path.dirname(other.java_marker), exist_ok=True)
    with open(other.java_marker, "w") as handle:
        handle.write("8.4.1\n")
    result = h.run_setup(other, h.media_dir("8.4.1"), [], stdin="\n" * 20)
    assert result.returncode == 0, result.stderr
    assert "Java is already properly installed on this system.\nPress ENTER to continue... " in result.stdout
    ids = [screen["id"] for screen in _last_setup_record(other)["screens"]]
    assert "java_current" in ids and "java" not in ids


@pytest.mark.parametrize("stdin", ["", "y\n", "n\n"])
def test_8x_setup_aborts_on_eof_or_no_and_changes_nothing(tmp_path, stdin):
    paths = h.make_node(tmp_path, version="8.3.0")
    result = h.run_setup(paths, h.media_dir("8.4.1"), [], stdin=stdin)
    assert result.returncode != 0
    assert "aborted" in result.stderr and "nothing was changed" in result.stderr
    assert h.rpm_qa(paths) == ["steeleye-lk-8.3.0", "steeleye-lkDR-8.3.0"]


def test_8x_setup_rejects_f(tmp_path, config):
    paths = h.make_node(tmp_path, version="8.3.0")
    result = h.run_setup(paths, h.media_dir("8.4.1"), ["-f", config()])
    assert result.returncode == 2 and "-y" in result.stderr


def test_8x_window_refuses_8_1(tmp_path):
    paths = h.make_node(tmp_path, version="8.1.2")
    result = h.run_setup(paths, h.media_dir("8.4.1"), ["-y"])
    assert result.returncode != 0
    assert "8.2.x, 8.3.x and 8.4.0" in result.stderr and "8.1.2" in result.stderr
    assert h.rpm_q(paths) == (0, "8.1.2")


def test_8x_kit_selection_only(tmp_path):
    paths = h.make_node(tmp_path, version="8.4.1", kits=[])
    assert h.rpm_qa(paths) == ["steeleye-lk-8.4.1"]
    kept = h.run_setup(paths, h.media_dir("8.4.1"), ["-k", "-y"])     # keeps the marks: none
    assert kept.returncode == 0, kept.stderr
    assert h.rpm_qa(paths) == ["steeleye-lk-8.4.1"]
    result = h.run_setup(paths, h.media_dir("8.4.1"), ["-k"], stdin="steeleye-lkDR\n\n")
    assert result.returncode == 0, result.stderr
    assert "core packages" not in result.stdout
    assert h.rpm_qa(paths) == ["steeleye-lk-8.4.1", "steeleye-lkDR-8.4.1"]
    other = h.make_node(tmp_path, "node2", version="8.3.0")
    refused = h.run_setup(other, h.media_dir("8.4.1"), ["-k", "-y"])
    assert refused.returncode != 0 and "8.4.1" in refused.stderr


# --- the simulator's update table -------------------------------------------------------

@pytest.mark.parametrize("installed,target,kind", [
    (None, "9.9.0", "fresh"),
    ("9.9.0", "9.9.0", "same"),
    ("9.9.0", "9.8.0", "downgrade"),
    ("9.7.0", "9.9.0", "direct"), ("9.8.2", "9.9.0", "direct"), ("9.6.1", "9.9.0", "older"),
    ("9.9.0", "9.9.1", "direct"),
    ("8.2.0", "8.4.1", "direct"), ("8.4.0", "8.4.1", "direct"), ("8.1.0", "8.4.1", "older"),
    ("9.8.0", "10.0.0", "direct"), ("9.9.3", "10.0.0", "direct"), ("9.8.1", "10.0.0", "older"),
    ("9.7.0", "10.0.0", "older"),
    ("9.4.0", "9.6.0", "direct"), ("9.3.0", "9.6.0", "older"), ("8.4.1", "9.0.0", "direct"),
    ("8.2.0", "9.0.0", "older"),
])
def test_update_kind_table(installed, target, kind):
    assert setup_tool.update_kind(installed, target) == kind


def test_older_message_for_10_0():
    assert setup_tool.older_message("9.7.0", "10.0.0").startswith(
        "direct update to 10.0.0 is supported from 9.8.0 and 9.9.x; 9.7.0 is installed")


# --- with LifeKeeper running ----------------------------------------------------------------


def _status_states(paths):
    result = h.run_bin(paths, "lcdstatus", ["-q"])
    states = {}
    for line in result.stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 6 and parts[3] in ("ISP", "ISU", "OSU", "OSF", "ILLSTATE"):
            states[parts[1]] = parts[3]
        if not line.strip():
            break
    return states


def _wait(predicate, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_update_with_lifekeeper_running_restarts_it_and_leaves_resources_in_service(tmp_path, config):
    paths = h.init_running_node(tmp_path, "9.8.0")
    try:
        assert _wait(lambda: os.path.exists(paths.initdone))
        assert _wait(lambda: _status_states(paths).get("app-web") == "ISP")
        since = time.time()
        result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.rstrip().endswith("Setup Complete.")
        assert h.rpm_q(paths) == (0, "9.9.0")
        assert h.run_bin(paths, "lktest").returncode == 0
        assert _wait(lambda: _status_states(paths).get("app-web") == "ISP")
        taken_down = [e for e in h.events(paths) if e["time"] >= since
                      and e["from"] in ("ISP", "ISU") and e["to"] not in ("ISP", "ISU")]
        assert taken_down == []
    finally:
        h.stop_node(paths)


def test_fail_setup_with_lifekeeper_running_leaves_it_running_on_the_old_version(tmp_path, config):
    paths = h.init_running_node(tmp_path, "9.8.0")
    try:
        assert _wait(lambda: os.path.exists(paths.initdone))
        knobs.update(paths, {"fail_setup": True})
        result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", config()])
        assert result.returncode != 0
        assert h.rpm_q(paths) == (0, "9.8.0")
        assert _wait(lambda: h.run_bin(paths, "lktest").returncode == 0)
    finally:
        h.stop_node(paths)


def test_operator_cli_media_build(tmp_path):
    env = dict(os.environ, PYTHONPATH=h.TESTS_DIR, LKSIM_RPM_CACHE=h.rpm_cache())
    built = subprocess.run([h.PYTHON, "-m", "lksim", "media", "build", "--version", "9.9.0",
                            "--out", str(tmp_path), "--date", "010226"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip() == str(tmp_path / "LKL_V9.9.0_010226.iso")
    assert os.path.isfile(built.stdout.strip())


def test_8x_update_with_lifekeeper_running_asks_to_stop_and_restarts_it(tmp_path):
    paths = h.init_running_node(tmp_path, "8.3.0")
    try:
        assert _wait(lambda: os.path.exists(paths.initdone))
        refused = h.run_setup(paths, h.media_dir("8.4.1"), [], stdin="\n")   # input ends at the stop screen
        assert refused.returncode != 0 and "Press ENTER to stop LifeKeeper" in refused.stderr
        assert h.run_bin(paths, "lktest").returncode == 0
        result = h.run_setup(paths, h.media_dir("8.4.1"), ["-y"])
        assert result.returncode == 0, result.stdout + result.stderr
        out = result.stdout
        # the stop comes in the middle of the dialogue, with an Enter screen once it completed
        assert out.index("Press ENTER to stop LifeKeeper...") < out.index("Stopping LifeKeeper") \
            < out.index("The stop of LifeKeeper has completed.") < out.index("base packages")
        assert "Setup Complete." in out
        assert h.rpm_q(paths) == (0, "8.4.1")
        assert _wait(lambda: h.run_bin(paths, "lktest").returncode == 0)
        assert _wait(lambda: _status_states(paths).get("app-web") == "ISP")
    finally:
        h.stop_node(paths)
