# Build, test and demo tooling for the zadarma.telephony collection (GNU make).
# Needs only python3 (with venv/ensurepip) and access to PyPI. `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
VENV_BIN := $(CURDIR)/$(VENV)/bin
VENV_PY := $(VENV_BIN)/python
VENV_STAMP := $(VENV)/.installed
# The staged copy that ansible-test, the integration tests and the build use.
COLLECTIONS := $(CURDIR)/build/collections
STAGE := $(COLLECTIONS)/ansible_collections/zadarma/telephony
# Python version for ansible-test: the one the venv runs (3.11 on Debian 12).
TEST_PYTHON = $(shell $(VENV_PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# pytest-xdist workers for the integration tests.
JOBS ?= auto
SIM_PORT ?= 8765

# Tools from the venv come first; ansible-test looks for pythonX.Y and its own tools on PATH.
export PATH := $(VENV_BIN):$(PATH)
export ANSIBLE_NOCOLOR := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv stage ansible-test-cache sanity units integration simulator-tests lint build \
        build-check test chaos demo simulator bench clean distclean

help:
	@echo "make demo             run the demo against the local Zadarma API simulator"
	@echo "make test             everything CI checks: lint sanity units simulator-tests integration build"
	@echo "make venv             create .venv from requirements-dev.txt"
	@echo "make lint             ansible-lint, production profile"
	@echo "make sanity           ansible-test sanity (local venvs, no docker) on the staged copy"
	@echo "make units            ansible-test units on the staged copy"
	@echo "make simulator-tests  pytest tests/simulator"
	@echo "make integration      pytest tests/integration (xdist, JOBS=$(JOBS)) against the staged copy"
	@echo "make build            build the collection tarball into build/ and check it"
	@echo "make simulator        run the simulator in the foreground on 127.0.0.1:$(SIM_PORT)"
	@echo "make bench            run benchmarks/run.py"
	@echo "make chaos            the chaos soak: random faults, money checked (CHAOS_SEED=N replays, CHAOS_SECONDS=S)"
	@echo "make clean            remove build output (distclean also removes .venv)"

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements-dev.txt
	@test -x $(VENV_PY) || $(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --upgrade pip
	$(VENV_PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Fresh copy of git-tracked plus untracked-not-ignored files (work in progress included).
stage:
	@$(PYTHON) scripts/stage.py --src . --dest $(STAGE)

# ansible-test bootstraps pip in every venv it builds with a get-pip script it cannot download
# here; write the offline stand-in into ~/.ansible/test/cache/ (pip version read from ansible-test).
ansible-test-cache: $(VENV_STAMP)
	@$(VENV_PY) scripts/ansible_test_cache.py

sanity: ansible-test-cache stage
	cd $(STAGE) && ansible-test sanity --venv --python $(TEST_PYTHON) --color no

units: ansible-test-cache stage
	cd $(STAGE) && ansible-test units --venv --python $(TEST_PYTHON) --color no

integration: $(VENV_STAMP) stage
	ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_BIN)/pytest -n $(JOBS) tests/integration

simulator-tests: $(VENV_STAMP)
	$(VENV_BIN)/pytest tests/simulator

# The collection's own modules and roles resolve from the staged copy (offline: nothing is installed).
lint: $(VENV_STAMP) stage
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_BIN)/ansible-lint $(if $(CI),--nocolor,)

build: $(VENV_STAMP) stage
	@rm -f build/zadarma-telephony-*.tar.gz
	ansible-galaxy collection build $(STAGE) --output-path build --force
	$(VENV_PY) scripts/check_build.py build

build-check: build

test:
	$(MAKE) lint
	$(MAKE) sanity
	$(MAKE) units
	$(MAKE) simulator-tests
	$(MAKE) integration
	$(MAKE) build
	@echo "make test: all checks passed"

# Seeded random faults over many route/order/prolong runs (about 3 minutes); prints the seed to replay.
chaos: $(VENV_STAMP) stage
	ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_PY) tests/chaos/soak.py

demo: $(VENV_STAMP) stage
	ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_PY) scripts/demo.py

simulator: $(VENV_STAMP)
	@echo "simulator: http://127.0.0.1:$(SIM_PORT) (default credentials, see docs/development.md); Ctrl-C stops it"
	PYTHONPATH=tests/simulator $(VENV_PY) -m zadarma_sim --host 127.0.0.1 --port $(SIM_PORT)

bench: $(VENV_STAMP) stage
	@if [ -f benchmarks/run.py ]; then \
	  ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_PY) benchmarks/run.py; \
	else \
	  echo "bench: benchmarks/run.py does not exist yet"; \
	fi

clean:
	rm -rf build tests/output .pytest_cache benchmarks/results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
