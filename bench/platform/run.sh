#!/usr/bin/env bash
# Page and evidence latency on the demo data (SQLite), written to BENCHMARKS.md "## Platform pages".
set -euo pipefail
cd "$(dirname "$0")/../.."
workdir=$(mktemp -d /tmp/pathways-bench.XXXXXX)
trap 'rm -rf "$workdir"' EXIT
export PATHWAYS_VAR_DIR="$workdir" DATABASE_URL="" PATHWAYS_ALLOWED_HOSTS="testserver,127.0.0.1"
.venv/bin/pathways migrate >/dev/null
.venv/bin/pathways demo load >/dev/null
.venv/bin/python bench/platform/run.py "$@"
