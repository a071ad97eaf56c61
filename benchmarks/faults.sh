#!/usr/bin/env bash
# `make bench-faults`: the fault benchmark of issue #12 on SQLite and on a throwaway
# PostgreSQL (started as CI starts it, removed on exit). BENCH_SCALE=small for the quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/pg.sh
source .ci/pg.sh
# The outage of the PostgreSQL run, called by benchmarks/faults.py. Stopped `immediate`,
# as a crashed server stops; started again with `restart`, which reuses the options pg.sh
# gave the server (postmaster.opts: its socket directory among them), where `start` would
# fall back to the defaults.
pg_down() { pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null; }
pg_up() { pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w restart >/dev/null 2>&1; }
export -f pg_run pg_down pg_up
export pg_bin pg_dir
.venv/bin/python -m benchmarks.faults
