"""Reads and writes of a school's scheduling resources: the day's blocks, stations, device
pools, licences and teachers' availability (the services behind the resource pages).

Every write checks ``EDIT_RESOURCES`` (the school's principal, the district's administrators),
validates the form's strings field by field (:class:`Invalid` maps each form field to a message
a person can act on) and appends a :class:`ResourceChange` saying what changed. Nothing is
written when a field is invalid. The next instance built for the school
(``adapters.build_instance``) reads the new values.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction
from django.db.models import Q

from pathways.apps.access import policy
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.roster.models import Enrollment, Membership, Role, School
from pathways.apps.scheduling.models import (
    Block,
    DevicePool,
    Licence,
    Modality,
    ResourceChange,
    Station,
    TeacherAvailability,
)

MAX_COUNT = 5000  # seats, devices, licences: more than any school has, catches typos
MAX_BLOCKS = 12
GROUP_MODALITIES = ("TL", "PC")  # capacity is the largest group
SEAT_MODALITIES = ("IP", "AS", "VT")  # capacity is seats; licences and devices cap them
BANDS = {0: "K-2", 1: "Grades 3-5", 2: "Grades 6-8"}
LABELS = dict(Modality.choices)


class Invalid(Exception):
    """The form has mistakes: ``errors`` maps a form field (``"__all__"`` for the whole form)
    to a message saying what to change."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass
class Resources:
    """Everything the resource pages show for one school."""

    blocks: list[Block]
    stations: list[Station]
    pools: list[DevicePool]
    licences: list[Licence]
    teachers: list[TeacherAvailability]
    staff: list[User] = field(default_factory=list)  # who may be added as a teacher
    changes: list[ResourceChange] = field(default_factory=list)


def resources_of(school: School, *, changes: int = 15) -> Resources:
    """The school's resources, the staff not yet listed, and the latest changes (7 queries)."""
    teachers = list(
        TeacherAvailability.objects.filter(school=school)
        .select_related("teacher")
        .order_by("teacher__last_name", "teacher__first_name", "pk")
    )
    listed = {t.teacher_id for t in teachers}
    return Resources(
        blocks=list(Block.objects.filter(school=school).order_by("position")),
        stations=list(Station.objects.filter(school=school).order_by("modality", "name")),
        pools=list(DevicePool.objects.filter(school=school).order_by("name", "pk")),
        licences=list(Licence.objects.filter(school=school).order_by("product", "pk")),
        teachers=teachers,
        staff=[u for u in school_staff(school) if u.pk not in listed],
        changes=list(
            ResourceChange.objects.filter(school=school).select_related("actor")[:changes]
        ),
    )


def school_staff(school: School) -> list[User]:
    """Teachers, coaches and principals of the school, and teachers of its active sections."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(
                pk__in=Membership.objects.filter(
                    school=school,
                    active=True,
                    role__in=[Role.TEACHER, Role.COACH, Role.PRINCIPAL],
                ).values("user")
            )
            | Q(
                pk__in=Enrollment.objects.filter(
                    section__school=school,
                    section__active=True,
                    active=True,
                    role=Enrollment.SectionRole.TEACHER,
                ).values("user")
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


# --- parsing ----------------------------------------------------------------------------------


def _count(
    errors: dict[str, str], data: Mapping[str, str], key: str, what: str, *, low: int = 0
) -> int:
    """A whole number in ``low..MAX_COUNT``; a message in ``errors[key]`` otherwise."""
    raw = (data.get(key) or "").strip()
    if raw == "":
        errors[key] = f"Enter the {what}."
        return 0
    try:
        value = int(raw)
    except ValueError:
        errors[key] = f"The {what} must be a whole number (got '{raw[:20]}')."
        return 0
    if value < 0:
        errors[key] = f"The {what} cannot be negative."
    elif value < low:
        errors[key] = f"The {what} must be at least {low}."
    elif value > MAX_COUNT:
        errors[key] = f"The {what} can be at most {MAX_COUNT}."
    return value


def _text(errors: dict[str, str], data: Mapping[str, str], key: str, what: str, most: int) -> str:
    value = " ".join((data.get(key) or "").split())
    if not value:
        errors[key] = f"Enter the {what}."
    elif len(value) > most:
        errors[key] = f"The {what} can be at most {most} characters."
    return value


def _time(errors: dict[str, str], data: Mapping[str, str], key: str) -> time | None:
    raw = (data.get(key) or "").strip()
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(raw, pattern).time()  # noqa: DTZ007 - a time of day
        except ValueError:
            continue
    errors[key] = f"Enter a time like 09:40 (got '{raw[:20]}')." if raw else "Enter a time."
    return None


def _diff(before: Mapping[str, object], after: Mapping[str, object]) -> str:
    return "; ".join(f"{k} {before[k]} -> {after[k]}" for k in after if before.get(k) != after[k])


def _log(actor: User, school: School, kind: str, subject: str, summary: str) -> None:
    if summary:
        ResourceChange.objects.create(
            school=school, actor=actor, kind=kind, subject=subject[:120], summary=summary[:500]
        )


def _require(actor: User, school: School) -> None:
    policy.require(actor, Action.EDIT_RESOURCES, school)


# --- stations ---------------------------------------------------------------------------------


def _station_fields(station: Station) -> dict[str, object]:
    return {
        "name": station.name,
        "modality": station.modality,
        "capacity": station.capacity,
        "tables": station.tables,
        "smallest group": station.min_group,
    }


def save_station(
    actor: User, school: School, data: Mapping[str, str], station_id: int | None = None
) -> Station:
    """Add a station (``station_id`` None) or change one; raises :class:`Invalid`.

    ``capacity`` is the number of seats, the largest group (teacher-led groups, peer tables) or
    the students per supervising teacher (project work); peer tables also give ``tables``;
    groups may give their smallest size ``min_group`` (blank: the engine's default).
    """
    _require(actor, school)
    station = None
    if station_id is not None:
        station = Station.objects.filter(school=school, pk=station_id).first()
        if station is None:
            raise policy.NotFound("station not found")
    errors: dict[str, str] = {}
    name = _text(errors, data, "name", "station's name", 100)
    modality = (data.get("modality") or "").strip()
    if modality not in LABELS:
        errors["modality"] = "Choose what the station is for."
    grouped = modality in GROUP_MODALITIES
    low = 1 if grouped or modality == "PW" else 0
    capacity = _count(errors, data, "capacity", "capacity", low=low)
    tables = 0
    if modality == "PC":
        tables = _count(errors, data, "tables", "number of tables", low=1)
    elif (data.get("tables") or "0").strip() not in ("", "0"):
        errors["tables"] = "Only peer-table stations have tables: leave it at 0."
    smallest = 0
    if grouped and (data.get("min_group") or "").strip():
        smallest = _count(errors, data, "min_group", "smallest group", low=1)
        if "min_group" not in errors and "capacity" not in errors and smallest > capacity:
            errors["min_group"] = (
                f"The smallest group ({smallest}) cannot be larger than the capacity ({capacity})."
            )
    if name and "name" not in errors:
        taken = Station.objects.filter(school=school, name__iexact=name)
        if station is not None:
            taken = taken.exclude(pk=station.pk)
        if taken.exists():
            errors["name"] = f"Another station is already called '{name}'."
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        before = _station_fields(station) if station is not None else None
        if station is None:
            station = Station(school=school)
        station.name, station.modality, station.capacity = name, modality, capacity
        station.tables, station.min_group = tables, smallest
        station.save()
        after = _station_fields(station)
        summary = (
            _diff(before, after)
            if before is not None
            else f"added: {LABELS[modality].lower()}, capacity {capacity}"
            + (f", {tables} tables" if tables else "")
        )
        _log(actor, school, ResourceChange.Kind.STATION, name, summary)
    return station


def delete_station(actor: User, school: School, station_id: int) -> None:
    _require(actor, school)
    station = Station.objects.filter(school=school, pk=station_id).first()
    if station is None:
        raise policy.NotFound("station not found")
    with transaction.atomic():
        _log(actor, school, ResourceChange.Kind.STATION, station.name, "removed")
        station.delete()


# --- device pools and licences ----------------------------------------------------------------


def save_pool(
    actor: User,
    school: School,
    data: Mapping[str, str],
    modalities: Sequence[str],
    pool_id: int | None = None,
) -> DevicePool:
    """Add or change a pool of devices shared by seat modalities; raises :class:`Invalid`."""
    _require(actor, school)
    pool = None
    if pool_id is not None:
        pool = DevicePool.objects.filter(school=school, pk=pool_id).first()
        if pool is None:
            raise policy.NotFound("device pool not found")
    errors: dict[str, str] = {}
    name = _text(errors, data, "name", "name of the devices", 100)
    devices = _count(errors, data, "devices", "number of devices")
    chosen = set(modalities)
    codes = [c for c in LABELS if c in chosen] + sorted(chosen - set(LABELS))
    if not codes:
        errors["modalities"] = "Choose the stations' modalities that use these devices."
    elif any(c not in SEAT_MODALITIES for c in codes):
        errors["modalities"] = "Devices are shared by seat stations only: " + ", ".join(
            LABELS[c].lower() for c in SEAT_MODALITIES
        )
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        before = (
            {"name": pool.name, "devices": pool.devices, "used by": "+".join(pool.modalities)}
            if pool
            else None
        )
        pool = pool or DevicePool(school=school)
        pool.name, pool.devices, pool.modalities = name, devices, codes
        pool.save()
        after = {"name": name, "devices": devices, "used by": "+".join(codes)}
        summary = (
            _diff(before, after) if before else f"added: {devices} devices for {after['used by']}"
        )
        _log(actor, school, ResourceChange.Kind.DEVICES, name, summary)
    return pool


def delete_pool(actor: User, school: School, pool_id: int) -> None:
    _require(actor, school)
    pool = DevicePool.objects.filter(school=school, pk=pool_id).first()
    if pool is None:
        raise policy.NotFound("device pool not found")
    with transaction.atomic():
        _log(actor, school, ResourceChange.Kind.DEVICES, pool.name, "removed")
        pool.delete()


def save_licence(
    actor: User, school: School, data: Mapping[str, str], licence_id: int | None = None
) -> Licence:
    """Add or change the concurrent seats of a software product; raises :class:`Invalid`."""
    _require(actor, school)
    licence = None
    if licence_id is not None:
        licence = Licence.objects.filter(school=school, pk=licence_id).first()
        if licence is None:
            raise policy.NotFound("licence not found")
    errors: dict[str, str] = {}
    product = _text(errors, data, "product", "product's name", 100)
    modality = (data.get("modality") or "").strip()
    if modality not in SEAT_MODALITIES:
        errors["modality"] = "Licences cap seat stations: choose " + ", ".join(
            LABELS[c].lower() for c in SEAT_MODALITIES
        )
    seats = _count(errors, data, "seats", "number of licensed seats")
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        before = (
            {"product": licence.product, "modality": licence.modality, "seats": licence.seats}
            if licence
            else None
        )
        licence = licence or Licence(school=school)
        licence.product, licence.modality, licence.seats = product, modality, seats
        licence.save()
        after = {"product": product, "modality": modality, "seats": seats}
        summary = _diff(before, after) if before else f"added: {seats} seats for {modality}"
        _log(actor, school, ResourceChange.Kind.LICENCE, product, summary)
    return licence


def delete_licence(actor: User, school: School, licence_id: int) -> None:
    _require(actor, school)
    licence = Licence.objects.filter(school=school, pk=licence_id).first()
    if licence is None:
        raise policy.NotFound("licence not found")
    with transaction.atomic():
        _log(actor, school, ResourceChange.Kind.LICENCE, licence.product, "removed")
        licence.delete()


# --- teachers ---------------------------------------------------------------------------------


def _block_names(blocks: Sequence[int], labels: Mapping[int, str]) -> str:
    return ", ".join(labels.get(b, str(b)) for b in blocks) or "none"


def save_teacher(
    actor: User,
    school: School,
    data: Mapping[str, str],
    blocks: Sequence[str],
    availability_id: int | None = None,
) -> TeacherAvailability:
    """List a teacher (``data["teacher"]``, a user id) or change their grade band and blocks.

    ``blocks`` are the positions of the blocks they can lead or supervise in (none: not
    available that day). Raises :class:`Invalid`.
    """
    _require(actor, school)
    row = None
    if availability_id is not None:
        row = (
            TeacherAvailability.objects.filter(school=school, pk=availability_id)
            .select_related("teacher")
            .first()
        )
        if row is None:
            raise policy.NotFound("teacher not found")
    errors: dict[str, str] = {}
    teacher = row.teacher if row is not None else None
    if row is None:
        raw = (data.get("teacher") or "").strip()
        staff = {str(u.pk): u for u in school_staff(school)}
        teacher = staff.get(raw)
        if teacher is None:
            errors["teacher"] = "Choose a teacher of this school."
        elif TeacherAvailability.objects.filter(school=school, teacher=teacher).exists():
            errors["teacher"] = f"{teacher.display_name} is already listed: change their row."
    raw_band = (data.get("band") or "").strip()
    band = int(raw_band) if raw_band.isdigit() else -1
    if band not in BANDS:
        errors["band"] = "Choose the grade band they teach."
    labels = dict(Block.objects.filter(school=school).values_list("position", "label"))
    chosen: list[int] = []
    for raw in blocks:
        if not raw.isdigit() or int(raw) not in labels:
            errors["blocks"] = "Choose among the school's blocks (one may have been removed)."
            break
        chosen.append(int(raw))
    chosen = sorted(set(chosen))
    if errors:
        raise Invalid(errors)
    assert teacher is not None
    with transaction.atomic():
        before = (
            {"band": BANDS[row.band], "blocks": _block_names(row.blocks, labels)} if row else None
        )
        row = row or TeacherAvailability(school=school, teacher=teacher)
        row.band, row.blocks = band, chosen
        row.save()
        after = {"band": BANDS[band], "blocks": _block_names(chosen, labels)}
        summary = (
            _diff(before, after) if before else f"added: {after['band']}, blocks {after['blocks']}"
        )
        _log(actor, school, ResourceChange.Kind.TEACHER, teacher.display_name, summary)
    return row


def remove_teacher(actor: User, school: School, availability_id: int) -> None:
    _require(actor, school)
    row = (
        TeacherAvailability.objects.filter(school=school, pk=availability_id)
        .select_related("teacher")
        .first()
    )
    if row is None:
        raise policy.NotFound("teacher not found")
    with transaction.atomic():
        _log(actor, school, ResourceChange.Kind.TEACHER, row.teacher.display_name, "removed")
        row.delete()


# --- blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockRow:
    """One row of the blocks form: ``key`` prefixes its fields (``block-2``); ``block_id`` is
    the existing block (None for a new row); blank new rows are ignored."""

    key: str
    block_id: int | None
    label: str
    starts: str
    ends: str
    delete: bool = False


def save_blocks(actor: User, school: School, rows: Sequence[BlockRow]) -> list[Block]:
    """Replace the school's blocks with ``rows`` (kept rows, changed rows, new rows).

    Blocks are numbered by start time; each must end after it starts and none may overlap the
    next. Teachers' availability follows a kept block to its new position and drops a removed
    one. Raises :class:`Invalid` with errors keyed ``<row key>-<field>``.
    """
    _require(actor, school)
    existing = {b.pk: b for b in Block.objects.filter(school=school)}
    errors: dict[str, str] = {}
    kept: list[tuple[BlockRow, str, time, time]] = []
    for row in rows:
        if row.block_id is not None and row.block_id not in existing:
            errors[f"{row.key}-label"] = "This block was removed meanwhile; reload the page."
            continue
        blank = not (row.label.strip() or row.starts.strip() or row.ends.strip())
        if row.delete or (row.block_id is None and blank):
            continue
        fields = {"label": row.label, "starts": row.starts, "ends": row.ends}
        mine: dict[str, str] = {}
        label = _text(mine, fields, "label", "block's name", 64)
        starts, ends = _time(mine, fields, "starts"), _time(mine, fields, "ends")
        if starts is not None and ends is not None and ends <= starts:
            mine["ends"] = f"A block must end after it starts ({starts:%H:%M})."
        errors.update({f"{row.key}-{k}": v for k, v in mine.items()})
        if not mine and starts is not None and ends is not None:
            kept.append((row, label, starts, ends))
    kept.sort(key=lambda r: (r[2], r[3]))
    for (_, earlier, _, end), (row, label, starts, _) in itertools.pairwise(kept):
        if starts < end:
            errors[f"{row.key}-starts"] = (
                f"{label} starts at {starts:%H:%M}, before {earlier} ends ({end:%H:%M}): "
                "blocks cannot overlap."
            )
    names = [label.casefold() for _, label, _, _ in kept]
    for row, label, _, _ in kept:
        if names.count(label.casefold()) > 1:
            errors[f"{row.key}-label"] = f"Two blocks are called '{label}'."
    if not kept and not errors:
        errors["__all__"] = "Keep at least one block: the schedule is made of blocks."
    if len(kept) > MAX_BLOCKS:
        errors["__all__"] = f"At most {MAX_BLOCKS} blocks a day."
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        old = {b.pk: (b.position, b.label, b.starts, b.ends) for b in existing.values()}
        moved = {old[row.block_id][0]: n for n, (row, _, _, _) in enumerate(kept) if row.block_id}
        changes = []
        for row, label, starts, ends in kept:
            span = f"{label} {starts:%H:%M}-{ends:%H:%M}"
            if row.block_id is None:
                changes.append(f"added {span}")
            else:
                _, was_label, was_starts, was_ends = old[row.block_id]
                was = f"{was_label} {was_starts:%H:%M}-{was_ends:%H:%M}"
                if was != span:
                    changes.append(f"{was} -> {span}")
        for pk, (_, label, _, _) in old.items():
            if pk not in {row.block_id for row, _, _, _ in kept}:
                changes.append(f"removed {label}")
        # Positions are unique per school: replace the rows rather than shuffle them in place.
        Block.objects.filter(school=school).delete()
        created = Block.objects.bulk_create(
            Block(school=school, position=n, label=label, starts=starts, ends=ends)
            for n, (_, label, starts, ends) in enumerate(kept)
        )
        for availability in TeacherAvailability.objects.filter(school=school):
            blocks = sorted(moved[b] for b in availability.blocks if b in moved)
            if blocks != availability.blocks:
                availability.blocks = blocks
                availability.save(update_fields=["blocks"])
        _log(actor, school, ResourceChange.Kind.BLOCKS, "the day's blocks", "; ".join(changes))
    return created


def tomorrow_capacities(school: School) -> list[tuple[str, str]]:
    """What the next instance gets from these resources, per modality, in words (3 queries):
    licences and devices already applied, so a person sees the binding limit."""
    from pathways.apps.scheduling.adapters import modalities_of

    out = []
    for m in modalities_of(school):
        if m.kind == "teacher_group":
            text = f"groups of {m.min} to {m.max}, one per free teacher"
        elif m.kind == "table":
            text = f"{m.tables} tables of {m.min} to {m.max}"
        elif m.kind == "seats":
            text = f"{m.capacity} seats (after licences and devices)"
        else:
            text = f"{m.per_teacher} students per supervising teacher"
        out.append((LABELS[m.code], text))
    return out
