"""Write the "## Rostering import" section of BENCHMARKS.md from bench/.results/rostering/*.json."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLE = "## Rostering import"
GOAL_S = 120
GOAL_MB = 1024


def main() -> None:
    results = Path(sys.argv[1])
    runs = [
        json.loads(path.read_text(encoding="utf-8"))
        for name in ("sqlite", "postgresql")
        if (path := results / f"{name}.json").exists()
    ]
    first = runs[0]["first"]
    lines = [
        TITLE,
        "",
        f"Synthetic district, OneRoster 1.2 bulk CSV: {first['users']:,} users (30,000 students, "
        f"1,500 staff), {first['enrollments']:,} enrollments, 6,000 classes in 20 schools. "
        "Time covers reading and validating every file plus writing in one transaction; peak "
        "memory is the importing process's maximum RSS. Goal: under "
        f"{GOAL_S} s and {GOAL_MB} MB.",
        "",
        "| Database | First import | Re-import (changes nothing) | Peak memory | Goal met |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        again = run.get("again", {})
        ok = run["first"]["total_s"] < GOAL_S and run["peak_rss_mb"] < GOAL_MB
        unchanged = "yes" if again and not again["changed"] else "NO"
        lines.append(
            f"| {run['database']} | {run['first']['total_s']} s (read {run['first']['read_s']} s) "
            f"| {again.get('total_s', '-')} s, unchanged: {unchanged} | {run['peak_rss_mb']} MB "
            f"| {'yes' if ok else 'NO'} |"
        )
    lines += [
        "",
        f"Command: `scripts/run-benchmarks.sh rostering` on {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work (1-minute load average after the runs: "
        f"{', '.join(str(r.get('load_average', '?')) for r in runs)}), "
        f"Python {platform.python_version()}, {dt.date.today().isoformat()}.",
        "",
    ]
    section = "\n".join(lines)
    path = HERE.parent.parent / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    start = text.find(TITLE)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(TITLE))
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    path.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
