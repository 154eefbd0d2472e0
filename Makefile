# Quick start: `make demo` validates and builds the example playbooks, `make test` runs the checks.
# Both install exactly the versions in requirements.lock; `make lock` refreshes that file and
# `make test-latest` runs the suite against the newest versions pyproject.toml allows.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
LATEST := .venv-latest
TOOLS := .venv-tools
UV_VERSION := 0.13.9
PLAYBOOKS := $(wildcard playbooks/*/playbook.yaml)
PIP_QUIET := --quiet --disable-pip-version-check
# The tests never write into the user's home: caches of the libraries they load go here.
TEST_ENV := XDG_CACHE_HOME=$(CURDIR)/.cache MPLCONFIGDIR=$(CURDIR)/.cache/matplotlib \
	HYPOTHESIS_PROFILE=ci

CHECKERS := tests/checkers
.PHONY: demo test test-latest lint lock clean golden checkers

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every dependency at its locked version and hash, then gtmgen itself without dependencies,
# built by the locked hatchling (no build isolation, so nothing unlocked is fetched).
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_QUIET) --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install $(PIP_QUIET) --no-deps --no-build-isolation -e .
	touch $@

demo: $(VENV)/.installed
	$(BIN)/gtmgen validate $(PLAYBOOKS)
	@for playbook in $(PLAYBOOKS); do \
		$(BIN)/gtmgen build $$playbook --format md,docx,html,pptx,json,csv,ics || exit $$?; \
		if [ -f $$(dirname $$playbook)/results.csv ]; then \
			$(BIN)/gtmgen review $$playbook --format md,docx,html || exit $$?; \
		fi; \
	done

lint: $(VENV)/.installed
	$(BIN)/ruff check gtmgen tests benchmarks
	$(BIN)/mypy

test: lint checkers
	$(TEST_ENV) $(BIN)/pytest

# The checkers an auditor runs on the documents (axe-core, the Nu HTML Checker, markdownlint),
# at the versions and hashes of tests/checkers/package-lock.json. Without npm their tests skip,
# each with its reason.
checkers:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(CHECKERS)/node_modules/.installed; \
	else echo "npm is not installed: the accessibility checkers' tests will be skipped"; fi

$(CHECKERS)/node_modules/.installed: $(CHECKERS)/package-lock.json
	npm ci --prefix $(CHECKERS) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# After a change to the documents: rebuild tests/golden/crumb from the example and print the
# diff, to read before committing the goldens with the change.
golden: $(VENV)/.installed
	$(TEST_ENV) $(BIN)/python -m tests.update_golden

# Not part of CI: a fresh venv with the newest releases pyproject.toml admits, then the whole
# suite, so that a new release that breaks gtmgen is found here before a user finds it.
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/pip install $(PIP_QUIET) --upgrade pip
	$(LATEST)/bin/pip install $(PIP_QUIET) --upgrade --upgrade-strategy eager -e '.[test]' --group build
	$(LATEST)/bin/pip freeze --exclude-editable
	$(LATEST)/bin/ruff check gtmgen tests benchmarks
	$(LATEST)/bin/mypy
	$(TEST_ENV) $(LATEST)/bin/pytest

# Refresh the lock: newest versions pyproject.toml allows, for every platform, Python 3.11 up.
$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install $(PIP_QUIET) uv==$(UV_VERSION)

lock: | $(TOOLS)/bin/uv
	$(TOOLS)/bin/uv pip compile pyproject.toml --extra test --extra pdf --extra serve --group pyproject.toml:build \
		--upgrade --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command 'make lock' --output-file $(LOCK)

clean:
	rm -rf $(VENV) $(LATEST) $(TOOLS) .cache build dist .pytest_cache .mypy_cache .ruff_cache \
		.hypothesis $(CHECKERS)/node_modules
