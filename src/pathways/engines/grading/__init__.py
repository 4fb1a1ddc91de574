"""Standards-based grades 1-4 that explain themselves (pure; no Django).

Public API::

    Evidence, GradingRule, GRADE_LABELS, grade_for, replay,
    GradeReport, explain_grade, level_descriptors, answers_to_mastery
"""

from pathways.engines.grading._explain import (
    GradeReport,
    answers_to_mastery,
    explain_grade,
    level_descriptors,
)
from pathways.engines.grading._rules import (
    GRADE_LABELS,
    Evidence,
    GradingRule,
    grade_for,
    grade_from_summary,
    replay,
)

__all__ = [
    "GRADE_LABELS",
    "Evidence",
    "GradeReport",
    "GradingRule",
    "answers_to_mastery",
    "explain_grade",
    "grade_for",
    "grade_from_summary",
    "level_descriptors",
    "replay",
]
