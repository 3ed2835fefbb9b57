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

.PHONY: help venv host images unit simulator sanity lint molecule test demo demo-clean clean

help:
	@echo "make demo   - build what is needed, run a rolling update on a simulated 2-node cluster"
	@echo "make test   - everything: lint, sanity, unit (collection + simulator), molecule"
	@echo "other targets: venv host images unit simulator sanity lint molecule demo-clean clean"

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

sanity: venv
	VENV=$(VENV) bash tests/sanity.sh

lint: venv
	$(VENV)/bin/antsibull-changelog lint
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/ansible-lint --profile production

molecule: venv images
	mkdir -p $(ANSIBLE_HOME) $(ANSIBLE_COLLECTIONS_PATH) $(MOLECULE_EPHEMERAL_DIRECTORY_BASE)
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/molecule test --all

test: lint sanity unit simulator molecule
	@echo "make test: all stages passed"

demo: venv images
	@echo "make demo: the rolling update playbook is not there yet (see the open issues);"
	@echo "           this brings up the simulated two-node cluster smoke scenario instead."
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/molecule test -s lksim_smoke

demo-clean:
	-docker ps -aq --filter label=hatools.lksim | xargs -r docker rm -f

clean: demo-clean
	rm -rf build .cache .pytest_cache tests/output
