"""mirror_status TAG; mirror_action TAG pause|resume|force|fullresync [source] [targets].

The mirror_status output format is ASSUMED (see ASSUMPTIONS.md); the collection parses:
    Mirror: datarep-data
    Source: node1
    TARGET   STATE       PROGRESS
    node2    Resyncing   45%
"""
import sys

from lksim.commands import _util

ACTIONS = ("pause", "resume", "force", "fullresync")


def render(report):
    targets = report["targets"]
    width = max([9] + [len(t["name"]) + 2 for t in targets])
    lines = ["Mirror: %s" % report["tag"], "Source: %s" % (report["source"] or "--"),
             "%s%s%s" % ("TARGET".ljust(width), "STATE".ljust(12), "PROGRESS")]
    for target in targets:
        progress = "--" if target["progress"] is None else "%d%%" % target["progress"]
        lines.append("%s%s%s" % (target["name"].ljust(width), target["state"].ljust(12), progress))
    return "\n".join(lines) + "\n"


def _check(name, paths, tag):
    view = _util.load_lcd(paths)
    if view.get(tag) is None:
        return _util.no_such_resource(name, tag)
    if not view.is_mirror(tag):
        sys.stderr.write('%s: resource "%s" is not a mirror\n' % (name, tag))
        return 5
    return None


def main(name, argv, paths):
    if name == "mirror_status":
        parser = _util.Parser(prog=name, description="state of a mirror (DataKeeper)")
        parser.add_argument("tag")
        args = parser.parse_args(argv)
        rc = _check(name, paths, args.tag)
        if rc is not None:
            return rc
        answer = _util.ask(paths, {"op": "mirror_status", "tag": args.tag}, timeout=30.0)
        if answer is None:
            return _util.not_running(paths)
        if not answer.get("ok"):
            return _util.report(name, answer)
        sys.stdout.write(render(answer))
        return 0
    parser = _util.Parser(prog=name, description="act on a mirror (DataKeeper)")
    parser.add_argument("tag")
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("source", nargs="?")
    parser.add_argument("targets", nargs="*")
    args = parser.parse_args(argv)
    rc = _check(name, paths, args.tag)
    if rc is not None:
        return rc
    answer = _util.ask(paths, {"op": "mirror_action", "tag": args.tag, "action": args.action,
                               "source": args.source, "targets": args.targets}, timeout=60.0)
    if answer is None:
        return _util.not_running(paths)
    return _util.report(name, answer)
