"""Scheduling on the demo district: instances from platform rows, feasible schedules, refusals."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.apps.access import policy
from pathways.apps.evidence.models import Evidence
from pathways.apps.roster.models import Enrollment, School, Section
from pathways.apps.scheduling import adapters, queries, services
from pathways.apps.scheduling.models import (
    Block,
    DailySchedule,
    ScheduleAssignment,
    Station,
    TeacherAvailability,
)
from pathways.apps.standards.models import Standard
from pathways.engines.scheduling import (
    InfeasibleInstanceError,
    check_feasible,
    diagnose,
    dump_instance,
    parse_instance,
    solve,
)

pytestmark = pytest.mark.django_db


def _cedar() -> School:
    return School.objects.get(sourced_id="demo-cedar-grove")


def _day():
    return queries.next_school_day(timezone.localdate())


def _demo_schedule() -> DailySchedule:
    return DailySchedule.objects.get(school=_cedar(), day=_day())


def test_adapter_builds_a_valid_instance_from_the_demo() -> None:
    built = adapters.build_instance(_cedar(), _day())
    instance = built.instance
    assert parse_instance(dump_instance(instance)) == instance
    assert len(instance.students) == 150
    assert instance.sessions == 3
    assert {m.code for m in instance.modalities} == {"TL", "PC", "IP", "AS", "VT", "PW"}
    assert len(instance.teachers) == 6
    assert diagnose(instance) == []
    for student in instance.students:
        assert len(student.candidates) > instance.sessions
        assert set(student.effectiveness) == {"TL", "PC", "IP", "AS", "VT", "PW"}
    # A shared device pool never promises more devices than it has.
    seats = {m.code: m.capacity for m in instance.modalities if m.kind == "seats"}
    assert seats["AS"] + seats["VT"] <= 60


def test_the_demo_schedule_is_feasible_and_stored_whole() -> None:
    schedule = _demo_schedule()
    engine, instance = services._engine_schedule(schedule)
    assert check_feasible(instance, engine) == []
    assert ScheduleAssignment.objects.filter(schedule=schedule).count() == 150 * 3
    assert schedule.gap is not None
    assert schedule.gap < 0.05


def test_a_failed_exit_ticket_asks_for_a_reteach_and_yesterday_is_read(person) -> None:
    student = person("student1")
    before = adapters.build_instance(_cedar(), _day()).instance.student_by_id["student1"]
    code = before.candidates[0].skill
    standard = next(s for s in Standard.objects.filter(code__endswith=code) if s.short_code == code)
    Evidence.objects.create(
        id=uuid.uuid4(),
        student=student,
        standard=standard,
        kind=Evidence.Kind.EXIT_TICKET,
        correct=False,
        occurred_at=timezone.make_aware(datetime.combine(_day() - timedelta(days=1), time(11))),
    )
    # Yesterday's schedule: the demo's, moved one day back.
    DailySchedule.objects.filter(pk=_demo_schedule().pk).update(day=_day() - timedelta(days=1))
    after = adapters.build_instance(_cedar(), _day()).instance.student_by_id["student1"]
    assert after.value(code) == pytest.approx(before.value(code) + adapters.RETEACH_BONUS)
    assert len(after.yesterday) == 3
    assert before.yesterday == ()


def test_effectiveness_learns_from_station_evidence_with_shrinkage(person) -> None:
    a, b = person("student1"), person("student3")
    standard = Standard.objects.filter(courses__isnull=False).first()
    now = timezone.now()
    Evidence.objects.bulk_create(
        Evidence(
            id=uuid.uuid4(),
            student=who,
            standard=standard,
            kind=Evidence.Kind.EXIT_TICKET,
            correct=ok,
            response={"modality": "AS"},
            occurred_at=now - timedelta(days=1),
        )
        for who, ok in [(a, True)] * 10 + [(b, False)] * 10
    )
    table = adapters.effectiveness([a.pk, b.pk], ["AS", "TL"], now=now)
    assert table[a.pk]["AS"] > table[b.pk]["AS"]
    # Shrinkage: 10 answers move a student part of the way, not to the extremes.
    low, high = adapters.EFFECTIVENESS_RANGE
    assert low < table[b.pk]["AS"] < table[a.pk]["AS"] < high
    assert table[a.pk]["TL"] == table[b.pk]["TL"]  # no TL evidence: the same prior for both


def _refusable_move(schedule: DailySchedule) -> tuple[ScheduleAssignment, object]:
    """A student and a group in block 0 of a modality the student already has in another block."""
    places = list(ScheduleAssignment.objects.filter(schedule=schedule).select_related("student"))
    groups = {g.block: {} for g in schedule.groups.all()}
    for g in schedule.groups.all():
        groups[g.block].setdefault(g.modality, g)
    by_student: dict[int, dict[int, ScheduleAssignment]] = {}
    for p in places:
        by_student.setdefault(p.student_id, {})[p.block] = p
    for blocks in by_student.values():
        later = blocks[1].modality
        if later in groups[0] and blocks[0].modality != later:
            return blocks[0], groups[0][later]
    raise AssertionError("no refusable move found")


def test_a_move_that_breaks_a_rule_is_refused_with_the_reason(person) -> None:
    schedule = _demo_schedule()
    place, group = _refusable_move(schedule)
    with pytest.raises(services.MoveRefused) as refused:
        services.move_student(person("teacher1"), schedule, place.student, 0, group)
    assert any(v.rule == 2 for v in refused.value.violations)
    assert "modality" in str(refused.value)
    place.refresh_from_db()
    assert place.group_id != group.pk


def test_a_feasible_move_is_saved_and_the_objective_updated(person) -> None:
    schedule = _demo_schedule()
    teacher = person("teacher1")
    seat_groups = [g for g in schedule.groups.all() if g.modality in ("IP", "AS", "VT")]
    for place in ScheduleAssignment.objects.filter(
        schedule=schedule, modality__in=["IP", "AS", "VT"]
    ).select_related("student")[:40]:
        for group in seat_groups:
            if group.block != place.block or group.pk == place.group_id:
                continue
            try:
                moved = services.move_student(teacher, schedule, place.student, place.block, group)
            except services.MoveRefused:
                continue
            place.refresh_from_db()
            assert place.group_id == group.pk
            assert place.modality == group.modality
            schedule.refresh_from_db()
            assert schedule.moves == 1
            assert schedule.objective == pytest.approx(moved.objective)
            engine, instance = services._engine_schedule(schedule)
            assert check_feasible(instance, engine) == []
            return
    raise AssertionError("no feasible move found")


def test_only_the_schools_staff_may_move_and_publish(person) -> None:
    schedule = _demo_schedule()
    place, group = _refusable_move(schedule)
    for outsider in ("teacher2", "district1", "student1"):
        with pytest.raises(policy.NotFound):
            services.move_student(person(outsider), schedule, place.student, 0, group)
        with pytest.raises(policy.NotFound):
            services.publish(person(outsider), schedule)
    services.publish(person("principal1"), schedule)
    assert schedule.status == DailySchedule.Status.PUBLISHED
    with pytest.raises(services.ScheduleError, match="already published"):
        services.build_schedule(person("principal1"), _cedar(), _day(), time_limit=1)


def test_the_daily_loop_schedules_every_school() -> None:
    from pathways.jobs.tomorrow import run

    DailySchedule.objects.all().delete()
    results = run(time_limit=1)
    assert [r.status for r in results] == ["built", "built"]
    assert all(r.students == 150 for r in results)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    students=st.integers(4, 14),
    sessions=st.integers(1, 3),
    teachers=st.lists(st.lists(st.booleans(), min_size=3, max_size=3), min_size=1, max_size=3),
    seats=st.integers(0, 12),
    tables=st.integers(0, 3),
    tl_min=st.integers(2, 5),
)
def test_solved_schedules_of_random_small_schools_are_feasible(
    person, students, sessions, teachers, seats, tables, tl_min
) -> None:
    """Random small schools built as platform rows: the solver returns a feasible schedule or
    says why none exists, and the stored rows give the same schedule back."""
    cedar = _cedar()
    source = Section.objects.filter(school=cedar).order_by("pk").first()
    assert source is not None
    with transaction.atomic():
        school = School.objects.create(district=cedar.district, name="Tiny Test School")
        section = Section.objects.create(
            course=source.course, school=school, term=source.term, title="Tiny"
        )
        pupils = Enrollment.objects.filter(section=source, role="student").order_by("pk")[:students]
        Enrollment.objects.bulk_create(
            Enrollment(section=section, user_id=e.user_id, role="student") for e in pupils
        )
        Block.objects.bulk_create(
            Block(
                school=school, position=i, label=f"B{i}", starts=time(9 + i), ends=time(9 + i, 40)
            )
            for i in range(sessions)
        )
        Station.objects.bulk_create(
            [
                Station(school=school, name="TL", modality="TL", capacity=6, min_group=tl_min),
                Station(
                    school=school, name="PC", modality="PC", capacity=4, tables=tables, min_group=2
                ),
                Station(school=school, name="IP", modality="IP", capacity=seats),
                Station(school=school, name="PW", modality="PW", capacity=8),
            ]
        )
        staff = ["teacher1", "teacher3", "teacher4"]
        TeacherAvailability.objects.bulk_create(
            TeacherAvailability(
                school=school,
                teacher=person(staff[i]),
                band=1,
                blocks=[b for b, free in enumerate(row) if free],
            )
            for i, row in enumerate(teachers)
        )
        built = adapters.build_instance(school, _day())
        reason = ""
        try:
            result = solve(built.instance, time_limit=1)
        except InfeasibleInstanceError as error:
            result, reason = None, str(error)
        if result is None:
            assert reason  # the solver says why no schedule exists
        else:
            assert check_feasible(built.instance, result.schedule) == []
            record = services.build_schedule(None, school, _day(), time_limit=1)
            engine, instance = services._engine_schedule(record)
            assert check_feasible(instance, engine) == []
        transaction.set_rollback(True)
