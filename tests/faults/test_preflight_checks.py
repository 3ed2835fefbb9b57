"""Issue 10, section 1: the vendor's pre-flight checks refuse the run before any change.

One shared docker cluster (two nodes, two communication paths between them) for every case:
each case breaks one thing the update guides ask an administrator to check, runs the rolling
update, and expects it refused in pre-flight naming the check, the node and the value seen;
then puts the cluster back. Ground truth that nothing changed (no state change in the event
logs, the same versions and placement, no backup on a node, no artifacts):
harness.Cluster.refused. 32-bit is produced with the kernel's personality (setarch i686:
uname -m answers i686 in the modules of that node); the unit tests also cover it with
recorded lk_host_info output. The 8.x cases (SELinux, licence keys from 8.1.x) run after the
nodes are provisioned again at 8.1.2. Issue 17: the DataKeeper sync port (the simulator's
target listener blocked by a knob), a multipath kit without sg3_utils (an empty
steeleye-lkDMMP rpm installed), a kernel outside lk_supported_kernels, and the system log
beside the support bundles.
"""
import json
import os
import re
import tempfile

import pytest

from harness import TwoPathCluster, custom_stats, run, wait_for

TARGET = {"lk_target_version": "9.9.0", "lk_media": "/srv/LKL_V9.9.0_010126.iso", "lk_confirm": "true",
          "lk_preflight_mirror_timeout": 10}
V8_TARGET = {"lk_target_version": "8.3.0", "lk_media": "/srv/LKL_V8.3.0_010126.iso", "lk_confirm": "true",
             "lk_preflight_mirror_timeout": 10}
DEFAULTS = "/etc/default/LifeKeeper"
KEY = "/root/lk-keys/cluster.lic"


@pytest.fixture(scope="module")
def cluster(request):
    """Two nodes at 9.7.0, app-web (a Generic ARK resource over an IP and a mirror) on node1,
    two paths between them; media of 9.9.0 and 8.3.0 on both. Each case puts it back."""
    made = TwoPathCluster("lkf-checks", version="9.7.0", media=("9.9.0", "8.3.0"))
    request.addfinalizer(made.down)
    return made.up()


def _only(problems, check):
    """The one problem of the run, which must be the failed check."""
    assert len(problems) == 1 and problems[0].startswith("pre-flight check %s failed: " % check), problems
    return problems[0]


def _run(cluster, run_id, target=None, **more):
    extra = dict(target or TARGET, lk_run_id=run_id)
    extra.update(more)
    return cluster.refused(extra)


def _healthy(cluster):
    cluster.wait_healthy()
    assert cluster.placement() == {"app-web": "node1"}


# ---- 9.7.0 -> 9.9.0 ---------------------------------------------------------------------------

def test_perl_crossing_needs_the_operators_word(cluster):
    c = cluster.container
    dummy, problems = _run(cluster, "check-perl", lk_accept_perl_change=False)
    problem = _only(problems, "perl_crossing")
    for node in ("node1", "node2"):
        assert "%s: crossing 9.8.0 changes the bundled Perl from 5.8.8 to 5.32.1, used by the scripts of the Generic " \
               "ARK resources app-web" % c(node) in problem, problem
    assert "(seen: 9.7.0 -> 9.9.0; Generic ARK (gen/app): app-web)" in problem
    assert "lk_accept_perl_change=true" in problem


def test_heartbeat_settings_must_be_identical(cluster):
    c = cluster.container
    cluster.exec("node2", "sed", "-i", "s/^LCMHBEATTIME=.*/LCMHBEATTIME=2/", DEFAULTS)
    try:
        dummy, problems = _run(cluster, "check-heartbeat")
    finally:
        cluster.exec("node2", "sed", "-i", "s/^LCMHBEATTIME=.*/LCMHBEATTIME=1/", DEFAULTS)
    problem = _only(problems, "heartbeat_settings")
    assert "LCMHBEATTIME is 1 on %s, 2 on %s" % (c("node1"), c("node2")) in problem, problem
    assert "(seen: LCMPORT=7365 LCMHBEATTIME=2 LCMNUMHBEATS=5)" in problem


def test_a_peer_name_that_does_not_resolve(cluster):
    hosts = cluster.exec("node1", "cat", "/etc/hosts").stdout
    # docker writes its entries with tabs, the provisioning with spaces: compare the names
    kept = "".join(line + "\n" for line in hosts.splitlines() if "node2" not in line.split()[1:])
    assert kept != hosts, hosts
    # and docker's DNS (the clusters' own networks) answers for the containers' aliases: files only
    nsswitch = cluster.exec("node1", "cat", "/etc/nsswitch.conf").stdout
    files_only = "".join(("hosts: files\n" if line.startswith("hosts:") else line + "\n") for line in nsswitch.splitlines())
    cluster.exec("node1", "sh", "-c", "cat > /etc/hosts", stdin=kept)
    cluster.exec("node1", "sh", "-c", "cat > /etc/nsswitch.conf", stdin=files_only)
    try:
        dummy, problems = _run(cluster, "check-names")
    finally:
        cluster.exec("node1", "sh", "-c", "cat > /etc/hosts", stdin=hosts)
        cluster.exec("node1", "sh", "-c", "cat > /etc/nsswitch.conf", stdin=nsswitch)
    problem = _only(problems, "name_resolution")
    assert problem.startswith("pre-flight check name_resolution failed: %s: node2 does not resolve ("
                              % cluster.container("node1")), problem
    assert "(seen: node2=(none), localhost=127.0.0.1" in problem


def test_a_blocked_lcm_port(cluster):
    """node2's LifeKeeper refuses node1's second address (knob lcm_refuse_from, a firewall
    between the two path addresses): that path goes DEAD on both nodes, nothing fails over."""
    c = cluster.container
    blocked = cluster.network_address("node1", cluster.network)
    cluster.knob("node2", lcm_refuse_from=[blocked])
    try:
        for node in cluster.names:
            cluster.wait_dead_path(node, 30, "the second path to go DEAD")
        assert cluster.placement() == {"app-web": "node1"}
        dummy, problems = _run(cluster, "check-lcm-port")
    finally:
        cluster.knob("node2", lcm_refuse_from=[])
    lcm = [p for p in problems if p.startswith("pre-flight check lcm_port failed: ")]
    assert len(lcm) == 1, problems
    assert "%s: the path to node2 over %s/" % (c("node1"), blocked) in lcm[0]
    assert "%s: the path to node1 over " % c("node2") in lcm[0] and "/%s is DEAD" % blocked in lcm[0]
    # and the health check names the DEAD paths themselves
    assert sorted(p.split(": communication path", 1)[0] for p in problems if ": communication path" in p) == [
        c("node1"), c("node2")], problems
    _healthy(cluster)


def _status(cluster, monkeypatch, check=False):
    """status.yml (the health check) on the cluster: (rc, output, lifekeeper_health); it
    changed nothing (no state change in the event logs, the same versions and placement, no
    file of the collection on a node)."""
    monkeypatch.setenv("ANSIBLE_SHOW_CUSTOM_STATS", "1")
    versions = dict((node, cluster.rpm_version(node)) for node in cluster.names)
    placement = cluster.placement()
    events_before = len(cluster.events())
    result = cluster.playbook("status.yml", check=check)
    assert len(cluster.events()) == events_before, cluster.events()[events_before:]
    assert dict((node, cluster.rpm_version(node)) for node in cluster.names) == versions
    assert cluster.placement() == placement
    for node in cluster.names:      # nothing written on a node: not even the lock directory
        assert cluster.exec(node, "test", "-e", "/var/lib/hatools-lifekeeper", check=False).returncode != 0, node
    return result.returncode, result.stdout, custom_stats(result.stdout)["lifekeeper_health"]


MIRROR_STATUS = ["/opt/LifeKeeper/bin/mirror_status", "datarep-data"]


def _mirror(cluster, node):
    return cluster.exec(node, *MIRROR_STATUS).stdout


def test_status_is_a_health_check(cluster, monkeypatch):
    """Issue 20: status.yml passes on the healthy cluster (under --check), fails on a DEAD path (knob
    lcm_refuse_from) and on a mirror stuck resynchronising (knob resync_never_ends after a full
    resync), naming each, and publishes lifekeeper_health every time."""
    c = cluster.container
    _healthy(cluster)
    rc, out, health = _status(cluster, monkeypatch, check=True)      # --check: the same reads, the same answer
    assert rc == 0, out[-4000:]
    assert health["healthy"] is True and health["clusters"]["lifekeeper"]["problems"] == [], health
    assert sorted(health["clusters"]["lifekeeper"]["nodes"]) == [c("node1"), c("node2")]

    blocked = cluster.network_address("node1", cluster.network)
    cluster.knob("node2", lcm_refuse_from=[blocked])
    try:
        for node in cluster.names:
            cluster.wait_dead_path(node, 30, "the second path to go DEAD")
        rc, out, health = _status(cluster, monkeypatch)
    finally:
        cluster.knob("node2", lcm_refuse_from=[])
    assert rc != 0, out[-4000:]
    problems = health["clusters"]["lifekeeper"]["problems"]
    assert health["healthy"] is False and health["unhealthy"] == ["lifekeeper"], health
    dead = sorted(p for p in problems if p.endswith(" is DEAD"))
    assert len(dead) == 2 and dead[0].startswith("%s: communication path to node2 (" % c("node1")), problems
    assert dead[1].startswith("%s: communication path to node1 (" % c("node2")) and blocked in dead[1], problems
    assert "LifeKeeper health check failed: 1 of 1 cluster(s) not healthy (lifekeeper)" in out, out[-4000:]
    assert "  - %s" % dead[0] in out, out[-4000:]
    _healthy(cluster)

    cluster.knob("node2", resync_never_ends=True)
    try:
        cluster.exec("node1", "/opt/LifeKeeper/bin/mirror_action", "datarep-data", "fullresync")
        cluster.wait_output("node1", MIRROR_STATUS, "99%", 20, "the resync to stall at 99%")
        assert "Resyncing" in _mirror(cluster, "node1")
        rc, out, health = _status(cluster, monkeypatch)
    finally:
        cluster.knob("node2", resync_never_ends=False)
        cluster.exec("node1", "/opt/LifeKeeper/bin/mirror_action", "datarep-data", "force")
    assert rc != 0, out[-4000:]
    assert health["clusters"]["lifekeeper"]["problems"] == [
        "%s: mirror datarep-data (source node1) is not in sync: node2 Resyncing 99%%" % c("node1")], health
    _healthy(cluster)


def test_no_room_for_the_media_extraction(cluster):
    cluster.exec("node2", "mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", "/tmp")
    try:
        dummy, problems = _run(cluster, "check-disk", lk_media_access="extract")
    finally:
        cluster.exec("node2", "umount", "/tmp")
    problem = _only(problems, "disk_space")
    # 64 MiB less what Ansible's own temporary files take there during the run
    assert re.search(r"%s: /tmp has 6[0-4] MiB free, needs 25" % cluster.container("node2"), problem), problem


def test_32_bit(cluster):
    """node2's modules run under the i686 personality (uname -m: i686)."""
    c = cluster.container
    cluster.exec("node2", "sh", "-c", "printf '#!/bin/sh\\nexec setarch i686 /usr/bin/python3 \"$@\"\\n' "
                                      "> /usr/local/bin/python32 && chmod 755 /usr/local/bin/python32")
    assert cluster.exec("node2", "/usr/local/bin/python32", "-c", "import os; print(os.uname()[4])").stdout.strip() \
        == "i686"
    inventory = cluster.inventory
    with open(inventory) as handle:
        data = json.load(handle)
    data["lifekeeper"]["hosts"][c("node2")]["ansible_python_interpreter"] = "/usr/local/bin/python32"
    cluster.inventory = os.path.join(cluster.workdir, "inventory-32bit.json")
    with open(cluster.inventory, "w") as handle:
        json.dump(data, handle)
    try:
        dummy, problems = _run(cluster, "check-arch")
    finally:
        cluster.inventory = inventory
    problem = _only(problems, "arch")
    assert problem == "pre-flight check arch failed: %s: LifeKeeper supports 64-bit systems only since 8.2 " \
                      "(seen: i686 (32-bit))" % c("node2"), problem


def test_a_skipped_check_is_listed_and_does_not_refuse(cluster):
    """The same failing checks, skipped by name: listed as skipped with what was seen; the
    run goes on to the confirmation (refused there: lk_confirm false), changing nothing."""
    cluster.exec("node2", "sed", "-i", "s/^LCMHBEATTIME=.*/LCMHBEATTIME=2/", DEFAULTS)
    try:
        output, problems = cluster.refused(dict(TARGET, lk_run_id="check-skip", lk_confirm="false",
                                                lk_accept_perl_change=False,
                                                lk_preflight_skip=["perl_crossing", "heartbeat_settings"]),
                                           refused="lk_confirm is 'false': nothing was changed")
    finally:
        cluster.exec("node2", "sed", "-i", "s/^LCMHBEATTIME=.*/LCMHBEATTIME=1/", DEFAULTS)
    assert problems == []
    assert "heartbeat_settings %s SKIPPED LCMPORT=7365 LCMHBEATTIME=2" % cluster.container("node2") in \
        " ".join(output.split()), output[-4000:]
    assert "skipped by lk_preflight_skip (evaluated: fail, crossing 9.8.0" in " ".join(output.split())


def test_a_blocked_datakeeper_sync_port(cluster):
    """node2, the target of datarep-data (in service on node1), rejects its sync port (knob
    sync_port_blocked): the source node1 cannot reach it on 10001 + 0 + 256 x i."""
    c = cluster.container
    listening = "ss -Htln 'sport = :10001' | grep -c LISTEN || true"
    assert cluster.exec("node2", "sh", "-c", listening).stdout.strip() != "0"
    cluster.knob("node2", sync_port_blocked=["datarep-data"])
    try:
        wait_for(lambda: cluster.exec("node2", "sh", "-c", listening).stdout.strip() == "0", 10,
                 "node2 to stop listening on 10001")
        dummy, problems = _run(cluster, "check-sync-port", lk_mirror_numbers={"datarep-data": 0})
    finally:
        cluster.knob("node2", sync_port_blocked=[])
    problem = _only(problems, "datakeeper_ports")
    assert "%s: mirror datarep-data: the target node2 does not answer %s on its sync port 10001 + 0 + 256 x i (tried " \
           "10001, 10257, 10513, 10769 on " % (c("node1"), c("node1")) in problem, problem
    # over both communication paths to node2
    tried = problem.split("10769 on ", 1)[1].split(":", 1)[0]
    assert sorted(tried.split(", ")) == sorted([cluster.address("node2"), cluster.network_address("node2", cluster.network)])
    assert ": Connection refused)" in problem
    assert "(seen: mirror datarep-data -> node2 no answer)" in problem


def _empty_rpm(name, version, workdir):
    """An empty noarch rpm NAME-VERSION-1 built on the host (rpmbuild, as the media are)."""
    top = tempfile.mkdtemp(dir=workdir)
    spec = os.path.join(top, "%s.spec" % name)
    with open(spec, "w") as handle:
        handle.write("Name: %s\nVersion: %s\nRelease: 1\nSummary: test kit\nLicense: GPL\nBuildArch: noarch\n"
                     "%%description\ntest kit\n%%files\n" % (name, version))
    run(["rpmbuild", "-bb", "--define", "_topdir %s" % top, spec])
    return os.path.join(top, "RPMS", "noarch", "%s-%s-1.noarch.rpm" % (name, version))


def test_a_multipath_kit_without_sg3_utils(cluster):
    c = cluster.container
    kit = _empty_rpm("steeleye-lkDMMP", "9.7.0", cluster.workdir)
    run(["docker", "cp", kit, "%s:/tmp/kit.rpm" % c("node1")])
    cluster.exec("node1", "rpm", "-i", "--nodeps", "/tmp/kit.rpm")
    try:
        assert cluster.exec("node1", "rpm", "-q", "sg3_utils", check=False).returncode != 0
        dummy, problems = _run(cluster, "check-sg3")
    finally:
        cluster.exec("node1", "rpm", "-e", "steeleye-lkDMMP")
    assert _only(problems, "multipath_sg3_utils") == (
        "pre-flight check multipath_sg3_utils failed: %s: the multipath recovery kit Device Mapper Multipath (DMMP) "
        "(steeleye-lkDMMP) needs the package sg3_utils (v8.4.1 guide, required packages): install it (seen: Device "
        "Mapper Multipath (DMMP) (steeleye-lkDMMP); sg3_utils not installed)" % c("node1"))


def test_a_kernel_outside_the_supported_list(cluster):
    c = cluster.container
    kernel = cluster.exec("node1", "uname", "-r").stdout.strip()
    dummy, problems = _run(cluster, "check-kernel", lk_supported_kernels=["2.6.32-*.el6.x86_64"])
    problem = _only(problems, "kernel")
    for node in ("node1", "node2"):
        assert "%s: kernel %s matches none of lk_supported_kernels (2.6.32-*.el6.x86_64); the release notes of " \
               "LifeKeeper 9.9.0 list the supported distributions and kernels" % (c(node), kernel) in problem, problem
    assert "(seen: Debian GNU/Linux 12 (bookworm), kernel %s)" % kernel in problem


def test_support_data_from_every_node_takes_the_system_log(cluster):
    """The support role's all_nodes entry (what the rescue runs after a failure): node1 has a
    /var/log/messages, node2 neither that nor journalctl (minimal container)."""
    c = cluster.container
    marker = "Dec  6 09:01:03 node1 kernel: nbd0: Receive control failed (result -32) lkf-checks-marker\n"
    cluster.exec("node1", "sh", "-c", "cat > /var/log/messages", stdin=marker)
    playbook = os.path.join(cluster.workdir, "support-all-nodes.yml")
    with open(playbook, "w") as handle:
        handle.write(SUPPORT_ALL_NODES)
    try:
        proc = cluster.playbook(playbook, {"lk_run_id": "check-support"})
        assert proc.returncode == 0, proc.stdout[-4000:]
        on_node = cluster.exec("node1", "sh", "-c", "cat /var/lib/hatools-lifekeeper/support/lk_support.*/messages").stdout
        assert on_node == marker
        assert sorted(cluster.exec("node2", "sh", "-c", "ls /var/lib/hatools-lifekeeper/support/lk_support.*/").stdout.split()) \
            == sorted(os.listdir(os.path.join(cluster.artifacts, "check-support", c("node2"))))
    finally:
        for node in cluster.names:
            cluster.exec(node, "rm", "-rf", "/var/lib/hatools-lifekeeper", "/var/log/messages")
    folder = os.path.join(cluster.artifacts, "check-support")
    with open(os.path.join(folder, c("node1"), "messages")) as handle:
        assert handle.read() == marker
    assert oct(os.stat(os.path.join(folder, c("node1"), "messages")).st_mode & 0o777) == "0o600"
    node2 = sorted(os.listdir(os.path.join(folder, c("node2"))))
    assert len(node2) == 1 and re.match(r"node2\.lksupport\.\d{14}\.tar\.gz$", node2[0]), node2
    assert "no system log beside the bundle: neither /var/log/messages nor journalctl on this node" in \
        " ".join(proc.stdout.split())


SUPPORT_ALL_NODES = """---
- name: Support data from every node, as the rescue collects it
  hosts: lifekeeper
  gather_facts: false
  roles:
    - role: hatools.lifekeeper.defaults
  tasks:
    - name: Name this run
      ansible.builtin.include_role:
        name: hatools.lifekeeper.run
    - name: Support bundles and system logs from every node
      ansible.builtin.include_role:
        name: hatools.lifekeeper.support
        tasks_from: all_nodes.yml
      run_once: true
      vars:
        lk_cluster_hosts: "{{ ansible_play_hosts_all }}"
"""


@pytest.mark.parametrize("case, extra, says", [
    ("unknown check name", {"lk_preflight_skip": ["selinx"]},
     "lk_preflight_skip names unknown check(s) 'selinx'; the checks are: selinux, name_resolution, lcm_port, "),
    ("hook file missing", {"lk_hook_after_update": "/nowhere/hook.yml"},
     "lk_hook_after_update is '/nowhere/hook.yml': no such file /nowhere/hook.yml"),
    ("hop above the target", {"lk_media_hops": [{"version": "9.9.1", "media": "/srv/x.iso"}]},
     "lk_media_hops[0].version is 9.9.1: every hop must be below the target 9.9.0"),
    ("hop media missing", {"lk_media_hops": [{"version": "9.8.0", "media": "/srv/LKL_V9.8.0_010126.iso"}]},
     "/srv/LKL_V9.8.0_010126.iso"),
    ("9.x setup without the saved configuration", {"lk_setup_config_file": ""},
     "setup of 9.9.0 needs lk_setup_config_file: the path on the nodes of the setup configuration file saved"),
    ("mirror number out of range", {"lk_mirror_numbers": {"datarep-data": 300}},
     "lk_mirror_numbers[datarep-data] is 300: a mirror number is a whole number from 0 to 255"),
    ("empty kernel pattern", {"lk_supported_kernels": [""]},
     "lk_supported_kernels has '': each entry is a kernel release (uname -r) or a pattern with * and ?"),
])
def test_bad_input_of_the_new_options_is_refused(cluster, case, extra, says):
    output, dummy = cluster.refused(dict(TARGET, lk_run_id="check-input", **extra), refused=says)
    assert says in " ".join(output.split()) or says in output, "%s:\n%s" % (case, output[-3000:])


# ---- 8.1.2 -> 8.3.0 (the nodes provisioned again) ----------------------------------------------

def _provision(cluster, version):
    """Every node stopped, initialised again at version (same spec: app-web on node1), started."""
    for node in cluster.names:
        cluster.exec(node, "/opt/LifeKeeper/bin/lkstop")
    for node in cluster.names:
        cluster.lksim(node, "node", "init", "--root", "/", "--name", node, "--spec", "/etc/lksim-cluster.json",
                      "--version", version)
    for node in cluster.names:
        cluster.exec(node, "/opt/LifeKeeper/bin/lkstart")
    _healthy(cluster)
    assert [cluster.rpm_version(node) for node in cluster.names] == [version, version]


@pytest.fixture(scope="module")
def cluster_81(cluster):
    """The shared cluster at 8.1.2, a licence key file on both nodes."""
    _provision(cluster, "8.1.2")
    for node in cluster.names:
        cluster.exec(node, "sh", "-c", "mkdir -p /root/lk-keys && echo LKLIC > %s" % KEY)
    return cluster


def test_an_update_from_8_1_needs_licence_keys(cluster_81):
    c = cluster_81.container
    dummy, problems = _run(cluster_81, "check-licence", V8_TARGET)
    problem = _only(problems, "licence")
    assert "%s: an update from 8.1.x needs new licence keys" % c("node1") in problem and c("node2") in problem
    assert "(seen: 8.1.2 -> 8.3.0; lk_license_files: none)" in problem
    # given, but missing on node2
    cluster_81.exec("node2", "mv", KEY, KEY + ".away")
    try:
        dummy, problems = _run(cluster_81, "check-licence-missing", V8_TARGET, lk_license_files=[KEY])
    finally:
        cluster_81.exec("node2", "mv", KEY + ".away", KEY)
    assert _only(problems, "licence") == "pre-flight check licence failed: %s: not on this node: %s (seen: 8.1.2 " \
                                         "-> 8.3.0; lk_license_files: %s)" % (c("node2"), KEY, KEY)


def test_selinux_must_be_disabled_for_8x(cluster_81):
    cluster_81.exec("node1", "sh", "-c", "mkdir -p /etc/selinux && printf 'SELINUX=permissive\\nSELINUXTYPE=targeted\\n' "
                                         "> /etc/selinux/config")
    try:
        dummy, problems = _run(cluster_81, "check-selinux", V8_TARGET, lk_license_files=[KEY])
    finally:
        cluster_81.exec("node1", "rm", "-rf", "/etc/selinux")
    problem = _only(problems, "selinux")
    assert problem.startswith("pre-flight check selinux failed: %s: LifeKeeper 8.3.0 requires SELinux disabled"
                              % cluster_81.container("node1")), problem
    assert problem.endswith("(seen: permissive)")
