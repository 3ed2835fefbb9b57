"""Fixtures for the fault-injection tests (docker; run by `make faults`)."""
import os
import subprocess

import pytest

from harness import Cluster  # noqa: E402  (tests/faults is on sys.path via rootdir conftest)


def _docker_ready():
    return subprocess.run(["docker", "image", "inspect", os.environ.get("LKSIM_NODE_IMAGE", "hatools/lksim-node:latest")],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode == 0


@pytest.fixture
def make_cluster(request):
    """make_cluster(nodes=2, version=..., hierarchies=..., media=..., knobs=...) -> a running Cluster."""
    if not _docker_ready():
        pytest.fail("docker or the image hatools/lksim-node:latest is missing: run `make images` first")
    made = []

    def factory(**kwargs):
        prefix = "lkf-%s" % request.node.name.replace("_", "-")[:40]
        cluster = Cluster(prefix + ("-%d" % len(made) if made else ""), **kwargs)
        made.append(cluster)
        return cluster.up()

    yield factory
    failed = getattr(getattr(request.node, "rep_call", None), "failed", False)
    for cluster in made:
        if failed:
            print("\nplaybook logs kept in %s" % cluster.workdir)
        cluster.down(keep_logs=failed)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
