# Harbour: `make run` starts the demo council; `make test` runs every check CI runs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck frontend install validator demo benchmark clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# csc-validator-be-903 pins old pandas and numpy, so it lives in its own environment and Harbour
# calls it as a subprocess (docs/adr/0011-ssda903-validator-in-its-own-environment.md).
VALIDATOR_VENV := .validator-venv
$(VALIDATOR_VENV)/.installed:
	$(PYTHON) -m venv $(VALIDATOR_VENV)
	$(VALIDATOR_VENV)/bin/pip install --quiet --disable-pip-version-check 'csc-validator-be-903==0.1.17'
	touch $@

validator: $(VALIDATOR_VENV)/.installed

install: $(BIN)/.installed $(VALIDATOR_VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/.built: node_modules/.installed $(shell find frontend -type f 2>/dev/null)
	npm run --silent build
	touch $@

frontend: static/dist/.built

run: install frontend
	$(BIN)/harbour migrate --noinput
	$(BIN)/harbour demo --if-empty
	@echo "Harbour is at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	@# A task worker runs beside the server for long jobs (the SSDA903 return); it stops with the server.
	$(BIN)/harbour db_worker --no-reload --skip-checks & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/harbour runserver $(HOST):$(PORT) --noreload --skip-checks

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/harbour makemigrations --check --dry-run --settings=config.settings.test

typecheck: install
	$(BIN)/mypy

# The suite runs on SQLite always, and again on PostgreSQL when DATABASE_URL points at a server.
# The browser tests run in the SQLite pass; HARBOUR_REQUIRE_BROWSER=1 makes a missing Chromium fail.
test: install frontend lint typecheck
	DJANGO_SETTINGS_MODULE=config.settings.production HARBOUR_SECRET_KEY=check-deploy-$$RANDOM$$RANDOM-0123456789-abcdefghijklmnopqrstuvwxyz \
	  HARBOUR_ALLOWED_HOSTS=harbour.example.org $(BIN)/harbour check --deploy --fail-level WARNING
	env -u DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "PostgreSQL pass against $${DATABASE_URL%%@*}@…"; \
	  $(BIN)/pytest -q -m "not browser"; \
	else echo "DATABASE_URL is not set: the PostgreSQL pass was skipped"; fi

benchmark: install
	$(BIN)/python benchmarks/pages.py
	$(BIN)/python benchmarks/forecast.py
	$(BIN)/python benchmarks/ssda903.py
	$(BIN)/python benchmarks/performance.py

clean:
	rm -rf $(VENV) $(VALIDATOR_VENV) node_modules static/dist static/vendor staticfiles db.sqlite3
