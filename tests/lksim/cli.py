"""The simulator's operator command line: `PYTHONPATH=tests python3 -m lksim ...`.

  cluster create --dir DIR --nodes N --version V [--preset NAME] [--port P] [--spec FILE]
  cluster destroy --dir DIR
  node kill|start (--dir DIR NODE | --root ROOT)
  node init --root ROOT --name NODE --spec FILE --version V [--lksim-path P]
  node rebuild --root ROOT --spec FILE   (a reinstalled node's structure, LifeKeeper stopped)
  node boot --root ROOT          (the machine's init: a node container's PID 1)
  node reboot --root / [--as shutdown|reboot] [-- ARGS]   (the image's shutdown/reboot shims)
  knob set (--dir DIR [--node N] | --root ROOT) key=value...
  events (--dir DIR | --root ROOT ...) [--downtime] [--tag TAG] [--since EPOCH]
  media ...                      (lksim.media)
  daemon --root ROOT             (the LCM itself; lkstart runs it)
"""
import argparse
import json
import sys

from lksim import cluster, events, knobs
from lksim.paths import NodePaths


def _parser():
    parser = argparse.ArgumentParser(prog="lksim", description="LifeKeeper simulator")
    sub = parser.add_subparsers(dest="area")

    p_cluster = sub.add_parser("cluster", help="local clusters")
    csub = p_cluster.add_subparsers(dest="action")
    p_create = csub.add_parser("create", help="create and start a local cluster")
    p_create.add_argument("--dir", required=True)
    p_create.add_argument("--nodes", type=int, default=2)
    p_create.add_argument("--version", required=True)
    p_create.add_argument("--preset", default="default")
    p_create.add_argument("--port", type=int)
    p_create.add_argument("--spec", help="cluster spec JSON (overrides --preset and --nodes)")
    p_destroy = csub.add_parser("destroy", help="kill the daemons of a local cluster")
    p_destroy.add_argument("--dir", required=True)

    p_node = sub.add_parser("node", help="one node")
    nsub = p_node.add_subparsers(dest="action")
    for action, text in (("kill", "crash the node (SIGKILL its daemon)"),
                         ("start", "start the node's daemon")):
        p_one = nsub.add_parser(action, help=text)
        p_one.add_argument("--dir")
        p_one.add_argument("--root")
        p_one.add_argument("node", nargs="?")
    p_init = nsub.add_parser("init", help="provision a node ROOT (containers)")
    p_init.add_argument("--root", required=True)
    p_init.add_argument("--name", required=True)
    p_init.add_argument("--spec", required=True)
    p_init.add_argument("--version", required=True)
    p_init.add_argument("--lksim-path")
    p_rebuild = nsub.add_parser("rebuild", help="re-create a reinstalled node's comm paths and "
                                "hierarchies from the spec (LifeKeeper stopped; everything OSU)")
    p_rebuild.add_argument("--root", required=True)
    p_rebuild.add_argument("--spec", required=True)
    p_boot = nsub.add_parser("boot", help="the machine's init (a node container's command): "
                             "boot id, LifeKeeper started at boot, waits for a reboot or stop")
    p_boot.add_argument("--root", required=True)
    p_reboot = nsub.add_parser("reboot", help="reboot the machine (PID 1 must be `node boot`)")
    p_reboot.add_argument("--root", required=True)
    p_reboot.add_argument("--as", dest="command", choices=("shutdown", "reboot"), default="reboot",
                          help="the command line after -- is that of shutdown or reboot")
    p_reboot.add_argument("args", nargs=argparse.REMAINDER, help="-- shutdown's arguments")

    p_knob = sub.add_parser("knob", help="timing and fault knobs")
    ksub = p_knob.add_subparsers(dest="action")
    p_set = ksub.add_parser("set")
    p_set.add_argument("--dir")
    p_set.add_argument("--node")
    p_set.add_argument("--root")
    p_set.add_argument("settings", nargs="+", metavar="key=value")

    p_events = sub.add_parser("events", help="the event log of one or more nodes")
    p_events.add_argument("--dir")
    p_events.add_argument("--root", action="append", default=[])
    p_events.add_argument("--downtime", action="store_true",
                          help="seconds each tag was in service on no node")
    p_events.add_argument("--tag", action="append")
    p_events.add_argument("--since", type=float)
    p_events.add_argument("--until", type=float)

    p_daemon = sub.add_parser("daemon", help="run the LCM of a node (foreground)")
    p_daemon.add_argument("--root", required=True)
    return parser


def _roots(args, parser):
    if args.dir:
        roots = cluster.node_roots(args.dir)
        if getattr(args, "node", None):
            return [cluster.node_root(args.dir, args.node)]
        return list(roots.values())
    if args.root:
        return list(args.root) if isinstance(args.root, list) else [args.root]
    parser.error("give --dir DIR or --root ROOT")
    return []


def _value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def run(argv):
    if argv and argv[0] == "media":
        from lksim import media
        return media.cli_main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if args.area == "daemon":
        from lksim import daemon
        return daemon.main(args.root)
    if args.area == "cluster" and args.action == "create":
        spec = cluster.load_spec(args.spec) if args.spec else None
        nodes = cluster.create(args.dir, args.nodes, args.version, args.preset, args.port, spec)
        for name, address, root in nodes:
            print("%s %s %s" % (name, address, root))
        return 0
    if args.area == "cluster" and args.action == "destroy":
        killed = cluster.destroy(args.dir)
        print("stopped: %s" % (" ".join(killed) or "nothing"))
        return 0
    if args.area == "node" and args.action in ("kill", "start"):
        if args.dir and args.node:
            root = cluster.node_root(args.dir, args.node)
        elif args.root:
            root = args.root
        else:
            parser.error("node %s needs --dir DIR NODE or --root ROOT" % args.action)
        if args.action == "kill":
            if not cluster.kill_node(root):
                print("not running: %s" % root)
                return 1
            print("killed: %s" % root)
            return 0
        print("%s: %s" % (root, cluster.start_node(root)))
        return 0
    if args.area == "node" and args.action == "init":
        spec = cluster.load_spec(args.spec)
        paths = cluster.node_init(args.root, args.name, spec, args.version, args.lksim_path)
        print("initialised %s at %s" % (args.name, paths.root))
        return 0
    if args.area == "node" and args.action == "rebuild":
        name = cluster.node_rebuild(args.root, cluster.load_spec(args.spec))
        print("rebuilt %s at %s" % (name, args.root))
        return 0
    if args.area == "node" and args.action == "boot":
        from lksim import boot
        return boot.main(args.root)
    if args.area == "node" and args.action == "reboot":
        from lksim import boot
        rest = args.args[1:] if args.args[:1] == ["--"] else args.args
        return boot.reboot(args.root, args.command, rest)
    if args.area == "knob" and args.action == "set":
        changes = {}
        for item in args.settings:
            if "=" not in item:
                parser.error("expected key=value, got %r" % item)
            key, value = item.split("=", 1)
            changes[key] = _value(value)
        for root in _roots(args, parser):
            current = knobs.update(NodePaths(root), changes)
            print("%s: %s" % (root, json.dumps(current, sort_keys=True)))
        return 0
    if args.area == "events":
        files = [NodePaths(root).events_file for root in _roots(args, parser)]
        log = events.read(files)
        tags = set(args.tag) if args.tag else None
        if args.downtime:
            print(json.dumps(events.downtime_seconds(log, tags, args.since, args.until),
                             sort_keys=True))
            return 0
        for event in log:
            if tags is None or event["tag"] in tags:
                print(json.dumps(event, sort_keys=True))
        return 0
    parser.print_usage(sys.stderr)
    return 2


def main(argv):
    try:
        return run(argv)
    except (cluster.ClusterError, KeyError, IOError, OSError, ValueError) as exc:
        sys.stderr.write("lksim: %s\n" % (exc.args[0] if isinstance(exc, KeyError) and exc.args else exc))
        return 1
    except Exception as exc:  # packaging errors and the like: one line, no traceback
        sys.stderr.write("lksim: %s: %s\n" % (type(exc).__name__, exc))
        return 1
