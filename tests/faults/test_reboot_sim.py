"""A simulated node survives a reboot (harness Cluster(bootable=True), lksim/boot.py): the shutdown
that ansible.builtin.reboot runs restarts the container, LifeKeeper comes back at boot, the peers
see it again and the mirror it is a target of resynchronises; the hierarchy never leaves service.
With knob reboot_stays_down the container stays Exited (0) and the peer shows it DEAD."""
import time

from harness import run, wait_for

WEB = ["app-web", "ip-10.0.0.50", "datarep-data"]


def boot_lines(cluster, node):
    return [b for b in cluster.boots(node) if b["event"] == "boot"]


def test_a_rebooted_node_comes_back_and_one_that_stays_down_does_not(make_cluster):
    cluster = make_cluster(bootable=True, media=())
    first = cluster.boot_id("node2")
    # long enough to see the target resynchronise after the boot
    cluster.knob("node2", resync_seconds=4.0)
    asked = time.time()
    assert cluster.reboot("node2").returncode == 0
    wait_for(lambda: cluster.restart_count("node2") == 1 and cluster.running("node2"), 30, "node2 to restart")
    cluster.wait_output("node1", ["/opt/LifeKeeper/bin/mirror_status", "datarep-data"], "Resyncing", 20,
                        "node2 (back after its reboot) to resynchronise")
    cluster.wait_healthy(60)
    boots = boot_lines(cluster, "node2")
    assert [b["lifekeeper_started"] for b in boots] == [False, True]     # before node init; after it
    assert boots[0]["boot_id"] == first != boots[1]["boot_id"] == cluster.boot_id("node2")
    shutdowns = [b for b in cluster.boots("node2") if b["event"] == "shutdown"]
    assert len(shutdowns) == 1 and shutdowns[0]["lifekeeper_stop_rc"] == 0, shutdowns
    assert cluster.states("node1") == dict.fromkeys(WEB, "ISP")
    assert not cluster.outages(tags=["app-web"], since=asked)
    # docker wrote node2's /etc/hosts anew at its start: the peers' names come from --add-host
    assert cluster.fixed_address("node1") in cluster.exec("node2", "getent", "hosts", "node1").stdout

    cluster.knob("node2", reboot_stays_down=True)
    assert cluster.reboot("node2").returncode == 0
    wait_for(lambda: cluster.container_state("node2")["Status"] == "exited", 30, "node2 to go down")
    time.sleep(2)   # the restart policy would have started it by now
    state = cluster.container_state("node2")
    # the reboot restarted it (count 2); that boot ended at once with 0, which the policy leaves alone
    assert (state["Status"], state["ExitCode"], cluster.restart_count("node2")) == ("exited", 0, 2)
    assert cluster.states("node1") == dict.fromkeys(WEB, "ISP")
    assert "DEAD" in cluster.status("node1")
    # powered on by hand, it comes back (the knob holds for one boot)
    run(["docker", "start", cluster.container("node2")])
    cluster.wait_healthy(60)
    assert [(b["came_up"], b["lifekeeper_started"]) for b in boot_lines(cluster, "node2")][2:] == [
        (False, False), (True, True)]
