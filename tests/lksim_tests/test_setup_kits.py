"""Recovery kits, licence keys, the 8.x prompts in the guide's order, setup -k of both
generations and the setup log (ROOT/var/log/lksim/setup.jsonl)."""
import json
import os

import pytest

import lksim_b_helpers as h
from lksim import cluster, packaging, setup_prompts

DR, NFS, ORA = "steeleye-lkDR", "steeleye-lkNFS", "steeleye-lkORA"


def records(paths):
    with open(paths.setup_log) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def conf(tmp_path, text):
    return h.write(str(tmp_path / "setup.conf"), text)


# --- 9.x ------------------------------------------------------------------------------------

def test_9x_update_keeps_installed_kits_and_adds_recovery_kits(tmp_path):
    paths = h.make_node(tmp_path, version="9.8.0")
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", conf(tmp_path, "RECOVERY_KITS=%s\n" % NFS)])
    assert result.returncode == 0, result.stderr
    assert h.rpm_qa(paths) == ["steeleye-lk-9.9.0", "steeleye-lkDR-9.9.0", "steeleye-lkNFS-9.9.0"]
    (record,) = records(paths)
    assert record["argv"] == ["-f", str(tmp_path / "setup.conf")]
    assert (record["version_before"], record["version_after"]) == ("9.8.0", "9.9.0")
    assert record["kits_before"] == {DR: "9.8.0"}
    assert record["kits_after"] == {DR: "9.9.0", NFS: "9.9.0"}
    assert record["answers"] == {"RECOVERY_KITS": NFS}
    assert (record["result"], record["licenses"], record["nfs_restarted"]) == ("complete", [], False)
    assert isinstance(record["time"], float)


def test_9x_same_version_with_kits_or_licences_is_a_change(tmp_path):
    paths = h.make_node(tmp_path, version="9.9.0")
    mdir = h.media_dir("9.9.0")
    same = h.run_setup(paths, mdir, ["-f", conf(tmp_path, "")])
    assert same.returncode == 0 and "already installed" in same.stdout
    assert "Setup Complete." not in same.stdout
    kits = h.run_setup(paths, mdir, ["-f", conf(tmp_path, "RECOVERY_KITS=%s\n" % ORA)])
    assert kits.returncode == 0, kits.stderr
    assert kits.stdout.rstrip().endswith("Setup Complete.")
    assert h.rpm_qa(paths) == ["steeleye-lk-9.9.0", "steeleye-lkDR-9.9.0", "steeleye-lkORA-9.9.0"]
    key = h.write(str(tmp_path / "keys" / "site-a.lic"), "KEY-A\n")
    lic = h.run_setup(paths, mdir, ["-f", conf(tmp_path, "LICENSE_FILES=%s\n" % key)])
    assert lic.returncode == 0 and "Setup Complete." in lic.stdout, lic.stderr
    assert h.read(os.path.join(paths.license_dir, "site-a.lic")) == "KEY-A\n"
    assert [r["result"] for r in records(paths)] == ["already_installed", "complete", "complete"]
    assert records(paths)[2]["licenses"] == [key]
    assert records(paths)[1]["kits_after"] == {DR: "9.9.0", ORA: "9.9.0"}


def test_9x_setup_k_installs_kits_without_stopping_lifekeeper(tmp_path):
    paths = h.init_running_node(tmp_path, "9.9.0")
    try:
        result = h.run_setup(paths, h.media_dir("9.9.0"),
                             ["-k", "-f", conf(tmp_path, "RECOVERY_KITS=%s\n" % NFS)])
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Stopping LifeKeeper" not in result.stdout and "Setup Complete." in result.stdout
        assert packaging.installed_kits(paths) == {DR: "9.9.0", NFS: "9.9.0"}
        assert h.run_bin(paths, "lktest").returncode == 0
        assert [e for e in h.events(paths) if e["to"] != "ISP"] == []
    finally:
        h.stop_node(paths)
    refused = h.run_setup(h.make_node(tmp_path, "node2", version="9.8.0"), h.media_dir("9.9.0"),
                          ["-k", "-f", conf(tmp_path, "")])
    assert refused.returncode == 1 and "9.9.0" in refused.stderr and "9.8.0" in refused.stderr


def test_refused_runs_are_recorded_as_failed(tmp_path):
    paths = h.make_node(tmp_path, version="9.5.0")
    result = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", conf(tmp_path, "")])
    assert result.returncode == 1
    bad = h.run_setup(paths, h.media_dir("9.9.0"), ["-f", conf(tmp_path, "RECOVERY_KITS=nope\n")])
    assert bad.returncode == 2 and "nope" in bad.stderr
    assert [(r["result"], r["version_before"], r["version_after"]) for r in records(paths)] == [
        ("failed", "9.5.0", "9.5.0"), ("failed", "9.5.0", "9.5.0")]


# --- 8.x ------------------------------------------------------------------------------------

GUIDE_ORDER_Y = [
    "LifeKeeper for Linux 8.4.1 setup.",
    "This will install or update LifeKeeper for Linux on this system.",
    "Press ENTER to continue... ",
    "Checking the distribution and kernel: supported.",
    "The LifeKeeper base packages will be installed or updated.",
    "Press ENTER to continue... ",
    "Install the Java Runtime for the GUI client? (y/n) [y] y",
    "Update the DataKeeper kernel module? Answer n if DataKeeper is not used. (y/n) [y] y",
    "Enable the NFS utilities (nfs-utils) for protected NFS exports? Answer n if NFS is not used."
    " (y/n) [y] y",
    "Restart the NFS daemons now? (y/n) [y] y",
    "The required packages will be updated: bzip2 lsof net-tools patch redhat-lsb-core",
    "Press ENTER to continue... ",
    "The LifeKeeper core packages will be updated (8.3.0 -> 8.4.1).",
    "Press ENTER to continue... ",
    "GUI group and login users (space separated) [keep]: keep",
    "Install license keys now? (y/n) [n] n",
    "  [u] steeleye-lkDR   LifeKeeper DataKeeper recovery kit (installed 8.3.0)",
    "  [ ] steeleye-lkNFS  LifeKeeper NFS Server recovery kit",
    "  [ ] steeleye-lkORA  LifeKeeper Oracle recovery kit",
    "Recovery kits to select (space separated names, Enter keeps the marks): ",
    "The following recovery kits will be installed or updated:",
    "  steeleye-lkDR",
    "Install/update the selected recovery kits? (y/n) [y] y",
]


def test_8x_setup_y_asks_in_the_guides_order_and_restarts_nfs(tmp_path):
    paths = h.make_node(tmp_path, version="8.3.0")
    result = h.run_setup(paths, h.media_dir("8.4.1"), ["-y"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:1 + len(GUIDE_ORDER_Y)] == GUIDE_ORDER_Y
    assert "Restarting the NFS daemons" in lines and lines[-1] == "Setup Complete."
    assert h.rpm_qa(paths) == ["steeleye-lk-8.4.1", "steeleye-lkDR-8.4.1"]
    (record,) = records(paths)
    assert record["nfs_restarted"] is True and record["result"] == "complete"
    assert record["answers"] == {
        "intro": "", "base_packages": "", "java": "y", "datakeeper": "y", "nfs_utils": "y", "nfs_restart": "y",
        "required_packages": "", "core_packages": "", "gui_users": "keep", "license": "n",
        "kit_selection": "", "kit_confirm": "y"}


def test_8x_answered_from_facts(tmp_path):
    paths = h.make_node(tmp_path, version="8.4.0")
    key = h.write(str(tmp_path / "k" / "node1.lic"), "KEY\n")
    # intro, base, java, datakeeper, nfs, required, core, gui users, licence, files, kits, confirm
    answers = ["", "", "n", "n", "n", "", "", "", "y", key, "%s %s" % (DR, NFS), "y"]
    result = h.run_setup(paths, h.media_dir("8.4.1"), [], stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert setup_prompts.PROMPTS["nfs_restart"] not in result.stdout
    assert "Restarting the NFS daemons" not in result.stdout
    assert h.rpm_qa(paths) == ["steeleye-lk-8.4.1", "steeleye-lkDR-8.4.1", "steeleye-lkNFS-8.4.1"]
    assert h.read(os.path.join(paths.license_dir, "node1.lic")) == "KEY\n"
    (record,) = records(paths)
    assert record["nfs_restarted"] is False and record["licenses"] == [key]
    assert record["answers"]["nfs_utils"] == "n" and "nfs_restart" not in record["answers"]
    assert record["answers"]["license_files"] == key
    assert record["answers"]["kit_selection"] == "%s %s" % (DR, NFS)


def test_8x_java_current_is_not_asked(tmp_path):
    paths = h.make_node(tmp_path)
    first = h.run_setup(paths, h.media_dir("8.4.1"), ["-y"])
    assert first.returncode == 0, first.stderr
    assert "The LifeKeeper core packages will be installed (8.4.1).\nPress ENTER to continue... " in first.stdout
    assert records(paths)[0]["answers"]["java"] == "y"
    assert h.run_bin(paths, "rmlk", stdin="y\n").returncode == 0
    again = h.run_setup(paths, h.media_dir("8.4.1"), ["-y"])
    assert again.returncode == 0, again.stderr
    assert setup_prompts.JAVA_CURRENT + "\nPress ENTER to continue... " in again.stdout
    assert setup_prompts.PROMPTS["java"] not in again.stdout
    assert "java" not in records(paths)[1]["answers"] and records(paths)[1]["answers"]["java_current"] == ""


def test_8x_fresh_install_question_and_kit_abort(tmp_path):
    paths = h.make_node(tmp_path)
    answers = [""] * 10 + ["steeleye-lkSAP", "nope", "steeleye-lkXX"]
    result = h.run_setup(paths, h.media_dir("8.4.1"), [], stdin="\n".join(answers) + "\n")
    assert result.returncode == 1
    assert "The LifeKeeper core packages will be installed (8.4.1)." in result.stdout
    assert "Unknown recovery kit(s): steeleye-lkSAP" in result.stdout
    assert "aborted" in result.stderr and "nothing was changed" in result.stderr
    assert h.rpm_qa(paths) == []
    assert records(paths)[0]["result"] == "aborted"


# --- provisioning and lkkeyins --------------------------------------------------------------

def test_node_init_installs_the_spec_kits(tmp_path, monkeypatch):
    monkeypatch.setenv("LKSIM_RPM_CACHE", h.rpm_cache())
    spec = {"kits": [DR, NFS],
            "nodes": [{"name": "node1", "address": "127.0.0.11"},
                      {"name": "node2", "address": "127.0.0.12", "kits": []},
                      {"name": "node3", "address": "127.0.0.13", "kits": [ORA]}],
            "hierarchies": []}
    expected = {"node1": {DR: "9.9.0", NFS: "9.9.0"}, "node2": {}, "node3": {ORA: "9.9.0"}}
    for name, kits in expected.items():
        paths = cluster.node_init(str(tmp_path / name), name, spec, "9.9.0", h.TESTS_DIR)
        assert packaging.installed_kits(paths) == kits
        assert packaging.installed_version(paths) == "9.9.0"
    plain = {"nodes": [{"name": "n", "address": "127.0.0.11"}], "hierarchies": []}
    paths = cluster.node_init(str(tmp_path / "plain"), "n", plain, "9.9.0", h.TESTS_DIR)
    assert packaging.installed_kits(paths) == {DR: "9.9.0"}
    bad = dict(plain, kits=["steeleye-lkSAP"])
    with pytest.raises(cluster.ClusterError) as err:
        cluster.node_init(str(tmp_path / "bad"), "n", bad, "9.9.0", h.TESTS_DIR)
    assert "steeleye-lkSAP" in str(err.value)
    assert not os.path.exists(str(tmp_path / "bad"))


def test_lkkeyins_copies_the_key_under_its_basename(tmp_path):
    paths = h.make_node(tmp_path, version="9.9.0")
    key = h.write(str(tmp_path / "deep" / "dir" / "prod.lic"), "PROD\n")
    result = h.run_bin(paths, "lkkeyins", [key])
    assert result.returncode == 0 and result.stdout == "License key prod.lic installed.\n"
    assert h.read(os.path.join(paths.root, "var", "LifeKeeper", "license", "prod.lic")) == "PROD\n"
