"""A full PDSA cycle in a real browser: plan, collect, study, adopt; another school adopts the
practice; the district dashboard counts it. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import follow, screenshot, sign_in

pytestmark = pytest.mark.xdist_group("browser")

TITLE = "Browser cycle: worked examples before practice"
PRACTICE = "Worked examples first"


def test_full_cycle_from_plan_to_district_dashboard(page) -> None:
    sign_in(page, "teacher1")
    follow(page, page.get_by_role("link", name="Innovation", exact=True))
    assert "Weekly goal conferences in grade 4" in page.locator("#cycles-table").inner_text()
    follow(page, page.get_by_role("link", name="Plan a PDSA cycle"))
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Change idea").fill("Show two worked examples before independent practice.")
    page.get_by_label("Prediction", exact=True).fill("Exit-ticket pass rate up by 5 points.")
    page.get_by_label("Measure").select_option("exit_ticket")
    page.get_by_label("Predicted difference").fill("0.05")
    page.get_by_label(re.compile("Room 101")).check()
    page.get_by_label(re.compile("Room 102")).check()
    page.get_by_label(re.compile("Room 103")).check()
    page.get_by_label("Start").fill("2026-10-01")
    page.get_by_label("End").fill("2026-11-20")
    follow(page, page.get_by_role("button", name="Plan the cycle"))
    expect(page.locator("h1")).to_have_text(TITLE)
    page.get_by_label("Note").fill("Week 1: examples on the board, students annotate them.")
    follow(page, page.get_by_role("button", name="Add note"))
    expect(page.locator("#cycle-stage")).to_have_text("Do")
    follow(page, page.get_by_role("button", name="Collect the measure and study"))
    interval = re.compile(r"95% interval -?\d\.\d{3} to -?\d\.\d{3}")
    expect(page.locator("#effect-summary")).to_contain_text(interval)
    expect(page.locator("#effect-flags")).to_contain_text("one class in a group")
    assert page.locator("#prediction-verdict").count() == 1
    page.wait_for_function("document.querySelector('canvas[data-source=run-chart]').width > 0")
    screenshot(page, "innovation-cycle-study")
    page.get_by_label("Adopt").check()
    page.get_by_label("Why").fill("Promising; codify it so another school can test it.")
    page.get_by_label("Add it to the practice library").check()
    page.get_by_label("Practice title").fill(PRACTICE)
    page.get_by_label("How to do it").fill(
        "Two worked examples, annotated by students, then practice."
    )
    page.get_by_label("Look-fors for observers (one per line)").fill("Examples on display")
    follow(page, page.get_by_role("button", name="Record the decision"))
    expect(page.locator("h1")).to_have_text(PRACTICE)
    expect(page.locator("#evidence-table")).to_contain_text(TITLE)
    expect(page.locator("#adopted-by")).to_contain_text("Cedar Grove Elementary")
    assert page.errors == [], page.errors

    page.context.clear_cookies()
    sign_in(page, "principal2")
    page.goto("/innovation/practices/?q=worked")
    follow(page, page.get_by_role("link", name=PRACTICE))
    follow(page, page.get_by_role("button", name="Adopt at Maple Ridge Middle"))
    expect(page.locator("#adopted-by")).to_contain_text("Maple Ridge Middle")
    screenshot(page, "innovation-practice")

    page.context.clear_cookies()
    sign_in(page, "district1")
    page.goto("/innovation/dashboard/")
    row = page.locator("#adoption-table tr", has_text=PRACTICE)
    assert row.locator("td").inner_text() == "2"
    assert "%" in page.locator("#personalized-share").inner_text()
    assert page.locator("#survey-table tbody tr").count() == 8
    page.wait_for_function("document.querySelector('canvas[data-source=survey-chart]').width > 0")
    screenshot(page, "innovation-dashboard")
    assert page.errors == [], page.errors

    # The district edits its goals framework: a new goal with a survey-item measure.
    page.goto("/innovation/")
    follow(page, page.get_by_role("link", name="Edit the goals"))
    page.get_by_label("Area").select_option("emotional")
    page.get_by_label("Title").fill("Students feel safe to try")
    follow(page, page.get_by_role("button", name="Add the goal"))
    expect(page.locator("h1")).to_have_text("Students feel safe to try")
    page.get_by_label("Measured by").select_option("survey_item")
    page.get_by_label("Measure description").fill("Teachers see students take risks")
    page.get_by_label("Survey item (for a survey item)").select_option(index=1)
    follow(page, page.get_by_role("button", name="Add the measure"))
    expect(page.locator("#measure-list")).to_contain_text("Teachers see students take risks")
    expect(page.locator("#edit-history")).to_contain_text("added measure")
    assert page.errors == [], page.errors
