"""QTI 3 items into the item bank, idempotent by item identifier, all or nothing.

Each scorable interaction becomes one bank item. Its identifier is the QTI item's identifier
(``identifier#RESPONSE`` when the QTI item asks several things, e.g. two blanks), so importing
the same package again updates those rows and never duplicates them.

The standard comes from the package metadata (a CASE GUID, then a code) and otherwise from the
``default`` standard given on the command line; an item with neither is reported, not imported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from pathways.apps.activities.models import Item
from pathways.apps.standards.models import Standard
from pathways.apps.standards.queries import standard_by_code
from pathways.engines.errors import InputError, InputErrors
from pathways.interop.qti import QtiInteraction, QtiItem, QtiPackage, QtiSkipped, StandardRef

__all__ = ["QtiImportReport", "bank_identifier", "import_qti"]

_IDENTIFIER_LENGTH = Item._meta.get_field("identifier").max_length or 255


@dataclass
class QtiImportReport:
    """What an import did (or would do): bank rows and what was left out, with reasons."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    imported: Counter[str] = field(default_factory=Counter)
    reported: Counter[str] = field(default_factory=Counter)
    skipped: list[QtiSkipped] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"items: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"]
        out += [f"imported {n} {name}" for name, n in sorted(self.imported.items())]
        out += [f"not imported: {n} {name}" for name, n in sorted(self.reported.items())]
        return out + [f"  {entry}" for entry in self.skipped]


def bank_identifier(item: QtiItem, interaction: QtiInteraction) -> str:
    if len(item.interactions) == 1:
        return item.identifier
    return f"{item.identifier}#{interaction.response_identifier}"


def _resolve(refs: tuple[StandardRef, ...]) -> tuple[Standard | None, list[str]]:
    """The first aligned standard found in the database, and the alignments that were not."""
    missing: list[str] = []
    for ref in refs:
        found = None
        if ref.identifier:
            found = Standard.objects.filter(identifier__iexact=ref.identifier).first()
        if found is None and ref.code:
            found = standard_by_code(ref.code)
        if found is not None:
            return found, missing
        missing.append(ref.code or ref.identifier)
    return None, missing


def _fields(item: QtiItem, interaction: QtiInteraction, standard: Standard) -> dict[str, Any]:
    texts = dict(interaction.choices)
    answer: Any
    if interaction.kind == "choice":
        answer = texts[interaction.correct[0]]
    elif interaction.kind == "multiple":
        answer = [texts[c] for c in interaction.correct]
    elif interaction.kind == "numeric":
        answer = float(interaction.correct[0])
    elif interaction.kind == "text":
        answer = list(interaction.correct)
    else:
        answer = []  # a teacher scores it with the rubric
    details: dict[str, Any] = {
        "format": "qti3",
        "qti_identifier": item.identifier,
        "interaction": interaction.element,
        "response_identifier": interaction.response_identifier,
    }
    if interaction.choices:
        details["choice_identifiers"] = [c for c, _ in interaction.choices]
        details["max_choices"] = interaction.max_choices
    if interaction.partial:
        details["partial_credit"] = [[text, credit] for text, credit in interaction.partial]
    if interaction.case_sensitive:
        details["case_sensitive"] = True
    if interaction.rubric:
        details["rubric"] = interaction.rubric
    return {
        "standard": standard,
        "kind": interaction.kind,
        "title": item.title[:200],
        "prompt": interaction.prompt,
        "choices": [text for _, text in interaction.choices],
        "answer": answer,
        "source": f"{item.source}:{interaction.line}"[-500:],
        "details": details,
    }


def import_qti(
    package: QtiPackage, *, default: Standard | None = None, dry_run: bool = False
) -> QtiImportReport:
    """Write the package's items to the bank in one transaction (nothing on a dry run)."""
    report = QtiImportReport(skipped=list(package.skipped))
    for entry in package.skipped:
        report.reported[entry.interaction or "other (see reasons)"] += 1
    rows: list[tuple[str, dict[str, Any], str]] = []
    errors: list[InputError] = []
    for item in package.items:
        standard, missing = _resolve(item.standards)
        if standard is None:
            standard = default
        if standard is None:
            why = (
                f"aligned to {', '.join(missing)}, not in the database"
                if missing
                else ("no standard alignment in the package")
            )
            report.skipped.append(
                QtiSkipped(item.source, None, item.identifier, f"{why}; pass --standard CODE")
            )
            report.reported["unaligned item"] += 1
            continue
        for interaction in item.interactions:
            identifier = bank_identifier(item, interaction)
            if len(identifier) > _IDENTIFIER_LENGTH:
                errors.append(
                    InputError(
                        item.source,
                        f"identifier is {len(identifier)} characters, at most "
                        f"{_IDENTIFIER_LENGTH} fit",
                        line=interaction.line,
                    )
                )
            rows.append((identifier, _fields(item, interaction, standard), interaction.element))
    if errors:
        raise InputErrors(errors)
    with transaction.atomic():
        existing = {
            i.identifier: i for i in Item.objects.filter(identifier__in=[r[0] for r in rows])
        }
        for identifier, values, element in rows:
            report.imported[element] += 1
            current = existing.get(identifier)
            if current is None:
                report.created += 1
                if not dry_run:
                    Item.objects.create(identifier=identifier, **values)
                continue
            if all(getattr(current, name) == value for name, value in values.items()):
                report.unchanged += 1
                continue
            report.updated += 1
            if not dry_run:
                for name, value in values.items():
                    setattr(current, name, value)
                current.save()
    return report
