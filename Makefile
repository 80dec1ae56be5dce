# Two commands do all the set-up on a fresh machine:
#   make tutorials   build .venv, install, execute every notebook, render HTML copies
#   make test        build .venv, install, run the test suite (what CI runs)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT := build/tutorials
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

# Local mirror of the downloadable corpora (CI puts ../shared beside the clone).
SHARED_DATA := $(abspath ../shared/datasets)
ifneq ($(wildcard $(SHARED_DATA)),)
export RNN_ZOO_DATA_DIR ?= $(SHARED_DATA)
endif
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONHASHSEED ?= 0

.PHONY: test tutorials venv lint clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

test: $(STAMP)
	$(BIN)/ruff check rnn_zoo tests benchmarks
	$(BIN)/python -m pytest -q -ra --cov=rnn_zoo --cov-report=term-missing:skip-covered

tutorials: $(STAMP)
	@set -e; \
	if [ -z "$(NOTEBOOKS)" ]; then \
	  echo "No notebooks yet (notebooks/NN_topic.ipynb): nothing to execute."; exit 0; fi; \
	mkdir -p $(OUT); \
	for nb in $(NOTEBOOKS); do \
	  echo "== $$nb"; \
	  $(BIN)/papermill "$$nb" "$(OUT)/$$(basename $$nb)" --cwd notebooks -k python3; \
	  $(BIN)/jupyter nbconvert --to html --log-level WARN "$(OUT)/$$(basename $$nb)"; \
	done; \
	echo "Rendered notebooks are in $(OUT)/"

lint: $(STAMP)
	$(BIN)/ruff check rnn_zoo tests benchmarks
	$(BIN)/ruff format --check rnn_zoo tests benchmarks

clean:
	rm -rf $(VENV) build .pytest_cache .coverage htmlcov
