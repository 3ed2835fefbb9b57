"""Fixtures for the simulator tests: local clusters on 127.0.0.x with a free port each."""
import json
import os
import random
import re
import socket
import subprocess
import sys
import time

import pytest

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from lksim import cluster, events, generations, knobs, launcher  # noqa: E402
from lksim.paths import NodePaths  # noqa: E402

# fast timings for tests (LCMHBEATTIME=1, LCMNUMHBEATS=3 come from the preset spec)
FAST_KNOBS = {"resource_seconds": 0.05, "start_seconds": 0.3, "resync_seconds": 0.5}
# the addresses of local test clusters (second comm paths on 127.0.0.2x)
ADDRESSES = ["127.0.0.%d" % (base + i) for base in (10, 20) for i in range(1, 5)]


def install_launchers(paths, version, kits=None):
    """Test stand-in for lksim.packaging.install: the launchers only, no rpm (no kits)."""
    os.makedirs(paths.bin_dir, exist_ok=True)
    for name in generations.commands_for(version):
        target = os.path.join(paths.bin_dir, name)
        with open(target, "w") as handle:
            handle.write(launcher.LAUNCHER)
        os.chmod(target, 0o755)


def one_hierarchy(resources, nodes=2, in_service_on="node1", paths_per_node=1):
    """A cluster spec: node1..nodeN (paths_per_node addresses each: 127.0.0.1i, 127.0.0.2i),
    one hierarchy of resources (its root = the first) with priorities 1, 10, 20, ... in node
    order, in service on in_service_on."""
    names = ["node%d" % i for i in range(1, nodes + 1)]
    return {"hbeattime": 1, "numhbeats": 3,
            "nodes": [{"name": name, "addresses": ["127.0.0.%d" % (base + i)
                                                   for base in (10, 20)[:paths_per_node]]}
                      for i, name in enumerate(names, 1)],
            "hierarchies": [{"root": resources[0]["tag"], "in_service_on": in_service_on,
                             "priorities": dict((n, 1 if i == 0 else 10 * i) for i, n in enumerate(names)),
                             "resources": resources}]}


def free_port():
    """A port below the ephemeral range that is free on every test address."""
    for dummy in range(200):
        port = random.randint(20000, 32000)
        sockets = []
        try:
            for address in ADDRESSES:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sockets.append(sock)
                sock.bind((address, port))
            return port
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free port")


def wait_for(predicate, timeout, interval=0.1):
    """Poll predicate until it returns a true value; returns it (or the last false value)."""
    deadline = time.time() + timeout
    value = predicate()
    while not value and time.time() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


class Cluster(object):
    def __init__(self, directory, nodes, port):
        self.dir = directory
        self.nodes = [node[0] for node in nodes]
        self.roots = dict((node[0], node[2]) for node in nodes)
        self.port = port

    def paths(self, node):
        return NodePaths(self.roots[node])

    def run(self, node, command, *args, **kwargs):
        """Run $LKROOT/bin/<command> of node; returns CompletedProcess (text)."""
        exe = os.path.join(self.roots[node], "opt", "LifeKeeper", "bin", command)
        proc = subprocess.run([exe] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=kwargs.get("timeout", 60), check=False)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stdout, proc.stdout
        return proc

    def lksim(self, *args):
        env = dict(os.environ, PYTHONPATH=TESTS_DIR)
        proc = subprocess.run([sys.executable, "-m", "lksim"] + list(args), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=120, check=False)
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    def states(self, node):
        """{tag: state} from `lcdstatus -q` on node ({} when not running)."""
        proc = self.run(node, "lcdstatus", "-q")
        if proc.returncode != 0:
            return {}
        result = {}
        for line in proc.stdout.split("\n\n")[0].splitlines()[1:]:
            cols = line.split()
            result[cols[1]] = cols[3]
        return result

    def path_states(self, node):
        proc = self.run(node, "lcdstatus", "-q")
        if proc.returncode != 0:
            return {}
        rows = proc.stdout.split("\n\n")[1].splitlines()[1:]
        return dict((line.split()[0], line.split()[3]) for line in rows)

    def knob(self, node, **changes):
        knobs.update(self.paths(node), changes)

    def events(self, node=None):
        names = [node] if node else self.nodes
        return events.read([self.paths(n).events_file for n in names])

    def ready(self, node, timeout=15):
        return wait_for(lambda: os.path.exists(self.paths(node).initdone), timeout)

    def mirror_in_sync(self, node, tag="datarep-data"):
        proc = self.run(node, "mirror_status", tag)
        rows = proc.stdout.splitlines()[3:]
        return proc.returncode == 0 and rows and all(" Mirroring " in r + " " for r in rows)


@pytest.fixture
def make_cluster(tmp_path):
    created = []

    def make(nodes=2, version="9.9.0", preset="default", spec=None, node_knobs=None,
             wait_sync=True):
        directory = str(tmp_path / ("cluster%d" % len(created)))
        settings = dict(FAST_KNOBS)
        settings.update(node_knobs or {})
        port = free_port()
        created.append(directory)
        result = cluster.create(directory, nodes, version, preset, port, spec,
                                installer=install_launchers, node_knobs=settings)
        lk = Cluster(directory, result, port)
        for node in lk.nodes:
            assert lk.ready(node), "%s did not finish starting" % node
        if wait_sync and spec is None and preset == "default":
            assert wait_for(lambda: lk.mirror_in_sync("node1"), 10)
        return lk
    yield make
    for directory in created:
        cluster.destroy(directory)


def column(header_line, name):
    """Start column of a header word."""
    match = re.search(r"(?:^|\s)(%s)(?:\s|$)" % re.escape(name), header_line)
    assert match, "%s not in %r" % (name, header_line)
    return match.start(1)


def load_json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]
