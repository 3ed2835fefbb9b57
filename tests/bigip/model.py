"""The device model of the double: pools and their members, iRules, virtual servers, users.

Pure Python, no I/O except the record file and the state file; every public method takes the
lock, so the HTTPS threads can share one Device. Times are epoch seconds (time.time()).

A seed / state document (JSON) looks like:

    {"version": "15.1.0",
     "users": {"admin": "admin"},
     "pools": [{"name": "web_pool", "partition": "Common", "monitor": "/Common/http",
                "members": [{"address": "10.0.0.11", "port": 80, "connections": 4,
                             "drain_rate": 2.0, "monitor_status": "up"}]}],
     "virtual_servers": [{"name": "vs_web", "destination": "10.0.0.100:80",
                          "pool": "web_pool", "rules": []}],
     "rules": [{"name": "other_rule", "content": "when HTTP_REQUEST { }"}],
     "profiles": {"http": ["/Common/web_http"]},
     "knobs": {"fail_requests": []}}

A virtual server's "profiles" default to /Common/http and /Common/tcp; each must be a built-in
profile (BUILTIN_PROFILES) or one the seed's "profiles" adds under its kind (the iControl REST
collection /mgmt/tm/ltm/profile/<kind> that lists it).
"""
import copy
import json
import math
import os
import threading
import time

DEFAULT_VERSION = "15.1.0"
DEFAULT_PARTITION = "Common"
DEFAULT_DRAIN_RATE = 2.0  # connections that end per second while a member is disabled
MONITOR_STATUSES = ("up", "down")
SESSIONS = ("enabled", "disabled", "forced_offline")
KNOWN_KNOBS = ("fail_requests",)
# Built-in profiles by kind (the name of their /mgmt/tm/ltm/profile/<kind> collection).
BUILTIN_PROFILES = {"http": ["/Common/http"], "tcp": ["/Common/tcp"], "fastl4": ["/Common/fastL4"],
                    "fasthttp": ["/Common/fasthttp"], "client-ssl": ["/Common/clientssl"],
                    "server-ssl": ["/Common/serverssl"], "udp": ["/Common/udp"]}


class DeviceError(Exception):
    """An iControl REST error answer: HTTP status and message (body: code, message, errorStack)."""

    def __init__(self, status, message):
        super(DeviceError, self).__init__(message)
        self.status = status
        self.message = message


def full_path(partition, name):
    """('Common', 'web') -> '/Common/web'; a name that is already a path stays as it is."""
    if name.startswith("/"):
        return name
    return "/%s/%s" % (partition or DEFAULT_PARTITION, name)


def split_path(path):
    """'/Common/web' -> ('Common', 'web'); 'web' -> ('Common', 'web')."""
    if not path.startswith("/"):
        return DEFAULT_PARTITION, path
    parts = path.strip("/").split("/")
    if len(parts) < 2:
        raise DeviceError(400, "invalid object path %r: expected /Partition/name" % path)
    return parts[0], "/".join(parts[1:])


def check_rule_syntax(path, content):
    """Balanced braces, brackets and quotes outside braces: the only syntax check of the double."""
    if not content or not content.strip():
        raise DeviceError(400, "01070151:3: Rule [%s] error: the rule is empty." % path)
    depth = 0
    brackets = 0
    index = 0
    while index < len(content):
        char = content[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise DeviceError(400, "01070151:3: Rule [%s] error: extra characters after close-brace "
                                       "(unbalanced '}' at offset %d)." % (path, index))
        elif char == "[":
            brackets += 1
        elif char == "]":
            brackets -= 1
        index += 1
    if depth != 0:
        raise DeviceError(400, "01070151:3: Rule [%s] error: missing close-brace." % path)
    if brackets != 0:
        raise DeviceError(400, "01070151:3: Rule [%s] error: missing close-bracket." % path)


class Recorder(object):
    """Every change as one JSON line: {"seq", "time", "what", "path", "before", "after", ...}."""

    def __init__(self, path=None):
        self.path = path
        self.records = []
        if path:
            directory = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(directory):
                os.makedirs(directory)

    def add(self, when, what, path, before, after, **extra):
        record = {"seq": len(self.records) + 1, "time": round(when, 6), "what": what, "path": path,
                  "before": before, "after": after}
        record.update(extra)
        self.records.append(record)
        if self.path:
            with open(self.path, "a") as handle:
                handle.write(json.dumps(record, sort_keys=True) + "\n")
        return record


class Member(object):
    def __init__(self, pool, spec):
        self.pool = pool
        self.address = str(spec["address"])
        self.port = int(spec["port"])
        node = spec.get("name") or self.address
        self.node = node.split("/")[-1]
        self.partition = spec.get("partition") or pool.partition
        self.name = "%s:%d" % (self.node, self.port)
        self.monitor_status = spec.get("monitor_status", "up")
        if self.monitor_status not in MONITOR_STATUSES:
            raise ValueError("member %s: monitor_status %r is not one of %s"
                             % (self.name, self.monitor_status, ", ".join(MONITOR_STATUSES)))
        session = spec.get("session", "enabled")
        if session not in SESSIONS:
            raise ValueError("member %s: session %r is not one of %s" % (self.name, session, ", ".join(SESSIONS)))
        self.disabled = session in ("disabled", "forced_offline")
        self.forced_offline = session == "forced_offline"
        self.conns_ref = float(spec.get("connections", 0))
        self.t_ref = float(spec.get("t_ref") or time.time())
        self.drain_rate = float(spec.get("drain_rate", DEFAULT_DRAIN_RATE))
        if self.conns_ref < 0 or self.drain_rate < 0:
            raise ValueError("member %s: connections and drain_rate must be >= 0" % self.name)
        self.drained_recorded = bool(spec.get("drained_recorded", False))
        self.description = spec.get("description")
        self.ratio = int(spec.get("ratio", 1))
        self.generation = int(spec.get("generation", 1))

    @property
    def path(self):
        return "%s/%s" % (self.pool.path, self.name)

    @property
    def full_path(self):
        return full_path(self.partition, self.name)

    def monitored(self):
        return self.pool.monitor not in (None, "", "none", "/Common/none")

    def connections(self, now):
        """Current connections: constant while enabled, falling by drain_rate/s while disabled."""
        if not self.disabled:
            return int(math.ceil(self.conns_ref))
        return int(math.ceil(max(0.0, self.conns_ref - self.drain_rate * (now - self.t_ref))))

    def drained_at(self):
        """When a disabled member's connections reached (reach) 0; None if it never drains."""
        if not self.disabled:
            return None
        if self.conns_ref <= 0:
            return self.t_ref
        if self.drain_rate <= 0:
            return None
        return self.t_ref + self.conns_ref / self.drain_rate

    def rebase(self, now):
        self.conns_ref = float(self.connections(now)) if self.disabled else self.conns_ref
        self.t_ref = now

    def api_state(self):
        """The (session, state) pair the REST API shows."""
        if self.forced_offline:
            state = "user-down"
        elif self.monitored():
            state = self.monitor_status
        else:
            state = "unchecked"
        if self.disabled:
            session = "user-disabled"
        elif self.monitored():
            session = "monitor-enabled"
        else:
            session = "user-enabled"
        return session, state

    def active(self):
        """Counted by active_members: enabled and not marked down by a monitor."""
        return not self.disabled and not (self.monitored() and self.monitor_status == "down")

    def dump(self):
        return {"address": self.address, "port": self.port, "name": self.node, "partition": self.partition,
                "monitor_status": self.monitor_status,
                "session": "forced_offline" if self.forced_offline else ("disabled" if self.disabled else "enabled"),
                "connections": self.conns_ref, "t_ref": self.t_ref, "drain_rate": self.drain_rate,
                "drained_recorded": self.drained_recorded, "description": self.description,
                "ratio": self.ratio, "generation": self.generation}


class Pool(object):
    def __init__(self, spec):
        self.name = spec["name"]
        self.partition = spec.get("partition") or DEFAULT_PARTITION
        self.monitor = spec.get("monitor", "/Common/http")
        self.lb_mode = spec.get("load_balancing_mode", "round-robin")
        self.members = []
        for member_spec in spec.get("members", []):
            self.add_member(Member(self, member_spec))

    @property
    def path(self):
        return full_path(self.partition, self.name)

    def add_member(self, member):
        if self.find(member.full_path) is not None:
            raise ValueError("pool %s: member %s twice" % (self.path, member.full_path))
        self.members.append(member)

    def find(self, member_path):
        for member in self.members:
            if member.full_path == member_path:
                return member
        return None

    def dump(self):
        return {"name": self.name, "partition": self.partition, "monitor": self.monitor,
                "load_balancing_mode": self.lb_mode, "members": [m.dump() for m in self.members]}


class VirtualServer(object):
    def __init__(self, spec):
        self.name = spec["name"]
        self.partition = spec.get("partition") or DEFAULT_PARTITION
        destination = spec.get("destination", "0.0.0.0:80")
        self.destination = full_path(self.partition, destination)
        pool = spec.get("pool")
        self.pool = full_path(self.partition, pool) if pool else None
        self.rules = [full_path(self.partition, rule) for rule in spec.get("rules", [])]
        self.profiles = [full_path(self.partition, p) for p in spec.get("profiles", ["/Common/http", "/Common/tcp"])]
        self.enabled = bool(spec.get("enabled", True))
        self.metadata = spec.get("metadata")
        self.generation = int(spec.get("generation", 1))

    @property
    def path(self):
        return full_path(self.partition, self.name)

    def dump(self):
        return {"name": self.name, "partition": self.partition, "destination": self.destination,
                "pool": self.pool, "rules": list(self.rules), "profiles": list(self.profiles),
                "enabled": self.enabled, "metadata": self.metadata, "generation": self.generation}


class Device(object):
    """The whole BIG-IP: load with a seed/state document, change through the methods below."""

    def __init__(self, doc=None, record_path=None, state_path=None, clock=time.time):
        doc = copy.deepcopy(doc or {})
        self.lock = threading.RLock()
        self.clock = clock
        self.version = str(doc.get("version", DEFAULT_VERSION))
        self.users = dict(doc.get("users") or {"admin": "admin"})
        self.pools = [Pool(spec) for spec in doc.get("pools", [])]
        self.rules = {}
        for rule in doc.get("rules", []):
            path = full_path(rule.get("partition"), rule["name"])
            check_rule_syntax(path, rule.get("content", ""))
            self.rules[path] = {"content": rule["content"], "generation": int(rule.get("generation", 1))}
        self.custom_profiles = {}
        for kind, paths in (doc.get("profiles") or {}).items():
            if kind not in BUILTIN_PROFILES:
                raise ValueError("profiles: unknown kind %r (known: %s)" % (kind, ", ".join(sorted(BUILTIN_PROFILES))))
            self.custom_profiles[kind] = [full_path(None, p) for p in paths]
        self.virtuals = [VirtualServer(spec) for spec in doc.get("virtual_servers", [])]
        for virtual in self.virtuals:
            self._check_rules_exist(virtual.rules)
            for profile in virtual.profiles:
                if self.profile_kind(profile) is None:
                    raise ValueError("virtual server %s: profile %s does not exist" % (virtual.path, profile))
            if virtual.pool and self.pool(virtual.pool, missing_ok=True) is None:
                raise ValueError("virtual server %s: pool %s does not exist" % (virtual.path, virtual.pool))
        self.state_path = None
        self.knobs = {"fail_requests": []}
        self.set_knobs(doc.get("knobs") or {})
        self.recorder = Recorder(record_path)
        self.state_path = state_path
        self.generation = int(doc.get("generation", 1))
        self.save()

    # ----------------------------------------------------------------- persistence
    def dump(self):
        with self.lock:
            return {"version": self.version, "users": dict(self.users), "generation": self.generation,
                    "pools": [p.dump() for p in self.pools],
                    "rules": [{"partition": split_path(path)[0], "name": split_path(path)[1],
                               "content": rule["content"], "generation": rule["generation"]}
                              for path, rule in sorted(self.rules.items())],
                    "virtual_servers": [v.dump() for v in self.virtuals],
                    "profiles": copy.deepcopy(self.custom_profiles),
                    "knobs": copy.deepcopy(self.knobs)}

    # ----------------------------------------------------------------- profiles
    def profiles(self, kind):
        """Full paths of the profiles of one kind (built-in first), [] for an unknown kind."""
        return list(BUILTIN_PROFILES.get(kind, [])) + list(self.custom_profiles.get(kind, []))

    def profile_kind(self, path):
        for kind in BUILTIN_PROFILES:
            if path in self.profiles(kind):
                return kind
        return None

    def save(self):
        if not self.state_path:
            return
        tmp = self.state_path + ".tmp"
        with open(tmp, "w") as handle:
            json.dump(self.dump(), handle, indent=1, sort_keys=True)
        os.replace(tmp, self.state_path)

    # ----------------------------------------------------------------- knobs
    def set_knobs(self, knobs):
        with self.lock:
            for key, value in knobs.items():
                if key not in KNOWN_KNOBS:
                    raise ValueError("unknown knob %r; known: %s" % (key, ", ".join(KNOWN_KNOBS)))
                if key == "fail_requests":
                    if not isinstance(value, list):
                        raise ValueError("fail_requests must be a list of {method, path_contains, status, times}")
                    for rule in value:
                        if not isinstance(rule, dict) or not rule.get("method") or "path_contains" not in rule:
                            raise ValueError("fail_requests entry %r needs method and path_contains" % (rule,))
                self.knobs[key] = copy.deepcopy(value)
            self.save()

    def injected_failure(self, method, path, body_text=""):
        """(status, message) when a fail_requests knob matches this request (and counts it down).

        A knob entry: {method, path_contains, body_contains (optional), status (503), times (1; -1 = always)}."""
        with self.lock:
            for rule in self.knobs.get("fail_requests", []):
                if rule["method"].upper() == method and rule["path_contains"] in path and \
                        rule.get("body_contains", "") in body_text:
                    times = int(rule.get("times", 1))
                    if times == 0:
                        continue
                    if times > 0:
                        rule["times"] = times - 1
                    self.save()
                    return int(rule.get("status", 503)), rule.get("message", "injected failure (double knob)")
            return None

    # ----------------------------------------------------------------- time
    def advance(self):
        """Record the drains that completed up to now (in time order); returns now."""
        with self.lock:
            now = self.clock()
            due = []
            for pool in self.pools:
                for member in pool.members:
                    when = member.drained_at()
                    if when is not None and when <= now and not member.drained_recorded:
                        due.append((when, member))
            for when, member in sorted(due, key=lambda item: item[0]):
                member.drained_recorded = True
                self.recorder.add(when, "drained", member.path, {"connections": None}, {"connections": 0},
                                  pool=member.pool.path, member=member.full_path)
            if due:
                self.save()
            return now

    def mark(self, label, **extra):
        """A marker from the test harness (for example the switchover), recorded like a change."""
        with self.lock:
            now = self.advance()
            self.recorder.add(now, "mark", label, None, None, **extra)

    # ----------------------------------------------------------------- lookups
    def pool(self, path, missing_ok=False):
        for pool in self.pools:
            if pool.path == path:
                return pool
        if missing_ok:
            return None
        raise DeviceError(404, "01020036:3: The requested Pool (%s) was not found." % path)

    def member(self, pool_path, member_path):
        pool = self.pool(pool_path)
        member = pool.find(member_path)
        if member is None:
            raise DeviceError(404, "01020036:3: The requested Pool Member (%s %s) was not found."
                              % (pool.path, member_path.replace(":", " ")))
        return member

    def node_members(self, node_path):
        partition, name = split_path(node_path)
        return [m for p in self.pools for m in p.members if m.partition == partition and m.node == name]

    def rule(self, path):
        if path not in self.rules:
            raise DeviceError(404, "01020036:3: The requested rule (%s) was not found." % path)
        return self.rules[path]

    def virtual(self, path):
        for virtual in self.virtuals:
            if virtual.path == path:
                return virtual
        raise DeviceError(404, "01020036:3: The requested Virtual Server (%s) was not found." % path)

    def active_members(self, pool_path):
        with self.lock:
            return sum(1 for m in self.pool(pool_path).members if m.active())

    # ----------------------------------------------------------------- changes
    def modify_member(self, pool_path, member_path, changes, source="rest"):
        """PATCH/PUT of a pool member: session, state, description, ratio, connections, monitor_status."""
        with self.lock:
            now = self.advance()
            member = self.member(pool_path, member_path)
            before = self.member_view(member, now)
            session = changes.get("session")
            state = changes.get("state")
            allowed_sessions = ("user-enabled", "user-disabled", "monitor-enabled")
            allowed_states = ("user-up", "user-down")
            if session is not None and session not in allowed_sessions:
                raise DeviceError(400, "invalid session %r for %s: expected one of %s"
                                  % (session, member.full_path, ", ".join(allowed_sessions)))
            if state is not None and state not in allowed_states:
                raise DeviceError(400, "invalid state %r for %s: expected one of %s"
                                  % (state, member.full_path, ", ".join(allowed_states)))
            member.rebase(now)
            if session is not None:
                was_disabled = member.disabled
                member.disabled = session == "user-disabled"
                if member.disabled and not was_disabled:
                    member.drained_recorded = False
            if state is not None:
                member.forced_offline = state == "user-down"
                if member.forced_offline and not member.disabled:
                    member.disabled = True
                    member.drained_recorded = False
            if "description" in changes:
                member.description = changes["description"]
            if "ratio" in changes:
                member.ratio = int(changes["ratio"])
            if "connections" in changes:
                member.conns_ref = float(changes["connections"])
                member.drained_recorded = False
            if "drain_rate" in changes:
                member.drain_rate = float(changes["drain_rate"])
            if "monitor_status" in changes:
                if changes["monitor_status"] not in MONITOR_STATUSES:
                    raise DeviceError(400, "monitor_status %r is not one of %s"
                                      % (changes["monitor_status"], ", ".join(MONITOR_STATUSES)))
                member.monitor_status = changes["monitor_status"]
            after = self.member_view(member, now)
            if after != before:
                member.generation += 1
                self.generation += 1
                self.recorder.add(now, "member", member.path, before, after, pool=member.pool.path,
                                  member=member.full_path, source=source)
                self.advance()
                self.save()
            return member

    def create_member(self, pool_path, body):
        with self.lock:
            now = self.advance()
            pool = self.pool(pool_path)
            name = body.get("name")
            if not name or ":" not in name:
                raise DeviceError(400, "member name %r must be <node>:<port>" % (name,))
            partition, short = split_path(full_path(body.get("partition") or pool.partition, name))
            node, port = short.rsplit(":", 1)
            spec = {"address": body.get("address") or node, "port": int(port), "name": node, "partition": partition,
                    "connections": 0}
            session, state = body.get("session"), body.get("state")
            if state == "user-down":
                spec["session"] = "forced_offline"
            elif session == "user-disabled":
                spec["session"] = "disabled"
            member = Member(pool, spec)
            if pool.find(member.full_path) is not None:
                raise DeviceError(409, "01020066:3: The requested Pool Member (%s %s) already exists."
                                  % (pool.path, member.full_path.replace(":", " ")))
            pool.add_member(member)
            self.generation += 1
            self.recorder.add(now, "member.create", member.path, None, self.member_view(member, now),
                              pool=pool.path, member=member.full_path)
            self.save()
            return member

    def delete_member(self, pool_path, member_path):
        with self.lock:
            now = self.advance()
            member = self.member(pool_path, member_path)
            before = self.member_view(member, now)
            member.pool.members.remove(member)
            self.generation += 1
            self.recorder.add(now, "member.delete", member.path, before, None, pool=member.pool.path,
                              member=member.full_path)
            self.save()

    def put_rule(self, path, content, create):
        with self.lock:
            now = self.advance()
            exists = path in self.rules
            if create and exists:
                raise DeviceError(409, "01020066:3: The requested rule (%s) already exists in partition %s."
                                  % (path, split_path(path)[0]))
            if not create and not exists:
                raise DeviceError(404, "01020036:3: The requested rule (%s) was not found." % path)
            check_rule_syntax(path, content)
            before = self.rules[path]["content"] if exists else None
            if before == content:
                return self.rules[path]
            generation = self.rules[path]["generation"] + 1 if exists else 1
            self.rules[path] = {"content": content, "generation": generation}
            self.generation += 1
            self.recorder.add(now, "rule.modify" if exists else "rule.create", path,
                              None if before is None else {"content": before}, {"content": content})
            self.save()
            return self.rules[path]

    def delete_rule(self, path):
        with self.lock:
            now = self.advance()
            rule = self.rule(path)
            users = [v.path for v in self.virtuals if path in v.rules]
            if users:
                raise DeviceError(400, "01070265:3: The rule (%s) cannot be deleted because it is in use by "
                                       "a virtual server (%s)." % (path, users[0]))
            del self.rules[path]
            self.generation += 1
            self.recorder.add(now, "rule.delete", path, {"content": rule["content"]}, None)
            self.save()

    def _check_rules_exist(self, rules):
        for rule in rules:
            if rule not in self.rules:
                raise DeviceError(400, "01070621:3: Rule (%s) was not found." % rule)

    def modify_virtual(self, path, changes):
        """PATCH/PUT of a virtual server: rules (full list), pool, enabled/disabled, metadata, description."""
        with self.lock:
            now = self.advance()
            virtual = self.virtual(path)
            before = virtual.dump()
            if "rules" in changes:
                rules = changes["rules"] or []
                if not isinstance(rules, list):
                    raise DeviceError(400, "rules must be a list of rule names, got %r" % (rules,))
                rules = [full_path(virtual.partition, r) for r in rules]
                if len(set(rules)) != len(rules):
                    raise DeviceError(400, "01070621:3: the virtual server (%s) lists a rule twice: %s"
                                      % (virtual.path, rules))
                self._check_rules_exist(rules)
                virtual.rules = rules
            if "pool" in changes:
                pool = changes["pool"]
                if pool:
                    pool = full_path(virtual.partition, pool)
                    self.pool(pool)
                virtual.pool = pool or None
            if changes.get("enabled") is True:
                virtual.enabled = True
            if changes.get("disabled") is True:
                virtual.enabled = False
            if "metadata" in changes:
                virtual.metadata = changes["metadata"]
            after = virtual.dump()
            if after != before:
                virtual.generation += 1
                after["generation"] = virtual.generation
                self.generation += 1
                if before["rules"] != after["rules"]:
                    self.recorder.add(now, "virtual.rules", virtual.path, {"rules": before["rules"]},
                                      {"rules": after["rules"]})
                other_before = dict((k, v) for k, v in before.items() if k not in ("rules", "generation"))
                other_after = dict((k, v) for k, v in after.items() if k not in ("rules", "generation"))
                if other_before != other_after:
                    self.recorder.add(now, "virtual", virtual.path, other_before, other_after)
                self.save()
            return virtual

    # ----------------------------------------------------------------- views
    def member_view(self, member, now):
        session, state = member.api_state()
        return {"session": session, "state": state, "connections": member.connections(now)}
