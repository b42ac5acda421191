# Two commands do everything on a fresh machine with Python >= 3.11 and make:
#   make reproduce   verify the raw data, build processed data, run every notebook headlessly
#                    in Kazakh and English and rebuild the claims ledger (reports/kk, reports/en:
#                    data only), then build the reader's site (reports/index.html, reports/site)
#   make test        the test suite on 2 workers (every test not marked slow; browser tests)
#                    and `make test-slow`: the slow set (CI runs both, make test first)
# Both first create .venv from requirements.lock when it is missing or stale.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := kaztur
JOBS   ?=
# pytest-xdist workers of make test / test-slow; loadgroup keeps the tests that share a
# worker-bound fixture (the real run, the JupyterLab server) on one worker (tests/conftest.py)
TEST_WORKERS ?= 2
# Bytecode is cached (in __pycache__/, which git ignores) even where the environment sets
# PYTHONDONTWRITEBYTECODE: without it every test process, kaztur command and kernel
# compiles the library again, and pytest rewrites every test module again (measured: 6 % of
# make test's CPU).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

.PHONY: help reproduce test test-slow lab handouts lock data check refresh-notebooks lint bench timings clean-venv env exhibit-map readme-findings data-dictionary site

# `make help`: every target with the text after its `##`.
help:  ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

env: $(STAMP)  ## create .venv from requirements.lock (every target does this when needed)

# The lock is installed by uv, itself pinned with its hashes in the lock and installed first
# by pip: uv downloads and unpacks in parallel and compiles the bytecode on both cores
# (measured: the lock in 20 s against pip's 87 s; make env from nothing in about 27 s).
# When uv fails (an index only pip is configured for, say) pip installs the lock instead.
UV_PIN := $(VENV)/uv-requirement.txt
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
UV     := $(BIN)/uv pip install --quiet --python $(BIN)/python

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@awk '/^uv==/ {p = 1} p {print} p && !/\\$$/ {p = 0}' requirements.lock > $(UV_PIN)
	$(PIP) --require-hashes --no-deps -r $(UV_PIN)
	$(UV) --require-hashes --no-deps --compile-bytecode -r requirements.lock \
	  || $(PIP) --require-hashes --no-deps -r requirements.lock
	$(UV) --no-deps -e . || $(PIP) --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "kaztur-analysis (Python 3)" >/dev/null
	@touch $@

# `kaztur run` builds the ledger too and ends with one line: success, and how many
# contradictions the ledger found (every one of them with `kaztur run --verbose`).
reproduce: $(STAMP)  ## verify, build data/processed/, run every notebook in kk and en, ledger, site
	$(BIN)/kaztur verify
	$(BIN)/kaztur data
	$(BIN)/kaztur run $(if $(JOBS),--jobs $(JOBS),)
	$(BIN)/kaztur site

# The replication site (Kazakh and English), the one reader front end, from the run in
# reports/: reports/index.html and reports/site/. `kaztur run` writes data only and never
# builds it; `make reproduce` runs this after it. Skipped in a fraction of a second when
# nothing it shows changed; otherwise built in a staging folder and swapped in whole.
site: $(STAMP)  ## build the static site reports/site/ from the executed notebooks
	$(BIN)/kaztur site

# Every test not marked slow, 2 workers: the library, bad input, one interrupt per signal,
# one cold real run shared by the tests that need it (nbval's comparison of every notebook's
# stored outputs with it, the site, determinism of one notebook), JupyterLab and the site
# in Chromium. A test that hangs fails after 600 s with its name (pytest-timeout).
test: $(STAMP)  ## the test suite on 2 workers: every test not marked slow (browser tests too)
	$(PYTEST)

# The tests marked slow: extra interrupt seeds, a second full cold run compared byte for byte
# with the first, and papermill's command line on every notebook (each executed in a fresh
# ordinary kernel and compared with its stored outputs through nbval's items and
# sanitisers, and with the run's files byte for byte). CI runs it after make test, whose
# cold real run and warm fixture projects it takes when their inputs are unchanged
# (--reuse-kept-state, tests/shared.py); alone, it builds them itself. It collects only the
# modules that mark a test slow (collecting the whole suite cost each worker 4 s);
# tests/test_suite_infrastructure.py fails when this list and those modules differ.
SLOW_TESTS := tests/test_determinism.py tests/test_papermill.py tests/test_run_guards.py
test-slow: $(STAMP)  ## the slow set: extra seeds, a second cold run, papermill on every notebook
	$(PYTEST) -m slow --reuse-kept-state $(SLOW_TESTS)

# JupyterLab on notebooks/ (the teacher's copies: solutions collapsed).
lab: $(STAMP)  ## JupyterLab on notebooks/ with the project kernel
	$(BIN)/kaztur lab

# JupyterLab on the students' copies (no solutions) in reports/handouts/<lang>/; written when
# missing, then kept with the students' answers. HANDOUTS_LANG=en for English.
handouts: $(STAMP)  ## JupyterLab on the students' copies (HANDOUTS_LANG=en for English)
	$(BIN)/kaztur lab --handouts --lang $(or $(HANDOUTS_LANG),kk)

data: $(STAMP)  ## kaztur data: build data/processed/
	$(BIN)/kaztur data

check: $(STAMP)  ## kaztur check: the claims ledger
	$(BIN)/kaztur check

# Re-execute the committed notebooks in place so that their stored outputs
# (what nbval compares against) follow a deliberate change; review the diff.
refresh-notebooks: $(STAMP)  ## re-execute the committed notebooks in place (nbval expectations)
	$(BIN)/kaztur refresh-notebooks

lint: $(STAMP)  ## ruff, import contracts from the package tree, mypy, radon complexity, generated docs
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/python tools/lint_layers.py
	$(BIN)/mypy
	$(BIN)/python tools/lint_complexity.py --max 15
	$(BIN)/python -m analysis.run.exhibit_map --check
	$(BIN)/python -m analysis.run.readme_findings --check
	$(BIN)/python -m analysis.run.data_dictionary --check

# Rewrite the README's exhibit map from src/analysis/run/exhibit_map.yaml.
exhibit-map: $(STAMP)  ## rewrite the README's exhibit map from run/exhibit_map.yaml
	$(BIN)/python -m analysis.run.exhibit_map --write-readme

# Rewrite the README's findings block from the shipped data (the ledger and its findings).
readme-findings: $(STAMP)  ## rewrite the README's findings block (both languages) from the shipped data
	$(BIN)/python -m analysis.run.readme_findings --write-readme

# Rewrite docs/DATA_DICTIONARY.md from the schemas, the dataset declarations and the table specs.
data-dictionary: $(STAMP)  ## rewrite docs/DATA_DICTIONARY.md (every dataset and published table: columns, units, meaning)
	$(BIN)/python -m analysis.run.data_dictionary --write

bench: $(STAMP)  ## the pipeline benchmark (benchmarks/bench_pipeline.py)
	$(BIN)/python benchmarks/bench_pipeline.py

# README timings from a fresh clone of this checkout (run on a quiet machine).
timings:  ## the README's run times, from a fresh clone
	$(PYTHON) benchmarks/fresh_clone.py

# Regenerate the lock file from pyproject.toml (needs network access to PyPI).
lock: $(STAMP)  ## regenerate requirements.lock from pyproject.toml (needs PyPI)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean-venv:  ## remove .venv
	rm -rf $(VENV)
