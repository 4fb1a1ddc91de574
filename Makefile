# Pathways: the two commands are `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers; CI machines have 2 cores.
WORKERS ?= 2

.PHONY: install demo serve test fuzz test-fast test-sqlite test-postgres test-browser lint format \
        typecheck bench lock clean system-deps help crash-test lrs

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the pinned dependencies (CLI: .venv/bin/pathways)

demo: install  ## migrate, load the demo district, serve on http://127.0.0.1:8000
	$(BIN)/pathways migrate
	$(BIN)/pathways demo load --keep
	@echo "Serving Pathways on http://$(HOST):$(PORT) (Ctrl-C to stop)"
	$(BIN)/pathways serve --host $(HOST) --port $(PORT)

system-deps:  ## install PostgreSQL and Chromium with apt when missing (tests need both)
	scripts/ensure-system-deps.sh

lrs:  ## the Ralph LRS in its own .venv-lrs (requirements-lrs.lock), for the xAPI LRS test
	PYTHON=$(PYTHON) scripts/ensure-lrs-venv.sh

test: install system-deps lrs  ## the whole suite: lint, types, layers, SQLite + browser, PostgreSQL
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Schemathesis runs apart: under --dist loadgroup xdist ran one of its per-operation cases, not all.
test-sqlite: install lrs  ## every test on SQLite, browser tests included
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup -p no:cacheprovider \
		--ignore=tests/api/test_schema_conformance.py
	$(BIN)/pytest -n $(WORKERS) -p no:cacheprovider tests/api/test_schema_conformance.py

test-postgres: install  ## database tests again on a throwaway PostgreSQL cluster
	scripts/with-postgres.sh $(BIN)/pytest -n $(WORKERS) -p no:cacheprovider \
		-m "not engine and not browser"

fuzz: install  ## property tests and schemathesis with fresh random draws, 25 examples, both databases
	PATHWAYS_FUZZ_EXAMPLES=25 $(BIN)/pytest -n $(WORKERS) -p no:cacheprovider -m "not browser" \
		tests/api/test_schema_conformance.py $$(grep -rl "@given" tests)
	PATHWAYS_FUZZ_EXAMPLES=25 scripts/with-postgres.sh $(BIN)/pytest -n $(WORKERS) -p no:cacheprovider \
		tests/api/test_schema_conformance.py

test-fast: install  ## engine and unit tests only, no browser, SQLite
	$(BIN)/pytest -n $(WORKERS) -m "not browser and not slow"

lint: install  ## ruff, mypy, import layers, migrations up to date
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pathways manage makemigrations --check --dry-run

format: install  ## apply ruff formatting and safe fixes
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install  ## benchmarks; results and commands go to BENCHMARKS.md
	scripts/run-benchmarks.sh

crash-test: install system-deps  ## SIGKILL the server 20 times mid-load, on SQLite then PostgreSQL
	$(BIN)/python scripts/crash_test.py --kills 20 --submissions 2000 --clients 8
	scripts/with-postgres.sh $(BIN)/python scripts/crash_test.py --kills 20 --submissions 2000 --clients 8

lock:  ## re-resolve dependencies from pyproject.toml into requirements.lock
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^pathways' > requirements.lock
	rm -rf .venv-lock

clean:  ## remove the virtual environment, caches and the local database
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts
