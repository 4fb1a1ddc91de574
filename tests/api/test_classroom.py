"""A class in the API: pacing, insights (ready / stuck / not assessed), assignments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.apps.access.models import AccessLog
from pathways.apps.activities.models import Activity
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import MasteryEstimate
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.paths.models import Assignment, AssignmentCompletion
from pathways.apps.roster.models import District, Enrollment

pytestmark = pytest.mark.django_db


def _section_of(student):
    return Enrollment.objects.get(user=student, role="student", active=True).section


def _activity_for(student) -> Activity:
    return Activity.objects.filter(standards__in=student_course_standards(student)[:3]).first()


# --- pacing -----------------------------------------------------------------------------------


def test_pacing_lists_every_student_of_the_class_against_the_guide(api, person) -> None:
    section = _section_of(person("student1"))
    response = api("teacher1").get(f"/sections/{section.pk}/pacing")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["guide"]["test_date"] == "2027-04-20"
    enrolled = set(
        Enrollment.objects.filter(section=section, role="student", active=True).values_list(
            "user_id", flat=True
        )
    )
    assert {row["student"]["id"] for row in body["students"]} == enrolled
    for row in body["students"]:
        assert row["expected"] == body["expected_today"]
        assert row["status"] in ("ahead", "on track", "behind")
        assert 0 <= row["mastered"] <= body["total"]


def test_pacing_counts_what_the_student_has_mastered(api, person) -> None:
    student = person("student1")
    mastered = MasteryEstimate.objects.filter(
        student=student,
        standard__in=student_course_standards(student),
        mastered_at__isnull=False,
    ).count()
    rows = api("student1").get(f"/students/{student.pk}/pacing").json()
    assert rows
    assert rows[0]["students"][0]["mastered"] == mastered
    assert [r["student"]["id"] for r in rows[0]["students"]] == [student.pk]


def test_pacing_of_a_class_is_for_its_staff_only(api, person) -> None:
    section = _section_of(person("student1"))
    assert api("teacher2").get(f"/sections/{section.pk}/pacing").status_code == 404
    assert api("student1").get(f"/sections/{section.pk}/pacing").status_code == 404
    assert api("guardian1").get(f"/sections/{section.pk}/pacing").status_code == 404
    assert api("principal1").get(f"/sections/{section.pk}/pacing").status_code == 200


def test_a_guardian_reads_their_childs_pacing_not_another(api, person) -> None:
    guardian = api("guardian1")
    assert guardian.get(f"/students/{person('student1').pk}/pacing").status_code == 200
    assert guardian.get(f"/students/{person('student2').pk}/pacing").status_code == 404


# --- insights ---------------------------------------------------------------------------------


def test_a_student_with_many_misses_on_a_standard_is_stuck(api, person) -> None:
    student = person("student1")
    standard = student_course_standards(student)[0]
    MasteryEstimate.objects.update_or_create(
        student=student,
        standard=standard,
        defaults={"p_mastery": 0.2, "n_evidence": 99, "mastered_at": None},
    )
    body = api("teacher1").get(f"/sections/{_section_of(student).pk}/insights").json()
    assert {"student": student.pk, "standard": standard.pk, "n": 99} in [
        {"student": s["student"]["id"], "standard": s["standard"]["id"], "n": s["n_evidence"]}
        for s in body["stuck"]
    ]
    assert body["stuck_after"] == 6


def test_a_student_without_recent_evidence_is_not_assessed_lately(api, person) -> None:
    student = person("student1")
    Evidence.objects.filter(student=student).update(occurred_at=timezone.now() - timedelta(days=30))
    body = api("teacher1").get(f"/sections/{_section_of(student).pk}/insights").json()
    late = {row["student"]["id"]: row["last_evidence_at"] for row in body["not_assessed"]}
    assert student.pk in late
    assert body["not_assessed_days"] == 10


def test_ready_lists_only_students_who_have_not_mastered_the_standard(api, person) -> None:
    student = person("student1")
    body = api("teacher1").get(f"/sections/{_section_of(student).pk}/insights").json()
    assert body["ready"], "the demo class has standards someone is ready for"
    for entry in body["ready"]:
        for ready in entry["students"]:
            assert not MasteryEstimate.objects.filter(
                student_id=ready["id"],
                standard_id=entry["standard"]["id"],
                mastered_at__isnull=False,
            ).exists()


def test_insights_are_refused_to_students_and_other_teachers(api, person) -> None:
    section = _section_of(person("student1"))
    for who in ("student1", "guardian1", "teacher2"):
        assert api(who).get(f"/sections/{section.pk}/insights").status_code == 404, who


def test_reading_insights_is_logged_per_student(api, person) -> None:
    section = _section_of(person("student1"))
    before = AccessLog.objects.filter(channel="api").count()
    api("teacher1").get(f"/sections/{section.pk}/insights")
    students = Enrollment.objects.filter(section=section, role="student", active=True).count()
    assert AccessLog.objects.filter(channel="api").count() - before == students


# --- assignments ------------------------------------------------------------------------------


def test_teacher_assigns_to_the_whole_class_and_each_student_sees_it(api, person) -> None:
    student = person("student1")
    section = _section_of(student)
    activity = _activity_for(student)
    made = api("teacher1").post(f"/sections/{section.pk}/assignments", {"activity": activity.pk})
    assert made.status_code == 201, made.content
    [assignment] = made.json()
    assert assignment["student_id"] is None
    mine = api("student1").get(f"/students/{student.pk}/assignments").json()
    assert assignment["id"] in [a["id"] for a in mine]
    listed = api("teacher1").get(f"/sections/{section.pk}/assignments?limit=5").json()
    assert listed["items"][0]["id"] == assignment["id"]
    assert listed["count"] == Assignment.objects.filter(section=section).count()


def test_teacher_assigns_to_a_group_of_students(api, person) -> None:
    student1, student3 = person("student1"), person("student3")
    section = _section_of(student1)
    activity = _activity_for(student1)
    made = api("teacher1").post(
        f"/sections/{section.pk}/assignments",
        {"activity": activity.pk, "students": [student1.pk, student3.pk], "pinned": True},
    )
    assert made.status_code == 201
    assert sorted(a["student_id"] for a in made.json()) == sorted([student1.pk, student3.pk])
    others = Enrollment.objects.filter(section=section, role="student").exclude(
        user__in=[student1, student3]
    )
    outsider = others.first().user
    theirs = api("teacher1").get(f"/students/{outsider.pk}/assignments").json()
    assert not {a["id"] for a in made.json()} & {a["id"] for a in theirs}


def test_a_group_with_a_student_the_teacher_does_not_teach_assigns_nothing(api, person) -> None:
    student1 = person("student1")
    section = _section_of(student1)
    before = Assignment.objects.count()
    refused = api("teacher1").post(
        f"/sections/{section.pk}/assignments",
        {"activity": _activity_for(student1).pk, "students": [student1.pk, person("student2").pk]},
    )
    assert refused.status_code == 404
    assert Assignment.objects.count() == before


def test_assigning_in_someone_elses_class_or_from_another_district_is_404(api, person) -> None:
    student1 = person("student1")
    section = _section_of(student1)
    activity = _activity_for(student1)
    body = {"activity": activity.pk}
    assert api("teacher2").post(f"/sections/{section.pk}/assignments", body).status_code == 404
    assert api("principal1").post(f"/sections/{section.pk}/assignments", body).status_code == 404
    elsewhere = District.objects.create(name="Elsewhere")
    foreign = Activity.objects.create(
        district=elsewhere, title="Foreign", modality="project", bloom_level=4, duration_minutes=30
    )
    foreign_body = {"activity": foreign.pk}
    answer = api("teacher1").post(f"/sections/{section.pk}/assignments", foreign_body)
    assert answer.status_code == 404


def test_student_completes_assigned_work_once(api, person) -> None:
    student = person("student1")
    assignment = api("student1").get(f"/students/{student.pk}/assignments").json()[0]
    url = f"/students/{student.pk}/assignments/{assignment['id']}/completion"
    first = api("student1").post(url, {"note": "Finished the stations"})
    assert first.status_code == 201, first.content
    again = api("student1").post(url, {"note": "Finished the stations"})
    assert again.status_code == 200
    assert again.json()["completed_at"] == first.json()["completed_at"]
    assert AssignmentCompletion.objects.filter(student=student).count() == 1
    listed = api("student1").get(f"/students/{student.pk}/assignments").json()
    done = {a["id"]: a["completed_at"] for a in listed}
    assert done[assignment["id"]] is not None


def test_only_the_student_completes_their_own_work(api, person) -> None:
    student = person("student1")
    assignment = api("student1").get(f"/students/{student.pk}/assignments").json()[0]
    url = f"/students/{student.pk}/assignments/{assignment['id']}/completion"
    for who in ("teacher1", "guardian1", "student2"):
        assert api(who).post(url, {}).status_code == 404, who
    other = person("student2")
    theirs = f"/students/{other.pk}/assignments/{assignment['id']}/completion"
    assert api("student2").post(theirs, {}).status_code == 404  # not an assignment of theirs


def test_another_students_assignments_are_404(api, person) -> None:
    assert api("student1").get(f"/students/{person('student2').pk}/assignments").status_code == 404
    assert api("teacher1").get(f"/students/{person('student2').pk}/assignments").status_code == 404
