"""The daily loop walked in a real browser by the demo accounts, with screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import follow, screenshot, sign_in

pytestmark = pytest.mark.xdist_group("browser")


def _fill_current_item(page) -> None:
    if page.locator("input[type=radio][name=answer]").count():
        page.locator("input[type=radio][name=answer]").first.check()
    else:
        page.get_by_label("Your answer").fill("12")


def test_student_works_a_path_chooses_with_a_reason_and_reflects(page) -> None:
    sign_in(page, "student1")
    follow(page, page.get_by_role("link", name="Path", exact=True))
    assert page.locator("#path-steps .reason").count() >= 2
    screenshot(page, "student-path")
    page.locator("#choice-board input[type=radio]").nth(1).check()
    page.get_by_label("Why this one? (a sentence)").fill(
        "I like to work with a partner on mistakes"
    )
    follow(page, page.get_by_role("button", name="Choose"))
    page.locator("textarea[name=how_it_went]").first.fill(
        "We found two mistakes together, it helped"
    )
    follow(page, page.get_by_role("button", name="Save").first)
    assert page.errors == [], page.errors


def test_student_answers_items_asks_for_a_mastery_check_and_reads_the_grade(page) -> None:
    sign_in(page, "student1")
    follow(page, page.get_by_role("link", name="Grades", exact=True))
    follow(page, page.locator("#grades-table tbody a").nth(4))
    assert page.locator("#grade-reason").inner_text()
    assert page.locator("#next-step").inner_text()
    screenshot(page, "student-grade")
    grade_url = page.url
    follow(page, page.get_by_role("link", name=re.compile("^Practise")))
    _fill_current_item(page)
    page.get_by_role("button", name="Submit answer").click()  # htmx swaps the feedback in
    expect(page.locator("#feedback")).to_contain_text("Your mastery of")
    page.goto(grade_url)
    follow(page, page.get_by_role("button", name=re.compile("mastery check")))
    for _ in range(3):
        if (
            "Mastery check" not in page.locator("h1").inner_text()
            or "done" in page.locator("h1").inner_text()
        ):
            break
        _fill_current_item(page)
        follow(page, page.get_by_role("button", name="Submit answer"))  # a check posts the page
    assert "done" in page.locator("h1").inner_text()
    screenshot(page, "student-mastery-check-done")
    assert page.errors == [], page.errors


def test_teacher_reads_the_heatmap_scores_a_rubric_and_assigns_work(page) -> None:
    sign_in(page, "teacher1")
    follow(page, page.get_by_role("link", name=re.compile("Room 101")))
    assert page.locator("#heatmap tbody tr").count() == 25
    page.get_by_label("Pin it to the top of students' paths").check()
    follow(page, page.get_by_role("button", name="Assign"))
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"^Assigned"))
    follow(page, page.locator("#heatmap tbody a").first)
    page.get_by_label("4 Exceeds").check()
    follow(page, page.get_by_role("button", name="Record score"))
    expect(page.locator("#record-message")).to_contain_text("level 4")
    screenshot(page, "teacher-student-record")


def test_guardian_reads_grades_with_reasons(page) -> None:
    sign_in(page, "guardian1")
    follow(page, page.get_by_role("link", name="See every standard"))
    follow(page, page.get_by_role("link", name="Grades", exact=True))
    assert page.locator("#grades-table tbody tr").count() >= 20
    assert page.get_by_role("button", name="Record score").count() == 0
    screenshot(page, "guardian-grades")


def test_principal_sees_classroom_coherence(page) -> None:
    sign_in(page, "principal1")
    table = page.locator("table.coherence").first
    assert table.locator("tbody tr").count() == 6
    screenshot(page, "principal-coherence")
    assert page.errors == [], page.errors
