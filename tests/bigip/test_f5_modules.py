"""The pinned f5networks.f5_modules (bigip_pool_member, bigip_irule, bigip_virtual_server) against the double."""
from bigip.conftest import PASSWORD


def test_f5_modules_work_against_the_double(double, run_playbook):
    proc = run_playbook("f5_modules.yml", {"bigip_port": double.port, "bigip_password": PASSWORD})
    assert proc.returncode == 0, proc.stdout[-6000:]
    members = [(r["what"], r["before"]["session"], r["before"]["state"], r["after"]["session"], r["after"]["state"])
               for r in double.records("member")]
    assert members == [
        ("member", "monitor-enabled", "up", "user-disabled", "up"),      # disabled (check mode changed nothing)
        ("member", "user-disabled", "up", "monitor-enabled", "up"),      # enabled
        ("member", "monitor-enabled", "up", "user-disabled", "user-down"),  # forced offline
        ("member", "user-disabled", "user-down", "monitor-enabled", "up"),  # enabled
    ]
    whats = [r["what"] for r in double.records() if r["what"] not in ("member", "drained")]
    assert whats == ["rule.create", "rule.modify", "virtual.rules", "virtual.rules", "rule.delete"]
    rules = [r["after"]["rules"] for r in double.records("virtual.rules")]
    assert rules == [["/Common/site_rule", "/Common/lk_probe"], ["/Common/site_rule"]]
    assert double.unhandled() == []
    assert PASSWORD not in proc.stdout
