"""Spaced review of mastered skills, timed by FSRS (the ``fsrs`` package).

Each mastered skill is a card. A mastery demonstration or a successful review is a ``Good``
rating, a failed review an ``Again``; FSRS then sets the next due date so that the predicted
recall is still at ``desired_retention`` (0.9) when the review comes. :func:`reviews_due` lists
the skills whose date has come, which :func:`plan_path` turns into review steps.
:func:`review_cards` rebuilds every card from the student's record (when each skill was mastered,
and the answers since), so the platform stores no review state of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from fsrs import Card, Rating, Scheduler

__all__ = ["ReviewCard", "record_review", "review_cards", "reviews_due"]

# A demonstrated mastery is already learned: no minute-scale learning steps, straight to review.
_SCHEDULER = Scheduler(
    desired_retention=0.9, learning_steps=(), relearning_steps=(), enable_fuzzing=False
)


@dataclass(frozen=True)
class ReviewCard:
    """The review memory of one mastered skill (FSRS card as a JSON-friendly dict)."""

    skill: str
    card: str  # fsrs Card.to_json()

    @property
    def due(self) -> datetime:
        due: datetime = Card.from_json(self.card).due
        return due

    def retrievability(self, now: datetime) -> float:
        """FSRS's predicted probability of recall at ``now``."""
        return float(_SCHEDULER.get_card_retrievability(Card.from_json(self.card), now))


def record_review(card: ReviewCard | None, skill: str, correct: bool, when: datetime) -> ReviewCard:
    """The card after a mastery demonstration (``card`` is None) or a review at ``when``.

    Example:
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2026, 9, 1, tzinfo=timezone.utc)
        >>> card = record_review(None, "4.NF.A.1", True, t0)
        >>> card = record_review(card, "4.NF.A.1", True, card.due)
        >>> (card.due - t0).days >= 3
        True
        >>> 0.85 < card.retrievability(card.due) < 0.95
        True
    """
    current = Card.from_json(card.card) if card is not None else None
    return ReviewCard(skill=skill, card=_review(current, skill, correct, when).to_json())


def _review(card: Card | None, skill: str, correct: bool, when: datetime) -> Card:
    if when.tzinfo is None:
        raise ValueError(f"review of {skill} at {when}: the time needs a time zone")
    rating = Rating.Good if correct else Rating.Again
    # A card's id is only fsrs's own bookkeeping; without one, fsrs sleeps 1 ms to make it unique.
    new = Card(card_id=0) if card is None else card
    updated, _ = _SCHEDULER.review_card(new, rating, when.astimezone(UTC))
    return updated


def reviews_due(cards: Mapping[str, ReviewCard], now: datetime) -> tuple[str, ...]:
    """Skills whose review date has come, most overdue first.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 9, 1, tzinfo=timezone.utc)
        >>> cards = {"a": record_review(None, "a", True, t0)}
        >>> reviews_due(cards, t0), reviews_due(cards, t0 + timedelta(days=30))
        ((), ('a',))
    """
    due = [(c.due, s) for s, c in cards.items() if c.due <= now]
    return tuple(s for _, s in sorted(due))


def review_cards(
    mastered_at: Mapping[str, datetime], answers: Sequence[tuple[str, bool, datetime]]
) -> dict[str, ReviewCard]:
    """Each mastered skill's card, from when it was mastered and the answers since.

    ``answers`` holds (skill, right, when) in time order. A day's first answer on a skill is its
    review (right: ``Good``, wrong: ``Again``): it is the one that tests recall, the later ones
    follow the day's practice. Answers before mastery, or on the day of it, are not reviews.
    Days are those of the times as given (pass local times for the school's days).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 9, 1, 10, tzinfo=timezone.utc)
        >>> week = t0 + timedelta(days=7)
        >>> answers = [("a", True, week), ("a", False, week + timedelta(hours=1))]
        >>> kept = review_cards({"a": t0}, answers)["a"]
        >>> lost = review_cards({"a": t0}, [("a", False, t0 + timedelta(days=7))])["a"]
        >>> lost.due < kept.due
        True
    """
    cards = {skill: _review(None, skill, True, when) for skill, when in mastered_at.items()}
    reviewed: dict[str, date] = {skill: when.date() for skill, when in mastered_at.items()}
    for skill, right, when in answers:
        if skill not in cards or when.date() <= reviewed[skill]:
            continue
        cards[skill] = _review(cards[skill], skill, right, when)
        reviewed[skill] = when.date()
    return {skill: ReviewCard(skill=skill, card=card.to_json()) for skill, card in cards.items()}
