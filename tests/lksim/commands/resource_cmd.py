"""perform_action [-G] [-s] [-b] [-n] -t TAG -a restore|remove [-- args]."""
from lksim.commands import _util


def act(name, paths, tag, action):
    view = _util.load_lcd(paths)
    if view.get(tag) is None:
        return _util.no_such_resource(name, tag)
    answer = _util.ask(paths, {"op": action, "tag": tag})
    if answer is None:
        return _util.not_running(paths)
    return _util.report(name, answer)


def main(name, argv, paths):
    parser = _util.Parser(prog="perform_action",
                          description="bring a resource in (restore) or out (remove) of service")
    parser.add_argument("-G", action="store_true", help="skip the global pre/post scripts")
    parser.add_argument("-s", action="store_true")
    parser.add_argument("-b", action="store_true")
    parser.add_argument("-n", action="store_true")
    parser.add_argument("-t", dest="tag", required=True, metavar="TAG")
    parser.add_argument("-a", dest="action", required=True, choices=("restore", "remove"))
    parser.add_argument("args", nargs="*", help="arguments for the action scripts (after --)")
    args = parser.parse_args(argv)
    return act(name, paths, args.tag, args.action)
