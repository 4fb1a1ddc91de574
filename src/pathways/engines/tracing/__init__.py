"""Mastery engine: knowledge tracing models and the online update the platform calls.

Public API (import from here, never from the private modules): the online step
(:class:`SkillParams`, :class:`SkillState`, :func:`update`, :func:`p_correct`,
:class:`MasteryRule`), response logs and their readers, the models (:class:`BKT` and the
stronger ones), metrics, cross-validation, model files and :func:`check_mastery_model`.
"""

from pathways.engines.tracing._base import MasteryModel, Trace
from pathways.engines.tracing._bkt import BKT
from pathways.engines.tracing._calibrate import fit_skill_params
from pathways.engines.tracing._io import (
    DEFAULT_MODEL,
    MODEL_FORMAT,
    MODELS,
    dump_model,
    load_model,
    make_model,
    parse_model,
    save_model,
)
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
from pathways.engines.tracing._logistic import LogisticKT
from pathways.engines.tracing._metrics import auc, calibration_error, log_loss, rmse, score_all
from pathways.engines.tracing._online import MasteryRule, SkillParams, SkillState, p_correct, update
from pathways.engines.tracing._validation import CVResult, crossvalidate, student_folds
from pathways.engines.tracing.checks import check_mastery_model

__all__ = [
    "BKT",
    "DEFAULT_MODEL",
    "FORMATS",
    "MODELS",
    "MODEL_FORMAT",
    "CVResult",
    "LogisticKT",
    "MasteryModel",
    "MasteryRule",
    "ResponseLog",
    "SkillParams",
    "SkillState",
    "Trace",
    "auc",
    "calibration_error",
    "check_mastery_model",
    "crossvalidate",
    "dump_model",
    "fit_skill_params",
    "load_model",
    "log_loss",
    "make_model",
    "p_correct",
    "parse_model",
    "read_akt",
    "read_csv",
    "read_dkt",
    "read_log",
    "read_many",
    "read_pykt",
    "rmse",
    "save_model",
    "score_all",
    "student_folds",
    "update",
]
