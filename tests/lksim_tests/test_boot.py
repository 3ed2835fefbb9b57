"""The machine under a node: `lksim node boot` (the init) and `lksim node reboot` (README.md
"A node", knobs boot_start, boot_seconds, reboot_stays_down). The init runs here as a plain
child process on a local cluster's node ROOT; the reboot command is pointed at it."""
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import TESTS_DIR, wait_for
from lksim import boot, client, process
from lksim.paths import NodePaths

SHUTDOWN_ARGS = ["-r", "0", "Reboot initiated by Ansible"]


def start_init(root):
    """`lksim node boot --root ROOT` as a child (the container's PID 1 stands in)."""
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    return subprocess.Popen([sys.executable, "-m", "lksim", "node", "boot", "--root", root], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def boots(lk, node, event="boot"):
    return [e for e in boot.read(lk.paths(node)) if e["event"] == event]


def booted(lk, node, count):
    """The node's boot line number count (1-based) once written."""
    found = wait_for(lambda: len(boots(lk, node)) >= count, 10, 0.05)
    assert found, boot.read(lk.paths(node))
    return boots(lk, node)[count - 1]


def end(proc, signum=signal.SIGTERM):
    """Stop an init (docker stop) and return its exit code."""
    if proc.poll() is None:
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=15)
    assert "Traceback" not in err, err
    return proc.returncode


def stop_lifekeeper(lk, node):
    assert lk.run(node, "lkstop").returncode == 0


def test_each_boot_writes_a_new_boot_id_and_clears_stale_runtime_state(make_cluster):
    lk = make_cluster(nodes=1, preset="empty")
    paths = lk.paths("node1")
    stop_lifekeeper(lk, "node1")
    # what a crash of the whole machine leaves: a pid file naming a live process of the new
    # PID namespace (here: this test), LK_INITDONE, the GUI server flag
    for name in (paths.pid_file, paths.initdone, paths.gui_server_file):
        with open(name, "w") as handle:
            handle.write("%d\n" % os.getpid())
    lk.knob("node1", boot_start=False)
    init = start_init(paths.root)
    first = booted(lk, "node1", 1)
    assert first["came_up"] and not first["lifekeeper_started"]
    assert first["boot_id"] == boot.boot_id(paths)
    assert sorted(first["stale_removed"]) == ["opt/LifeKeeper/config/LK_INITDONE",
                                              "var/run/lksim/gui-server", "var/run/lksim/lcm.pid"]
    assert process.daemon_pid(paths) == 0 and lk.run("node1", "lktest").returncode == 1
    assert end(init) == 0
    init = start_init(paths.root)
    second = booted(lk, "node1", 2)
    assert second["boot_id"] != first["boot_id"] == boots(lk, "node1")[0]["boot_id"]
    assert boot.boot_id(paths) == second["boot_id"]
    assert end(init) == 0


def test_boot_starts_lifekeeper_after_boot_seconds_unless_boot_start_is_false(make_cluster):
    lk = make_cluster(nodes=1, preset="empty")
    paths = lk.paths("node1")
    stop_lifekeeper(lk, "node1")
    lk.knob("node1", boot_seconds=1.0)
    began = time.time()
    init = start_init(paths.root)
    entry = booted(lk, "node1", 1)
    assert entry["lifekeeper_started"] and entry["boot_start"] and entry["boot_seconds"] == 1.0
    assert lk.run("node1", "lktest").returncode == 0
    assert time.time() - began >= 1.0
    # the daemon is the init's child: stopped, it is reaped (no zombie left)
    pid = process.daemon_pid(paths)
    stop_lifekeeper(lk, "node1")
    assert wait_for(lambda: not os.path.exists("/proc/%d" % pid), 5, 0.05)
    assert end(init) == 0
    lk.knob("node1", boot_start=False, boot_seconds=0.0)
    init = start_init(paths.root)
    entry = booted(lk, "node1", 2)
    assert not entry["lifekeeper_started"] and "boot_start=false" in entry["why"]
    assert lk.run("node1", "lktest").returncode == 1
    assert end(init) == 0


def test_reboot_stays_down_ends_the_next_boot_with_exit_0(make_cluster):
    lk = make_cluster(nodes=1, preset="empty")
    paths = lk.paths("node1")
    stop_lifekeeper(lk, "node1")
    lk.knob("node1", reboot_stays_down=True)
    init = start_init(paths.root)
    assert init.wait(10) == 0
    entry = booted(lk, "node1", 1)
    assert entry["came_up"] is False and entry["lifekeeper_started"] is False
    assert lk.run("node1", "lktest").returncode == 1
    # one boot only: powered on again, the machine comes up
    init = start_init(paths.root)
    assert booted(lk, "node1", 2)["came_up"] is True
    assert end(init) == 0


def test_reboot_is_refused_unless_pid_1_is_the_init_of_this_root(tmp_path):
    paths = NodePaths(str(tmp_path))
    with pytest.raises(boot.RebootError, match="is not the simulated init"):
        boot.reboot(paths.root, "shutdown", SHUTDOWN_ARGS, init_pid=os.getpid(), own_root=False)
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    argv = [sys.executable, "-m", "lksim", "node", "reboot", "--as", "shutdown", "--root"]
    proc = subprocess.run(argv + [paths.root, "--"] + SHUTDOWN_ARGS, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=30, check=False)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr.startswith("lksim: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert not os.path.exists(paths.boots_file)
    if not boot.is_init(1, "/"):     # never try it on a machine whose init is lksim's
        proc = subprocess.run(argv + ["/", "--"] + SHUTDOWN_ARGS, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, timeout=30, check=False)
        assert proc.returncode == 1 and "PID 1 is not the simulated init" in proc.stderr
    for command, args in (("shutdown", ["-h", "now"]), ("shutdown", ["-r", "+5"]), ("reboot", ["-f"])):
        with pytest.raises(boot.RebootError):
            boot.parse_request(command, args)
    assert boot.parse_request("shutdown", SHUTDOWN_ARGS) == "Reboot initiated by Ansible"
    assert boot.parse_request("reboot", []) is None


def test_a_rebooted_mirror_target_comes_back_and_resynchronises(make_cluster):
    lk = make_cluster()
    paths = lk.paths("node2")
    stop_lifekeeper(lk, "node2")      # node2's LifeKeeper is now the init's to start
    lk.knob("node2", resync_seconds=1.5)
    init = start_init(paths.root)
    first = booted(lk, "node2", 1)
    assert first["lifekeeper_started"]
    assert wait_for(lambda: lk.mirror_in_sync("node1"), 10)
    asked = time.time()
    assert boot.reboot(paths.root, "shutdown", SHUTDOWN_ARGS, init_pid=init.pid, own_root=False) == 0
    assert time.time() - asked < 0.5          # returns before the machine goes down
    assert init.wait(15) == boot.REBOOT_EXIT
    shutdown = boots(lk, "node2", "shutdown")
    assert len(shutdown) == 1 and shutdown[0]["boot_id"] == first["boot_id"]
    assert shutdown[0]["argv"] == ["shutdown"] + SHUTDOWN_ARGS and shutdown[0]["lifekeeper_was_running"]
    assert shutdown[0]["lifekeeper_stop_rc"] == 0 and shutdown[0]["time"] - asked < 0.5
    assert shutdown[0]["end"] - asked >= boot.REBOOT_GRACE
    # an announced stop: node1 shows node2 DEAD at once and keeps the hierarchy
    assert lk.path_states("node1") == {"node2": "DEAD"}
    assert lk.states("node1")["app-web"] == "ISP"
    init = start_init(paths.root)             # the restart policy's next boot
    second = booted(lk, "node2", 2)
    assert second["lifekeeper_started"] and second["boot_id"] != first["boot_id"]
    assert wait_for(lambda: lk.path_states("node1") == {"node2": "ALIVE"}, 10)
    assert wait_for(lambda: "Resyncing" in lk.run("node1", "mirror_status", "datarep-data").stdout, 5, 0.05)
    assert wait_for(lambda: lk.mirror_in_sync("node1"), 10)
    assert not [e for e in lk.events("node1") if e["time"] >= asked]   # never left service
    assert end(init) == 0
    assert client.running(paths) is True      # outside a container the daemon outlives its init
