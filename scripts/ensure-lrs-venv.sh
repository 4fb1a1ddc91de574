#!/usr/bin/env bash
# Create .venv-lrs with the Ralph LRS (pinned in requirements-lrs.lock) when it is missing or the
# lock changed. Ralph lives in its own virtualenv: its dependencies clash with ours. When it
# cannot be installed (no network, no PyPI), say why and leave no half-made venv behind: the xAPI
# integration test then skips, naming this script and the reason.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV=.venv-lrs
STAMP="$VENV/.installed"
LOG="${TMPDIR:-/tmp}/pathways-venv-lrs.log"
if [ -f "$STAMP" ] && [ "$STAMP" -nt requirements-lrs.lock ] && [ -x "$VENV/bin/ralph" ]; then
  exit 0
fi
echo "Installing the Ralph LRS into $VENV (for the xAPI integration test)..." >&2
rm -rf "$VENV"
if "$PYTHON" -m venv "$VENV" >"$LOG" 2>&1 \
  && "$VENV/bin/python" -m pip install --quiet --upgrade pip >>"$LOG" 2>&1 \
  && "$VENV/bin/python" -m pip install --quiet -r requirements-lrs.lock >>"$LOG" 2>&1 \
  && "$VENV/bin/ralph" --version >>"$LOG" 2>&1; then
  touch "$STAMP"
  rm -f "$LOG"
  exit 0
fi
echo "warning: could not install the Ralph LRS into $VENV (see $LOG); the xAPI LRS test will skip" >&2
rm -rf "$VENV"
exit 0
