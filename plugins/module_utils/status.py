# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure parsers for LifeKeeper status text (no I/O).

The short display of ``lcdstatus -q`` / ``lcdstatus -e`` / ``lkcli status [-q|-e]``
has two sections, each introduced by a header line::

    LOCAL    TAG             ID                STATE     PRIO  PRIMARY
    node-a   app-web         app-web           ISP          1  node-a
    node-a    ip-10.0.0.50   IP-10.0.0.50      ISP          1  node-a

    MACHINE  NETWORK ADDRESSES/DEVICE          STATE     PRIO
    node-b   TCP     10.0.0.11/10.0.0.12       ALIVE        1

The first column is ``LOCAL`` (``-q``) or ``BACKUP`` (``-e``; a run of dashes when
there is no backup). TAG is indented one space per dependency level. Rows are split on
whitespace (TAG and ID never contain spaces); the depth of a row is the column of its
TAG relative to the start of its first column, minus the smallest such offset in the
section. Any other line (section titles, blank lines, messages) is ignored. Output
without a resource header line means LifeKeeper is not running.

The long display (``lcdstatus`` / ``lkcli status`` without -q/-e; layout [assumed],
CONTRACTS.md section 1) is parsed by parse_long_status: it gives each resource's type
(``app/type``), its dependencies, the communication paths and the node's name.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    FAILED_STATE, IN_SERVICE_STATES, MIRROR_IN_SYNC_STATE, STANDBY_STATE, is_mirror)

FIRST_COLUMNS = {'LOCAL': 'local', 'BACKUP': 'backup'}
RESOURCE_HEADER = ('TAG', 'ID', 'STATE', 'PRIO', 'PRIMARY')
COMM_HEADER = ('MACHINE', 'NETWORK', 'ADDRESSES/DEVICE', 'STATE', 'PRIO')

_TOKEN_RE = re.compile(r'\S+')
_INT_RE = re.compile(r'^-?\d+$')
_NOT_RUNNING_RE = re.compile(r'LifeKeeper is not running(?: on (?P<node>\S+?))?\.?\s*$')


class Resource(object):
    """One resource instance as shown in the short display."""

    def __init__(self, tag, id, state, priority, primary, depth=0, first=None, type=None):
        self.tag = tag
        self.type = type
        self.id = id
        self.state = state
        self.priority = priority
        self.primary = primary
        self.depth = depth
        self.first = first
        self.parent = None
        self.parents = []
        self.children = []

    @property
    def in_service(self):
        return self.state in IN_SERVICE_STATES

    def as_dict(self):
        return {
            'tag': self.tag,
            'id': self.id,
            'state': self.state,
            'priority': self.priority,
            'primary': self.primary,
            'depth': self.depth,
            'parent': self.parent,
            'parents': list(self.parents),
            'children': list(self.children),
            'first': self.first,
            'type': self.type,
            'mirror': is_mirror(self),
        }

    def __repr__(self):
        return 'Resource(%r, state=%r, depth=%r)' % (self.tag, self.state, self.depth)


class CommPath(object):
    """One communication path row."""

    def __init__(self, machine, network, addresses, state, priority):
        self.machine = machine
        self.network = network
        self.addresses = addresses
        self.state = state
        self.priority = priority

    @property
    def alive(self):
        return self.state == 'ALIVE'

    def as_dict(self):
        return {
            'machine': self.machine,
            'network': self.network,
            'addresses': self.addresses,
            'state': self.state,
            'priority': self.priority,
        }

    def __repr__(self):
        return 'CommPath(%r, %r, %r)' % (self.machine, self.addresses, self.state)


class _Display(object):
    """What both status displays offer: their resources by tag."""

    resources = ()

    def resource(self, tag):
        for res in self.resources:
            if res.tag == tag:
                return res
        return None

    @property
    def tags(self):
        return [res.tag for res in self.resources]


class ClusterStatus(_Display):
    """Parsed short display.

    running: a resource header line was found.
    layout: "local" (-q), "backup" (-e) or None (not running).
    message: the text when LifeKeeper is not running (e.g. the one-line message).
    node: the node named in the not-running message, or the LOCAL column value (-q).
    """

    def __init__(self, running=False, layout=None, resources=None, comm_paths=None, message=None, node=None):
        self.running = running
        self.layout = layout
        self.resources = resources if resources is not None else []
        self.comm_paths = comm_paths if comm_paths is not None else []
        self.message = message
        self.node = node

    def apply_types(self, types):
        """Set each resource's type from {tag: 'app/type'} (the long display); unknown stays None."""
        for res in self.resources:
            res.type = types.get(res.tag)

    @property
    def mirrors(self):
        """Tags of the mirror resources (type scsi/netraid), in display order."""
        return [res.tag for res in self.resources if is_mirror(res)]

    def as_dict(self):
        return {
            'running': self.running,
            'layout': self.layout,
            'resources': [res.as_dict() for res in self.resources],
            'comm_paths': [path.as_dict() for path in self.comm_paths],
            'message': self.message,
            'node': self.node,
        }

    def __repr__(self):
        return 'ClusterStatus(running=%r, layout=%r, resources=%r, comm_paths=%r)' % (
            self.running, self.layout, self.resources, self.comm_paths)


class MirrorStatus(object):
    """Parsed ``mirror_status TAG`` output (known: it named the tag asked for and had targets)."""

    def __init__(self, tag, source, targets):
        self.tag = tag
        self.source = source
        self.targets = targets

    @property
    def in_sync(self):
        """True when there is at least one target and every target is Mirroring."""
        return bool(self.targets) and all(target['state'] == MIRROR_IN_SYNC_STATE for target in self.targets)

    def as_dict(self):
        return {
            'tag': self.tag,
            'source': self.source,
            'targets': [dict(target) for target in self.targets],
            'in_sync': self.in_sync,
            'known': True,
        }

    def __repr__(self):
        return 'MirrorStatus(%r, source=%r, targets=%r)' % (self.tag, self.source, self.targets)


def unknown_mirror(tag, reason):
    """The record of a mirror whose state could not be read: never in sync."""
    return {'tag': tag, 'source': None, 'targets': [], 'in_sync': False, 'known': False, 'error': reason}


def _tokens(line):
    """[(start_column, token), ...] of a line split on whitespace."""
    return [(match.start(), match.group(0)) for match in _TOKEN_RE.finditer(line)]


def _is_resource_header(words):
    return len(words) == 6 and words[0] in FIRST_COLUMNS and tuple(words[1:]) == RESOURCE_HEADER


def _is_comm_header(words):
    return tuple(words) == COMM_HEADER


def _to_int(text):
    if _INT_RE.match(text):
        return int(text)
    return None


def _link(resources, depths):
    """Set depth, parent(s) and children from the listing order; merge repeated tags.

    A resource with several parents is listed once under each parent; the first
    occurrence is kept and later ones only add the parent link.
    """
    by_tag = {}
    ordered = []
    stack = []  # [(depth, tag)] ancestors of the current row
    for res, depth in zip(resources, depths):
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent_tag = stack[-1][1] if stack else None
        known = by_tag.get(res.tag)
        if known is None:
            res.depth = depth
            res.parent = parent_tag
            by_tag[res.tag] = res
            ordered.append(res)
            known = res
        if parent_tag is not None:
            if parent_tag not in known.parents:
                known.parents.append(parent_tag)
            parent = by_tag[parent_tag]
            if known.tag not in parent.children:
                parent.children.append(known.tag)
        stack.append((depth, res.tag))
    return ordered


def parse_short_status(text):
    """Parse the short status display into a ClusterStatus."""
    text = text or ''
    section = None
    layout = None
    local_node = None
    rows = []  # (Resource, offset)
    paths = []
    other = []
    for line in text.splitlines():
        toks = _tokens(line.rstrip('\r'))
        words = [tok for _col, tok in toks]
        if not words:
            continue
        if _is_resource_header(words):
            section = 'resources'
            layout = FIRST_COLUMNS[words[0]]
            continue
        if _is_comm_header(words):
            section = 'comm'
            continue
        if section == 'resources' and len(words) == 6 and _to_int(words[4]) is not None:
            first_col, first = toks[0]
            tag_col = toks[1][0]
            res = Resource(tag=words[1], id=words[2], state=words[3], priority=_to_int(words[4]),
                           primary=words[5], first=first)
            rows.append((res, tag_col - first_col))
            if layout == 'local' and local_node is None:
                local_node = first
            continue
        if section == 'comm' and len(words) == 5:
            paths.append(CommPath(machine=words[0], network=words[1], addresses=words[2],
                                  state=words[3], priority=_to_int(words[4])))
            continue
        other.append(line.strip())

    if layout is None:
        message = '\n'.join(other) or None
        node = None
        for line in other:
            match = _NOT_RUNNING_RE.search(line)
            if match:
                node = match.group('node')
                break
        return ClusterStatus(running=False, layout=None, message=message, node=node)

    base = min([offset for _res, offset in rows]) if rows else 0
    resources = _link([res for res, _offset in rows], [offset - base for _res, offset in rows])
    return ClusterStatus(running=True, layout=layout, resources=resources, comm_paths=paths,
                         node=local_node)


def roots(resources):
    """Tags of the hierarchy roots (resources without a parent), in display order."""
    return [res.tag for res in resources if not res.parents]


def hierarchy(resources, root_tag):
    """Tags of a hierarchy: the root and everything below it, depth first, each once."""
    by_tag = dict((res.tag, res) for res in resources)
    if root_tag not in by_tag:
        raise KeyError(root_tag)
    seen = []
    pending = [root_tag]
    while pending:
        tag = pending.pop(0)
        if tag in seen:
            continue
        seen.append(tag)
        res = by_tag.get(tag)
        if res is not None:
            pending = list(res.children) + pending
    return seen


def root_of(resources, tag):
    """The root tags above tag (a shared child may belong to several hierarchies)."""
    by_tag = dict((res.tag, res) for res in resources)
    found = []
    pending = [tag]
    seen = set()
    while pending:
        current = pending.pop(0)
        if current in seen or current not in by_tag:
            continue
        seen.add(current)
        res = by_tag[current]
        if not res.parents:
            found.append(current)
        pending.extend(res.parents)
    return found


def hierarchies(resources):
    """[{root, state, tags}] for each hierarchy; state is the root's local state."""
    by_tag = dict((res.tag, res) for res in resources)
    return [{'root': root, 'state': by_tag[root].state, 'tags': hierarchy(resources, root)}
            for root in roots(resources)]


def summary(cluster_status):
    """Summary of a ClusterStatus (the local node's view).

    in_service_here: roots ISP/ISU here; standby_here: roots OSU here;
    failed_anywhere: tags shown OSF; all_paths_alive: at least one path and all ALIVE.
    """
    resources = cluster_status.resources
    hiers = hierarchies(resources)
    paths = cluster_status.comm_paths
    return {
        'in_service_here': [h['root'] for h in hiers if h['state'] in IN_SERVICE_STATES],
        'standby_here': [h['root'] for h in hiers if h['state'] == STANDBY_STATE],
        'failed_anywhere': [res.tag for res in resources if res.state == FAILED_STATE],
        'all_paths_alive': bool(paths) and all(path.alive for path in paths),
        'dead_paths': [path.machine + ' ' + path.addresses for path in paths if not path.alive],
        'hierarchies': hiers,
    }


def parse_mirror_status(text, tag=None):
    """Parse ``mirror_status TAG`` output strictly ([assumed] format, ASSUMPTIONS.md)::

        Mirror: datarep-data
        Source: node1
        TARGET   STATE       PROGRESS
        node2    Resyncing   45%

    ``Source`` is dashes when the mirror is in service nowhere (source None). Raises ValueError
    (the state is unknown, never "in sync") when there is no ``Mirror:`` line, when the answer is
    about another tag than ``tag``, or when it has no target rows.
    """
    found = None
    source = None
    targets = []
    in_targets = False
    for line in (text or '').splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == 'Mirror:' and len(words) >= 2:
            found = words[1]
            continue
        if words[0] == 'Source:':
            source = words[1] if len(words) >= 2 and words[1].strip('-') else None
            continue
        if words[:2] == ['TARGET', 'STATE']:
            in_targets = True
            continue
        if in_targets:
            if len(words) < 2:
                raise ValueError('unreadable target row %r' % line.strip())
            progress = None
            if len(words) >= 3:
                progress = _to_int(words[2].rstrip('%'))
            targets.append({'name': words[0], 'state': words[1], 'progress': progress})
    if found is None:
        raise ValueError('not mirror_status output (no "Mirror:" line): %r' % (text or '')[:200])
    if tag is not None and found != tag:
        raise ValueError('the answer is about mirror %r, not %r' % (found, tag))
    if not targets:
        raise ValueError('the answer about mirror %r has no target rows' % found)
    return MirrorStatus(tag=found, source=source, targets=targets)


def parse_package_list(text):
    """[{name, version}] sorted by name, from ``rpm -qa --qf '%{NAME}\\t%{VERSION}\\n'`` output."""
    packages = {}
    for line in (text or '').splitlines():
        words = line.split()
        if len(words) == 2:
            packages[words[0]] = words[1]
    return [{'name': name, 'version': packages[name]} for name in sorted(packages)]


# ---- the long display ---------------------------------------------------------------------------
_LONG_RESOURCE_RE = re.compile(r'^(?P<tag>\S+):\s+(?=id=)(?P<rest>.*)$')
_LONG_KEYS_RE = re.compile(r'(?:^|\s)(id|app|type|state)=')
_LONG_DETAIL_RE = re.compile(r'^\s+(initialize|info|reason)=(.*)$')
_LONG_DEPENDS_RE = re.compile(r'^\s+depends on resources:\s*(.*)$')
_LONG_MACHINE_RE = re.compile(r'^Resource hierarchies for machine "(?P<node>[^"]+)":\s*$')
_LONG_PATH_RE = re.compile(r'^\s+to machine=')
_LONG_PAIR_RE = re.compile(r'(#?[A-Za-z_]+)=("[^"]*"|\S+)')
_LONG_STRATEGY_RE = re.compile(r'^The shutdown strategy is set to:\s*(.*?)\.?\s*$')
_LONG_FLAGS_TITLE = 'The following LifeKeeper flags are on:'
_LONG_SECTIONS = ('Resource Hierarchy Information', 'Communication Status Information',
                  'LifeKeeper Flags', 'Shutdown Strategy')
LONG_REQUIRED_KEYS = ('id', 'app', 'type', 'state')


class LongResource(object):
    """One resource of the long display."""

    def __init__(self, tag, fields):
        self.tag = tag
        self.id = fields['id']
        self.app = fields['app']
        self.kind = fields['type']
        self.state = fields['state']
        self.initialize = None
        self.info = None
        self.reason = None
        self.depends_on = []

    @property
    def type(self):
        """The resource type ``app/type`` (for example scsi/netraid)."""
        return '%s/%s' % (self.app, self.kind)

    def as_dict(self):
        return {'tag': self.tag, 'id': self.id, 'app': self.app, 'type': self.type, 'state': self.state,
                'initialize': self.initialize, 'info': self.info, 'reason': self.reason,
                'depends_on': list(self.depends_on)}


class LongStatus(_Display):
    """Parsed long display: running, node, resources (display order), comm_paths, flags, strategy."""

    def __init__(self, running=False, node=None, resources=None, comm_paths=None, flags=None,
                 shutdown_strategy=None, message=None):
        self.running = running
        self.node = node
        self.resources = resources if resources is not None else []
        self.comm_paths = comm_paths if comm_paths is not None else []
        self.flags = flags if flags is not None else []
        self.shutdown_strategy = shutdown_strategy
        self.message = message

    def types(self):
        """{tag: 'app/type'} of every resource."""
        return dict((res.tag, res.type) for res in self.resources)

    def parents(self, tag):
        return [res.tag for res in self.resources if tag in res.depends_on]


def _long_fields(rest):
    """{key: value} of the key=value pairs of a resource line; a value runs to the next key."""
    matches = list(_LONG_KEYS_RE.finditer(rest))
    fields = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(rest)
        fields[match.group(1)] = rest[match.end():end].strip()
    return fields


def _long_path(line):
    pairs = dict((key, value.strip('"')) for key, value in _LONG_PAIR_RE.findall(line))
    downs = pairs.get('#comm_downs')
    path = CommPath(machine=pairs.get('machine'), network=pairs.get('type'), addresses=pairs.get('addresses'),
                    state=pairs.get('state'), priority=_to_int(pairs.get('priority') or ''))
    path.comm_downs = _to_int(downs) if downs is not None else None
    return path


def parse_long_status(text):
    """Parse the long status display (CONTRACTS.md section 1) into a LongStatus.

    A resource line is ``TAG: id=... app=... type=... state=...`` (a value runs to the next key);
    the indented lines below it give initialize, info, reason and ``depends on resources:`` (tags
    separated by commas and/or spaces). Unknown lines are ignored. Raises ValueError when a tag
    appears twice or a resource line lacks id, app, type or state. Output without any resource
    section is "not running": its text is the message (the node taken from it when named).
    """
    text = text or ''
    node = None
    resources = []
    by_tag = {}
    paths = []
    flags = []
    strategy = None
    current = None
    in_flags = False
    seen_section = False
    other = []
    for raw in text.splitlines():
        line = raw.rstrip('\r')
        stripped = line.strip()
        if not stripped:
            continue
        if stripped in _LONG_SECTIONS:
            seen_section = True
            in_flags = False
            current = None
            continue
        match = _LONG_MACHINE_RE.match(stripped)
        if match:
            node = match.group('node')
            seen_section = True
            continue
        match = _LONG_RESOURCE_RE.match(line)
        if match:
            tag = match.group('tag')
            fields = _long_fields(match.group('rest'))
            lacking = [key for key in LONG_REQUIRED_KEYS if not fields.get(key)]
            if lacking:
                raise ValueError('resource line of %s lacks %s: %r' % (tag, ', '.join(lacking), stripped))
            if tag in by_tag:
                raise ValueError('tag %s appears twice in the long status display' % tag)
            current = LongResource(tag, fields)
            by_tag[tag] = current
            resources.append(current)
            in_flags = False
            continue
        if current is not None and line[:1].isspace():
            match = _LONG_DETAIL_RE.match(line)
            if match:
                setattr(current, match.group(1), match.group(2).strip())
                continue
            match = _LONG_DEPENDS_RE.match(line)
            if match:
                current.depends_on = [tag for tag in re.split(r'[,\s]+', match.group(1)) if tag]
                continue
        if _LONG_PATH_RE.match(line):
            paths.append(_long_path(line))
            current = None
            continue
        if stripped == _LONG_FLAGS_TITLE:
            in_flags = True
            current = None
            continue
        match = _LONG_STRATEGY_RE.match(stripped)
        if match:
            strategy = match.group(1)
            in_flags = False
            continue
        if in_flags:
            flags.append(stripped)
            continue
        if not line[:1].isspace():
            current = None
        other.append(stripped)
    if not resources and not seen_section:
        message = '\n'.join(other) or None
        for line in other:
            match = _NOT_RUNNING_RE.search(line)
            if match:
                node = match.group('node')
                break
        return LongStatus(running=False, node=node, message=message)
    return LongStatus(running=True, node=node, resources=resources, comm_paths=paths, flags=flags,
                      shutdown_strategy=strategy)
