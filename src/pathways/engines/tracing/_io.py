"""Model files: readable JSON ``{"format": "pathways-mastery-model/1", "model": NAME, ...}``."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from pathways.engines.errors import InputError
from pathways.engines.tracing._base import MasteryModel
from pathways.engines.tracing._bkt import BKT
from pathways.engines.tracing._logistic import LogisticKT

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "MODEL_FORMAT",
    "dump_model",
    "load_model",
    "make_model",
    "parse_model",
    "save_model",
]

MODEL_FORMAT = "pathways-mastery-model/1"

#: Models by the name the CLI and model files use. ``bkt-forgets`` is BKT with forgetting.
MODELS: dict[str, tuple[type[MasteryModel], dict[str, Any]]] = {
    "bkt": (BKT, {}),
    "bkt-forgets": (BKT, {"forgets": True}),
    "logistic": (LogisticKT, {}),
}
#: The model that scores best on held-out students (see docs/engines/mastery-model.md).
DEFAULT_MODEL = "logistic"


def make_model(name: str = DEFAULT_MODEL, *, random_state: int | None = None) -> MasteryModel:
    """A fresh, unfitted model by name (one of :data:`MODELS`).

    Example:
        >>> make_model("bkt-forgets", random_state=0)
        BKT(n_restarts=5, max_iter=100, tol=1e-05, forgets=True, max_guess=0.5, max_slip=0.5, smoothing=0.0, random_state=0)
    """  # noqa: E501
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    cls, settings = MODELS[name]
    return cls(**{**settings, "random_state": random_state})


def _model_name(model: MasteryModel) -> str:
    params = model.get_params()
    for name, (cls, settings) in MODELS.items():
        if isinstance(model, cls) and all(params.get(k) == v for k, v in settings.items()):
            if name == "bkt" and params.get("forgets"):
                continue
            return name
    raise ValueError(f"{type(model).__name__} is not a registered mastery model")


def dump_model(model: MasteryModel) -> dict[str, Any]:
    """The model file's content as a dict (inverse of :func:`parse_model`)."""
    return {"format": MODEL_FORMAT, "model": _model_name(model), **model.to_dict()}


def parse_model(data: Any, *, source: str = "<model>") -> MasteryModel:
    """A fitted model from a model file's content; raises :class:`InputError` if it is not one."""
    if not isinstance(data, dict):
        raise InputError(source, "expected a JSON object")
    if data.get("format") != MODEL_FORMAT:
        raise InputError(source, f"expected format {MODEL_FORMAT!r}, got {data.get('format')!r}")
    name = data.get("model")
    if not isinstance(name, str) or name not in MODELS:
        raise InputError(source, f"unknown model {name!r}")
    cls, _ = MODELS[name]
    try:
        return cls.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # A value of the wrong JSON type anywhere (a list where skills map names, ...).
        raise InputError(source, f"malformed model file: {exc!r}") from None


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("model holds a non-finite number")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def save_model(model: MasteryModel, path: str | Path) -> None:
    """Write the model as JSON; the file appears complete or not at all."""
    path = Path(path)
    text = json.dumps(_finite(dump_model(model)), indent=1, sort_keys=False)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_model(path: str | Path) -> MasteryModel:
    """Read a model file written by :func:`save_model`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot open: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not JSON: {exc.msg}", line=exc.lineno) from None
    return parse_model(data, source=str(path))
