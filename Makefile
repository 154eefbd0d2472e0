# Quick start: `make demo` validates and builds the example playbooks, `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PLAYBOOKS := $(wildcard playbooks/*/playbook.yaml)

.PHONY: demo test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/gtmgen validate $(PLAYBOOKS)
	@for playbook in $(PLAYBOOKS); do \
		$(BIN)/gtmgen build $$playbook --format md,docx,html,json,csv,ics || exit $$?; \
	done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check gtmgen tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
