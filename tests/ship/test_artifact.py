"""The built artifact holds what a user needs, and the installed copy is what Ansible loads.

The reference is git (tracked and untracked-but-not-ignored files, as tests/sanity.sh
copies them) minus galaxy.yml's build_ignore (and ansible-galaxy's own ignores): a file a
user needs (plugins, roles, playbooks, meta, docs, README, LICENSE, changelogs) that is
missing from the tarball's FILES.json fails, and so does a git-ignored file that leaked in.
"""
import fnmatch
import hashlib
import json
import os
import subprocess
import tarfile

import pytest

from conftest import REPO, galaxy

NEEDED_DIRS = ("plugins/", "roles/", "playbooks/", "meta/", "docs/", "changelogs/")
NEEDED_FILES = ("README.md", "LICENSE", "CHANGELOG.rst")
# ansible-galaxy's own ignores (ansible/galaxy/collection/__init__.py, _build_files_manifest_walk).
GALAXY_PATTERNS = ("MANIFEST.json", "FILES.json", "galaxy.yml", "galaxy.yaml", ".git", "*.pyc", "*.retry",
                   "tests/output", "hatools-lifekeeper-*.tar.gz")
GALAXY_DIRS = ("CVS", ".bzr", ".hg", ".git", ".svn", "__pycache__", ".tox")


def git_files():
    out = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=REPO, check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    return set(path for path in out.split("\0") if path and os.path.isfile(os.path.join(REPO, path)))


def ignored_by(path, patterns):
    """The build_ignore pattern that drops path (or one of its folders), or None."""
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if depth < len(parts) and parts[depth - 1] in GALAXY_DIRS:
            return parts[depth - 1]
        for pattern in patterns:
            if fnmatch.fnmatch(prefix, pattern):
                return pattern
    return None


def needed(path):
    return path.startswith(NEEDED_DIRS) or path in NEEDED_FILES


def tar_json(archive, member):
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(member))


def artifact_files(archive):
    return dict((entry["name"], entry) for entry in tar_json(archive, "FILES.json")["files"]
                if entry["ftype"] == "file")


def test_manifest_matches_galaxy_yml(artifact):
    info = tar_json(artifact.tarball, "MANIFEST.json")["collection_info"]
    meta = galaxy()
    for key in ("namespace", "name", "version", "license", "dependencies", "repository"):
        assert info[key] == meta[key], "MANIFEST.json %s=%r, galaxy.yml says %r" % (key, info[key], meta[key])
    assert os.path.basename(artifact.tarball) == "hatools-lifekeeper-%s.tar.gz" % meta["version"]


def test_every_needed_file_is_in_the_artifact(artifact):
    patterns = list(GALAXY_PATTERNS) + list(galaxy().get("build_ignore") or [])
    files = artifact_files(artifact.tarball)
    tracked = git_files()
    dropped = sorted("%s (build_ignore %r)" % (path, ignored_by(path, patterns))
                     for path in tracked if needed(path) and ignored_by(path, patterns))
    assert not dropped, "galaxy.yml build_ignore drops files users need: %s" % dropped
    missing = sorted(path for path in tracked if needed(path) and path not in files)
    assert not missing, "missing from %s: %s" % (os.path.basename(artifact.tarball), missing)
    for path in ("README.md", "LICENSE", "meta/runtime.yml", "changelogs/changelog.yaml"):
        assert path in files, "%s is not in the artifact" % path


def test_nothing_git_ignores_leaks_into_the_artifact(artifact):
    leaked = sorted(set(artifact_files(artifact.tarball)) - git_files())
    assert not leaked, "files git ignores (build leftovers, caches) are in the artifact: %s" % leaked


def test_artifact_is_this_working_tree(artifact):
    changed = []
    for path, entry in sorted(artifact_files(artifact.tarball).items()):
        with open(os.path.join(REPO, path), "rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() != entry["chksum_sha256"]:
                changed.append(path)
    assert not changed, "artifact differs from the working tree: %s" % changed


def run(argv, env, cwd=None):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          env=env, cwd=cwd, timeout=120, check=False)


def test_the_installed_copy_is_the_only_one_ansible_sees(artifact):
    assert os.path.realpath(artifact.installed) != os.path.realpath(REPO)
    assert not os.path.islink(artifact.installed)
    paths = artifact.env["ANSIBLE_COLLECTIONS_PATH"].split(os.pathsep)
    assert os.path.realpath(REPO) not in [os.path.realpath(p) for p in paths]
    proc = run(["ansible-galaxy", "collection", "list", "hatools.lifekeeper", "--format", "json"], artifact.env)
    assert proc.returncode == 0, proc.stderr
    found = dict((path, cols) for path, cols in json.loads(proc.stdout).items() if "hatools.lifekeeper" in cols)
    assert list(found) == [os.path.join(artifact.collections, "ansible_collections")], found
    assert list(found.values())[0]["hatools.lifekeeper"]["version"] == galaxy()["version"]
    # ansible-doc names the file it loaded: the installed module, not the working tree's.
    proc = run(["ansible-doc", "-t", "module", "hatools.lifekeeper.lk_status"], artifact.env, cwd="/")
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert os.path.join(artifact.installed, "plugins", "modules", "lk_status.py") in first, first


@pytest.mark.parametrize("playbook", sorted(name[:-4] for name in os.listdir(os.path.join(REPO, "playbooks"))
                                            if name.endswith(".yml")))
def test_playbook_runs_by_collection_name(artifact, playbook, tmp_path):
    """Each playbook imports by its FQCN from the installed copy (syntax check, no host needed)."""
    project = tmp_path / "project.yml"
    project.write_text("- name: Imported by collection name\n"
                       "  ansible.builtin.import_playbook: hatools.lifekeeper.%s\n" % playbook)
    proc = run(["ansible-playbook", "-i", "localhost,", "--syntax-check", str(project)], artifact.env,
               cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_install_from_a_git_requirements_file(artifact, tmp_path):
    """README's requirements.yml with a git URL (here a bare clone of this commit)."""
    bare = str(tmp_path / "lifekeeper.git")
    subprocess.run(["git", "clone", "-q", "--bare", REPO, bare], check=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, check=True, stdout=subprocess.PIPE,
                            universal_newlines=True).stdout.strip()
    requirements = tmp_path / "requirements.yml"
    requirements.write_text("---\ncollections:\n  - name: git+file://%s\n    type: git\n    version: %s\n"
                            % (bare, commit))
    target = str(tmp_path / "collections")
    env = dict(artifact.env, ANSIBLE_COLLECTIONS_PATH=target)
    proc = run(["ansible-galaxy", "collection", "install", "--offline", "-r", str(requirements), "-p", target], env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    installed = os.path.join(target, "ansible_collections", "hatools", "lifekeeper")
    with open(os.path.join(installed, "MANIFEST.json")) as handle:
        assert json.load(handle)["collection_info"]["version"] == galaxy()["version"]
    for path in ("playbooks/rolling_update.yml", "roles/preflight/meta/argument_specs.yml", "meta/runtime.yml"):
        assert os.path.isfile(os.path.join(installed, path)), path
