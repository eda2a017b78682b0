# imrkg developer commands. `make help` lists them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help venv demo test lint check-ontology bench goldens docs clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS=":.*## "} {printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install the pinned dependencies

demo: $(STAMP) ## determine, explain and check the seed case
	$(BIN)/imrkg demo

test: $(STAMP) ## the whole suite (unit, golden, properties, CLI, doctests, HermiT)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff format check and lint
	$(BIN)/ruff format --check reasoner tests benchmarks
	$(BIN)/ruff check reasoner tests benchmarks

check-ontology: $(STAMP) ## HermiT: ontology and seed case consistent, classes inferred
	$(BIN)/imrkg check-ontology data/cases/seed-cervical-ct.ttl

bench: $(STAMP) ## benchmarks: bulk engine vs pyshacl reference (prints figures)
	$(BIN)/python benchmarks/bench_determine.py

goldens: $(STAMP) ## rewrite the expected justification graphs (review the diff!)
	$(BIN)/python -m pytest tests/golden --update-goldens

docs: $(STAMP) ## regenerate docs/rulebook.md from the Turtle (a test checks it is current)
	$(BIN)/imrkg rules > docs/rulebook.md

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache
