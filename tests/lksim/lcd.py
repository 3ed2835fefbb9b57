"""The node's LCD database: $LKROOT/config/lcd.json.

{"node": "node1",
 "systems": {"node1": {"addresses": ["127.0.0.11"]}, "node2": {...}},
 "comm_paths": [{"machine": "node2", "network": "TCP", "local": "127.0.0.11",
                 "remote": "127.0.0.12", "priority": 1}],
 "resources": [{"tag": "app-web", "id": "app-web", "type": "gen/app", "info": "app-web",
                "state": "ISP", "priorities": {"node1": 1, "node2": 10},
                "children": ["ip-..."]}, ...],
 "running": false}

"type" is "app/restype" (application and resource class, e.g. gen/app, comm/ip,
scsi/netraid); "info" is the instance's info field (the id when the spec gives none).
"state" is the state of this node's instance (what the node had when the LCD was last
written). A resource is "extended" to every node named in its priorities (equivalencies).
"running" is true while the daemon runs: found true at start = the last run crashed.
"""
import json
import os

IN_SERVICE = ("ISP", "ISU")
STATES = ("ISP", "ISU", "OSU", "OSF", "ILLSTATE")
MIRROR_TYPE = "scsi/netraid"    # a DataKeeper replicated volume, whatever its tag


class LcdError(Exception):
    pass


def empty(node):
    return {"node": node, "systems": {}, "comm_paths": [], "resources": [], "running": False}


def load(paths):
    try:
        with open(paths.lcd_file, encoding="utf-8") as handle:
            data = json.load(handle)
    except (IOError, OSError):
        raise LcdError("no LCD database at %s" % paths.lcd_file)
    except ValueError as exc:
        raise LcdError("LCD database %s is corrupt: %s" % (paths.lcd_file, exc))
    for key, value in empty(data.get("node", "")).items():
        data.setdefault(key, value)
    return data


def save(paths, data):
    """Write lcd.json atomically (temp file + rename)."""
    os.makedirs(os.path.dirname(paths.lcd_file), exist_ok=True)
    tmp = "%s.%d.tmp" % (paths.lcd_file, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, paths.lcd_file)


def split_type(text):
    """(app, restype) of a resource type "app/restype"; LcdError naming a malformed one."""
    parts = str(text).split("/")
    if len(parts) != 2 or not all(part and not part.isspace() and " " not in part
                                  for part in parts):
        raise LcdError("resource type %r is not of the form app/restype (e.g. gen/app, "
                       "comm/ip, scsi/netraid)" % (text,))
    return parts[0], parts[1]


def from_spec(spec, node):
    """The LCD of node for a cluster spec (see README.md); states from in_service_on."""
    names = [n["name"] for n in spec.get("nodes", [])]
    if node not in names:
        raise LcdError("node %s is not in the cluster spec (nodes: %s)" % (node, ", ".join(names)))
    data = empty(node)
    for entry in spec["nodes"]:
        addresses = entry.get("addresses") or [entry["address"]]
        data["systems"][entry["name"]] = {"addresses": list(addresses)}
    local = data["systems"][node]["addresses"]
    for entry in spec["nodes"]:
        if entry["name"] == node:
            continue
        remote = data["systems"][entry["name"]]["addresses"]
        for index, (laddr, raddr) in enumerate(zip(local, remote)):
            data["comm_paths"].append({"machine": entry["name"], "network": "TCP",
                                       "local": laddr, "remote": raddr, "priority": index + 1})
    for hierarchy in spec.get("hierarchies", []):
        priorities = hierarchy.get("priorities") or dict(
            (name, 1 + 9 * index) for index, name in enumerate(names))
        if node not in priorities:
            continue
        for res in hierarchy["resources"]:
            prio = dict(res.get("priorities") or priorities)
            if node not in prio:
                continue
            kind = res.get("type", "gen/app")
            split_type(kind)
            data["resources"].append({
                "tag": res["tag"], "id": res.get("id", res["tag"]),
                "type": kind, "info": res.get("info", res.get("id", res["tag"])),
                "state": "ISP" if hierarchy.get("in_service_on") == node else "OSU",
                "priorities": prio, "children": list(res.get("children", []))})
    return data


class Lcd(object):
    """Read-only helpers over an LCD dict (the dict itself is shared and may be mutated)."""

    def __init__(self, data):
        self.data = data
        self.node = data["node"]

    @property
    def resources(self):
        return self.data["resources"]

    def tags(self):
        return [r["tag"] for r in self.resources]

    def get(self, tag):
        for res in self.resources:
            if res["tag"] == tag:
                return res
        return None

    def children(self, tag):
        res = self.get(tag)
        return [c for c in (res["children"] if res else []) if self.get(c) is not None]

    def parents(self, tag):
        return [r["tag"] for r in self.resources if tag in r["children"]]

    def roots(self):
        return [r["tag"] for r in self.resources if not self.parents(r["tag"])]

    @staticmethod
    def _reach(start, step):
        """Every tag reachable from the tags in start by step (depth first, each once)."""
        seen = []
        stack = list(start)
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.append(current)
            stack.extend(step(current))
        return seen

    def descendants(self, tag):
        """tag and everything it depends on."""
        return self._reach([tag], self.children)

    def ancestors(self, tag):
        """Everything that depends on tag (not tag itself)."""
        return self._reach(self.parents(tag), self.parents)

    def depth_of(self, tag):
        best = 0
        for parent in self.parents(tag):
            best = max(best, 1 + self.depth_of(parent))
        return best

    def children_first(self, tags):
        """tags ordered so that every resource comes after all it depends on."""
        position = dict((t, i) for i, t in enumerate(self.tags()))
        tags = sorted(dict.fromkeys(tags), key=lambda t: position.get(t, len(position)))
        order = []

        def visit(tag, trail):
            if tag in order or tag in trail:
                return
            for child in self.children(tag):
                if child in tags:
                    visit(child, trail + (tag,))
            order.append(tag)
        for tag in tags:
            visit(tag, ())
        return order

    def parents_first(self, tags):
        return list(reversed(self.children_first(tags)))

    def tree(self, root=None):
        """[(tag, depth)] in display order: each root, then its children depth first."""
        rows = []

        def walk(tag, depth, trail):
            rows.append((tag, depth))
            for child in self.children(tag):
                if child not in trail:
                    walk(child, depth + 1, trail + (child,))
        for top in ([root] if root else self.roots()):
            walk(top, 0, (top,))
        return rows

    def hierarchy_of(self, tag):
        """All tags connected to tag (its whole hierarchy)."""
        seen = set()
        stack = [tag]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(self.children(current))
            stack.extend(self.parents(current))
        return [t for t in self.tags() if t in seen]

    def app_type(self, tag):
        """(app, restype) of tag's type; an LCD written before types were checked may hold
        a malformed one: it is shown as its app with an empty restype."""
        kind = self.get(tag).get("type", "gen/app")
        try:
            return split_type(kind)
        except LcdError:
            return kind, ""

    def primary(self, tag):
        prio = self.get(tag)["priorities"]
        return sorted(prio, key=lambda n: (prio[n], n))[0] if prio else self.node

    def priority(self, tag, node=None):
        return self.get(tag)["priorities"].get(node or self.node)

    def backup(self, tag):
        """The next system in failover priority order after this one (the vendor's BACKUP
        column of `lcdstatus -e`), or None on the lowest-priority system."""
        prio = self.get(tag)["priorities"]
        others = sorted((n for n in prio if n != self.node), key=lambda n: (prio[n], n))
        if self.node not in prio:
            return others[0] if others else None
        after = [n for n in others if (prio[n], n) > (prio[self.node], self.node)]
        return after[0] if after else None

    def equivalent_systems(self, tag):
        prio = self.get(tag)["priorities"]
        return sorted((n for n in prio if n != self.node), key=lambda n: (prio[n], n))

    def peers(self):
        return [name for name in self.data["systems"] if name != self.node]

    def is_mirror(self, tag):
        res = self.get(tag)
        return bool(res) and res.get("type") == MIRROR_TYPE
