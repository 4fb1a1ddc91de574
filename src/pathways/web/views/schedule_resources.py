"""A school's scheduling resources: the day's blocks, stations, devices, licences and teachers'
availability. School leaders edit them (htmx forms, one per row; errors next to each field);
the school's staff read them. The next schedule built for the school uses them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pathways.apps.access import policy
from pathways.apps.access.policy import Action
from pathways.apps.roster.models import Role, School
from pathways.apps.scheduling import queries, resources
from pathways.apps.scheduling.models import Modality
from pathways.web.views._common import actor, form_id, role_required

STAFF = (Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_ADMIN)
KINDS = ("blocks", "stations", "devices", "licences", "teachers")
BAND_OPTIONS = [(str(b), label) for b, label in resources.BANDS.items()]
SEAT_OPTIONS = [(c, resources.LABELS[c]) for c in resources.SEAT_MODALITIES]


@dataclass
class Field:
    """One input of a form, with the value to show and the message when it was wrong."""

    name: str
    label: str
    value: str = ""
    kind: str = "text"  # text, number, time, select, checkboxes
    options: list[tuple[str, str]] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)  # checkboxes
    error: str = ""
    hint: str = ""
    id: str = ""


@dataclass
class RowForm:
    """The form of one station, device pool, licence or teacher (``obj_id`` None: a new one)."""

    kind: str
    key: str
    obj_id: int | None
    title: str
    fields: list[Field]
    error: str = ""


@dataclass
class BlockLine:
    key: str
    block_id: int | None
    fields: list[Field]


@dataclass
class Submitted:
    """What was posted and what was wrong with it: shown instead of the stored values."""

    key: str
    data: dict[str, Any]
    errors: dict[str, str]


def _school(request: HttpRequest, pk: int) -> School:
    school = queries.school_by_id(pk)
    try:
        policy.require(actor(request), Action.VIEW_SCHEDULE, school)
    except policy.NotFound:
        raise Http404("school not found") from None
    assert school is not None
    return school


def _finish(form_key: str, fields: list[Field], sub: Submitted | None) -> list[Field]:
    for f in fields:
        f.id = f"{form_key}-{f.name}"
        if sub is not None and sub.key == form_key:
            posted = sub.data.get(f.name)
            if f.kind == "checkboxes":
                f.chosen = list(posted or [])
            else:
                f.value = str(posted or "")
            f.error = sub.errors.get(f.name, "")
    return fields


def _station_form(station: Any, sub: Submitted | None) -> RowForm:
    key = f"station-{station.pk if station else 'new'}"
    fields = [
        Field("name", "Name", station.name if station else ""),
        Field(
            "modality",
            "Used for",
            station.modality if station else "",
            "select",
            [("", "Choose..."), *Modality.choices],
        ),
        Field(
            "capacity",
            "Capacity",
            str(station.capacity) if station else "",
            "number",
            hint="seats; the largest group (teacher-led, peer tables); students per "
            "supervising teacher (project work)",
        ),
        Field("tables", "Tables", str(station.tables) if station else "0", "number"),
        Field(
            "min_group",
            "Smallest group",
            str(station.min_group or "") if station else "",
            "number",
            hint="groups only; blank for the default",
        ),
    ]
    title = station.name if station else "Add a station"
    return RowForm(
        "stations", key, station.pk if station else None, title, _finish(key, fields, sub)
    )


def _pool_form(pool: Any, sub: Submitted | None) -> RowForm:
    key = f"pool-{pool.pk if pool else 'new'}"
    fields = [
        Field("name", "Name", pool.name if pool else ""),
        Field("devices", "Devices", str(pool.devices) if pool else "", "number"),
        Field(
            "modalities",
            "Used by",
            kind="checkboxes",
            options=SEAT_OPTIONS,
            chosen=list(pool.modalities) if pool else [],
        ),
    ]
    title = pool.name if pool else "Add devices"
    return RowForm("devices", key, pool.pk if pool else None, title, _finish(key, fields, sub))


def _licence_form(licence: Any, sub: Submitted | None) -> RowForm:
    key = f"licence-{licence.pk if licence else 'new'}"
    fields = [
        Field("product", "Product", licence.product if licence else ""),
        Field(
            "modality",
            "For",
            licence.modality if licence else "",
            "select",
            [("", "Choose..."), *SEAT_OPTIONS],
        ),
        Field("seats", "Seats at the same time", str(licence.seats) if licence else "", "number"),
    ]
    title = licence.product if licence else "Add a licence"
    return RowForm(
        "licences", key, licence.pk if licence else None, title, _finish(key, fields, sub)
    )


def _teacher_form(row: Any, data: resources.Resources, sub: Submitted | None) -> RowForm:
    key = f"teacher-{row.pk if row else 'new'}"
    blocks = [(str(b.position), b.label) for b in data.blocks]
    fields = []
    if row is None:
        staff = [(str(u.pk), u.display_name) for u in data.staff]
        fields.append(Field("teacher", "Teacher", "", "select", [("", "Choose..."), *staff]))
    fields += [
        Field("band", "Grade band", str(row.band) if row else "", "select", BAND_OPTIONS),
        Field(
            "blocks",
            "Available in",
            kind="checkboxes",
            options=blocks,
            chosen=[str(b) for b in row.blocks] if row else [p for p, _ in blocks],
        ),
    ]
    title = row.teacher.display_name if row else "Add a teacher"
    return RowForm("teachers", key, row.pk if row else None, title, _finish(key, fields, sub))


def _block_lines(data: resources.Resources, sub: Submitted | None) -> list[BlockLine]:
    if sub is not None and sub.key == "blocks":
        rows = sub.data["rows"]
    else:
        rows = [
            resources.BlockRow(f"block-{n}", b.pk, b.label, f"{b.starts:%H:%M}", f"{b.ends:%H:%M}")
            for n, b in enumerate(data.blocks)
        ]
        rows.append(resources.BlockRow(f"block-{len(rows)}", None, "", "", ""))
    errors = sub.errors if sub is not None and sub.key == "blocks" else {}
    lines = []
    for n, row in enumerate(rows):
        which = f"block {n + 1}" if row.block_id is not None else "the new block"
        fields = [
            Field(f"{row.key}-label", f"Name of {which}", row.label),
            Field(f"{row.key}-starts", f"Start of {which}", row.starts, "time"),
            Field(f"{row.key}-ends", f"End of {which}", row.ends, "time"),
        ]
        for f in fields:
            f.id, f.error = f.name, errors.get(f.name, "")
        lines.append(BlockLine(row.key, row.block_id, fields))
    return lines


def _context(
    request: HttpRequest, school: School, sub: Submitted | None = None, message: str = ""
) -> dict[str, Any]:
    data = resources.resources_of(school)
    return {
        "school": school,
        "can_edit": policy.can(actor(request), Action.EDIT_RESOURCES, school),
        "blocks": _block_lines(data, sub),
        "blocks_error": sub.errors.get("__all__", "") if sub and sub.key == "blocks" else "",
        "stations": [_station_form(s, sub) for s in data.stations] + [_station_form(None, sub)],
        "pools": [_pool_form(p, sub) for p in data.pools] + [_pool_form(None, sub)],
        "licences": [_licence_form(x, sub) for x in data.licences] + [_licence_form(None, sub)],
        "teachers": [_teacher_form(t, data, sub) for t in data.teachers]
        + ([_teacher_form(None, data, sub)] if data.staff else []),
        "capacities": resources.tomorrow_capacities(school),
        "changes": data.changes,
        "message": message or request.session.pop("resources_message", ""),
        "message_kind": sub is None,
        "invalid_key": sub.key if sub else "",
    }


@role_required(*STAFF)
def page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every resource of the school: forms for its leaders, the same read-only for its staff."""
    school = _school(request, pk)
    return render(request, "web/schedule/resources.html", _context(request, school))


def _block_count(request: HttpRequest) -> int | None:
    """How many block rows the form says it has (at most 99), or None for a damaged form."""
    raw = request.POST.get("block-count", "")
    return int(raw) if raw.isascii() and raw.isdecimal() and len(raw) <= 2 else None


def _block_rows(request: HttpRequest) -> list[resources.BlockRow]:
    rows = []
    for n in range(_block_count(request) or 0):
        key = f"block-{n}"
        raw_id = request.POST.get(f"{key}-id", "")
        rows.append(
            resources.BlockRow(
                key,
                form_id(raw_id),
                request.POST.get(f"{key}-label", ""),
                request.POST.get(f"{key}-starts", ""),
                request.POST.get(f"{key}-ends", ""),
                delete=bool(request.POST.get(f"{key}-delete")),
            )
        )
    return rows


def _apply(request: HttpRequest, school: School, kind: str) -> str:
    """Run the write ``kind`` names; returns the message to show. Raises Invalid/NotFound."""
    user = actor(request)
    post = request.POST
    raw_id = post.get("id", "")
    obj_id = form_id(raw_id)
    deleting = post.get("action") == "delete" and obj_id is not None
    if kind == "blocks":
        if _block_count(request) is None:
            raise policy.NotFound("bad form")
        resources.save_blocks(user, school, _block_rows(request))
        return "Blocks saved."
    if kind == "stations":
        if deleting:
            assert obj_id is not None
            resources.delete_station(user, school, obj_id)
            return "Station removed."
        station = resources.save_station(user, school, post, obj_id)
        return f"{station.name} saved."
    if kind == "devices":
        if deleting:
            assert obj_id is not None
            resources.delete_pool(user, school, obj_id)
            return "Devices removed."
        pool = resources.save_pool(user, school, post, post.getlist("modalities"), obj_id)
        return f"{pool.name} saved."
    if kind == "licences":
        if deleting:
            assert obj_id is not None
            resources.delete_licence(user, school, obj_id)
            return "Licence removed."
        licence = resources.save_licence(user, school, post, obj_id)
        return f"{licence.product} saved."
    if deleting:
        assert obj_id is not None
        resources.remove_teacher(user, school, obj_id)
        return "Teacher removed from the flexible blocks."
    row = resources.save_teacher(user, school, post, post.getlist("blocks"), obj_id)
    return f"{row.teacher.display_name} saved."


def _posted(request: HttpRequest, kind: str) -> dict[str, Any]:
    if kind == "blocks":
        return {"rows": _block_rows(request)}
    data: dict[str, Any] = {k: request.POST.get(k, "") for k in request.POST}
    for many in ("modalities", "blocks"):
        data[many] = request.POST.getlist(many)
    return data


@role_required(*STAFF)
def save(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One form's write (POST). htmx swaps the page's resource area (errors next to the fields,
    or the saved values, the capacities and the change list); without JavaScript: back to the
    page, or the page with the errors."""
    if request.method != "POST" or kind not in KINDS:
        raise Http404("page not found")
    school = _school(request, pk)
    try:
        message = _apply(request, school, kind)
    except policy.NotFound:
        raise Http404("not found") from None
    except resources.Invalid as invalid:
        raw_id = request.POST.get("id", "")
        prefix = {"stations": "station", "devices": "pool", "licences": "licence"}
        key = (
            "blocks"
            if kind == "blocks"
            else f"{prefix.get(kind, 'teacher')}-{raw_id if raw_id.isdigit() else 'new'}"
        )
        sub = Submitted(key, _posted(request, kind), invalid.errors)
        context = _context(request, school, sub, "Not saved: see the marked fields.")
        return render(request, "web/schedule/resources.html", {**context, "section": kind})
    if request.headers.get("HX-Request"):
        context = _context(request, school, message=message)
        return render(request, "web/schedule/resources.html", {**context, "section": kind})
    request.session["resources_message"] = message
    return redirect(f"{reverse('web:schedule-resources', args=[school.pk])}#resources-{kind}")
