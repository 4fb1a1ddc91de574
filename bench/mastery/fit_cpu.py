"""CPU seconds of one standard-BKT fit, engine and pyBKT side by side, one thread each.

A load-robust companion to the wall-clock table of ``compare.py``: on the shared 2-core machine
pyBKT's OpenMP threads spin while other work holds the cores (a 2 s fit took 69 s of wall clock
and 19 s of CPU at load average 7), which flatters any wall-clock ratio. Here pyBKT runs with
``OMP_NUM_THREADS=1`` (its compiled E-step, one thread, like the engine) and both report the
process CPU time of the timed fit (the same like-for-like span as ``compare.py``: pyBKT from its
DataFrame, the engine from the raw column values through ``ResponseLog.from_arrays``). Every
fit runs in a fresh process, alternating libraries fold by fold.

Usage: python fit_cpu.py RESULTS_DIR BENCH_PYTHON DATASET [DATASET ...] [--folds 3]
Prints one markdown row per dataset: median over folds of each library's CPU seconds and of the
per-fold ratio; also writes them, with the command and load average, to RESULTS_DIR/fit_cpu.md,
which ``compare.py`` adds to the BENCHMARKS.md section.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent


def fit(command: list[str], env: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        subprocess.run([*command, str(out)], check=True, env=env)
        return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("bench_python")
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    manifest = json.loads((args.results / "splits" / "manifest.json").read_text())
    load_start = os.getloadavg()[0]
    lines = [
        "| dataset | folds | engine CPU s | pyBKT CPU s (1 thread) | pyBKT / engine |",
        "|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    for dataset in args.datasets:
        ours, theirs, ratios = [], [], []
        for folder in manifest[dataset]["folds"][: args.folds]:
            mine = fit([sys.executable, str(HERE / "run_ours.py"), folder, "bkt"], env)
            peer = fit([args.bench_python, str(HERE / "run_pybkt.py"), folder, "bkt"], env)
            ours.append(mine["fit_cpu_seconds"])
            theirs.append(peer["fit_cpu_seconds"])
            ratios.append(theirs[-1] / ours[-1])
        lines.append(
            f"| {dataset} | {len(ours)} | {statistics.median(ours):.3f} | "
            f"{statistics.median(theirs):.2f} | {statistics.median(ratios):.1f}x |"
        )
        print(lines[-1], flush=True)
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join(["python bench/mastery/fit_cpu.py", *sys.argv[1:]])
    intro = (
        f"Load-robust check, one thread each (`{command}`, {today}, load average "
        f"{load_start:.1f} / {os.getloadavg()[0]:.1f} at start / end): CPU seconds of one "
        "standard-BKT fit in a fresh process, the same like-for-like span as above, pyBKT with "
        "`OMP_NUM_THREADS=1`; medians over the first folds."
    )
    (args.results / "fit_cpu.md").write_text(intro + "\n\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
