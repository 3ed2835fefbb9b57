"""The bigip_drain role's hook entry points, driven in the rolling update's order against the double.

playbooks/hooks.yml includes playbooks/tasks/hook.yml (what a user points the lk_hook_* variables at)
at each hook point and marks the switchovers, updates and the placement restore in the
double's record, so the record shows the whole order."""
import json
import os

from bigip.conftest import PASSWORD, seed

NODE1, NODE2, OPERATOR, VIP = "10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.50"
APP_MOVE = {"tag": "app-web", "from": "node1", "to": "node2"}
BACK_MOVE = {"tag": "app-web", "from": "node2", "to": "node1"}
MAPPING = [
    {"node": "node1", "pool": "web_pool", "address": NODE1, "port": 80},
    {"node": "node2", "pool": "web_pool", "address": NODE2, "port": 80},
    {"node": "node1", "pool": "web_pool", "address": OPERATOR, "port": 80},
    {"hierarchy": "app-web", "pool": "vip_pool", "address": VIP, "port": 80},
]


def variables(double, tmp_path, run_id="run-1", **overrides):
    values = {
        "bigip_url": double.url, "bigip_password": PASSWORD, "run_id": run_id,
        "ledger": str(tmp_path / "ledger.json"), "notes_file": str(tmp_path / ("notes-%s.json" % run_id)),
        "nodes": ["node1", "node2"], "moves": {"node1": [APP_MOVE], "node2": []},
        "placement_moves": [BACK_MOVE],
        "lk_bigip_provider": {"server": "127.0.0.1", "server_port": double.port, "user": "admin",
                              "password": PASSWORD, "validate_certs": False},
        "lk_bigip_members": MAPPING, "lk_bigip_virtual_servers": ["vs_web", "/Common/vs_vip"],
        "lk_bigip_drain_poll": 1, "lk_bigip_drain_timeout": 20,
    }
    values.update(overrides)
    return values


def notes(values):
    with open(values["notes_file"]) as handle:
        return json.load(handle)


def ledger(values):
    if not os.path.exists(values["ledger"]):
        return None
    with open(values["ledger"]) as handle:
        return json.load(handle)


def events(double):
    """The record as comparable tuples."""
    result = []
    for record in double.records():
        what = record["what"]
        if what == "member":
            address = record["member"].split("/")[-1].split(":")[0]
            result.append(("disable" if record["after"]["session"] == "user-disabled" else "enable", address))
        elif what == "drained":
            result.append(("drained", record["member"].split("/")[-1].split(":")[0]))
        elif what == "virtual.rules":
            on = "/Common/lk_maintenance" in record["after"]["rules"]
            result.append(("irule on" if on else "irule off", record["path"].split("/")[-1]))
        elif what == "mark":
            result.append(("mark", record["path"]))
        else:
            result.append((what, record["path"]))
    return result


def in_order(seq, expected):
    """Every event of expected occurs in seq, in this order (others may come between)."""
    position = -1
    for event in expected:
        assert event in seq[position + 1:], "%s missing after position %d in %s" % (event, position, seq)
        position = seq.index(event, position + 1)


def end_state(double):
    return {address: double.member(pool, address).api_state()[0]
            for pool, address in (("web_pool", NODE1), ("web_pool", NODE2), ("web_pool", OPERATOR),
                                  ("vip_pool", VIP))}


def assert_all_given_back(double, values):
    assert end_state(double) == {NODE1: "monitor-enabled", NODE2: "monitor-enabled", OPERATOR: "user-disabled",
                                 VIP: "monitor-enabled"}
    assert double.virtual_rules("vs_web") == ["/Common/site_rule"]
    assert double.virtual_rules("vs_vip") == []
    assert ledger(values)["held"] == [] and ledger(values)["attached"] == []


def test_rolling_update_order_and_every_member_ends_enabled(make_double, run_playbook, tmp_path):
    double = make_double(seed(connections=2, drain_rate=4.0, extra_members=(OPERATOR,), disabled=(OPERATOR,),
                              never_drain=(NODE2,)))
    values = variables(double, tmp_path, lk_bigip_drain_timeout=3)
    # -vv: every module's arguments and results are printed, the password must be in none of them
    proc = run_playbook("hooks.yml", values, verbosity=2)
    assert proc.returncode == 0, proc.stdout[-8000:]
    seq = events(double)
    # A node's member: disable -> drain -> iRule on -> switchover -> iRule off -> (update) -> enable.
    in_order(seq, [("disable", NODE1), ("drained", NODE1), ("irule on", "vs_web"), ("mark", "switchover node1"),
                   ("irule off", "vs_web"), ("mark", "update node1"), ("enable", NODE1)])
    # The moved hierarchy's member is enabled right after the switchover, before the iRule goes.
    in_order(seq, [("disable", VIP), ("drained", VIP), ("irule on", "vs_vip"), ("mark", "switchover node1"),
                   ("enable", VIP), ("irule off", "vs_vip"), ("mark", "update node1")])
    # node2 moves nothing: its member is held through its update, no iRule.
    node2 = seq[seq.index(("mark", "update node1")):seq.index(("mark", "update node2")) + 1]
    assert ("irule on", "vs_web") not in node2
    in_order(seq, [("mark", "update node1"), ("disable", NODE2), ("mark", "switchover node2"),
                   ("mark", "update node2"), ("enable", NODE2)])
    # The placement restore moves app-web back from node2.
    in_order(seq, [("mark", "update node2"), ("disable", NODE2), ("disable", VIP), ("drained", VIP),
                   ("irule on", "vs_web"), ("mark", "placement"), ("enable", NODE2), ("enable", VIP),
                   ("irule off", "vs_web")])
    assert ("disable", OPERATOR) not in seq and ("enable", OPERATOR) not in seq
    assert seq.count(("rule.create", "/Common/lk_maintenance")) == 1
    assert_all_given_back(double, values)
    text = "\n".join(notes(values)["notes"])
    assert "already disabled before this run" in text and OPERATOR in text
    assert "drain deadline (3 s) passed with connections left: /Common/web_pool/%s:80 (2); continued" % NODE2 in text
    assert "enabled again /Common/vip_pool/%s:80" % VIP in text
    assert PASSWORD not in proc.stdout and PASSWORD not in open(values["ledger"]).read()
    assert double.unhandled() == []
    # the connection fact is left in the play (the role used it) but holds no password, though
    # the f5 modules logged in with it (every member above was disabled and enabled again)
    left = notes(values)["left"]
    assert left["lk_bigip_conn"]["user"] == "admin" and left["lk_bigip_conn"]["server_port"] == double.port
    assert "password" not in left["lk_bigip_conn"] and "password" not in left["lk_bigip_conn"]["f5"]
    assert PASSWORD not in json.dumps(left)


def test_a_failure_after_the_switchover_gives_everything_back(make_double, run_playbook, tmp_path):
    double = make_double(seed(connections=1, drain_rate=10.0, extra_members=(OPERATOR,), disabled=(OPERATOR,)))
    values = variables(double, tmp_path, fail_at="switchover node1")
    proc = run_playbook("hooks.yml", values)
    assert proc.returncode != 0
    assert "injected failure after the switchover of node1" in proc.stdout
    seq = events(double)
    in_order(seq, [("disable", NODE1), ("disable", VIP), ("irule on", "vs_web"), ("mark", "switchover node1"),
                   ("enable", NODE1), ("enable", VIP), ("irule off", "vs_web")])
    assert ("mark", "update node1") not in seq
    assert_all_given_back(double, values)
    result = notes(values)
    assert result["failed"] is True
    assert any(n.startswith("BIG-IP on_failure cluster: enabled again") and NODE1 in n and VIP in n
               for n in result["notes"]), result["notes"]
    assert any("on_failure: detached iRule" in n for n in result["notes"])


def test_check_mode_changes_nothing_and_says_what_it_would_do(make_double, run_playbook, tmp_path):
    double = make_double(seed(connections=1, drain_rate=10.0))
    values = variables(double, tmp_path, nodes=["node1"], lk_bigip_members=MAPPING[:2] + MAPPING[3:])
    proc = run_playbook("hooks.yml", values, check=True)
    assert proc.returncode == 0, proc.stdout[-8000:]
    assert double.records() == []
    assert ledger(values) is None
    text = "\n".join(notes(values)["notes"])
    assert "before_evacuate node1: check mode: would have disabled /Common/web_pool/%s:80" % NODE1 in text
    assert "after_update node1: check mode: would have enabled again /Common/web_pool/%s:80" % NODE1 in text
    assert "after_evacuate node1: check mode: would have enabled again /Common/vip_pool/%s:80" % VIP in text
    assert "before_evacuate: check mode: would have attached iRule /Common/lk_maintenance to /Common/vs_web" in text
    assert "after_evacuate: check mode: would have detached iRule /Common/lk_maintenance from /Common/vs_web" in text


def test_a_missing_member_stops_before_anything_changes(make_double, run_playbook, tmp_path):
    double = make_double()
    mapping = MAPPING[:2] + [{"node": "node2", "pool": "web_pool", "address": "10.0.0.99", "port": 8080}]
    values = variables(double, tmp_path, lk_bigip_members=mapping)
    proc = run_playbook("hooks.yml", values)
    assert proc.returncode != 0
    assert "member /Common/10.0.0.99:8080 is not in pool /Common/web_pool" in proc.stdout
    assert "Nothing was changed" in proc.stdout
    assert double.records() == []


def test_bad_mapping_is_refused_naming_the_entry(make_double, run_playbook, tmp_path):
    double = make_double()
    mapping = [{"node": "node1", "hierarchy": "app-web", "pool": "web_pool", "address": NODE1, "port": 80}]
    values = variables(double, tmp_path, lk_bigip_members=mapping)
    proc = run_playbook("hooks.yml", values)
    assert proc.returncode != 0
    assert "lk_bigip_members[0] needs exactly one of node" in proc.stdout
    assert double.records() == []
    # on_failure needs only the ledger: the bad mapping does not make it fail (the rescue went on)
    assert notes(values)["failed"] is True


def test_drain_timeout_with_action_fail_fails_the_step_and_the_member_comes_back(make_double, run_playbook, tmp_path):
    double = make_double(seed(connections=3, never_drain=(NODE1,)))
    values = variables(double, tmp_path, nodes=["node1"], lk_bigip_drain_timeout=2,
                       lk_bigip_drain_timeout_action="fail", lk_bigip_members=MAPPING[:1])
    proc = run_playbook("hooks.yml", values)
    assert proc.returncode != 0
    seq = events(double)
    assert seq[:1] == [("disable", NODE1)]
    assert ("irule on", "vs_web") not in seq and ("mark", "switchover node1") not in seq
    in_order(seq, [("disable", NODE1), ("enable", NODE1)])
    assert double.member("web_pool", NODE1).api_state()[0] == "monitor-enabled"
    assert any("drain deadline (2 s) passed" in n and "stopping" in n for n in notes(values)["notes"])


def test_a_member_that_cannot_be_enabled_stays_in_the_ledger_and_the_next_run_enables_it(
        make_double, run_playbook, tmp_path):
    double = make_double(seed(connections=1, drain_rate=10.0))
    double.client.ok("PATCH", "/_double/knobs", {"fail_requests": [
        {"method": "PATCH", "path_contains": "10.0.0.11:80", "body_contains": "user-enabled", "status": 503,
         "times": -1}]})
    values = variables(double, tmp_path, nodes=["node1"], moves={"node1": []}, lk_bigip_members=MAPPING[:1])
    proc = run_playbook("hooks.yml", values)
    assert proc.returncode != 0
    assert double.member("web_pool", NODE1).api_state()[0] == "user-disabled"
    left = ledger(values)
    assert [h["key"] for h in left["held"]] == ["/Common/web_pool/%s:80" % NODE1]
    assert any("on_failure: could not give everything back" in n and NODE1 in n for n in notes(values)["notes"])
    # The BIG-IP answers again; another run's first after-hook gives the member back.
    double.client.ok("PATCH", "/_double/knobs", {"fail_requests": []})
    values2 = variables(double, tmp_path, run_id="run-2", nodes=["node2"], moves={"node2": []},
                        placement_moves=[], lk_bigip_members=MAPPING[:2])
    proc = run_playbook("hooks.yml", values2)
    assert proc.returncode == 0, proc.stdout[-8000:]
    assert double.member("web_pool", NODE1).api_state()[0] == "monitor-enabled"
    assert double.member("web_pool", NODE2).api_state()[0] == "monitor-enabled"
    assert ledger(values2)["held"] == []
    seq = events(double)
    in_order(seq, [("disable", NODE1), ("mark", "switchover node2"), ("enable", NODE1)])


def test_a_virtual_server_without_http_profile_is_refused_before_anything_changes(make_double, run_playbook, tmp_path):
    doc = seed()
    doc["profiles"] = {"http": ["/Common/web_http"]}
    doc["virtual_servers"][0]["profiles"] = ["/Common/web_http", "/Common/tcp"]  # an HTTP profile of its own
    doc["virtual_servers"][1]["profiles"] = ["/Common/fastL4"]
    double = make_double(doc)
    values = variables(double, tmp_path, nodes=["node1"], lk_bigip_members=MAPPING[:2] + MAPPING[3:])
    proc = run_playbook("hooks.yml", values)
    assert proc.returncode != 0
    assert ("the maintenance iRule needs an HTTP profile on each of lk_bigip_virtual_servers (its HTTP_REQUEST event "
            "and HTTP::respond run only there): virtual server /Common/vs_vip has no HTTP profile (its profiles: "
            "/Common/fastL4)") in " ".join(proc.stdout.split()), proc.stdout[-6000:]
    assert "vs_web has no HTTP profile" not in proc.stdout
    assert "Nothing was changed" in proc.stdout
    assert double.records() == []
    assert ledger(values) is None or ledger(values)["held"] == []


def test_a_bad_server_value_is_refused_naming_it_before_anything_changes(make_double, run_playbook, tmp_path):
    double = make_double()
    values = variables(double, tmp_path, nodes=["node1"], lk_bigip_members=MAPPING[:2] + MAPPING[3:])
    values["lk_bigip_provider"] = dict(values["lk_bigip_provider"], server="bigip@evil")
    proc = run_playbook("hooks.yml", values)
    assert proc.returncode != 0
    text = " ".join(proc.stdout.split())
    assert "lk_bigip_provider.server 'bigip@evil' is not allowed: expected a host name" in text, proc.stdout[-6000:]
    assert PASSWORD not in proc.stdout
    assert double.records() == []
