"""The daily-loop pages: grades with reasons, profile, practice, path and choices, teacher tools."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.paths.models import Assignment, Choice
from pathways.apps.roster.models import Enrollment

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    assert (
        client.post("/signin/", {"username": username, "password": "pathways-demo"}).status_code
        == 302
    )
    return client


def test_grade_page_explains_the_grade(person) -> None:
    student = person("student1")
    standard = student_course_standards(student)[1]
    page = (
        signed_in("student1").get(f"/students/{student.pk}/grades/{standard.pk}/").content.decode()
    )
    assert 'id="grade-reason"' in page
    assert 'id="next-step"' in page
    assert "What each level looks like" in page
    assert "(your grade)" in page
    assert 'id="evidence-table"' in page


def test_guardian_reads_grades_and_profile_but_not_staff_only_fields(person) -> None:
    client = signed_in("guardian1")
    student = person("student1")
    assert client.get(f"/students/{student.pk}/grades/").status_code == 200
    profile = client.get(f"/students/{student.pk}/profile/").content.decode()
    assert "veterinarian" in profile
    assert "Extended time" not in profile
    assert "Staff only" not in profile
    assert "<form" not in profile.split('id="main"')[1].split("Sign out")[-1]


def test_teacher_sees_staff_only_fields(person) -> None:
    page = signed_in("teacher1").get(f"/students/{person('student1').pk}/profile/").content.decode()
    assert "Extended time on assessments" in page
    assert "English learner" in page


def test_student_edits_interests_through_the_page(person) -> None:
    student = person("student1")
    client = signed_in("student1")
    response = client.post(
        f"/students/{student.pk}/profile/about/",
        {"interests": "space, robots", "aspirations": "Astronaut"},
    )
    assert response.status_code == 302
    assert "space, robots" in client.get(f"/students/{student.pk}/profile/").content.decode()


def test_another_student_cannot_post_to_a_profile(person) -> None:
    response = signed_in("student2").post(
        f"/students/{person('student1').pk}/profile/about/",
        {"interests": "hacked", "aspirations": ""},
    )
    assert response.status_code == 404


def test_practice_answer_is_recorded_once_even_if_resubmitted(person) -> None:
    student = person("student1")
    standard = student_course_standards(student)[0]
    client = signed_in("student1")
    page = client.get(f"/practice/{standard.pk}/").content.decode()
    item = re.search(r"/items/(\d+)/answer/", page).group(1)
    evidence_id = re.search(r'name="evidence_id" value="([^"]+)"', page).group(1)
    before = Evidence.objects.filter(student=student).count()
    for _ in range(2):
        response = client.post(
            f"/items/{item}/answer/",
            {"answer": "7", "evidence_id": evidence_id},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert 'id="mastery-now"' in response.content.decode()
    assert Evidence.objects.filter(student=student).count() == before + 1


def test_path_page_choice_requires_a_reason(person) -> None:
    student = person("student1")
    client = signed_in("student1")
    page = client.get(f"/students/{student.pk}/path/").content.decode()
    offered = re.findall(r'name="offered" value="(\d+)"', page)
    choice_id = re.search(r'name="id" value="([^"]+)"', page).group(1)
    standard = re.search(r'name="standard" value="(\d+)"', page).group(1)
    form = {"id": choice_id, "standard": standard, "offered": offered, "chosen": offered[0]}
    client.post(f"/students/{student.pk}/path/choose/", {**form, "reason": "ok"})
    assert not Choice.objects.filter(pk=choice_id).exists()
    assert "why you chose" in client.get(f"/students/{student.pk}/path/").content.decode()
    client.post(f"/students/{student.pk}/path/choose/", {**form, "reason": "Videos help me start"})
    assert Choice.objects.get(pk=choice_id).reason == "Videos help me start"


def test_choice_board_reasons_name_the_modality_in_words_not_its_stored_code(person) -> None:
    from pathways.apps.activities.models import Modality

    student = person("student1")
    page = signed_in("student1").get(f"/students/{student.pk}/path/").content.decode()
    board = page[page.index("Choose how to work on") :]
    assert any(label.lower() in board for label in Modality.labels)
    for code in ("teacher_led", "flipped_video"):
        assert code not in board


def test_path_steps_say_in_words_which_are_reviews_and_stretches(person) -> None:
    student = person("student1")
    page = signed_in("student1").get(f"/students/{student.pk}/path/").content.decode()
    steps = page[page.index('id="path-steps"') :]
    assert '<span class="tag">Review</span>' in steps
    assert '<span class="tag">Stretch</span>' in steps
    assert ">stretch<" not in steps


def test_teacher_scores_rubric_and_assigns_work(person) -> None:
    student = person("student1")
    section = Enrollment.objects.get(user=student, role="student").section
    client = signed_in("teacher1")
    record = client.get(f"/students/{student.pk}/").content.decode()
    form_id = re.search(r'name="id" value="([^"]+)"', record).group(1)
    standard = student_course_standards(student)[0]
    client.post(
        f"/students/{student.pk}/rubric/", {"id": form_id, "standard": standard.pk, "level": "4"}
    )
    assert Evidence.objects.get(pk=form_id).rubric_level == 4
    page = client.get(f"/sections/{section.pk}/").content.decode()
    activity = re.search(
        r'<select id="assign-activity" name="activity" required><option value="(\d+)"', page
    )
    client.post(f"/sections/{section.pk}/assign/", {"activity": activity.group(1), "pinned": "1"})
    assert Assignment.objects.filter(
        section=section, activity_id=activity.group(1), pinned=True
    ).exists()


def test_other_teacher_cannot_score_or_assign(person) -> None:
    student = person("student1")
    section = Enrollment.objects.get(user=student, role="student").section
    client = signed_in("teacher2")
    standard = student_course_standards(student)[0]
    assert (
        client.post(
            f"/students/{student.pk}/rubric/",
            {"id": "00000000-0000-4000-8000-000000000001", "standard": standard.pk, "level": "4"},
        ).status_code
        == 404
    )
    assert client.post(f"/sections/{section.pk}/assign/", {"activity": "1"}).status_code == 404


def test_section_page_shows_ready_stuck_and_choices(person) -> None:
    section = Enrollment.objects.get(user=person("student1"), role="student").section
    page = signed_in("teacher1").get(f"/sections/{section.pk}/?sort=mastered").content.decode()
    for heading in ("Ready to learn", "Stuck", "Not assessed lately", "choices and reflections"):
        assert heading in page


def test_pacing_view_compares_with_the_state_test(person) -> None:
    section = Enrollment.objects.get(user=person("student1"), role="student").section
    page = signed_in("teacher1").get(f"/sections/{section.pk}/pacing/").content.decode()
    assert "Apr 20, 2027" in page
    assert page.count('<th scope="row">') == 25


def test_principal_sees_classroom_coherence() -> None:
    page = signed_in("principal1").get("/school/").content.decode()
    assert "Coherence across classrooms" in page
    assert "Analyze or above" in page


def test_teacher_adds_an_activity_aligned_to_a_standard() -> None:
    from pathways.apps.activities.models import Activity

    client = signed_in("teacher1")
    response = client.post(
        "/activities/",
        {
            "title": "Fraction pizza design",
            "description": "Design a pizza menu with equivalent fractions",
            "standards": "4.NF.A.1",
            "modality": "project",
            "bloom_level": "6",
            "duration_minutes": "40",
            "interests": "cooking, art",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Fraction pizza design")
    assert [s.short_code for s in activity.standards.all()] == ["4.NF.A.1"]
    assert activity.interest_tags == ["cooking", "art"]
    page = client.get("/activities/?code=4.NF.A.1&bloom=6").content.decode()
    assert "Fraction pizza design" in page


def test_an_activity_without_a_standard_is_refused_with_the_reason() -> None:
    response = signed_in("teacher1").post(
        "/activities/",
        {
            "title": "Loose task",
            "standards": "",
            "modality": "project",
            "bloom_level": "6",
            "duration_minutes": "40",
        },
    )
    assert response.status_code == 400
    assert "align the activity to at least one standard" in response.content.decode()


def test_students_and_guardians_have_no_library() -> None:
    assert signed_in("student1").get("/activities/").status_code == 404
    assert signed_in("guardian1").get("/activities/").status_code == 404


def test_teacher_records_a_stations_exit_tickets_once(person) -> None:
    student, classmate = person("student1"), person("student3")
    section = Enrollment.objects.get(user=student, role="student").section
    standard = student_course_standards(student)[5]
    client = signed_in("teacher1")
    page = client.get(f"/sections/{section.pk}/").content.decode()
    batch = re.search(r'name="batch" value="([^"]+)"', page).group(1)
    form = {
        "batch": batch,
        "standard": standard.pk,
        f"ticket-{student.pk}": "passed",
        f"ticket-{classmate.pk}": "not_yet",
        f"ticket-{person('student2').pk}": "passed",
    }
    before = Evidence.objects.filter(kind="exit_ticket").count()
    for _ in range(2):
        assert client.post(f"/sections/{section.pk}/exit-tickets/", form).status_code == 302
    tickets = Evidence.objects.filter(kind="exit_ticket").count() - before
    assert tickets == 2  # twice submitted, recorded once; student2 is not in this class
    assert "1 of 2 passed" in client.get(f"/sections/{section.pk}/").content.decode()
