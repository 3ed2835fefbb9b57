"""The double's command line: `PYTHONPATH=tests python3 -m bigip ...`.

  seed   --state FILE [--spec FILE] [--user NAME:PASSWORD] [--member POOL/ADDRESS:PORT ...]
         [--virtual NAME/DESTINATION/POOL ...] [--connections N] [--drain-rate R] [--monitor M]
  serve  --state FILE [--record FILE] [--host H] [--port P] [--cert-dir DIR] [--access-log FILE]
         [--port-file FILE] [--pid-file FILE]
  mark   --url URL [--user NAME:PASSWORD] LABEL [key=value ...]
  member --url URL [--user NAME:PASSWORD] POOL MEMBER key=value ...   (connections, drain_rate, monitor_status)
  knob   --url URL [--user NAME:PASSWORD] key=JSON ...                (fail_requests)
  show   --url URL [--user NAME:PASSWORD]
  records --record FILE [--what WHAT]
"""
import argparse
import json
import os
import signal
import sys
import threading

from bigip import model, server
from bigip.client import Client
from bigip.rest import tilde


def _user(text):
    if ":" not in text:
        raise argparse.ArgumentTypeError("expected NAME:PASSWORD, got %r" % text)
    return tuple(text.split(":", 1))


def _parser():
    parser = argparse.ArgumentParser(prog="bigip", description="iControl REST test double of an F5 BIG-IP")
    sub = parser.add_subparsers(dest="command")

    p_seed = sub.add_parser("seed", help="write a state file: pools, members, virtual servers, users")
    p_seed.add_argument("--state", required=True)
    p_seed.add_argument("--spec", help="a JSON seed document (see model.py); flags below add to it")
    p_seed.add_argument("--user", type=_user, action="append", default=[])
    p_seed.add_argument("--member", action="append", default=[], help="POOL/ADDRESS:PORT")
    p_seed.add_argument("--virtual", action="append", default=[], help="NAME/DESTINATION:PORT/POOL")
    p_seed.add_argument("--connections", type=float, default=0.0, help="open connections of each --member")
    p_seed.add_argument("--drain-rate", type=float, default=model.DEFAULT_DRAIN_RATE,
                        help="connections per second that end while a member is disabled")
    p_seed.add_argument("--monitor", default="/Common/http", help="monitor of the pools --member creates")

    p_serve = sub.add_parser("serve", help="serve the state file over HTTPS until SIGTERM/SIGINT")
    p_serve.add_argument("--state", required=True)
    p_serve.add_argument("--record", help="append every change here (JSON lines)")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8443, help="0 = any free port (printed)")
    p_serve.add_argument("--cert-dir", help="where the generated certificate goes (default: a temporary folder)")
    p_serve.add_argument("--access-log")
    p_serve.add_argument("--port-file", help="write the listening port here once serving")
    p_serve.add_argument("--pid-file", help="write this process id here")

    for name, text in (("mark", "record a marker (for example the switchover)"),
                       ("member", "set a member's connections, drain_rate or monitor_status"),
                       ("knob", "set fault knobs"), ("show", "print the current state")):
        p_cmd = sub.add_parser(name, help=text)
        p_cmd.add_argument("--url", required=True)
        p_cmd.add_argument("--user", type=_user, default=("admin", "admin"))
        if name == "mark":
            p_cmd.add_argument("label")
            p_cmd.add_argument("fields", nargs="*", help="key=value")
        elif name == "member":
            p_cmd.add_argument("pool")
            p_cmd.add_argument("member")
            p_cmd.add_argument("fields", nargs="+", help="key=value")
        elif name == "knob":
            p_cmd.add_argument("fields", nargs="+", help="key=JSON")

    p_records = sub.add_parser("records", help="print the record file")
    p_records.add_argument("--record", required=True)
    p_records.add_argument("--what")
    return parser


def _pairs(fields, as_json):
    result = {}
    for field in fields:
        if "=" not in field:
            raise ValueError("expected key=value, got %r" % field)
        key, value = field.split("=", 1)
        if as_json:
            try:
                value = json.loads(value)
            except ValueError:
                pass
        result[key] = value
    return result


def seed_document(args):
    doc = {}
    if args.spec:
        with open(args.spec) as handle:
            doc = json.load(handle)
    users = dict(doc.get("users") or {})
    users.update(dict(args.user))
    if users:
        doc["users"] = users
    pools = doc.setdefault("pools", [])
    for text in args.member:
        pool_name, sep, member = text.partition("/")
        if not sep or ":" not in member:
            raise ValueError("--member %r: expected POOL/ADDRESS:PORT" % text)
        address, port = member.rsplit(":", 1)
        pool = next((p for p in pools if p["name"] == pool_name), None)
        if pool is None:
            pool = {"name": pool_name, "monitor": args.monitor, "members": []}
            pools.append(pool)
        pool.setdefault("members", []).append({"address": address, "port": int(port),
                                               "connections": args.connections, "drain_rate": args.drain_rate})
    for text in args.virtual:
        parts = text.split("/")
        if len(parts) != 3:
            raise ValueError("--virtual %r: expected NAME/DESTINATION:PORT/POOL" % text)
        doc.setdefault("virtual_servers", []).append({"name": parts[0], "destination": parts[1], "pool": parts[2]})
    model.Device(doc)  # validates: a bad seed fails here, naming what is wrong
    return doc


def _write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def serve(args):
    with open(args.state) as handle:
        doc = json.load(handle)
    device = model.Device(doc, record_path=args.record, state_path=args.state)
    access_log = open(args.access_log, "a") if args.access_log else None
    srv, origin = server.start(device, host=args.host, port=args.port, cert_dir=args.cert_dir,
                               access_log=access_log)
    stop = threading.Event()

    def _stop(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if args.pid_file:
        _write(args.pid_file, "%d\n" % os.getpid())
    if args.port_file:
        _write(args.port_file, "%d\n" % srv.server_port)
    print("bigip double: listening on https://%s:%d (certificate: %s, version %s)"
          % (args.host, srv.server_port, origin, device.version), flush=True)
    stop.wait()
    srv.shutdown()
    device.save()
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    if not args.command:
        _parser().print_help()
        return 2
    try:
        if args.command == "seed":
            doc = seed_document(args)
            directory = os.path.dirname(os.path.abspath(args.state))
            if not os.path.isdir(directory):
                os.makedirs(directory)
            with open(args.state, "w") as handle:
                json.dump(doc, handle, indent=1, sort_keys=True)
            return 0
        if args.command == "serve":
            return serve(args)
        if args.command == "records":
            with open(args.record) as handle:
                for line in handle:
                    record = json.loads(line)
                    if args.what is None or record["what"] == args.what:
                        print(json.dumps(record, sort_keys=True))
            return 0
        client = Client(args.url, user=args.user[0], password=args.user[1])
        if args.command == "mark":
            client.mark(args.label, **_pairs(args.fields, False))
        elif args.command == "member":
            pool = tilde(model.full_path(None, args.pool))
            member = tilde(model.full_path(None, args.member))
            client.ok("PATCH", "/_double/member/%s/%s" % (pool, member), _pairs(args.fields, True))
        elif args.command == "knob":
            client.ok("PATCH", "/_double/knobs", _pairs(args.fields, True))
        elif args.command == "show":
            print(json.dumps(client.state(), indent=1, sort_keys=True))
        return 0
    except (OSError, ValueError, RuntimeError, model.DeviceError) as exc:
        print("bigip: %s" % exc, file=sys.stderr)
        return 1
