"""Low-level LCD tools: ins_list, eqv_list, sys_list, net_list (output format ASSUMED:
one record per line, fields separated by the -f character, ^A by default)."""
import sys

from lksim.commands import _util

SEP = "\x01"


def _states(paths):
    answer = _util.ask(paths, {"op": "status"}, timeout=10.0)
    if answer and answer.get("ok"):
        return dict((r["tag"], r["state"]) for r in answer["lcd"]["resources"])
    return None


def ins_list(name, argv, paths):
    parser = _util.Parser(prog=name, description="list resource instances")
    parser.add_argument("-R", dest="tag", metavar="TAG", help="this instance (by tag)")
    parser.add_argument("-t", dest="tag_t", metavar="TAG", help="same as -R")
    parser.add_argument("-f", dest="sep", default=SEP, metavar="C", help="field separator")
    args = parser.parse_args(argv)
    view = _util.load_lcd(paths)
    tag = args.tag or args.tag_t
    if tag is not None and view.get(tag) is None:
        return _util.no_such_resource(name, tag)
    live = _states(paths) or {}
    for res in view.resources:
        if tag is not None and res["tag"] != tag:
            continue
        app, kind = view.app_type(res["tag"])
        fields = [view.node, app, kind, res["tag"], res["id"], live.get(res["tag"], res["state"]),
                  str(view.priority(res["tag"]))]
        sys.stdout.write(args.sep.join(fields) + "\n")
    return 0


def eqv_list(name, argv, paths):
    parser = _util.Parser(prog=name, description="list equivalencies")
    parser.add_argument("-t", dest="tag", metavar="TAG")
    parser.add_argument("-f", dest="sep", default=SEP, metavar="C")
    args = parser.parse_args(argv)
    view = _util.load_lcd(paths)
    if args.tag is not None and view.get(args.tag) is None:
        return _util.no_such_resource(name, args.tag)
    found = 0
    for res in view.resources:
        if args.tag is not None and res["tag"] != args.tag:
            continue
        for other in view.equivalent_systems(res["tag"]):
            found += 1
            sys.stdout.write(args.sep.join([
                view.node, res["tag"], other, res["tag"], "SHARED",
                str(res["priorities"][view.node]), str(res["priorities"][other])]) + "\n")
    if args.tag is not None and not found:
        sys.stderr.write('%s: resource "%s" is not extended to another system\n' % (name, args.tag))
        return 7
    return 0


def sys_list(name, argv, paths):
    parser = _util.Parser(prog=name, description="list systems")
    parser.parse_args(argv)
    view = _util.load_lcd(paths)
    systems = list(view.data["systems"]) or [view.node]
    for system in [view.node] + [s for s in systems if s != view.node]:
        sys.stdout.write(system + "\n")
    return 0


def net_list(name, argv, paths):
    parser = _util.Parser(prog=name, description="list communication paths")
    parser.add_argument("-f", dest="sep", default=SEP, metavar="C")
    args = parser.parse_args(argv)
    view = _util.load_lcd(paths)
    for path in view.data["comm_paths"]:
        sys.stdout.write(args.sep.join([view.node, path["machine"], path.get("network", "TCP"),
                                        path["local"], path["remote"],
                                        str(path.get("priority"))]) + "\n")
    return 0


def main(name, argv, paths):
    return {"ins_list": ins_list, "eqv_list": eqv_list, "sys_list": sys_list,
            "net_list": net_list}[name](name, argv, paths)
