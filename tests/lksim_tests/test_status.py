"""The short status display ("Status" in the shared LifeKeeper CLI notes) (lcdstatus -q/-e, lkcli status)."""
import os
import re

from conftest import column, wait_for

LONG_ID = "/srv/données-très-longues"   # non-ASCII, longer than every other value
SPEC = {
    "hbeattime": 1, "numhbeats": 3,
    "nodes": [{"name": "alpha", "address": "127.0.0.11"},
              {"name": "bravo-node", "address": "127.0.0.12"}],
    "hierarchies": [
        {"root": "app", "in_service_on": "alpha", "priorities": {"alpha": 1, "bravo-node": 10},
         "resources": [
             {"tag": "app", "id": "app-id", "type": "gen/app", "children": ["fs-data"]},
             {"tag": "fs-data", "id": LONG_ID, "type": "gen/filesys", "children": ["disk"]},
             {"tag": "disk", "id": "d1", "type": "scsi/disk", "children": []}]}]}


def sections(text):
    resources, comm = text.split("\n\n")
    return resources.splitlines(), comm.splitlines()


def check_short_layout(text, first, lead_values, node_prio):
    res_lines, comm_lines = sections(text)
    header = res_lines[0]
    assert header.split() == [first, "TAG", "ID", "STATE", "PRIO", "PRIMARY"]
    cols = dict((name, column(header, name)) for name in header.split())
    prio_end = cols["PRIO"] + len("PRIO")
    rows = res_lines[1:]
    assert [r[cols["TAG"]:].split()[0] for r in rows] == ["app", "fs-data", "disk"]
    # indentation: one space per level below the root
    for row, depth in zip(rows, (0, 1, 2)):
        assert row[cols["TAG"]:cols["TAG"] + depth] == " " * depth
        assert row[cols["TAG"] + depth] != " "
    for row, lead in zip(rows, lead_values):
        # the first column holds lead, followed by at least two spaces before TAG
        assert row.split()[0] == lead
        assert row[len(lead):cols["TAG"]].strip() == "" and cols["TAG"] - len(lead) >= 2
        # ID, STATE, PRIMARY start in their header's column; PRIO is right-aligned under PRIO
        for name in ("ID", "STATE", "PRIMARY"):
            assert row[cols[name]] != " " and row[cols[name] - 1] == " ", (name, row)
        assert row[prio_end - len(node_prio):prio_end] == node_prio
        assert row[prio_end] == " " and row[prio_end - len(node_prio) - 1] == " "
        assert row.split()[-1] == "alpha"
    # column widths follow the longest value (the long ID) with two spaces after it
    assert cols["STATE"] == cols["ID"] + len(LONG_ID) + 2
    assert rows[1][cols["ID"]:].split()[0] == LONG_ID
    # the comm path section
    assert comm_lines[0].split() == ["MACHINE", "NETWORK", "ADDRESSES/DEVICE", "STATE", "PRIO"]
    return comm_lines


def test_short_status_layout_q_and_e(make_cluster):
    lk = make_cluster(spec=SPEC)
    q = lk.run("alpha", "lcdstatus", "-q")
    assert q.returncode == 0, q.stderr
    comm = check_short_layout(q.stdout, "LOCAL", ["alpha"] * 3, "1")
    assert wait_for(lambda: lk.path_states("alpha").get("bravo-node") == "ALIVE", 5)
    comm = sections(lk.run("alpha", "lcdstatus", "-q").stdout)[1]
    assert comm[1].split() == ["bravo-node", "TCP", "127.0.0.11/127.0.0.12", "ALIVE", "1"]
    prio_end = column(comm[0], "PRIO") + 4
    assert comm[1][prio_end - 1] == "1" and len(comm[1]) == prio_end
    # -e: BACKUP column = the next system in priority order after this one, dashes on the
    # lowest-priority system; PRIO is this node's priority
    e = lk.run("alpha", "lcdstatus", "-e")
    check_short_layout(e.stdout, "BACKUP", ["bravo-node"] * 3, "1")
    e2 = lk.run("bravo-node", "lcdstatus", "-e")
    check_short_layout(e2.stdout, "BACKUP", ["------"] * 3, "10")
    states = [line.split()[3] for line in sections(e2.stdout)[0][1:]]
    assert states == ["OSU", "OSU", "OSU"]
    # lkcli status -q / -e print the same short displays (9.x)
    assert lk.run("alpha", "lkcli", "status", "-q").stdout == lk.run("alpha", "lcdstatus", "-q").stdout
    assert lk.run("alpha", "lkcli", "status", "-e").stdout == e.stdout
    # -r limits to one hierarchy (subtree), -d asks another node
    r = lk.run("alpha", "lcdstatus", "-q", "-r", "fs-data")
    assert [l.split()[1] for l in sections(r.stdout)[0][1:]] == ["fs-data", "disk"]
    d = lk.run("alpha", "lcdstatus", "-q", "-d", "bravo-node")
    assert d.returncode == 0 and sections(d.stdout)[0][1].split()[0] == "bravo-node"


def test_header_only_without_resources_and_not_running(make_cluster):
    lk = make_cluster(preset="empty")
    proc = lk.run("node1", "lcdstatus", "-q")
    res_lines, comm_lines = sections(proc.stdout)
    assert res_lines == ["LOCAL  TAG  ID  STATE  PRIO  PRIMARY"]
    assert comm_lines[0].split() == ["MACHINE", "NETWORK", "ADDRESSES/DEVICE", "STATE", "PRIO"]
    assert lk.run("node1", "lkstop").returncode == 0
    proc = lk.run("node1", "lcdstatus", "-e")
    assert proc.returncode == 1
    assert proc.stdout == "LifeKeeper does not appear to be running.\n"
    assert lk.run("node1", "lcdstatus").stdout == "LifeKeeper does not appear to be running.\n"
    assert lk.run("node1", "lktest").returncode != 0
    assert lk.run("node2", "lktest").returncode == 0


def test_illstate_during_start_then_settles(make_cluster):
    lk = make_cluster(wait_sync=False)
    assert lk.run("node1", "lkstop", "-f").returncode == 0
    lk.knob("node1", start_seconds=3.0)
    assert lk.run("node1", "lkstart").returncode == 0
    assert lk.run("node1", "lktest").returncode == 0
    assert not os.path.exists(lk.paths("node1").initdone)
    assert set(lk.states("node1").values()) == {"ILLSTATE"}
    assert lk.ready("node1", 10)
    # left in service by stop -f: ISP again, nothing went down in the event log
    assert set(lk.states("node1").values()) == {"ISP"}
    assert [e for e in lk.events("node1") if e["to"] != "ISP"] == []


def test_long_form_and_8x_generation(make_cluster):
    lk = make_cluster(version="8.4.1", wait_sync=False)
    bin_dir = lk.paths("node1").bin_dir
    assert not os.path.exists(os.path.join(bin_dir, "lkcli"))
    assert os.path.exists(os.path.join(bin_dir, "perform_action"))
    proc = lk.run("node1", "lcdstatus")
    assert proc.returncode == 0
    assert re.search(r"^app-web: id=app-web app=gen type=app state=ISP$", proc.stdout, re.M)
    assert re.search(r"^        to machine=node2 type=TCP ", proc.stdout, re.M)
