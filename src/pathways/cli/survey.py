"""``pathways survey compare``: a teacher survey against a benchmark, from CSV (no Django).

Both files have the columns ``respondent_id, item_id, answer``. For each item the cohort answered:
the share answering one of the ``--top`` categories in each file, the difference, the two-sided
pooled two-proportion z-test and Holm's correction over the items (alpha 0.05 unless --alpha).

Exit status: 0 on success, 2 when a file cannot be read or lacks a column (``file: reason``).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import click

from pathways.engines.stats import compare_items

COLUMNS = ("respondent_id", "item_id", "answer")


def _read(path: str) -> dict[str, list[str]]:
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise click.ClickException(f"{path}: missing column(s) {', '.join(missing)}")
            answers: dict[str, list[str]] = defaultdict(list)
            for row in reader:
                if row["item_id"]:
                    answers[row["item_id"]].append(row["answer"] or "")
            return answers
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: {getattr(exc, 'strerror', None) or exc}") from exc


@click.group()
def survey() -> None:
    """Teacher practice survey tools."""


@survey.command()
@click.option("--responses", required=True, help="CSV of the cohort's answers")
@click.option("--benchmark", required=True, help="CSV of the benchmark sample's answers")
@click.option(
    "--top", required=True, help='Top categories, comma-separated: "Agree a lot,Mostly agree"'
)
@click.option("--out", default="-", help="JSON file to write (default: standard output)")
@click.option("--alpha", default=0.05, show_default=True, type=float)
def compare(responses: str, benchmark: str, top: str, out: str, alpha: float) -> None:
    """Compare the share answering the top categories per item with the benchmark."""
    try:
        ours, theirs = _read(responses), _read(benchmark)
    except click.ClickException as exc:
        click.echo(exc.message, err=True)
        sys.exit(2)
    categories = [t.strip() for t in top.split(",") if t.strip()]
    rows = compare_items(ours, theirs, categories, alpha=alpha)
    document = {"items": [row.as_dict() for row in rows]}
    text = json.dumps(document, indent=1) + "\n"
    if out == "-":
        click.echo(text, nl=False)
    else:
        Path(out).write_text(text, encoding="utf-8")
        significant = sum(1 for r in rows if r.significant)
        click.echo(f"{len(rows)} items compared, {significant} significant after Holm -> {out}")
