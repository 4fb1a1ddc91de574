"""What every mastery model shares: scikit-learn style parameters, fitted checks, id mapping."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from pathways.engines.errors import NotFittedError
from pathways.engines.tracing._log import ResponseLog

__all__ = ["MasteryModel", "Trace", "map_ids"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Trace:
    """Per-row predictions, aligned with the log's rows.

    ``p_correct``: probability the row's response is correct, from the student's earlier events
    only. ``p_mastery``: probability the student knows the row's skill after the row.
    """

    p_correct: FloatArray
    p_mastery: FloatArray


def map_ids(ids: tuple[str, ...], known: dict[str, int], missing: int) -> NDArray[np.int64]:
    """Translate a log's id table into a fitted model's codes; unseen ids get ``missing``."""
    return np.array([known.get(i, missing) for i in ids] or [missing], dtype=np.int64)


class MasteryModel:
    """Base of the knowledge-tracing estimators (scikit-learn conventions).

    ``__init__`` only stores keyword hyperparameters; ``fit(log)`` returns ``self``; learned state
    ends in ``_``; predicting before ``fit`` raises :class:`NotFittedError`.
    """

    #: Name used by the CLI (``--model``) and in model files.
    name: ClassVar[str] = ""

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p.name for p in signature.parameters.values() if p.name != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Hyperparameters as a dict (``deep`` is accepted for scikit-learn compatibility)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> MasteryModel:
        """Set hyperparameters by name; unknown names raise ``ValueError``."""
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {key!r}")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _check_fitted(self) -> None:
        if not getattr(self, "skill_ids_", None):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet: call fit(log)")

    # Interface the subclasses implement.
    def fit(self, log: ResponseLog) -> MasteryModel:
        raise NotImplementedError

    def trace(self, log: ResponseLog) -> Trace:
        raise NotImplementedError

    def predict_proba(self, log: ResponseLog) -> FloatArray:
        """P(correct) for every row of ``log``, from each student's earlier events only."""
        return self.trace(log).p_correct

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MasteryModel:
        raise NotImplementedError
