"""Fleet mode on docker: two clusters in one inventory (child groups of lifekeeper), one of
them unfit for the update (a crashed node). With lk_fleet_all_or_nothing the whole run is
refused and nothing changes anywhere; without it the unfit cluster is reported refused and
left alone while the other is updated, and the run still ends failed. Ground truth from the
nodes (rpm, lcdstatus) and the simulator's event logs. A rollback over both clusters rolls the
updated one back to its archives and leaves the unfit one alone."""
import json
import os
import time

from harness import BACKUP_DIR, REFUSED, Cluster, fleet_inventory


def _vars(run_id, **extra):
    values = {"lk_target_version": "9.9.0", "lk_media": "/srv/LKL_V9.9.0_010126.iso", "lk_confirm": True,
              "lk_run_id": run_id}
    values.update(extra)
    return values


def _assert_untouched(cluster, events_before):
    """The cluster's nodes as the run found them: old version, no event, hierarchy on node1,
    no state folder of the collection (nothing ran there that changes anything)."""
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.7.0", "9.7.0"]
    assert len(cluster.events()) == events_before and cluster.placement() == {"app-web": "node1"}
    for node in cluster.names:
        assert cluster.exec(node, "test", "-e", "/var/lib/hatools-lifekeeper", check=False).returncode != 0, node


def test_a_refused_cluster_is_left_alone_while_the_other_is_updated(request):
    good = Cluster("lkf-fleet-good").up()
    request.addfinalizer(good.down)
    bad = Cluster("lkf-fleet-bad").up()
    request.addfinalizer(bad.down)
    bad.kill("node2")
    bad.wait_dead_path("node1", 20, "node1 of the bad cluster to see node2 DEAD")
    good.inventory = fleet_inventory([good, bad], os.path.join(good.workdir, "fleet.json"), ["erp", "crm"])
    good_events, bad_events = len(good.events()), len(bad.events())
    # a mark in erp's configuration that only its archives bring back (the fleet rollback below)
    for node in good.names:
        good.exec(node, "sh", "-c", "echo %s > /opt/LifeKeeper/config/fleet-mark" % node)

    # all or nothing: the whole run is refused in pre-flight, nothing changes anywhere
    refused = good.playbook("rolling_update.yml", _vars("fleet-aon", lk_fleet_all_or_nothing="true"))
    out = refused.stdout
    assert refused.returncode != 0 and "Stage 2" not in out, out[-3000:]
    assert REFUSED in out and "cluster crm: REFUSED, nothing will be changed on it" in out, out[-3000:]
    assert "%s: LifeKeeper is not running" % bad.container("node2") in out, out[-3000:]
    assert (len(good.events()), len(bad.events())) == (good_events, bad_events)
    assert [good.rpm_version(n) for n in good.names] == ["9.7.0", "9.7.0"]

    # a bad value is refused by name before anything is read or changed
    bad_value = good.playbook("rolling_update.yml", _vars("fleet-bad", lk_fleet_parallel="some"))
    assert bad_value.returncode != 0 and "lk_fleet_parallel is 'some'" in bad_value.stdout, bad_value.stdout[-3000:]

    # the default: crm is refused and untouched, erp is updated; the run ends failed naming both
    run = good.playbook("rolling_update.yml", _vars("fleet-1", lk_fleet_parallel="1"))
    out = run.stdout
    assert run.returncode != 0, out[-3000:]
    assert "Clusters: erp success, crm refused." in out, out[-3000:]
    assert "Cluster crm: The rolling update of this cluster was refused in pre-flight; nothing was changed on " \
           "its nodes" in out, out[-3000:]
    # the resume: the same command with the vars file the run wrote (its -e variables and run id)
    resume_vars = os.path.join(good.artifacts, "fleet-1", "resume-vars.yml")
    assert "-e @%s" % resume_vars in out, out[-3000:]
    with open(resume_vars) as handle:
        assert "lk_run_id: fleet-1" in handle.read().splitlines()
    assert [good.rpm_version(n) for n in good.names] == ["9.9.0", "9.9.0"]
    assert good.placement() == {"app-web": "node1"}
    assert good.switchovers() == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    _assert_untouched(bad, bad_events)
    with open(good.report_file) as handle:
        report = json.load(handle)
    assert report["result"] == "failed"
    assert [(c["name"], c["result"]) for c in report["clusters"]] == [("erp", "success"), ("crm", "refused")]
    crm = report["clusters"][1]
    assert crm["switchovers"] == 0 and crm["started"] is None
    assert "LifeKeeper is not running" in crm["failure"] and crm["failure"].startswith("refused in pre-flight")
    assert report["switchovers"] == 2 and report["clusters"][0]["duration_s"] > 0

    # a fleet rollback to the archives the update made (the configuration only, the version
    # stays): erp is rolled back node by node, crm is still refused and untouched
    archives = {}
    for node in good.names:
        good.exec(node, "rm", "/opt/LifeKeeper/config/fleet-mark")
        names = good.exec(node, "ls", BACKUP_DIR).stdout.split()
        assert len(names) == 1, names
        archives[good.container(node)] = os.path.join(BACKUP_DIR, names[0])
    rolled_from = time.time()
    rollback = good.playbook("rollback.yml", {"lk_rollback_archive": archives, "lk_confirm": "true",
                                              "lk_run_id": "fleet-rollback"})
    out = rollback.stdout
    assert rollback.returncode != 0, out[-3000:]
    assert "Clusters: erp success, crm refused." in out, out[-3000:]
    for node in good.names:
        assert good.exec(node, "cat", "/opt/LifeKeeper/config/fleet-mark").stdout.strip() == node
    assert [good.rpm_version(n) for n in good.names] == ["9.9.0", "9.9.0"]
    assert good.placement() == {"app-web": "node1"}
    assert good.switchovers(since=rolled_from) == [("app-web", "node1", "node2"), ("app-web", "node2", "node1")]
    _assert_untouched(bad, bad_events)


def test_a_failed_canary_stops_the_clusters_after_it(request):
    """lk_fleet_canary=1: the first cluster's setup fails, so it is rescued (nothing lost) and
    the second cluster is never started: reported skipped, its nodes untouched."""
    canary = Cluster("lkf-canary-first").up()
    request.addfinalizer(canary.down)
    later = Cluster("lkf-canary-later").up()
    request.addfinalizer(later.down)
    for node in canary.names:
        canary.knob(node, fail_setup=True)
    canary.inventory = fleet_inventory([canary, later], os.path.join(canary.workdir, "fleet.json"), ["first", "later"])
    later_events = len(later.events())

    run = canary.playbook("rolling_update.yml", _vars("canary-1", lk_fleet_canary="1"))
    out = run.stdout
    assert run.returncode != 0, out[-3000:]
    assert "Clusters: first failed, later skipped." in out, out[-3000:]
    assert "the canary cluster(s) first (failed) did not succeed (lk_fleet_canary)" in out, out[-3000:]
    # the canary: rescued, its hierarchy in service on its node, still at the old version
    assert canary.placement() == {"app-web": "node1"}
    assert [canary.rpm_version(n) for n in canary.names] == ["9.7.0", "9.7.0"]
    # the cluster after it: not a single command that changes anything
    _assert_untouched(later, later_events)
    with open(canary.report_file) as handle:
        report = json.load(handle)
    assert report["result"] == "failed" and report["hierarchies_lost"] == []
    assert [(c["name"], c["result"]) for c in report["clusters"]] == [("first", "failed"), ("later", "skipped")]
    skipped = report["clusters"][1]
    assert skipped["started"] is None and skipped["switchovers"] == 0
    assert skipped["failure"].startswith("skipped, nothing was changed on its nodes: not started: the canary")
