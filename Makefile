# One entry point for setup, the demo and the tests (used by README and .ci/run).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo test test-sqlite test-pg lint bench

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'

install: $(PY)
	$(PY) -m pip install -q -e '.[dev]'

demo: $(PY)
	$(VENV)/bin/otklik demo

# The whole suite runs twice: on SQLite (embedded default) and on PostgreSQL.
test: test-sqlite test-pg

test-sqlite: $(PY)
	$(PY) -m pytest

test-pg: $(PY)
	OTKLIK_TEST_PG=1 $(PY) -m pytest

lint: $(PY)
	$(VENV)/bin/ruff check src tests benchmarks

bench: $(PY)
	$(PY) benchmarks/run_all.py
