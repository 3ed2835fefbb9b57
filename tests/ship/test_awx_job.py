"""An AWX/Tower job, run the way AWX runs it: ansible-runner with a private data directory.

- project/: a project playbook that imports hatools.lifekeeper.rolling_update by its
  collection name, and collections/requirements.yml naming the built tarball; the
  collection is installed from it into <private data dir>/requirements_collections (what
  AWX's project update does) and that is the only collections path of the job;
- inventory/: the docker cluster (tests/faults/harness.Cluster);
- env/extravars: the survey's answers exactly as AWX sends them: strings ("true", "900",
  an empty optional field), tagged !unsafe as AWX tags prompted variables;
- no TTY: stdin is /dev/null and nothing may prompt (a prompt would hit the idle timeout).

Checks the runner's status and rc, the report the run wrote, and the `lifekeeper_update`
stats in the playbook_on_stats job event (artifact_data: what a workflow's next node
receives), against the ground truth read from the nodes.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

from conftest import REPO

sys.path.insert(0, os.path.join(REPO, "tests", "faults"))
from harness import Cluster  # noqa: E402

IDENT = "awx-job-1"
# node2's setup (node2 is updated first: it holds nothing) takes longer than the 30 s between two
# "still waiting" lines of the job output
SLOW_SETUP_S = 38
# What the survey of docs/awx/rolling_update_survey.json sends for this job. AWX turns an
# unanswered optional text question into "" and passes prompted values as strings.
SURVEY_ANSWERS = {
    "lk_target_version": "9.9.0",
    "lk_media": "/srv/LKL_V9.9.0_010126.iso",
    "lk_media_sha256": "",
    "lk_media_access": "extract",
    "lk_confirm": "true",
    "lk_allow_reinstall": "false",
    # app-web is a Generic ARK resource and 9.7.0 -> 9.9.0 crosses 9.8.0 (the Perl change)
    "lk_accept_perl_change": "true",
    "lk_restore_placement": "true",
    "lk_evacuate_timeout": "900",
    "lk_update_setup_timeout": "1800",
    "lk_update_ready_timeout": "900",
    # the configuration saved from the 9.x setup menu on every simulated node
    "lk_setup_config_file": "/etc/lksim/saved-setup.conf",
}


def unsafe_yaml(variables):
    """extra vars the way AWX writes env/extravars: every string !unsafe (no templating)."""
    lines = ["---"]
    for key, value in sorted(variables.items()):
        lines.append("%s: !unsafe %s" % (key, json.dumps(value)))
    return "\n".join(lines) + "\n"


def test_survey_answers_are_survey_variables():
    with open(os.path.join(REPO, "docs", "awx", "rolling_update_survey.json")) as handle:
        variables = set(q["variable"] for q in json.load(handle)["spec"])
    assert set(SURVEY_ANSWERS) == variables


@pytest.fixture(scope="module")
def cluster():
    made = Cluster("lk-awx", version="9.7.0").up()
    yield made
    made.down()


@pytest.fixture(scope="module")
def private_data_dir(request):
    """The job's folder (its own, not pytest's shared tmp tree); kept when a test failed."""
    pdd = tempfile.mkdtemp(prefix="lk-awx-job-")
    yield pdd
    if request.session.testsfailed:
        print("\nansible-runner private data directory kept: %s" % pdd)
    else:
        shutil.rmtree(pdd, ignore_errors=True)


@pytest.fixture(scope="module")
def job(cluster, artifact, private_data_dir):
    pdd = private_data_dir
    cluster.knob("node2", setup_seconds=SLOW_SETUP_S)
    project = os.path.join(pdd, "project")
    os.makedirs(os.path.join(project, "collections"))
    with open(os.path.join(project, "rolling_update.yml"), "w") as handle:
        handle.write("---\n- name: LifeKeeper rolling update (AWX project playbook)\n"
                     "  ansible.builtin.import_playbook: hatools.lifekeeper.rolling_update\n")
    # the project's ansible.cfg (AWX runs the job in the project directory): the controller's
    # poll interval of docs/rolling-update.md
    with open(os.path.join(project, "ansible.cfg"), "w") as handle:
        handle.write("[defaults]\ninternal_poll_interval = 0.02\n")
    with open(os.path.join(project, "collections", "requirements.yml"), "w") as handle:
        handle.write("---\ncollections:\n  - name: %s\n    type: file\n" % artifact.tarball)
    # AWX's project update: install the project's collection requirements for the job.
    collections = os.path.join(pdd, "requirements_collections")
    env = dict(artifact.env, ANSIBLE_COLLECTIONS_PATH=collections)
    subprocess.run(["ansible-galaxy", "collection", "install", "--offline", "-r",
                    os.path.join(project, "collections", "requirements.yml"), "-p", collections],
                   env=env, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.makedirs(os.path.join(pdd, "inventory"))
    with open(cluster.inventory) as src, open(os.path.join(pdd, "inventory", "hosts.json"), "w") as dst:
        dst.write(src.read())
    os.makedirs(os.path.join(pdd, "env"))
    with open(os.path.join(pdd, "env", "extravars"), "w") as handle:
        handle.write(unsafe_yaml(SURVEY_ANSWERS))
    with open(os.path.join(pdd, "env", "envvars"), "w") as handle:
        json.dump({"ANSIBLE_COLLECTIONS_PATH": collections, "ANSIBLE_HOME": os.path.join(pdd, "ansible_home"),
                   "ANSIBLE_PIPELINING": "true", "ANSIBLE_HOST_KEY_CHECKING": "false",
                   "ANSIBLE_FORCE_COLOR": "false"}, handle)
    with open(os.path.join(pdd, "env", "settings"), "w") as handle:
        json.dump({"job_timeout": 1200, "idle_timeout": 600, "suppress_ansible_output": True}, handle)
    proc = subprocess.run(["ansible-runner", "run", pdd, "-p", "rolling_update.yml", "--ident", IDENT],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=artifact.env, timeout=1500, check=False)
    return pdd, proc


def read(path):
    with open(path) as handle:
        return handle.read().strip()


def events(pdd):
    found = []
    for path in glob.glob(os.path.join(pdd, "artifacts", IDENT, "job_events", "*.json")):
        with open(path) as handle:
            found.append(json.load(handle))
    return sorted(found, key=lambda event: event["counter"])


def test_job_succeeds(job):
    pdd, proc = job
    artifacts = os.path.join(pdd, "artifacts", IDENT)
    stdout = read(os.path.join(artifacts, "stdout")) if os.path.exists(os.path.join(artifacts, "stdout")) else ""
    assert read(os.path.join(artifacts, "status")) == "successful", proc.stdout[-3000:] + stdout[-6000:]
    assert read(os.path.join(artifacts, "rc")) == "0"
    assert proc.returncode == 0


def test_the_job_used_the_installed_artifact(job):
    pdd, _proc = job
    cmdline = " ".join(json.loads(read(os.path.join(pdd, "artifacts", IDENT, "command")))["command"])
    assert "-e @" in cmdline and "extravars" in cmdline, cmdline
    starts = [e for e in events(pdd) if e["event"] == "playbook_on_start"]
    assert starts, "no playbook_on_start event"
    installed = os.path.join(pdd, "requirements_collections", "ansible_collections", "hatools", "lifekeeper")
    tasks = [e for e in events(pdd) if e["event"] == "playbook_on_task_start"
             and e["event_data"].get("task_path", "").find("/roles/") >= 0]
    assert tasks, "no role task events"
    paths = set(e["event_data"]["task_path"].split("/roles/")[0] for e in tasks)
    assert paths == {installed}, "roles ran from %s, expected only the installed copy %s" % (paths, installed)


def published_report(pdd):
    stats = [e for e in events(pdd) if e["event"] == "playbook_on_stats"]
    assert len(stats) == 1, [e["event"] for e in events(pdd)][-5:]
    return stats[0]["event_data"]["artifact_data"]["lifekeeper_update"]


def test_stats_in_the_job_events(job, cluster):
    """What a workflow's next node receives, checked against the nodes themselves."""
    pdd, _proc = job
    report = published_report(pdd)
    assert report["result"] == "success", report
    assert report["target_version"] == "9.9.0"
    assert report["hierarchies_lost"] == []
    assert sorted(node["version_after"] for node in report["nodes"]) == ["9.9.0", "9.9.0"]
    assert report["switchovers"] == 2
    # ground truth from the nodes, not from the report
    assert [cluster.rpm_version(n) for n in cluster.names] == ["9.9.0", "9.9.0"]
    assert cluster.placement() == {"app-web": "node1"}


def test_report_is_where_the_run_says(job):
    pdd, _proc = job
    said = []
    for event in events(pdd):
        text = json.dumps(event.get("event_data", {}).get("res", {}).get("msg", ""))
        said.extend(re.findall(r"report: (/[^\"\\]+\.json)", text))
    assert said, "the run did not say where the report is"
    assert said[-1] == os.path.join(pdd, "project", "lifekeeper-update-report.json"), said
    with open(said[-1]) as handle:
        assert json.load(handle) == published_report(pdd)


def test_progress_lines_in_the_job_output(job, cluster):
    """What an operator follows in AWX's job output (the events' stdout): a line per step of each
    node with node i/N and the time since the run started, and a "still waiting" line while the
    slowed setup ran; never None."""
    pdd, _proc = job
    stdout = "\n".join(event.get("stdout", "") for event in events(pdd))
    order = [cluster.container("node2"), cluster.container("node1")]
    for position, host in enumerate(order, 1):
        for step in ("evacuate", "update"):
            line = r"\[lifekeeper\] node %d/2 %s: %s \(\+\d\d:\d\d:\d\d\)" % (position, re.escape(host), step)
            assert re.search(line, stdout), (line, stdout[-6000:])
    waiting = re.findall(r"\[lifekeeper\] node 1/2 %s: still waiting for setup \(\+\d\d:\d\d:\d\d, (\d+) s of at most "
                         r"1800 s\)" % re.escape(order[0]), stdout)
    assert waiting and 30 <= int(waiting[0]) < SLOW_SETUP_S, stdout[-6000:]
    progress = [line for line in stdout.splitlines() if "[lifekeeper] " in line]
    assert not [line for line in progress if "None" in line], progress
