#!/usr/bin/env bash
# OneRoster import of a synthetic district (30,000 students, 1,500 staff, 156,000 enrollments)
# into a fresh SQLite database and a throwaway PostgreSQL cluster; each run imports twice (the
# second import must change nothing). Writes the "## Rostering import" section of BENCHMARKS.md.
# Options (environment): ROSTER_STUDENTS, ROSTER_STAFF, ROSTER_SKIP_POSTGRES=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
RESULTS=bench/.results/rostering
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
.venv/bin/python bench/rostering/generate.py "$RESULTS/set" \
  --students "${ROSTER_STUDENTS:-30000}" --staff "${ROSTER_STAFF:-1500}"
PATHWAYS_VAR_DIR="$RESULTS/sqlite" DATABASE_URL="" \
  .venv/bin/python bench/rostering/run_import.py "$RESULTS/set" --repeat > "$RESULTS/sqlite.json"
if [ "${ROSTER_SKIP_POSTGRES:-0}" != 1 ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  scripts/with-postgres.sh bash -c '
    createdb -h "${DATABASE_URL##*host=}" -U postgres pathways
    .venv/bin/python bench/rostering/run_import.py "$0/set" --repeat > "$0/postgresql.json"
  ' "$RESULTS"
fi
.venv/bin/python bench/rostering/report.py "$RESULTS"
