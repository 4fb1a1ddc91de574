"""CASE packages into frameworks, standards and associations (and back), all or nothing.

``import_case`` validates the whole package against the database first; if anything is wrong it
raises ``InputErrors`` and writes nothing. Otherwise it writes in one transaction, matching on CASE
identifiers, so importing the same package again changes nothing.

* ``isChildOf`` becomes ``Standard.parent`` (an item that is a child of the document is top-level);
* every other association kind becomes an ``Association`` row; ``precedes`` means the origin is a
  prerequisite of the destination. Associations to nodes outside the database are skipped;
* positions follow file order.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from pathways.apps.standards.models import Association, Framework, Standard
from pathways.engines.errors import InputError, InputErrors
from pathways.interop.case import CaseAssociation, CaseDocument, CaseItem, CasePackage

__all__ = ["ImportReport", "export_case", "import_case"]

_CHILD_NAMESPACE = uuid.UUID("3c1e5b8a-2f4d-4e6a-9b7c-1d2e3f4a5b6c")
_KINDS = set(Association.Kind.values)


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), per model."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    deactivated: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated or +self.deactivated)

    def lines(self) -> list[str]:
        models = sorted(
            set(self.created) | set(self.updated) | set(self.unchanged) | set(self.deactivated)
        )
        out = [
            f"{m}: {self.created[m]} created, {self.updated[m]} updated, "
            f"{self.unchanged[m]} unchanged, {self.deactivated[m]} deactivated"
            for m in models
        ]
        out += [f"skipped {n} {what}" for what, n in sorted(self.skipped.items()) if n]
        return out + self.notes


def _limit(
    errors: list[InputError], source: str, where: str, value: str, model: Any, name: str
) -> None:
    max_length = model._meta.get_field(name).max_length
    if max_length and len(value) > max_length:
        errors.append(
            InputError(source, f"{len(value)} characters, at most {max_length} fit", column=where)
        )


def _validate(package: CasePackage, source: str) -> dict[str, str]:
    """Check lengths, identifier ownership and the hierarchy; return child -> parent identifier."""
    errors: list[InputError] = []
    doc = package.document
    for name, value in (("title", doc.title), ("creator", doc.creator), ("subject", doc.subject),
                        ("version", doc.version), ("source_uri", doc.uri)):  # fmt: skip
        _limit(errors, source, f"CFDocument.{name}", value, Framework, name)
    for index, item in enumerate(package.items):
        _limit(errors, source, f"CFItems[{index}].humanCodingScheme", item.code, Standard, "code")
        _limit(
            errors, source, f"CFItems[{index}].CFItemType", item.item_type, Standard, "item_type"
        )
    item_ids = {item.identifier for item in package.items}
    owners = dict(
        Standard.objects.filter(identifier__in=item_ids)
        .exclude(framework__identifier=doc.identifier)
        .values_list("identifier", "framework__title")
    )
    for index, item in enumerate(package.items):
        if item.identifier in owners:
            errors.append(
                InputError(
                    source,
                    f"identifier {item.identifier} already belongs to framework "
                    f"{owners[item.identifier]!r}",
                    column=f"CFItems[{index}].identifier",
                )
            )
    parents: dict[str, str] = {}
    for index, assoc in enumerate(package.associations):
        if assoc.kind != "isChildOf" or assoc.origin not in item_ids:
            continue
        if assoc.destination != doc.identifier and assoc.destination not in item_ids:
            errors.append(
                InputError(
                    source,
                    f"isChildOf points to {assoc.destination}, which is not in this package",
                    column=f"CFAssociations[{index}].destinationNodeURI",
                )
            )
            continue
        parents.setdefault(assoc.origin, assoc.destination)
    for child in parents:
        seen = {child}
        node = parents.get(child)
        while node in parents:
            if node in seen:
                index = next(
                    i for i, a in enumerate(package.associations)
                    if a.kind == "isChildOf" and a.origin == child
                )  # fmt: skip
                errors.append(
                    InputError(
                        source,
                        f"isChildOf makes a cycle through {child}",
                        column=f"CFAssociations[{index}]",
                    )
                )
                break
            seen.add(node)
            node = parents.get(node)
    errors += _precedes_cycles(package, source)
    if errors:
        raise InputErrors(errors)
    return {c: p for c, p in parents.items() if p != doc.identifier}


def _precedes_cycles(package: CasePackage, source: str) -> list[InputError]:
    graph: dict[str, list[tuple[str, int]]] = {}
    for index, assoc in enumerate(package.associations):
        if assoc.kind == "precedes":
            graph.setdefault(assoc.origin, []).append((assoc.destination, index))
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    errors: list[InputError] = []
    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            node, position = stack[-1]
            edges = graph.get(node, [])
            if position == len(edges):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, position + 1)
            target, index = edges[position]
            if state.get(target) == 1:
                errors.append(
                    InputError(
                        source,
                        f"precedes makes a cycle: {target} would be its own prerequisite",
                        column=f"CFAssociations[{index}]",
                    )
                )
            elif not state.get(target):
                state[target] = 1
                stack.append((target, 0))
    return errors


def _framework_values(doc: CaseDocument) -> dict[str, str]:
    return {
        "title": doc.title,
        "creator": doc.creator,
        "subject": doc.subject,
        "version": doc.version,
        "source_uri": doc.uri,
    }


def _standard_values(item: CaseItem, position: int) -> dict[str, Any]:
    return {
        "code": item.code,
        "statement": item.statement,
        "item_type": item.item_type,
        "education_levels": list(item.education_levels),
        "position": position,
    }


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def import_case(package: CasePackage, *, source: str = "", dry_run: bool = False) -> ImportReport:
    """Create or update the framework in ``package``; see the module docstring for the rules."""
    source = source or package.document.title
    parents = _validate(package, source)
    report = ImportReport()
    with transaction.atomic():
        framework = _write(package, parents, report)
        if dry_run:
            transaction.set_rollback(True)
    report.notes.append(f"framework {framework.title!r} ({framework.identifier})")
    return report


def _write(package: CasePackage, parents: dict[str, str], report: ImportReport) -> Framework:
    doc = package.document
    framework = Framework.objects.filter(identifier=doc.identifier).first()
    if framework is None:
        framework = Framework.objects.create(identifier=doc.identifier, **_framework_values(doc))
        report.created["Framework"] += 1
    elif _apply(framework, _framework_values(doc)):
        framework.save()
        report.updated["Framework"] += 1
    else:
        report.unchanged["Framework"] += 1

    known = set(Standard.objects.filter(framework=framework).values_list("identifier", flat=True))
    new = [
        Standard(framework=framework, identifier=item.identifier, **_standard_values(item, i))
        for i, item in enumerate(package.items)
        if item.identifier not in known
    ]
    Standard.objects.bulk_create(new, batch_size=500)
    report.created["Standard"] += len(new)
    by_id = {s.identifier: s for s in Standard.objects.filter(framework=framework)}
    changed: list[Standard] = []
    for position, item in enumerate(package.items):
        standard = by_id[item.identifier]
        parent_id = parents.get(item.identifier)
        values = {
            **_standard_values(item, position),
            "parent_id": by_id[parent_id].pk if parent_id else None,
        }
        if _apply(standard, values):
            changed.append(standard)
            if item.identifier in known:
                report.updated["Standard"] += 1
        elif item.identifier in known:
            report.unchanged["Standard"] += 1
    Standard.objects.bulk_update(
        changed,
        ["code", "statement", "item_type", "education_levels", "position", "parent"],
        batch_size=500,
    )
    _write_associations(framework, package.associations, report)
    return framework


def _write_associations(
    framework: Framework, associations: tuple[CaseAssociation, ...], report: ImportReport
) -> None:
    wanted = [a for a in associations if a.kind in _KINDS]
    report.skipped["isChildOf associations (kept as the hierarchy)"] += sum(
        1 for a in associations if a.kind == "isChildOf"
    )
    nodes = {a.origin for a in wanted} | {a.destination for a in wanted}
    standards = dict(Standard.objects.filter(identifier__in=nodes).values_list("identifier", "pk"))
    existing = {
        a.identifier: a
        for a in Association.objects.filter(identifier__in={a.identifier for a in wanted})
    }
    new: list[Association] = []
    changed: list[Association] = []
    for assoc in wanted:
        origin, destination = standards.get(assoc.origin), standards.get(assoc.destination)
        if origin is None or destination is None:
            report.skipped["associations to nodes outside the database"] += 1
            continue
        values = {"framework_id": framework.pk, "kind": assoc.kind, "origin_id": origin,
                  "destination_id": destination}  # fmt: skip
        row = existing.get(assoc.identifier)
        if row is None:
            new.append(Association(identifier=assoc.identifier, **values))
        elif _apply(row, values):
            changed.append(row)
        else:
            report.unchanged["Association"] += 1
    Association.objects.bulk_create(new, batch_size=500)
    Association.objects.bulk_update(
        changed, ["framework_id", "kind", "origin_id", "destination_id"], batch_size=500
    )
    report.created["Association"] += len(new)
    report.updated["Association"] += len(changed)


def export_case(framework: Framework) -> CasePackage:
    """The framework as a CASE package: hierarchy as ``isChildOf``, other edges as stored."""
    document = CaseDocument(
        identifier=framework.identifier,
        title=framework.title,
        creator=framework.creator,
        subject=framework.subject,
        version=framework.version,
        uri=framework.source_uri,
    )
    standards = list(framework.standards.order_by("position", "pk").select_related("parent"))
    items = tuple(
        CaseItem(
            identifier=s.identifier,
            code=s.code,
            statement=s.statement,
            item_type=s.item_type,
            education_levels=tuple(s.education_levels),
            list_enumeration="",
            uri="",
        )
        for s in standards
    )
    hierarchy = tuple(
        CaseAssociation(
            identifier=str(uuid.uuid5(_CHILD_NAMESPACE, f"{s.identifier}>{parent}")),
            kind="isChildOf",
            origin=s.identifier,
            destination=parent,
            uri="",
        )
        for s in standards
        for parent in [s.parent.identifier if s.parent else framework.identifier]
    )
    edges = tuple(
        CaseAssociation(
            identifier=a.identifier,
            kind=a.kind,
            origin=a.origin.identifier,
            destination=a.destination.identifier,
            uri="",
        )
        for a in framework.associations.order_by("pk").select_related("origin", "destination")
    )
    return CasePackage(document=document, items=items, associations=hierarchy + edges)
