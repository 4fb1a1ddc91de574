#!/usr/bin/env bash
# Mastery engine vs pyBKT on the real logs in /work/shared/data/kt, plus the 10M-row scale check.
# Writes the "## Mastery engine" section of BENCHMARKS.md.
#
# pyBKT lives in its own venv (.venv-bench) with its COMPILED backend: it builds only against
# numpy<2 / scikit-learn<1.6, while the engine needs numpy>=2, so the engine runs from the main
# .venv and pyBKT from .venv-bench, each fit in its own process, on the same split files.
# Options (environment): MASTERY_FOLDS (default 5), MASTERY_ONLY="statics2011 ..." (subset),
# MASTERY_FRESH=1 (recompute everything instead of reusing bench/.results/mastery),
# MASTERY_SKIP_SCALE=1 (no 10M-row scale check), MASTERY_REPEATS=N (each standard BKT fit of both
# libraries N times per fold, median reported; default 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=.venv-bench
RESULTS=bench/.results/mastery
if ! "$VENV/bin/python" -c "import pyBKT.fit.E_step" 2>/dev/null; then
  echo "creating $VENV with pyBKT's compiled backend" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet "numpy<2" "pandas<2.3" "scikit-learn<1.6" wheel
  "$VENV/bin/pip" install --quiet --no-build-isolation --no-binary pyBKT pyBKT
fi
if ! "$VENV/bin/python" -c "import pyBKT.fit.E_step"; then
  echo "error: pyBKT's compiled backend (pyBKT.fit.E_step) is missing: refusing to compare" \
       "against the slow pure-Python fallback" >&2
  exit 1
fi
if [ "${MASTERY_FRESH:-0}" = 1 ]; then rm -rf "$RESULTS"; fi
mkdir -p "$RESULTS"
args=("$RESULTS" "$VENV/bin/python" --folds "${MASTERY_FOLDS:-5}" --command "${MASTERY_COMMAND:-make bench}"
      --repeats "${MASTERY_REPEATS:-1}")
if [ "${MASTERY_SKIP_SCALE:-0}" = 1 ]; then args+=(--skip-scale); fi
if [ -n "${MASTERY_ONLY:-}" ]; then
  # shellcheck disable=SC2206
  only=($MASTERY_ONLY)
  args+=(--only "${only[@]}")
fi
.venv/bin/python bench/mastery/compare.py "${args[@]}"
