# gutbrain: `make run` serves the app with a demo clinic, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-browser lint format check messages migrate knowledge-base demo clean chromium

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

messages: $(STAMP)
	$(MANAGE) compilemessages --ignore=.venv -v 0

migrate: install messages
	$(MANAGE) migrate --no-input -v 0

# Loads the knowledge base into an empty database; leaves an existing one alone so that
# curators' edits are never overwritten by a restart.
knowledge-base: migrate
	$(MANAGE) load_knowledge_base

demo: knowledge-base
	$(MANAGE) seed_demo

STATIC_SOURCES := $(shell find static -type f 2>/dev/null)

var/static/staticfiles.json: $(STAMP) $(STATIC_SOURCES)
	$(MANAGE) collectstatic --no-input --clear -v 0

run: demo var/static/staticfiles.json
	@echo "Serving gutbrain on http://$(HOST):$(PORT)/"
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install messages chromium
	$(BIN)/pytest -q -n 2

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/static
