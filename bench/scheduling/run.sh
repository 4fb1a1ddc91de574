#!/usr/bin/env bash
# Scheduler: gap to the LP bound at 10 s and 60 s for generated 200, 1,000 and 5,000-student
# schools. Writes the "## Scheduler" section of BENCHMARKS.md.
# Options (environment): SCHEDULER_FRESH=1 (recompute instead of reusing bench/.results/scheduling),
# SCHEDULER_SIZES="200 1000" (subset), SCHEDULER_LIMITS="10 60".
set -euo pipefail
cd "$(dirname "$0")/../.."
RESULTS=bench/.results/scheduling
args=("$RESULTS" --sizes ${SCHEDULER_SIZES:-200 1000 5000} --limits ${SCHEDULER_LIMITS:-10 60}
      --command "${SCHEDULER_COMMAND:-make bench}")
if [ "${SCHEDULER_FRESH:-1}" = 1 ]; then args+=(--fresh); fi
.venv/bin/python bench/scheduling/scheduler_gap.py "${args[@]}"
