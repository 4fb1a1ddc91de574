"""Spaced review of mastered skills, timed by FSRS (the ``fsrs`` package).

Each mastered skill is a card. A mastery demonstration or a successful review is a ``Good``
rating, a failed review an ``Again``; FSRS then sets the next due date so that the predicted
recall is still at ``desired_retention`` (0.9) when the review comes. :func:`reviews_due` lists
the skills whose date has come, which :func:`plan_path` turns into review steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler

__all__ = ["ReviewCard", "record_review", "reviews_due"]

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
    current = Card.from_json(card.card) if card is not None else Card()
    rating = Rating.Good if correct else Rating.Again
    updated, _ = _SCHEDULER.review_card(current, rating, when)
    return ReviewCard(skill=skill, card=updated.to_json())


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
