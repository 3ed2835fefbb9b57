"""molecule/bigip/check_bigip.py (the scenario's ground-truth check) on records made by the double's model."""
import importlib.util
import os

from bigip import model
from bigip.conftest import REPO, seed

RULE = "/Common/lk_maintenance"
MAPPING = [{"node": "node1", "pool": "web_pool", "address": "10.0.0.11", "port": 80},
           {"node": "node2", "pool": "web_pool", "address": "10.0.0.12", "port": 80},
           {"hierarchy": "app-web", "pool": "vip_pool", "address": "10.0.0.50", "port": 80}]
N1, N2, VIP = ("/Common/web_pool", "/Common/10.0.0.11:80"), ("/Common/web_pool", "/Common/10.0.0.12:80"), \
    ("/Common/vip_pool", "/Common/10.0.0.50:80")
OFF = {"session": "user-disabled", "state": "user-up"}
ON = {"session": "user-enabled", "state": "user-up"}


def load():
    spec = importlib.util.spec_from_file_location("check_bigip", os.path.join(REPO, "molecule", "bigip", "check_bigip.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Clock(object):
    now = 1000.0

    def __call__(self):
        return self.now


def run(steps):
    """Apply (delay, action, args) steps to a device; returns its records."""
    clock = Clock()
    dev = model.Device(seed(connections=1, drain_rate=10.0), clock=clock)
    dev.put_rule(RULE, "when HTTP_REQUEST { }", create=True)
    for delay, action, args in steps:
        clock.now += delay
        if action == "member":
            dev.modify_member(args[0][0], args[0][1], args[1])
        elif action == "rules":
            dev.modify_virtual("/Common/vs_web", {"rules": args})
        dev.advance()
    return dev.recorder.records


def event(time, node, tag, old, new):
    return {"time": time, "node": node, "tag": tag, "from": old, "to": new, "cause": "test"}


# app-web leaves node1 at 1003.0 and is in service on node2 at 1004.0
SWITCH = [event(1003.0, "node1", "app-web", "ISP", "OSU"), event(1004.0, "node2", "app-web", "OSU", "ISP")]
GOOD = [(0, "member", (N1, OFF)), (0, "member", (VIP, OFF)), (1, "rules", ["/Common/site_rule", RULE]),
        (4, "member", (VIP, ON)), (0, "rules", ["/Common/site_rule"]), (2, "member", (N1, ON))]


def test_a_good_run_passes():
    result = load().check(run(GOOD), MAPPING, RULE, ["/Common/vs_web"], SWITCH, ["app-web"], {"held": [], "attached": []})
    assert result["problems"] == [] and result["switchovers_checked"] == 1


def test_the_irule_off_during_the_switchover_is_found():
    steps = GOOD[:3] + [(1, "rules", ["/Common/site_rule"])] + [(3, "member", (VIP, ON)), (2, "member", (N1, ON))]
    problems = load().check(run(steps), MAPPING, RULE, ["/Common/vs_web"], SWITCH, ["app-web"])["problems"]
    assert len(problems) == 1 and "without the iRule on /Common/vs_web" in problems[0]


def test_a_member_enabled_too_early_and_one_left_disabled_are_found():
    steps = [(0, "member", (N1, OFF)), (1, "rules", ["/Common/site_rule", RULE]), (4, "rules", ["/Common/site_rule"]),
             (0, "member", (N2, OFF))]
    problems = load().check(run(steps), MAPPING, RULE, ["/Common/vs_web"], SWITCH, ["app-web"],
                            {"held": [{"key": "x"}], "attached": []})["problems"]
    text = "\n".join(problems)
    assert "while member /Common/vip_pool/10.0.0.50:80 was not disabled" in text
    assert "member /Common/web_pool/10.0.0.11:80 is left disabled" in text
    assert "member /Common/web_pool/10.0.0.12:80 is left disabled" in text
    assert "the ledger still holds" in text


def test_a_member_that_had_not_drained_before_the_irule_is_found():
    clock_steps = [(0, "member", (N1, OFF)), (0, "member", (VIP, OFF)), (0, "rules", ["/Common/site_rule", RULE]),
                   (5, "member", (VIP, ON)), (0, "rules", ["/Common/site_rule"]), (2, "member", (N1, ON))]
    problems = load().check(run(clock_steps), MAPPING, RULE, ["/Common/vs_web"], SWITCH, ["app-web"])["problems"]
    assert any("had not drained before the iRule went on" in p for p in problems), problems


def test_inventory_names_of_the_mapping_become_lifekeeper_names():
    inventory = [dict(MAPPING[0], node="lk-bigip-node1"), dict(MAPPING[1], node="lk-bigip-node2"), MAPPING[2]]
    assert load().lifekeeper_names(inventory, {"lk-bigip-node1": "node1", "lk-bigip-node2": "node2"}) == MAPPING
