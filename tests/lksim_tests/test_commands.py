"""Exit codes, usage errors, unknown tags, no traceback (LCDI codes of the shared LifeKeeper CLI notes)."""
import json
import os


from conftest import TESTS_DIR

UNKNOWN_TAG = [
    ("perform_action", "-t", "no-such-tag", "-a", "restore"),
    ("perform_action", "-t", "no-such-tag", "-a", "remove"),
    ("lkcli", "resource", "restore", "--tag", "no-such-tag"),
    ("lkcli", "resource", "remove", "--tag", "no-such-tag"),
    ("ins_list", "-R", "no-such-tag"),
    ("eqv_list", "-t", "no-such-tag"),
    ("lcdstatus", "-q", "-r", "no-such-tag"),
    ("mirror_status", "no-such-tag"),
    ("mirror_action", "no-such-tag", "pause"),
]
UNKNOWN_OPTION = [
    ("perform_action", "--bogus", "-t", "app-web", "-a", "restore"),
    ("perform_action", "-t", "app-web", "-a", "explode"),
    ("perform_action", "-t", "app-web"),
    ("lcdstatus", "-Z"),
    ("lkstop", "-x"),
    ("lkstart", "--now"),
    ("lktest", "-v"),
    ("lkcli", "frobnicate"),
    ("lkcli",),
    ("lkcli", "resource", "restore"),
    ("lkcli", "stop", "--hard"),
    ("ins_list", "-Q"),
    ("mirror_status",),
    ("mirror_action", "datarep-data", "explode"),
]


def test_error_exit_codes(make_cluster):
    lk = make_cluster(wait_sync=False)
    for argv in UNKNOWN_TAG:
        proc = lk.run("node1", *argv)
        assert proc.returncode == 7, (argv, proc.returncode, proc.stderr)
        assert "no-such-tag" in proc.stderr, argv
    assert lk.run("node1", "mirror_status", "no-such-tag").stderr == \
        'mirror_status: resource "no-such-tag" does not exist\n'
    for argv in UNKNOWN_OPTION:
        proc = lk.run("node1", *argv)
        assert proc.returncode == 2, (argv, proc.returncode, proc.stderr)
        assert "usage:" in proc.stderr, argv
    # eqv_list of a resource that is not extended to another node: non-zero
    assert lk.run("node1", "eqv_list", "-t", "app-web").returncode == 0
    assert lk.run("node1", "ins_list", "-R", "app-web").stdout.count("\n") == 1
    # a non-mirror tag is an illegal argument for mirror_status
    assert lk.run("node1", "mirror_status", "app-web").returncode == 5
    # nothing changed anywhere
    assert set(lk.states("node1").values()) == {"ISP"}
    # commands against a stopped LifeKeeper: clear message, non-zero, still no traceback
    assert lk.run("node1", "lkstop").returncode == 0
    proc = lk.run("node1", "perform_action", "-t", "app-web", "-a", "restore")
    assert proc.returncode == 1 and "not running" in proc.stdout
    assert lk.run("node1", "mirror_status", "datarep-data").returncode == 1
    assert lk.run("node1", "lkstop").returncode == 0     # already stopped: fine
    assert lk.run("node1", "lktest").returncode == 1


def test_operator_cli(make_cluster, tmp_path):
    lk = make_cluster(wait_sync=False)
    proc = lk.lksim("knob", "set", "--dir", lk.dir, "--node", "node2",
                    "fail_restore_tags=[\"app-web\"]", "resync_seconds=3")
    assert proc.returncode == 0, proc.stderr
    with open(lk.paths("node2").knobs_file) as handle:
        values = json.load(handle)
    assert values["fail_restore_tags"] == ["app-web"] and values["resync_seconds"] == 3
    assert not os.path.exists(lk.paths("node1").knobs_file) or \
        "fail_restore_tags" not in open(lk.paths("node1").knobs_file).read()
    bad = lk.lksim("knob", "set", "--root", lk.roots["node1"], "no_such_knob=1")
    assert bad.returncode != 0 and "no_such_knob" in bad.stderr
    assert lk.lksim("events", "--root", lk.roots["node1"], "--root", lk.roots["node2"]).returncode == 0
    assert lk.lksim("bogus").returncode == 2
    # node init provisions a ROOT without starting it
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"lcmport": 7999, "nodes": [
        {"name": "n1", "address": "127.0.0.11"}, {"name": "n2", "address": "127.0.0.12"}],
        "hierarchies": []}))
    root = tmp_path / "n1root"
    proc = lk.lksim("node", "init", "--root", str(root), "--name", "n1", "--spec", str(spec),
                    "--version", "9.9.0", "--lksim-path", TESTS_DIR)
    # packaging may or may not be usable here; provisioning files must exist either way
    info = json.loads((root / "etc" / "lksim" / "node.json").read_text())
    assert info["name"] == "n1" and info["addresses"] == ["127.0.0.11"]
    assert info["lksim_path"] == TESTS_DIR
    assert "LCMPORT=7999" in (root / "etc" / "default" / "LifeKeeper").read_text()
    lcd_data = json.loads((root / "opt" / "LifeKeeper" / "config" / "lcd.json").read_text())
    assert [p["machine"] for p in lcd_data["comm_paths"]] == ["n2"]
    # cluster destroy kills the daemons and leaves the files
    out = lk.lksim("cluster", "destroy", "--dir", lk.dir)
    assert out.returncode == 0 and "node1" in out.stdout
    assert lk.run("node1", "lktest").returncode == 1
    assert os.path.exists(lk.paths("node1").lcd_file)
    assert os.path.exists(lk.paths("node1").node_file)


def test_lcd_tools_without_daemon(tmp_path):
    """LCD tools read lcd.json; eqv_list of a resource extended nowhere else exits non-zero."""
    import subprocess
    import sys
    sys.path.insert(0, TESTS_DIR)
    from lksim import cluster
    from conftest import install_launchers
    spec = {"nodes": [{"name": "solo", "address": "127.0.0.11"}, {"name": "peer", "address": "127.0.0.12"}],
            "hierarchies": [
                {"root": "lonely", "in_service_on": "solo", "priorities": {"solo": 1},
                 "resources": [{"tag": "lonely", "id": "x", "type": "gen/app", "children": []}]},
                {"root": "shared", "in_service_on": "peer", "priorities": {"solo": 10, "peer": 1},
                 "resources": [{"tag": "shared", "id": "y", "type": "gen/app", "children": []}]}]}
    paths = cluster.node_init(str(tmp_path / "solo"), "solo", spec, "9.9.0",
                              installer=install_launchers)

    def run(*argv):
        proc = subprocess.run([paths.bin_dir + "/" + argv[0]] + list(argv[1:]),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
        assert "Traceback" not in proc.stderr
        return proc
    lonely = run("eqv_list", "-t", "lonely")
    assert lonely.returncode == 7 and "lonely" in lonely.stderr
    shared = run("eqv_list", "-t", "shared", "-f", ":")
    assert shared.returncode == 0
    assert shared.stdout == "solo:shared:peer:shared:SHARED:10:1\n"
    rows = run("ins_list", "-f", ":").stdout.splitlines()
    assert rows == ["solo:gen:app:lonely:x:ISP:1", "solo:gen:app:shared:y:OSU:10"]
    assert run("sys_list").stdout == "solo\npeer\n"
    assert run("net_list", "-f", ":").stdout == "solo:peer:TCP:127.0.0.11:127.0.0.12:1\n"
    assert run("lcdstatus", "-q").stdout == "LifeKeeper does not appear to be running.\n"
