"""Standard BKT fitted by EM: recovers known parameters and agrees with the online update."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from pathways.engines.errors import NotFittedError
from pathways.engines.tracing import (
    BKT,
    ResponseLog,
    SkillParams,
    SkillState,
    fit_skill_params,
    p_correct,
    update,
)

TRUE = {
    "fractions": {"p_init": 0.2, "p_learn": 0.15, "p_guess": 0.2, "p_slip": 0.1},
    "decimals": {"p_init": 0.5, "p_learn": 0.3, "p_guess": 0.15, "p_slip": 0.05},
    "ratios": {"p_init": 0.1, "p_learn": 0.08, "p_guess": 0.3, "p_slip": 0.15},
}


def test_em_recovers_simulated_parameters_within_005(simulated: ResponseLog) -> None:
    fitted = BKT(random_state=0).fit(simulated).params_
    for skill, truth in TRUE.items():
        for name, value in truth.items():
            assert fitted[skill][name] == pytest.approx(value, abs=0.05), (skill, name)


def test_em_with_forgetting_recovers_the_forget_rate(simulate: Callable[..., ResponseLog]) -> None:
    log = simulate({"k": (0.3, 0.2, 0.2, 0.1)}, n_students=3000, n_steps=12, forget=0.1, seed=1)
    fitted = BKT(forgets=True, random_state=0).fit(log).params_["k"]
    assert fitted["p_forget"] == pytest.approx(0.1, abs=0.05)
    assert fitted["p_learn"] == pytest.approx(0.2, abs=0.05)


def test_standard_bkt_never_forgets(simulated: ResponseLog) -> None:
    params = BKT(random_state=0).fit(simulated).params_
    assert all(p["p_forget"] == 0.0 for p in params.values())


def test_guess_and_slip_stay_below_one_half(simulate: Callable[..., ResponseLog]) -> None:
    # Answers unrelated to practice: without bounds EM may swap the meaning of the states.
    log = simulate({"noise": (0.5, 0.0, 0.6, 0.4)}, n_students=300, n_steps=6, seed=2)
    params = BKT(random_state=0).fit(log).params_["noise"]
    assert params["p_guess"] < 0.5
    assert params["p_slip"] < 0.5


def test_batch_trace_equals_the_online_update_step_by_step(simulated: ResponseLog) -> None:
    model = BKT(random_state=0).fit(simulated)
    params = model.skill_params()
    student_rows = np.flatnonzero(simulated.student == 7)
    trace = model.trace(simulated)
    states: dict[str, SkillState] = {}
    for row in student_rows:
        skill = simulated.skill_ids[simulated.skill[row]]
        state = states.get(skill, SkillState.prior(params[skill]))
        assert trace.p_correct[row] == pytest.approx(p_correct(params[skill], state), abs=1e-12)
        state = update(params[skill], state, bool(simulated.correct[row]))
        assert trace.p_mastery[row] == pytest.approx(state.p_mastery, abs=1e-12)
        states[skill] = state


def test_more_restarts_never_lower_the_likelihood(simulated: ResponseLog) -> None:
    # Compared at convergence: the restarts are ranked on a sample of each skill's sequences,
    # and the default tolerance (1e-5 per response) stops EM within 1e-5 * n of its optimum,
    # looser than this check.
    one = BKT(n_restarts=1, tol=1e-8, random_state=0).fit(simulated)
    five = BKT(n_restarts=5, tol=1e-8, random_state=0).fit(simulated)
    assert five.log_likelihood_ >= one.log_likelihood_ - 1e-6 * len(simulated)


def test_unseen_skill_uses_population_parameters(simulated: ResponseLog) -> None:
    model = BKT(random_state=0).fit(simulated)
    new = ResponseLog.from_arrays(["zoe"], ["geometry"], [1])
    population = model.population_params()
    expected = p_correct(population, SkillState.prior(population))
    assert model.predict_proba(new)[0] == pytest.approx(expected)


def test_predicting_before_fitting_raises() -> None:
    with pytest.raises(NotFittedError):
        BKT().predict_proba(ResponseLog.from_arrays(["a"], ["k"], [1]))


def test_fit_skill_params_gives_what_the_online_update_takes(simulated: ResponseLog) -> None:
    params = fit_skill_params(simulated, "bkt", random_state=0)
    assert set(params) == set(TRUE)
    assert all(isinstance(p, SkillParams) for p in params.values())
    state = update(params["decimals"], SkillState.prior(params["decimals"]), True)
    assert state.p_mastery > params["decimals"].p_init


def _exact_bkt_trace(
    init: float, learn: float, guess: float, slip: float, answers: list[int]
) -> list[float]:
    """P(correct) before each answer, in exact rational arithmetic (the reference)."""
    from fractions import Fraction

    known = Fraction(init)
    out = []
    for y in answers:
        out.append(float(known * (1 - Fraction(slip)) + (1 - known) * Fraction(guess)))
        like_k = 1 - Fraction(slip) if y else Fraction(slip)
        like_u = Fraction(guess) if y else 1 - Fraction(guess)
        post = known * like_k / (known * like_k + (1 - known) * like_u)
        known = post + (1 - post) * Fraction(learn)
    return out


def test_a_long_run_of_right_answers_does_not_lock_the_belief() -> None:
    # After ~40 right answers P(known) rounds to 1.0 in floating point; computing P(unknown)
    # as 1 - P(known) then makes every later wrong answer powerless (an early version did this
    # and lost 0.025 AUC to pyBKT on the ASSISTments 2009 DKT export).
    answers = [1] * 40 + [0] * 20
    log = ResponseLog.from_arrays(["s"] * len(answers), ["k"] * len(answers), answers)
    params = {"p_init": 0.5, "p_learn": 0.1, "p_forget": 0.0, "p_guess": 0.3, "p_slip": 0.02}
    model = BKT.from_dict(
        {
            "hyperparameters": {},
            "skills": {"k": {**params, "n_responses": len(answers)}},
            "population": params,
            "log_likelihood": 0.0,
        }
    )
    got = model.predict_proba(log)
    want = _exact_bkt_trace(0.5, 0.1, 0.3, 0.02, answers)
    np.testing.assert_allclose(got, want, rtol=1e-9)
    assert got[-1] < 0.5 < got[40]


def _reference(
    params: tuple[float, float, float, float, float], answers: list[int]
) -> tuple[list[float], float]:
    """P(known at t | the whole sequence) and the sequence's log-likelihood, by forward-backward
    in log space (the reference). ``params`` = (init, learn, forget, guess, slip)."""
    import math

    init, learn, forget, guess, slip = params

    def log(p: float) -> float:
        return math.log(p) if p > 0 else -math.inf

    emit = [[log(1 - guess), log(guess)], [log(slip), log(1 - slip)]]
    move = [[log(1 - learn), log(learn)], [log(forget), log(1 - forget)]]  # from (u, k) to (u, k)

    def lse(xs: list[float]) -> float:
        top = max(xs)
        return top if top == -math.inf else top + math.log(sum(math.exp(x - top) for x in xs))

    alpha = [[log(1 - init) + emit[0][answers[0]], log(init) + emit[1][answers[0]]]]
    for y in answers[1:]:
        prev = alpha[-1]
        alpha.append([lse([prev[i] + move[i][j] for i in (0, 1)]) + emit[j][y] for j in (0, 1)])
    beta = [[0.0, 0.0]]
    for y in reversed(answers[1:]):
        nxt = beta[0]
        beta.insert(0, [lse([move[i][j] + emit[j][y] + nxt[j] for j in (0, 1)]) for i in (0, 1)])
    out = []
    for (au, ak), (bu, bk) in zip(alpha, beta, strict=True):
        out.append(math.exp(ak + bk - lse([au + bu, ak + bk])))
    return out, lse(alpha[-1])


@pytest.mark.parametrize("forget", [0.0, 0.03])
def test_em_smoother_is_exact_on_saturated_sequences(forget: float) -> None:
    # The E-step's P(known | all answers) after a long run of right answers followed by wrong
    # ones: computed from 1 - P(known) it would say "known" throughout.
    from pathways.engines.tracing._bkt import _EStep, _Sequences

    answers = [1] * 45 + [0] * 25 + [1] * 4
    log = ResponseLog.from_arrays(["s"] * len(answers), ["k"] * len(answers), answers)
    params = (0.5, 0.1, forget, 0.3, 0.02)
    theta = np.array([[params]])
    data = _Sequences(log, np.arange(1, dtype=np.int64))
    e_step = _EStep(data, 1, forgets=forget > 0)
    got = np.empty(len(answers))
    got[data.packed.rows] = e_step.smoothed(theta)[0]
    want, log_likelihood = _reference(params, answers)
    np.testing.assert_allclose(got, want, atol=1e-9)
    _, total = e_step.run(theta)
    assert total == pytest.approx(log_likelihood, rel=1e-12)
    assert e_step.log_likelihood()[0, 0] == pytest.approx(log_likelihood, rel=1e-12)


def test_e_step_with_and_without_forgetting_agree_when_forget_is_zero(
    simulated: ResponseLog,
) -> None:
    # Standard BKT counts unknown -> known moves as P(known last) - P(known first) per
    # sequence; the forgetting E-step sums the expected transitions row by row.
    from pathways.engines.tracing._bkt import _EStep, _Sequences

    data = _Sequences(simulated, np.arange(simulated.n_skills, dtype=np.int64))
    rng = np.random.default_rng(3)
    theta = np.zeros((2, simulated.n_skills, 5))
    theta[..., 0] = rng.uniform(0.1, 0.9, theta.shape[:2])
    theta[..., 1] = rng.uniform(0.01, 0.4, theta.shape[:2])
    theta[..., 3] = rng.uniform(0.05, 0.45, theta.shape[:2])
    theta[..., 4] = rng.uniform(0.05, 0.45, theta.shape[:2])
    plain, total = _EStep(data, 2, forgets=False).run(theta)
    with_forget, total_forget = _EStep(data, 2, forgets=True).run(theta)
    assert total == pytest.approx(total_forget, rel=1e-12)
    for name, (num, den) in plain.items():
        np.testing.assert_allclose(num, with_forget[name][0], rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(den, with_forget[name][1], rtol=1e-12)
