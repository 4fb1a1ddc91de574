"""Scheduling engine: tomorrow's groups and stations for every student and block.

Public API (import from here)::

    parse_instance, dump_instance,
    Instance (+ Weights, Skill, Modality, Teacher, Student, Candidate)
    parse_schedule, dump_schedule, Schedule (+ Group, Assignment)
    check_feasible -> list[Violation], objective
    upper_bound (LP relaxation), solve(instance, time_limit) -> Result, generate (demo/bench days)

Example:
    >>> from pathways.engines.scheduling import generate, solve, check_feasible
    >>> day = generate(60, seed=0)
    >>> result = solve(day, time_limit=1)
    >>> check_feasible(day, result.schedule)
    []
"""

from pathways.engines.scheduling.bound import InfeasibleInstanceError, upper_bound
from pathways.engines.scheduling.generate import generate
from pathways.engines.scheduling.instance import (
    INSTANCE_FORMAT,
    Candidate,
    Instance,
    Modality,
    Skill,
    Student,
    Teacher,
    Weights,
    dump_instance,
    parse_instance,
)
from pathways.engines.scheduling.schedule import (
    SCHEDULE_FORMAT,
    Assignment,
    Group,
    Schedule,
    Violation,
    check_feasible,
    dump_schedule,
    objective,
    parse_schedule,
)
from pathways.engines.scheduling.solve import Result, diagnose, solve

__all__ = [
    "INSTANCE_FORMAT",
    "SCHEDULE_FORMAT",
    "Assignment",
    "Candidate",
    "Group",
    "InfeasibleInstanceError",
    "Instance",
    "Modality",
    "Result",
    "Schedule",
    "Skill",
    "Student",
    "Teacher",
    "Violation",
    "Weights",
    "check_feasible",
    "diagnose",
    "dump_instance",
    "dump_schedule",
    "generate",
    "objective",
    "parse_instance",
    "parse_schedule",
    "solve",
    "upper_bound",
]
