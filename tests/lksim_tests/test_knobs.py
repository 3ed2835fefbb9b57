"""The fault knobs of the collection's tests: hang_commands, setup_hangs, rmlk_leaves_packages,
fail_lksupport, lcm_refuse_from (README.md "Knobs"), and the checks of knob values."""
import json
import os
import signal
import subprocess
import time

import pytest

import lksim_b_helpers as h
from conftest import one_hierarchy, wait_for
from lksim import client, knobs


def start_in_group(argv, **kwargs):
    """Popen argv as the leader of a new process group (as the collection runs commands)."""
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, universal_newlines=True,
                            start_new_session=True, **kwargs)


def test_hang_commands_hang_silently_until_the_group_is_killed(make_cluster):
    lk = make_cluster(wait_sync=False)
    lk.knob("node1", hang_commands=["lcdstatus", "lkcli"])
    bin_dir = lk.paths("node1").bin_dir
    hung = [start_in_group([os.path.join(bin_dir, "lcdstatus"), "-q"]),
            start_in_group([os.path.join(bin_dir, "lkcli"), "status"])]
    time.sleep(1.5)
    assert [p.poll() for p in hung] == [None, None]
    # other commands and other nodes answer
    assert lk.run("node1", "lktest").returncode == 0
    assert lk.states("node2")["app-web"] == "OSU"
    os.killpg(hung[0].pid, signal.SIGKILL)
    os.killpg(hung[1].pid, signal.SIGTERM)
    for proc in hung:
        out, err = proc.communicate(timeout=5)
        assert (out, err) == ("", "")
    assert [p.returncode for p in hung] == [-signal.SIGKILL, -signal.SIGTERM]
    lk.knob("node1", hang_commands=[])
    assert lk.states("node1")["app-web"] == "ISP"


def test_setup_hangs_after_its_banner_and_changes_nothing(tmp_path):
    paths = h.make_node(tmp_path, version="9.8.0")
    knobs.update(paths, {"setup_hangs": True})
    config = h.write(str(tmp_path / "setup.conf"), "")
    proc = start_in_group([h.PYTHON, os.path.join(h.media_dir("9.9.0"), "setup"), "-f", config],
                          env=dict(os.environ, LKSIM_ROOT=paths.root))
    assert proc.stdout.readline() == "LifeKeeper 9.8.0 is installed: updating to 9.9.0.\n"
    time.sleep(1.0)
    assert proc.poll() is None
    assert h.rpm_qa(paths) == ["steeleye-lk-9.8.0", "steeleye-lkDR-9.8.0"]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=5)
    assert proc.returncode == -signal.SIGKILL
    assert h.rpm_qa(paths) == ["steeleye-lk-9.8.0", "steeleye-lkDR-9.8.0"]
    assert not os.path.exists(paths.setup_log)       # killed: no record


def test_setup_hangs_closed_closes_its_output_then_hangs(tmp_path):
    """Like a setup that logs to a file and waits on a lock: EOF on its pipes, still running."""
    paths = h.make_node(tmp_path, version="8.3.0")
    knobs.update(paths, {"setup_hangs_closed": True})
    proc = start_in_group([h.PYTHON, os.path.join(h.media_dir("8.4.1"), "setup")],
                          env=dict(os.environ, LKSIM_ROOT=paths.root))
    assert proc.stdout.readline() == "LifeKeeper 8.3.0 is installed: updating to 8.4.1.\n"
    assert proc.stdout.read() == ""          # stdout closed by setup
    time.sleep(0.5)
    assert proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=5)
    assert h.rpm_qa(paths) == ["steeleye-lk-8.3.0", "steeleye-lkDR-8.3.0"]


def test_rmlk_leaves_packages(tmp_path):
    paths = h.make_node(tmp_path, version="9.9.0")
    h.write(paths.lcd_file, "{}")
    plain = h.make_node(tmp_path, "node2", version="9.9.0")
    knobs.update(paths, {"rmlk_leaves_packages": True})
    faulty = h.run_bin(paths, "rmlk", stdin="y\n")
    normal = h.run_bin(plain, "rmlk", stdin="y\n")
    assert faulty.returncode == normal.returncode == 0
    assert faulty.stdout.replace("node1", "NODE") == normal.stdout.replace("node2", "NODE")
    assert h.rpm_qa(paths) == ["steeleye-lk-9.9.0", "steeleye-lkDR-9.9.0"]
    assert os.path.exists(os.path.join(paths.bin_dir, "lcdstatus"))
    assert not os.path.exists(paths.config_dir)
    assert h.rpm_qa(plain) == [] and not os.path.exists(plain.lkroot)


def test_fail_lksupport(tmp_path):
    paths = h.make_node(tmp_path, version="9.9.0")
    knobs.update(paths, {"fail_lksupport": True})
    result = h.run_bin(paths, "lksupport")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("lksupport: cannot collect support data for node1 (simulated fault: "
                             "knob fail_lksupport); no archive was written\n")
    assert not os.path.exists(os.path.join(paths.root, "tmp", "lksupport")) or \
        os.listdir(os.path.join(paths.root, "tmp", "lksupport")) == []
    knobs.update(paths, {"fail_lksupport": False})
    assert h.run_bin(paths, "lksupport").returncode == 0


TWO_PATHS = one_hierarchy([{"tag": "app", "id": "app", "type": "gen/app", "children": []}],
                          paths_per_node=2)


def paths_by_address(lk, node):
    rows = lk.run(node, "lcdstatus", "-q").stdout.split("\n\n")[1].splitlines()[1:]
    return dict((row.split()[2], row.split()[3]) for row in rows)


def test_lcm_refuse_from_kills_one_path_in_both_directions(make_cluster):
    lk = make_cluster(spec=TWO_PATHS)
    both_alive = {"node1": {"127.0.0.11/127.0.0.12": "ALIVE", "127.0.0.21/127.0.0.22": "ALIVE"},
                  "node2": {"127.0.0.12/127.0.0.11": "ALIVE", "127.0.0.22/127.0.0.21": "ALIVE"}}
    assert wait_for(lambda: all(paths_by_address(lk, n) == both_alive[n] for n in lk.nodes), 10)
    lk.knob("node2", lcm_refuse_from=["127.0.0.11"])
    with pytest.raises(client.NotRunning):       # node2's LCMPORT does not answer 127.0.0.11
        client.send("127.0.0.12", lk.port, {"op": "ping"}, timeout=2.0, source="127.0.0.11")
    assert client.send("127.0.0.12", lk.port, {"op": "ping"}, timeout=2.0, source="127.0.0.21")["ok"]
    one_dead = {"node1": {"127.0.0.11/127.0.0.12": "DEAD", "127.0.0.21/127.0.0.22": "ALIVE"},
                "node2": {"127.0.0.12/127.0.0.11": "DEAD", "127.0.0.22/127.0.0.21": "ALIVE"}}
    assert wait_for(lambda: all(paths_by_address(lk, n) == one_dead[n] for n in lk.nodes), 10)
    # one path left: no failover
    assert lk.states("node1")["app"] == "ISP" and lk.states("node2")["app"] == "OSU"
    lk.knob("node2", lcm_refuse_from=[])
    assert wait_for(lambda: all(paths_by_address(lk, n) == both_alive[n] for n in lk.nodes), 10)
    assert [e for e in lk.events() if e["to"] != "ISP"] == []


@pytest.mark.parametrize("setting,needle", [
    ("hang_commands=[\"rm\"]", "'rm'"),
    ("hang_commands=\"lcdstatus\"", "list of strings"),
    ("lcm_refuse_from=[\"node2\"]", "'node2'"),
    ("setup_hangs=yes", "true or false"),
    ("fail_lksupport=1", "true or false"),
    ("resource_seconds=-1", "-1"),
])
def test_bad_knob_values_are_refused_naming_them(tmp_path, setting, needle):
    paths = h.make_node(tmp_path)
    knobs.update(paths, {"resync_seconds": 7})
    before = h.read(paths.knobs_file)
    proc = subprocess.run([h.PYTHON, "-m", "lksim", "knob", "set", "--root", paths.root, setting],
                          env=dict(os.environ, PYTHONPATH=h.TESTS_DIR), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert proc.returncode == 1 and needle in proc.stderr, proc.stderr
    assert proc.stderr.startswith("lksim: ") and "Traceback" not in proc.stderr
    assert h.read(paths.knobs_file) == before
    assert json.loads(before)["resync_seconds"] == 7
