"""Real rpms of the simulated product, and installing them into a node ROOT.

steeleye-lk-<V>-1.noarch.rpm    $LKROOT/bin/<cmd> launchers (generations.commands_for(V))
steeleye-lkDR-<V>-1.noarch.rpm  recovery kits (DataKeeper, NFS Server, Oracle): each a
steeleye-lkNFS-<V>-1.noarch.rpm VERSION file under $LKROOT/lkadm/subsys (KITS)
steeleye-lkORA-<V>-1.noarch.rpm
A node gets the core and DEFAULT_KITS unless told otherwise (cluster spec "kits").

build_rpms() needs rpmbuild (the machine that builds media); install_from() only needs rpm
(minimal containers install from the product media's rpms).

rpm database: Debian's rpm keeps it at ~/.rpmdb (relative to --root). Every call here uses
`--root ROOT` when ROOT != "/", so `rpm -q --root ROOT steeleye-lk` sees what was installed.
When ROOT is "/" (inside a container) the database is pinned to /var/lib/rpm through
/etc/rpm/macros.lksim, so that `rpm -q steeleye-lk` gives the same answer whatever $HOME is.
"""
import glob
import hashlib
import os
import shutil
import subprocess
import tempfile

from lksim import generations
from lksim.launcher import LAUNCHER

CORE = "steeleye-lk"
# recovery kit package -> (summary, the file it installs; content = the version)
KITS = {
    "steeleye-lkDR": ("LifeKeeper DataKeeper recovery kit",
                      "opt/LifeKeeper/lkadm/subsys/scsi/netraid/VERSION"),
    "steeleye-lkNFS": ("LifeKeeper NFS Server recovery kit",
                       "opt/LifeKeeper/lkadm/subsys/gen/nfs/VERSION"),
    "steeleye-lkORA": ("LifeKeeper Oracle recovery kit",
                       "opt/LifeKeeper/lkadm/subsys/database/oracle/VERSION"),
}
KIT_NAMES = tuple(sorted(KITS))
PACKAGES = (CORE,) + KIT_NAMES
DEFAULT_KITS = ("steeleye-lkDR",)
KIT = "steeleye-lkDR"
KIT_VERSION_FILE = KITS[KIT][1]
PINNED_DBPATH = "/var/lib/rpm"
MACROS_FILE = "/etc/rpm/macros.lksim"


class PackagingError(Exception):
    """An rpm operation failed; the message says which and why."""


def rpm_file_name(package, version):
    return "%s-%s-1.noarch.rpm" % (package, version)


def content_key(version):
    """Short hash of what goes into the rpms, so a changed launcher never reuses a stale build."""
    digest = hashlib.sha256()
    digest.update(LAUNCHER.encode("utf-8"))
    digest.update(" ".join(generations.commands_for(version)).encode("utf-8"))
    digest.update(" ".join("%s=%s" % (k, KITS[k][1]) for k in KIT_NAMES).encode("utf-8"))
    digest.update(b"spec-v2")
    return digest.hexdigest()[:10]


def default_cache_dir(paths=None):
    """$LKSIM_RPM_CACHE, else the node's cache dir (paths.rpm_cache), else /var/cache/lksim/rpms."""
    env = os.environ.get("LKSIM_RPM_CACHE")
    if env:
        return env
    if paths is not None:
        return paths.rpm_cache
    return "/var/cache/lksim/rpms"


_SPEC = """\
Name: %(name)s
Version: %(version)s
Release: 1
Summary: %(summary)s (simulated by lksim)
License: Proprietary
BuildArch: noarch
AutoReqProv: no
%%global __os_install_post %%{nil}
%%global _build_id_links none
%%define _binary_payload w9.gzdio

%%description
%(summary)s, simulated by lksim for testing hatools.lifekeeper.

%%install
mkdir -p %%{buildroot}
cp -a %(payload)s/. %%{buildroot}/

%%files
%(files)s
"""


def _rpmbuild(name, version, summary, payload_files, out_dir, work):
    """Build one noarch rpm; payload_files: {relative path: (mode, text)}. Returns its path."""
    payload = os.path.join(work, name + "-payload")
    files = []
    for rel, (mode, text) in sorted(payload_files.items()):
        target = os.path.join(payload, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as handle:
            handle.write(text)
        os.chmod(target, mode)
        files.append("%%attr(%04o,root,root) /%s" % (mode, rel))
    spec = os.path.join(work, name + ".spec")
    with open(spec, "w") as handle:
        handle.write(_SPEC % {"name": name, "version": version, "summary": summary,
                              "payload": payload, "files": "\n".join(files)})
    topdir = os.path.join(work, "top-" + name)
    cmd = ["rpmbuild", "--quiet", "-bb",
           "--define", "_topdir %s" % topdir,
           "--define", "_rpmdir %s" % out_dir,
           "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
           spec]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    built = os.path.join(out_dir, rpm_file_name(name, version))
    if proc.returncode != 0 or not os.path.exists(built):
        raise PackagingError("rpmbuild of %s %s failed (rc %d): %s"
                             % (name, version, proc.returncode, proc.stdout.strip()[-2000:]))
    return built


def build_rpms(version, cache_dir=None):
    """Build (or reuse from cache_dir) the rpms of version; returns [core, kits...] (the
    kits in KIT_NAMES order)."""
    version = str(version)
    cache_dir = cache_dir or default_cache_dir()
    final_dir = os.path.join(cache_dir, "%s-%s" % (version, content_key(version)))
    wanted = [os.path.join(final_dir, rpm_file_name(p, version)) for p in PACKAGES]
    if all(os.path.exists(p) for p in wanted):
        return wanted
    if shutil.which("rpmbuild") is None:
        raise PackagingError("rpmbuild is not installed here and no cached rpms of %s exist in %s"
                             % (version, cache_dir))
    os.makedirs(cache_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".build-%s-" % version, dir=cache_dir)
    try:
        out = os.path.join(work, "out")
        os.makedirs(out)
        core_payload = dict(("opt/LifeKeeper/bin/%s" % cmd, (0o755, LAUNCHER))
                            for cmd in generations.commands_for(version))
        _rpmbuild(CORE, version, "LifeKeeper for Linux core", core_payload, out, work)
        for kit in KIT_NAMES:
            summary, version_file = KITS[kit]
            _rpmbuild(kit, version, summary, {version_file: (0o644, version + "\n")}, out, work)
        try:
            os.rename(out, final_dir)      # atomic: concurrent builders never see half a set
        except OSError:
            if not all(os.path.exists(p) for p in wanted):
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return wanted


# --- installing -------------------------------------------------------------------------

def rpm_root(paths):
    """The --root of the node's rpm database: node.json "rpm_root", else paths.root."""
    try:
        root = paths.node_info().get("rpm_root") or paths.root
    except (IOError, OSError, ValueError):
        root = paths.root
    return os.path.abspath(root)


def _pin_dbpath():
    """Inside a container (ROOT "/"): make every rpm call use /var/lib/rpm, whatever $HOME."""
    if os.path.exists(MACROS_FILE):
        return
    try:
        os.makedirs(os.path.dirname(MACROS_FILE), exist_ok=True)
        with open(MACROS_FILE, "w") as handle:
            handle.write("# written by lksim: one rpm database for every user\n"
                         "%%_dbpath %s\n" % PINNED_DBPATH)
        os.makedirs(PINNED_DBPATH, exist_ok=True)
    except OSError:
        pass


def rpm_cmd(paths, *args):
    """rpm command line for the node: rpm [--root ROOT] args..."""
    root = rpm_root(paths)
    cmd = ["rpm"]
    if root != "/":
        cmd += ["--root", root]
    else:
        _pin_dbpath()
    return cmd + list(args)


def _run_rpm(paths, *args):
    proc = subprocess.run(rpm_cmd(paths, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    return proc.returncode, proc.stdout, _clean_stderr(proc.stderr)


def _clean_stderr(text):
    """Drop Debian's 'use Alien instead' nag lines from rpm's stderr."""
    return "\n".join(line for line in text.splitlines()
                     if "should not be used directly" not in line
                     and "assuming you know what you are doing" not in line)


def install_from(paths, rpm_files):
    """rpm -U the given rpm files into the node (no rpmbuild needed)."""
    rpm_files = [os.path.abspath(p) for p in rpm_files]
    if not rpm_files:
        raise PackagingError("no rpm files to install")
    missing = [p for p in rpm_files if not os.path.exists(p)]
    if missing:
        raise PackagingError("rpm file(s) not found: %s" % ", ".join(missing))
    root = rpm_root(paths)
    if root != "/":
        os.makedirs(root, exist_ok=True)
    rc, out, err = _run_rpm(paths, "-U", "--nodeps", "--replacepkgs", "--oldpackage", *rpm_files)
    if rc != 0:
        raise PackagingError("rpm -U failed (rc %d): %s" % (rc, (err or out).strip()))
    return rpm_files


def check_kits(kits):
    """kits as a list; PackagingError naming any name that is not a recovery kit."""
    kits = list(kits)
    unknown = [k for k in kits if k not in KITS]
    if unknown:
        raise PackagingError("unknown recovery kit(s) %s (known: %s)"
                             % (", ".join(map(repr, unknown)), ", ".join(KIT_NAMES)))
    return kits


def rpms_for(version, kits=None, cache_dir=None):
    """The core rpm and the rpms of kits (default DEFAULT_KITS) of version."""
    wanted = check_kits(DEFAULT_KITS if kits is None else kits)
    rpms = build_rpms(version, cache_dir)
    return [r for r in rpms if package_of(r) == CORE or package_of(r) in wanted]


def package_of(rpm_file):
    """steeleye-lkDR of .../steeleye-lkDR-9.9.0-1.noarch.rpm."""
    name = os.path.basename(rpm_file)
    for package in sorted(PACKAGES, key=len, reverse=True):
        if name.startswith(package + "-") and name[len(package) + 1:][:1].isdigit():
            return package
    return None


def install(paths, version, cache_dir=None, kits=None):
    """Install steeleye-lk and the kits (default DEFAULT_KITS) of version into the node
    (build them if needed)."""
    return install_from(paths, rpms_for(version, kits, cache_dir or default_cache_dir(paths)))


def installed_packages(paths):
    """{name: version} of the steeleye-* packages installed on the node."""
    rc, out, dummy = _run_rpm(paths, "-qa", "--qf", "%{NAME} %{VERSION}\\n", "steeleye-*")
    if rc != 0:
        return {}
    result = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:
            result[parts[0]] = parts[1]
    return result


def installed_kits(paths):
    """{name: version} of the recovery kits installed on the node (the core left out)."""
    return dict((k, v) for k, v in installed_packages(paths).items() if k != CORE)


def installed_version(paths):
    """Version of the node's steeleye-lk rpm, or None."""
    rc, out, dummy = _run_rpm(paths, "-q", "--qf", "%{VERSION}", CORE)
    out = out.strip()
    if rc != 0 or not out or "not installed" in out:
        return None
    return out


def remove(paths, names=None):
    """rpm -e the given installed packages (default every steeleye-* package of the node);
    returns the names removed."""
    installed = installed_packages(paths)
    names = sorted(installed if names is None else [n for n in names if n in installed])
    if not names:
        return []
    rc, out, err = _run_rpm(paths, "-e", "--nodeps", *names)
    if rc != 0:
        raise PackagingError("rpm -e failed (rc %d): %s" % (rc, (err or out).strip()))
    return names


def media_rpms(media_dir):
    """The rpms in a media directory (media_dir/rpms/*.rpm), core first."""
    found = sorted(glob.glob(os.path.join(media_dir, "rpms", "*.rpm")))
    return sorted(found, key=lambda p: 0 if os.path.basename(p).startswith(CORE + "-") else 1)
