#!/usr/bin/env bash
# Access-log queries over a million rows (SQLite, then PostgreSQL when available), written to
# BENCHMARKS.md "## Access log". Run: bench/security/run.sh [--rows N]
set -euo pipefail
cd "$(dirname "$0")/../.."
workdir=$(mktemp -d /tmp/pathways-bench-audit.XXXXXX)
trap 'rm -rf "$workdir"' EXIT
export PATHWAYS_VAR_DIR="$workdir" DATABASE_URL="" PATHWAYS_ALLOWED_HOSTS="testserver,127.0.0.1"
.venv/bin/pathways migrate >/dev/null
.venv/bin/python bench/security/audit_queries.py --label sqlite "$@"
if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  scripts/with-postgres.sh bash -c '.venv/bin/python bench/security/audit_queries.py --create-database \
    && .venv/bin/pathways migrate >/dev/null \
    && .venv/bin/python bench/security/audit_queries.py --label postgresql '"$*"
fi
