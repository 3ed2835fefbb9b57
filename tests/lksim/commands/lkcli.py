"""lkcli (9.x): start | stop [-f] | status [-q|-e] | resource restore|remove --tag TAG."""
from lksim.commands import _util, resource_cmd, service, status_cmd


def main(name, argv, paths):
    parser = _util.Parser(prog="lkcli", description="LifeKeeper command line")
    sub = parser.add_subparsers(dest="command", parser_class=_util.Parser)
    sub.add_parser("start", help="start LifeKeeper")
    p_stop = sub.add_parser("stop", help="stop LifeKeeper")
    p_stop.add_argument("-f", action="store_true", help="leave the resources in service")
    p_status = sub.add_parser("status", help="status display (long; -q or -e: short)")
    group = p_status.add_mutually_exclusive_group()
    group.add_argument("-q", action="store_true")
    group.add_argument("-e", action="store_true")
    p_res = sub.add_parser("resource", help="bring a resource in or out of service")
    res_sub = p_res.add_subparsers(dest="action", parser_class=_util.Parser)
    for action in ("restore", "remove"):
        p_act = res_sub.add_parser(action)
        p_act.add_argument("--tag", required=True)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("a command is required (start, stop, status, resource)")
    if args.command == "start":
        return service.start(paths)
    if args.command == "stop":
        return service.stop(paths, force=args.f, name="lkcli")
    if args.command == "status":
        short = "BACKUP" if args.e else ("LOCAL" if args.q else None)
        return status_cmd.show("lkcli", paths, short)
    if args.action is None:
        p_res.error("an action is required (restore, remove)")
    return resource_cmd.act("lkcli", paths, args.tag, args.action)
