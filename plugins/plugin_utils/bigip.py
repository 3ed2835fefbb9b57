# -*- coding: utf-8 -*-
# Copyright (c) 2026, hatools.lifekeeper contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bigip_drain role's logic (controller side, pure, no I/O): the member mapping, what a hook
holds and releases, statistics, the provider. The filters lk_bigip_* (plugins/filter/lk_bigip.py)
are thin wrappers; a bad value is a ValueError naming it.

A "holder" is one reason this run keeps a pool member disabled: a mapping entry selected by a
before-hook (node or hierarchy), with the phase (evacuate or placement), the hook's node and
the run id. A member is enabled again when its last holder is released. The ledger
({"held": [holders], "attached": [iRule attachments]}) lives in a file on the controller, so
that a later run releases what an interrupted run left.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ipaddress
import re

from ansible.module_utils.six import integer_types, string_types

from ansible_collections.hatools.lifekeeper.plugins.plugin_utils.values import to_bool

HOOK_POINTS = ('before_evacuate', 'after_evacuate', 'after_update', 'before_placement', 'after_placement',
               'on_failure')
MEMBER_KEYS = ('pool', 'address', 'port', 'name', 'partition', 'node', 'hierarchy')
NAME_RE = re.compile(r'^[A-Za-z0-9_.:%-]+\Z')   # \Z: '$' would accept a trailing newline
RETRY_AFTER_RE = re.compile(r'(set static::lk_maint_retry_after )([0-9]+)')
# ASCII digits only (str.isdigit() and \\d accept other scripts' digits and superscripts).
DIGITS_RE = re.compile(r'[0-9]{1,9}\Z')
# A DNS host name (RFC 1123 labels, ASCII); \Z, not $, so a trailing newline is refused.
HOST_LABEL_RE = re.compile(r'(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z')
SERVER_ALLOWED = ('a host name (letters, digits, hyphens, dots), an IPv4 address or an IPv6 address, optionally with '
                  ':PORT 1-65535 ([IPv6]:PORT); no scheme, user, path or blanks')


def _fail(msg):
    raise ValueError(msg)


def _name(value, what, allow_path=False):
    if not isinstance(value, string_types) or not value.strip():
        _fail('%s must be a non-empty string, got %r' % (what, value))
    text = value.strip()
    parts = text.strip('/').split('/') if (allow_path and text.startswith('/')) else [text]
    if allow_path and text.startswith('/') and len(parts) != 2:
        _fail('%s %r: expected NAME or /Partition/NAME' % (what, value))
    for part in parts:
        if not NAME_RE.match(part):
            _fail('%s %r: only letters, digits and . _ - : %% are allowed' % (what, value))
    return text


def _path(value, partition, what):
    """NAME -> /partition/NAME; /P/NAME stays. Returns (path, partition, name)."""
    text = _name(value, what, allow_path=True)
    if text.startswith('/'):
        part, name = text.strip('/').split('/')
        return text, part, name
    return '/%s/%s' % (partition, text), partition, text


def _uri(path):
    """'/Common/10.0.0.1:80' -> '~Common~10.0.0.1:80' (as the iControl REST URLs want it)."""
    return path.replace('%', '%25').replace('/', '~')


def _port(value, what):
    if isinstance(value, bool):
        _fail('%s must be a port number 0-65535, got %r' % (what, value))
    if isinstance(value, string_types) and DIGITS_RE.match(value.strip()):
        value = int(value.strip())
    if not isinstance(value, integer_types) or not 0 <= value <= 65535:
        _fail('%s must be a port number 0-65535, got %r' % (what, value))
    return int(value)


def _address(value, what):
    text = _name(value, what)
    try:
        return text, ipaddress.ip_address(text.split('%')[0]).version
    except ValueError:
        _fail('%s %r is not an IPv4 or IPv6 address' % (what, value))


def _partition(value):
    return _name(value or 'Common', 'lk_bigip_partition')


def _list(value, what, expected):
    """value as a list (None is empty); anything else fails naming what was expected."""
    if value is None:
        return []
    if not isinstance(value, list):
        _fail('%s must be a list of %s, got %r' % (what, expected, value))
    return value


def members(members, partition='Common'):
    """Validate members and return normalised entries (pool/member paths and URL names)."""
    partition = _partition(partition)
    members = _list(members, 'lk_bigip_members', '{pool, address, port, node or hierarchy}')
    result = []
    seen = set()
    for index, entry in enumerate(members):
        where = 'lk_bigip_members[%d]' % index
        if not isinstance(entry, dict):
            _fail('%s must be a dict {pool, address, port, node or hierarchy}, got %r' % (where, entry))
        unknown = sorted(set(entry) - set(MEMBER_KEYS))
        if unknown:
            _fail('%s has unknown key(s) %s; allowed: %s' % (where, ', '.join(unknown), ', '.join(MEMBER_KEYS)))
        for key in ('pool', 'address', 'port'):
            if entry.get(key) in (None, ''):
                _fail('%s needs %s' % (where, key))
        owners = [key for key in ('node', 'hierarchy') if entry.get(key) not in (None, '')]
        if len(owners) != 1:
            _fail('%s needs exactly one of node (an inventory name) or hierarchy (a LifeKeeper tag), got %s'
                  % (where, ', '.join(owners) or 'neither'))
        owner_kind = owners[0]
        owner = _name(entry[owner_kind], '%s.%s' % (where, owner_kind))
        member_partition = _partition(entry.get('partition') or partition)
        pool_path, _pool_partition, pool_name = _path(entry['pool'], member_partition, '%s.pool' % where)
        address, version = _address(entry['address'], '%s.address' % where)
        port = _port(entry['port'], '%s.port' % where)
        node_name = _name(entry['name'], '%s.name' % where) if entry.get('name') not in (None, '') else None
        # BIG-IP names a member <node>:<port>, <node>.<port> for an IPv6 address.
        delimiter = '.' if (node_name is None and version == 6) else ':'
        member = '%s%s%d' % (node_name or address, delimiter, port)
        member_path = '/%s/%s' % (member_partition, member)
        key = '%s/%s' % (pool_path, member)
        if (key, owner_kind, owner) in seen:
            _fail('%s repeats member %s of pool %s for %s %s' % (where, member, pool_path, owner_kind, owner))
        seen.add((key, owner_kind, owner))
        result.append({
            'index': index, 'pool': pool_name, 'pool_path': pool_path, 'pool_uri': _uri(pool_path),
            'partition': member_partition, 'address': address, 'port': port, 'name': node_name,
            'member': member, 'member_path': member_path, 'member_uri': _uri(member_path), 'key': key,
            'owner_kind': owner_kind, 'owner': owner,
        })
    return result


def virtuals(virtuals, partition='Common'):
    """Validate lk_bigip_virtual_servers: [{name, partition, path, uri}]."""
    partition = _partition(partition)
    virtuals = _list(virtuals, 'lk_bigip_virtual_servers', 'virtual server names')
    result = []
    for index, value in enumerate(virtuals):
        path, part, name = _path(value, partition, 'lk_bigip_virtual_servers[%d]' % index)
        if any(item['path'] == path for item in result):
            _fail('lk_bigip_virtual_servers lists %s twice' % path)
        result.append({'name': name, 'partition': part, 'path': path, 'uri': _uri(path)})
    return result


def _moves(moves):
    if moves is None:
        return []
    if not isinstance(moves, list) or not all(isinstance(m, dict) and m.get('tag') for m in moves):
        _fail('lk_hook_moves must be a list of {tag, from, to}, got %r' % (moves,))
    return moves


def hold(members, point, hook_node=None, moves=None, run_id=None):
    """Holders a before-hook takes: node entries of the hook's node or a move's source node, and
    hierarchy entries of a moved tag. members: the output of members."""
    if point not in ('before_evacuate', 'before_placement'):
        _fail('lk_bigip_hold: %r is not a before-hook (before_evacuate, before_placement)' % (point,))
    moves = _moves(moves)
    nodes = set(m.get('from') for m in moves if m.get('from'))
    if hook_node:
        nodes.add(hook_node)
    tags = set(m['tag'] for m in moves)
    phase = 'evacuate' if point == 'before_evacuate' else 'placement'
    hook_node = hook_node or None
    held = []
    for entry in members or []:
        if (entry['owner_kind'] == 'node' and entry['owner'] in nodes) or \
                (entry['owner_kind'] == 'hierarchy' and entry['owner'] in tags):
            holder = dict(entry)
            holder.update({'phase': phase, 'hook_node': hook_node, 'run_id': run_id})
            held.append(holder)
    return held


def unique(entries):
    """One entry per member key (first wins), order kept."""
    seen = set()
    result = []
    for entry in entries or []:
        if entry['key'] not in seen:
            seen.add(entry['key'])
            result.append(entry)
    return result


def pools(members):
    """The pools of these members, once each: [{path, uri}]."""
    found = []
    for entry in members or []:
        if not any(p['path'] == entry['pool_path'] for p in found):
            found.append({'path': entry['pool_path'], 'uri': entry['pool_uri']})
    return found


def member_states(results, members, loop_var='lk_bigip_p'):
    """{state: {key: member JSON}, errors: [...]} from registered reads of the pools' member lists."""
    by_pool = {}
    errors = []
    for result in results or []:
        pool = result.get(loop_var) if isinstance(result, dict) else None
        if not isinstance(pool, dict):
            continue
        if result.get('status') != 200 or not isinstance(result.get('json'), dict):
            reason = api_errors([result], loop_var=loop_var, label='path')[0].split(': ', 1)[1]
            errors.append('pool %s: %s' % (pool['path'], reason))
            continue
        items = result['json'].get('items')
        if items is None:
            items = []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            errors.append('pool %s: the member list must be {"items": [member objects]} (iControl REST), got %r'
                          % (pool['path'], items))
            continue
        by_pool[pool['path']] = items
    state = {}
    for entry in unique(members):
        items = by_pool.get(entry['pool_path'])
        if items is None:
            continue
        found = [item for item in items if item.get('fullPath') == entry['member_path'] or
                 (item.get('name') == entry['member'] and item.get('partition', entry['partition']) == entry['partition'])]
        if not found:
            errors.append('member %s is not in pool %s (it has: %s)'
                          % (entry['member_path'], entry['pool_path'],
                             ', '.join(sorted(item.get('fullPath', item.get('name', '?')) for item in items)) or 'none'))
            continue
        state[entry['key']] = found[0]
    return {'state': state, 'errors': errors}


def take(holders, member_state, ledger=None):
    """Split a before-hook's holders by the members' current state.

    member_state: {key: member JSON} as read from the BIG-IP. Returns {take: holders this run
    records, disable: members (one entry each) to disable now, left_alone: keys of members found
    disabled that the ledger does not list (disabled by someone else: never enabled by us)}."""
    ledger = _ledger(ledger)
    ours = set(h.get('key') for h in ledger['held'])
    disabled = set(key for key, state in (member_state or {}).items()
                   if isinstance(state, dict) and state.get('session') == 'user-disabled')
    foreign = disabled - ours
    taken = [h for h in holders or [] if h['key'] not in foreign]
    once = unique(holders)
    return {'take': taken,
            'disable': [h for h in once if h['key'] not in disabled],
            'left_alone': [h['key'] for h in once if h['key'] in foreign]}


def busy(results, loop_var='lk_bigip_m'):
    """'key (N)' for each drained-member stats result with connections left; unreadable ones too."""
    left = []
    for result in results or []:
        item = result.get(loop_var) if isinstance(result, dict) else None
        key = item.get('key') if isinstance(item, dict) else item
        if not isinstance(result, dict) or result.get('status') != 200:
            left.append('%s (unreadable: HTTP %s)' % (key, result.get('status', -1) if isinstance(result, dict) else -1))
            continue
        try:
            conns = connections(result.get('json'))
        except ValueError as exc:
            left.append('%s (unreadable: %s)' % (key, exc))
            continue
        if conns > 0:
            left.append('%s (%d)' % (key, conns))
    return left


def virtual_rules(results, loop_var='lk_bigip_v'):
    """{virtual server path: its iRule list} from registered uri reads (no 'rules' key = none)."""
    rules = {}
    for result in results or []:
        item = result.get(loop_var) if isinstance(result, dict) else None
        if not isinstance(item, dict) or result.get('status') != 200 or not isinstance(result.get('json'), dict):
            continue
        rules[item['path']] = _rule_list(result['json'].get('rules'), item['path'])
    return rules


def _rule_list(value, path):
    """A virtual server's 'rules' as iControl REST gives it: absent/null (none) or a list of iRule paths.
    A string or anything else fails naming the virtual server (a string would be split into characters
    and written back as iRule names)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(rule, string_types) and rule for rule in value):
        _fail('virtual server %s: "rules" must be a list of iRule paths (as iControl REST answers), got %r; '
              'nothing is changed on it' % (path, value))
    return list(value)


def rules_change(virtuals, virtual_rules, rule, attach=True):
    """The virtual servers whose iRule list changes, each with 'rules' = the new list.

    attach: rule appended where missing; detach (attach=false): rule removed where present. A
    virtual server whose list was not read is an error (it was read before, so it vanished)."""
    changes = []
    for virtual in virtuals or []:
        if virtual['path'] not in (virtual_rules or {}):
            _fail('virtual server %s was not read; cannot change its iRules' % virtual['path'])
        current = _rule_list(virtual_rules[virtual['path']], virtual['path'])
        this_rule = virtual.get('rule') or rule
        if attach and this_rule not in current:
            changes.append(dict(virtual, rules=current + [this_rule]))
        elif not attach and this_rule in current:
            changes.append(dict(virtual, rules=[r for r in current if r != this_rule]))
    return changes


def _ledger(ledger):
    if ledger in (None, ''):
        return {'held': [], 'attached': []}
    if not isinstance(ledger, dict) or not isinstance(ledger.get('held', []), list) or \
            not isinstance(ledger.get('attached', []), list):
        _fail('the BIG-IP ledger must be {"held": [...], "attached": [...]}, got %r' % (ledger,))
    return {'held': list(ledger.get('held', [])), 'attached': list(ledger.get('attached', []))}


def _released(entry, point, hook_node, run_id, kind):
    if entry.get('run_id') != run_id or point in ('after_placement', 'on_failure'):
        return True
    if point == 'after_evacuate':
        if kind == 'attached':
            return entry.get('phase') == 'evacuate' and entry.get('hook_node') == hook_node
        return entry.get('phase') == 'evacuate' and entry.get('owner_kind') == 'hierarchy' and \
            entry.get('hook_node') == hook_node
    if point == 'after_update':
        return kind == 'held' and entry.get('phase') == 'evacuate' and entry.get('owner_kind') == 'node' and \
            entry.get('hook_node') == hook_node
    return False


def release(ledger, point, hook_node=None, run_id=None):
    """What an after-hook (or on_failure) gives back: {enable, detach, held, attached}.

    enable: members whose last holder is released; detach: iRule attachments to remove;
    held/attached: what stays in the ledger. Holders of another run (an interrupted one) are
    released at any after-hook."""
    if point not in ('after_evacuate', 'after_update', 'after_placement', 'on_failure'):
        _fail('lk_bigip_release: %r is not an after-hook (after_evacuate, after_update, after_placement, '
              'on_failure)' % (point,))
    ledger = _ledger(ledger)
    hook_node = hook_node or None
    drop = [h for h in ledger['held'] if _released(h, point, hook_node, run_id, 'held')]
    keep = [h for h in ledger['held'] if not _released(h, point, hook_node, run_id, 'held')]
    kept_keys = set(h['key'] for h in keep)
    enable = [h for h in unique(drop) if h['key'] not in kept_keys]
    detach = [a for a in ledger['attached'] if _released(a, point, hook_node, run_id, 'attached')]
    attached = [a for a in ledger['attached'] if not _released(a, point, hook_node, run_id, 'attached')]
    kept_virtuals = set(a['path'] for a in attached)
    seen = set()
    detach_unique = []
    for item in detach:
        if item['path'] not in kept_virtuals and item['path'] not in seen:
            seen.add(item['path'])
            detach_unique.append(item)
    return {'enable': enable, 'detach': detach_unique, 'held': keep, 'attached': attached}


def release_failed(release, ledger, member_state):
    """The ledger to keep after a failed release: {held, attached, still}.

    still: keys of the members to enable that were not read back enabled (unknown counts as
    disabled); their holders stay, and every attachment stays (detaching again is harmless)."""
    ledger = _ledger(ledger)
    member_state = member_state or {}
    still = []
    for entry in release.get('enable', []):
        state = member_state.get(entry['key'])
        if not isinstance(state, dict) or state.get('session') in (None, 'user-disabled'):
            still.append(entry['key'])
    kept = set(h['key'] for h in release.get('held', []))
    held = list(release.get('held', [])) + [h for h in ledger['held'] if h['key'] in still and h['key'] not in kept]
    return {'held': held, 'attached': ledger['attached'], 'still': still}


def _kind(value):
    return type(value).__name__ if value is not None else 'null'


def connections(stats, name=None):
    """Current server-side connections of one pool member from its iControl REST statistics.

    name (the member, for the messages; default the statistics' selfLink). A shape other than
    iControl REST's ({entries: {URL: {nestedStats: {entries: {serverside.curConns: {value}}}}}}) fails
    naming the member and the part that is odd, never with a Python error."""
    where = name or (stats.get('selfLink') if isinstance(stats, dict) else None) or 'a pool member'
    if not isinstance(stats, dict) or not isinstance(stats.get('entries'), dict):
        _fail('statistics of %s without "entries" (expected an object as iControl REST .../members/NAME/stats answers), '
              'got %s'
              % (where, _kind(stats.get('entries') if isinstance(stats, dict) else stats)))
    total = 0
    found = False
    candidates = [('entries', stats['entries'])]
    for key, value in stats['entries'].items():
        if not isinstance(value, dict) or 'nestedStats' not in value:
            continue
        nested = value['nestedStats']
        if not isinstance(nested, dict) or not isinstance(nested.get('entries'), dict):
            _fail('statistics of %s: entries[%r].nestedStats must be an object with "entries", got %s'
                  % (where, key, _kind(nested.get('entries') if isinstance(nested, dict) else nested)))
        candidates.append(('entries[%r].nestedStats.entries' % key, nested['entries']))
    for label, entries in candidates:
        if 'serverside.curConns' not in entries:
            continue
        counter = entries['serverside.curConns']
        if not isinstance(counter, dict) or 'value' not in counter:
            _fail('statistics of %s: %s["serverside.curConns"] must be an object with "value", got %r'
                  % (where, label, counter))
        value = counter['value']
        if isinstance(value, bool) or not (isinstance(value, integer_types) or
                                           (isinstance(value, string_types) and DIGITS_RE.match(value))):
            _fail('statistics of %s: serverside.curConns is not a number: %r' % (where, value))
        total += int(value)
        found = True
    if not found:
        _fail('statistics of %s: no serverside.curConns (keys: %s)' % (where, ', '.join(sorted(stats['entries']))))
    return total


PROVIDER_KEYS = ('server', 'server_port', 'user', 'password', 'validate_certs', 'auth_provider', 'timeout',
                 'no_f5_teem', 'transport')


def _host(text):
    """True when text is an IPv4/IPv6 address or an RFC 1123 host name (ASCII)."""
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        pass
    labels = text.split('.')
    return 0 < len(text) <= 253 and all(HOST_LABEL_RE.match(label) for label in labels) and \
        not DIGITS_RE.match(labels[-1])


def server(value, what='lk_bigip_provider.server'):
    """(host, port or None) from a server value: HOST, HOST:PORT, IPv6 or [IPv6]:PORT; anything else
    (a scheme, user@, a path, blanks, a newline) fails naming the value and what is allowed."""
    text = value if isinstance(value, string_types) else str(value)
    bad = '%s %r is not allowed: expected %s' % (what, value, SERVER_ALLOWED)
    port = None
    if text.startswith('['):
        host, sep, rest = text[1:].partition(']')
        if not sep or (rest and not rest.startswith(':')) or ':' not in host:
            _fail(bad)
        port = rest[1:] if rest else None
    elif text.count(':') == 1:
        host, port = text.split(':')
    else:
        host = text
    if not _host(host) or (port is not None and not (DIGITS_RE.match(port) and 1 <= int(port) <= 65535)):
        _fail(bad)
    return host, (int(port) if port is not None else None)


def connection(provider, environment=None, with_password=True):
    """The BIG-IP connection from lk_bigip_provider, missing keys from the F5_* environment.

    Returns {url, server, server_port, user, password, validate_certs, auth_provider, f5}: f5 is
    the provider dict for the f5 modules (TEEM telemetry off unless no_f5_teem is false).
    with_password=False leaves the password out of both (for a fact that outlives the task; the
    tasks that need the password take it from the provider each time)."""
    provider = provider or {}
    environment = environment or {}
    if not isinstance(provider, dict):
        _fail('lk_bigip_provider must be a dict (server, server_port, user, password, validate_certs, ...)')
    unknown = sorted(set(provider) - set(PROVIDER_KEYS))
    if unknown:
        _fail('lk_bigip_provider has unknown key(s) %s; allowed: %s' % (', '.join(unknown), ', '.join(PROVIDER_KEYS)))

    def pick(key, env_name, default=None):
        value = provider.get(key)
        if value in (None, ''):
            value = environment.get(env_name) or None
        return default if value in (None, '') else value

    result = {}
    for key, env_name in (('server', 'F5_SERVER'), ('user', 'F5_USER'), ('password', 'F5_PASSWORD')):
        value = pick(key, env_name)
        if value is None:
            _fail('lk_bigip_provider needs %s (or %s in the controller environment)' % (key, env_name))
        result[key] = str(value)
    if '/' in result['server']:
        _fail('lk_bigip_provider.server must be a host name or address without scheme or path, got %r'
              % result['server'])
    result['server'], server_port = server(result['server'])
    given_port = pick('server_port', 'F5_SERVER_PORT')
    if server_port is not None and given_port is not None and \
            _port(given_port, 'lk_bigip_provider.server_port') != server_port:
        _fail('lk_bigip_provider.server names port %d but server_port is %r: give the port once' % (server_port, given_port))
    result['server_port'] = server_port if server_port is not None else \
        _port(given_port if given_port is not None else 443, 'lk_bigip_provider.server_port')
    result['validate_certs'] = to_bool(pick('validate_certs', 'F5_VALIDATE_CERTS', True), 'lk_bigip_provider.validate_certs')
    result['auth_provider'] = str(pick('auth_provider', 'F5_AUTH_PROVIDER', 'tmos'))
    host = '[%s]' % result['server'] if ':' in result['server'] else result['server']
    result['url'] = 'https://%s:%d' % (host, result['server_port'])
    f5 = {'server': result['server'], 'server_port': result['server_port'], 'user': result['user'],
          'password': result['password'], 'validate_certs': result['validate_certs'],
          'no_f5_teem': to_bool(provider.get('no_f5_teem', True), 'lk_bigip_provider.no_f5_teem')}
    if provider.get('auth_provider') or environment.get('F5_AUTH_PROVIDER'):
        f5['auth_provider'] = result['auth_provider']
    if provider.get('timeout') not in (None, ''):
        f5['timeout'] = _port(provider['timeout'], 'lk_bigip_provider.timeout')
    result['f5'] = f5
    if not to_bool(with_password, 'lk_bigip_connection with_password'):
        del result['password']
        del f5['password']
    return result


def api_errors(results, ok=(200,), loop_var='lk_bigip_m', label='key'):
    """'label: HTTP status message' for each registered uri result whose status is not in ok.

    Only the status, the BIG-IP's error message and uri's msg are used (never the request)."""
    errors = []
    for result in results or []:
        if not isinstance(result, dict) or result.get('skipped'):
            continue
        status = result.get('status', -1)
        if status in ok:
            continue
        item = result.get(loop_var)
        name = item.get(label) if isinstance(item, dict) else item
        body = result.get('json')
        message = body.get('message') if isinstance(body, dict) else None
        errors.append('%s: HTTP %s %s' % (name, status, message or result.get('msg', 'no answer')))
    return errors


def irule(content, retry_after):
    """The shipped maintenance iRule with RULE_INIT's Retry-After seconds set to retry_after."""
    if isinstance(retry_after, bool) or not DIGITS_RE.match(str(retry_after).strip()) or \
            not 1 <= int(str(retry_after).strip()) <= 86400:
        _fail('lk_bigip_retry_after must be 1-86400 seconds, got %r' % (retry_after,))
    retry_after = int(str(retry_after).strip())
    if len(RETRY_AFTER_RE.findall(content or '')) != 1:
        _fail('the maintenance iRule must set static::lk_maint_retry_after exactly once (in RULE_INIT)')
    return RETRY_AFTER_RE.sub(lambda match: match.group(1) + str(retry_after), content)


def _http_profile_paths(http_profiles):
    """Full paths of the HTTP profiles from GET /mgmt/tm/ltm/profile/http ({items: [{fullPath}]})."""
    # An empty collection may come without "items".
    items = http_profiles.get('items', []) if isinstance(http_profiles, dict) else http_profiles
    if not isinstance(items, list) or not all(isinstance(item, dict) and item.get('fullPath') for item in items):
        _fail('the HTTP profile list (GET /mgmt/tm/ltm/profile/http) must be {"items": [{"fullPath": ...}]}, got %r'
              % (items,))
    return set(item['fullPath'] for item in items)


def http_profile_errors(results, http_profiles, loop_var='lk_bigip_v'):
    """'virtual server PATH ...' for each virtual server that cannot run the maintenance iRule.

    results: registered reads of GET /mgmt/tm/ltm/virtual/~P~NAME/profiles (loop_var holds the
    virtual server); http_profiles: the JSON of GET /mgmt/tm/ltm/profile/http. HTTP_REQUEST and
    HTTP::respond need an HTTP profile on the virtual server: one without it (or whose profiles
    cannot be read) is named with the profiles it has."""
    http = _http_profile_paths(http_profiles)
    errors = []
    for result in results or []:
        item = result.get(loop_var) if isinstance(result, dict) else None
        if not isinstance(item, dict):
            continue
        path = item['path']
        body = result.get('json')
        if result.get('status') != 200 or not isinstance(body, dict):
            errors.append('virtual server %s: its profiles could not be read (HTTP %s %s)'
                          % (path, result.get('status', -1),
                             (body.get('message') if isinstance(body, dict) else None) or result.get('msg', 'no answer')))
            continue
        items = body.get('items', [])
        if not isinstance(items, list) or not all(isinstance(p, dict) and p.get('fullPath') for p in items):
            errors.append('virtual server %s: its profile list must be {"items": [{"fullPath": ...}]}, got %r'
                          % (path, items))
            continue
        names = [p['fullPath'] for p in items]
        if not any(name in http for name in names):
            errors.append('virtual server %s has no HTTP profile (its profiles: %s)' % (path, ', '.join(names) or 'none'))
    return errors
