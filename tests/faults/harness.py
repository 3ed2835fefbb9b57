"""Simulated LifeKeeper clusters on docker for the fault-injection tests.

One container per node (image hatools/lksim-node:latest, built by `make images`), the
simulator provisioned with its own CLI, the collection's playbooks run with the pinned
ansible-playbook against the containers. Ground truth comes from the nodes (rpm, lcdstatus)
and the simulator's event logs, never from the collection's report.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests"))
from lksim import events as lk_events  # noqa: E402

IMAGE = os.environ.get("LKSIM_NODE_IMAGE", "hatools/lksim-node:latest")
VENV_BIN = os.path.join(os.environ.get("VENV", os.path.join(REPO, ".venv")), "bin")
CACHE = os.path.join(REPO, ".cache")
MEDIA_DATE = "010126"
REFUSED = "Pre-flight refused the update; nothing was changed on any node"
# lk_backup_node_dir by default: where the collection keeps the lkbackup archives on a node
BACKUP_DIR = "/var/lib/hatools-lifekeeper/backups"
# the configuration saved from the 9.x setup menu on every simulated node (lksim setup_tool.SAVED_CONFIG)
SAVED_SETUP_CONFIG = "/etc/lksim/saved-setup.conf"
# the collection's progress record on a node (lk_update_state_dir by default)
PROGRESS_FILE = "/var/lib/hatools-lifekeeper/update-progress.json"

# The final message of a stopped run starts so; the time the failure was caught follows
# "stopped" once the rescue recorded it.
STOPPED = re.compile(r"The rolling update stopped(?: at [0-9TZ:-]+)?: ")


def stopped_message(output, length=4000):
    """The final message of a stopped run (its last occurrence in output), or None."""
    found = list(STOPPED.finditer(output))
    return output[found[-1].start():found[-1].start() + length] if found else None


def custom_stats(output):
    """The set_stats data a run printed (ANSIBLE_SHOW_CUSTOM_STATS=1 in its environment):
    the default callback prints it as one JSON object after "RUN: " at the end."""
    found = re.findall(r"^\s*RUN: (\{.*\})\s*$", output.split("CUSTOM STATS:")[-1], re.M)
    assert "CUSTOM STATS:" in output and found, "no custom stats in:\n%s" % output[-2000:]
    return json.loads(found[-1])


def final_message(output):
    """The final message of a stopped run as its failed task carries it (the msg of the last
    'FAILED! => {...}' line whose msg says the run stopped), its lines and all; or None."""
    for line in reversed(output.splitlines()):
        if "FAILED! => {" not in line:
            continue
        try:
            msg = json.loads(line.split("FAILED! => ", 1)[1]).get("msg")
        except ValueError:
            continue
        if isinstance(msg, str) and STOPPED.search(msg):
            return msg
    return None


def resume_command(message):
    """The shell command of the message's resume (cd ... && ansible-playbook ... -e @file)."""
    commands = [line.strip() for line in message.splitlines() if "ansible-playbook" in line and "-e @" in line]
    assert commands, message
    return commands[-1]


APP_WEB = {
    "root": "app-web", "in_service_on": "node1",
    "priorities": {"node1": 1, "node2": 10},
    "resources": [
        {"tag": "app-web", "id": "app-web", "type": "gen/app", "children": ["ip-10.0.0.50", "datarep-data"]},
        {"tag": "ip-10.0.0.50", "id": "IP-10.0.0.50", "type": "comm/ip", "children": []},
        {"tag": "datarep-data", "id": "/data", "type": "scsi/netraid", "children": []},
    ],
}


def run(argv, check=True, timeout=300, **kwargs):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout, check=False, **kwargs)
    if check and proc.returncode != 0:
        raise AssertionError("%s failed (rc %d):\n%s" % (" ".join(argv), proc.returncode, proc.stdout[-4000:]))
    return proc


# Waits that poll on the node itself, in one docker exec: a docker exec costs the machine about
# 0.1 s of CPU, and a test polling a node from here every 0.2 s kept half a core busy while the
# run it waited on needed it. $1: the deadline in seconds from now; the condition follows.
NODE_WAIT = r"""
end=$(( $(date +%s) + $1 )); shift
until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || exit 1
    sleep 0.2
done
"""
# Exit 0 when the JSON file $1 has the key $2 equal to the JSON value $3 ("!" before $2: not equal)
JSON_HAS = r"""
import json, sys
path, key, value = sys.argv[1:4]
negate = key.startswith("!")
try:
    with open(path) as handle:
        found = json.load(handle).get(key.lstrip("!"))
except (OSError, ValueError, AttributeError):
    found = None
sys.exit(0 if (found != json.loads(value)) == negate else 1)
"""
# Exit 0 when the output of the command "$@" contains the text $1
OUTPUT_HAS = r'text=$1; shift; "$@" 2>/dev/null | grep -qF -- "$text"'
# Exit 0 when this node is ready, every path ALIVE and no mirror (by type) resynchronising;
# else print what is missing and exit 1
NODE_HEALTHY = r"""
bin=/opt/LifeKeeper/bin; problems=""
[ -e /opt/LifeKeeper/config/LK_INITDONE ] || problems="$problems not initialised;"
short=$($bin/lcdstatus -q 2>&1)
case "$short" in *ALIVE*) ;; *) problems="$problems no path ALIVE: $short;" ;; esac
case "$short" in *DEAD*) problems="$problems a path DEAD: $short;" ;; esac
for tag in $($bin/lcdstatus 2>/dev/null | awk -F: '/ app=scsi / && / type=netraid / {print $1}'); do
    case "$($bin/mirror_status "$tag" 2>&1)" in *Resyncing*) problems="$problems $tag resyncing;" ;; esac
done
[ -z "$problems" ] || { echo "$problems" | cut -c1-400; exit 1; }
"""


def wait_for(condition, timeout, what, interval=0.2):
    """Poll condition() until it is true; fail naming what was awaited after timeout seconds."""
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))
        time.sleep(interval)


# The containers of a bootable cluster: the simulator's init as PID 1 (lksim/boot.py), restarted by
# docker when it exits non-zero (a reboot), not when it exits 0 (docker stop, a machine that stays down)
BOOT_COMMAND = ["env", "PYTHONPATH=/usr/lib/lksim", "python3", "-m", "lksim", "node", "boot", "--root", "/"]
BOOTS_FILE = "/var/log/lksim/boots.jsonl"
# a bootable cluster's network is 10.213.<N>.0/24, node i at .10+i (fixed: docker may give a restarted
# container another address on the default bridge and its peers would lose it)
BOOT_SUBNETS = 250


def subnet_index(prefix):
    """N of the prefix's network 10.213.N.0/24: 1..250 from the prefix's hash (Cluster.create_network
    takes the next N while another network overlaps)."""
    return 1 + int(hashlib.sha256(prefix.encode("utf-8")).hexdigest(), 16) % BOOT_SUBNETS


def media_iso(version):
    """The product ISO of version on the host (cached in .cache/media; lksim rebuilds it when
    the simulator's content changed)."""
    out = os.path.join(CACHE, "media", version)
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "tests"))
    return run([sys.executable, "-m", "lksim", "media", "build", "--version", version, "--out", out,
                "--date", MEDIA_DATE], env=env).stdout.strip().splitlines()[-1]


def fleet_inventory(clusters, path, names=None):
    """One inventory file for several simulated clusters: each a child group of lifekeeper
    (names, default c01, c02, ...), as an operator writes a fleet. Returns path."""
    names = names or ["c%02d" % i for i in range(1, len(clusters) + 1)]
    children = dict((name, {"hosts": dict((cluster.container(n), {"lksim_node_name": n}) for n in cluster.names)})
                    for name, cluster in zip(names, clusters))
    inventory = {"lifekeeper": {"children": children, "vars": {
        "ansible_connection": clusters[0].connection, "ansible_python_interpreter": "/usr/bin/python3"}}}
    with open(path, "w") as handle:
        json.dump(inventory, handle)
    return path


class Cluster(object):
    """A simulated cluster: nodes node1..nodeN in containers <prefix>-nodeI."""

    def __init__(self, prefix, nodes=2, version="9.7.0", hierarchies=None, media=("9.9.0",), knobs=None,
                 connection="community.docker.docker", bootable=False):
        self.prefix = prefix
        # bootable: each container runs `lksim node boot` (it survives a reboot, see BOOT_COMMAND) on
        # the cluster's own network with fixed addresses; else `sleep infinity` on the default bridge
        self.bootable = bootable
        self.boot_network = prefix + "-net" if bootable else None
        self.subnet = None
        self.names = ["node%d" % i for i in range(1, nodes + 1)]
        self.version = version
        self.hierarchies = hierarchies if hierarchies is not None else [APP_WEB]
        self.media = list(media)
        self.knobs = knobs or {}
        # community.docker.docker_api reports a container it cannot find as unreachable (as ssh
        # reports a host that does not answer); community.docker.docker makes it a failed module
        self.connection = connection
        self.workdir = tempfile.mkdtemp(prefix="lkfaults-%s-" % prefix)
        self.inventory = os.path.join(self.workdir, "inventory.yml")
        self.report_file = os.path.join(self.workdir, "report.json")
        self.artifacts = os.path.join(self.workdir, "artifacts")

    # ---- containers -------------------------------------------------------------------------
    def container(self, node):
        return "%s-%s" % (self.prefix, node)

    def up(self):
        self.down(keep_logs=True)
        if self.bootable:
            self.create_network()
        for node in self.names:
            run(["docker", "run", "-d", "--name", self.container(node), "--hostname", node,
                 "--cap-add", "SYS_ADMIN", "--label", "hatools.lksim=faults"] + self.run_options(node)
                + [IMAGE] + (BOOT_COMMAND if self.bootable else ["sleep", "infinity"]))
        nodes = [self.node_spec(n) for n in self.names]
        # a peer is DEAD after 5 missed 1 s heartbeats (the product's default is 3 of 5 s): on a
        # loaded 2-core host a daemon can stall for seconds, and 3 s let a node fail over the
        # hierarchy of a live peer (in service on both) in the middle of a test
        spec = {"lcmport": 7365, "hbeattime": 1, "numhbeats": 5, "nodes": nodes, "hierarchies": self.hierarchies}
        spec_file = os.path.join(self.workdir, "spec.json")
        with open(spec_file, "w") as handle:
            json.dump(spec, handle)
        isos = [media_iso(v) for v in self.media]
        for node in self.names:
            run(["docker", "cp", spec_file, "%s:/etc/lksim-cluster.json" % self.container(node)])
            for iso in isos:
                run(["docker", "cp", iso, "%s:/srv/%s" % (self.container(node), os.path.basename(iso))])
            self.lksim(node, "node", "init", "--root", "/", "--name", node, "--spec", "/etc/lksim-cluster.json",
                       "--version", self.version)
            if self.knobs:
                self.knob(node, **self.knobs)
        self.write_hosts(nodes)
        for node in self.names:
            self.exec(node, "/opt/LifeKeeper/bin/lkstart")
        self.wait_healthy()
        self.write_inventory()
        return self

    def down(self, keep_logs=False):
        """Remove the containers; the work folder (inventory, playbook logs) too unless keep_logs."""
        names = [self.container(n) for n in self.names] + [self.container(n) + "-cut" for n in self.names]
        # one at a time: dockerd 20.10 (libnetwork) can deadlock when containers of one network
        # exit at the same moment (docker rm -f of several names removes them side by side)
        for name in names:
            subprocess.run(["docker", "rm", "-f", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False)
        if self.bootable:
            subprocess.run(["docker", "network", "rm", self.boot_network], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        if not keep_logs and os.path.isdir(self.workdir):
            shutil.rmtree(self.workdir, ignore_errors=True)

    def create_network(self):
        """The bootable cluster's network 10.213.N.0/24 (subnet_index; the next N while another
        network overlaps)."""
        first = subnet_index(self.prefix)
        for step in range(BOOT_SUBNETS):
            index = (first - 1 + step) % BOOT_SUBNETS + 1
            proc = run(["docker", "network", "create", "--label", "hatools.lksim=faults", "--subnet",
                        "10.213.%d.0/24" % index, self.boot_network], check=False)
            if proc.returncode == 0:
                self.subnet = index
                return
            if "overlap" not in proc.stdout:
                raise AssertionError("docker network create %s failed:\n%s" % (self.boot_network, proc.stdout))
        raise AssertionError("no free subnet 10.213.N.0/24 for %s" % self.boot_network)

    def fixed_address(self, node):
        return "10.213.%d.%d" % (self.subnet, 10 + self.names.index(node) + 1)

    def run_options(self, node):
        """docker run options of the node's container besides name, hostname, capability and label:
        a bootable node's network, fixed address, restart policy and every node's name in its
        /etc/hosts (docker writes that file anew at each start: an appended line would not last)."""
        if not self.bootable:
            return []
        hosts = ["--add-host=%s:%s" % (name, self.fixed_address(name)) for name in self.names]
        return ["--network", self.boot_network, "--ip", self.fixed_address(node), "--restart", "on-failure"] + hosts

    def node_spec(self, node):
        """The node's entry in the cluster spec (a subclass may give it more addresses)."""
        return {"name": node, "address": self.address(node)}

    def write_hosts(self, nodes):
        """Every node's name resolvable on every node (the vendor's pre-check name_resolution)."""
        if self.bootable:
            return      # docker run --add-host did it (run_options)
        lines = "".join("%s %s\n" % ((entry.get("addresses") or [entry.get("address")])[0], entry["name"])
                        for entry in nodes)
        for node in self.names:
            self.exec(node, "sh", "-c", "cat >> /etc/hosts", stdin=lines)

    def address(self, node):
        return run(["docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                    self.container(node)]).stdout.strip()

    def exec(self, node, *argv, check=True, timeout=120, stdin=None):
        cmd = ["docker", "exec"] + (["-i"] if stdin is not None else []) + [self.container(node)] + list(argv)
        return run(cmd, check=check, timeout=timeout, input=stdin)

    def lksim(self, node, *argv, check=True):
        return self.exec(node, "env", "PYTHONPATH=/usr/lib/lksim", "python3", "-m", "lksim", *argv, check=check)

    # ---- simulator controls -----------------------------------------------------------------
    def knob(self, node, **values):
        self.lksim(node, "knob", "set", "--root", "/", *["%s=%s" % (k, json.dumps(v)) for k, v in values.items()])

    def kill(self, node):
        """Crash the node's LifeKeeper (SIGKILL of its daemon): peers fail over."""
        self.lksim(node, "node", "kill", "--root", "/")

    def start(self, node):
        self.exec(node, "/opt/LifeKeeper/bin/lkstart")

    def cut(self, node):
        """The controller loses its connection to the node (as when ssh cannot reach it), the node
        itself and its LifeKeeper go on: the container is renamed, so that the docker_api
        connection finds no such host and Ansible marks it unreachable. (docker pause would do
        that too, but a frozen node that thaws sees its peers' heartbeats missing and takes
        their hierarchies over: two copies in service, as a real cluster without quorum.)"""
        run(["docker", "rename", self.container(node), self.container(node) + "-cut"])

    def reconnect(self, node):
        run(["docker", "rename", self.container(node) + "-cut", self.container(node)])

    def stop(self, node):
        """The node is down (as a host that lost power): docker stop of its container. Ansible
        finds it unreachable; its peers see its paths DEAD."""
        run(["docker", "stop", "-t", "1", self.container(node)])

    # ---- the machine (bootable clusters) ----------------------------------------------------
    def boots(self, node):
        """The node's boots.jsonl lines (boot and shutdown records of lksim/boot.py), oldest first."""
        text = self.exec(node, "sh", "-c", "cat %s 2>/dev/null || true" % BOOTS_FILE).stdout
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def container_state(self, node):
        """docker's State of the node's container (Status, Running, ExitCode, ...)."""
        return json.loads(run(["docker", "inspect", "-f", "{{json .State}}", self.container(node)]).stdout)

    def restart_count(self, node):
        return int(run(["docker", "inspect", "-f", "{{.RestartCount}}", self.container(node)]).stdout.strip())

    # ---- ground truth -----------------------------------------------------------------------
    def status(self, node):
        return self.exec(node, "/opt/LifeKeeper/bin/lcdstatus", "-q", check=False).stdout

    def rows(self, node):
        """[(tag, state, depth)] of the node's resource rows (lcdstatus -q)."""
        rows = []
        for line in self.status(node).splitlines()[1:]:
            if not line.strip():
                break
            first_end = len(line.split()[0])
            rest = line[first_end:]
            depth = len(rest) - len(rest.lstrip(" ")) - 2
            fields = line.split()
            rows.append((fields[1], fields[3], depth))
        return rows

    def placement(self):
        """{root tag: node} where each hierarchy is in service now (None when nowhere)."""
        where = {}
        for node in self.names:
            for tag, state, depth in self.rows(node):
                if depth == 0:
                    where.setdefault(tag, None)
                    if state in ("ISP", "ISU"):
                        where[tag] = node
        return where

    def states(self, node):
        return dict((tag, state) for tag, state, _depth in self.rows(node))

    def rpm_version(self, node):
        return self.exec(node, "rpm", "-q", "--qf", "%{VERSION}", "steeleye-lk", check=False).stdout.strip()

    def journal_lines(self, path):
        """Every node's JSON-lines journal at path (each line with its time), merged and sorted
        by time."""
        merged = []
        for node in self.names:
            text = self.exec(node, "sh", "-c", "cat %s 2>/dev/null || true" % path).stdout
            merged.extend(json.loads(line) for line in text.splitlines() if line.strip())
        merged.sort(key=lambda entry: entry["time"])
        return merged

    def events(self):
        """Every node's event log, merged and sorted by time."""
        return self.journal_lines("/var/log/lksim/events.jsonl")

    def outages(self, tags=None, since=None):
        """{tag: [(start, end)]} when a hierarchy was in service nowhere (end None = still out)."""
        return lk_events.outages(self.events(), tags=tags, since=since)

    def switchovers(self, tags=None, since=None):
        """[(tag, from node, to node)] of the event logs, in order: which node restored which
        hierarchy (root tags; default: the cluster's) after another held it (never the
        collection's report)."""
        tags = tags if tags is not None else [h["root"] for h in self.hierarchies]
        return [(m["tag"], m["from"], m["to"]) for m in lk_events.switchovers(self.events(), tags, since)]

    def json_file(self, node, path):
        """A JSON file on the node, or None when it is not there."""
        text = self.exec(node, "sh", "-c", "cat %s 2>/dev/null || true" % path).stdout.strip()
        return json.loads(text) if text else None

    def lock(self, node, cluster="lifekeeper"):
        """The cluster lock on the node (lk_lock's file), or None."""
        return self.json_file(node, self.lock_file(cluster))

    @staticmethod
    def lock_file(cluster="lifekeeper"):
        return "/var/lib/hatools-lifekeeper/lock/cluster-%s.lock" % cluster

    def controller_lock(self, cluster="lifekeeper"):
        path = os.path.join(self.artifacts, "locks", "cluster-%s.lock" % cluster)
        if not os.path.exists(path):
            return None
        with open(path) as handle:
            return json.load(handle)

    def cluster_record(self, run_id, cluster="lifekeeper"):
        """The record the run kept of the cluster's flow on the controller (lk_cluster_record), or None."""
        path = os.path.join(self.artifacts, run_id, "clusters", "%s.json" % cluster)
        if not os.path.exists(path):
            return None
        with open(path) as handle:
            return json.load(handle)

    def commands(self):
        """Every node's commands journal (the product commands it ran), merged and sorted by time."""
        return self.journal_lines("/var/log/lksim/commands.jsonl")

    def progress(self, node):
        return self.json_file(node, PROGRESS_FILE)

    def wait_on_node(self, node, timeout, what, *condition):
        """Wait on the node itself until the command condition exits 0 (polled there every 0.2 s);
        fail naming what was awaited after timeout seconds."""
        proc = self.exec(node, "sh", "-c", NODE_WAIT, "sh", str(int(timeout)), *condition, check=False,
                         timeout=timeout + 60)
        if proc.returncode != 0:
            raise AssertionError("timed out after %ss waiting for %s on %s: %s"
                                 % (timeout, what, node, proc.stdout[-2000:]))

    def wait_json(self, node, path, key, value, timeout, what, differs=False):
        """Wait until the node's JSON file at path has key equal to value (differs: not equal)."""
        self.wait_on_node(node, timeout, what, "python3", "-c", JSON_HAS, path, ("!" if differs else "") + key,
                          json.dumps(value))

    def wait_output(self, node, argv, text, timeout, what):
        """Wait until the output of argv on the node contains text."""
        self.wait_on_node(node, timeout, what, "sh", "-c", OUTPUT_HAS, "sh", text, *argv)

    def wait_progress(self, node, key, value, timeout, what, differs=False):
        """Wait on the collection's progress record of the node (see progress())."""
        self.wait_json(node, PROGRESS_FILE, key, value, timeout, what, differs)

    def wait_dead_path(self, node, timeout, what):
        """Wait until the node sees a communication path DEAD (lcdstatus -q)."""
        self.wait_output(node, ["/opt/LifeKeeper/bin/lcdstatus", "-q"], "DEAD", timeout, what)

    def wait_healthy(self, timeout=60):
        """Every node ready, every path ALIVE, no mirror resynchronising: awaited on each node in
        turn, then checked once more on every node (all healthy at the same time)."""
        deadline = time.time() + timeout
        for node in self.names:
            self.wait_on_node(node, max(1, int(deadline - time.time())), "the cluster to be healthy (ready, paths "
                              "ALIVE, mirrors in sync)", "sh", "-c", NODE_HEALTHY)
        problems = [(node, self._unhealthy(node)) for node in self.names]
        problems = ["%s: %s" % (node, why) for node, why in problems if why]
        if problems:
            raise AssertionError("cluster not healthy after %ss: %s" % (timeout, problems))

    def _unhealthy(self, node):
        """What keeps the node from being healthy now ('' when it is)."""
        proc = self.exec(node, "sh", "-c", NODE_HEALTHY, check=False)
        return proc.stdout.strip() if proc.returncode else ""

    # ---- the collection ---------------------------------------------------------------------
    def write_inventory(self):
        hosts = dict((self.container(n), {"lksim_node_name": n}) for n in self.names)
        inventory = {"lifekeeper": {"hosts": hosts, "vars": {
            "ansible_connection": self.connection,
            "ansible_python_interpreter": "/usr/bin/python3"}}}
        with open(self.inventory, "w") as handle:
            json.dump(inventory, handle)

    def playbook(self, name, extra_vars=None, check=False, timeout=900, background=False, extra_env=None):
        """Run playbooks/<name> against the cluster. Returns the CompletedProcess (or Popen).
        extra_env: more environment for ansible-playbook (the bench's callback)."""
        # the simulated Generic ARK scripts run under any Perl: accepted, as an operator would after
        # checking them (tests/faults/test_preflight_checks.py runs without it)
        variables = {"lk_report_file": self.report_file, "lk_artifacts_dir": self.artifacts,
                     "lk_media_access": "extract", "lk_accept_perl_change": True,
                     # the configuration each node's operator saved from the 9.x setup menu (lksim)
                     "lk_setup_config_file": SAVED_SETUP_CONFIG}
        variables.update(extra_vars or {})
        # one file per run: runs started side by side must not read each other's variables
        handle_fd, vars_file = tempfile.mkstemp(prefix="extra-vars-", suffix=".json", dir=self.workdir)
        with os.fdopen(handle_fd, "w") as handle:
            json.dump(variables, handle)
        argv = [os.path.join(VENV_BIN, "ansible-playbook"), "-i", self.inventory,
                os.path.join(REPO, "playbooks", name), "-e", "@" + vars_file]
        if check:
            argv.append("--check")
        env = dict(self.ansible_env(), **(extra_env or {}))
        log = open(os.path.join(self.workdir, "playbook-%s.log" % int(time.time() * 1000)), "w")
        if background:
            # its own process group: a test can kill the whole controller (os.killpg) without pytest
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.workdir,
                                    universal_newlines=True, start_new_session=True)
            proc.log_path = log.name      # its output, once it ended
            return proc
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=self.workdir,
                              universal_newlines=True, timeout=timeout, check=False)
        log.write(proc.stdout)
        log.close()
        return proc

    @staticmethod
    def ansible_env():
        """The environment ansible-playbook runs in (the pinned venv first on PATH)."""
        return dict(os.environ, PYTHONUNBUFFERED="1",
                    ANSIBLE_COLLECTIONS_PATH=os.path.join(CACHE, "collections"),
                    ANSIBLE_HOME=os.path.join(CACHE, "ansible"),
                    ANSIBLE_CONFIG=os.path.join(REPO, "tests", "ansible.cfg"),
                    ANSIBLE_PIPELINING="true", ANSIBLE_FORCE_COLOR="false", ANSIBLE_NOCOLOR="1",
                    ANSIBLE_HOST_KEY_CHECKING="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])

    def shell(self, command, timeout=900):
        """Run a command line as an operator pastes it into a shell (a resume from a final message)."""
        proc = subprocess.run(["bash", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=self.ansible_env(), cwd=self.workdir, universal_newlines=True, timeout=timeout,
                              check=False)
        with open(os.path.join(self.workdir, "playbook-%s.log" % int(time.time() * 1000)), "w") as log:
            log.write(proc.stdout)
        return proc

    def report(self):
        with open(self.report_file) as handle:
            return json.load(handle)

    def remove_report(self):
        """No report of an earlier run left: the next run's must be its own."""
        for path in report_files(self.report_file):
            if os.path.exists(path):
                os.remove(path)

    def refused(self, extra_vars, refused=REFUSED):
        """Run the rolling update expecting pre-flight to refuse it, and check from the nodes
        that nothing changed: no state change in the event logs, the same versions and
        placement, no backup on a node, no artifacts of the run. Returns (output, problems):
        problems are the REFUSED lines of the printed plans (one per problem found)."""
        versions = dict((node, self.rpm_version(node)) for node in self.names)
        placement = self.placement()
        events_before = len(self.events())
        result = self.playbook("rolling_update.yml", extra_vars)
        output = result.stdout
        assert result.returncode != 0, output[-3000:]
        assert refused in output, output[-3000:]
        assert "Stage 2" not in output, "the run went past pre-flight:\n" + output[-3000:]
        assert len(self.events()) == events_before, self.events()[events_before:]
        assert dict((node, self.rpm_version(node)) for node in self.names) == versions
        assert self.placement() == placement
        for node in self.names:
            assert self.exec(node, "test", "-e", "/var/lib/hatools-lifekeeper", check=False).returncode != 0, \
                "%s: a backup was made" % node
        run_dir = os.path.join(self.artifacts, str(extra_vars.get("lk_run_id", "")))
        assert not extra_vars.get("lk_run_id") or not os.path.exists(run_dir), os.listdir(run_dir)
        problems = sorted(set(line.split("REFUSED: ", 1)[1].strip().rstrip('",')
                              for line in output.splitlines() if "REFUSED: " in line))
        return output, problems


def report_files(report_file):
    """The report and its two views beside it (the JSON file's name with .md and .html)."""
    base = report_file[:-len(".json")] if report_file.endswith(".json") else report_file
    return report_file, base + ".md", base + ".html"


def report_views(report_file, result):
    """Every ending writes the report with its Markdown summary and its HTML page (issue 20):
    the three files exist and say the run's result. Returns (report, markdown, html)."""
    paths = report_files(report_file)
    missing = [path for path in paths if not os.path.isfile(path)]
    assert not missing, "not written: %s" % missing
    texts = []
    for path in paths:
        with open(path) as handle:
            texts.append(handle.read())
    report = json.loads(texts[0])
    assert report["result"] == result, report
    assert "# LifeKeeper " in texts[1] and result.upper() in texts[1].splitlines()[0], texts[1][:500]
    assert '<body data-result="%s">' % result in texts[2], texts[2][:2000]
    assert "None" not in texts[1] and "None" not in texts[2], texts[2]
    return report, texts[1], texts[2]


class TwoPathCluster(Cluster):
    """Every node on two docker networks: two communication paths between each pair."""

    def __init__(self, prefix, **kwargs):
        super(TwoPathCluster, self).__init__(prefix, **kwargs)
        self.network = prefix + "-path2"

    def down(self, keep_logs=False):
        super(TwoPathCluster, self).down(keep_logs=keep_logs)
        subprocess.run(["docker", "network", "rm", self.network], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)

    def network_address(self, node, network):
        return run(["docker", "inspect", "-f", '{{(index .NetworkSettings.Networks "%s").IPAddress}}' % network,
                    self.container(node)]).stdout.strip()

    def address(self, node):
        return self.network_address(node, "bridge")

    def node_spec(self, node):
        """Called by up() once the containers run (down() removed any old network)."""
        if node == self.names[0]:
            run(["docker", "network", "create", "--label", "hatools.lksim=faults", self.network])
        run(["docker", "network", "connect", self.network, self.container(node)])
        return {"name": node, "addresses": [self.address(node), self.network_address(node, self.network)]}

    def cut_second_path(self, node):
        """Take the node off the second network: that path goes DEAD, the first stays ALIVE."""
        address = self.network_address(node, self.network)
        run(["docker", "network", "disconnect", self.network, self.container(node)])
        return address
