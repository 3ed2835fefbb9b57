"""DataKeeper sync ports: a mirror's target listens for its source (see ASSUMPTIONS.md, "Sync ports").

The v8.4.1 update guide (2.3) and "Running LifeKeeper With a Firewall" put a mirror's sync
port at 10001 + mirror number + 256 x i, i from 0 up to the first port not in use. While
LifeKeeper runs, this node listens on that port for every mirror it is a target of (the
mirror out of service here); the source connects. Knob sync_port_blocked: [tags] - no
listener for those mirrors here (a firewall rejecting the port). The simulator numbers the
mirrors 0, 1, ... in the order of their tags.
"""
import socket
import threading

from lksim import knobs

BASE = 10001
STEP = 256
IN_SERVICE = ("ISP", "ISU")
INTERVAL = 0.3


def mirror_numbers(lcd_resources):
    """{mirror tag: number} of the mirrors of the LCD (0, 1, ... in tag order)."""
    tags = sorted(res["tag"] for res in lcd_resources if res.get("type") == "scsi/netraid")
    return dict((tag, number) for number, tag in enumerate(tags))


def candidate_ports(number):
    return [port for port in (BASE + number + STEP * i for i in range(256)) if port <= 65535]


class SyncPorts(object):
    def __init__(self, lcm):
        self.lcm = lcm
        self.listeners = {}     # tag -> ([sockets, one per node address], port)

    def start(self):
        threading.Thread(target=self.loop, daemon=True).start()

    def wanted(self):
        """{tag: number} of the mirrors this node should listen for now."""
        lcm = self.lcm
        blocked = set(knobs.load(lcm.paths).get("sync_port_blocked") or [])
        with lcm.lock:
            resources = [dict(res) for res in lcm.data["resources"]]
        numbers = mirror_numbers(resources)
        return dict((res["tag"], numbers[res["tag"]]) for res in resources
                    if res["tag"] in numbers and res["state"] not in IN_SERVICE and res["tag"] not in blocked)

    def listen(self, tag, number):
        for port in candidate_ports(number):
            socks = []
            try:
                for address in self.lcm.info["addresses"]:
                    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    socks.append(sock)
                    sock.bind((address, port))
                    sock.listen(8)
            except OSError:      # in use: the next i
                for sock in socks:
                    sock.close()
                continue
            self.listeners[tag] = (socks, port)
            for sock in socks:
                threading.Thread(target=self.accept, args=(sock,), daemon=True).start()
            self.lcm.log("NOTIFY", "datarep", 30, "mirror %s: target %s listens for its source on port %d"
                         % (tag, self.lcm.node, port))
            return

    @staticmethod
    def accept(sock):
        while True:
            try:
                conn, dummy = sock.accept()
            except OSError:
                return
            conn.close()

    def close(self, tag):
        socks, port = self.listeners.pop(tag)
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self.lcm.log("NOTIFY", "datarep", 31, "mirror %s: %s stopped listening on port %d" % (tag, self.lcm.node, port))

    def loop(self):
        while not self.lcm.stop_event.is_set():
            wanted = self.wanted()
            for tag in [t for t in self.listeners if t not in wanted]:
                self.close(tag)
            for tag, number in wanted.items():
                if tag not in self.listeners:
                    self.listen(tag, number)
            self.lcm.stop_event.wait(INTERVAL)
        for tag in list(self.listeners):
            self.close(tag)
