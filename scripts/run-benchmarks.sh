#!/usr/bin/env bash
# `make bench`: run every benchmark under bench/<name>/run.sh (each writes its own BENCHMARKS.md section).
# Run one: scripts/run-benchmarks.sh mastery
set -euo pipefail
cd "$(dirname "$0")/.."
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for script in bench/*/run.sh; do names+=("$(basename "$(dirname "$script")")"); done
fi
for name in "${names[@]}"; do
  echo "== bench/$name ==" >&2
  bash "bench/$name/run.sh"
done
