# Set-up and checks. `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck check factors bench bench-dashboard load audit clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tracker demo

test: $(STAMP)
	$(BIN)/ruff check tracker dashboards factors tests migrations
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check tracker dashboards factors tests migrations
	$(BIN)/ruff format --check tracker dashboards factors tests

typecheck: $(STAMP)
	$(BIN)/mypy

# Rebuild the shipped factor tables from the publishers' files in ../shared/data/factors.
factors: $(STAMP)
	$(BIN)/python -m factors.build.all

# Benchmarks (not tests; see docs/benchmarks.md). Each keeps its own key in
# bench/results.json and has its own arguments. Import: 1M-row CSV and 200k-row .xlsx
# against a reader + driver baseline (bench/import_bench.py; BENCH_ARGS="--rows 100000").
# Reclassification of 1M stored lines after a rule change (bench/reclassify_bench.py;
# RECLASSIFY_ARGS="--rows 100000"). Report: the workbook of a 200,000-line inventory
# against openpyxl writing plain rows (bench/report_bench.py; REPORT_BENCH_ARGS="--lines
# 20000"). Inventories of 400 authorities x 10 years (bench/inventory_bench.py;
# INVENTORY_BENCH_ARGS="--authorities 40"). One authority's 1M lines costed as sets against
# a bare join-multiply-group-by, and storing its line rows alone (bench/inventory_sets.py;
# storing and classifying the lines takes 5-10 minutes a database;
# INVENTORY_SETS_ARGS="--rows 100000"). The dashboard's own query functions on plain and
# partitioned PostgreSQL tables (bench/scale_bench.py; 1M lines here, 10M with
# SCALE_BENCH_ARGS="--rows 10000000"). Classification precision on the hand-labelled set
# against the real files in ../shared (bench/classification_eval.py; skipped without them).
# How often the review's top suggestion is acceptable per score band, on the same labelled
# set (bench/suggestion_eval.py; skipped without ../shared). Payments linked to contracts on
# the real contract and spend files (bench/contract_linking.py; skipped without ../shared).
INVENTORY_BENCH_ARGS ?=
INVENTORY_SETS_ARGS ?= --rows 1000000 --no-per-line --no-parts --line-write
SCALE_BENCH_ARGS ?= --rows 1000000
bench: $(STAMP)
	$(BIN)/python -m bench.import_bench $(BENCH_ARGS)
	$(BIN)/python -m bench.reclassify_bench $(RECLASSIFY_ARGS)
	$(BIN)/python -m bench.report_bench $(REPORT_BENCH_ARGS)
	$(BIN)/python -m bench.inventory_bench $(INVENTORY_BENCH_ARGS)
	$(BIN)/python -m bench.inventory_sets $(INVENTORY_SETS_ARGS)
	$(BIN)/python -m bench.scale_bench $(SCALE_BENCH_ARGS)
	$(BIN)/python -m bench.classification_eval $(EVAL_BENCH_ARGS)
	$(BIN)/python -m bench.suggestion_eval
	$(BIN)/python -m bench.contract_linking

# Compare, collaboration and authority-page queries and callbacks at 400 authorities ×
# 10 years × 100 categories (builds its own databases; 4–6 minutes, so not in `bench`).
# See bench/dashboard_bench.py and docs/benchmarks.md.
bench-dashboard: $(STAMP)
	$(BIN)/python -m bench.dashboard_bench $(BENCH_ARGS)

# 50 simulated users browsing the dashboard served by `tracker serve` (gunicorn) on
# loopback, on SQLite and PostgreSQL: p50/p95 latency and errors. See bench/load_bench.py.
# Quick run: make load LOAD_ARGS="--users 10 --duration 20".
load: $(STAMP)
	$(BIN)/python -m bench.load_bench $(LOAD_ARGS)

# Known vulnerabilities in the installed dependencies (needs network access to PyPI/OSV).
# --strict fails when a package could not be audited, so an offline run never passes.
audit: $(STAMP)
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
