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
whitespace (a TAG never contains spaces); the depth of a row is the column of its
TAG relative to the start of its first column, minus the smallest such offset in the
section. A row whose words are not exactly the six columns (an ID with a blank, an empty
PRIO) is read by the column positions of its header line; a row that cannot be read that
way either makes the whole answer unusable (ValueError naming the row), never a shorter
list. Blank lines and the documented section titles are skipped; lines before the first
header are the message of a node where LifeKeeper is not running (output without a
resource header line).

The long display (``lcdstatus`` / ``lkcli status`` without -q/-e; the shapes of the vendor's
published samples, tests/lksim/ASSUMPTIONS.md "Status displays") is parsed by
parse_long_status: each resource's type (``app/type``), dependencies, priorities and
equivalencies, the communication paths, the known machines and the node's name.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.hatools.lifekeeper.plugins.module_utils.constants import (
    FAILED_STATE, IN_SERVICE_STATES, MIRROR_IN_SYNC_STATE, MIRROR_TYPE, STANDBY_STATE, is_mirror)

FIRST_COLUMNS = {'LOCAL': 'local', 'BACKUP': 'backup'}
RESOURCE_HEADER = ('TAG', 'ID', 'STATE', 'PRIO', 'PRIMARY')
COMM_HEADER = ('MACHINE', 'NETWORK', 'ADDRESSES/DEVICE', 'STATE', 'PRIO')

_TOKEN_RE = re.compile(r'\S+')
# [0-9], not \d: \d also matches other scripts' digits (int() reads '\u0669' as 9).
_INT_RE = re.compile(r'^-?[0-9]+\Z')
# Two texts: the one of issue 17 ("does not appear to be running", no public sample found) and
# the older "is not running on NODE." (ASSUMPTIONS.md, section "Status displays").
_NOT_RUNNING_RE = re.compile(r'LifeKeeper (?:does not appear to be|is not) running(?: on (?P<node>\S+?))?\.?\s*\Z')
# Section titles printed around the two tables (documented samples; upper case: older layout).
SHORT_TITLES = ('resource hierarchy information', 'communication status information',
                'resource hierarchies', 'communication paths')


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


class _Columns(object):
    """Where each column of a table starts (and PRIO ends: it is right-aligned), from its header."""

    def __init__(self, toks):
        self.starts = [col for col, _word in toks]
        self.prio_end = toks[-2][0] + len(toks[-2][1]) if len(toks) >= 2 else None


def _unreadable(line, why):
    return ValueError('unreadable status display row %r: %s' % (line.strip(), why))


def _resource_by_columns(line, columns):
    """(first, first_col, tag, tag_col, id, state, prio text, primary) of a resource row read by
    the positions of its header (BACKUP/LOCAL TAG ID STATE PRIO PRIMARY); ValueError when the
    row does not fit them (the values would be guesses)."""
    first_col, tag_col, id_col, state_col, _prio_col, primary_col = columns.starts
    toks = _tokens(line)

    def starting_at(col):
        return [tok for tok in toks if tok[0] == col]

    if not toks or toks[0][0] != first_col:
        raise _unreadable(line, 'its first column does not start under the header')
    tag = [tok for tok in toks if tag_col <= tok[0] < id_col]
    if len(tag) != 1 or toks[1] != tag[0]:
        raise _unreadable(line, 'no single TAG word between the TAG and ID columns')
    state = starting_at(state_col)
    primary = [tok for tok in toks if tok[0] >= primary_col]
    if not state or not primary or len(primary) != 1 or primary[0][0] != primary_col:
        raise _unreadable(line, 'STATE or PRIMARY not under their headers')
    ident = line[id_col:state_col]
    if line[id_col - 1:id_col] not in (' ', '') or not ident.strip() or ident[:1].isspace() \
            or line[state_col - 1:state_col] != ' ':
        raise _unreadable(line, 'ID does not fill its column')
    between = [tok for tok in toks if state[0][0] < tok[0] < primary_col]
    if len(between) > 1 or (between and between[0][0] + len(between[0][1]) != columns.prio_end):
        raise _unreadable(line, 'PRIO not right-aligned under its header')
    prio = between[0][1] if between else ''
    return (toks[0][1], toks[0][0], tag[0][1], tag[0][0], ident.strip(), state[0][1], prio, primary[0][1])


def _resource_row(line, toks, columns):
    """The values of a resource row: six words, or the header's column positions."""
    words = [tok for _col, tok in toks]
    if len(words) == 6 and _to_int(words[4]) is not None:
        return (words[0], toks[0][0], words[1], toks[1][0], words[2], words[3], words[4], words[5])
    values = _resource_by_columns(line, columns)
    if values[6] and _to_int(values[6]) is None:
        raise _unreadable(line, 'PRIO %r is not a number' % values[6])
    return values


def parse_short_status(text):
    """Parse the short status display into a ClusterStatus.

    Raises ValueError naming the row when a row of either table cannot be read.
    """
    text = text or ''
    section = None
    layout = None
    local_node = None
    columns = None
    rows = []  # (Resource, offset)
    paths = []
    other = []
    for raw in text.splitlines():
        line = raw.rstrip('\r')
        toks = _tokens(line)
        words = [tok for _col, tok in toks]
        if not words:
            continue
        if _is_resource_header(words):
            section = 'resources'
            layout = FIRST_COLUMNS[words[0]]
            columns = _Columns(toks)
            continue
        if _is_comm_header(words):
            section = 'comm'
            continue
        if section is None:
            other.append(line.strip())
            continue
        if ' '.join(words).lower() in SHORT_TITLES:
            continue
        if section == 'resources':
            first, first_col, tag, tag_col, ident, state, prio, primary = _resource_row(line, toks, columns)
            res = Resource(tag=tag, id=ident, state=state, priority=_to_int(prio), primary=primary, first=first)
            rows.append((res, tag_col - first_col))
            if layout == 'local' and local_node is None:
                local_node = first
            continue
        if len(words) != 5:
            raise _unreadable(line, 'a communication path row has five columns '
                                    '(MACHINE NETWORK ADDRESSES/DEVICE STATE PRIO)')
        paths.append(CommPath(machine=words[0], network=words[1], addresses=words[2],
                              state=words[3], priority=_to_int(words[4])))

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
# The layout follows the vendor's published samples (fixtures long_genapp_route.txt,
# long_steeleye_tail.txt, long_sps8102_detailed.txt); detail lines are matched by their keywords
# whatever their indentation, since the documented copies have lost it.
_LONG_RESOURCE_RE = re.compile(r'^(?P<tag>\S+):\s+(?=id=)(?P<rest>.*)\Z')
_LONG_KEYS_RE = re.compile(r'(?:^|\s)(id|app|type|state)=')
_LONG_DETAIL_RE = re.compile(r'^\s*(initialize|info|reason)=(.*)\Z')
_LONG_DEPENDS_RE = re.compile(r'^\s*depends on resources:\s*(.*)\Z', re.IGNORECASE)
_LONG_DEPENDENTS_RE = re.compile(r'^\s*these resources are dependent:\s*(.*)\Z', re.IGNORECASE)
_LONG_LOCAL_PRIO_RE = re.compile(r'^\s*Local priority\s*=\s*(-?[0-9]+)\s*\Z')
_LONG_EQUIV_RE = re.compile(r'^\s*SHARED equivalency with (?:resource )?"?(?P<tag>[^\s"]+)"? on (?:machine )?'
                            r'"?(?P<machine>[^\s",]+)"?,?\s+priority\s*=\s*(?P<prio>-?[0-9]+)\s*\Z')
_LONG_FAILOVER_RE = re.compile(r'^\s*FAILOVER (ALLOWED|INHIBITED)\s*\Z')
_LONG_ROOT_RE = re.compile(r'^\s*ROOT of RESOURCE HIERARCHY\s*\Z', re.IGNORECASE)
_LONG_MACHINE_RE = re.compile(r'^Resource hierarchies for machine "(?P<node>[^"]+)":\s*\Z')
_LONG_KNOWN_TITLE = 'The following LifeKeeper machines are known:'
_LONG_KNOWN_RE = re.compile(r'^\s*machine=(?P<machine>\S+)\s+state=(?P<state>\S+)\s*\Z')
_LONG_PATH_RE = re.compile(r'^\s*to machine=')
_LONG_PAIR_RE = re.compile(r'(#?[A-Za-z_]+)=("[^"]*"|\S+)')
_LONG_STRATEGY_RE = re.compile(r'^The shutdown strategy is set to:\s*(.*?)\.?\s*\Z')
_LONG_FLAGS_TITLE = 'The following LifeKeeper flags are on:'
_LONG_SECTIONS = ('Resource Hierarchy Information', 'Communication Status Information',
                  'LifeKeeper Flags', 'Shutdown Strategy')
LONG_REQUIRED_KEYS = ('id', 'app', 'type', 'state')


def _tag_list(text):
    return [tag for tag in re.split(r'[,\s]+', text) if tag]


class LongResource(object):
    """One resource of the long display."""

    def __init__(self, tag, fields, root=False):
        self.tag = tag
        self.id = fields['id']
        self.app = fields['app']
        self.kind = fields['type']
        self.state = fields['state']
        self.root = root
        self.initialize = None
        self.info = None
        self.reason = None
        self.depends_on = []
        self.dependents = []
        self.local_priority = None
        self.equivalencies = []

    @property
    def type(self):
        """The resource type ``app/type`` (for example scsi/netraid)."""
        return '%s/%s' % (self.app, self.kind)

    def as_dict(self):
        return {'tag': self.tag, 'id': self.id, 'app': self.app, 'type': self.type, 'state': self.state,
                'initialize': self.initialize, 'info': self.info, 'reason': self.reason,
                'depends_on': list(self.depends_on), 'dependents': list(self.dependents), 'root': self.root,
                'local_priority': self.local_priority, 'equivalencies': [dict(e) for e in self.equivalencies]}


class LongStatus(_Display):
    """Parsed long display: running, node, resources (display order), comm_paths, the known
    machines ({machine, state}), flags, strategy."""

    def __init__(self, running=False, node=None, resources=None, comm_paths=None, flags=None,
                 shutdown_strategy=None, message=None, machines=None):
        self.running = running
        self.node = node
        self.resources = resources if resources is not None else []
        self.comm_paths = comm_paths if comm_paths is not None else []
        self.machines = machines if machines is not None else []
        self.flags = flags if flags is not None else []
        self.shutdown_strategy = shutdown_strategy
        self.message = message

    def types(self):
        """{tag: 'app/type'} of every resource."""
        return dict((res.tag, res.type) for res in self.resources)

    def parents(self, tag):
        return [res.tag for res in self.resources if tag in res.depends_on]

    @property
    def mirrors(self):
        """Tags of the mirror resources (type scsi/netraid), in display order."""
        return [res.tag for res in self.resources if res.type == MIRROR_TYPE]


def _long_fields(rest):
    """{key: value} of the key=value pairs of a resource line; a value runs to the next key."""
    matches = list(_LONG_KEYS_RE.finditer(rest))
    fields = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(rest)
        fields[match.group(1)] = rest[match.end():end].strip()
    return fields


def _long_pairs(line):
    return dict((key, value.strip('"')) for key, value in _LONG_PAIR_RE.findall(line))


def _long_path(pairs):
    downs = pairs.get('#comm_downs')
    path = CommPath(machine=pairs.get('machine'), network=pairs.get('type'), addresses=pairs.get('addresses'),
                    state=pairs.get('state'), priority=_to_int(pairs.get('priority') or ''))
    path.comm_downs = _to_int(downs) if downs is not None else None
    return path


def _long_detail(current, line):
    """Apply a detail line to the current resource; False when line is none of them."""
    match = _LONG_DETAIL_RE.match(line)
    if match:
        setattr(current, match.group(1), match.group(2).strip())
        return True
    match = _LONG_DEPENDS_RE.match(line)
    if match:
        current.depends_on.extend(tag for tag in _tag_list(match.group(1)) if tag not in current.depends_on)
        return True
    match = _LONG_DEPENDENTS_RE.match(line)
    if match:
        current.dependents.extend(tag for tag in _tag_list(match.group(1)) if tag not in current.dependents)
        return True
    match = _LONG_LOCAL_PRIO_RE.match(line)
    if match:
        current.local_priority = int(match.group(1))
        return True
    match = _LONG_EQUIV_RE.match(line)
    if match:
        current.equivalencies.append({'tag': match.group('tag'), 'machine': match.group('machine'),
                                      'priority': int(match.group('prio')), 'failover': None})
        return True
    match = _LONG_FAILOVER_RE.match(line)
    if match and current.equivalencies:
        current.equivalencies[-1]['failover'] = match.group(1).lower()
        return True
    return False


def parse_long_status(text):
    """Parse the long status display into a LongStatus.

    A resource line is ``TAG: id=... app=... type=... state=...`` (a value runs to the next key),
    after a ``ROOT of RESOURCE HIERARCHY`` line for a root; the lines below it give initialize,
    info, reason, ``depends on resources:`` (tags separated by commas and/or spaces), ``These
    resources are dependent:``, ``Local priority = N``, ``SHARED equivalency with ... priority =
    N`` and ``FAILOVER ALLOWED``/``INHIBITED`` (of the equivalency above it). A communication path
    is ``to machine=... type=... addresses=...`` with ``state="..." priority=... #comm_downs=...``
    on the same line or the next one. ``The following LifeKeeper machines are known:`` lists
    ``machine=NAME state=STATE``. Unknown lines are ignored. Raises ValueError when a tag appears
    twice or a resource line lacks id, app, type or state. Output without any resource section is
    "not running": its text is the message (the node taken from it when named).
    """
    text = text or ''
    node = None
    resources = []
    by_tag = {}
    paths = []
    machines = []
    flags = []
    strategy = None
    current = None
    open_path = None  # a path whose state is still to come on the next line
    in_flags = False
    in_machines = False
    root_next = False
    seen_section = False
    other = []
    for raw in text.splitlines():
        line = raw.rstrip('\r')
        stripped = line.strip()
        if not stripped:
            continue
        if open_path is not None:
            pending, open_path = open_path, None
            if 'state=' in stripped and not _LONG_PATH_RE.match(line):
                pending.update(_long_pairs(stripped))
                paths[-1] = _long_path(pending)
                continue
        if in_machines:
            match = _LONG_KNOWN_RE.match(line)
            if match:
                machines.append({'machine': match.group('machine'), 'state': match.group('state')})
                continue
            in_machines = False
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
        if _LONG_ROOT_RE.match(line):
            root_next = True
            current = None
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
            current = LongResource(tag, fields, root=root_next)
            root_next = False
            by_tag[tag] = current
            resources.append(current)
            in_flags = False
            continue
        if current is not None and _long_detail(current, line):
            continue
        if _LONG_PATH_RE.match(line):
            pairs = _long_pairs(stripped)
            paths.append(_long_path(pairs))
            if 'state' not in pairs:
                open_path = pairs
            current = None
            continue
        if stripped == _LONG_KNOWN_TITLE:
            in_machines = True
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
                      shutdown_strategy=strategy, machines=machines)
