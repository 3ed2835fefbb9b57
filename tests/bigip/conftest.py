"""Fixtures of the BIG-IP double's tests: a double on a free loopback port, ansible-playbook runs."""
import importlib
import json
import os
import shutil
import subprocess
import sys

import pytest

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from bigip import model, server  # noqa: E402
from bigip.client import Client  # noqa: E402

REPO = os.path.dirname(TESTS_DIR)
HERE = os.path.join(TESTS_DIR, "bigip")
PLAYBOOKS = os.path.join(HERE, "playbooks")
PASSWORD = "s3cret-pw"
PLAYBOOK_TIMEOUT = 600


def seed(connections=3, drain_rate=4.0, extra_members=(), disabled=(), never_drain=()):
    """Two nodes' members in web_pool (+ the VIP member of hierarchy app-web in vip_pool), two virtual servers."""
    def member(address, port=80):
        return {"address": address, "port": port, "connections": connections,
                "drain_rate": 0.0 if address in never_drain else drain_rate,
                "session": "disabled" if address in disabled else "enabled"}
    web = [member("10.0.0.11"), member("10.0.0.12")] + [member(a) for a in extra_members]
    return {
        "version": "15.1.0",
        "users": {"admin": PASSWORD},
        "pools": [{"name": "web_pool", "monitor": "/Common/http", "members": web},
                  {"name": "vip_pool", "monitor": "/Common/http", "members": [member("10.0.0.50")]}],
        "rules": [{"name": "site_rule", "content": "when HTTP_REQUEST { HTTP::header insert X-Site 1 }"}],
        "virtual_servers": [{"name": "vs_web", "destination": "10.0.0.100:80", "pool": "web_pool",
                             "rules": ["site_rule"]},
                            {"name": "vs_vip", "destination": "10.0.0.101:80", "pool": "vip_pool"}],
    }


class Double(object):
    def __init__(self, tmp_path, doc):
        self.dir = str(tmp_path)
        self.record_path = os.path.join(self.dir, "records.jsonl")
        self.state_path = os.path.join(self.dir, "state.json")
        self.device = model.Device(doc, record_path=self.record_path, state_path=self.state_path)
        self.log_path = os.path.join(self.dir, "double.log")
        self.log = open(self.log_path, "a")
        self.server, self.cert_origin = server.start(self.device, cert_dir=os.path.join(self.dir, "cert"), log=self.log)
        self.port = self.server.server_port
        self.url = "https://127.0.0.1:%d" % self.port
        self.client = Client(self.url, password=PASSWORD)

    def records(self, what=None):
        self.device.advance()
        return [r for r in self.device.recorder.records if what is None or r["what"] == what]

    def member(self, pool, address, port=80):
        return self.device.member("/Common/" + pool, "/Common/%s:%d" % (address, port))

    def virtual_rules(self, name):
        return list(self.device.virtual("/Common/" + name).rules)

    def unhandled(self):
        self.log.flush()
        with open(self.log_path) as handle:
            return [line for line in handle if "unhandled" in line]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.log.close()


@pytest.fixture
def make_double(tmp_path):
    doubles = []

    def make(doc=None):
        directory = tmp_path / ("double%d" % len(doubles))
        directory.mkdir()
        double = Double(directory, doc or seed())
        doubles.append(double)
        return double

    yield make
    for double in doubles:
        double.stop()


@pytest.fixture
def double(make_double):
    return make_double()


def ansible_playbook():
    path = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    if not os.path.exists(path):
        path = shutil.which("ansible-playbook")
    if not path:
        pytest.fail("ansible-playbook not found next to %s nor on PATH: run the tests with the toolchain venv "
                    "(make bigip)" % sys.executable)
    return path


@pytest.fixture(scope="session")
def collections_dir(tmp_path_factory):
    """A collections path holding this checkout as hatools.lifekeeper."""
    base = tmp_path_factory.mktemp("collections")
    namespace = base / "ansible_collections" / "hatools"
    namespace.mkdir(parents=True)
    os.symlink(REPO, str(namespace / "lifekeeper"))
    return base


@pytest.fixture(scope="session")
def plugin_bigip(collections_dir):
    """plugins/plugin_utils/bigip.py of this checkout, imported as part of the collection."""
    if str(collections_dir) not in sys.path:
        sys.path.insert(0, str(collections_dir))
    return importlib.import_module("ansible_collections.hatools.lifekeeper.plugins.plugin_utils.bigip")


@pytest.fixture(scope="session")
def ansible_env(tmp_path_factory, collections_dir):
    """Environment for ansible-playbook: this checkout as hatools.lifekeeper, no telemetry."""
    base = tmp_path_factory.mktemp("ansible")
    env = dict(os.environ)
    env.update({"ANSIBLE_COLLECTIONS_PATH": str(collections_dir), "ANSIBLE_HOME": str(base / "home"),
                "ANSIBLE_LOCAL_TEMP": str(base / "tmp"),
                "ANSIBLE_CONFIG": os.path.join(REPO, "tests", "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
                "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_STDOUT_CALLBACK": "default",
                "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_DEPRECATION_WARNINGS": "0",
                "F5_TELEMETRY_OFF": "1", "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"})
    for key in ("F5_SERVER", "F5_SERVER_PORT", "F5_USER", "F5_PASSWORD", "F5_VALIDATE_CERTS", "F5_AUTH_PROVIDER"):
        env.pop(key, None)
    return env


@pytest.fixture
def run_playbook(ansible_env, tmp_path):
    """run(playbook, extra_vars, check=False, verbosity=0) -> CompletedProcess (stdout+stderr in .stdout)."""
    def run(playbook, extra_vars, check=False, verbosity=0):
        vars_file = tmp_path / ("vars-%d.json" % len(list(tmp_path.glob("vars-*.json"))))
        vars_file.write_text(json.dumps(extra_vars))
        argv = [ansible_playbook(), "-i", "localhost,", "-c", "local", os.path.join(PLAYBOOKS, playbook),
                "-e", "@" + str(vars_file)]
        if check:
            argv.append("--check")
        if verbosity:
            argv.append("-" + "v" * verbosity)
        return subprocess.run(argv, cwd=str(tmp_path), env=ansible_env, stdout=subprocess.PIPE, check=False,
                              stderr=subprocess.STDOUT, universal_newlines=True, timeout=PLAYBOOK_TIMEOUT)
    return run
