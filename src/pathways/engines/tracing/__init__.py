"""Mastery engine: knowledge tracing models and the online update the platform calls.

Public API (import from here, never from the private modules)::

    SkillParams, SkillState, MasteryRule, update, p_correct
"""

from pathways.engines.tracing._online import MasteryRule, SkillParams, SkillState, p_correct, update

__all__ = ["MasteryRule", "SkillParams", "SkillState", "p_correct", "update"]
