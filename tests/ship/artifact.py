"""Build the collection artifact and install it the way a user does.

    python tests/ship/artifact.py DEST

builds ``DEST/hatools-lifekeeper-<version>.tar.gz`` with ``ansible-galaxy collection build``
from the working tree and installs it with ``ansible-galaxy collection install --offline``
into ``DEST/collections`` (a throw-away collections path that holds nothing else). The
tests of tests/ship and the artifact runs of molecule and ansible-runner point
ANSIBLE_COLLECTIONS_PATH there, so they exercise the installed copy, never the working tree.
"""
import glob
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMESPACE, NAME = "hatools", "lifekeeper"


def bin_dir():
    """The toolchain's bin folder: VENV's, else the one of the running interpreter."""
    venv = os.environ.get("VENV")
    return os.path.join(venv, "bin") if venv else os.path.dirname(os.path.abspath(sys.executable))


def ansible_env(collections, **extra):
    """Environment in which the installed copy under collections is the only hatools.lifekeeper."""
    env = dict(os.environ)
    env.update(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               PATH=bin_dir() + os.pathsep + os.environ.get("PATH", ""))
    env.update(extra)
    return env


def run(argv, env=None, cwd=None, timeout=300):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          env=env, cwd=cwd, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError("%s failed (rc %d):\n%s\n%s"
                           % (" ".join(argv), proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))
    return proc


def installed_dir(dest):
    return os.path.join(dest, "collections", "ansible_collections", NAMESPACE, NAME)


def tarball(dest):
    found = sorted(glob.glob(os.path.join(dest, "%s-%s-*.tar.gz" % (NAMESPACE, NAME))))
    if len(found) != 1:
        raise RuntimeError("expected one collection tarball in %s, found %s" % (dest, found))
    return found[0]


def build_and_install(dest):
    """Build from the working tree into dest and install the tarball into dest/collections."""
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    collections = os.path.join(dest, "collections")
    os.makedirs(collections)
    env = ansible_env(collections)
    run([os.path.join(bin_dir(), "ansible-galaxy"), "collection", "build", "--force", "--output-path", dest, REPO],
        env=env)
    archive = tarball(dest)
    run([os.path.join(bin_dir(), "ansible-galaxy"), "collection", "install", "--offline", "--force",
         "-p", collections, archive], env=env)
    target = installed_dir(dest)
    if not os.path.isfile(os.path.join(target, "MANIFEST.json")):
        raise RuntimeError("ansible-galaxy installed nothing at %s" % target)
    return archive, target


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: artifact.py DEST")
    archive, target = build_and_install(os.path.abspath(sys.argv[1]))
    print("artifact: built %s" % archive)
    print("artifact: installed at %s" % target)


if __name__ == "__main__":
    main()
