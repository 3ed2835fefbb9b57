"""The vendor's own output where the simulator prints the same thing, and documented rules:
the BACKUP column of `lcdstatus -e`, mirrors by resource type, `lkcli stop` on a systemd
host, `lkbackup -c`, `rmlk` (the project's shared LifeKeeper CLI notes, "Vendor output
samples")."""
import os

import lksim_b_helpers as h
from conftest import one_hierarchy, wait_for
from lksim.commands import rmlk_cmd, service

RMLK_HEAD = ("This script will uninstall LifeKeeper on your system.\n"
             "All in service resources will be taken out of service.\n"
             "This will stop any applications protected by LifeKeeper.\n\n")
NOTE = ("Note: For proper cleanup it is recommended that LifeKeeper\n"
        "be running on all nodes in the cluster. Incomplete removal\n"
        "may occur if LifeKeeper is not running. Currently LifeKeeper\n"
        "does not appear to be running on the following systems:\n")
QUESTION = 'Do you wish to continue (answering "no" will abort the removal) (y/n) [n] ? '
REMOVAL = ("Removing kit packages\nRemoving core packages\nRemoving supporting packages\n"
           "Removing any remaining LifeKeeper files in /etc and /lib/modules\n")


def backup_column(text):
    """{tag: first column} of a short display."""
    rows = text.split("\n\n")[0].splitlines()[1:]
    return dict((row.split()[1], row.split()[0]) for row in rows)


def test_backup_column_is_the_next_system_in_priority_order(make_cluster):
    # app-web: node1 1, node2 10, node3 20; db: node2 1, node3 10, node1 20
    lk = make_cluster(nodes=3, preset="mixed", wait_sync=False)
    web = ("app-web", "ip-10.0.0.50", "datarep-data")
    db = ("db", "ip-10.0.0.60", "datarep-dbdata")
    expect = {"node1": ("node2", "------"), "node2": ("node3", "node3"),
              "node3": ("------", "node1")}
    for node, (web_backup, db_backup) in expect.items():
        shown = backup_column(lk.run(node, "lcdstatus", "-e").stdout)
        assert shown == dict([(t, web_backup) for t in web] + [(t, db_backup) for t in db]), node
        # -q keeps the local node's name in the first column
        assert set(backup_column(lk.run(node, "lcdstatus", "-q").stdout).values()) == {node}


MIRROR_BY_TYPE = one_hierarchy([
    {"tag": "nfs-export", "id": "/export", "type": "gen/nfs",
     "children": ["mirror-export", "datarep-notamirror"]},
    {"tag": "mirror-export", "id": "/dev/md0", "type": "scsi/netraid", "children": []},
    {"tag": "datarep-notamirror", "id": "x", "type": "gen/app", "children": []}])


def test_a_mirror_is_a_scsi_netraid_resource_whatever_its_tag(make_cluster):
    lk = make_cluster(spec=MIRROR_BY_TYPE)
    assert lk.run("node1", "mirror_status", "datarep-notamirror").returncode == 5
    assert wait_for(lambda: lk.mirror_in_sync("node1", "mirror-export"), 10)
    assert lk.run("node2", "mirror_status", "mirror-export").stdout == (   # ASSUMPTIONS.md
        "Mirror: mirror-export\nSource: node1\nTARGET   STATE       PROGRESS\n"
        "node2    Mirroring   100%\n")
    # a resync of mirror-export blocks a switchover to its target, like any mirror
    assert lk.run("node2", "lkstop", "-f").returncode == 0
    lk.knob("node2", resync_seconds=60)
    assert lk.run("node2", "lkstart", "-w", "10").returncode == 0
    assert wait_for(lambda: "Resyncing" in lk.run("node1", "mirror_status", "mirror-export").stdout, 10)
    refused = lk.run("node2", "lkcli", "resource", "restore", "--tag", "nfs-export")
    assert refused.returncode == 1
    assert 'mirror "mirror-export" is resynchronizing to node2' in refused.stderr
    assert lk.states("node1")["nfs-export"] == "ISP"


def test_lkcli_stop_prints_the_systemd_lines(make_cluster):
    lk = make_cluster(wait_sync=False)
    lines = [line + "\n" for line in service.SYSTEMD_STOP_LINES]
    assert lines == [
        "Removed /etc/systemd/system/lifekeeper-graphical.target.requires/lifekeeper.service.\n",
        "Removed /etc/systemd/system/lifekeeper-multi-user.target.requires/lifekeeper.service.\n"]
    stopped = lk.run("node2", "lkcli", "stop")
    assert stopped.returncode == 0
    assert stopped.stdout == "".join(lines) + "LifeKeeper stopped on node2.\n"
    assert lk.run("node2", "lkcli", "start").returncode == 0
    assert lk.ready("node2")
    forced = lk.run("node1", "lkcli", "stop", "-f")
    assert "".join(lines) in forced.stdout
    assert forced.stdout.endswith("LifeKeeper stopped on node1 (resources left in service).\n")
    # lkstop (both generations) and a stop of a stopped LifeKeeper print no systemd lines
    assert "systemd" not in lk.run("node2", "lkstop").stdout
    assert lk.run("node2", "lkcli", "stop").stdout == "LifeKeeper is not running on node2.\n"


def test_rmlk_without_lifekeeper_running_prints_the_note_and_no_gui(tmp_path):
    paths = h.make_node(tmp_path, version="9.9.0")
    result = h.run_bin(paths, "rmlk", stdin="y\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (RMLK_HEAD + NOTE + "node1\n\n" + QUESTION + "\n"
                             "The LifeKeeper GUI server is not running.\n" + REMOVAL)
    assert rmlk_cmd.QUESTION == QUESTION
    assert h.rpm_qa(paths) == [] and not os.path.exists(paths.lkroot)


def test_rmlk_in_a_cluster_note_names_the_stopped_systems_gui_lines(make_cluster):
    lk = make_cluster(wait_sync=False)
    assert lk.run("node1", "lkcli", "stop").returncode == 0
    aborted = h.run_bin(lk.paths("node2"), "rmlk", stdin="")    # end of input: aborts
    assert aborted.returncode == 1
    assert aborted.stdout == (RMLK_HEAD + NOTE + "node1\n\n" + QUESTION + "\n"
                              "Removal aborted; nothing was changed.\n")
    assert lk.run("node1", "lkcli", "start").returncode == 0
    assert lk.ready("node1")
    gui = lk.paths("node2").gui_server_file
    assert os.path.exists(gui)                       # lkstart started the GUI server
    proc = h.run_bin(lk.paths("node2"), "rmlk", stdin="y\n")
    assert proc.returncode == 0, proc.stderr
    # the guide's section 6.5 sample (LifeKeeper running): no Note, the removal from the cluster
    assert proc.stdout == (RMLK_HEAD + QUESTION + "\n" + "Removing node2 from the cluster\n"
                           "LifeKeeper GUI Server Setup Starting\nLifeKeeper GUI Server Disabled\n"
                           "LifeKeeper GUI Server Setup Completed\n" + REMOVAL)
    assert not os.path.exists(gui) and not os.path.exists(lk.paths("node2").lkroot)
    assert lk.run("node1", "lktest").returncode == 0
