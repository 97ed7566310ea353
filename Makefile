# TIKet: the two commands of the README, and the tools behind them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
STAGE  ?= dev

.PHONY: run test lint format unit integration browser artifact package bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## make run: the local stack on http://127.0.0.1:$${PORT:-8000} (Ctrl-C stops it)
run: $(STAMP)
	$(BIN)/tiket run

## make test: lint, static checks, and the whole pytest suite (browser and artifact tests too)
test: $(STAMP) lint
	$(BIN)/pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check functions tests bench tools
	$(BIN)/ruff format --check functions tests bench tools
	$(BIN)/bandit -q -c pyproject.toml -r functions
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix functions tests bench tools
	$(BIN)/ruff format functions tests bench tools

unit: $(STAMP)
	$(BIN)/pytest tests/unit

## make package [STAGE=prod]: the Lambda zip in build/, its path and size printed (no AWS needed)
package:
	$(PYTHON) tools/package.py --stage $(STAGE)

## make artifact: build the package and run it as Lambda would (tests/artifact)
artifact: $(STAMP)
	$(BIN)/pytest -m artifact tests/artifact

clean:
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis
