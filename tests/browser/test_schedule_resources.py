"""A principal edits a station's capacity in a real browser and tomorrow's schedule keeps to it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import follow, screenshot, sign_in

pytestmark = pytest.mark.xdist_group("browser")

STATION = "Tutor booths, Media center"
CAPACITY = 6


def _counts_at(page, station: str) -> list[int]:
    """Students at ``station`` in each of its groups, from the by-station view's captions."""
    follow(page, page.get_by_role("link", name="By station"))
    section = page.locator("section.station", has=page.get_by_role("heading", name=station))
    captions = section.locator("caption").all_inner_texts()
    counts = [int(m.group(1)) for text in captions if (m := re.search(r"\((\d+)\)\s*$", text))]
    assert len(counts) == len(captions), captions
    return counts


def test_principal_lowers_a_station_capacity_and_tomorrow_respects_it(page) -> None:
    sign_in(page, "principal1")
    follow(page, page.get_by_role("link", name="Tomorrow's schedule").first)
    before = _counts_at(page, STATION)
    assert max(before) > CAPACITY, before  # the demo fills the booths beyond the new capacity
    follow(page, page.get_by_role("link", name="Rooms, teachers and blocks"))
    # A mistake first: a peer-table station needs a table; the message sits by the field.
    tables = page.get_by_role("group", name="Peer tables, Library").get_by_label(
        "Tables", exact=True
    )
    tables.fill("0")
    page.get_by_role("button", name="Save Peer tables, Library").click()
    error = page.locator(".field-error", has_text="number of tables must be at least 1")
    error.wait_for()
    assert tables.get_attribute("aria-invalid") == "true"
    screenshot(page, "schedule-resources-error")
    # Nothing was saved. (The reload also drops the style="" that Playwright's full-page
    # screenshot leaves on inputs, which htmx's attribute settling would copy: a CSP error.)
    page.reload()
    tables = page.get_by_role("group", name="Peer tables, Library").get_by_label(
        "Tables", exact=True
    )
    assert tables.input_value() == "8"
    # Now the change itself (htmx: the section comes back with the saved value).
    booths = page.get_by_role("group", name=STATION)
    booths.get_by_label("Capacity", exact=True).fill(str(CAPACITY))
    page.get_by_role("button", name=f"Save {STATION}").click()
    page.locator("#resources-message", has_text=f"{STATION} saved.").wait_for()
    changes = page.locator("#resources-changes")
    expect(changes).to_contain_text(f"capacity 20 -> {CAPACITY}")
    expect(page.locator("#resources-tomorrow")).to_contain_text(f"{CAPACITY} seats")
    screenshot(page, "schedule-resources")
    # Tomorrow's schedule, rebuilt, never puts more students in the booths.
    follow(page, page.get_by_role("link", name="Tomorrow's schedule").first)
    follow(page, page.get_by_role("button", name="Rebuild from today's evidence"))
    expect(page.locator("#schedule-message")).to_contain_text("Schedule built in")
    after = _counts_at(page, STATION)
    assert after, "the booths are still used"
    assert max(after) <= CAPACITY, after
    screenshot(page, "schedule-by-station-after-capacity")
    # Put the demo back as it was for the other browser tests.
    follow(page, page.get_by_role("link", name="Rooms, teachers and blocks"))
    page.get_by_role("group", name=STATION).get_by_label("Capacity", exact=True).fill("20")
    page.get_by_role("button", name=f"Save {STATION}").click()
    page.locator("#resources-message", has_text=f"{STATION} saved.").wait_for()
    assert page.errors == [], page.errors
