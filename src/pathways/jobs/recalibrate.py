"""Nightly recalibration: refit each standard's knowledge-tracing parameters from evidence.

extract (driver, ORM) -> fit skills in partitions (workers: arrays and engine functions only)
-> store all parameters in one transaction -> replay every student's estimates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import transaction
from django.utils import timezone

from pathways.apps.evidence.models import Evidence
from pathways.apps.mastery.models import CalibrationRun, SkillParameters
from pathways.apps.mastery.services import replay_mastery
from pathways.engines.tracing import BKT, ResponseLog, SkillParams, auc, log_loss
from pathways.jobs.executors import Executor, LocalExecutor

MIN_RESPONSES = 30  # per standard; fewer keep the population defaults
SKILLS_PER_PARTITION = 25
BINARY_KINDS = [Evidence.Kind.ITEM_RESPONSE, Evidence.Kind.EXIT_TICKET, Evidence.Kind.MASTERY_CHECK]


@dataclass(frozen=True)
class Partition:
    """The responses of a few standards: everything a worker needs, and nothing from the ORM."""

    students: np.ndarray
    skills: np.ndarray
    correct: np.ndarray
    seed: int


@dataclass(frozen=True)
class PartitionFit:
    params: dict[str, SkillParams]
    counts: dict[str, int]
    correct: np.ndarray
    predicted: np.ndarray


def fit_partition(partition: Partition) -> PartitionFit:
    """Fit BKT on one partition (runs on a worker: pure engine code)."""
    log = ResponseLog.from_arrays(partition.students, partition.skills, partition.correct)
    model = BKT(random_state=partition.seed).fit(log)
    trace = model.trace(log)
    skills, counts = np.unique(partition.skills, return_counts=True)
    return PartitionFit(
        params=model.skill_params(),
        counts={str(s): int(c) for s, c in zip(skills, counts, strict=True)},
        correct=log.correct.astype(np.float64),
        predicted=np.asarray(trace.p_correct, dtype=np.float64),
    )


def extract(min_responses: int = MIN_RESPONSES, seed: int = 0) -> tuple[list[Partition], int, int]:
    """Scored evidence in time order, grouped into partitions of standards with enough data."""
    rows = Evidence.objects.filter(kind__in=BINARY_KINDS, correct__isnull=False).order_by(
        "student_id", "occurred_at", "recorded_at"
    )
    by_skill: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    students = set()
    for student_id, standard_id, correct in rows.values_list(
        "student_id", "standard_id", "correct"
    ).iterator(chunk_size=5000):
        by_skill[standard_id].append((student_id, bool(correct)))
        students.add(student_id)
    eligible = sorted(s for s, values in by_skill.items() if len(values) >= min_responses)
    partitions = []
    for start in range(0, len(eligible), SKILLS_PER_PARTITION):
        chunk = eligible[start : start + SKILLS_PER_PARTITION]
        triples = [(sid, skill, c) for skill in chunk for sid, c in by_skill[skill]]
        partitions.append(
            Partition(
                students=np.array([t[0] for t in triples], dtype=np.int64),
                skills=np.array([str(t[1]) for t in triples]),
                correct=np.array([t[2] for t in triples], dtype=np.int8),
                seed=seed + start,
            )
        )
    n_responses = sum(len(v) for v in by_skill.values())
    return partitions, n_responses, len(students)


def recalibrate(
    *,
    executor: Executor | None = None,
    min_responses: int = MIN_RESPONSES,
    progress: Callable[[Iterable[PartitionFit], int], Iterable[PartitionFit]] | None = None,
    seed: int = 0,
) -> CalibrationRun:
    """Refit, store the parameters with their fit statistics, and replay every estimate."""
    executor = executor or LocalExecutor()
    started = timezone.now()
    partitions, n_responses, n_students = extract(min_responses, seed)
    results: Iterable[PartitionFit] = executor.map(fit_partition, partitions)
    if progress is not None:
        results = progress(results, len(partitions))
    fits = list(results)
    return _store(fits, executor.name, started, n_responses, n_students)


@transaction.atomic
def _store(
    fits: list[PartitionFit], executor: str, started: datetime, n_responses: int, n_students: int
) -> CalibrationRun:
    y = np.concatenate([f.correct for f in fits]) if fits else np.array([])
    p = np.concatenate([f.predicted for f in fits]) if fits else np.array([])
    has_both = len(np.unique(y)) == 2
    run = CalibrationRun.objects.create(
        model="bkt",
        executor=executor,
        started_at=started,
        finished_at=timezone.now(),
        n_responses=n_responses,
        n_students=n_students,
        n_skills=sum(len(f.params) for f in fits),
        auc=float(auc(y, p)) if has_both else None,
        log_loss=float(log_loss(y, p)) if len(y) else None,
    )
    now = timezone.now()
    for fit in fits:
        for skill, params in fit.params.items():
            SkillParameters.objects.update_or_create(
                standard_id=int(skill),
                defaults={
                    "p_init": params.p_init,
                    "p_learn": params.p_learn,
                    "p_slip": params.p_slip,
                    "p_guess": params.p_guess,
                    "p_forget": params.p_forget,
                    "n_responses": fit.counts.get(skill, 0),
                    "fitted_at": now,
                    "run": run,
                },
            )
    replay_mastery()
    return run
