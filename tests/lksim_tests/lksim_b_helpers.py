"""Helpers shared by the packaging / media / setup / backup tests (helper B's tests).

Imported by test_packaging.py, test_media_setup.py and test_backup_rmlk.py. Puts tests/ on
sys.path so that `import lksim` works without a conftest. Built rpms and media are cached
once per test process (rpmbuild/xorriso run only once per version).
"""
import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from lksim import media, packaging  # noqa: E402
from lksim.paths import NodePaths  # noqa: E402

PYTHON = shutil.which("python3") or sys.executable
_STATE = {}


def work_dir():
    """A per-process scratch dir (rpm cache, media), removed at exit."""
    if "work" not in _STATE:
        _STATE["work"] = tempfile.mkdtemp(prefix="lksim-b-tests-")
        atexit.register(shutil.rmtree, _STATE["work"], True)
    return _STATE["work"]


def rpm_cache():
    return os.environ.get("LKSIM_RPM_CACHE") or os.path.join(work_dir(), "rpms")


def rpms(version):
    return packaging.build_rpms(version, rpm_cache())


def media_dir(version):
    """Built and extracted media of version (the directory that holds setup)."""
    key = ("media", version)
    if key not in _STATE:
        iso = media.build(version, os.path.join(work_dir(), "iso"), date="112226",
                          cache_dir=rpm_cache())
        _STATE[key] = media.extract(iso, os.path.join(work_dir(), "media-" + version))
    return _STATE[key]


def make_node(base, name="node1", version=None, defaults_text=None, address="127.0.0.11",
              kits=None):
    """A node ROOT under base (node.json, knobs with setup_seconds 0, defaults); installs the
    core and kits (default: what a node gets, packaging.DEFAULT_KITS) of version."""
    root = os.path.join(str(base), name)
    paths = NodePaths(root)
    os.makedirs(os.path.dirname(paths.node_file), exist_ok=True)
    with open(paths.node_file, "w") as handle:
        json.dump({"name": name, "addresses": [address], "lksim_path": TESTS_DIR,
                   "rpm_root": root}, handle)
    with open(paths.knobs_file, "w") as handle:
        json.dump({"setup_seconds": 0}, handle)
    os.makedirs(os.path.dirname(paths.defaults_file), exist_ok=True)
    with open(paths.defaults_file, "w") as handle:
        handle.write(defaults_text if defaults_text is not None else
                     "LCMPORT=0\nLCMHBEATTIME=1\nLCMNUMHBEATS=3\nLK_SERV_ENV=generic\n")
    if version:
        packaging.install_from(paths, packaging.rpms_for(version, kits, rpm_cache()))
    return paths


def rpm_q(paths):
    """`rpm -q --root ROOT --qf %{VERSION} steeleye-lk` as the collection would ask it."""
    proc = subprocess.run(["rpm", "-q", "--root", paths.root, "--qf", "%{VERSION}", "steeleye-lk"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    return proc.returncode, proc.stdout.strip()


def rpm_qa(paths):
    proc = subprocess.run(["rpm", "-qa", "--root", paths.root, "--qf", "%{NAME}-%{VERSION}\\n"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    return sorted(line for line in proc.stdout.split() if line.startswith("steeleye-"))


def run_bin(paths, name, args=(), stdin=""):
    """Run the installed $LKROOT/bin/name launcher (from the rpm) as a separate process."""
    return subprocess.run([PYTHON, os.path.join(paths.bin_dir, name)] + list(args),
                          input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120, check=False)


def run_setup(paths, mdir, args=(), stdin="", env=None):
    """Run the media's setup script for the node (ROOT from $LKSIM_ROOT), stdin a pipe."""
    environ = dict(os.environ, LKSIM_ROOT=paths.root)
    environ.update(env or {})
    return subprocess.run([PYTHON, os.path.join(mdir, "setup")] + list(args), input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=environ, timeout=120, check=False)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    return path


def read(path):
    with open(path) as handle:
        return handle.read()


# --- a running LifeKeeper ---------------------------------------------------------------------

def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def init_running_node(base, version, name="node1"):
    """node init (helper A's CLI) with one hierarchy ISP here, then lkstart; returns paths."""
    address = "127.0.0.%d" % (100 + os.getpid() % 100)
    spec = {"lcmport": free_port(), "hbeattime": 1, "numhbeats": 3,
            "nodes": [{"name": name, "address": address}],
            "hierarchies": [{"root": "app-web", "in_service_on": name, "priorities": {name: 1},
                             "resources": [
                                 {"tag": "app-web", "id": "app-web", "type": "gen/app",
                                  "children": ["ip-10.0.0.50"]},
                                 {"tag": "ip-10.0.0.50", "id": "IP-10.0.0.50", "type": "comm/ip",
                                  "children": []}]}]}
    spec_file = write(os.path.join(str(base), "spec.json"), json.dumps(spec))
    root = os.path.join(str(base), name)
    env = dict(os.environ, PYTHONPATH=TESTS_DIR, LKSIM_RPM_CACHE=rpm_cache())
    proc = subprocess.run([PYTHON, "-m", "lksim", "node", "init", "--root", root, "--name", name,
                           "--spec", spec_file, "--version", version, "--lksim-path", TESTS_DIR],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    paths = NodePaths(root)
    with open(paths.knobs_file, "w") as handle:
        json.dump({"setup_seconds": 0, "start_seconds": 0.2, "resource_seconds": 0.05}, handle)
    started = run_bin(paths, "lkstart")
    assert started.returncode == 0, started.stdout + started.stderr
    return paths


def stop_node(paths):
    """Stop a node's daemon started by a test (lkstop -f, then SIGKILL of its pid file)."""
    if os.path.exists(os.path.join(paths.bin_dir, "lkstop")):
        try:
            run_bin(paths, "lkstop", ["-f"])
        except subprocess.TimeoutExpired:
            pass
    try:
        with open(paths.pid_file) as handle:
            pid = int(handle.read().split()[0])
        with open("/proc/%d/cmdline" % pid) as handle:
            cmdline = handle.read()
        if "lksim" in cmdline and paths.root in cmdline:   # our daemon, not a recycled pid
            os.kill(pid, 9)
    except (IOError, OSError, ValueError, IndexError):
        pass


def events(paths):
    try:
        with open(paths.events_file) as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (IOError, OSError):
        return []
