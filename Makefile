# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app locator
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
THREADS ?= 4

.PHONY: run test lint serve demo-data gazetteer translations bench audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

## make translations: compile the Spanish catalogue (build output, not committed)
translations: $(VENV)/.runtime
	$(BIN)/python -m locator.catalogue compile

## make run: a served locator with the demonstration data on http://127.0.0.1:5000
run: translations
	$(FLASK) init-db
	$(FLASK) import-providers data/providers.csv --source demo --if-empty
	$(FLASK) import-bridges data/bridges.csv --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

## make test: lint and the whole test suite
test: $(VENV)/.dev translations
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## make audit: known vulnerabilities of the pinned dependencies (scripts/audit_dependencies.py)
audit: $(VENV)/.dev
	$(BIN)/python scripts/audit_dependencies.py requirements-dev.txt

lint: $(VENV)/.dev
	$(BIN)/ruff check .

## make serve: production-style serving with gunicorn (gunicorn.conf.py; WORKERS and THREADS from the environment)
serve: translations
	$(FLASK) init-db
	$(FLASK) import-providers data/providers.csv --source demo --if-empty
	$(FLASK) import-bridges data/bridges.csv --if-empty
	WORKERS=$(WORKERS) THREADS=$(THREADS) $(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) "locator:create_app()"

demo-data: $(VENV)/.runtime
	$(BIN)/python scripts/make_demo_data.py

gazetteer: $(VENV)/.runtime
	$(BIN)/python scripts/build_gazetteer.py

bench: $(VENV)/.dev
	$(BIN)/python bench/geocode_bench.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
