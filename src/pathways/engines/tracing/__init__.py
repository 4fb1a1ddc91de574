"""Mastery engine: knowledge tracing models and the online update the platform calls.

Public API (import from here, never from the private modules): the online step
(:class:`SkillParams`, :class:`SkillState`, :func:`update`, :func:`p_correct`,
:class:`MasteryRule`), response logs and their readers, the models (:class:`BKT` and the
stronger ones), metrics, cross-validation, model files and :func:`check_mastery_model`.
"""

from pathways.engines.tracing._base import MasteryModel, Trace
from pathways.engines.tracing._bkt import BKT
from pathways.engines.tracing._log import (
    FORMATS,
    ResponseLog,
    read_akt,
    read_csv,
    read_dkt,
    read_log,
    read_many,
    read_pykt,
)
from pathways.engines.tracing._metrics import auc, calibration_error, log_loss, rmse, score_all
from pathways.engines.tracing._online import MasteryRule, SkillParams, SkillState, p_correct, update

__all__ = [
    "BKT",
    "FORMATS",
    "MasteryModel",
    "MasteryRule",
    "ResponseLog",
    "SkillParams",
    "SkillState",
    "Trace",
    "auc",
    "calibration_error",
    "log_loss",
    "p_correct",
    "read_akt",
    "read_csv",
    "read_dkt",
    "read_log",
    "read_many",
    "read_pykt",
    "rmse",
    "score_all",
    "update",
]
