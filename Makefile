# attendance-reports — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared/data
JOBS   ?= 2
# test workers: a third fills the cores while browser and Quarto tests wait on Chromium and Quarto
TEST_JOBS ?= 3
# Quarto runs the templates' Python cells in QUARTO_PYTHON: this project's .venv, for every
# target (`make site` with engine auto, the Quarto tests, `make quarto-check`).
export QUARTO_PYTHON := $(CURDIR)/$(BIN)/python

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the package with pinned dependencies (Jupyter for Quarto included)

quarto-check: $(STAMP) ## Say in one line whether Quarto can render the reports, or what is missing
	@$(BIN)/python -m attendance_reports.render.engines.quarto

site: $(STAMP) ## Set up (first time) and build the website from data/ into _site/
	$(BIN)/attendance-reports build --config site.yml --out _site --jobs $(JOBS)

test: $(STAMP) ## Set up everything and run the whole test suite (browser tests included)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile -q

corpus: $(STAMP) ## Build a site from every shared DfE file, alone and with data/ (slow; prints its time)
	@start=$$(date +%s); \
	$(BIN)/python -m pytest -n $(JOBS) -q -m corpus tests/test_corpus.py; status=$$?; \
	echo "make corpus: $$(( $$(date +%s) - start )) s"; exit $$status

golden: $(STAMP) ## Rewrite tests/golden/ from today's build (then review `git diff tests/golden`)
	ATTENDANCE_REPORTS_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -n 0 tests/test_golden_site.py

test-engines: $(STAMP) ## Compare the pandoc and Quarto sites in Chromium (set ATTENDANCE_REPORTS_ENGINE_LA=873 ... for a whole LA: tests/browser/engine_site.py)
	$(BIN)/python -m pytest -n $(JOBS) -q tests/browser/test_quarto_site.py

lint: $(STAMP) ## Check formatting and lint with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

sample-data: $(STAMP) ## Regenerate data/ (the bundled extract) from $(SHARED)
	$(BIN)/python scripts/make_sample_data.py --shared $(SHARED) --out data

bench: $(STAMP) ## Benchmarks on the full DfE files: indicators, page cost, national build
	$(BIN)/python benchmarks/bench_indicators.py --shared $(SHARED)
	$(BIN)/python benchmarks/bench_site.py --shared $(SHARED) --jobs $(JOBS)

clean: ## Remove build output (keeps .venv)
	rm -rf _build _site _quarto_site .quarto .pytest_cache reports/*_files

.PHONY: help install quarto-check site test corpus golden test-engines lint format sample-data bench clean
