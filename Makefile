# gutbrain: `make run` serves the app with a demo clinic, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-browser lint format check messages migrate knowledge-base demo clean chromium \
	redis-server haproxy cluster cluster-stop audit backup restore

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
	$(MANAGE) seed_demo --url http://$(HOST):$(PORT)/

STATIC_SOURCES := $(shell find static -type f 2>/dev/null)

var/static/staticfiles.json: $(STAMP) $(STATIC_SOURCES)
	$(MANAGE) collectstatic --no-input --clear -v 0

# `make run PORT=8080` (and HOST=…) serves elsewhere; the URLs printed follow.
run: demo var/static/staticfiles.json
	@echo "Serving gutbrain on http://$(HOST):$(PORT)/ (stop it with Ctrl-C)"
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# The shared cache's tests (tests/redis_server.py) start a redis-server of their own.
redis-server:
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)

# The load balancer of `make cluster` and `make bench-cluster`.
haproxy:
	@command -v haproxy >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null)

# The app on several servers on this machine (issue #15): PostgreSQL under var/cluster/,
# Redis, moto's S3 server, two gunicorn nodes and HAProxy in front on
# http://127.0.0.1:8800/ (CLUSTER_PORT=… moves it and the next four ports); prints the demo
# logins. `make cluster-stop` ends what it started, by its PID files; the database stays.
cluster: install messages redis-server haproxy var/static/staticfiles.json
	benchmarks/cluster.sh start

cluster-stop:
	benchmarks/cluster.sh stop

# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE):
# otherwise every worker compiles, and pytest rewrites, every module on every run.
# Work stealing keeps both workers busy to the end (the role matrix's tests are long).
test: install messages chromium redis-server
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -q -n 2 --dist worksteal --durations=15

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Fails on any known vulnerability of the installed pins; the summary names the packages
# pip-audit could not look up rather than passing over them.
audit: install
	@mkdir -p var
	$(BIN)/pip-audit --skip-editable --progress-spinner off --format json \
		--output var/pip-audit.json; status=$$?; \
		$(BIN)/python .ci/audit_summary.py var/pip-audit.json; exit $$status

# One archive of every record and stored PDF: `make backup [OUTPUT=path.tar.gz]`,
# `make restore ARCHIVE=path.tar.gz` (into an empty database; see `manage.py restore -h`).
backup: migrate
	$(MANAGE) backup $(if $(OUTPUT),--output $(OUTPUT))

restore: migrate
	@test -n "$(ARCHIVE)" || (echo "Usage: make restore ARCHIVE=path/to/backup.tar.gz" >&2; exit 2)
	$(MANAGE) restore $(ARCHIVE)

clean:
	rm -rf $(VENV) var/static

# The performance figures of the README (issue #5) against a throwaway PostgreSQL and
# gunicorn; prints a table and writes var/bench/results.json. `make bench-small` (or
# BENCH_SCALE=small make bench) is the two-minute run with 10,000 clients.
.PHONY: bench bench-small
bench: install messages $(VENV)/.bench-installed
	BENCH_SCALE=$${BENCH_SCALE:-full} benchmarks/run.sh

$(VENV)/.bench-installed: pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

bench-small:
	BENCH_SCALE=small $(MAKE) bench

# Issue #12's fault benchmark: writes through the API while gunicorn workers are killed, on
# SQLite and on a throwaway PostgreSQL that is then stopped under load; prints a table and
# merges its figures into var/bench/results.json. BENCH_SCALE=small for the 3-minute run.
.PHONY: bench-faults
bench-faults: install messages
	BENCH_SCALE=$${BENCH_SCALE:-full} benchmarks/faults.sh

# Issue #15's cluster benchmark: HAProxy, gunicorn nodes, Redis and moto's S3 server on a
# throwaway PostgreSQL; one node's process group SIGKILLed under load and started again,
# the requests per second of two nodes against one, no write lost, one burst limit over
# both nodes. Prints a table and merges its figures into var/bench/results.json.
# BENCH_SCALE=small for the run of under four minutes.
.PHONY: bench-cluster
bench-cluster: install messages $(VENV)/.bench-installed redis-server haproxy
	BENCH_SCALE=$${BENCH_SCALE:-full} bash -c 'source .ci/pg.sh && $(BIN)/python -m benchmarks.cluster'
