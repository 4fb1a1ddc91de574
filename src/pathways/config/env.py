"""Every environment variable Pathways reads: name, type, default and meaning, in one place.

``settings.py`` reads configuration only through :func:`value`; ``pathways config show`` prints
:data:`VARIABLES`. No other module calls ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["str", "bool", "int", "list", "path"]

_SOURCE_ROOT = Path(__file__).resolve().parents[3]
# In a source checkout (src layout) the project root holds pyproject.toml; otherwise use the cwd.
PROJECT_ROOT = _SOURCE_ROOT if (_SOURCE_ROOT / "pyproject.toml").exists() else Path.cwd()


@dataclass(frozen=True)
class Variable:
    name: str
    kind: Kind
    default: str
    description: str


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "DATABASE_URL",
        "str",
        "",
        "Database URL; empty means SQLite (WAL) at VAR_DIR/pathways.sqlite3. "
        "postgres://user:pass@host:port/name selects PostgreSQL.",
    ),
    Variable(
        "PATHWAYS_DEBUG",
        "bool",
        "false",
        "Django debug mode: detailed error pages. Never in production.",
    ),
    Variable(
        "PATHWAYS_SECRET_KEY",
        "str",
        "",
        "Signing key; empty means one generated once into VAR_DIR/secret_key.",
    ),
    Variable(
        "PATHWAYS_ALLOWED_HOSTS",
        "list",
        "127.0.0.1,localhost",
        "Host names this server answers to.",
    ),
    Variable(
        "PATHWAYS_HTTPS",
        "bool",
        "false",
        "Served over HTTPS: secure cookies, HSTS and redirect to https.",
    ),
    Variable(
        "PATHWAYS_VAR_DIR",
        "path",
        str(PROJECT_ROOT / "var"),
        "Where the SQLite database, secret key and logs live.",
    ),
    Variable(
        "PATHWAYS_SHARED_DIR",
        "path",
        str(PROJECT_ROOT.parent / "shared"),
        "Folder with reference data (standards samples) read by the demo and tests, never copied.",
    ),
    Variable("PATHWAYS_TOKEN_HOURS", "int", "12", "Lifetime of an API token, in hours."),
    Variable(
        "PATHWAYS_SESSION_IDLE_MINUTES",
        "int",
        "30",
        "A web session ends after this long without a request.",
    ),
    Variable(
        "PATHWAYS_SESSION_MAX_HOURS",
        "int",
        "12",
        "A web session ends this long after sign-in, whatever happens.",
    ),
    Variable(
        "PATHWAYS_SIGNIN_MAX_FAILURES",
        "int",
        "5",
        "Failed sign-ins per account and address before a pause.",
    ),
    Variable(
        "PATHWAYS_SIGNIN_WINDOW_MINUTES",
        "int",
        "15",
        "Window (and pause) for the sign-in failure count.",
    ),
    Variable("PATHWAYS_LOG_LEVEL", "str", "INFO", "Log level of the pathways loggers."),
    Variable(
        "PATHWAYS_MAX_IN_FLIGHT",
        "int",
        "auto",
        "Requests one server process works on at once; more wait (see PATHWAYS_QUEUE_WAIT_MS). "
        "auto: 1 on SQLite (one writer at a time), 2 on PostgreSQL (a second request uses the "
        "time the first waits for the database), as measured on 2 cores with one process per "
        "core. A number sets it; 0 turns load shedding off.",
    ),
    Variable(
        "PATHWAYS_QUEUE_WAIT_MS",
        "int",
        "250",
        "How long a request may wait for a free slot before it is refused with 429 and "
        "Retry-After (load shedding; nothing is saved by a refused request).",
    ),
    Variable(
        "PATHWAYS_THREADS",
        "int",
        "16",
        "Threads per `pathways serve` worker process (gunicorn gthread): requests beyond "
        "PATHWAYS_MAX_IN_FLIGHT wait in them.",
    ),
    Variable(
        "PATHWAYS_LRS_SECRET",
        "str",
        "",
        "Read once by `pathways xapi connect` (kept out of shell history); stored encrypted.",
    ),
)
_BY_NAME = {v.name: v for v in VARIABLES}
# Integers whose value "auto" is worked out from other variables.
_AUTO = {
    "PATHWAYS_MAX_IN_FLIGHT": lambda: 2 if raw("DATABASE_URL").startswith("postgres") else 1,
}


def raw(name: str) -> str:
    """The variable's text: from the environment, else its default."""
    return os.environ.get(name, _BY_NAME[name].default)


def value(name: str) -> str | bool | int | list[str] | Path:
    """The variable converted to its declared kind; a bad value raises with the variable's name."""
    spec, text = _BY_NAME[name], raw(name)
    if spec.kind == "bool":
        lowered = text.strip().lower()
        if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off", ""}:
            raise ValueError(f"{name}: expected true or false, got {text!r}")
        return lowered in {"1", "true", "yes", "on"}
    if spec.kind == "int":
        if name in _AUTO and text.strip().lower() == "auto":
            return _AUTO[name]()
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{name}: expected an integer, got {text!r}") from None
    if spec.kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if spec.kind == "path":
        return Path(text).expanduser()
    return text


def flag(name: str) -> bool:
    result = value(name)
    assert isinstance(result, bool)
    return result


def number(name: str) -> int:
    result = value(name)
    assert isinstance(result, int)
    assert not isinstance(result, bool)
    return result


def path(name: str) -> Path:
    result = value(name)
    assert isinstance(result, Path)
    return result


def text(name: str) -> str:
    result = value(name)
    assert isinstance(result, str)
    return result


def strings(name: str) -> list[str]:
    result = value(name)
    assert isinstance(result, list)
    return result
