# Build, test and demo tooling for the zadarma.telephony collection (GNU make).
# Needs only python3 (with venv/ensurepip) and access to PyPI. `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
# The default line (.venv, requirements-dev.txt); the matrix runs legs with VENV=.venvs/<line> (tests/matrix.txt).
VENV ?= .venv
VENV_BIN := $(CURDIR)/$(VENV)/bin
VENV_PY := $(VENV_BIN)/python
VENV_STAMP := $(VENV)/.installed
# Targets that need a venv depend on this: .venv is (re)built from requirements-dev.txt here; a line's
# venv is built by scripts/matrix.py.
VENV_READY := $(if $(filter .venv,$(VENV)),$(VENV_STAMP),)
# The staged copy that ansible-test, the integration tests and the build use (one per line in the matrix).
COLLECTIONS ?= $(CURDIR)/build/collections
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

.PHONY: help venv stage ansible-test-cache sanity units integration awx simulator-tests lint build \
        build-check galaxy docs docs-lint docs-check chromium matrix test test-fast demo simulator bench \
        clean distclean eda-tests chaos money-tests-repeat

help:
	@echo "make demo             run the demo against the local Zadarma API simulator"
	@echo "make test             everything CI checks: lint, build, galaxy, docs-check, simulator-tests and"
	@echo "                      the ansible-core matrix (tests/matrix.txt: sanity on 2.15..2.21, units,"
	@echo "                      integration and AWX on some lines)"
	@echo "make test-fast        the inner loop on the default line (2.19, .venv): lint sanity units"
	@echo "                      simulator-tests integration build"
	@echo "make matrix           only the ansible-core matrix (MATRIX_ARGS='--only 2.15 2.21' for some lines)"
	@echo "make venv             create .venv from requirements-dev.txt"
	@echo "make lint             ansible-lint, production profile"
	@echo "make sanity           ansible-test sanity (local venvs, no docker) on the staged copy"
	@echo "make units            ansible-test units on the staged copy"
	@echo "make simulator-tests  pytest tests/simulator"
	@echo "make integration      pytest tests/integration (xdist, JOBS=$(JOBS)) against the staged copy"
	@echo "make awx              the playbooks through ansible-runner as AWX runs them (part of integration)"
	@echo "make eda-tests        the event source under a real ansible-rulebook (own venv .venv-eda, Java 17)"
	@echo "make build            build the collection tarball into build/ and check it"
	@echo "make galaxy           Galaxy's importer (offline, ansible-doc and ansible-lint on) on the tarball"
	@echo "make docs             the HTML documentation site into build/docs/html (antsibull-docs, Sphinx)"
	@echo "make docs-check       antsibull-docs lint, the site, and tests/docs (headless Chromium)"
	@echo "make simulator        run the simulator in the foreground on 127.0.0.1:$(SIM_PORT)"
	@echo "make bench            run benchmarks/run.py"
	@echo "make chaos            the chaos soak: random faults, money checked (CHAOS_SEED=N replays, CHAOS_SECONDS=S)"
	@echo "make money-tests-repeat  the concurrency and kill tests RUNS times in a row (default 10)"
	@echo "make clean            remove build output (distclean also removes .venv and .venvs)"
	@echo "Any target takes VENV=.venvs/<line> to run on another line of tests/matrix.txt."

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements-dev.txt tests/requirements.txt
	@test -x $(VENV_PY) || $(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --upgrade pip
	$(VENV_PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Fresh copy of git-tracked plus untracked-not-ignored files (work in progress included).
stage:
	@$(PYTHON) scripts/stage.py --src . --dest $(STAGE)

# ansible-test bootstraps pip in every venv it builds with a get-pip script it cannot download
# here; write the offline stand-in into ~/.ansible/test/cache/ (pip version read from ansible-test).
ansible-test-cache: $(VENV_READY)
	@$(VENV_PY) scripts/ansible_test_cache.py

# Lines before 2.17 also run Python 2 boilerplate tests (`from __future__ import absolute_import...`,
# `__metaclass__ = type`); the collection is Python 3 only (`from __future__ import annotations`), so those
# two are skipped wherever the line's ansible-test has them.
PY2_BOILERPLATE_TESTS := future-import-boilerplate metaclass-boilerplate

sanity: ansible-test-cache stage
	cd $(STAGE) && skip=$$(ansible-test sanity --list-tests | grep -xF -e $(subst $() , -e ,$(PY2_BOILERPLATE_TESTS)) \
	    | sed 's/^/--skip-test /' || true) && \
	  ansible-test sanity --venv --python $(TEST_PYTHON) --color no $$skip

units: ansible-test-cache stage
	cd $(STAGE) && ansible-test units --venv --python $(TEST_PYTHON) --color no

integration: $(VENV_READY) stage
	ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_BIN)/pytest -n $(JOBS) tests/integration

simulator-tests: $(VENV_READY)
	$(VENV_BIN)/pytest tests/simulator

# The collection's own modules and roles resolve from the staged copy (offline: nothing is installed).
lint: $(VENV_READY) stage
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_BIN)/ansible-lint $(if $(CI),--nocolor,)

# Event-Driven Ansible: ansible-rulebook and its Java 17 runtime, apart from the main tools.
EDA_VENV := .venv-eda
EDA_STAMP := $(EDA_VENV)/.installed

$(EDA_STAMP): tests/eda/requirements.txt
	@test -x $(EDA_VENV)/bin/python || $(PYTHON) -m venv $(EDA_VENV)
	$(EDA_VENV)/bin/python -m pip install --quiet -r tests/eda/requirements.txt
	@touch $@

eda-tests: $(EDA_STAMP) stage
	@command -v java >/dev/null || { apt-get update -qq && apt-get install -y --no-install-recommends openjdk-17-jre-headless; } \
	  || { echo "eda-tests: ansible-rulebook needs a Java 17+ runtime (openjdk-17-jre-headless)"; exit 1; }
	ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(EDA_VENV)/bin/pytest tests/eda

build: $(VENV_READY) stage
	@rm -f build/zadarma-telephony-*.tar.gz
	ansible-galaxy collection build $(STAGE) --output-path build --force
	$(VENV_PY) scripts/check_build.py build

build-check: build

# Part of `integration`; on its own for the inner loop.
awx: $(VENV_READY) stage
	ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_BIN)/pytest tests/integration/test_awx_runner.py

# Galaxy's importer on the tarball, offline: its ansible-doc and ansible-lint checks on, no container.
galaxy: build
	$(VENV_BIN)/pytest tests/packaging

docs-lint: $(VENV_READY) stage
	cd $(COLLECTIONS) && ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_BIN)/antsibull-docs \
	  lint-collection-docs --plugin-docs --validate-collection-refs all --disallow-unknown-collection-refs \
	  $(STAGE)

docs: $(VENV_READY) stage
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_PY) scripts/docs_site.py --dest build/docs

# Debian's chromium for the site's browser test; installed with apt-get when missing (CI runs as root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "chromium: installing Debian's chromium with apt-get"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends chromium; }

docs-check: docs-lint docs chromium
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) ZADARMA_DOCS_SITE=$(CURDIR)/build/docs/html $(VENV_BIN)/pytest tests/docs

# The ansible-core lines, their Pythons and legs: tests/matrix.txt.
matrix:
	$(PYTHON) scripts/matrix.py $(MATRIX_ARGS)

# Every step runs even when an earlier one fails, so one run shows everything; the end is a table.
TEST_STEPS := lint build galaxy docs-check simulator-tests eda-tests chaos matrix

test:
	@start=$$(date +%s); summary=""; failed=0; \
	for step in $(TEST_STEPS); do \
	  t=$$(date +%s); \
	  if $(MAKE) --no-print-directory $$step; then result=passed; else result=FAILED; failed=1; fi; \
	  echo "make test: $$step $$result in $$(( $$(date +%s) - t )) s"; \
	  summary="$$summary$$(printf '%-16s %-7s %6s s' $$step $$result $$(( $$(date +%s) - t )))\n"; \
	done; \
	printf '\nmake test summary (the matrix legs: see its own table above)\n%b' "$$summary"; \
	echo "make test: $$( [ $$failed = 0 ] && echo 'all checks passed' || echo 'FAILED' ) in $$(( $$(date +%s) - start )) s"; \
	exit $$failed

# The inner loop: today's single leg on the default line.
test-fast:
	$(MAKE) lint
	$(MAKE) sanity
	$(MAKE) units
	$(MAKE) simulator-tests
	$(MAKE) integration
	$(MAKE) build
	@echo "make test-fast: all checks passed"

# Seeded random faults over many route/order/prolong runs (about 3 minutes); prints the seed to replay.
chaos: $(VENV_READY) stage
	ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_PY) tests/chaos/soak.py

# The concurrency and kill tests, RUNS times in a row (default 10), JOBS at once as in `make integration`;
# stops at the first failing round.
RUNS ?= 10
money-tests-repeat: $(VENV_READY) stage
	@for run in $$(seq $(RUNS)); do t=$$(date +%s); \
	  ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_BIN)/pytest -q -p no:cacheprovider -n $(JOBS) \
	    tests/integration/test_kill.py tests/integration/test_concurrency.py > build/money-tests-$$run.log 2>&1 \
	    || { tail -40 build/money-tests-$$run.log; echo "money-tests-repeat: round $$run of $(RUNS) FAILED"; exit 1; }; \
	  echo "money-tests-repeat: round $$run of $(RUNS): $$(tail -1 build/money-tests-$$run.log | tr -d =) ($$(( $$(date +%s) - t )) s)"; \
	done; echo "money-tests-repeat: $(RUNS) rounds in a row passed"

demo: $(VENV_READY) stage
	ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_PY) scripts/demo.py

simulator: $(VENV_READY)
	@echo "simulator: http://127.0.0.1:$(SIM_PORT) (default credentials, see docs/development.md); Ctrl-C stops it"
	PYTHONPATH=tests/simulator $(VENV_PY) -m zadarma_sim --host 127.0.0.1 --port $(SIM_PORT)

bench: $(VENV_READY) stage
	@if [ -f benchmarks/run.py ]; then \
	  ZADARMA_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV_PY) benchmarks/run.py; \
	else \
	  echo "bench: benchmarks/run.py does not exist yet"; \
	fi

clean:
	rm -rf build tests/output .pytest_cache benchmarks/results
	find . \( -path ./.venv -o -path ./.venvs \) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf .venv .venvs $(EDA_VENV)
