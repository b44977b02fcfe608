# Harbour: `make run` starts the demo council; `make test` runs every check CI runs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck frontend install demo benchmark clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(BIN)/.installed

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

clean:
	rm -rf $(VENV) node_modules static/dist static/vendor staticfiles db.sqlite3
