"""Issue 21: the rolling OS maintenance when a node does not come back after its reboot.

Two bootable nodes (each container's PID 1 is the simulator's init: a reboot restarts the
container), app-web with its mirror in service on node1. A check-mode run plans it and changes
nothing. The run maintains node2 first (it holds nothing; the collection's own maintenance: no
package, reboot always; its LifeKeeper is not enabled at boot, so the run starts it), then empties
node1 and reboots it, and node1 does not come back (knob reboot_stays_down: its container
stays Exited). The cluster is rescued: app-web stays in service on node2, the run fails and
the report names node1 and the step; powered on by hand, node1 comes back holding nothing.
Ground truth: docker's container state, the simulator's boots, events and lcdstatus.
"""
import time

from harness import run

WEB = ["app-web", "ip-10.0.0.50", "datarep-data"]
BOOT_ID = "cat /var/lib/lksim/boot_id"


def boots(cluster, node):
    return [entry for entry in cluster.boots(node) if entry["event"] == "boot"]


def test_a_node_that_does_not_come_back_is_rescued(make_cluster):
    cluster = make_cluster(bootable=True, media=())
    cluster.knob("node1", reboot_stays_down=True)
    # node2's LifeKeeper is not enabled at boot: the run waits lk_maintenance_boot_start_timeout, then starts it
    cluster.knob("node2", boot_start=False)
    # --check: the plan (node2 first, node1 last; app-web there and back), nothing changes
    events = len(cluster.events())
    planned = cluster.playbook("rolling_maintenance.yml", {"lk_maintenance_reboot": "always"}, check=True)
    assert planned.returncode == 0, planned.stdout[-4000:]
    assert "LifeKeeper maintenance: 2 node(s), 2 switchover(s) expected" in planned.stdout, planned.stdout[-4000:]
    assert "1. %s (node2): maintain 9.7.0 -> 9.7.0 [maintenance]" % cluster.container("node2") in planned.stdout
    assert cluster.report()["result"] == "planned" and cluster.report()["operation"] == "maintenance"
    assert len(cluster.events()) == events and [len(boots(cluster, node)) for node in cluster.names] == [1, 1]
    started = time.time()
    proc = cluster.playbook("rolling_maintenance.yml", {
        "lk_confirm": "true", "lk_run_id": "maintain-down", "lk_maintenance_packages": [],
        "lk_maintenance_reboot": "always", "lk_maintenance_reboot_timeout": "15",
        "lk_maintenance_boot_time_command": BOOT_ID, "lk_maintenance_boot_start_timeout": "5",
        "lk_rescue_timeout": 60, "lk_command_timeout": 10})
    output = proc.stdout
    assert proc.returncode != 0, output[-4000:]
    # node1 went down for its reboot and stayed down; app-web is in service on node2 alone
    state = cluster.container_state("node1")
    assert (state["Status"], state["ExitCode"]) == ("exited", 0), state
    assert cluster.states("node2") == dict.fromkeys(WEB, "ISP"), cluster.status("node2")
    # node2 was maintained first: rebooted once - its LifeKeeper stopped by the shutdown, not started at
    # boot (not enabled), started by the run (the command journal) and running now
    assert [entry["lifekeeper_started"] for entry in boots(cluster, "node2")] == [False, False]
    assert cluster.exec("node2", "/opt/LifeKeeper/bin/lktest", check=False).returncode == 0
    assert [(entry["lifekeeper_was_running"], entry["lifekeeper_stop_rc"]) for entry in cluster.boots("node2")
            if entry["event"] == "shutdown"] == [(True, 0)]
    assert cluster.restart_count("node2") == 1
    report = cluster.report()
    assert report["result"] == "failed" and report["operation"] == "maintenance", report
    assert any(note.startswith("%s: LifeKeeper did not start by itself within 5 s of the boot" % cluster.container("node2"))
               for note in report["notes"]), report["notes"]
    assert cluster.container("node1") in report["failure"] and "maintain" in report["failure"], report["failure"]
    # powered on by hand (the knob holds for one boot), node1 comes back and takes nothing
    run(["docker", "start", cluster.container("node1")])
    cluster.wait_healthy(90)
    assert cluster.placement() == {"app-web": "node2"}
    # node2's LifeKeeper after its reboot: started by the run's own start command
    rebooted = boots(cluster, "node2")[1]["time"]
    assert [entry["argv"][:2] for entry in cluster.commands() if entry["node"] == "node2"
            and entry["time"] > rebooted and (entry["argv"][:2] == ["lkcli", "start"] or entry["argv"][0] == "lkstart")
            ] == [["lkcli", "start"]]
    # its boots: the container's start, the reboot that did not come up, the start by hand
    assert [entry["came_up"] for entry in boots(cluster, "node1")] == [True, False, True]
    # exactly one switchover, node1's evacuation, and app-web in service nowhere only then
    assert cluster.switchovers(since=started) == [("app-web", "node1", "node2")]
    outages = cluster.outages(tags=["app-web"], since=started)["app-web"]
    assert len(outages) == 1 and outages[0][1] is not None and outages[0][1] - outages[0][0] < 20, outages
