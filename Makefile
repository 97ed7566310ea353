# TIKet: the two commands of the README, and the tools behind them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

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
	$(BIN)/ruff check functions tests bench
	$(BIN)/ruff format --check functions tests bench
	$(BIN)/bandit -q -c pyproject.toml -r functions

format: $(STAMP)
	$(BIN)/ruff check --fix functions tests bench
	$(BIN)/ruff format functions tests bench

unit: $(STAMP)
	$(BIN)/pytest tests/unit

clean:
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis
