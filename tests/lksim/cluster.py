"""Local clusters and node provisioning for the simulator (used by cli.py and the tests).

Local cluster: DIR/<node> is each node's ROOT, addresses 127.0.0.(10+i), daemons detached.
Container node: ROOT "/", provisioned by `node init` and started by lkstart / lkcli start.
"""
import json
import os
import re
import shutil
import signal
import time

from lksim import daemon, defaults, knobs, lcd, packaging, setup_tool
from lksim.paths import NodePaths

LKSIM_PATH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ClusterError(Exception):
    pass


def local_address(index):
    """Address of the index-th node (1-based) of a local cluster."""
    return "127.0.0.%d" % (10 + index)


def _nodes(count):
    return [{"name": "node%d" % i, "address": local_address(i)} for i in range(1, count + 1)]


def _priorities(names, first):
    """first gets 1, the others 10, 20, ... in cluster order after it."""
    order = names[names.index(first):] + names[:names.index(first)]
    return dict((name, 1 if i == 0 else 10 * i) for i, name in enumerate(order))


def preset(name, count, port=None):
    """The cluster spec of a preset: "default" or "mixed"."""
    if count < 1:
        raise ClusterError("a cluster needs at least one node")
    nodes = _nodes(count)
    names = [n["name"] for n in nodes]
    spec = {"lcmport": port or defaults.DEFAULT_PORT, "hbeattime": 1, "numhbeats": 3,
            "nodes": nodes, "hierarchies": []}
    web = {"root": "app-web", "in_service_on": "node1", "priorities": _priorities(names, "node1"),
           "resources": [
               {"tag": "app-web", "id": "app-web", "type": "gen/app",
                "children": ["ip-10.0.0.50", "datarep-data"]},
               {"tag": "ip-10.0.0.50", "id": "IP-10.0.0.50", "type": "comm/ip",
                "info": "10.0.0.50", "children": []},
               {"tag": "datarep-data", "id": "/data", "type": "scsi/netraid", "children": []}]}
    if name == "default":
        spec["hierarchies"].append(web)
    elif name == "mixed":
        if count < 2:
            raise ClusterError("preset mixed needs at least 2 nodes")
        spec["hierarchies"].append(web)
        spec["hierarchies"].append(
            {"root": "db", "in_service_on": "node2", "priorities": _priorities(names, "node2"),
             "resources": [
                 {"tag": "db", "id": "pgsql-main", "type": "database/pgsql",
                  "children": ["ip-10.0.0.60", "datarep-dbdata"]},
                 {"tag": "ip-10.0.0.60", "id": "IP-10.0.0.60", "type": "comm/ip",
                  "info": "10.0.0.60", "children": []},
                 {"tag": "datarep-dbdata", "id": "/var/lib/pgsql", "type": "scsi/netraid",
                  "children": []}]})
    elif name == "empty":
        pass
    else:
        raise ClusterError("unknown preset %r (known: default, mixed, empty)" % name)
    return spec


def load_spec(path):
    with open(path) as handle:
        spec = json.load(handle)
    if not spec.get("nodes"):
        raise ClusterError("%s: the spec names no nodes" % path)
    return spec


def packaging_install(paths, version, kits=None):
    """Install steeleye-lk and the kits (default packaging.DEFAULT_KITS) of version."""
    return packaging.install(paths, version, kits=kits)


def node_kits(spec, name):
    """The recovery kits node name gets: its own "kits", else the spec's, else the default."""
    entry = [n for n in spec["nodes"] if n["name"] == name][0]
    kits = entry.get("kits", spec.get("kits"))
    if kits is None:
        return list(packaging.DEFAULT_KITS)
    if not isinstance(kits, list):
        raise ClusterError("node %s: \"kits\" must be a list of package names, not %r" % (name, kits))
    try:
        return packaging.check_kits(kits)
    except packaging.PackagingError as exc:
        raise ClusterError("node %s: %s" % (name, exc))


def node_init(root, name, spec, version=None, lksim_path=None, installer=packaging_install,
              node_knobs=None):
    """Provision a node: node.json, defaults file, lcd.json, knobs; install version."""
    paths = NodePaths(root)
    entry = [n for n in spec["nodes"] if n["name"] == name]
    if not entry:
        raise ClusterError("node %s is not in the spec (nodes: %s)"
                           % (name, ", ".join(n["name"] for n in spec["nodes"])))
    entry = entry[0]
    kits = node_kits(spec, name)
    data = lcd.from_spec(spec, name)
    os.makedirs(os.path.dirname(paths.node_file), exist_ok=True)
    info = {"name": name, "addresses": entry.get("addresses") or [entry["address"]],
            "lksim_path": lksim_path or LKSIM_PATH, "rpm_root": paths.root}
    tmp = paths.node_file + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(info, handle, indent=1, sort_keys=True)
    os.replace(tmp, paths.node_file)
    defaults.write(paths, {
        "LKROOT": "/opt/LifeKeeper",
        "LCMPORT": spec.get("lcmport", 0),
        "LCMHBEATTIME": spec.get("hbeattime", 1),
        "LCMNUMHBEATS": spec.get("numhbeats", 3),
        "LKCHECKINTERVAL": 120,
    })
    lcd.save(paths, data)
    setup_tool.write_saved_config(paths, kits)
    if node_knobs:
        knobs.update(paths, node_knobs)
    if version and installer is not None:
        installer(paths, version, kits)
    return paths


def node_rebuild(root, spec):
    """Stand-in for the 9.9.0 guide's step 7 after a reinstall (the operator re-creates the
    communication paths and hierarchies with the GUI or lkcli, which the simulator does not
    implement): the node's LCD gets the spec's comm paths, systems and resources, every
    resource out of service (OSU). Refused while LifeKeeper runs there (its daemon holds the
    LCD). The node's name, defaults file and packages stay."""
    from lksim.setup_tool import lifekeeper_running   # late: only the rebuild asks lktest
    paths = NodePaths(root)
    name = paths.node_info()["name"]
    if lifekeeper_running(paths):
        raise ClusterError("LifeKeeper runs on %s: stop it before the rebuild" % name)
    data = lcd.from_spec(spec, name)
    for res in data["resources"]:
        res["state"] = "OSU"
    lcd.save(paths, data)
    return name


def node_roots(directory):
    """{node name: ROOT} of a local cluster directory."""
    result = {}
    if not os.path.isdir(directory):
        return result
    for entry in os.listdir(directory):
        root = os.path.join(directory, entry)
        if os.path.exists(NodePaths(root).node_file):
            result[entry] = root
    return dict(sorted(result.items(), key=lambda kv: [int(p) if p.isdigit() else p
                                                       for p in re.split(r"(\d+)", kv[0])]))


def node_root(directory, node):
    roots = node_roots(directory)
    if node not in roots:
        raise ClusterError("no node %s in %s (nodes: %s)" % (node, directory, ", ".join(roots) or "none"))
    return roots[node]


def start_node(root):
    paths = NodePaths(root)
    if not os.path.exists(paths.node_file):
        raise ClusterError("%s is not a node ROOT (no %s; run node init first)" % (root, paths.node_file))
    ok, message = daemon.spawn(paths)
    if not ok:
        raise ClusterError("node at %s did not start: %s" % (root, message))
    return message


def kill_node(root):
    """Crash the node: SIGKILL its daemon (its resources die with it)."""
    return daemon.kill(NodePaths(root))


def create(directory, nodes=2, version=None, preset_name="default", port=None, spec=None,
           installer=packaging_install, node_knobs=None, start=True):
    """Create (and start) a local cluster; returns [(name, address, root)]."""
    directory = os.path.abspath(directory)
    for name, root in node_roots(directory).items():
        if daemon.daemon_pid(NodePaths(root)):
            raise ClusterError("%s: node %s is running; destroy the cluster first" % (directory, name))
    if spec is None:
        spec = preset(preset_name or "default", nodes, port)
    else:
        spec = json.loads(json.dumps(spec))
    if port:
        spec["lcmport"] = port
    for entry in spec["nodes"]:     # refuse a bad spec before any node ROOT is replaced
        node_kits(spec, entry["name"])
        lcd.from_spec(spec, entry["name"])
    os.makedirs(directory, exist_ok=True)
    result = []
    for entry in spec["nodes"]:
        root = os.path.join(directory, entry["name"])
        if os.path.isdir(root):
            shutil.rmtree(root)
        node_init(root, entry["name"], spec, version, installer=installer, node_knobs=node_knobs)
        result.append((entry["name"], (entry.get("addresses") or [entry["address"]])[0], root))
    if start:
        try:
            for dummy_name, dummy_address, root in result:
                start_node(root)
        except ClusterError:
            destroy(directory)
            raise
    return result


def destroy(directory):
    """Kill every daemon of the local cluster (files stay). Returns the nodes killed."""
    killed = []
    pids = []
    for name, root in node_roots(directory).items():
        pid = daemon.daemon_pid(NodePaths(root))
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(name)
                pids.append((root, pid))
            except OSError:
                pass
    for root, pid in pids:
        daemon.wait_stopped(NodePaths(root), pid, 10.0)
        try:
            os.unlink(NodePaths(root).pid_file)
        except OSError:
            pass
    return killed


def wait_ready(root, timeout=30.0):
    """Wait until the node's LK_INITDONE exists."""
    paths = NodePaths(root)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(paths.initdone) and daemon.daemon_pid(paths):
            return True
        time.sleep(0.05)
    return False
