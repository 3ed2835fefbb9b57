"""The HTTPS server: a ThreadingHTTPServer in front of rest.Api."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from bigip import tls
from bigip.rest import Api, error_body, parse_body


class Handler(BaseHTTPRequestHandler):
    server_version = "BigIPDouble/1.0"

    def _serve(self, method):
        parsed = urlsplit(self.path)
        query = dict(parse_qsl(parsed.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = parse_body(raw)
        except ValueError as exc:
            status, payload = 400, error_body(400, "request body is not JSON: %s" % exc)
        else:
            status, payload = self.server.api.handle(method, parsed.path, query, self.headers, body,
                                                     self.client_address[0])
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_POST(self):  # noqa: N802
        self._serve("POST")

    def do_PATCH(self):  # noqa: N802
        self._serve("PATCH")

    def do_PUT(self):  # noqa: N802
        self._serve("PUT")

    def do_DELETE(self):  # noqa: N802
        self._serve("DELETE")

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        log = self.server.access_log
        if log is not None:
            log.write("%s %s\n" % (self.address_string(), format % args))
            log.flush()


class DoubleServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, device, context, access_log=None, log=None):
        ThreadingHTTPServer.__init__(self, address, Handler)
        self.api = Api(device, log=log)
        self.access_log = access_log
        self.socket = context.wrap_socket(self.socket, server_side=True)


def start(device, host="127.0.0.1", port=0, cert_dir=None, access_log=None, log=None):
    """Start serving in a thread; returns (server, origin of the certificate). server.server_port = port."""
    cert, key, origin = tls.make_certificate(cert_dir)
    server = DoubleServer((host, port), device, tls.server_context(cert, key), access_log=access_log,
                          log=log or sys.stderr)
    thread = threading.Thread(target=server.serve_forever, name="bigip-double", daemon=True)
    thread.start()
    return server, origin
