"""Scoring multiple-response items: right only for exactly the correct set, no partial credit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pathways.apps.activities.models import Item
from pathways.apps.activities.scoring import score

OPTIONS = ["Shared Vocabulary", "Pineapple Flavored", "Catalogs", "Conformance", "HTML5 subset"]
CORRECT = ["Shared Vocabulary", "Catalogs", "Conformance"]


def _multiple(answer: list[str] = CORRECT) -> Item:
    return Item(
        identifier="mr",
        kind=Item.Kind.MULTIPLE,
        prompt="Which are new?",
        choices=OPTIONS,
        answer=answer,
        details={"partial_credit": [["Shared Vocabulary", 0.5]]},
    )


def test_exactly_the_correct_set_in_any_order_is_right() -> None:
    assert score(_multiple(), ["Conformance", "Shared Vocabulary", "Catalogs"])


def test_a_subset_of_the_correct_options_earns_nothing() -> None:
    assert not score(_multiple(), ["Shared Vocabulary", "Catalogs"])
    assert not score(_multiple(), ["Shared Vocabulary"])  # a partial-credit map is not used


def test_every_correct_option_plus_a_wrong_one_is_wrong() -> None:
    assert not score(_multiple(), [*CORRECT, "Pineapple Flavored"])


def test_an_option_that_is_not_offered_is_wrong() -> None:
    assert not score(_multiple(), [*CORRECT, "Something else"])


def test_nothing_chosen_is_wrong() -> None:
    assert not score(_multiple(), [])
    assert not score(_multiple(), "")


def test_blanks_do_not_matter_but_case_does() -> None:
    assert score(_multiple(), ["  Shared   Vocabulary", "Catalogs ", "Conformance"])
    assert not score(_multiple(), ["shared vocabulary", "Catalogs", "Conformance"])


def test_the_api_text_form_separates_options_with_a_bar() -> None:
    assert score(_multiple(), "Catalogs|Conformance|Shared Vocabulary")
    assert not score(_multiple(), "Catalogs|Conformance")


def test_choosing_an_option_twice_counts_once() -> None:
    assert score(_multiple(), [*CORRECT, "Catalogs"])


@given(st.sets(st.sampled_from(OPTIONS)), st.sets(st.sampled_from(OPTIONS), min_size=1))
def test_right_exactly_when_the_chosen_set_is_the_correct_set(
    chosen: set[str], correct: set[str]
) -> None:
    item = _multiple(sorted(correct))
    assert score(item, sorted(chosen)) == (chosen == correct)
