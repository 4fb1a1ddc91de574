"""Each demo account signs in through the page and finds its own home with real data."""

from __future__ import annotations

import re

import pytest
from tests.browser.conftest import follow, screenshot, sign_in

pytestmark = pytest.mark.xdist_group("browser")

HOMES = [
    ("student1", "/student/", "here is your learning"),
    ("student2", "/student/", "Maple Ridge Middle"),
    ("teacher1", "/teacher/", "My classes"),
    ("coach1", "/school/", "Cedar Grove Elementary"),
    ("principal1", "/school/", "Cedar Grove Elementary"),
    ("district1", "/district/", "Riverbend Unified School District"),
    ("guardian1", "/guardian/", "My children"),
]


@pytest.mark.parametrize(("username", "path", "text"), HOMES)
def test_signs_in_through_the_page_and_sees_its_home(
    page, username: str, path: str, text: str
) -> None:
    sign_in(page, username)
    assert page.url.endswith(path)
    assert text in page.content()
    assert page.get_by_role("heading", level=1).count() >= 1
    screenshot(page, f"home-{username}")
    assert page.errors == [], page.errors  # no CSP violations, no script errors


def test_student_home_draws_the_chart_and_filters_with_htmx(page) -> None:
    sign_in(page, "student1")
    chart_drawn = "() => Chart.getChart(document.querySelector('canvas')) !== undefined"
    assert page.evaluate(chart_drawn)
    all_rows = page.locator("#mastery-table tbody tr").count()
    page.get_by_label("Show").select_option("mastered")
    page.wait_for_function(
        "() => document.querySelector('#mastery-table caption').textContent.includes('Mastered')"
    )
    mastered_rows = page.locator("#mastery-table tbody tr").count()
    assert 0 < mastered_rows < all_rows
    assert page.locator("#mastery-table .badge").all_inner_texts() == ["Mastered"] * mastered_rows
    assert page.errors == [], page.errors


def test_teacher_opens_the_class_heatmap(page) -> None:
    sign_in(page, "teacher1")
    follow(page, page.get_by_role("link", name=re.compile("Room 101")))
    assert page.locator("#heatmap tbody tr").count() == 25
    screenshot(page, "teacher-heatmap")


def test_student_cannot_open_someone_elses_record(page) -> None:
    sign_in(page, "student1")
    response = page.goto("/students/2/")
    assert response is not None
    assert response.status == 404
    assert "Page not found" in page.content()


def test_wrong_password_shows_an_error_and_stays_on_sign_in(page) -> None:
    page.goto("/signin/")
    page.get_by_label("Username").fill("teacher1")
    page.get_by_label("Password").fill("not-the-password")
    follow(page, page.get_by_role("button", name="Sign in"))
    assert page.get_by_role("alert").inner_text().startswith("Username or password is incorrect")
    assert "/signin/" in page.url


def test_keyboard_users_can_skip_to_content_and_sign_out(page) -> None:
    sign_in(page, "guardian1")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to main content"
    follow(page, page.get_by_role("button", name="Sign out"))
    assert "/signin/" in page.url
    page.goto("/guardian/")
    assert "/signin/" in page.url


def test_every_demo_account_signs_in_through_the_api_of_the_running_server(server: str) -> None:
    import json
    from urllib.request import Request, urlopen

    from pathways.demo.district import DEMO_PASSWORD, demo_accounts

    for username, _ in demo_accounts():
        body = json.dumps({"username": username, "password": DEMO_PASSWORD}).encode()
        login = Request(f"{server}/api/v1/auth/login", body, {"Content-Type": "application/json"})
        with urlopen(login, timeout=10) as response:
            token = json.load(response)["token"]
        me = Request(f"{server}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        with urlopen(me, timeout=10) as response:
            assert json.load(response)["username"] == username
