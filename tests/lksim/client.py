"""Talk to an LCM (the daemon): one JSON line out, one JSON line back per connection."""
import json
import socket

from lksim import defaults


class NotRunning(Exception):
    """No daemon answered."""


def send(address, port, payload, timeout=5.0, source=None):
    """Send payload to address:port; returns the decoded answer or raises NotRunning."""
    try:
        sock = socket.create_connection((address, port), timeout=timeout,
                                        source_address=(source, 0) if source else None)
    except (OSError, socket.timeout) as exc:
        raise NotRunning("%s:%s: %s" % (address, port, exc))
    try:
        sock.settimeout(timeout)
        sock.sendall((json.dumps(payload) + "\n").encode("utf-8"))
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
            if data.endswith(b"\n"):
                break
        text = b"".join(chunks).decode("utf-8").strip()
        if not text:
            raise NotRunning("%s:%s closed the connection" % (address, port))
        return json.loads(text)
    except (OSError, socket.timeout, ValueError) as exc:
        raise NotRunning("%s:%s: %s" % (address, port, exc))
    finally:
        sock.close()


def local_endpoint(paths):
    """(address, port) of the node's own daemon."""
    info = paths.node_info()
    return info["addresses"][0], defaults.port(defaults.load(paths))


def request(paths, payload, timeout=600.0):
    """Send payload to the node's own daemon."""
    address, port = local_endpoint(paths)
    return send(address, port, payload, timeout=timeout)


def running(paths, timeout=2.0):
    try:
        return bool(request(paths, {"op": "ping"}, timeout=timeout).get("ok"))
    except (NotRunning, IOError, OSError, ValueError, KeyError):
        return False
