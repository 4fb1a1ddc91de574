#!/usr/bin/env bash
# Evidence submissions at a constant 150/s against the production server (gunicorn), on SQLite
# then PostgreSQL, written to BENCHMARKS.md "## Evidence load".
# Run: bench/load/run.sh [--rate 150] [--seconds 30] [--workers 2]
set -euo pipefail
cd "$(dirname "$0")/../.."
workdir=$(mktemp -d /tmp/pathways-bench-load.XXXXXX)
trap 'rm -rf "$workdir"' EXIT
results="$workdir/results.jsonl"
status=0
DATABASE_URL="" .venv/bin/python bench/load/evidence_load.py --out "$results" "$@" || status=1
if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  scripts/with-postgres.sh .venv/bin/python bench/load/evidence_load.py --out "$results" "$@" \
    || status=1
fi
command="scripts/run-benchmarks.sh load"
if [ $# -gt 0 ]; then command="bench/load/run.sh $*"; fi
.venv/bin/python bench/load/evidence_load.py --report "$results" --command "$command"
exit $status
