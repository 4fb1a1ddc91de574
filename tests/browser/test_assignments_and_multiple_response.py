"""In a real browser: a student marks assigned work done and the teacher sees "1 of N done";
a student answers a multiple-response item (imported from QTI) with the keyboard."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import _pathways, _serve, follow, screenshot, sign_in

pytestmark = pytest.mark.xdist_group("browser")

QTI = (
    Path(
        os.environ.get(
            "PATHWAYS_STANDARDS_DATA",
            Path(__file__).resolve().parents[2].parent / "shared" / "data" / "standards",
        )
    )
    / "qti"
)


def test_student_marks_work_done_and_the_teacher_sees_it(page, browser, server: str) -> None:
    sign_in(page, "student1")
    follow(page, page.get_by_role("link", name="Path", exact=True))
    item = page.locator("#assignments li").filter(has=page.get_by_role("button")).first
    item_id = item.get_attribute("id")
    item.get_by_label("Note for your teacher (optional)").fill("Finished it with Sam")
    item.get_by_role("button", name=re.compile("^Mark done")).press("Enter")
    done = page.locator(f"#{item_id} .assignment-state")
    expect(done).to_contain_text("Done")
    expect(done).to_contain_text("Finished it with Sam")
    expect(page.locator(f"#{item_id} button")).to_have_count(0)
    screenshot(page, "student-assignment-done")
    page.reload()
    assert "Done" in page.locator(f"#{item_id}").inner_text()
    assert page.errors == [], page.errors

    teacher = browser.new_context(base_url=server).new_page()
    sign_in(teacher, "teacher1")
    follow(teacher, teacher.get_by_role("link", name=re.compile("Room 101")))
    assigned = teacher.locator(f"#assigned-{item_id.removeprefix('assignment-')}")
    assert re.search(r"· 1 of \d+ done", " ".join(assigned.inner_text().split()))
    teacher.context.close()


@pytest.fixture(scope="module")
def qti_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with the QTI Beginner's Guide items on 4.NF.A.1 (a standard of student1)."""
    if not (QTI / "BeginnersGuide").is_dir():
        pytest.skip(f"QTI example packages not found at {QTI}")
    env = {
        **os.environ,
        "PATHWAYS_VAR_DIR": str(tmp_path_factory.mktemp("pathways-qti-var")),
        "DATABASE_URL": "",
        "PATHWAYS_SECRET_KEY": secrets.token_urlsafe(40),
        "PATHWAYS_DEBUG": "false",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _pathways("migrate", env=env)
    _pathways("demo", "load", env=env)
    _pathways("import", "qti", str(QTI / "BeginnersGuide"), "--standard", "4.NF.A.1", env=env)
    with _serve(env) as port:
        yield f"http://127.0.0.1:{port}"


def _answer_anything(page) -> None:
    if page.locator("input[type=radio][name=answer]").count():
        page.locator("input[type=radio][name=answer]").first.check()
    else:
        page.get_by_label("Your answer").fill("12")
    page.get_by_role("button", name="Submit answer").click()
    page.wait_for_selector("#feedback")


def test_student_answers_a_multiple_response_item_with_the_keyboard(browser, qti_server) -> None:
    context = browser.new_context(base_url=qti_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "student1")
    follow(page, page.get_by_role("link", name="Grades", exact=True))
    follow(page, page.get_by_role("link", name="4.NF.A.1", exact=True))
    follow(page, page.get_by_role("link", name="Practise 4.NF.A.1"))
    practice_url = page.url
    for _ in range(12):  # the standard's items come in turn
        if page.locator("input[type=checkbox][name=answer]").count():
            break
        _answer_anything(page)
        page.goto(practice_url)
    group = page.get_by_role("group", name=re.compile("new.*to QTI 3"))
    assert group.locator("input[type=checkbox]").count() == 5
    for label in ("Shared Vocabulary", "Catalogs for candidate", "Conformance features"):
        box = group.get_by_label(re.compile(label))
        box.focus()
        page.keyboard.press("Space")
        assert box.is_checked()
    screenshot(page, "student-multiple-response")
    page.get_by_role("button", name="Submit answer").click()  # htmx swaps the feedback in
    expect(page.locator("#feedback")).to_contain_text("Correct!")
    assert errors == [], errors
    context.close()
