"""Real rpms: built with rpmbuild, installed into a node ROOT, seen by `rpm -q --root`."""
import os
import stat
import subprocess

import pytest

import lksim_b_helpers as h
from lksim import generations, packaging
from lksim.launcher import LAUNCHER


def _qp(rpm_file, fmt):
    return subprocess.run(["rpm", "-qp", "--qf", fmt, rpm_file], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, universal_newlines=True, check=True).stdout


def _files(rpm_file):
    return sorted(subprocess.run(["rpm", "-qlp", rpm_file], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, universal_newlines=True,
                                 check=True).stdout.split())


@pytest.mark.parametrize("version", ["9.9.0", "8.4.1"])
def test_build_rpms_names_headers_and_payload(version):
    core, dr, nfs, ora = h.rpms(version)
    assert os.path.basename(core) == "steeleye-lk-%s-1.noarch.rpm" % version
    assert _qp(core, "%{NAME} %{VERSION} %{RELEASE} %{ARCH}") == "steeleye-lk %s 1 noarch" % version
    expected = sorted("/opt/LifeKeeper/bin/%s" % c for c in generations.commands_for(version))
    assert _files(core) == expected
    assert ("/opt/LifeKeeper/bin/lkcli" in expected) == version.startswith("9")
    for kit, name, path in ((dr, "steeleye-lkDR", "scsi/netraid"), (nfs, "steeleye-lkNFS", "gen/nfs"),
                            (ora, "steeleye-lkORA", "database/oracle")):
        assert os.path.basename(kit) == "%s-%s-1.noarch.rpm" % (name, version)
        assert _qp(kit, "%{NAME} %{VERSION}") == "%s %s" % (name, version)
        assert _files(kit) == ["/opt/LifeKeeper/lkadm/subsys/%s/VERSION" % path]
        assert packaging.package_of(kit) == name
    assert packaging.package_of(core) == "steeleye-lk"


def test_build_rpms_is_cached_by_version():
    first = h.rpms("9.8.0")
    mtimes = [os.stat(p).st_mtime_ns for p in first]
    second = h.rpms("9.8.0")
    assert first == second
    assert [os.stat(p).st_mtime_ns for p in second] == mtimes
    assert h.rpms("9.7.0") != first


def test_build_without_rpmbuild_and_empty_cache_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(packaging.shutil, "which", lambda name: None)
    with pytest.raises(packaging.PackagingError) as err:
        packaging.build_rpms("9.9.0", str(tmp_path / "empty-cache"))
    assert "rpmbuild" in str(err.value) and "9.9.0" in str(err.value)


def test_install_into_root_is_visible_to_rpm_query(tmp_path):
    paths = h.make_node(tmp_path)
    assert packaging.installed_version(paths) is None
    assert h.rpm_q(paths)[0] != 0
    packaging.install(paths, "9.8.0", cache_dir=h.rpm_cache())
    assert h.rpm_q(paths) == (0, "9.8.0")
    assert packaging.installed_version(paths) == "9.8.0"
    assert h.rpm_qa(paths) == ["steeleye-lk-9.8.0", "steeleye-lkDR-9.8.0"]
    for cmd in generations.commands_for("9.8.0"):
        launcher = os.path.join(paths.bin_dir, cmd)
        assert stat.S_IMODE(os.stat(launcher).st_mode) == 0o755
        assert h.read(launcher) == LAUNCHER
    assert h.read(os.path.join(paths.root, packaging.KIT_VERSION_FILE)).strip() == "9.8.0"


def test_update_from_8x_to_9x_replaces_the_package_and_adds_lkcli(tmp_path):
    paths = h.make_node(tmp_path, version="8.4.1")
    assert not os.path.exists(os.path.join(paths.bin_dir, "lkcli"))
    packaging.install_from(paths, packaging.rpms_for("9.9.0", ["steeleye-lkDR"], h.rpm_cache()))
    assert h.rpm_qa(paths) == ["steeleye-lk-9.9.0", "steeleye-lkDR-9.9.0"]
    assert os.path.exists(os.path.join(paths.bin_dir, "lkcli"))


def test_install_from_missing_file_fails_and_changes_nothing(tmp_path):
    paths = h.make_node(tmp_path, version="9.8.0")
    with pytest.raises(packaging.PackagingError):
        packaging.install_from(paths, [str(tmp_path / "steeleye-lk-9.9.0-1.noarch.rpm")])
    assert packaging.installed_version(paths) == "9.8.0"


def test_remove_erases_every_steeleye_package(tmp_path):
    paths = h.make_node(tmp_path, version="9.9.0")
    assert packaging.remove(paths) == ["steeleye-lk", "steeleye-lkDR"]
    assert h.rpm_qa(paths) == []
    assert packaging.installed_version(paths) is None
    assert not os.path.exists(os.path.join(paths.bin_dir, "lcdstatus"))
    assert packaging.remove(paths) == []


def test_install_chooses_the_kits_and_refuses_unknown_ones(tmp_path):
    paths = h.make_node(tmp_path)
    packaging.install(paths, "9.9.0", cache_dir=h.rpm_cache(), kits=["steeleye-lkNFS", "steeleye-lkORA"])
    assert h.rpm_qa(paths) == ["steeleye-lk-9.9.0", "steeleye-lkNFS-9.9.0", "steeleye-lkORA-9.9.0"]
    assert packaging.installed_kits(paths) == {"steeleye-lkNFS": "9.9.0", "steeleye-lkORA": "9.9.0"}
    with pytest.raises(packaging.PackagingError) as err:
        packaging.install(paths, "9.9.0", cache_dir=h.rpm_cache(), kits=["steeleye-lkSAP"])
    assert "'steeleye-lkSAP'" in str(err.value) and "steeleye-lkNFS" in str(err.value)


def test_two_roots_have_separate_rpm_databases(tmp_path):
    one = h.make_node(tmp_path, "node1", version="9.8.0")
    two = h.make_node(tmp_path, "node2", version="9.9.0")
    assert h.rpm_q(one) == (0, "9.8.0")
    assert h.rpm_q(two) == (0, "9.9.0")


def test_installed_launcher_dispatches_a_command(tmp_path):
    """The launcher packed into the rpm finds lksim through node.json and runs lkkeyins."""
    paths = h.make_node(tmp_path, version="9.9.0")
    key = h.write(str(tmp_path / "site.lic"), "LICENSE-KEY\n")
    result = h.run_bin(paths, "lkkeyins", [key])
    assert result.returncode == 0, result.stderr
    assert h.read(os.path.join(paths.license_dir, "site.lic")) == "LICENSE-KEY\n"
