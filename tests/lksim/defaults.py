"""/etc/default/LifeKeeper: shell-style KEY=value tunables with # comments."""
import os

DEFAULT_PORT = 7365

# value used when the key is missing (LCMPORT 0 means the default port)
TUNABLES = {
    "LKROOT": "/opt/LifeKeeper",
    "LCMPORT": "0",
    "LCMHBEATTIME": "5",
    "LCMNUMHBEATS": "3",
    "LKCHECKINTERVAL": "120",
}


def parse(text):
    """{KEY: value} of a defaults file text (quotes stripped, comments ignored)."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export "):
            line = line[len("export "):].strip()
        key, value = line.split("=", 1)
        key = key.strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


def load(paths):
    """Tunables of the node (missing keys take TUNABLES)."""
    values = dict(TUNABLES)
    try:
        with open(paths.defaults_file) as handle:
            values.update(parse(handle.read()))
    except (IOError, OSError):
        pass
    return values


def _number(values, key, kind):
    try:
        return kind(values.get(key, TUNABLES.get(key)))
    except (TypeError, ValueError):
        return kind(TUNABLES[key])


def port(values):
    value = _number(values, "LCMPORT", int)
    return value if value > 0 else DEFAULT_PORT


def hbeattime(values):
    return max(0.1, _number(values, "LCMHBEATTIME", float))


def numhbeats(values):
    return max(1, _number(values, "LCMNUMHBEATS", int))


def flag(values, key):
    """A yes/no tunable (shutdown_switchover=true etc.)."""
    return str(values.get(key, "")).strip().lower() in ("1", "y", "yes", "true", "on")


def render(values):
    """Text of a defaults file for {KEY: value} (keys in the given order)."""
    lines = ["# LifeKeeper tunables (written by lksim). LCMPORT, LCMHBEATTIME and",
             "# LCMNUMHBEATS must match on all nodes of a cluster."]
    for key, value in values.items():
        lines.append("%s=%s" % (key, value))
    return "\n".join(lines) + "\n"


def write(paths, values):
    os.makedirs(os.path.dirname(paths.defaults_file), exist_ok=True)
    tmp = paths.defaults_file + ".tmp"
    with open(tmp, "w") as handle:
        handle.write(render(values))
    os.replace(tmp, paths.defaults_file)
