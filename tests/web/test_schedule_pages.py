"""Schedule pages: by block and by station, moves (refused with the rule), rosters, the board."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from pathways.apps.roster.models import School
from pathways.apps.scheduling.models import DailySchedule, ScheduleAssignment
from pathways.apps.scheduling.queries import next_school_day

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/signin/", {"username": username, "password": "pathways-demo"})
    assert response.status_code == 302
    return client


def _schedule() -> DailySchedule:
    return DailySchedule.objects.get(
        school__sourced_id="demo-cedar-grove", day=next_school_day(timezone.localdate())
    )


def test_teacher_reads_tomorrow_by_block_and_station_in_few_queries(
    django_assert_max_num_queries,
) -> None:
    client = signed_in("teacher1")
    school = School.objects.get(sourced_id="demo-cedar-grove")
    assert client.get("/schedule/").status_code == 302
    with django_assert_max_num_queries(16):
        page = client.get(f"/schools/{school.pk}/schedule/").content.decode()
    assert 'id="schedule-summary"' in page
    assert "Block A" in page
    assert "Move " in page
    assert 'scope="col"' in page
    with django_assert_max_num_queries(16):
        station = client.get(f"/schools/{school.pk}/schedule/?view=station").content.decode()
    assert "Laptop bar, Room 202" in station


def test_rosters_and_board_read_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
) -> None:
    client = signed_in("principal1")
    schedule = _schedule()
    with django_assert_max_num_queries(18):
        rosters = client.get(f"/schedules/{schedule.pk}/rosters/").content.decode()
    assert rosters.count('class="roster"') >= 6  # the stations in use that day
    with django_assert_max_num_queries(18):
        board = client.get(f"/schedules/{schedule.pk}/board/").content.decode()
    assert "Where do I go?" in board
    assert board.count("<tr>") >= 150


def test_a_refused_move_shows_the_rule_and_changes_nothing() -> None:
    from tests.apps.scheduling.test_scheduling import _refusable_move

    schedule = _schedule()
    place, group = _refusable_move(schedule)
    page = (
        signed_in("teacher1")
        .post(
            f"/schedules/{schedule.pk}/move/",
            {"student": place.student_id, "block": 0, "group": group.pk},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert 'id="schedule-refusal"' in page
    assert "was not moved" in page
    assert "(rule 2)" in page
    assert ScheduleAssignment.objects.get(pk=place.pk).group_id == place.group_id


def test_outsiders_get_404_and_students_see_no_schedule() -> None:
    schedule = _schedule()
    assert signed_in("teacher2").get(f"/schedules/{schedule.pk}/board/").status_code == 404
    assert signed_in("student1").get(f"/schedules/{schedule.pk}/board/").status_code == 404
    assert signed_in("teacher2").post(f"/schedules/{schedule.pk}/publish/").status_code == 404


def test_principal_publishes() -> None:
    schedule = _schedule()
    response = signed_in("principal1").post(f"/schedules/{schedule.pk}/publish/")
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.status == DailySchedule.Status.PUBLISHED


def test_move_panel_lists_the_blocks_places_and_a_move_is_saved(
    django_assert_max_num_queries,
) -> None:
    schedule = _schedule()
    place = ScheduleAssignment.objects.filter(schedule=schedule, modality="IP", block=0).first()
    client = signed_in("teacher1")
    url = f"/schedules/{schedule.pk}/move/choose/?student={place.student_id}&block=0"
    with django_assert_max_num_queries(14):
        panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<legend>Move " in panel
    assert "<html" not in panel
    assert panel.count('name="group"') == schedule.groups.filter(block=0).count() - 1
    assert signed_in("principal1").get(url).status_code == 200  # a page without htmx
    assert signed_in("teacher2").get(url).status_code == 404
    seats = list(schedule.groups.filter(block=0, modality__in=["IP", "AS", "VT"]))
    for candidate in ScheduleAssignment.objects.filter(
        schedule=schedule, block=0, modality__in=["IP", "AS", "VT"]
    )[:20]:
        for group in seats:
            if group.pk == candidate.group_id:
                continue
            page = client.post(
                f"/schedules/{schedule.pk}/move/",
                {"student": candidate.student_id, "block": 0, "group": group.pk},
            ).content.decode()
            if 'id="schedule-message"' in page:
                assert ScheduleAssignment.objects.get(pk=candidate.pk).group_id == group.pk
                return
            assert "(rule " in page
    raise AssertionError("no move between seats was accepted")


def test_station_exit_tickets_are_recorded_and_ask_for_a_reteach_the_next_day(
    person, django_assert_max_num_queries
) -> None:
    from pathways.apps.evidence.models import Evidence
    from pathways.apps.roster.models import Enrollment
    from pathways.apps.scheduling import adapters
    from pathways.apps.scheduling.queries import station_ticket_id
    from pathways.engines.scheduling import parse_instance

    schedule = _schedule()
    stored = parse_instance(schedule.instance)
    section = Enrollment.objects.get(user=person("teacher1"), role="teacher").section
    own = set(
        Enrollment.objects.filter(section=section, role="student").values_list("user_id", flat=True)
    )
    place = next(
        p
        for p in ScheduleAssignment.objects.filter(
            schedule=schedule, student_id__in=own
        ).select_related("student", "standard", "group")
        if stored.student_by_id[p.student.username].value(adapters.skill_id(p.standard)) >= 0.5
    )
    skill = adapters.skill_id(place.standard)
    before = adapters.build_instance(schedule.school, next_school_day(schedule.day))
    group = place.group
    client = signed_in("teacher1")
    url = f"/schedules/{schedule.pk}/groups/{group.pk}/exit-tickets/"
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert 'id="exit-tickets"' in page
    assert f'name="ticket-{place.pk}"' in page
    others = group.assignments.exclude(student_id__in=own).count()
    assert page.count("Their own teacher records it") == others
    assert client.post(url, {f"ticket-{place.pk}": "not_yet"}).status_code == 302
    evidence = Evidence.objects.get(pk=station_ticket_id(place))
    assert evidence.kind == Evidence.Kind.EXIT_TICKET
    assert evidence.correct is False
    assert evidence.response["modality"] == group.modality
    assert "Not yet (recorded)" in client.get(url).content.decode()
    # Today's "not yet" makes the standard a re-teach in the next schedule.
    after = adapters.build_instance(schedule.school, next_school_day(schedule.day))
    old = before.instance.student_by_id[place.student.username].value(skill)
    new = after.instance.student_by_id[place.student.username].value(skill)
    assert new is not None
    assert old is not None
    assert new > old + adapters.RETEACH_BONUS / 2
    assert signed_in("teacher2").get(url).status_code == 404
