"""Personal learning paths: prerequisite graph, readiness, skill selection, activities, review.

Public API (import from here):

* the graph: :class:`SkillGraph`, :func:`parse_graph`, :func:`dump_graph`;
* readiness: :func:`ready_to_learn`, :func:`mastered_skills`;
* the platform's path: :func:`plan_path` with :class:`ActivityOption`, :class:`PathStep`,
  :class:`PlannedPath`; choice boards and matching (:func:`choice_board`);
* spaced review timed by FSRS: :func:`review_cards`, :func:`record_review`, :func:`reviews_due`,
  :class:`ReviewCard`;
* skill selection for many students: the :class:`Planner` protocol, :class:`GainPlanner` (the
  project's planner; baselines and the oracle in :mod:`~pathways.engines.planning.policies`),
  :class:`PlanServer` (the ``pathways plan serve`` codec); simulated students in
  :mod:`~pathways.engines.planning.simulate`.
"""

from pathways.engines.planning.activities import (
    BLOOM_LEVELS,
    ActivityOption,
    PathStep,
    PlannedPath,
)
from pathways.engines.planning.gain import GainPlanner
from pathways.engines.planning.graph import GRAPH_FORMAT, SkillGraph, dump_graph, parse_graph
from pathways.engines.planning.matching import choice_board, describe_option, matching_interest
from pathways.engines.planning.path import plan_path
from pathways.engines.planning.policies import Planner
from pathways.engines.planning.protocol import PlanServer
from pathways.engines.planning.readiness import DEFAULT_RULE, mastered_skills, ready_to_learn
from pathways.engines.planning.review import ReviewCard, record_review, review_cards, reviews_due

__all__ = [
    "BLOOM_LEVELS",
    "DEFAULT_RULE",
    "GRAPH_FORMAT",
    "ActivityOption",
    "GainPlanner",
    "PathStep",
    "PlanServer",
    "PlannedPath",
    "Planner",
    "ReviewCard",
    "SkillGraph",
    "choice_board",
    "describe_option",
    "dump_graph",
    "mastered_skills",
    "matching_interest",
    "parse_graph",
    "plan_path",
    "ready_to_learn",
    "record_review",
    "review_cards",
    "reviews_due",
]
