"""Issue 5, scenario 7: bad input is refused before any change, naming the value."""
import pytest

GOOD = {"lk_target_version": "9.9.0", "lk_media": "/srv/LKL_V9.9.0_010126.iso", "lk_confirm": "true"}


@pytest.fixture(scope="module")
def cluster(request):
    from harness import Cluster
    made = Cluster("lkf-badinput", version="9.7.0", media=("9.9.0", "9.8.0", "9.6.0", "10.2.0")).up()
    request.addfinalizer(made.down)
    return made


CASES = [
    ("confirm unset", {"lk_confirm": None}, "lk_confirm is 'False'"),
    ("confirm not a boolean", {"lk_confirm": "perhaps"}, "perhaps"),
    ("malformed target", {"lk_target_version": "9.x"}, "'9.x'"),
    ("downgrade", {"lk_target_version": "9.6.0", "lk_media": "/srv/LKL_V9.6.0_010126.iso", "lk_allow_reinstall": "true"},
     "downgrade from 9.7.0 to 9.6.0"),
    ("jump outside the window", {"lk_target_version": "10.2.0", "lk_media": "/srv/LKL_V10.2.0_010126.iso"},
     "lk_allow_reinstall=true"),
    ("media of another version", {"lk_media": "/srv/LKL_V9.8.0_010126.iso"}, "9.8.0"),
    ("checksum mismatch", {"lk_media_sha256": "ab" * 32}, "ab" * 32),
    ("media missing", {"lk_media": "/srv/nowhere.iso"}, "/srv/nowhere.iso"),
    ("relative media path", {"lk_media": "LKL.iso"}, "'LKL.iso'"),
    ("unknown media access", {"lk_media_access": "nfs"}, "nfs"),
    # issue 18: a stage-2 deadline is checked in pre-flight, not when node 1 is already evacuated
    ("setup deadline not a number", {"lk_update_setup_timeout": "abc"}, "lk_update_setup_timeout is 'abc'"),
    ("setup deadline of no time", {"lk_update_setup_timeout": "0"}, "lk_update_setup_timeout is '0': expected"),
]


@pytest.mark.parametrize("case, override, says", CASES, ids=[c[0] for c in CASES])
def test_refused_before_any_change(cluster, case, override, says):
    before = len(cluster.events())
    extra = dict(GOOD)
    for key, value in override.items():
        if value is None:
            extra.pop(key)
        else:
            extra[key] = value
    result = cluster.playbook("rolling_update.yml", extra)
    assert result.returncode != 0, result.stdout[-3000:]
    assert says in result.stdout, "%s: %r not in output:\n%s" % (case, says, result.stdout[-3000:])
    # nothing changed on any node: no state change, no backup, old version
    assert len(cluster.events()) == before
    for node in cluster.names:
        assert cluster.rpm_version(node) == "9.7.0"
        assert cluster.exec(node, "test", "-e", "/var/lib/hatools-lifekeeper", check=False).returncode != 0
    assert cluster.placement() == {"app-web": "node1"}


def test_switchover_refuses_shell_metacharacters(cluster):
    before = len(cluster.events())
    for tags in ("app-web;reboot", "$(touch /tmp/x)", "a b", "it's"):
        result = cluster.playbook("switchover.yml", {"lk_switch_to": cluster.container("node2"), "lk_switch_tags": tags})
        assert result.returncode != 0
        assert "refused" in result.stdout and tags[:3] in result.stdout, result.stdout[-2000:]
    assert len(cluster.events()) == before
    assert cluster.placement() == {"app-web": "node1"}
