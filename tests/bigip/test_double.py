"""The double itself: device model, iControl REST answers over HTTPS, records, the command line."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from bigip import model, rest
from bigip.conftest import PASSWORD, TESTS_DIR, seed

MEMBER = "/mgmt/tm/ltm/pool/~Common~web_pool/members/~Common~10.0.0.11:80"


class Clock(object):
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def device(doc=None, **kwargs):
    clock = Clock()
    return model.Device(doc or seed(**kwargs), clock=clock), clock


# ------------------------------------------------------------------ model
def test_connections_fall_only_while_disabled_and_the_drain_is_recorded_at_its_time():
    dev, clock = device(connections=5, drain_rate=2.0)
    member = dev.member("/Common/web_pool", "/Common/10.0.0.11:80")
    clock.now += 10
    assert member.connections(clock.now) == 5  # enabled: no drain
    dev.modify_member("/Common/web_pool", "/Common/10.0.0.11:80", {"session": "user-disabled", "state": "user-up"})
    clock.now += 1.0
    assert member.connections(clock.now) == 3
    clock.now += 1.0
    assert member.connections(clock.now) == 1
    clock.now += 5.0
    assert member.connections(clock.now) == 0
    dev.advance()
    drained = [r for r in dev.recorder.records if r["what"] == "drained"]
    assert len(drained) == 1 and drained[0]["time"] == pytest.approx(1012.5)
    dev.advance()
    assert len([r for r in dev.recorder.records if r["what"] == "drained"]) == 1  # once


def test_a_member_with_drain_rate_zero_never_drains():
    dev, clock = device(connections=2, never_drain=("10.0.0.11",))
    dev.modify_member("/Common/web_pool", "/Common/10.0.0.11:80", {"session": "user-disabled"})
    clock.now += 3600
    assert dev.member("/Common/web_pool", "/Common/10.0.0.11:80").connections(clock.now) == 2
    assert not [r for r in dev.recorder.records if r["what"] == "drained"]


def test_records_are_in_time_order_with_before_and_after():
    dev, clock = device(connections=2, drain_rate=1.0)
    dev.modify_member("/Common/web_pool", "/Common/10.0.0.11:80", {"session": "user-disabled", "state": "user-up"})
    clock.now += 5
    dev.put_rule("/Common/lk", "when HTTP_REQUEST { }", create=True)
    dev.modify_virtual("/Common/vs_web", {"rules": ["/Common/site_rule", "/Common/lk"]})
    whats = [r["what"] for r in dev.recorder.records]
    assert whats == ["member", "drained", "rule.create", "virtual.rules"]
    times = [r["time"] for r in dev.recorder.records]
    assert times == sorted(times)
    first = dev.recorder.records[0]
    assert first["before"]["session"] == "monitor-enabled" and first["after"]["session"] == "user-disabled"
    assert dev.recorder.records[-1]["after"] == {"rules": ["/Common/site_rule", "/Common/lk"]}


@pytest.mark.parametrize("changes, session, state", [
    ({"session": "user-disabled", "state": "user-up"}, "user-disabled", "up"),
    ({"session": "user-disabled", "state": "user-down"}, "user-disabled", "user-down"),
    ({"session": "user-enabled", "state": "user-up"}, "monitor-enabled", "up"),
])
def test_session_and_state_as_the_api_shows_them(changes, session, state):
    dev, _clock = device()
    member = dev.modify_member("/Common/web_pool", "/Common/10.0.0.11:80", changes)
    assert member.api_state() == (session, state)


def test_unmonitored_member_shows_user_enabled_and_unchecked():
    doc = seed()
    doc["pools"][0]["monitor"] = "none"
    dev, _clock = device(doc)
    assert dev.member("/Common/web_pool", "/Common/10.0.0.11:80").api_state() == ("user-enabled", "unchecked")


def test_bad_changes_are_refused_naming_the_value():
    dev, _clock = device()
    with pytest.raises(model.DeviceError) as err:
        dev.modify_member("/Common/web_pool", "/Common/10.0.0.11:80", {"session": "off"})
    assert "'off'" in err.value.message and err.value.status == 400
    with pytest.raises(model.DeviceError) as err:
        dev.modify_virtual("/Common/vs_web", {"rules": ["/Common/nope"]})
    assert "/Common/nope" in err.value.message
    with pytest.raises(model.DeviceError) as err:
        dev.put_rule("/Common/bad", "when HTTP_REQUEST { if {1} {", create=True)
    assert "missing close-brace" in err.value.message
    assert dev.recorder.records == []


def test_a_rule_in_use_cannot_be_deleted():
    dev, _clock = device()
    with pytest.raises(model.DeviceError) as err:
        dev.delete_rule("/Common/site_rule")
    assert "in use" in err.value.message and "/Common/vs_web" in err.value.message
    dev.modify_virtual("/Common/vs_web", {"rules": []})
    dev.delete_rule("/Common/site_rule")
    assert [r["what"] for r in dev.recorder.records] == ["virtual.rules", "rule.delete"]


def test_seed_errors_name_the_problem():
    doc = seed()
    doc["pools"][0]["members"][0]["session"] = "sleepy"
    with pytest.raises(ValueError, match="sleepy"):
        model.Device(doc)
    doc = seed()
    doc["virtual_servers"][0]["pool"] = "missing_pool"
    with pytest.raises(ValueError, match="missing_pool"):
        model.Device(doc)
    with pytest.raises(ValueError, match="unknown knob"):
        model.Device(dict(seed(), knobs={"explode": True}))
    doc = seed()
    doc["virtual_servers"][0]["profiles"] = ["/Common/my_http"]
    with pytest.raises(ValueError, match="profile /Common/my_http does not exist"):
        model.Device(doc)
    with pytest.raises(ValueError, match="unknown kind 'htttp'"):
        model.Device(dict(seed(), profiles={"htttp": ["/Common/my_http"]}))


def test_active_members_counts_enabled_members_not_marked_down():
    dev, _clock = device()
    assert dev.active_members("/Common/web_pool") == 2
    dev.modify_member("/Common/web_pool", "/Common/10.0.0.11:80", {"session": "user-disabled"})
    dev.modify_member("/Common/web_pool", "/Common/10.0.0.12:80", {"monitor_status": "down"}, source="harness")
    assert dev.active_members("/Common/web_pool") == 0


def test_state_file_round_trip(tmp_path):
    path = str(tmp_path / "state.json")
    dev = model.Device(seed(), state_path=path)
    dev.modify_member("/Common/web_pool", "/Common/10.0.0.11:80", {"session": "user-disabled"})
    with open(path) as handle:
        again = model.Device(json.load(handle))
    assert again.member("/Common/web_pool", "/Common/10.0.0.11:80").api_state()[0] == "user-disabled"


# ------------------------------------------------------------------ REST over HTTPS
def login(double, password=PASSWORD):
    return double.client.request("POST", rest.LOGIN, {"username": "admin", "password": password,
                                                      "loginProviderName": "tmos"}, auth=False)


def token_headers(token):
    return {"X-F5-Auth-Token": token}


def test_token_login_use_extend_and_logout(double):
    status, body = login(double)
    assert status == 200
    token = body["token"]["token"]
    assert body["token"]["timeout"] == 1200
    status, member = double.client.request("GET", MEMBER, headers=token_headers(token), auth=False)
    assert status == 200 and member["session"] == "monitor-enabled" and member["state"] == "up"
    status, extended = double.client.request("PATCH", rest.TOKENS + token, {"timeout": 3600},
                                             headers=token_headers(token), auth=False)
    assert status == 200 and extended["timeout"] == 3600
    status = double.client.request("PATCH", rest.TOKENS + token, {"timeout": 99999},
                                   headers=token_headers(token), auth=False)[0]
    assert status == 400
    assert double.client.request("DELETE", rest.TOKENS + token, headers=token_headers(token), auth=False)[0] == 200
    status, body = double.client.request("GET", MEMBER, headers=token_headers(token), auth=False)
    assert status == 401 and body["code"] == 401


def test_wrong_password_and_no_credentials_get_401(double):
    status, body = login(double, password="wrong")
    assert status == 401 and body["message"] == "Authentication failed."
    status, body = double.client.request("GET", MEMBER, auth=False)
    assert status == 401 and "no user authentication header or token" in body["message"]


def test_expired_token_is_refused(make_double):
    clock = Clock(time.time())
    double = make_double()
    double.device.clock = clock
    token = login(double)[1]["token"]["token"]
    clock.now += 1201
    status, body = double.client.request("GET", MEMBER, headers=token_headers(token), auth=False)
    assert status == 401 and "expired" in body["message"]


def test_unknown_objects_and_paths_answer_404_like_icontrol(double):
    status, body = double.client.request("GET", "/mgmt/tm/ltm/pool/~Common~nope")
    assert status == 404 and body["code"] == 404 and "/Common/nope" in body["message"]
    status, body = double.client.request("GET", "/mgmt/tm/ltm/pool/~Common~web_pool/members/~Common~10.9.9.9:80")
    assert status == 404
    status, body = double.client.request("GET", "/mgmt/tm/cm/device")
    assert status == 404 and body["message"].startswith("Public URI path not registered")
    assert double.unhandled()


def test_member_patch_and_stats_fall_while_disabled(make_double):
    double = make_double(seed(connections=4, drain_rate=4.0))
    status, body = double.client.request("PATCH", MEMBER, {"session": "user-disabled", "state": "user-up"})
    assert status == 200 and body["session"] == "user-disabled"
    first = stats_conns(double)
    time.sleep(1.2)
    assert stats_conns(double) == 0 < first
    assert [r["what"] for r in double.records()] == ["member", "drained"]


def stats_conns(double):
    status, body = double.client.request("GET", MEMBER + "/stats")
    assert status == 200 and body["kind"] == "tm:ltm:pool:members:membersstats"
    (entry,) = body["entries"].values()
    return entry["nestedStats"]["entries"]["serverside.curConns"]["value"]


def test_sys_version_and_provisioning(double):
    body = double.client.ok("GET", "/mgmt/tm/sys/")
    assert body["selfLink"].endswith("?ver=15.1.0")
    items = double.client.ok("GET", "/mgmt/tm/sys/provision")["items"]
    assert [i["name"] for i in items if i["level"] != "none"] == ["ltm"]


def test_rule_crud_and_virtual_rules(double):
    client = double.client
    rule = {"name": "lk", "partition": "Common", "apiAnonymous": "when HTTP_REQUEST { }"}
    assert client.request("POST", "/mgmt/tm/ltm/rule/", rule)[0] == 200
    assert client.request("POST", "/mgmt/tm/ltm/rule/", {"name": "lk", "apiAnonymous": "when X { }"})[0] == 409
    assert client.ok("GET", "/mgmt/tm/ltm/rule/~Common~lk")["apiAnonymous"] == "when HTTP_REQUEST { }"
    client.ok("PATCH", "/mgmt/tm/ltm/virtual/~Common~vs_vip", {"rules": ["/Common/lk"]})
    assert client.ok("GET", "/mgmt/tm/ltm/virtual/~Common~vs_vip")["rules"] == ["/Common/lk"]
    assert client.request("DELETE", "/mgmt/tm/ltm/rule/~Common~lk")[0] == 400
    client.ok("PATCH", "/mgmt/tm/ltm/virtual/~Common~vs_vip", {"rules": []})
    assert "rules" not in client.ok("GET", "/mgmt/tm/ltm/virtual/~Common~vs_vip")
    assert client.request("DELETE", "/mgmt/tm/ltm/rule/~Common~lk")[0] == 200
    assert client.request("GET", "/mgmt/tm/ltm/rule/~Common~lk")[0] == 404
    assert [r["what"] for r in double.records()] == ["rule.create", "virtual.rules", "virtual.rules", "rule.delete"]


def test_virtual_server_profiles_subcollection_and_the_http_profile_list(make_double):
    doc = seed()
    doc["profiles"] = {"http": ["/Apps/web_http"]}
    doc["virtual_servers"][0]["profiles"] = ["/Apps/web_http", "/Common/tcp"]
    doc["virtual_servers"][1]["profiles"] = ["/Common/fastL4"]
    client = make_double(doc).client
    got = client.ok("GET", "/mgmt/tm/ltm/virtual/~Common~vs_web/profiles")
    assert got["kind"] == "tm:ltm:virtual:profiles:profilescollectionstate"
    assert [(p["fullPath"], p["context"], p["kind"]) for p in got["items"]] == [
        ("/Apps/web_http", "all", "tm:ltm:virtual:profiles:profilesstate"),
        ("/Common/tcp", "all", "tm:ltm:virtual:profiles:profilesstate")]
    # nameReference points into the collection of the profile's kind, as iControl REST links it
    assert got["items"][0]["nameReference"]["link"].split("?")[0].endswith("/mgmt/tm/ltm/profile/http/~Apps~web_http")
    assert got["items"][1]["nameReference"]["link"].split("?")[0].endswith("/mgmt/tm/ltm/profile/tcp/~Common~tcp")
    assert [p["fullPath"] for p in client.ok("GET", "/mgmt/tm/ltm/virtual/~Common~vs_vip/profiles")["items"]] == [
        "/Common/fastL4"]
    expanded = client.ok("GET", "/mgmt/tm/ltm/virtual/~Common~vs_web?expandSubcollections=true")
    assert expanded["profilesReference"]["items"] == got["items"]
    http = client.ok("GET", "/mgmt/tm/ltm/profile/http")
    assert [(p["fullPath"], p["partition"], p["name"]) for p in http["items"]] == [
        ("/Common/http", "Common", "http"), ("/Apps/web_http", "Apps", "web_http")]
    assert client.request("GET", "/mgmt/tm/ltm/virtual/~Common~vs_nope/profiles")[0] == 404


def test_select_on_collections(double):
    items = double.client.ok("GET", "/mgmt/tm/ltm/pool/~Common~web_pool/members?$select=name,selfLink")["items"]
    assert items and all(sorted(i) == ["name", "selfLink"] for i in items)


def test_injected_failure_knob(double):
    double.client.ok("PATCH", "/_double/knobs", {"fail_requests": [{"method": "PATCH", "path_contains": "10.0.0.11",
                                                                    "status": 503, "times": 1}]})
    assert double.client.request("PATCH", MEMBER, {"session": "user-disabled"})[0] == 503
    assert double.client.request("PATCH", MEMBER, {"session": "user-disabled"})[0] == 200


# ------------------------------------------------------------------ command line
def cli(*args, timeout=60):
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    return subprocess.run([sys.executable, "-m", "bigip"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout, env=env, check=False)


def test_cli_seed_serve_mark_member_and_records(tmp_path):
    state, record = str(tmp_path / "state.json"), str(tmp_path / "records.jsonl")
    proc = cli("seed", "--state", state, "--user", "admin:pw", "--member", "web_pool/10.0.0.11:80",
               "--virtual", "vs_web/10.0.0.100:80/web_pool", "--connections", "2")
    assert proc.returncode == 0, proc.stderr
    server = subprocess.Popen([sys.executable, "-m", "bigip", "serve", "--state", state, "--record", record, "--port", "0",
                               "--cert-dir", str(tmp_path / "cert"), "--port-file", str(tmp_path / "port"),
                               "--pid-file", str(tmp_path / "pid")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, env=dict(os.environ, PYTHONPATH=TESTS_DIR))
    try:
        line = server.stdout.readline()
        assert "listening on https://127.0.0.1:" in line and "certificate: openssl" in line, line
        url = line.split()[4]
        assert url.endswith(":" + (tmp_path / "port").read_text().strip())
        assert int((tmp_path / "pid").read_text()) == server.pid
        assert cli("mark", "--url", url, "--user", "admin:pw", "switchover", "node=node1").returncode == 0
        proc = cli("member", "--url", url, "--user", "admin:pw", "web_pool", "10.0.0.11:80", "connections=7")
        assert proc.returncode == 0, proc.stderr
        shown = json.loads(cli("show", "--url", url, "--user", "admin:pw").stdout)
        assert shown["pools"][0]["members"][0]["connections"] == 7.0
        assert cli("mark", "--url", url, "--user", "admin:wrong", "x").returncode == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode == 0
    lines = cli("records", "--record", record).stdout.splitlines()
    whats = [json.loads(line)["what"] for line in lines]
    assert whats == ["mark", "member"]
    assert json.loads(lines[0])["node"] == "node1"


def test_cli_seed_refuses_bad_input(tmp_path):
    proc = cli("seed", "--state", str(tmp_path / "s.json"), "--member", "web_pool-10.0.0.11")
    assert proc.returncode == 1 and "POOL/ADDRESS:PORT" in proc.stderr
    proc = cli("seed", "--state", str(tmp_path / "s.json"), "--virtual", "vs/10.0.0.1:80/missing")
    assert proc.returncode == 1 and "missing" in proc.stderr
