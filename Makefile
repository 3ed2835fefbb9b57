# hatools.lifekeeper: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c

VENV ?= $(CURDIR)/.venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.sha256
# Throw-away Ansible home so that a stale installed copy never shadows the code under test.
export ANSIBLE_HOME := $(CURDIR)/.cache/ansible
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.cache/collections
export MOLECULE_EPHEMERAL_DIRECTORY_BASE := $(CURDIR)/.cache/molecule
export PYTHONDONTWRITEBYTECODE := 1

# The built artifact, installed into its own throw-away collections path (tests/ship).
ARTIFACT_DIR := $(CURDIR)/.cache/artifact
ARTIFACT_ENV := LK_ARTIFACT_DIR=$(ARTIFACT_DIR) VENV=$(VENV) ANSIBLE_COLLECTIONS_PATH=$(ARTIFACT_DIR)/collections
# The oldest ansible-core that requires_ansible allows (requirements-core216.txt).
CORE216_VENV ?= $(CURDIR)/.venv-core216
CORE216_STAMP := $(CORE216_VENV)/.requirements.sha256
SANITY_DIR := $(or $(LK_SANITY_DIR),$(or $(TMPDIR),/tmp)/hatools-lifekeeper-sanity)

.PHONY: help venv host images collection-link unit simulator bigip sanity lint docs molecule faults test demo demo-clean clean \
	artifact ship awx molecule-artifact core216 docker-lane-molecule docker-lane-faults \
	awx-installed molecule-artifact-installed bench \
	test-lane-checks test-lane-docker

help:
	@echo "make demo   - build what is needed, run a rolling update on a simulated 2-node cluster"
	@echo "make test   - everything: lint, sanity, unit (collection + simulator), bigip, molecule, faults"
	@echo "other targets: venv host images unit simulator bigip sanity lint docs molecule faults bench demo-clean clean"
	@echo "shipping: artifact ship awx molecule-artifact core216 (see docs/install.md)"

# The pinned toolchain; reinstalled only when requirements-test.txt changes.
venv: $(STAMP)
$(STAMP): requirements-test.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-test.txt
	sha256sum requirements-test.txt > $(STAMP)

# Docker engine and image tooling on this host (installs and starts what is missing).
host:
	bash tests/host-setup.sh

images: host
	bash tests/images/build.sh

# Pure-Python tests of the collection (parsers, adapter, modules with recorded output).
unit: venv
	$(PY) -m pytest -q tests/unit

# The simulator's own tests (local clusters on loopback; real rpms and ISO media).
simulator: venv
	PYTHONPATH=tests $(PY) -m pytest -q tests/lksim_tests

# The BIG-IP iControl REST double, the maintenance iRule under tclsh (Debian package tcl) and the
# bigip_drain role's hooks against the double (local HTTPS on 127.0.0.1; no docker).
bigip: venv
	$(PY) -m pytest -q tests/bigip

sanity: venv
	VENV=$(VENV) bash tests/sanity.sh

lint: venv collection-link
	$(VENV)/bin/antsibull-changelog lint
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/ansible-lint --profile production

# The documentation: every YAML example of README.md and docs/ parses, the playbook and task
# examples pass the production lint profile (one ansible-lint call), every relative link
# resolves, and the README stays short. docs/variables.md is checked by `make unit`.
docs: venv collection-link
	PATH=$(VENV)/bin:$$PATH $(PY) -m pytest -q -p no:cacheprovider tests/docs

# The collection under test is the working tree itself, linked into a throw-away path.
collection-link:
	mkdir -p $(ANSIBLE_HOME) $(ANSIBLE_COLLECTIONS_PATH)/ansible_collections/hatools $(MOLECULE_EPHEMERAL_DIRECTORY_BASE)
	ln -sfn $(CURDIR) $(ANSIBLE_COLLECTIONS_PATH)/ansible_collections/hatools/lifekeeper

molecule: venv images collection-link
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/molecule test --all

# Fault injection: docker clusters driven by pytest, ground truth from the simulator.
FAULTS_PYTEST = VENV=$(VENV) $(PY) -m pytest -q -p no:cacheprovider --durations=10

faults: venv images collection-link
	$(FAULTS_PYTEST) tests/faults

# The README's picture of a report (docs/images/report.png): the HTML page of a real report
# (tests/unit/fixtures/report-default.json, written by a molecule run of the default scenario)
# in headless Chromium (Debian package chromium; not part of `make test`).
.PHONY: report-screenshot
report-screenshot: venv collection-link
	$(PY) tests/ship/screenshot_report.py $(or $(REPORT),tests/unit/fixtures/report-default.json) docs/images/report.png

# What the rolling update costs (not part of `make test`): overhead, downtime per switchover,
# fleets of 1, 4, 10 clusters against separate runs; build/bench/bench.json and a table.
# Run it alone on the docker engine (hold the docker lock if the machine has one); it
# takes about 45 minutes on 2 cores. BENCH_ARGS: e.g. --sizes 1,4 --separate 4 for a shorter run.
bench: venv images collection-link
	VENV=$(VENV) $(PY) tests/bench/bench.py $(BENCH_ARGS)

# Build the collection with ansible-galaxy, install the tarball offline into a throw-away
# collections path; its files against git and build_ignore; ansible-doc for every module,
# role entry point and filter of the installed copy.
artifact: venv
	mkdir -p $(CURDIR)/.cache/pytest
	VENV=$(VENV) $(PY) tests/ship/artifact.py $(ARTIFACT_DIR)
	$(ARTIFACT_ENV) $(PY) -m pytest -q -p no:cacheprovider --basetemp=$(CURDIR)/.cache/pytest/artifact tests/ship/test_artifact.py tests/ship/test_ansible_doc.py

# Execution environment (ansible-builder create), AWX survey against the argument specs,
# release metadata (version_added, antsibull-changelog release on a copy).
ship: artifact
	$(ARTIFACT_ENV) PATH=$(VENV)/bin:$$PATH $(PY) -m pytest -q -p no:cacheprovider --basetemp=$(CURDIR)/.cache/pytest/ship \
		tests/ship/test_ee.py tests/ship/test_survey.py tests/ship/test_release.py tests/ship/test_python_targets.py

# An AWX job through ansible-runner (private data directory, survey answers as strings)
# against a docker cluster, with the installed artifact.
awx: venv images artifact awx-installed

# (the artifact as built and installed last: the docker lanes of make test run it so, both
# at once, without rebuilding the artifact under each other)
awx-installed:
	$(ARTIFACT_ENV) $(PY) -m pytest -q -p no:cacheprovider --basetemp=$(CURDIR)/.cache/pytest/awx tests/ship/test_awx_job.py

# The default molecule scenario against the installed artifact (the rolling update
# imported by its collection name; the working tree is on no collections path).
molecule-artifact: venv images artifact molecule-artifact-installed

molecule-artifact-installed:
	@export PATH=$(VENV)/bin:$$PATH $(ARTIFACT_ENV)
	molecule -c .config/molecule/config.yml -c tests/ship/molecule-artifact.yml test -s default

# Sanity and unit tests on the oldest ansible-core allowed (a second venv). Its sanity skips
# pylint and pep8, the code-style checks `make sanity` runs on the current core (same sources,
# newer linters; 70 s of CPU): what the core version changes is checked here (validate-modules,
# ansible-doc, import, compile, runtime-metadata, action-plugin-docs and the rest).
$(CORE216_STAMP): requirements-core216.txt
	test -x $(CORE216_VENV)/bin/python || python3 -m venv $(CORE216_VENV)
	$(CORE216_VENV)/bin/python -m pip install -q --upgrade pip
	$(CORE216_VENV)/bin/python -m pip install -q -r requirements-core216.txt
	sha256sum requirements-core216.txt > $(CORE216_STAMP)

core216: $(CORE216_STAMP)
	$(CORE216_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/unit
	VENV=$(CORE216_VENV) LK_SANITY_DIR=$(SANITY_DIR)-core216 bash tests/sanity.sh --skip-test pylint --skip-test pep8

# make test runs two lanes side by side, so that both cores work all along (the docker stages
# are CPU-bound: a third lane only slows the other two). Lane 1: the static checks (mostly one
# core), then the molecule scenarios (the default one from the installed artifact only: the
# working tree's run would repeat it), the fault tests of FAULTS_BESIDE_MOLECULE and the AWX
# job (the last two need the artifact lane 1 built). Lane 2: the images first (lane 1's docker
# stages need them long after), the simulator's and the BIG-IP double's own tests (mostly
# waiting on their own clocks), then the other fault tests, which start while lane 1 is still
# in its static checks. Each lane's output is printed when it ends (--output-sync).
MOLECULE_SCENARIOS := $(sort $(patsubst molecule/%/molecule.yml,%,$(wildcard molecule/*/molecule.yml)))
FAULTS_BESIDE_MOLECULE := tests/faults/test_preflight_checks.py tests/faults/test_playbooks.py tests/faults/test_maintenance.py

test: venv collection-link
	$(MAKE) -j2 --output-sync=recurse test-lane-checks test-lane-docker
	@echo "make test: all stages passed"

test-lane-checks:
	$(MAKE) -j1 lint docs sanity unit core216 artifact ship
	$(MAKE) docker-lane-molecule

test-lane-docker:
	$(MAKE) -j1 images simulator bigip
	$(MAKE) docker-lane-faults

docker-lane-molecule:
	export PATH=$(VENV)/bin:$$PATH
	for scenario in $(filter-out default,$(MOLECULE_SCENARIOS)); do molecule test -s "$$scenario"; done
	$(MAKE) molecule-artifact-installed
	$(FAULTS_PYTEST) --basetemp=$(CURDIR)/.cache/pytest/faults-beside $(FAULTS_BESIDE_MOLECULE)
	$(MAKE) awx-installed

docker-lane-faults:
	$(FAULTS_PYTEST) --basetemp=$(CURDIR)/.cache/pytest/faults $(addprefix --ignore=,$(FAULTS_BESIDE_MOLECULE)) tests/faults

# A fresh two-node simulated cluster (9.7.0) on local docker, updated to 9.9.0 by
# playbooks/rolling_update.yml; the containers stay up for a look (make demo-clean).
demo: venv images collection-link
	@export PATH=$(VENV)/bin:$$PATH
	molecule destroy -s default >/dev/null
	molecule converge -s default -- -e lk_report_file=$(CURDIR)/lifekeeper-update-report.json
	echo "make demo: report written to $(CURDIR)/lifekeeper-update-report.json"
	echo "make demo: look around with: docker exec lk-default-node1 /opt/LifeKeeper/bin/lcdstatus -q"

demo-clean: venv
	PATH=$(VENV)/bin:$$PATH molecule destroy -s default

clean:
	-docker ps -aq --filter label=hatools.lksim | xargs -r docker rm -f
	rm -rf build .cache .pytest_cache tests/output docs/ee/context
