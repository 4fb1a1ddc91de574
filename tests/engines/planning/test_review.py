"""FSRS review timing: cards, due reviews, and cards rebuilt from a student's record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pathways.engines.planning import record_review, review_cards, reviews_due

T0 = datetime(2026, 9, 1, 10, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def test_successful_reviews_space_out_and_a_failed_one_brings_the_skill_back_soon() -> None:
    card = record_review(None, "a", True, T0)
    gaps = []
    for _ in range(3):
        before = card.due
        card = record_review(card, "a", True, card.due)
        gaps.append(card.due - before)
    assert gaps[0] < gaps[1] < gaps[2]
    failed = record_review(card, "a", False, card.due)
    assert failed.due - card.due < gaps[0]


def test_due_reviews_are_listed_most_overdue_first() -> None:
    cards = {
        "late": record_review(None, "late", True, T0),
        "later": record_review(None, "later", True, T0 + DAY),
        "not yet": record_review(None, "not yet", True, T0 + 30 * DAY),
    }
    assert reviews_due(cards, T0 + 20 * DAY) == ("late", "later")


def test_rebuilt_cards_take_each_days_first_answer_as_the_review() -> None:
    week = T0 + 7 * DAY
    right_first = review_cards({"a": T0}, [("a", True, week), ("a", False, week + HOUR)])
    wrong_first = review_cards({"a": T0}, [("a", False, week), ("a", True, week + HOUR)])
    only_right = review_cards({"a": T0}, [("a", True, week)])
    assert right_first["a"].due == only_right["a"].due, "later answers that day are practice"
    assert wrong_first["a"].due < right_first["a"].due


def test_answers_before_or_on_the_day_of_mastery_and_on_unmastered_skills_are_not_reviews() -> None:
    plain = review_cards({"a": T0}, [])
    same_day = review_cards(
        {"a": T0},
        [("a", False, T0 - DAY), ("a", False, T0 + 6 * HOUR), ("b", True, T0 + 3 * DAY)],
    )
    assert same_day == plain
    assert set(same_day) == {"a"}


def test_days_are_the_callers_and_times_need_a_zone() -> None:
    # 23:00 and 01:00 the next day in New York time are two school days; in UTC, one.
    new_york = timezone(timedelta(hours=-5))
    evening = datetime(2026, 9, 8, 23, tzinfo=new_york)
    morning = evening + timedelta(hours=2)
    answers = [("a", False, evening), ("a", True, morning)]
    local = review_cards({"a": T0.astimezone(new_york)}, answers)
    utc = review_cards({"a": T0}, [(s, r, t.astimezone(UTC)) for s, r, t in answers])
    assert local["a"].due != utc["a"].due
    with pytest.raises(ValueError, match="needs a time zone"):
        record_review(None, "a", True, datetime(2026, 9, 1))
