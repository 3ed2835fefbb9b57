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
    """rule: one rule file or a list (the iRules of one virtual server, in list order)."""
    rules = [rule] if isinstance(rule, str) else list(rule)
    proc = subprocess.run([tclsh(), HARNESS] + rules + [str(a) for a in args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60, env=dict(os.environ, LC_ALL="C"),
                          check=False)
    if expect_ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def facts(output):
    """The harness's lines: responses (status, headers, content length, options) and calls."""
    result = {"responses": [], "calls": [], "static": {}, "logs": None, "done": False, "evals": [],
              "lines": output.splitlines()}
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
        elif kind == "eval":
            index, _sep, event = rest.partition(" ")
            result["evals"].append((int(index), event))
        elif kind == "logs":
            result["logs"] = int(rest)
        elif kind == "done":
            result["done"] = True
    return result


def run(event, pool, active, rule=IRULE):
    got = facts(harness("run", event, pool, active, rule=rule).stdout)
    assert got["done"]
    return got


def write_rule(tmp_path, text, name="rule.tcl"):
    path = tmp_path / name
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


# ---------------------------------------------------------------- issue 17 (F5 iRules semantics)
# A site iRule on the same virtual server that would answer too.
OTHER_RULE = """when HTTP_REQUEST { HTTP::respond 200 content other }
when LB_FAILED { HTTP::respond 502 content other }
"""


def after_response(got):
    """The harness lines after the (first) response's own lines: what the block did after answering."""
    lines = got["lines"]
    start = next(i for i, line in enumerate(lines) if line.startswith("respond "))
    rest = lines[start + 1:]
    return [line for line in rest if not line.split(" ", 1)[0] in ("header", "content", "option")]


@pytest.mark.parametrize("event", EVENTS)
def test_after_answering_the_rule_disables_later_events_and_returns(event):
    got = run(event, "/Common/web_pool", 0)
    # nothing runs after `event disable all` in the block: `return` ended it
    assert after_response(got) == ["call event disable all", "logs 0", "done"]


@pytest.mark.parametrize("event", EVENTS)
def test_a_second_irule_cannot_answer_the_same_request(tmp_path, event):
    other = write_rule(tmp_path, OTHER_RULE, "other.tcl")
    got = facts(harness("run", event, "/Common/web_pool", 0, rule=[IRULE, other]).stdout)
    assert [r["status"] for r in got["responses"]] == [503]
    assert got["evals"] == [(0, "RULE_INIT"), (0, event)]
    # the whole connection: HTTP_REQUEST answers, LB_FAILED is not evaluated any more
    got = facts(harness("run", "HTTP_REQUEST,LB_FAILED", "/Common/web_pool", 0, rule=[IRULE, other]).stdout)
    assert [r["status"] for r in got["responses"]] == [503]
    assert (1, "HTTP_REQUEST") not in got["evals"] and (0, "LB_FAILED") not in got["evals"]


def test_with_an_active_member_the_other_irules_answer_as_before(tmp_path):
    other = write_rule(tmp_path, OTHER_RULE, "other.tcl")
    got = facts(harness("run", "HTTP_REQUEST", "/Common/web_pool", 1, rule=[IRULE, other]).stdout)
    assert [r["status"] for r in got["responses"]] == [200]
    assert "call event disable all" not in got["lines"]


def test_without_event_disable_a_second_irule_would_answer_twice(tmp_path):
    # the harness catches what the rule's `event disable all` + `return` prevent
    text = open(IRULE).read().replace("        event disable all\n        return\n", "")
    assert "event disable all\n" not in text and text.count("HTTP::respond 503") == 2
    old = write_rule(tmp_path, text, "old.tcl")
    other = write_rule(tmp_path, OTHER_RULE, "other.tcl")
    proc = harness("run", "HTTP_REQUEST", "/Common/web_pool", 0, rule=[old, other], expect_ok=False)
    assert proc.returncode == 1 and "already answered" in proc.stderr


def test_harness_return_ends_only_the_block_and_event_disable_only_later_ones(tmp_path):
    rule = write_rule(tmp_path, """when HTTP_REQUEST { set lk_a 1; event disable; set lk_b 2; return; TCP::close }
when LB_FAILED { if {[info exists lk_b]} { HTTP::respond 503 } }
""")
    again = write_rule(tmp_path, "when HTTP_REQUEST { HTTP::respond 200 }\n", "again.tcl")
    got = facts(harness("run", "HTTP_REQUEST,LB_FAILED", "/Common/p", 0, rule=[rule, again]).stdout)
    assert got["evals"] == [(0, "HTTP_REQUEST"), (0, "LB_FAILED")]
    assert [r["status"] for r in got["responses"]] == [503]


def test_harness_runs_blocks_by_priority_then_list_order(tmp_path):
    first = write_rule(tmp_path, "when HTTP_REQUEST { }\n", "first.tcl")
    early = write_rule(tmp_path, "when HTTP_REQUEST priority 100 { }\n", "early.tcl")
    got = facts(harness("run", "HTTP_REQUEST", "/Common/p", 0, rule=[first, early, first]).stdout)
    assert got["evals"] == [(1, "HTTP_REQUEST"), (0, "HTTP_REQUEST"), (2, "HTTP_REQUEST")]
    assert harness("events", rule=[first, early]).stdout.splitlines() == ["events HTTP_REQUEST", "events HTTP_REQUEST"]


# F5: local variables are connection-scoped - set in CLIENT_ACCEPTED, seen in HTTP_REQUEST.
def test_harness_keeps_local_variables_for_the_whole_connection(tmp_path):
    rule = write_rule(tmp_path, """when RULE_INIT { set init_local 1 }
when CLIENT_ACCEPTED { set seen_at accepted; array set hits {a 1} }
when HTTP_REQUEST {
    if {[info exists init_local]} { HTTP::respond 500 content leaked }
    if {[info exists seen_at] && $hits(a) == 1} { HTTP::respond 200 content $seen_at "X-Vars" [join [lsort [info locals]] ,] }
}
""")
    got = facts(harness("run", "CLIENT_ACCEPTED,HTTP_REQUEST", "/Common/p", 0, rule=rule).stdout)
    (response,) = got["responses"]
    assert response["status"] == 200 and response["content"] == len("accepted")
    assert dict(response["headers"])["X-Vars"] == "hits,seen_at"
    # a connection without CLIENT_ACCEPTED has no such variable: nothing is answered
    assert facts(harness("run", "HTTP_REQUEST", "/Common/p", 0, rule=rule).stdout)["responses"] == []


def test_harness_shares_the_connection_variables_between_the_virtual_servers_irules(tmp_path):
    setter = write_rule(tmp_path, "when CLIENT_ACCEPTED { set lk_maint_pool /Common/other }\n", "setter.tcl")
    reader = write_rule(tmp_path, "when HTTP_REQUEST { HTTP::respond 200 X-Pool $lk_maint_pool }\n", "reader.tcl")
    got = facts(harness("run", "CLIENT_ACCEPTED,HTTP_REQUEST", "/Common/p", 0, rule=[setter, reader]).stdout)
    assert dict(got["responses"][0]["headers"])["X-Pool"] == "/Common/other"


def test_the_rule_uses_only_lk_maint_variables(tmp_path):
    probe = write_rule(tmp_path, "when HTTP_REQUEST { HTTP::respond 200 X-Vars [join [lsort [info locals]] ,] }\n",
                       "probe.tcl")
    got = facts(harness("run", "CLIENT_ACCEPTED,HTTP_REQUEST", "/Common/web_pool", 1, rule=[IRULE, probe]).stdout)
    assert dict(got["responses"][0]["headers"])["X-Vars"] == "lk_maint_pool"
