#!/usr/bin/env bash
# `make bench`: a throwaway PostgreSQL (started as CI starts it, removed on exit), then
# every measurement against it. BENCH_SCALE=small for the quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/pg.sh
source .ci/pg.sh
export DJANGO_SETTINGS_MODULE=benchmarks.settings
.venv/bin/python -m benchmarks.run
