# Two commands do all the set-up on a fresh machine:
#   make tutorials   build .venv, install, execute every notebook, render HTML copies
#   make test        build .venv, install, run the test suite (what CI runs)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT := build/tutorials

# Local mirror of the downloadable corpora (CI puts ../shared beside the clone).
SHARED_DATA := $(abspath ../shared/datasets)
ifneq ($(wildcard $(SHARED_DATA)),)
export RNN_ZOO_DATA_DIR ?= $(SHARED_DATA)
endif
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONHASHSEED ?= 0

.PHONY: test tutorials lab sync venv lint clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

test: $(STAMP)
	$(BIN)/ruff check rnn_zoo tests benchmarks tools
	$(BIN)/python -m pytest -q -ra -n 2 --dist loadscope --no-loadscope-reorder --durations=15 --cov=rnn_zoo --cov-report=term-missing:skip-covered

# make tutorials [NB=03] [QUICK=1] [RECORD=1]: execute notebooks into build/tutorials/
# (+ HTML), print a summary table and write build/tutorials/summary.md. RECORD=1 (with
# the default parameters) writes the measured wall times into each notebook's
# "**Time:**" header and README's notebook table (tools/run_times.py).
tutorials: $(STAMP)
	$(BIN)/python tools/run_tutorials.py --out $(OUT) $(if $(NB),--only $(NB)) $(if $(QUICK),--quick)
	$(if $(and $(RECORD),$(if $(QUICK),,1)),$(BIN)/python tools/run_times.py $(OUT)/summary.md)

# Open the notebooks in JupyterLab (a .py source opens as a notebook via jupytext).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

# After editing notebooks/NN_topic.py, update its paired .ipynb (no outputs).
sync: $(STAMP)
	$(BIN)/jupytext --sync notebooks/[0-9][0-9]_*.py

lint: $(STAMP)
	$(BIN)/ruff check rnn_zoo tests benchmarks tools
	$(BIN)/ruff format --check rnn_zoo tests benchmarks tools

clean:
	rm -rf $(VENV) build .pytest_cache .coverage htmlcov
