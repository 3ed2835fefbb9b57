"""Release preparation: version_added is consistent, and `antsibull-changelog release`
works on a copy of the tree the way the release commit will run it.

version_added of every module, filter and role entry point (and of any option that has
one) must be the galaxy.yml version (the release being prepared) or a release already in
changelogs/changelog.yaml. While galaxy.yml still says 0.1.0 (nothing released yet; the
lead sets 1.0.0 in the release commit), `version_added: 1.0.0` is the EXPECTED FAILURE
marked below.
"""
import glob
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest
import yaml

from conftest import REPO, galaxy, load_yaml

PRE_RELEASE = galaxy()["version"] == "0.1.0"
FIRST_RELEASE = "1.0.0"
RELEASE = FIRST_RELEASE if PRE_RELEASE else galaxy()["version"]


def released():
    return set((load_yaml(os.path.join(REPO, "changelogs", "changelog.yaml")).get("releases") or {}).keys())


def doc_block(path, name="DOCUMENTATION"):
    """The YAML of a plugin's DOCUMENTATION (Python string or YAML doc file)."""
    if path.endswith((".yml", ".yaml")):
        return load_yaml(path).get(name)
    import ast
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return yaml.safe_load(node.value.value)
    return None


def option_versions(options, where):
    for key, option in (options or {}).items():
        if "version_added" in option:
            yield "%s.%s" % (where, key), str(option["version_added"])
        for sub in ("suboptions", "options"):
            yield from option_versions(option.get(sub), "%s.%s" % (where, key))


def documented():
    """(what, version_added or None, required) over modules, filters and role entry points."""
    items = []
    for path in sorted(glob.glob(os.path.join(REPO, "plugins", "modules", "*.py"))):
        doc = doc_block(path) or {}
        name = "module " + os.path.basename(path)[:-3]
        items.append((name, doc.get("version_added"), True))
        items.extend((what, version, True) for what, version in option_versions(doc.get("options"), name))
    for path in sorted(glob.glob(os.path.join(REPO, "plugins", "filter", "*.y*ml"))):
        doc = doc_block(path) or {}
        name = "filter " + os.path.basename(path).rsplit(".", 1)[0]
        items.append((name, doc.get("version_added"), True))
        items.extend((what, version, True) for what, version in option_versions(doc.get("options"), name))
    for path in sorted(glob.glob(os.path.join(REPO, "roles", "*", "meta", "argument_specs.yml"))):
        role = path.split(os.sep)[-3]
        for entry, spec in load_yaml(path)["argument_specs"].items():
            name = "role %s:%s" % (role, entry)
            items.append((name, spec.get("version_added"), False))
            items.extend((what, version, True) for what, version in option_versions(spec.get("options"), name))
    return items


def added_in(release, kind, pattern):
    """The plugins of plugins/<kind> whose DOCUMENTATION says version_added: release (the new
    plugins antsibull-changelog lists under that release), sorted."""
    return sorted(os.path.basename(path).rsplit(".", 1)[0]
                  for path in glob.glob(os.path.join(REPO, "plugins", kind, pattern))
                  if str((doc_block(path) or {}).get("version_added")) == release)


def version_params():
    params = []
    for what, version, required in documented():
        if version is None and not required:
            continue
        marks = []
        if PRE_RELEASE and str(version) == FIRST_RELEASE:
            marks.append(pytest.mark.xfail(strict=True, reason="EXPECTED FAILURE until the release commit: galaxy.yml "
                                                               "is still 0.1.0, the docs say 1.0.0"))
        params.append(pytest.param(what, version, marks=marks, id=what))
    return params


@pytest.mark.parametrize("what,version", version_params())
def test_version_added_is_this_or_an_earlier_release(what, version):
    allowed = released() | {str(galaxy()["version"])}
    assert version is not None, "%s has no version_added" % what
    assert str(version) in allowed, "%s: version_added %s, allowed %s (galaxy.yml or changelogs/changelog.yaml)" % (
        what, version, sorted(allowed))


def test_changelog_config_is_ready_for_release():
    """Before the release: fragments with one release summary. Right after it (galaxy.yml at
    a released version): the release in changelog.yaml and CHANGELOG.rst."""
    config = load_yaml(os.path.join(REPO, "changelogs", "config.yaml"))
    assert config["title"] == "hatools.lifekeeper"
    assert config["changelog_filename_template"] == "../CHANGELOG.rst"
    assert config["prelude_section_name"] == "release_summary"
    assert not config["keep_fragments"], "fragments are consumed by the release"
    if RELEASE in released():
        release = load_yaml(os.path.join(REPO, "changelogs", "changelog.yaml"))["releases"][RELEASE]
        assert release["changes"].get("release_summary"), release
        assert os.path.isfile(os.path.join(REPO, "CHANGELOG.rst")), "antsibull-changelog release writes CHANGELOG.rst"
    else:
        fragments = glob.glob(os.path.join(REPO, "changelogs", "fragments", "*.yml"))
        summaries = [path for path in fragments if "release_summary" in (load_yaml(path) or {})]
        assert len(summaries) == 1, "one release_summary fragment for %s, found %s" % (RELEASE, summaries)


@pytest.fixture
def outside_the_repo():
    """A folder outside any git checkout (inside one, antsibull-changelog's git view of the
    tree hides a git-ignored copy's plugins)."""
    path = tempfile.mkdtemp(prefix="lk-release-")
    yield pathlib.Path(path)
    shutil.rmtree(path, ignore_errors=True)


def test_antsibull_changelog_release_on_a_copy(outside_the_repo):
    """What the release commit runs (`release`), on a copy with galaxy.yml at the release
    version; once released, `generate` on the copy reproduces the committed CHANGELOG.rst."""
    already = RELEASE in released()
    tmp_path = outside_the_repo
    root = tmp_path / "ansible_collections" / "hatools" / "lifekeeper"
    files = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=REPO, check=True,
                           stdout=subprocess.PIPE).stdout.decode().split("\0")
    for path in filter(None, files):
        if os.path.isfile(os.path.join(REPO, path)):
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(os.path.join(REPO, path), str(root / path))
    meta = galaxy()
    meta["version"] = RELEASE
    (root / "galaxy.yml").write_text(yaml.safe_dump(meta, sort_keys=False))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path), ANSIBLE_NOCOLOR="1")
    command = ["antsibull-changelog", "generate"] if already else ["antsibull-changelog", "release", "--version", RELEASE]
    proc = subprocess.run(command, cwd=str(root), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    changes = load_yaml(str(root / "changelogs" / "changelog.yaml"))
    release = changes["releases"][RELEASE]
    assert release["changes"].get("release_summary"), release["changes"]
    modules = sorted(entry["name"] for entry in release.get("modules", []))
    assert modules == added_in(RELEASE, "modules", "*.py"), "new modules of %s per antsibull-changelog: %s" % (
        RELEASE, modules)
    for kind, pattern in (("filter", "*.yml"), ("lookup", "*.py")):
        plugins = sorted(entry["name"] for entry in release.get("plugins", {}).get(kind, []))
        assert plugins == added_in(RELEASE, kind, pattern), "new %s plugins of %s per antsibull-changelog: %s" % (
            kind, RELEASE, plugins)
    text = (root / "CHANGELOG.rst").read_text()
    if already:
        with open(os.path.join(REPO, "CHANGELOG.rst")) as handle:
            assert handle.read() == text, "CHANGELOG.rst differs from what antsibull-changelog generates"
    else:
        assert not list((root / "changelogs" / "fragments").glob("*.yml")), "fragments left after the release"
    assert "v%s" % RELEASE in text and "hatools.lifekeeper.lk_status" in text, text[:2000]
