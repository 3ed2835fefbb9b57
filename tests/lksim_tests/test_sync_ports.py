"""DataKeeper sync ports (sync_ports.py, ASSUMPTIONS.md "Sync ports"): a mirror's target
listens on 10001 + mirror number + 256 x i for its source; the knob sync_port_blocked takes
the listener away, as a firewall rejecting the port."""
import re
import socket

from conftest import wait_for
from lksim import sync_ports

LISTENS = re.compile(r"mirror datarep-data: target (\S+) listens for its source on port (\d+)")


def listening(lk, node):
    """The ports node's log last said it listens on for datarep-data (None once it stopped)."""
    with open(lk.paths(node).lifekeeper_log) as handle:
        text = handle.read()
    found = None
    for line in text.splitlines():
        match = LISTENS.search(line)
        if match:
            found = int(match.group(2))
        elif "mirror datarep-data: %s stopped listening" % node in line:
            found = None
    return found


def answers(address, port):
    try:
        socket.create_connection((address, port), timeout=2).close()
    except OSError:
        return False
    return True


def test_the_target_listens_on_the_guides_port_and_the_knob_blocks_it(make_cluster):
    lk = make_cluster()
    assert wait_for(lambda: listening(lk, "node2") is not None, 10)
    port = listening(lk, "node2")
    # mirror number 0 (the only mirror): 10001 + 256 x i, i the first port free on the address
    assert port in sync_ports.candidate_ports(0) and (port - 10001) % 256 == 0
    assert answers("127.0.0.12", port)
    # the source (mirror in service there) does not listen
    assert listening(lk, "node1") is None
    lk.knob("node2", sync_port_blocked=["datarep-data"])
    assert wait_for(lambda: not answers("127.0.0.12", port), 10)
    lk.knob("node2", sync_port_blocked=[])
    assert wait_for(lambda: listening(lk, "node2") is not None and answers("127.0.0.12", listening(lk, "node2")), 10)


def test_mirrors_are_numbered_in_tag_order():
    resources = [{"tag": "datarep-b", "type": "scsi/netraid"}, {"tag": "app", "type": "gen/app"},
                 {"tag": "datarep-a", "type": "scsi/netraid"}]
    assert sync_ports.mirror_numbers(resources) == {"datarep-a": 0, "datarep-b": 1}
    assert sync_ports.candidate_ports(1)[:3] == [10002, 10258, 10514]
    assert sync_ports.candidate_ports(255)[-1] <= 65535
