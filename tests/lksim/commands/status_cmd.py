"""lcdstatus [-d destsys] [-q] [-e] [-r roottag]: the LCD status display."""
import sys

from lksim import client, defaults, lcd
from lksim.commands import _util

RESOURCE_HEADER = ("TAG", "ID", "STATE", "PRIO", "PRIMARY")
COMM_HEADER = ("MACHINE", "NETWORK", "ADDRESSES/DEVICE", "STATE", "PRIO")
NO_BACKUP = "------"     # BACKUP column on the lowest-priority system (vendor's example)


def _table(rows, right):
    """Lines of rows (first row = header): columns padded to the longest value, two spaces
    between columns, the columns in right right-aligned, no trailing spaces."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index in right:
                cells.append(value.rjust(widths[index]))
            elif index == len(row) - 1:
                cells.append(value)
            else:
                cells.append(value.ljust(widths[index]))
        lines.append("  ".join(cells).rstrip())
    return lines


def render_short(data, first="LOCAL", root=None):
    """Text of the short display (-q: first column LOCAL, -e: BACKUP)."""
    view = lcd.Lcd(data)
    rows = [(first,) + RESOURCE_HEADER]
    for tag, depth in view.tree(root):
        res = view.get(tag)
        if first == "LOCAL":
            lead = view.node
        else:
            lead = view.backup(tag) or NO_BACKUP
        prio = view.priority(tag)
        rows.append((lead, " " * depth + tag, res["id"], res["state"],
                     "" if prio is None else str(prio), view.primary(tag)))
    lines = _table(rows, right=(4,))
    lines.append("")
    comm = [COMM_HEADER]
    for path in data.get("comm_paths", []):
        tcp = path.get("network", "TCP") == "TCP"
        comm.append((path["machine"], path.get("network", "TCP"),
                     "%s/%s" % (path["local"], path["remote"]) if tcp else path.get("device", ""),
                     path.get("state", "DEAD"), str(path.get("priority")) if tcp else "--"))
    lines.extend(_table(comm, right=(4,)))
    return "\n".join(lines) + "\n"


INITIALIZE = "(AUTORES_ISP) automatic restore to IN-SERVICE by LifeKeeper"
REASONS = {"ISP": "restore action has succeeded", "ISU": "restore action has succeeded",
           "OSF": "restore action has failed"}
SHUTDOWN_STRATEGY = "do not switch over resources (default)"
DETAIL_INDENT = " " * 8
# The vendor's texts (published samples: ASSUMPTIONS.md, "Status displays").
ROOT_LINE = "ROOT of RESOURCE HIERARCHY"
NOT_RUNNING = "LifeKeeper does not appear to be running."


def machine_states(data):
    """{machine: ALIVE|DEAD}: this node, and each peer ALIVE when a path to it is ALIVE."""
    states = {data["node"]: "ALIVE"}
    for name in sorted(data.get("systems", {})):
        if name != data["node"]:
            states[name] = "DEAD"
    for path in data.get("comm_paths", []):
        if path.get("state") == "ALIVE":
            states[path["machine"]] = "ALIVE"
        else:
            states.setdefault(path["machine"], "DEAD")
    return states


def _long_resource(view, tag, machines):
    """Lines of one resource of the long display (layout: ASSUMPTIONS.md, "Status displays")."""
    res = view.get(tag)
    app, kind = view.app_type(tag)
    lines = []
    if not view.parents(tag):
        lines.append(ROOT_LINE)
    lines.extend(["%s: id=%s app=%s type=%s state=%s" % (tag, res["id"], app, kind, res["state"]),
                  DETAIL_INDENT + "initialize=" + INITIALIZE,
                  DETAIL_INDENT + "info=%s" % res.get("info", res["id"])])
    if res["state"] in REASONS:
        lines.append(DETAIL_INDENT + "reason=" + REASONS[res["state"]])
    if view.children(tag):
        lines.append(DETAIL_INDENT + "depends on resources: " + ",".join(view.children(tag)))
    if view.parents(tag):
        lines.append(DETAIL_INDENT + "These resources are dependent: " + " ".join(view.parents(tag)))
    if view.priority(tag) is not None:
        lines.append(DETAIL_INDENT + "Local priority = %d" % view.priority(tag))
    for system in view.equivalent_systems(tag):
        lines.append(DETAIL_INDENT + "SHARED equivalency with resource %s on machine %s, priority = %d"
                     % (tag, system, view.priority(tag, system)))
        lines.append(DETAIL_INDENT * 2 + "FAILOVER %s"
                     % ("ALLOWED" if machines.get(system) == "ALIVE" else "INHIBITED"))
    return lines


def render_long(data, root=None):
    """Text of the long display (lcdstatus without -q/-e, lkcli status without flags).

    Each resource once, in display order (one under its first parent only), in the shapes of
    the vendor's published samples; what they do not show is ASSUMED (ASSUMPTIONS.md)."""
    view = lcd.Lcd(data)
    machines = machine_states(data)
    lines = ["Resource Hierarchy Information", "",
             'Resource hierarchies for machine "%s":' % view.node, ""]
    shown = []
    for tag, dummy_depth in view.tree(root):
        if tag in shown:
            continue
        shown.append(tag)
        lines.extend(_long_resource(view, tag, machines))
        lines.append("")
    lines.extend(["Communication Status Information", "", "The following LifeKeeper machines are known:"])
    lines.extend(DETAIL_INDENT + "machine=%s state=%s" % (name, machines[name])
                 for name in sorted(machines))
    lines.extend(["", 'Network and TTY communication paths from machine "%s":' % view.node])
    for path in data.get("comm_paths", []):
        tcp = path.get("network", "TCP") == "TCP"
        lines.append(DETAIL_INDENT + "to machine=%s type=%s addresses=%s" % (
            path["machine"], path.get("network", "TCP"),
            "%s/%s" % (path["local"], path["remote"]) if tcp else path.get("device", "")))
        # the state on the line below, priority for TCP paths only (the vendor's sample and text)
        lines.append(DETAIL_INDENT * 2 + 'state="%s"%s #comm_downs=%d' % (
            path.get("state", "DEAD"), " priority=%s" % path.get("priority") if tcp else "",
            int(path.get("comm_downs", 0))))
    lines.extend(["", "LifeKeeper Flags", "", "The following LifeKeeper flags are on:", "",
                  "Shutdown Strategy", "",
                  "The shutdown strategy is set to: %s." % SHUTDOWN_STRATEGY])
    return "\n".join(lines) + "\n"


def fetch(paths, system=None):
    """(answer or None, node name) for the local node or system (-d)."""
    node = _util.node_name(paths)
    if system is None or system == node:
        return _util.ask(paths, {"op": "status"}, timeout=30.0), node
    view = _util.load_lcd(paths)
    entry = view.data["systems"].get(system)
    if entry is None:
        return False, system
    port = defaults.port(defaults.load(paths))
    for address in entry.get("addresses", []):
        try:
            return client.send(address, port, {"op": "status"}, timeout=10.0), system
        except client.NotRunning:
            continue
    return None, system


def show(name, paths, short=None, root=None, system=None):
    """Print the status; short = None (long), "LOCAL" or "BACKUP". Returns the exit code."""
    answer, node = fetch(paths, system)
    if answer is False:
        sys.stderr.write('%s: system "%s" does not exist\n' % (name, system))
        return 7
    if answer is None or not answer.get("ok"):
        sys.stdout.write(NOT_RUNNING + "\n")
        return 1
    data = answer["lcd"]
    if root is not None and lcd.Lcd(data).get(root) is None:
        return _util.no_such_resource(name, root)
    if short:
        sys.stdout.write(render_short(data, short, root))
    else:
        sys.stdout.write(render_long(data, root))
    return 0


def main(name, argv, paths):
    parser = _util.Parser(prog="lcdstatus", description="LifeKeeper status")
    parser.add_argument("-d", dest="system", metavar="destsys", help="ask this system")
    parser.add_argument("-q", action="store_true", help="short display, LOCAL column")
    parser.add_argument("-e", action="store_true", help="short display, BACKUP column")
    parser.add_argument("-r", dest="root", metavar="roottag", help="one hierarchy only")
    args = parser.parse_args(argv)
    short = "BACKUP" if args.e else ("LOCAL" if args.q else None)
    return show(name, paths, short, args.root, args.system)
