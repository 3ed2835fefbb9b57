"""`setup` on the product media (run through the media's setup launcher).

main(argv, root, media_dir) -> exit code. media_dir is where setup lives (mounted or
extracted sps_<ver>.img): media_dir/rpms/*.rpm and media_dir/VERSION.

9.x and later (menu generation): `setup -f CONFIG_FILE` runs without questions (ASSUMED flag;
CONFIG_FILE holds KEY=value lines, see CONFIG_KEYS; an empty file accepts the preselected
choices: the installed recovery kits are updated, RECOVERY_KITS adds kits). Without -f and
without a terminal, setup refuses and says to use -f.
8.x (prompt generation): the questions of setup_prompts.py on stdin; `setup -y` takes every
default. `setup -k` (both): only the recovery kit selection (the core must be this version).

Update rules (the simulator's own table, independent of the collection's versions.py):
see DIRECT_FROM. Same version: "already installed", exit 0, unless the configuration names
recovery kits or licence keys (then those are installed: a change). Older than the window
or newer than the media: refused, exit 1, nothing changed.

If LifeKeeper runs when setup starts and the core is installed or updated, setup stops it
with `lkstop -f` (protected resources stay in service, ASSUMED), installs, then starts it
again with `lkstart` and prints `Setup Complete.`; kits and licence keys alone leave it
running. Every run appends a JSON record to ROOT/var/log/lksim/setup.jsonl. Knobs:
setup_seconds (time spent installing), fail_setup (the install fails: error, exit 1, rpms
unchanged, LifeKeeper restarted if it ran before).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

from lksim import generations, knobs, packaging
from lksim import setup_prompts as prompts
from lksim.paths import NodePaths

PROG = "setup"

# --- update rules -----------------------------------------------------------------------
# Target (a "major.minor" series or an exact version) -> sources a direct update accepts
# ("N.N.x" = any patch of that series, "N.N.N" = exactly that version). Any older patch of
# the target's own series is always accepted. Targets not listed: "two versions back".
DIRECT_FROM = {
    "9.9": ("9.7.x", "9.8.x"),
    "8.4.1": ("8.2.x", "8.3.x", "8.4.0"),
    "10.0": ("9.8.0", "9.9.x"),
}
# Release series in order, for the generic "two versions back" rule.
SERIES = [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4)] + [(9, m) for m in range(10)] + [(10, 0)]

DEFAULTS_TEMPLATE = """\
# /etc/default/LifeKeeper: LifeKeeper tunables (written by setup)
LKROOT=/opt/LifeKeeper
# communication path port (0 = 7365)
LCMPORT=0
# seconds between heartbeats, missed heartbeats before a path is DEAD
LCMHBEATTIME=5
LCMNUMHBEATS=3
# seconds between resource checks (0 = no monitoring)
LKCHECKINTERVAL=120
# owned by setup, do not edit
LK_SERV_ENV=%s
"""

# 9.x configuration file keys (ASSUMED): KEY=value, '#' comments, blank lines ignored.
CONFIG_KEYS = {
    "SERVER_ENVIRONMENT": "platform (written to LK_SERV_ENV), default generic",
    "INSTALL_JAVA": "yes|no",
    "USE_QUORUM": "yes|no",
    "LK_AUTH_USERS": "GUI users, space separated",
    "LICENSE_FILES": "license key files to install, space separated paths",
    "RECOVERY_KITS": "recovery kit packages to install or update, space separated "
                     "(added to the installed kits, which are always updated)",
    "START_AFTER_INSTALL": "yes|no (default: start again only if LifeKeeper ran before)",
}
YES_NO_KEYS = ("INSTALL_JAVA", "USE_QUORUM", "START_AFTER_INSTALL")
# Where a provisioned node keeps "the operator's" configuration saved from the 9.x setup menu
# (the tests pass it as lk_setup_config_file): the node's recovery kits selected.
SAVED_CONFIG = "etc/lksim/saved-setup.conf"


def write_saved_config(paths, kits):
    """The configuration an operator saved from this node's setup menu (9.x), kits selected."""
    target = os.path.join(paths.root, SAVED_CONFIG)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as handle:
        handle.write("# saved from the setup menu (Save)\nRECOVERY_KITS=%s\n" % " ".join(kits))
    return target


class SetupError(Exception):
    """Setup cannot go on; str() is the message, .rc the exit code."""

    def __init__(self, message, rc=1):
        Exception.__init__(self, message)
        self.rc = rc


class Aborted(SetupError):
    pass


def parse_version(text):
    parts = str(text).strip().split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise SetupError("cannot read version %r" % text)
    nums = [int(p) for p in parts]
    while len(nums) < 3:
        nums.append(0)
    return tuple(nums)


def _matches(pattern, version):
    parts = pattern.split(".")
    if parts[-1] == "x":
        return list(version[:2]) == [int(p) for p in parts[:2]]
    return version == parse_version(pattern)


def _window(target):
    """(list of source patterns, human description) of the direct update window of target."""
    exact = "%d.%d.%d" % target
    series = "%d.%d" % target[:2]
    for key in (exact, series):
        if key in DIRECT_FROM:
            sources = DIRECT_FROM[key]
            return list(sources), " and ".join([", ".join(sources[:-1]), sources[-1]]
                                               if len(sources) > 1 else sources)
    known = sorted(set(SERIES) | {target[:2]})
    index = known.index(target[:2])
    sources = ["%d.%d.x" % s for s in known[max(0, index - 2):index]]
    if not sources:
        return [], "no older release"
    return sources, " and ".join(sources) + " (two versions back)"


def update_kind(installed, target):
    """fresh | same | direct | older | downgrade."""
    if installed is None:
        return "fresh"
    src, dst = parse_version(installed), parse_version(target)
    if src == dst:
        return "same"
    if src > dst:
        return "downgrade"
    if src[:2] == dst[:2]:
        return "direct"
    patterns, dummy = _window(dst)
    if any(_matches(p, src) for p in patterns):
        return "direct"
    return "older"


def older_message(installed, target):
    dummy, description = _window(parse_version(target))
    return ("direct update to %s is supported from %s; %s is installed: remove LifeKeeper "
            "(rmlk) and install %s as a new installation, or update to an intermediate "
            "version first" % (target, description, installed, target))


# --- helpers ----------------------------------------------------------------------------

def _say(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def media_version(media_dir):
    try:
        with open(os.path.join(media_dir, "VERSION")) as handle:
            return handle.read().strip()
    except (IOError, OSError):
        pass
    for rpm in packaging.media_rpms(media_dir):
        match = re.match(r"steeleye-lk-([0-9.]+)-", os.path.basename(rpm))
        if match:
            return match.group(1)
    raise SetupError("no LifeKeeper packages found under %s" % os.path.join(media_dir, "rpms"))


def run_bin(paths, name, args=(), timeout=120):
    """Run $LKROOT/bin/name of the node; returns (rc, output). Missing command -> (127, '')."""
    path = os.path.join(paths.bin_dir, name)
    if not os.path.exists(path):
        return 127, ""
    try:
        proc = subprocess.run([sys.executable, path] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True,
                              stdin=subprocess.DEVNULL, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return 124, "%s timed out after %d s" % (name, timeout)
    return proc.returncode, proc.stdout


def lifekeeper_running(paths):
    rc, dummy = run_bin(paths, "lktest", timeout=30)
    return rc == 0


def read_config(path):
    """KEY=value configuration file of 9.x setup -f; returns a dict. Errors -> SetupError(rc 2)."""
    try:
        with open(path) as handle:
            lines = handle.read().splitlines()
    except (IOError, OSError) as exc:
        raise SetupError("cannot read configuration file %s: %s" % (path, exc.strerror or exc), 2)
    config = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise SetupError("%s line %d: expected KEY=value, got %r" % (path, number, line), 2)
        key, value = line.split("=", 1)
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key not in CONFIG_KEYS:
            raise SetupError("%s line %d: unknown setting %s (known: %s)"
                             % (path, number, key, ", ".join(sorted(CONFIG_KEYS))), 2)
        if key in YES_NO_KEYS and value.lower() not in ("yes", "no", "y", "n", "true", "false"):
            raise SetupError("%s line %d: %s must be yes or no, got %r" % (path, number, key, value), 2)
        config[key] = value
    return config


def _yes(value):
    return str(value).lower() in ("yes", "y", "true")


def _check_license_files(files):
    missing = [f for f in files if not os.path.isfile(f)]
    if missing:
        raise SetupError("license key file(s) not found: %s" % ", ".join(missing), 2)


def _write_defaults(paths, fresh, server_env):
    """Fresh install: a new defaults file (replacing any). Update: keep it, set LK_SERV_ENV."""
    target = paths.defaults_file
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if fresh or not os.path.exists(target):
        with open(target, "w") as handle:
            handle.write(DEFAULTS_TEMPLATE % (server_env or "generic"))
        return
    with open(target) as handle:
        lines = handle.read().splitlines()
    found = False
    for index, line in enumerate(lines):
        if line.strip().startswith("LK_SERV_ENV="):
            found = True
            if server_env:
                lines[index] = "LK_SERV_ENV=%s" % server_env
    if not found:
        lines.append("LK_SERV_ENV=%s" % (server_env or "generic"))
    with open(target, "w") as handle:
        handle.write("\n".join(lines) + "\n")


# --- the run ----------------------------------------------------------------------------

def _parser():
    parser = argparse.ArgumentParser(
        prog=PROG, add_help=False,
        description="Install or update LifeKeeper for Linux from this media.",
        epilog="9.x: -f CONFIG_FILE runs without questions (KEY=value lines: %s). "
               "8.x: -y accepts every default." % ", ".join(sorted(CONFIG_KEYS)))
    parser.add_argument("-f", dest="config", metavar="CONFIG_FILE",
                        help="(9.x) load the setup choices from CONFIG_FILE, no questions")
    parser.add_argument("-y", dest="assume_yes", action="store_true",
                        help="(8.x) accept the default answer to every question")
    parser.add_argument("-k", dest="kits_only", action="store_true",
                        help="only the recovery kit selection")
    parser.add_argument("-h", "--help", action="store_true", help="show this help")
    return parser


def _usage_error(parser, message):
    parser.print_usage(sys.stderr)
    sys.stderr.write("%s: error: %s\n" % (PROG, message))
    return 2


def main(argv, root, media_dir):
    """setup; returns the exit code (never raises). Every run but --help appends its record
    to the node's setup log (SETUP_LOG)."""
    parser = _parser()
    try:
        args, extra = parser.parse_known_args(list(argv))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    if args.help:
        parser.print_help(sys.stdout)
        return 0
    paths = NodePaths(root)
    record = {"time": round(time.time(), 3), "argv": list(argv), "answers": {}, "licenses": [],
              "nfs_restarted": False, "result": "failed"}
    try:
        record["version_before"] = packaging.installed_version(paths)
        record["kits_before"] = packaging.installed_kits(paths)
        if extra:
            return _usage_error(parser, "unrecognized arguments: %s" % " ".join(extra))
        rc = _run(parser, args, paths, os.path.abspath(media_dir), record)
        if rc == 0 and record["result"] == "failed":
            record["result"] = "complete"
        return rc
    except Aborted as exc:
        record["result"] = "aborted"
        sys.stderr.write("%s: %s\n" % (PROG, exc))
        return exc.rc
    except SetupError as exc:
        sys.stderr.write("%s: %s\n" % (PROG, exc))
        return exc.rc
    except KeyboardInterrupt:
        record["result"] = "aborted"
        return 130
    except Exception as exc:  # pylint: disable=broad-except
        sys.stderr.write("%s: internal error: %s\n" % (PROG, exc))
        return 3
    finally:
        _append_record(paths, record)


def _append_record(paths, record):
    """One JSON line per run in ROOT/var/log/lksim/setup.jsonl (what setup saw and did)."""
    record.setdefault("version_before", None)
    record.setdefault("kits_before", {})
    try:
        record["version_after"] = packaging.installed_version(paths)
        record["kits_after"] = packaging.installed_kits(paths)
    except Exception:  # pylint: disable=broad-except
        record["version_after"], record["kits_after"] = None, {}
    try:
        os.makedirs(os.path.dirname(paths.setup_log), exist_ok=True)
        with open(paths.setup_log, "a") as handle:
            handle.write(json.dumps(record, sort_keys=True) + "\n")
    except OSError as exc:
        sys.stderr.write("%s: cannot write %s: %s\n" % (PROG, paths.setup_log, exc))


def _recovery_kits(config, media_kits):
    """9.x: the kits RECOVERY_KITS names; SetupError (exit 2) naming any not on the media."""
    wanted = config.get("RECOVERY_KITS", "").split()
    unknown = [w for w in wanted if w not in media_kits]
    if unknown:
        raise SetupError("unknown recovery kit(s) %s (this media has: %s)"
                         % (", ".join(unknown), ", ".join(media_kits) or "none"), 2)
    return wanted


def _choose_9x(args, config, facts, record):
    """The 9.x choices: from the configuration file (-f) or the menu's one question."""
    wanted = _recovery_kits(config, facts["media_kits"])
    # the installed kits are preselected for update; RECOVERY_KITS adds kits
    choices = {"kits": [k for k in facts["media_kits"]
                        if k in facts["installed_kits"] or k in wanted],
               "licenses": [] if args.kits_only else config.get("LICENSE_FILES", "").split(),
               "nfs_restart": False,
               "java": _yes(config.get("INSTALL_JAVA", "no")) and not args.kits_only}
    record["answers"] = dict(config)
    if not args.config:       # a terminal: the menu stands in as one confirmation
        prompter = prompts.Prompter(False)
        question = "Install LifeKeeper %s with the preselected choices?" % facts["target"]
        if prompter.ask("menu", question, "y") != "y":
            record["answers"]["menu"] = "n"
            raise Aborted("aborted; nothing was changed")
        record["answers"]["menu"] = "y"
    if "START_AFTER_INSTALL" in config:
        choices["start_after"] = _yes(config["START_AFTER_INSTALL"])
    return choices


def _choose_8x(args, facts, record, stop):
    """The 8.x dialogue (setup_prompts.ask_8x); LifeKeeper is stopped in its middle."""
    prompter = prompts.Prompter(args.assume_yes)
    try:
        return prompts.ask_8x(prompter, facts, stop=stop)
    except prompts.Aborted as exc:
        raise Aborted(str(exc))
    finally:
        record["answers"] = dict(prompter.answers)
        record["screens"] = list(prompter.screens)


def _stop_lifekeeper(paths, record):
    """setup stops a running LifeKeeper (lkstop -f: protected resources stay in service)."""
    _say("Stopping LifeKeeper (lkstop -f: protected resources stay in service)")
    rc, out = run_bin(paths, "lkstop", ["-f"])
    if out.strip():
        _say(out.rstrip())
    if rc != 0:
        raise SetupError("could not stop LifeKeeper (lkstop -f exit %d); nothing was changed" % rc)
    record["stopped_lifekeeper"] = True


def _run(parser, args, paths, media_dir, record):
    target = media_version(media_dir)
    menu_generation = generations.major(target) >= 9
    if menu_generation and args.assume_yes:
        return _usage_error(parser, "option -y is not supported by this setup; use -f CONFIG_FILE "
                                    "for a non-interactive run")
    if not menu_generation and args.config:
        return _usage_error(parser, "option -f is not supported by this setup; use -y to accept "
                                    "the defaults")
    config = {}
    if menu_generation:
        if args.config:
            config = read_config(args.config)
        elif not sys.stdin.isatty():
            raise SetupError("no terminal for the setup menu: for a non-interactive run save the "
                             "choices to a configuration file and run setup -f CONFIG_FILE", 2)
    rpms = packaging.media_rpms(media_dir)
    core = [r for r in rpms if packaging.package_of(r) == packaging.CORE]
    kit_rpms = dict((packaging.package_of(r), r) for r in rpms if r not in core)
    if not core:
        raise SetupError("no %s package under %s" % (packaging.CORE, os.path.join(media_dir, "rpms")))
    _recovery_kits(config, sorted(kit_rpms))     # a bad configuration is refused first

    installed, installed_kits = record["version_before"], dict(record["kits_before"])
    if args.kits_only:
        if installed != target:
            raise SetupError("recovery kit selection needs LifeKeeper %s installed (installed: %s); "
                             "run setup without -k first" % (target, installed or "none"))
        kind = "kits"
    else:
        kind = update_kind(installed, target)
        if kind == "same" and (config.get("RECOVERY_KITS", "").split()
                               or config.get("LICENSE_FILES", "").split()):
            kind = "kits"        # the kits and licence keys of the configuration: a change
        elif kind == "same":
            _say("LifeKeeper %s is already installed; nothing to do." % target)
            record["result"] = "already_installed"
            return 0
        if kind == "older":
            raise SetupError(older_message(installed, target))
        if kind == "downgrade":
            raise SetupError("LifeKeeper %s is installed, newer than %s on this media: downgrade "
                             "is not supported" % (installed, target))

    if kind == "fresh":
        _say("LifeKeeper %s: new installation." % target)
    elif kind == "direct":
        _say("LifeKeeper %s is installed: updating to %s." % (installed, target))
    else:
        _say("LifeKeeper %s is installed: recovery kits and license keys." % target)
    if knobs.load(paths).get("setup_hangs"):
        knobs.hang()      # knob setup_hangs: the banner, then nothing until killed; no change
    if knobs.load(paths).get("setup_hangs_closed"):
        # knob setup_hangs_closed: like a setup that logs to a file and waits on a lock: its
        # output closed, nothing changed, it never ends (the caller's deadline must kill it)
        os.closerange(0, 3)
        knobs.hang()
    was_running = lifekeeper_running(paths)

    # Collect every choice before anything changes.
    facts = {"running": was_running, "installed": installed, "target": target,
             "kits_only": kind == "kits", "java_current": _java_current(paths, target),
             "media_kits": sorted(kit_rpms), "installed_kits": installed_kits,
             "kit_summaries": dict((k, v[0]) for k, v in packaging.KITS.items())}
    # updating the core stops a running LifeKeeper; kits and licences alone do not
    stop_first = was_running and kind != "kits"
    if menu_generation:
        choices = _choose_9x(args, config, facts, record)
    else:
        # 8.x: the stop comes in the middle of the dialogue (8.4.1 guide step 4); an abort
        # after it leaves LifeKeeper stopped (ASSUMED)
        choices = _choose_8x(args, facts, record, lambda: _stop_lifekeeper(paths, record))
    _check_license_files(choices["licenses"])
    start_after = choices.get("start_after", was_running)

    # Changes start here (8.x: LifeKeeper is already stopped).
    if stop_first and menu_generation:
        _stop_lifekeeper(paths, record)
    try:
        _install(paths, target, kind, core + [kit_rpms[k] for k in choices["kits"]], choices,
                 config, record)
    except SetupError:
        if stop_first:
            _restart(paths, after_failure=True)
        raise
    if start_after and (stop_first or not was_running):
        _restart(paths)
    _say("Setup Complete.")
    return 0


def _install(paths, target, kind, rpms, choices, config, record):
    """Install the chosen packages, defaults file, licence keys, Java; restart NFS."""
    to_install = [r for r in rpms if kind != "kits" or packaging.package_of(r) != packaging.CORE]
    for rpm in to_install:
        _say("Installing %s" % os.path.basename(rpm))
    time.sleep(float(knobs.load(paths).get("setup_seconds", 0) or 0))
    if knobs.load(paths).get("fail_setup"):
        raise SetupError("ERROR: installation of %s %s failed (simulated fault: knob "
                         "fail_setup); the installed packages were not changed. Fix the "
                         "cause and run setup again." % (packaging.CORE, target))
    if to_install:
        try:
            packaging.install_from(paths, to_install)
        except packaging.PackagingError as exc:
            raise SetupError("ERROR: %s" % exc)
    if kind != "kits":
        _write_defaults(paths, kind == "fresh", config.get("SERVER_ENVIRONMENT"))
    if choices["java"]:
        os.makedirs(os.path.dirname(paths.java_marker), exist_ok=True)
        with open(paths.java_marker, "w") as handle:
            handle.write(target + "\n")
        _say("Installed the Java Runtime for the GUI client")
    for license_file in choices["licenses"]:
        os.makedirs(paths.license_dir, exist_ok=True)
        shutil.copy(license_file, os.path.join(paths.license_dir, os.path.basename(license_file)))
        record["licenses"].append(license_file)
        _say("Installed license key %s" % os.path.basename(license_file))
    if choices["nfs_restart"]:
        _say("Restarting the NFS daemons")
        record["nfs_restarted"] = True


def _java_current(paths, target):
    """The Java Runtime this media bundles is installed (setup of this version put it there)."""
    try:
        with open(paths.java_marker) as handle:
            return handle.read().strip() == target
    except (IOError, OSError):
        return False


def _restart(paths, after_failure=False):
    _say("Starting LifeKeeper (lkstart)")
    rc, out = run_bin(paths, "lkstart")
    if out.strip():
        _say(out.rstrip())
    if rc != 0 and not after_failure:
        raise SetupError("packages installed, but LifeKeeper did not start (lkstart exit %d)" % rc)
