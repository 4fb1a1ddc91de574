"""Tomorrow's schedule in a real browser: build it, move a student, read the board and rosters."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import ARTIFACTS, follow, screenshot, sign_in

pytestmark = pytest.mark.xdist_group("browser")


def test_teacher_builds_and_adjusts_tomorrows_schedule(page) -> None:
    sign_in(page, "teacher1")
    follow(page, page.get_by_role("link", name="Tomorrow's schedule"))
    assert page.locator("#schedule-summary").count() == 1
    screenshot(page, "schedule-by-block")
    follow(page, page.get_by_role("button", name="Rebuild from today's evidence"))
    expect(page.locator("#schedule-message")).to_contain_text("Schedule built in")
    # Move students until one move is refused (it shows the rule) and one is accepted.
    accepted = refused = False
    for index in range(0, 90, 7):
        page.locator("a.move-link").nth(index).click()
        choices = page.locator(".move-panel .move-choices button")
        choices.first.wait_for()
        with page.expect_response(lambda r: r.url.endswith("/move/")):
            choices.nth(index % choices.count()).click()
        # The response arriving is not the swap landing (under load it lags): until then the old
        # message is on the page. The swapped-in area has no open choice panel.
        expect(page.locator(".move-panel .move-choices")).to_have_count(0)
        page.locator("#schedule-message, #schedule-refusal").first.wait_for()
        if page.locator("#schedule-refusal").count():
            refused = True
            assert "(rule " in page.locator("#schedule-refusal").inner_text()
            screenshot(page, "schedule-move-refused")
            page.screenshot(path=str(ARTIFACTS / "schedule-move-refused-top.png"))
        else:
            accepted = True
            assert "moved to" in page.locator("#schedule-message").inner_text()
        if accepted and refused:
            break
    assert refused
    follow(page, page.get_by_role("link", name="By station"))
    screenshot(page, "schedule-by-station")
    follow(page, page.get_by_role("link", name="Where do I go? (board)"))
    assert page.locator("#board tbody tr").count() == 150
    screenshot(page, "schedule-board")
    page.screenshot(path=str(ARTIFACTS / "schedule-board-top.png"))
    page.go_back()
    follow(page, page.get_by_role("link", name="Printable rosters"))
    assert page.locator("section.roster").count() >= 6
    page.emulate_media(media="print")
    screenshot(page, "schedule-rosters-print")
    page.emulate_media(media="screen")
    # Exit tickets at a station the teacher's own students attended.
    follow(page, page.get_by_role("link", name="Back to the schedule"))
    links = page.get_by_role("link", name="Exit tickets")
    for index in range(links.count()):
        follow(page, links.nth(index))
        if page.get_by_label("Not yet").count():
            page.get_by_label("Not yet").first.check()
            follow(page, page.get_by_role("button", name="Save exit tickets"))
            assert "Recorded 1 exit ticket." in page.locator("#tickets-message").inner_text()
            screenshot(page, "schedule-exit-tickets")
            break
        page.go_back()
    else:
        raise AssertionError("no station with the teacher's own students")
    assert page.errors == [], page.errors
