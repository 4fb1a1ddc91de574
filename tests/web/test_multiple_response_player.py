"""Multiple-response items in the student's item player: checkboxes in a fieldset, scored right
only for exactly the correct set, recorded once per client id, drawn for practice and checks."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from pathways.apps.activities.models import Item
from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.paths.models import MasteryCheck

pytestmark = pytest.mark.django_db

RIGHT = ["2", "4"]


def signed_in(username: str) -> Client:
    client = Client()
    assert (
        client.post("/signin/", {"username": username, "password": "pathways-demo"}).status_code
        == 302
    )
    return client


@pytest.fixture
def multi(person) -> Item:
    standard = student_course_standards(person("student1"))[0]
    return Item.objects.create(
        standard=standard,
        identifier="test-multiple-even",
        kind=Item.Kind.MULTIPLE,
        prompt="Which numbers are even?",
        choices=["2", "3", "4", "5"],
        answer=RIGHT,
        details={"max_choices": 0},
    )


def _practice_until_multiple(client: Client, item: Item) -> str:
    """Practice goes through the standard's items in turn: answer until ours comes up."""
    for _ in range(8):
        page = client.get(f"/practice/{item.standard_id}/").content.decode()
        if f"/items/{item.pk}/answer/" in page:
            return page
        shown = re.search(r"/items/(\d+)/answer/", page).group(1)
        form = {"answer": "1", "evidence_id": str(uuid.uuid4())}
        assert client.post(f"/items/{shown}/answer/", form).status_code == 200
    raise AssertionError("the player never drew the multiple-response item")


def _evidence_id(page: str) -> str:
    return re.search(r'name="evidence_id" value="([^"]+)"', page).group(1)


def test_the_player_shows_labelled_checkboxes_in_a_fieldset(multi: Item) -> None:
    page = _practice_until_multiple(signed_in("student1"), multi)
    form = page.split('<form class="card item"')[1].split("</form>")[0]
    assert '<fieldset aria-describedby="choose-hint">' in form
    assert '<legend id="prompt">Which numbers are even?</legend>' in form
    boxes = re.findall(r'<input type="checkbox" id="(option-\d)" name="answer" value="(\d)">', form)
    assert [value for _, value in boxes] == ["2", "3", "4", "5"]
    for box, value in boxes:
        assert f'<label for="{box}">{value}</label>' in form
    assert "no others" in form
    assert "required" not in form.split('id="choose-hint"')[1]


def test_exactly_the_right_set_is_correct(multi: Item, person) -> None:
    client = signed_in("student1")
    page = _practice_until_multiple(client, multi)
    evidence_id = _evidence_id(page)
    response = client.post(
        f"/items/{multi.pk}/answer/",
        {"answer": ["4", "2"], "evidence_id": evidence_id},
        HTTP_HX_REQUEST="true",
    )
    assert "Correct!" in response.content.decode()
    evidence = Evidence.objects.get(pk=evidence_id)
    assert evidence.correct is True
    assert evidence.response == {"answer": ["4", "2"]}


def test_part_of_the_right_set_is_not_quite_and_shows_every_right_answer(multi: Item) -> None:
    client = signed_in("student1")
    evidence_id = _evidence_id(_practice_until_multiple(client, multi))
    response = client.post(
        f"/items/{multi.pk}/answer/", {"answer": ["2"], "evidence_id": evidence_id}
    )
    body = response.content.decode()
    assert "Not quite." in body
    assert "all of them and no others: <strong>2; 4</strong>" in body
    assert Evidence.objects.get(pk=evidence_id).correct is False


def test_an_answer_is_recorded_once_and_a_changed_one_is_a_conflict(multi: Item) -> None:
    client = signed_in("student1")
    evidence_id = _evidence_id(_practice_until_multiple(client, multi))
    before = Evidence.objects.count()
    form = {"answer": RIGHT, "evidence_id": evidence_id}
    for _ in range(2):
        assert client.post(f"/items/{multi.pk}/answer/", form).status_code == 200
    assert Evidence.objects.count() == before + 1
    changed = {"answer": ["2", "3"], "evidence_id": evidence_id}
    assert client.post(f"/items/{multi.pk}/answer/", changed).status_code == 409
    assert Evidence.objects.get(pk=evidence_id).correct is True


def test_nothing_ticked_asks_again_and_records_nothing(multi: Item) -> None:
    client = signed_in("student1")
    evidence_id = _evidence_id(_practice_until_multiple(client, multi))
    form = {"evidence_id": evidence_id}
    swapped = client.post(f"/items/{multi.pk}/answer/", form, HTTP_HX_REQUEST="true")
    body = swapped.content.decode()
    assert body.lstrip().startswith('<form class="card item"')
    assert 'role="alert"' in body
    assert "Choose at least one answer" in body
    plain = client.post(f"/items/{multi.pk}/answer/", form)
    assert plain.status_code == 302
    again = client.get(plain["Location"]).content.decode()
    assert "Choose at least one answer" in again
    assert f"/items/{multi.pk}/answer/" in again  # the same question, not the next one
    assert not Evidence.objects.filter(pk=evidence_id).exists()


def test_only_the_student_answers_even_with_nothing_ticked(multi: Item) -> None:
    form = {"evidence_id": str(uuid.uuid4())}
    for username in ("teacher1", "guardian1", "student2"):
        assert signed_in(username).post(f"/items/{multi.pk}/answer/", form).status_code == 404


def test_a_mastery_check_plays_a_multiple_response_item(multi: Item, person) -> None:
    student = person("student1")
    check = MasteryCheck.objects.create(
        id=uuid.uuid4(), student=student, standard=multi.standard, item_ids=[multi.pk]
    )
    client = signed_in("student1")
    page = client.get(f"/checks/{check.pk}/").content.decode()
    assert 'type="checkbox"' in page
    empty = {"evidence_id": _evidence_id(page), "check": str(check.pk)}
    assert client.post(f"/items/{multi.pk}/answer/", empty)["Location"] == f"/checks/{check.pk}/"
    page = client.get(f"/checks/{check.pk}/").content.decode()
    assert "Choose at least one answer" in page
    form = {"answer": RIGHT, "evidence_id": _evidence_id(page), "check": str(check.pk)}
    assert client.post(f"/items/{multi.pk}/answer/", form).status_code == 302
    assert "done" in client.get(f"/checks/{check.pk}/").content.decode()
    evidence = Evidence.objects.get(pk=form["evidence_id"])
    assert (evidence.kind, evidence.correct) == ("mastery_check", True)
