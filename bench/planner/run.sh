#!/usr/bin/env bash
# Path planner: simulated students against every policy and the oracle, plus the latency of
# `pathways plan serve` for 2,000 students, and the same targets checked on seeds 1-5 (judged on)
# and 6-10 (held out), 100 students each.
# Writes the "## Path planner" section of BENCHMARKS.md.
# Options (environment): PLANNER_STUDENTS (default 200), PLANNER_SEED (default 0),
# PLANNER_COMMAND (the command quoted in BENCHMARKS.md, default "make bench").
set -euo pipefail
cd "$(dirname "$0")/../.."
.venv/bin/python bench/planner/run.py \
  --students "${PLANNER_STUDENTS:-200}" --seed "${PLANNER_SEED:-0}" \
  --command "${PLANNER_COMMAND:-make bench}"
