# Jusoor: one entry point for people and CI. `make run` and `make test` are all you need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test e2e lint bench messages compilemessages schema check-schema db-stop clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

compilemessages: $(VENV)/.installed
	$(PY) bin/compile_messages.py

setup: $(VENV)/.installed node_modules/.installed compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_territories
	$(MANAGE) load_reference
	$(MANAGE) load_demo
	$(MANAGE) load_demo_organizations
	$(MANAGE) load_demo_campaigns
	$(MANAGE) load_demo_donations
	$(MANAGE) load_demo_programmes
	$(MANAGE) load_demo_calls
	$(MANAGE) load_demo_incubation
	$(MANAGE) load_demo_grants

## Serve the site with demo data on http://$(HOST):$(PORT) (a task worker runs beside it).
run: setup
	@trap 'kill 0' EXIT; \
	$(MANAGE) procrastinate worker --concurrency 2 > var/worker.log 2>&1 & \
	$(MANAGE) runserver $(HOST):$(PORT)

## The whole suite (unit, API and browser tests) on PostgreSQL.
test: $(VENV)/.installed node_modules/.installed compilemessages
	$(PY) -m pytest -n 2 --dist loadgroup

e2e: $(VENV)/.installed node_modules/.installed compilemessages
	$(PY) -m pytest e2e -p no:xdist

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy jusoor config
	$(MANAGE) makemigrations --check --dry-run
	$(PY) bin/compile_messages.py
	$(MAKE) check-schema

## Regenerate the committed OpenAPI schema.
schema: $(VENV)/.installed
	$(MANAGE) spectacular --lang en --file openapi/schema.yaml --validate --fail-on-warn

check-schema: $(VENV)/.installed
	mkdir -p var
	$(MANAGE) spectacular --lang en --file var/schema.generated.yaml --validate --fail-on-warn
	diff -u openapi/schema.yaml var/schema.generated.yaml && echo "OpenAPI schema matches openapi/schema.yaml"

## Update the translation catalogues from the code (then translate the new entries).
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l ar -l fr -l en --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var
	$(PY) bin/compile_messages.py

bench: setup
	$(PY) bench/run.py
	$(PY) bench/registry.py
	$(PY) bench/crowdfunding.py
	$(PY) bench/programmes.py

db-stop:
	$(PY) config/embedded_db.py stop

clean:
	rm -rf staticfiles var/schema.generated.yaml
