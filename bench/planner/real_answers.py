"""Does the belief the platform's paths rank by predict real students' next answers?

``plan_path`` ranks skills by :class:`GainPlanner`'s value, built on its belief P(known) after
the student's answers. This replays real students' answers (one split of a knowledge-tracing
dataset under /work/shared/data/kt, prepared by ``bench/mastery/prepare.py``) through the planner,
skills without prerequisites (the datasets carry no graph), with the parameters our BKT fits on
the split's training students, and scores each answer's prediction made before it is seen:
P(right) = P(known) (1 - slip) + (1 - P(known)) guess. The reference is the same BKT's own
prediction (``predict_proba``) on the same rows. Each student's first ``--cap``
responses count (the rows of a multi-skill response are all predicted before any is seen).

Usage: python bench/planner/real_answers.py SPLIT_DIR [--cap 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from pathways.engines.planning import GainPlanner, SkillGraph
from pathways.engines.tracing import SkillParams, auc, log_loss, make_model, read_csv

COLUMNS = "student_id=user_id,skill_id=skill_name,order=order,item_id=problem_id"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("split")
    parser.add_argument("--cap", type=int, default=200)
    args = parser.parse_args()
    train = read_csv(f"{args.split}/train.csv", columns=COLUMNS)
    test = read_csv(f"{args.split}/test.csv", columns=COLUMNS)
    model = make_model("bkt", random_state=0).fit(train)
    fitted = model.skill_params()
    params = {s: fitted.get(s, SkillParams()) for s in test.skill_ids}
    bkt = model.predict_proba(test)

    graph = SkillGraph({s: [] for s in test.skill_ids})
    started = time.perf_counter()
    planner = GainPlanner(graph, params, p_init_meaning="conditional")
    planner.add_students(test.n_students)
    # Each row's response number within its student (the rows of one multi-skill response share
    # it: all are predicted before any is seen) and its place within that response.
    order = np.lexsort((np.arange(len(test)), test.event, test.student))
    student, event = test.student[order], test.event[order]
    new_student = np.r_[True, student[1:] != student[:-1]]
    new_response = new_student | np.r_[True, event[1:] != event[:-1]]
    response_no = np.cumsum(new_response)
    first_of_student = np.maximum.accumulate(np.where(new_student, response_no, 0))
    step = np.empty(len(test), dtype=np.int64)
    step[order] = response_no - first_of_student
    starts = np.flatnonzero(new_response)
    within = np.empty(len(test), dtype=np.int64)
    within[order] = np.arange(len(test)) - np.repeat(starts, np.diff(np.r_[starts, len(test)]))
    slip = np.array([params[s].p_slip for s in test.skill_ids])
    guess = np.array([params[s].p_guess for s in test.skill_ids])
    planned = np.full(len(test), np.nan)
    for k in range(min(args.cap, int(step.max()) + 1)):
        rows = np.flatnonzero(step == k)
        who = test.student[rows].astype(np.int64)
        what = test.skill[rows].astype(np.int64)
        known = planner.known(who)[np.arange(len(rows)), what]
        planned[rows] = known * (1.0 - slip[what]) + (1.0 - known) * guess[what]
        for j in range(int(within[rows].max()) + 1):  # one row per student per call
            part = rows[within[rows] == j]
            planner.observe(
                test.student[part].astype(np.int64),
                test.skill[part].astype(np.int64),
                test.correct[part].astype(bool),
            )
    seconds = time.perf_counter() - started
    scored = ~np.isnan(planned)
    y = test.correct[scored]
    print(
        f"{args.split}: {int(scored.sum())} answers of {test.n_students} students "
        f"(first {args.cap} responses each), {test.n_skills} skills; replay {seconds:.1f} s"
    )
    for name, p in (("BKT (the mastery engine)", bkt[scored]), ("planner belief", planned[scored])):
        print(f"  {name:26s} AUC {auc(y, p):.4f}  log loss {log_loss(y, p):.4f}")


if __name__ == "__main__":
    main()
