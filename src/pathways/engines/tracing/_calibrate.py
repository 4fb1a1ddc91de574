"""What the platform calls to (re)calibrate: fitted per-skill parameters for the online update."""

from __future__ import annotations

from pathways.engines.tracing._base import MasteryModel
from pathways.engines.tracing._bkt import BKT
from pathways.engines.tracing._io import make_model
from pathways.engines.tracing._log import ResponseLog
from pathways.engines.tracing._logistic import LogisticKT
from pathways.engines.tracing._online import SkillParams

__all__ = ["fit_skill_params"]


def fit_skill_params(
    log: ResponseLog, model: str | MasteryModel = "bkt", *, random_state: int | None = 0
) -> dict[str, SkillParams]:
    """Fit ``model`` (a name from ``MODELS`` or an unfitted model) and return the per-skill
    :class:`SkillParams` that :func:`update` uses. Only skills with rows in ``log`` appear;
    use :meth:`BKT.population_params` for the others.

    Example:
        >>> log = ResponseLog.from_arrays(["a", "a", "b", "b"], ["k"] * 4, [0, 1, 1, 1])
        >>> params = fit_skill_params(log)
        >>> sorted(params), 0 <= params["k"].p_guess < 0.5
        (['k'], True)
    """
    fitted = make_model(model, random_state=random_state) if isinstance(model, str) else model
    fitted.fit(log)
    if isinstance(fitted, BKT | LogisticKT):
        return fitted.skill_params()
    raise TypeError(f"{type(fitted).__name__} has no per-skill BKT parameters")
