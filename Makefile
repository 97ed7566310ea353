# TIKet: the two commands of the README, and the tools behind them.
# Any Python 3.11-3.13 found on the machine runs the local stack and the tests (pyenv shims
# for versions not selected fail the check and are skipped). The Lambda package is compiled
# by the runtime's own version (tools/pythons.py finds it).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[123].*/bin/python3); do \
	$$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && { command -v $$p; break; }; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
STAGE  ?= dev

.PHONY: run test lint format unit integration browser artifact package deploy destroy rollback bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11, 3.12 or 3.13 is needed (none found)"; exit 1; }
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

## make package [STAGE=prod] [ARCH=x86_64]: the Lambda zip in build/, path and size printed (no AWS)
package: $(STAMP)
	$(BIN)/python tools/package.py --stage $(STAGE) $(if $(ARCH),--arch $(ARCH))

## make deploy STAGE=prod: everything, from stages/$(STAGE).json (docs/deploy.md); run it again: no change
deploy: $(STAMP)
	$(BIN)/python -m tools.deploy deploy $(STAGE)

## make destroy STAGE=scratch [DELETE_DATA=1]: remove a scratch stage (its data stays unless asked)
destroy: $(STAMP)
	$(BIN)/python -m tools.deploy destroy $(STAGE) $(if $(DELETE_DATA),--delete-data)

## make rollback STAGE=prod: back to the previous release (code; configuration as deployed)
rollback: $(STAMP)
	$(BIN)/python -m tools.deploy rollback $(STAGE)

## make artifact: build the package and run it as Lambda would (tests/artifact)
artifact: $(STAMP)
	$(BIN)/pytest -m artifact tests/artifact

clean:
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis
