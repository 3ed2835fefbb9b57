"""Issue 17: a 9.6 -> 9.9 update is outside the direct update window (9.7.x, 9.8.x). The 9.9.0
guide (section 5) loses the resource structure on that path, so pre-flight refuses before any
change: without lk_allow_reinstall naming the hop route (lk_media_hops), and with it but no
rebuild task file naming lk_reinstall_rebuild.

Ground truth: the nodes (rpm -q, lcdstatus, no backup folder), the simulator's event logs and
commands journals (no product command that changes anything ran).
"""
import time

import pytest

from harness import Cluster

MEDIA = "/srv/LKL_V9.9.0_010126.iso"
# the product commands that change a node (anything else only reads)
CHANGING = (["rmlk"], ["setup"], ["lkkeyins"], ["lkstart"], ["lkstop"], ["perform_action"], ["lkbackup"],
            ["lkcli", "start"], ["lkcli", "stop"], ["lkcli", "resource"], ["mirror_action"])


@pytest.fixture(scope="module")
def cluster(request):
    """Two nodes at 9.6.0 with the 9.9.0 media, app-web in service on node1."""
    made = Cluster("lkf-reinstall-refusals", version="9.6.0", media=("9.9.0",)).up()
    request.addfinalizer(made.down)
    return made


def _refused(cluster, run_id, **more):
    extra = {"lk_target_version": "9.9.0", "lk_media": MEDIA, "lk_confirm": "true", "lk_run_id": run_id,
             "lk_accept_perl_change": "true"}
    extra.update(more)
    started = time.time()
    dummy, problems = cluster.refused(extra)      # no event, same versions and placement, no backup
    changed = [e for e in cluster.commands() if e["time"] >= started
               and any(e["argv"][:len(prefix)] == prefix for prefix in CHANGING)]
    assert changed == [], changed
    assert cluster.placement() == {"app-web": "node1"}
    return problems


def test_96_to_99_without_hops_is_refused_naming_lk_media_hops(cluster):
    problems = _refused(cluster, "ri-hops")
    assert sorted(p.split(":")[0] for p in problems) == sorted(cluster.container(n) for n in cluster.names), problems
    for problem in problems:
        assert "direct update to 9.9.0 is supported from 9.7.x and 9.8.x" in problem, problem
        assert "list it in lk_media_hops" in problem and "lk_reinstall_rebuild" in problem, problem


def test_allowed_reinstall_without_a_rebuild_file_is_refused_naming_lk_reinstall_rebuild(cluster):
    problems = _refused(cluster, "ri-rebuild", lk_allow_reinstall="true")
    assert len(problems) == 2, problems
    for problem in problems:
        assert "lk_reinstall_rebuild is required" in problem, problem
