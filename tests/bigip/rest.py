"""iControl REST: routes, JSON views and authentication on top of model.Device.

`Api(device).handle(method, path, query, headers, body)` -> (status, dict); the HTTPS server
(server.py) is a thin wrapper around it, so the routes are tested without sockets.
"""
import base64
import binascii
import datetime
import json
import re
import secrets
import sys
import threading
from urllib.parse import unquote

from bigip.model import DeviceError, full_path, split_path

LOGIN = "/mgmt/shared/authn/login"
TOKENS = "/mgmt/shared/authz/tokens/"
TOKEN_TIMEOUT = 1200  # seconds: the default lifetime of a new token
TOKEN_TIMEOUT_MAX = 36000
LINK = "https://localhost"

SEG = r"([^/]+)"
ROUTES = []


def route(methods, pattern):
    """Register func for one method or several ("PATCH PUT") on the path pattern."""
    def register(func):
        for method in methods.split():
            ROUTES.append((method, re.compile("^" + pattern + "/?$"), func))
        return func
    return register


def decode_name(segment):
    """'~Common~web' -> '/Common/web'; 'web' -> '/Common/web' ('%25' is a route domain '%')."""
    segment = unquote(segment)
    if segment.startswith("~"):
        return segment.replace("~", "/")
    return full_path(None, segment)


def tilde(path):
    return path.replace("/", "~")


def error_body(status, message):
    return {"code": status, "message": message, "errorStack": [], "apiError": 3}


class Unauthorized(Exception):
    pass


class Api(object):
    def __init__(self, device, log=None):
        self.device = device
        self.tokens = {}
        self.lock = threading.Lock()
        self.log = log or sys.stderr

    # ------------------------------------------------------------------ entry
    def handle(self, method, path, query, headers, body, client="127.0.0.1"):
        method = method.upper()
        try:
            failure = self.device.injected_failure(method, path, json.dumps(body) if body is not None else "")
            if failure is not None:
                return failure[0], error_body(failure[0], failure[1])
            if path == LOGIN and method == "POST":
                return self.login(body, client)
            user = self.authenticate(headers, path)
            for route_method, pattern, func in ROUTES:
                match = pattern.match(path)
                if match and route_method == method:
                    return func(self, user, query, body, *match.groups())
            if any(pattern.match(path) for _m, pattern, _f in ROUTES):
                return 405, error_body(405, "Method %s not allowed on %s" % (method, path))
            self.log.write("bigip double: unhandled %s %s\n" % (method, path))
            self.log.flush()
            return 404, error_body(404, "Public URI path not registered: %s" % path)
        except Unauthorized as exc:
            return 401, error_body(401, str(exc))
        except DeviceError as exc:
            return exc.status, error_body(exc.status, exc.message)
        except (ValueError, KeyError, TypeError) as exc:
            return 400, error_body(400, "invalid request: %s" % exc)

    # ------------------------------------------------------------------ auth
    def login(self, body, client):
        body = body or {}
        user, password = body.get("username"), body.get("password")
        if not user or self.device.users.get(user) is None or self.device.users[user] != password:
            return 401, error_body(401, "Authentication failed.")
        now = self.device.clock()
        token = secrets.token_hex(13).upper()
        record = {"token": token, "user": user, "start": now, "timeout": TOKEN_TIMEOUT, "address": client,
                  "provider": body.get("loginProviderName") or "tmos"}
        with self.lock:
            self.tokens[token] = record
        return 200, {"username": user, "loginProviderName": record["provider"],
                     "loginReference": {"link": LINK + "/mgmt/cm/system/authn/providers/tmos/1/login"},
                     "token": self.token_view(record), "generation": 0, "lastUpdateMicros": 0}

    def token_view(self, record):
        start = datetime.datetime.fromtimestamp(record["start"], datetime.timezone.utc)
        expires = int((record["start"] + record["timeout"]) * 1000000)
        return {"token": record["token"], "name": record["token"], "userName": record["user"],
                "authProviderName": record["provider"], "timeout": record["timeout"],
                "startTime": start.isoformat(), "address": record["address"], "partition": "[All]",
                "generation": 1, "lastUpdateMicros": int(record["start"] * 1000000),
                "expirationMicros": expires, "kind": "shared:authz:tokens:authtokenitemstate",
                "selfLink": LINK + TOKENS + record["token"]}

    def authenticate(self, headers, path):
        token = headers.get("X-F5-Auth-Token")
        if token:
            with self.lock:
                record = self.tokens.get(token)
            if record is None:
                raise Unauthorized("X-F5-Auth-Token does not exist.")
            if self.device.clock() > record["start"] + record["timeout"]:
                with self.lock:
                    self.tokens.pop(token, None)
                raise Unauthorized("X-F5-Auth-Token has expired.")
            return record["user"]
        auth = headers.get("Authorization") or ""
        if auth.startswith("Basic "):
            try:
                user, _sep, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                raise Unauthorized("Authorization failed: malformed Basic credentials.")
            if self.device.users.get(user) is not None and self.device.users[user] == password:
                return user
            raise Unauthorized("Authentication failed.")
        raise Unauthorized("Authorization failed: no user authentication header or token detected. Uri:%s" % path)

    def token_record(self, token):
        with self.lock:
            record = self.tokens.get(token)
        if record is None:
            raise DeviceError(404, "Token %s does not exist." % token)
        return record

    # ------------------------------------------------------------------ views
    def link(self, path, query=""):
        return "%s%s?ver=%s%s" % (LINK, path, self.device.version, query)

    def pool_view(self, pool):
        base = "/mgmt/tm/ltm/pool/" + tilde(pool.path)
        return {"kind": "tm:ltm:pool:poolstate", "name": pool.name, "partition": pool.partition,
                "fullPath": pool.path, "generation": self.device.generation, "selfLink": self.link(base),
                "allowNat": "yes", "allowSnat": "yes", "ignorePersistedWeight": "disabled",
                "loadBalancingMode": pool.lb_mode, "minActiveMembers": 0, "minUpMembers": 0,
                "minUpMembersAction": "failover", "minUpMembersChecking": "disabled",
                "monitor": pool.monitor or "none", "queueDepthLimit": 0, "queueOnConnectionLimit": "disabled",
                "queueTimeLimit": 0, "reselectTries": 0, "serviceDownAction": "none", "slowRampTime": 10,
                "membersReference": {"link": self.link(base + "/members"), "isSubcollection": True}}

    def member_view(self, member, now):
        session, state = member.api_state()
        base = "/mgmt/tm/ltm/pool/%s/members/%s" % (tilde(member.pool.path), tilde(member.full_path))
        view = {"kind": "tm:ltm:pool:members:membersstate", "name": member.name, "partition": member.partition,
                "fullPath": member.full_path, "generation": member.generation, "selfLink": self.link(base),
                "address": member.address, "connectionLimit": 0, "dynamicRatio": 1, "ephemeral": "false",
                "fqdn": {"autopopulate": "disabled"}, "inheritProfile": "enabled", "logging": "disabled",
                "monitor": "default", "priorityGroup": 0, "rateLimit": "disabled", "ratio": member.ratio,
                "session": session, "state": state}
        if member.description is not None:
            view["description"] = member.description
        return view

    def member_stats_entries(self, member, now):
        session, _state = member.api_state()
        if member.disabled:
            enabled_state = "disabled"
        else:
            enabled_state = "enabled"
        if member.monitored():
            monitor_status = "down" if member.monitor_status == "down" else "up"
            availability = "offline" if member.monitor_status == "down" else "available"
            reason = "Pool member has been marked down by a monitor" if availability == "offline" \
                else "Pool member is available"
        else:
            monitor_status, availability, reason = "unchecked", "unknown", \
                "Pool member does not have service checking enabled"
        if member.disabled:
            reason = "Pool member was disabled by the user" if not member.forced_offline \
                else "Forced down by the user"
        conns = member.connections(now)
        return {
            "addr": {"description": member.address},
            "curSessions": {"value": conns},
            "monitorRule": {"description": "%s (pool monitor)" % member.pool.monitor if member.monitored() else "none"},
            "monitorStatus": {"description": monitor_status},
            "nodeName": {"description": full_path(member.partition, member.node)},
            "poolName": {"description": member.pool.path},
            "port": {"value": member.port},
            "serverside.bitsIn": {"value": 0},
            "serverside.bitsOut": {"value": 0},
            "serverside.curConns": {"value": conns},
            "serverside.maxConns": {"value": conns},
            "serverside.pktsIn": {"value": 0},
            "serverside.pktsOut": {"value": 0},
            "serverside.totConns": {"value": 0},
            "sessionStatus": {"description": session.replace("monitor-", "").replace("user-", "")},
            "status.availabilityState": {"description": availability},
            "status.enabledState": {"description": enabled_state},
            "status.statusReason": {"description": reason},
            "totRequests": {"value": 0},
        }

    def member_stats_view(self, member, now):
        base = "/mgmt/tm/ltm/pool/%s/members/%s/stats" % (tilde(member.pool.path), tilde(member.full_path))
        return {"kind": "tm:ltm:pool:members:membersstats", "selfLink": self.link(base),
                "entries": {LINK + base: {"nestedStats": {"entries": self.member_stats_entries(member, now)}}}}

    def rule_view(self, path, rule):
        partition, name = split_path(path)
        return {"kind": "tm:ltm:rule:rulestate", "name": name, "partition": partition, "fullPath": path,
                "generation": rule["generation"], "selfLink": self.link("/mgmt/tm/ltm/rule/" + tilde(path)),
                "apiAnonymous": rule["content"]}

    def virtual_view(self, virtual, expand):
        base = "/mgmt/tm/ltm/virtual/" + tilde(virtual.path)
        view = {"kind": "tm:ltm:virtual:virtualstate", "name": virtual.name, "partition": virtual.partition,
                "fullPath": virtual.path, "generation": virtual.generation, "selfLink": self.link(base),
                "addressStatus": "yes", "autoLasthop": "default", "cmpEnabled": "yes",
                "connectionLimit": 0, "destination": virtual.destination, "gtmScore": 0,
                "ipProtocol": "tcp", "mask": "255.255.255.255", "mirror": "disabled", "mobileAppTunnel": "disabled",
                "nat64": "disabled", "rateLimit": "disabled", "rateLimitDstMask": 0, "rateLimitMode": "object",
                "rateLimitSrcMask": 0, "serviceDownImmediateAction": "none", "source": "0.0.0.0/0",
                "sourceAddressTranslation": {"type": "automap"}, "sourcePort": "preserve", "synCookieStatus":
                "not-activated", "translateAddress": "enabled", "translatePort": "enabled", "vlansDisabled": True,
                "vsIndex": 2, "creationTime": "2026-01-01T00:00:00Z", "lastModifiedTime": "2026-01-01T00:00:00Z",
                "policiesReference": {"link": self.link(base + "/policies"), "isSubcollection": True},
                "profilesReference": {"link": self.link(base + "/profiles"), "isSubcollection": True}}
        if virtual.enabled:
            view["enabled"] = True
        else:
            view["disabled"] = True
        if virtual.pool:
            view["pool"] = virtual.pool
        if virtual.rules:
            view["rules"] = list(virtual.rules)
        if virtual.metadata:
            view["metadata"] = virtual.metadata
        if expand:
            view["profilesReference"]["items"] = self.profiles_items(virtual)
            view["policiesReference"]["items"] = []
        return view

    def profiles_items(self, virtual):
        items = []
        for profile in virtual.profiles:
            partition, name = split_path(profile)
            items.append({"kind": "tm:ltm:virtual:profiles:profilesstate", "name": name, "partition": partition,
                          "fullPath": profile, "generation": virtual.generation, "context": "all",
                          "selfLink": self.link("/mgmt/tm/ltm/virtual/%s/profiles/%s"
                                                % (tilde(virtual.path), tilde(profile))),
                          "nameReference": {"link": self.link("/mgmt/tm/ltm/profile/%s/%s"
                                                              % (self.device.profile_kind(profile), tilde(profile)))}})
        return items


def select(items, query):
    """$select=a,b on a collection's items."""
    fields = query.get("$select")
    if not fields:
        return items
    wanted = fields.split(",")
    return [dict((k, v) for k, v in item.items() if k in wanted) for item in items]


# ---------------------------------------------------------------------- auth tokens
@route("GET", TOKENS + SEG)
def get_token(api, user, query, body, token):
    return 200, api.token_view(api.token_record(token))


@route("PATCH", TOKENS + SEG)
def patch_token(api, user, query, body, token):
    record = api.token_record(token)
    timeout = int((body or {}).get("timeout", record["timeout"]))
    if timeout < 1 or timeout > TOKEN_TIMEOUT_MAX:
        raise DeviceError(400, "timeout %d is out of range: 1 to %d seconds" % (timeout, TOKEN_TIMEOUT_MAX))
    with api.lock:
        record["timeout"] = timeout
    return 200, api.token_view(record)


@route("DELETE", TOKENS + SEG)
def delete_token(api, user, query, body, token):
    record = api.token_record(token)
    with api.lock:
        api.tokens.pop(record["token"], None)
    return 200, {}


# ---------------------------------------------------------------------- sys
@route("GET", "/mgmt/tm/sys")
def get_sys(api, user, query, body):
    return 200, {"kind": "tm:sys:syscollectionstate", "selfLink": api.link("/mgmt/tm/sys"),
                 "items": [{"reference": {"link": api.link("/mgmt/tm/sys/provision")}},
                           {"reference": {"link": api.link("/mgmt/tm/sys/version")}}]}


@route("GET", "/mgmt/tm/sys/provision")
def get_provision(api, user, query, body):
    items = [{"kind": "tm:sys:provision:provisionstate", "name": name, "fullPath": name,
              "level": "nominal" if name == "ltm" else "none", "cpuRatio": 0, "diskRatio": 0, "memoryRatio": 0,
              "selfLink": api.link("/mgmt/tm/sys/provision/" + name)}
             for name in ("afm", "am", "apm", "asm", "avr", "fps", "gtm", "ilx", "lc", "ltm", "pem", "swg", "urldb")]
    return 200, {"kind": "tm:sys:provision:provisioncollectionstate", "selfLink": api.link("/mgmt/tm/sys/provision"),
                 "items": items}


@route("GET", "/mgmt/tm/sys/version")
def get_version(api, user, query, body):
    entries = {"Build": "0.0.6", "Date": "Thu Jan  1 00:00:00 PDT 2026", "Edition": "Final",
               "Product": "BIG-IP", "Title": "Main Package", "Version": api.device.version}
    link = LINK + "/mgmt/tm/sys/version/0"
    return 200, {"kind": "tm:sys:version:versionstats", "selfLink": api.link("/mgmt/tm/sys/version"),
                 "entries": {link: {"nestedStats": {"entries": dict(
                     (k, {"description": v}) for k, v in entries.items())}}}}


@route("GET", "/mgmt/tm/net/tunnels/" + SEG)
def get_tunnels(api, user, query, body, kind):
    return 200, {"kind": "tm:net:tunnels:%s:%scollectionstate" % (kind, kind),
                 "selfLink": api.link("/mgmt/tm/net/tunnels/" + kind), "items": []}


# ---------------------------------------------------------------------- pools and members
@route("GET", "/mgmt/tm/ltm/pool")
def list_pools(api, user, query, body):
    with api.device.lock:
        items = [api.pool_view(p) for p in api.device.pools]
    return 200, {"kind": "tm:ltm:pool:poolcollectionstate", "selfLink": api.link("/mgmt/tm/ltm/pool"),
                 "items": select(items, query)}


@route("GET", "/mgmt/tm/ltm/pool/" + SEG)
def get_pool(api, user, query, body, pool):
    with api.device.lock:
        return 200, api.pool_view(api.device.pool(decode_name(pool)))


@route("GET", "/mgmt/tm/ltm/pool/" + SEG + "/stats")
def get_pool_stats(api, user, query, body, pool):
    device = api.device
    with device.lock:
        now = device.advance()
        pool = device.pool(decode_name(pool))
        members = pool.members
        active = sum(1 for m in members if m.active())
        conns = sum(m.connections(now) for m in members)
        base = "/mgmt/tm/ltm/pool/%s/stats" % tilde(pool.path)
        entries = {"activeMemberCnt": {"value": active}, "availableMemberCnt": {"value": active},
                   "memberCnt": {"value": len(members)}, "curSessions": {"value": conns},
                   "minActiveMembers": {"value": 0}, "tmName": {"description": pool.path},
                   "serverside.curConns": {"value": conns}, "serverside.totConns": {"value": 0},
                   "status.availabilityState": {"description": "available" if active else "offline"},
                   "status.enabledState": {"description": "enabled"},
                   "status.statusReason": {"description": "The pool is available" if active
                                           else "The children pool member(s) either don't have service checking "
                                                "enabled, or service check results are not available yet"}}
        return 200, {"kind": "tm:ltm:pool:poolstats", "selfLink": api.link(base),
                     "entries": {LINK + base: {"nestedStats": {"entries": entries}}}}


@route("GET", "/mgmt/tm/ltm/pool/" + SEG + "/members")
def list_members(api, user, query, body, pool):
    device = api.device
    with device.lock:
        now = device.advance()
        pool = device.pool(decode_name(pool))
        items = [api.member_view(m, now) for m in pool.members]
        return 200, {"kind": "tm:ltm:pool:members:memberscollectionstate",
                     "selfLink": api.link("/mgmt/tm/ltm/pool/%s/members" % tilde(pool.path)),
                     "items": select(items, query)}


@route("POST", "/mgmt/tm/ltm/pool/" + SEG + "/members")
def create_member(api, user, query, body, pool):
    device = api.device
    with device.lock:
        member = device.create_member(decode_name(pool), body or {})
        return 200, api.member_view(member, device.clock())


@route("GET", "/mgmt/tm/ltm/pool/" + SEG + "/members/" + SEG)
def get_member(api, user, query, body, pool, member):
    device = api.device
    with device.lock:
        now = device.advance()
        return 200, api.member_view(device.member(decode_name(pool), decode_name(member)), now)


@route("PATCH PUT", "/mgmt/tm/ltm/pool/" + SEG + "/members/" + SEG)
def modify_member(api, user, query, body, pool, member):
    device = api.device
    body = dict(body or {})
    # Only what the double models; other attributes are accepted and ignored (see ASSUMPTIONS.md).
    changes = dict((k, body[k]) for k in ("session", "state", "description", "ratio") if k in body)
    with device.lock:
        updated = device.modify_member(decode_name(pool), decode_name(member), changes)
        return 200, api.member_view(updated, device.clock())


@route("DELETE", "/mgmt/tm/ltm/pool/" + SEG + "/members/" + SEG)
def delete_member(api, user, query, body, pool, member):
    api.device.delete_member(decode_name(pool), decode_name(member))
    return 200, {}


@route("GET", "/mgmt/tm/ltm/pool/" + SEG + "/members/" + SEG + "/stats")
def get_member_stats(api, user, query, body, pool, member):
    device = api.device
    with device.lock:
        now = device.advance()
        return 200, api.member_stats_view(device.member(decode_name(pool), decode_name(member)), now)


@route("GET", "/mgmt/tm/ltm/node/" + SEG)
def get_node(api, user, query, body, node):
    device = api.device
    path = decode_name(node)
    with device.lock:
        members = device.node_members(path)
        if not members:
            raise DeviceError(404, "01020036:3: The requested Node (%s) was not found." % path)
        partition, name = split_path(path)
        return 200, {"kind": "tm:ltm:node:nodestate", "name": name, "partition": partition, "fullPath": path,
                     "generation": device.generation, "selfLink": api.link("/mgmt/tm/ltm/node/" + tilde(path)),
                     "address": members[0].address, "connectionLimit": 0, "dynamicRatio": 1,
                     "ephemeral": "false", "fqdn": {"addressFamily": "ipv4", "autopopulate": "disabled",
                                                    "downInterval": 5, "interval": "3600"},
                     "logging": "disabled", "monitor": "default", "rateLimit": "disabled", "ratio": 1,
                     "session": "user-enabled", "state": "unchecked"}


@route("DELETE", "/mgmt/tm/ltm/node/" + SEG)
def delete_node(api, user, query, body, node):
    path = decode_name(node)
    users = api.device.node_members(path)
    if users:
        raise DeviceError(400, "01070110:3: Node address '%s' is referenced by a member of pool '%s'."
                          % (path, users[0].pool.path))
    raise DeviceError(404, "01020036:3: The requested Node (%s) was not found." % path)


# ---------------------------------------------------------------------- iRules
@route("GET", "/mgmt/tm/ltm/rule")
def list_rules(api, user, query, body):
    with api.device.lock:
        items = [api.rule_view(path, rule) for path, rule in sorted(api.device.rules.items())]
    return 200, {"kind": "tm:ltm:rule:rulecollectionstate", "selfLink": api.link("/mgmt/tm/ltm/rule"),
                 "items": select(items, query)}


@route("POST", "/mgmt/tm/ltm/rule")
def create_rule(api, user, query, body):
    body = body or {}
    if not body.get("name"):
        raise DeviceError(400, "the rule needs a name")
    path = full_path(body.get("partition"), body["name"])
    rule = api.device.put_rule(path, body.get("apiAnonymous", ""), create=True)
    return 200, api.rule_view(path, rule)


@route("GET", "/mgmt/tm/ltm/rule/" + SEG)
def get_rule(api, user, query, body, name):
    path = decode_name(name)
    with api.device.lock:
        return 200, api.rule_view(path, api.device.rule(path))


@route("PATCH PUT", "/mgmt/tm/ltm/rule/" + SEG)
def modify_rule(api, user, query, body, name):
    path = decode_name(name)
    body = body or {}
    if "apiAnonymous" not in body:
        with api.device.lock:
            return 200, api.rule_view(path, api.device.rule(path))
    rule = api.device.put_rule(path, body["apiAnonymous"], create=False)
    return 200, api.rule_view(path, rule)


@route("DELETE", "/mgmt/tm/ltm/rule/" + SEG)
def delete_rule(api, user, query, body, name):
    api.device.delete_rule(decode_name(name))
    return 200, {}


# ---------------------------------------------------------------------- virtual servers
@route("GET", "/mgmt/tm/ltm/virtual")
def list_virtuals(api, user, query, body):
    expand = query.get("expandSubcollections") == "true"
    with api.device.lock:
        items = [api.virtual_view(v, expand) for v in api.device.virtuals]
    return 200, {"kind": "tm:ltm:virtual:virtualcollectionstate", "selfLink": api.link("/mgmt/tm/ltm/virtual"),
                 "items": select(items, query)}


@route("GET", "/mgmt/tm/ltm/virtual/" + SEG)
def get_virtual(api, user, query, body, name):
    expand = query.get("expandSubcollections") == "true"
    with api.device.lock:
        return 200, api.virtual_view(api.device.virtual(decode_name(name)), expand)


@route("GET", "/mgmt/tm/ltm/virtual/" + SEG + "/profiles")
def get_virtual_profiles(api, user, query, body, name):
    with api.device.lock:
        virtual = api.device.virtual(decode_name(name))
        return 200, {"kind": "tm:ltm:virtual:profiles:profilescollectionstate",
                     "selfLink": api.link("/mgmt/tm/ltm/virtual/%s/profiles" % tilde(virtual.path)),
                     "items": api.profiles_items(virtual)}


@route("PATCH PUT", "/mgmt/tm/ltm/virtual/" + SEG)
def modify_virtual(api, user, query, body, name):
    body = dict(body or {})
    changes = dict((k, body[k]) for k in ("rules", "pool", "enabled", "disabled", "metadata") if k in body)
    with api.device.lock:
        virtual = api.device.modify_virtual(decode_name(name), changes)
        return 200, api.virtual_view(virtual, False)


@route("GET", "/mgmt/tm/ltm/profile/" + SEG)
def list_profiles(api, user, query, body, kind):
    with api.device.lock:
        paths = api.device.profiles(kind)
    items = []
    for path in paths:
        partition, name = split_path(path)
        items.append({"kind": "tm:ltm:profile:%s:%sstate" % (kind, kind), "name": name, "partition": partition,
                      "fullPath": path, "selfLink": api.link("/mgmt/tm/ltm/profile/%s/%s" % (kind, tilde(path)))})
    return 200, {"kind": "tm:ltm:profile:%s:%scollectionstate" % (kind, kind),
                 "selfLink": api.link("/mgmt/tm/ltm/profile/" + kind), "items": items}


@route("GET", "/mgmt/tm/ltm/message-routing/" + SEG + "/profile/" + SEG)
def list_message_routing_profiles(api, user, query, body, protocol, kind):
    return 200, {"kind": "tm:ltm:message-routing:%s:profile:%s:%scollectionstate" % (protocol, kind, kind),
                 "selfLink": api.link("/mgmt/tm/ltm/message-routing/%s/profile/%s" % (protocol, kind)),
                 "items": []}


# ---------------------------------------------------------------------- the test harness's own calls
@route("POST", "/_double/mark")
def post_mark(api, user, query, body):
    body = body or {}
    label = body.get("label")
    if not label:
        raise DeviceError(400, "mark needs a label")
    extra = dict((k, v) for k, v in body.items() if k != "label")
    api.device.mark(label, **extra)
    return 200, {"marked": label}


@route("PATCH", "/_double/member/" + SEG + "/" + SEG)
def patch_double_member(api, user, query, body, pool, member):
    body = dict(body or {})
    allowed = ("connections", "drain_rate", "monitor_status")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise DeviceError(400, "unknown member field(s) %s; allowed: %s" % (", ".join(unknown), ", ".join(allowed)))
    device = api.device
    with device.lock:
        updated = device.modify_member(decode_name(pool), decode_name(member), body, source="harness")
        return 200, api.member_view(updated, device.clock())


@route("PATCH", "/_double/knobs")
def patch_knobs(api, user, query, body):
    api.device.set_knobs(body or {})
    return 200, api.device.knobs


@route("GET", "/_double/state")
def get_state(api, user, query, body):
    api.device.advance()
    state = api.device.dump()
    state["active_members"] = dict((p.path, api.device.active_members(p.path)) for p in api.device.pools)
    return 200, state


@route("GET", "/_double/records")
def get_records(api, user, query, body):
    api.device.advance()
    return 200, {"records": list(api.device.recorder.records)}


def parse_body(raw):
    if not raw:
        return None
    return json.loads(raw.decode("utf-8"))
