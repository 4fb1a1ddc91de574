"""Run both libraries on every split, then write the table into BENCHMARKS.md.

Called by run.sh with the main venv's Python; pyBKT runs in a subprocess with the bench venv's
Python (it needs numpy < 2, the engine needs numpy >= 2). Every fit runs in its own process, so
peak memory is per fit.

Usage: python compare.py RESULTS_DIR BENCH_PYTHON [--folds 5] [--only NAME ...] [--skip-scale]
                         [--repeats N]   (standard BKT fits, both libraries: median of N per fold)
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from pathways.engines.tracing import score_all

HERE = Path(__file__).parent
OURS = ["bkt", "bkt-forgets", "logistic"]
PYBKT = ["bkt", "bkt-forgets"]


def labels(split: Path) -> np.ndarray:
    with (split / "test.csv").open() as handle:
        return np.array([int(r["correct"]) for r in csv.DictReader(handle)], dtype=np.int8)


def run(cmd: list[str], out: Path) -> dict:
    if not out.exists():
        started = time.perf_counter()
        subprocess.run(cmd, check=True)
        print(f"  {out}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("bench_python")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--command", default="make bench")
    parser.add_argument("--repeats", type=int, default=1, help="BKT fits per fold (median)")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite BENCHMARKS.md from summary.json"
    )
    args = parser.parse_args()
    if args.report_only:
        path = args.results / "summary.json"
        summary = json.loads(path.read_text())
        written = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC)
        date = summary.get("date") or written.strftime("%Y-%m-%d %H:%M UTC")
        args.repeats = summary.get("repeats", args.repeats)
        write_section(summary["table"], summary["scale"], args, date, summary.get("load"))
        return
    splits = args.results / "splits"
    prepare = [sys.executable, str(HERE / "prepare.py"), str(splits), "--folds", str(args.folds)]
    if args.only:
        prepare += ["--only", *args.only]
    if not (splits / "manifest.json").exists():
        subprocess.run(prepare, check=True)
    manifest = json.loads((splits / "manifest.json").read_text())
    load_start = os.getloadavg()[0]
    table = {}
    for dataset, info in manifest.items():
        if args.only and dataset not in args.only:
            continue
        print(f"== {dataset}", file=sys.stderr)
        rows: dict[str, dict[str, list[float]]] = {}
        for folder in map(Path, info["folds"]):
            y = labels(folder)
            jobs = [("engine", m, [sys.executable, str(HERE / "run_ours.py")]) for m in OURS]
            jobs += [("pyBKT", m, [args.bench_python, str(HERE / "run_pybkt.py")]) for m in PYBKT]
            for library, model, prefix in jobs:
                out = folder / f"{library}-{model}.json"
                repeats = [str(args.repeats)] if model == "bkt" else []
                result = run([*prefix, str(folder), model, str(out), *repeats], out)
                scores = score_all(y, np.asarray(result["p"]))
                scores["fit_seconds"] = result["fit_seconds"]
                scores["fit_only_seconds"] = result.get("fit_only_seconds", result["fit_seconds"])
                scores["predict_seconds"] = result["predict_seconds"]
                scores["peak_mb"] = result["peak_bytes"] / 2**20
                for key, value in scores.items():
                    rows.setdefault(f"{library} {model}", {}).setdefault(key, []).append(value)
        table[dataset] = {
            "info": info,
            "computed": {
                library: _when(
                    [Path(f) / f"{library}-{m}.json" for f in info["folds"] for m in models]
                )
                for library, models in (("engine", OURS), ("pyBKT", PYBKT))
            },
            "models": {
                name: {
                    k: (float(np.max(v)) if k == "peak_mb" else float(np.mean(v)))
                    for k, v in s.items()
                }
                for name, s in rows.items()
            },
            # Per fold: pyBKT BKT fit seconds over the engine's (like for like, and engine
            # `fit` call only). Their median resists the load spikes of the shared machine.
            "fit_ratios": [
                p / e
                for p, e in zip(
                    rows["pyBKT bkt"]["fit_seconds"], rows["engine bkt"]["fit_seconds"], strict=True
                )
            ],
            "fit_only_ratios": [
                p / e
                for p, e in zip(
                    rows["pyBKT bkt"]["fit_seconds"],
                    rows["engine bkt"]["fit_only_seconds"],
                    strict=True,
                )
            ],
        }
    scale = None
    if args.skip_scale and (args.results / "scale.json").exists():
        scale = json.loads((args.results / "scale.json").read_text())  # the last one run
    if not args.skip_scale:
        # BKT (what the platform recalibrates with) and the default model, one process each.
        out = args.results / "scale.json"
        subprocess.run([sys.executable, str(HERE / "scale.py"), str(out)], check=True)
        scale = json.loads(out.read_text())
        logistic = args.results / "scale-logistic.json"
        command = [sys.executable, str(HERE / "scale.py"), str(logistic), "--model", "logistic"]
        subprocess.run(command, check=True)
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = {"start": load_start, "end": os.getloadavg()[0]}
    summary = {"table": table, "scale": scale, "date": today, "load": load, "repeats": args.repeats}
    (args.results / "summary.json").write_text(json.dumps(summary, indent=1))
    write_section(table, scale, args, today, load)


# Published deep-model AUCs on held-out students quoted in issue 3 (DKT, LSTM on a GPU).
DKT = {"statics2011": 0.83, "assist2015_pykt": 0.71, "assist2017_pid": 0.73}


def write_section(
    table: dict,
    scale: dict | None,
    args: argparse.Namespace,
    today: str | None,
    load: dict | None = None,
) -> None:
    today = today or datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    loads = (
        f" Load average (1 min) at the start / end of the run: {load['start']:.1f} / "
        f"{load['end']:.1f}."
        if load
        else ""
    )
    repeats = getattr(args, "repeats", 1)
    lines = [
        "## Mastery engine",
        "",
        f"Command: `{args.command}` (runs `bench/mastery/run.sh`; folds: {args.folds}). "
        f"Date: {today}. Machine: {platform.machine()}, {platform.python_version()}, "
        f"{_cpus()} CPU cores, shared with other work (timings are noisy; both libraries ran "
        f"one after the other on the same splits, fold by fold).{loads}",
        "",
        "pyBKT is the compiled backend (`pyBKT.fit.E_step` imported) in `.venv-bench` "
        "(numpy<2, pandas<2.3, scikit-learn<1.6), `Model(seed=0, num_fits=5)`, defaults "
        "otherwise (its E-step runs on OpenMP threads: both cores). The engine runs from the "
        "main `.venv` in its own process (one thread). **Fit seconds are like for like:** "
        "pyBKT's `fit` starts from a DataFrame of the file's raw values (read by pandas before "
        "the clock starts) and converts it to per-skill arrays inside the timed call; for the "
        "engine's BKT rows the clock likewise starts from the file's raw column values, held "
        "as the DataFrame holds them (ids as text, one object per distinct value, as pandas' "
        "parser boxes them; answers and order as int64 arrays), and covers "
        "`ResponseLog.from_arrays` (id coding, ordering each student's rows) plus `fit` "
        "(packing into sequences, restarts, EM). The logistic model is timed on the log "
        "`read_csv` built (`fit` only). "
        + (
            f"Each standard BKT fit (both libraries) ran {repeats} times per fold in one "
            "process; the table shows the median per fold, averaged over folds (BKT with "
            "forgets: one fit). "
            if repeats > 1
            else ""
        )
        + "Splits: students "
        "dealt into 5 folds (seed 0), the same files for both; scores and fit seconds are means "
        "over folds of row-level scores on held-out students (the fit-time ratios below are "
        "medians over folds of per-fold ratios, with their range: one busy moment on the shared "
        "machine can multiply a single fit's wall clock, pyBKT's most); peak memory is the "
        "largest per-process peak RSS "
        "(data loading included). AKT files: the rows of one multi-skill problem are one event, "
        "so the logistic model never sees a row's own answer through another skill; per-skill "
        "BKT cannot see across skills at all.",
        "",
        "| dataset | rows | model | AUC | RMSE | log loss | ECE | fit s | predict s | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for dataset, entry in table.items():
        info = entry["info"]
        for name, s in entry["models"].items():
            lines.append(
                f"| {dataset} | {info['rows']:,} | {name} | {s['auc']:.4f} | {s['rmse']:.4f} | "
                f"{s['log_loss']:.4f} | {s['calibration_error']:.4f} | {s['fit_seconds']:.2f} | "
                f"{s['predict_seconds']:.3f} | {s['peak_mb']:.0f} |"
            )
    computed = [
        f"{dataset}: engine {e['computed']['engine']}, pyBKT {e['computed']['pyBKT']}"
        for dataset, e in table.items()
        if "computed" in e
    ]
    if computed:
        lines += [
            "",
            "When each library's results were computed (UTC; `run.sh` reuses a split's result "
            "file until `MASTERY_FRESH=1` or the file is deleted): "
            + "; ".join(computed)
            + ". Where the two libraries ran at different times the machine's load differed too "
            "(it is shared), so their fit-time ratio below is only indicative there; AUC and the "
            "other scores do not depend on it (both libraries are seeded).",
        ]
    lines += ["", "Against the targets (best engine model = `logistic`, the default):", ""]
    lines += [
        "| dataset | engine BKT - pyBKT BKT (AUC) | best - max(pyBKT BKT, +forgets) (AUC) | "
        "pyBKT fit / engine fit (BKT), median of folds | same, engine `fit` call only | "
        "ECE best | best - DKT (published, GPU) |",
        "|---|---|---|---|---|---|---|",
    ]
    for dataset, entry in table.items():
        m = entry["models"]
        ours, theirs = m["engine bkt"], m["pyBKT bkt"]
        best_peer = max(theirs["auc"], m["pyBKT bkt-forgets"]["auc"])
        lines.append(
            f"| {dataset} | {ours['auc'] - theirs['auc']:+.4f} | "
            f"{m['engine logistic']['auc'] - best_peer:+.4f} | "
            f"{_ratio(entry, 'fit_ratios', theirs['fit_seconds'] / ours['fit_seconds'])} | "
            f"{_ratio(entry, 'fit_only_ratios', theirs['fit_seconds'] / ours['fit_seconds'])} | "
            f"{m['engine logistic']['calibration_error']:.4f} | "
            + (f"{m['engine logistic']['auc'] - DKT[dataset]:+.3f} |" if dataset in DKT else "- |")
        )
    cpu = args.results / "fit_cpu.md"
    if cpu.exists():  # written by `python bench/mastery/fit_cpu.py`
        lines += ["", cpu.read_text().rstrip("\n")]
    scales = [scale] if scale else []
    extra = args.results / "scale-logistic.json"
    if extra.exists():  # written by `python bench/mastery/scale.py OUT --model logistic`
        scales.append(json.loads(extra.read_text()))
    for entry in scales:
        lines += [
            "",
            f"Scale (synthetic, `bench/mastery/scale.py`): {entry['rows']:,} responses, "
            f"{entry['students']:,} students, {entry['skills']} skills, model `{entry['model']}`: "
            f"fit {entry['fit_seconds']:.1f} s (target < 120 s), peak memory "
            f"{entry['peak_bytes'] / 2**30:.2f} GiB (target < 4 GiB, log included), predict "
            f"{entry['predict_rows_per_second'] / 1e6:.2f} M rows/s (target > 1 M rows/s). "
            + _cpu(entry)
            + _verdict(entry),
        ]
    section = "\n".join(lines) + "\n"
    path = HERE.parent.parent / "BENCHMARKS.md"
    text = path.read_text()
    start = text.find("## Mastery engine")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    path.write_text(text)


def _ratio(entry: dict, key: str, fallback: float) -> str:
    ratios = entry.get(key)
    if not ratios:
        return f"{fallback:.1f}x"
    return f"{float(np.median(ratios)):.1f}x ({min(ratios):.1f}-{max(ratios):.1f})"


def _cpu(entry: dict) -> str:
    if "fit_cpu_seconds" not in entry:
        return ""
    return (
        f"CPU time (all threads of the process): fit {entry['fit_cpu_seconds']:.1f} s, predict "
        f"{entry['predict_cpu_seconds']:.1f} s; load average when it finished: "
        f"{entry.get('load_average', float('nan')):.1f} on {_cpus()} cores. "
    )


def _verdict(entry: dict) -> str:
    missed = []
    if entry["fit_seconds"] >= 120:
        missed.append("fit time")
    if entry["peak_bytes"] >= 4 * 2**30:
        missed.append("memory")
    if entry["predict_rows_per_second"] <= 1e6:
        missed.append("predict rate")
    if not missed:
        return "Meets every scale target."
    return (
        f"**Misses the {', '.join(missed)} target(s).** At district scale recalibrate with BKT "
        "(what the online update uses) and fit this model on a sample or per school."
    )


def _when(paths: list[Path]) -> str:
    """The time span (UTC) over which these result files were written."""
    stamps = sorted(datetime.datetime.fromtimestamp(p.stat().st_mtime, datetime.UTC) for p in paths)
    first, last = stamps[0].strftime("%Y-%m-%d %H:%M"), stamps[-1].strftime("%H:%M")
    return first if first.endswith(last) else f"{first}-{last}"


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
