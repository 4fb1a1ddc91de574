"""Rows <-> the scheduling engine: build one school day's instance, turn a schedule into rows.

The instance (``pathways-schedule-instance/1``) is built from the platform's own data, in a fixed
number of queries whatever the school's size:

* students: those enrolled in the school's active sections;
* candidate skills: the standards of the student's course that are *ready to learn* (every
  prerequisite inside the course mastered, the standard itself not yet), valued by how much is
  left to learn (``1 - p_mastery``); a standard whose latest exit ticket failed is a **re-teach**
  and gets a bonus; when fewer than ``sessions + 1`` candidates remain, the next unmastered
  standards in pacing order and then a review of the latest mastered ones fill in at low value;
* effectiveness per student and modality: the success rate of the student's evidence linked to
  a modality (through the activity's modality, or the station that recorded an exit ticket),
  shrunk toward the school's rate for that modality with ``PRIOR_STRENGTH`` pseudo-observations
  (beta-binomial), relative to the school's overall rate, times the modality's prior;
* yesterday: the modalities of the student's previous schedule at the school (the variety weight
  steers the re-teach, and everything else, into a different modality than yesterday's).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Modality as ActivityModality
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.roster.models import Enrollment, School
from pathways.apps.scheduling.models import (
    Block,
    DailySchedule,
    DevicePool,
    Licence,
    Modality,
    ScheduleAssignment,
    ScheduleGroup,
    Station,
    TeacherAvailability,
)
from pathways.apps.standards.models import Association, CourseStandard, Standard
from pathways.engines.scheduling import (
    Assignment,
    Candidate,
    Group,
    Instance,
    Schedule,
    Skill,
    Student,
    Teacher,
    Weights,
)
from pathways.engines.scheduling import Modality as EngineModality

WEIGHTS = Weights(variety=0.15, homogeneity=0.2, teacher_band=0.1)
# How well each modality works for a typical student before any evidence (relative scale).
PRIOR_EFFECTIVENESS = {"TL": 1.25, "PC": 0.95, "IP": 0.8, "AS": 0.95, "VT": 0.9, "PW": 0.75}
PRIOR_STRENGTH = 8.0  # pseudo-observations pulling a student's rate toward the school's
EFFECTIVENESS_RANGE = (0.3, 2.0)
# The library's modalities as the scheduler's codes (service learning is not scheduled).
FROM_ACTIVITY: dict[str, str] = {
    ActivityModality.TEACHER_LED: "TL",
    ActivityModality.COLLABORATIVE: "PC",
    ActivityModality.INDEPENDENT: "IP",
    ActivityModality.ADAPTIVE: "AS",
    ActivityModality.FLIPPED_VIDEO: "VT",
    ActivityModality.PROJECT: "PW",
}
MAX_CANDIDATES = 6
RETEACH_BONUS = 0.4
RETEACH_DAYS = 3  # a failed exit ticket within this many days before the day asks for re-teach
FILL_VALUE = 0.35  # an unmastered standard whose prerequisites are not all mastered yet
REVIEW_VALUE = 0.15  # a mastered standard, reviewed
HISTORY_DAYS = 120  # evidence window for effectiveness


@dataclass(frozen=True)
class Built:
    """An instance and the rows behind its ids (engine id -> row)."""

    instance: Instance
    students: dict[str, User]
    standards: dict[str, Standard]
    teachers: dict[str, User]


def band_of(grade: str) -> int:
    """Grade band: 0 for K-2, 1 for grades 3-5, 2 for 6 and up."""
    number = int(grade) if grade.isdigit() else 0
    return 0 if number <= 2 else 1 if number <= 5 else 2


def skill_id(standard: Standard) -> str:
    return standard.short_code or f"std-{standard.pk}"


def _strand(standard: Standard) -> str:
    """'4.NF.A.1' -> '4.NF': a grade's domain is the strand along which skills are adjacent."""
    parts = re.split(r"\.", skill_id(standard))
    return ".".join(parts[:2]) if len(parts) >= 2 else parts[0]


def modalities_of(school: School) -> tuple[EngineModality, ...]:
    """The school's stations, devices and licences as the engine's modalities (3 queries)."""
    stations: dict[str, list[Station]] = defaultdict(list)
    for station in Station.objects.filter(school=school):
        stations[station.modality].append(station)
    licences: dict[str, int] = defaultdict(int)
    for licence in Licence.objects.filter(school=school):
        licences[licence.modality] += licence.seats
    # A pool shared by several modalities is split in proportion to their stations' seats, so
    # the engine's per-modality capacities never add up to more devices than the pool has.
    seats_at = {code: sum(s.capacity for s in here) for code, here in stations.items()}
    devices: dict[str, int] = {}
    for pool in DevicePool.objects.filter(school=school):
        users = [c for c in pool.modalities if seats_at.get(c)]
        total = sum(seats_at[c] for c in users)
        for code in users:
            share = pool.devices * seats_at[code] // total
            devices[code] = devices.get(code, 0) + share
    out = []
    for code in Modality.values:
        here = stations.get(code)
        if not here:
            continue
        capacity = sum(s.capacity for s in here)
        if code == "TL":
            out.append(
                EngineModality(
                    code,
                    "teacher_group",
                    min=max(1, min(s.min_group or 4 for s in here)),
                    max=max(s.capacity for s in here),
                )
            )
        elif code == "PC":
            out.append(
                EngineModality(
                    code,
                    "table",
                    min=max(1, min(s.min_group or 3 for s in here)),
                    max=max(s.capacity for s in here),
                    tables=sum(s.tables for s in here),
                )
            )
        elif code == "PW":
            out.append(EngineModality(code, "supervised", per_teacher=capacity))
        else:
            if code in licences:
                capacity = min(capacity, licences[code])
            if code in devices:
                capacity = min(capacity, devices[code])
            out.append(EngineModality(code, "seats", capacity=capacity))
    return tuple(out)


def school_students(school: School) -> list[tuple[User, int]]:
    """(student, course id) for every student of the school's active sections (1 query)."""
    seen: dict[int, tuple[User, int]] = {}
    for enrollment in (
        Enrollment.objects.filter(
            section__school=school, section__active=True, active=True, role="student"
        )
        .select_related("user", "section")
        .order_by("user__last_name", "user__first_name", "user_id")
    ):
        seen.setdefault(enrollment.user_id, (enrollment.user, enrollment.section.course_id))
    return list(seen.values())


def previous_schedule(school: School, day: date) -> DailySchedule | None:
    return DailySchedule.objects.filter(school=school, day__lt=day).order_by("-day").first()


def effectiveness(
    student_ids: list[int], codes: list[str], *, now: datetime
) -> dict[int, dict[str, float]]:
    """Per student and modality code: the prior, scaled by the shrunk success rate (1 query)."""
    since = now - timedelta(days=HISTORY_DAYS)
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        Evidence.objects.filter(student_id__in=student_ids, occurred_at__gte=since)
        .filter(Q(activity__isnull=False) | Q(response__has_key="modality"))
        .filter(Q(correct__isnull=False) | Q(rubric_level__isnull=False))
        .values("student_id", "activity__modality", "response__modality")
        .annotate(
            n=Count("pk"),
            ok=Count("pk", filter=Q(correct=True) | Q(rubric_level__gte=3)),
        )
    )
    for row in rows:
        code = row["response__modality"] or FROM_ACTIVITY.get(row["activity__modality"])
        if code not in codes:
            continue
        cell = counts[(row["student_id"], code)]
        cell[0] += row["n"]
        cell[1] += row["ok"]
    per_modality: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_, code), (n, ok) in counts.items():
        per_modality[code][0] += n
        per_modality[code][1] += ok
    total_n = sum(n for n, _ in per_modality.values())
    total_ok = sum(ok for _, ok in per_modality.values())
    overall = (total_ok + 1.0) / (total_n + 2.0)  # Laplace: 0.5 with no evidence at all
    population = {
        code: (per_modality[code][1] + PRIOR_STRENGTH * overall)
        / (per_modality[code][0] + PRIOR_STRENGTH)
        for code in codes
    }
    low, high = EFFECTIVENESS_RANGE
    out: dict[int, dict[str, float]] = {}
    for sid in student_ids:
        row_out = {}
        for code in codes:
            n, ok = counts.get((sid, code), (0, 0))
            rate = (ok + PRIOR_STRENGTH * population[code]) / (n + PRIOR_STRENGTH)
            value = PRIOR_EFFECTIVENESS.get(code, 1.0) * rate / overall
            row_out[code] = round(min(max(value, low), high), 4)
        out[sid] = row_out
    return out


def _failed_exit_tickets(student_ids: list[int], day: date) -> set[tuple[int, int]]:
    """(student, standard) whose latest exit ticket in the last days before ``day`` failed."""
    start = timezone.make_aware(datetime.combine(day - timedelta(days=RETEACH_DAYS), time.min))
    end = timezone.make_aware(datetime.combine(day, time.min))
    latest: dict[tuple[int, int], bool] = {}
    for sid, standard_id, correct, level in (
        Evidence.objects.filter(
            student_id__in=student_ids,
            kind=Evidence.Kind.EXIT_TICKET,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by("occurred_at")
        .values_list("student_id", "standard_id", "correct", "rubric_level")
    ):
        passed = bool(correct) if correct is not None else (level or 0) >= 3
        latest[(sid, standard_id)] = passed
    return {key for key, passed in latest.items() if not passed}


def build_instance(school: School, day: date, *, now: datetime | None = None) -> Built:
    """The school's day ``day`` as an engine instance (about a dozen queries in all)."""
    now = now or timezone.now()
    blocks = list(Block.objects.filter(school=school).order_by("position"))
    sessions = len(blocks)
    positions = [b.position for b in blocks]
    modalities = modalities_of(school)
    codes = [m.code for m in modalities]

    enrolled = school_students(school)
    students = [u for u, _ in enrolled]
    student_ids = [u.pk for u in students]
    course_ids = sorted({c for _, c in enrolled})
    course_standards: dict[int, list[Standard]] = defaultdict(list)
    grade_of_course: dict[int, str] = {}
    for link in (
        CourseStandard.objects.filter(course_id__in=course_ids)
        .select_related("standard", "course")
        .order_by("course_id", "position")
    ):
        course_standards[link.course_id].append(link.standard)
        grade_of_course[link.course_id] = str((link.course.grade_levels or ["0"])[0])
    all_ids = {s.pk for items in course_standards.values() for s in items}
    prerequisites: dict[int, list[int]] = defaultdict(list)
    for origin, destination in Association.objects.filter(
        kind=Association.Kind.PRECEDES, origin_id__in=all_ids, destination_id__in=all_ids
    ).values_list("origin_id", "destination_id"):
        prerequisites[destination].append(origin)
    estimates: dict[tuple[int, int], tuple[float, bool]] = {
        (sid, std): (p, at is not None)
        for sid, std, p, at in MasteryEstimate.objects.filter(
            student_id__in=student_ids, standard_id__in=all_ids
        ).values_list("student_id", "standard_id", "p_mastery", "mastered_at")
    }
    reteach = _failed_exit_tickets(student_ids, day)
    effect = effectiveness(student_ids, codes, now=now)
    yesterday: dict[int, list[str]] = defaultdict(list)
    before = previous_schedule(school, day)
    if before is not None:
        for sid, code in (
            ScheduleAssignment.objects.filter(schedule=before)
            .order_by("block")
            .values_list("student_id", "modality")
        ):
            yesterday[sid].append(code)

    skills: dict[str, Skill] = {}
    standards: dict[str, Standard] = {}
    for course_id, items in course_standards.items():
        band = band_of(grade_of_course.get(course_id, "0"))
        rank: dict[str, int] = defaultdict(int)
        for standard in items:
            code = skill_id(standard)
            if code in skills:
                continue
            strand = _strand(standard)
            rank[strand] += 1
            skills[code] = Skill(code, strand, rank[strand], band)
            standards[code] = standard

    engine_students = []
    by_username: dict[str, User] = {}
    for user, course_id in enrolled:
        items = course_standards.get(course_id, [])

        def mastered(std: int, uid: int = user.pk) -> bool:
            return estimates.get((uid, std), (0.0, False))[1]

        values: dict[str, float] = {}
        for standard in items:
            if mastered(standard.pk):
                continue
            if all(mastered(p) for p in prerequisites[standard.pk]):
                p = estimates.get((user.pk, standard.pk), (0.0, False))[0]
                value = 0.5 + (1.0 - p)
                if (user.pk, standard.pk) in reteach:
                    value += RETEACH_BONUS
                values[skill_id(standard)] = round(value, 4)
        ranked = sorted(values.items(), key=lambda kv: -kv[1])[:MAX_CANDIDATES]
        chosen = dict(ranked)
        need = sessions + 1
        for standard in items:  # the next unmastered standards in pacing order
            if len(chosen) >= need:
                break
            if not mastered(standard.pk):
                chosen.setdefault(skill_id(standard), FILL_VALUE)
        for standard in reversed(items):  # then review what was mastered most recently in order
            if len(chosen) >= need:
                break
            chosen.setdefault(skill_id(standard), REVIEW_VALUE)
        engine_students.append(
            Student(
                id=user.username,
                candidates=tuple(Candidate(k, v) for k, v in chosen.items()),
                effectiveness=effect[user.pk],
                yesterday=tuple(yesterday.get(user.pk, ())),
            )
        )
        by_username[user.username] = user

    teachers: dict[str, User] = {}
    engine_teachers = []
    for availability in (
        TeacherAvailability.objects.filter(school=school)
        .select_related("teacher")
        .order_by("teacher__username")
    ):
        if not availability.teacher.is_active:
            continue
        free = set(availability.blocks)
        engine_teachers.append(
            Teacher(
                availability.teacher.username,
                availability.band,
                tuple(p in free for p in positions),
            )
        )
        teachers[availability.teacher.username] = availability.teacher
    used = {c.skill for st in engine_students for c in st.candidates}
    instance = Instance(
        sessions=sessions,
        weights=WEIGHTS,
        skills=tuple(s for k, s in skills.items() if k in used),
        modalities=modalities,
        teachers=tuple(engine_teachers),
        students=tuple(engine_students),
    )
    return Built(instance, by_username, {k: v for k, v in standards.items() if k in used}, teachers)


@dataclass(frozen=True)
class Rows:
    groups: list[ScheduleGroup]
    supervisors: list[tuple[str, list[int]]]  # group key -> supervising teacher ids
    assignments: list[ScheduleAssignment]


def to_rows(
    built: Built, schedule: Schedule, record: DailySchedule, stations: list[Station]
) -> Rows:
    """Engine schedule -> unsaved rows. Seats get one group per station and block, so every
    student sits in a group; each group is placed at a station of its modality (round robin)."""
    by_modality: dict[str, list[Station]] = defaultdict(list)
    for station in stations:
        by_modality[station.modality].append(station)
    kinds = {m.code: m.kind for m in built.instance.modalities}
    groups: dict[str, ScheduleGroup] = {}
    supervisors: list[tuple[str, list[int]]] = []
    turn: dict[tuple[int, str], int] = defaultdict(int)

    def station_for(block: int, code: str) -> Station | None:
        here = by_modality.get(code)
        if not here:
            return None
        index = turn[(block, code)]
        turn[(block, code)] += 1
        return here[index % len(here)]

    for group in schedule.groups:
        row = ScheduleGroup(
            schedule=record,
            key=group.id,
            block=group.session,
            modality=group.modality,
            station=station_for(group.session, group.modality),
            teacher=built.teachers[group.teacher] if group.teacher else None,
            standard=built.standards.get(group.anchor or group.skill or ""),
        )
        groups[group.id] = row
        if group.teachers:
            supervisors.append((group.id, [built.teachers[t].pk for t in group.teachers]))
    seat_groups: dict[tuple[int, str], ScheduleGroup] = {}
    assignments = []
    for item in schedule.assignments:
        if item.group is not None:
            group_row = groups[item.group]
        else:
            key = (item.session, item.modality)
            if key not in seat_groups:
                seat_groups[key] = ScheduleGroup(
                    schedule=record,
                    key=f"seats-{item.modality}-{item.session}",
                    block=item.session,
                    modality=item.modality,
                    station=station_for(item.session, item.modality),
                )
            group_row = seat_groups[key]
        assignments.append(
            ScheduleAssignment(
                schedule=record,
                student=built.students[item.student],
                block=item.session,
                modality=item.modality,
                standard=built.standards[item.skill],
                group=group_row,
                teacher=group_row.teacher,
                station=group_row.station,
            )
        )
    assert all(kinds[g.modality] == "seats" for g in seat_groups.values())
    return Rows([*groups.values(), *seat_groups.values()], supervisors, assignments)


def from_rows(
    groups: list[ScheduleGroup],
    supervisors: dict[int, list[str]],
    assignments: list[ScheduleAssignment],
    kinds: dict[str, str],
) -> Schedule:
    """Stored rows -> the engine's schedule (seat groups, a platform notion, are dropped).

    Expects ``teacher``, ``standard`` and ``student`` selected with the rows; ``supervisors``
    maps a group id to its supervising teachers' usernames.
    """
    out_groups = []
    for g in groups:
        kind = kinds.get(g.modality)
        if kind == "seats":
            continue
        code = skill_id(g.standard) if g.standard is not None else None
        out_groups.append(
            Group(
                id=g.key,
                session=g.block,
                modality=g.modality,
                teacher=g.teacher.username if kind == "teacher_group" and g.teacher else None,
                anchor=code if kind == "teacher_group" else None,
                skill=code if kind == "table" else None,
                teachers=tuple(supervisors.get(g.pk, ())) if kind == "supervised" else None,
            )
        )
    key_of = {g.pk: g.key for g in groups}
    out_assignments = tuple(
        Assignment(
            student=a.student.username,
            session=a.block,
            modality=a.modality,
            skill=skill_id(a.standard),
            group=key_of[a.group_id] if kinds.get(a.modality) != "seats" else None,
        )
        for a in assignments
    )
    return Schedule(tuple(out_groups), out_assignments)


def kinds_of(instance: Instance) -> dict[str, str]:
    return {m.code: m.kind for m in instance.modalities}


__all__ = [
    "PRIOR_EFFECTIVENESS",
    "PRIOR_STRENGTH",
    "WEIGHTS",
    "Assignment",
    "Built",
    "Instance",
    "Rows",
    "Schedule",
    "band_of",
    "build_instance",
    "effectiveness",
    "from_rows",
    "kinds_of",
    "modalities_of",
    "previous_schedule",
    "skill_id",
    "to_rows",
]
