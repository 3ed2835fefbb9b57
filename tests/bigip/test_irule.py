"""The maintenance iRule (roles/bigip_drain/files/lk_maintenance.tcl) under tclsh with BIG-IP stubs.

tclsh comes from Debian's package tcl (tests/host-setup.sh installs it)."""
import os
import re
import shutil
import subprocess

import pytest

from bigip.conftest import HERE, REPO

IRULE = os.path.join(REPO, "roles", "bigip_drain", "files", "lk_maintenance.tcl")
HARNESS = os.path.join(HERE, "irule_harness.tcl")
EVENTS = ("HTTP_REQUEST", "LB_FAILED")


def tclsh():
    path = shutil.which("tclsh")
    if not path:
        pytest.fail("tclsh not found: install the Debian package tcl (tests/host-setup.sh does)")
    return path


def harness(*args, rule=IRULE, expect_ok=True):
    proc = subprocess.run([tclsh(), HARNESS, rule] + [str(a) for a in args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60, env=dict(os.environ, LC_ALL="C"),
                          check=False)
    if expect_ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def facts(output):
    """The harness's lines: responses (status, headers, content length, options) and calls."""
    result = {"responses": [], "calls": [], "static": {}, "logs": None, "done": False}
    for line in output.splitlines():
        kind, _sep, rest = line.partition(" ")
        if kind == "respond":
            result["responses"].append({"status": int(rest), "headers": [], "content": None, "options": []})
        elif kind == "header":
            name, _sep, value = rest.partition(" ")
            result["responses"][-1]["headers"].append((name, value))
        elif kind == "content":
            result["responses"][-1]["content"] = int(rest)
        elif kind == "option":
            result["responses"][-1]["options"].append(rest)
        elif kind == "call":
            result["calls"].append(rest)
        elif kind == "static":
            name, _sep, value = rest.partition(" ")
            result["static"][name] = value
        elif kind == "logs":
            result["logs"] = int(rest)
        elif kind == "done":
            result["done"] = True
    return result


def run(event, pool, active, rule=IRULE):
    got = facts(harness("run", event, pool, active, rule=rule).stdout)
    assert got["done"]
    return got


def write_rule(tmp_path, text):
    path = tmp_path / "rule.tcl"
    path.write_text(text)
    return str(path)


def test_parses_and_declares_only_the_expected_events():
    assert harness("events").stdout.split() == ["events", "RULE_INIT", "HTTP_REQUEST", "LB_FAILED"]


@pytest.mark.parametrize("event", EVENTS)
def test_no_active_member_answers_503_with_retry_after(event):
    got = run(event, "/Common/web_pool", 0)
    assert len(got["responses"]) == 1
    response = got["responses"][0]
    assert response["status"] == 503
    headers = dict(response["headers"])
    assert headers["Retry-After"] == "30"
    assert headers["Retry-After"] == got["static"]["lk_maint_retry_after"]
    assert headers["Connection"] == "close"
    assert response["content"] > 0
    assert "active_members /Common/web_pool" in got["calls"]


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("active", [1, 3])
def test_active_members_means_no_response(event, active):
    got = run(event, "/Common/web_pool", active)
    assert got["responses"] == []
    assert "active_members /Common/web_pool" in got["calls"]


@pytest.mark.parametrize("event", EVENTS)
def test_no_pool_means_no_response_and_no_pool_lookup(event):
    got = run(event, "", 0)
    assert got["responses"] == []
    assert not any(call.startswith("active_members") for call in got["calls"])


@pytest.mark.parametrize("event", EVENTS)
def test_no_logging(event):
    assert run(event, "/Common/web_pool", 0)["logs"] == 0
    text = open(IRULE).read()
    assert not re.search(r"(^|[\s\[{;])log(\s|$)", "\n".join(l for l in text.splitlines() if not l.strip().startswith("#")))


def test_static_variables_are_set_only_in_rule_init():
    text = open(IRULE).read()
    bodies = re.split(r"^when\s+", text, flags=re.M)
    for body in bodies[1:]:
        if not body.startswith("RULE_INIT"):
            assert "set static::" not in body
    assert run("HTTP_REQUEST", "/Common/web_pool", 0)["static"].keys() == {"lk_maint_retry_after", "lk_maint_body"}


def test_the_role_sets_retry_after_in_rule_init(tmp_path, plugin_bigip):
    # what the role's filter lk_bigip_irule does (plugins/plugin_utils/bigip.py)
    content = plugin_bigip.irule(open(IRULE).read(), 45)
    got = run("HTTP_REQUEST", "/Common/web_pool", 0, rule=write_rule(tmp_path, content))
    assert dict(got["responses"][0]["headers"])["Retry-After"] == "45"


def test_harness_catches_a_static_write_outside_rule_init(tmp_path):
    rule = write_rule(tmp_path, "when RULE_INIT { set static::x 1 }\nwhen HTTP_REQUEST { set static::x 2 }\n")
    proc = harness("run", "HTTP_REQUEST", "/Common/p", 0, rule=rule, expect_ok=False)
    assert proc.returncode == 1 and "written outside RULE_INIT" in proc.stderr


def test_harness_catches_a_new_static_outside_rule_init(tmp_path):
    rule = write_rule(tmp_path, "when HTTP_REQUEST { set static::y 2 }\n")
    proc = harness("run", "HTTP_REQUEST", "/Common/p", 0, rule=rule, expect_ok=False)
    assert proc.returncode == 1 and "created static variables" in proc.stderr


def test_harness_counts_logging_and_rejects_unknown_commands(tmp_path):
    rule = write_rule(tmp_path, "when HTTP_REQUEST { log local0. hello }\n")
    assert run("HTTP_REQUEST", "/Common/p", 1, rule=rule)["logs"] == 1
    rule = write_rule(tmp_path, "when HTTP_REQUEST { TCP::close }\n")
    proc = harness("run", "HTTP_REQUEST", "/Common/p", 1, rule=rule, expect_ok=False)
    assert proc.returncode == 1 and "command not stubbed" in proc.stderr and "TCP::close" in proc.stderr


def test_harness_rejects_incomplete_tcl_and_malformed_respond(tmp_path):
    rule = write_rule(tmp_path, "when HTTP_REQUEST { if { 1 } {\n")
    proc = harness("events", rule=rule, expect_ok=False)
    assert proc.returncode == 1 and "not complete TCL" in proc.stderr
    rule = write_rule(tmp_path, 'when HTTP_REQUEST { HTTP::respond 503 "Retry-After" }\n')
    proc = harness("run", "HTTP_REQUEST", "/Common/p", 0, rule=rule, expect_ok=False)
    assert proc.returncode == 1 and "without a value" in proc.stderr
