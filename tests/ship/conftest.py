"""Shared fixtures of tests/ship: the built and installed artifact.

LK_ARTIFACT_DIR (set by `make artifact` and the targets after it) names a folder where
tests/ship/artifact.py already built and installed the collection; without it the session
builds its own into a temporary folder, so `pytest tests/ship/...` works alone too.
"""
import collections
import os
import shutil
import sys
import tempfile

import pytest
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import artifact as artifact_tool  # noqa: E402

REPO = artifact_tool.REPO
Artifact = collections.namedtuple("Artifact", "dest tarball installed collections env")


def load_yaml(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def galaxy():
    return load_yaml(os.path.join(REPO, "galaxy.yml"))


@pytest.fixture(scope="session")
def artifact():
    dest = os.environ.get("LK_ARTIFACT_DIR")
    own = None
    if not dest or not os.path.isdir(artifact_tool.installed_dir(dest)):
        own = dest = tempfile.mkdtemp(prefix="lk-artifact-")
        artifact_tool.build_and_install(dest)
    collections_path = os.path.join(dest, "collections")
    yield Artifact(dest, artifact_tool.tarball(dest), artifact_tool.installed_dir(dest), collections_path,
                   artifact_tool.ansible_env(collections_path))
    if own:
        shutil.rmtree(own, ignore_errors=True)
