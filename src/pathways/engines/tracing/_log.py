"""ResponseLog: a student-response log as columnar numpy arrays, and the readers that build it.

Rows are kept in each student's chronological order (students may interleave). Every row also
carries ``source_row`` (its 0-based position among the input's data rows, so outputs can be written
back in input order) and ``event``: rows that are one response tagged with several skills share an
event id, and models predict all rows of an event from the student's earlier events only.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pathways.engines.errors import InputError

__all__ = [
    "FORMATS",
    "REQUIRED_COLUMNS",
    "ResponseLog",
    "read_akt",
    "read_csv",
    "read_dkt",
    "read_log",
    "read_many",
    "read_pykt",
]

REQUIRED_COLUMNS = ("student_id", "skill_id", "correct", "order")
FORMATS = ("csv", "dkt", "akt", "pykt")

IntArray = NDArray[np.int64]


def _codes(
    values: Sequence[Any] | NDArray[np.generic],
) -> tuple[NDArray[np.int32], tuple[str, ...]]:
    """Integer codes in order of first appearance, and the id table (as text) they index.

    Values are compared as text (``1`` and ``"1"`` are one id). Where the values come in runs
    (a student's rows together, as every export lists them) each run is coded once.
    """
    items: Sequence[Any] = values.tolist() if isinstance(values, np.ndarray) else values
    head = items[:4096]
    # Runs pay off from about 10 rows each on average (a run costs ~10 rows of dict lookups).
    if len(head) >= 64 and 16 * sum(1 for _ in groupby(head)) <= len(head):
        runs = [(key, len(list(run))) for key, run in groupby(items)]
        keys = [key for key, _ in runs]
        lengths = [length for _, length in runs]
        # Runs join equal values, and only text equals text: other types go by their text.
        if all(type(k) is str for k in keys):
            codes, ids = _codes_by_value(keys)
            return np.repeat(codes, lengths), ids
    return _codes_by_value(items)


def _codes_by_value(values: Sequence[Any]) -> tuple[NDArray[np.int32], tuple[str, ...]]:
    # One pass in C: setdefault gives each row the position of its value's first appearance
    # (the dict keeps first appearances in order), then a lookup table turns positions into
    # dense codes. Text only equals text, so values that are all text are coded as they are;
    # anything else is coded by its text.
    n = len(values)
    first: dict[Any, int] = {}
    try:
        seen = np.fromiter(map(first.setdefault, values, range(n)), np.int64, n)
        as_text = not all(type(v) is str for v in first)
    except TypeError:  # unhashable values
        as_text = True
    if as_text:
        first = {}
        seen = np.fromiter(map(first.setdefault, map(str, values), range(n)), np.int64, n)
    dense = np.empty(n, np.int32)
    dense[np.fromiter(first.values(), np.int64, len(first))] = np.arange(len(first), dtype=np.int32)
    return dense[seen], tuple(first)


@dataclass(frozen=True, eq=False)
class ResponseLog:
    """Responses as parallel arrays: ``student``, ``skill``, ``item`` index the id tables.

    ``correct`` holds 0/1, ``item`` is -1 where the question is unknown, ``event`` groups the
    rows of one multi-skill response, ``source_row`` is each row's position in the input. Rows of
    one student are in chronological order; build logs with :meth:`from_arrays` or the readers.

    Example:
        >>> log = ResponseLog.from_arrays(["ann", "ann", "bo"], ["add", "add", "sub"], [0, 1, 1])
        >>> len(log), log.n_students, log.skill_ids
        (3, 2, ('add', 'sub'))
    """

    student: NDArray[np.int32]
    skill: NDArray[np.int32]
    correct: NDArray[np.int8]
    item: NDArray[np.int32]
    event: IntArray
    source_row: IntArray
    student_ids: tuple[str, ...]
    skill_ids: tuple[str, ...]
    item_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.correct)
        for name in ("student", "skill", "item", "event", "source_row"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"ResponseLog.{name} has {len(getattr(self, name))} rows, not {n}")

    def __len__(self) -> int:
        return len(self.correct)

    @property
    def n_students(self) -> int:
        return len(self.student_ids)

    @property
    def n_skills(self) -> int:
        return len(self.skill_ids)

    @property
    def has_items(self) -> bool:
        return bool(self.item_ids)

    @classmethod
    def from_arrays(
        cls,
        student: Sequence[str] | NDArray[np.generic],
        skill: Sequence[str] | NDArray[np.generic],
        correct: Sequence[int] | NDArray[np.generic],
        *,
        item: Sequence[str] | NDArray[np.generic] | None = None,
        order: Sequence[float] | NDArray[np.generic] | None = None,
        event: Sequence[int] | NDArray[np.generic] | None = None,
    ) -> ResponseLog:
        """Build a log from per-row values (ids are turned to strings).

        Without ``order`` rows are taken in the given order; with it, each student's rows are
        sorted by it (ties keep the given order). ``event`` (any integers) marks rows that are one
        response: consecutive rows of a student with the same value form one event. Without it,
        every row is its own event.

        Example:
            >>> log = ResponseLog.from_arrays(["a", "a"], ["k", "k"], [1, 0], order=[2, 1])
            >>> log.correct.tolist(), log.source_row.tolist()
            ([0, 1], [1, 0])
        """
        n = len(correct)
        students, student_ids = _codes(student)
        skills, skill_ids = _codes(skill)
        y = np.asarray(correct)
        if y.shape != (n,) or not ((y == 0) | (y == 1)).all():
            raise ValueError("correct must be a 1-d sequence of 0/1 values")
        item_ids: tuple[str, ...] = ()
        if item is None:
            items = np.full(n, -1, np.int32)
        else:
            items, item_ids = _codes(item)
        if len(students) != n or len(skills) != n or len(items) != n:
            raise ValueError("student, skill, correct (and item) must have the same length")
        rows = np.arange(n, dtype=np.int64)
        if order is not None:
            keys = np.asarray(order)
            if keys.shape != (n,):
                raise ValueError("order must have one value per row")
            perm = np.lexsort((rows, keys, students))
        else:
            perm = np.argsort(students, kind="stable")
        raw_event = np.asarray(event, dtype=np.int64) if event is not None else rows
        ev = _event_ids(students[perm], raw_event[perm])
        return cls(
            student=students[perm],
            skill=skills[perm],
            correct=y[perm].astype(np.int8),
            item=items[perm],
            event=ev,
            source_row=rows[perm],
            student_ids=student_ids,
            skill_ids=skill_ids,
            item_ids=item_ids,
        )

    def take(self, rows: NDArray[np.integer] | NDArray[np.bool_]) -> ResponseLog:
        """The log restricted to ``rows`` (indices in increasing order, or a mask); ids kept."""
        return ResponseLog(
            student=self.student[rows],
            skill=self.skill[rows],
            correct=self.correct[rows],
            item=self.item[rows],
            event=self.event[rows],
            source_row=self.source_row[rows],
            student_ids=self.student_ids,
            skill_ids=self.skill_ids,
            item_ids=self.item_ids,
        )

    def select_students(self, students: NDArray[np.integer]) -> ResponseLog:
        """The rows of the given student codes (a student-level split), in log order."""
        mask = np.zeros(self.n_students, dtype=bool)
        mask[students] = True
        return self.take(mask[self.student])

    def collapse_events(self, how: str = "joint") -> ResponseLog:
        """One row per event: a multi-skill response becomes a single row.

        ``how="joint"`` gives it a new skill id joining its skills with ``+`` (the "collapsed"
        ASSISTments convention); ``how="first"`` keeps only its first skill.

        Example:
            >>> log = ResponseLog.from_arrays(["a", "a", "a"], ["k", "m", "k"], [1, 1, 0],
            ...                               event=[0, 0, 1])
            >>> one_per_response = log.collapse_events()
            >>> [one_per_response.skill_ids[s] for s in one_per_response.skill]
            ['k+m', 'k']
        """
        if how not in ("joint", "first"):
            raise ValueError(f"how must be 'joint' or 'first', got {how!r}")
        first = _event_starts(self.event)
        starts = np.flatnonzero(first)
        if how == "first" or len(starts) == len(self):
            return self.take(first)
        ends = np.append(starts[1:], len(self))
        names = [
            "+".join(sorted({self.skill_ids[s] for s in self.skill[a:b]}))
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
        ]
        codes, skill_ids = _codes(names)
        kept = self.take(first)
        return ResponseLog(
            student=kept.student,
            skill=codes,
            correct=kept.correct,
            item=kept.item,
            event=kept.event,
            source_row=kept.source_row,
            student_ids=self.student_ids,
            skill_ids=skill_ids,
            item_ids=self.item_ids,
        )

    @staticmethod
    def concat(logs: Sequence[ResponseLog]) -> ResponseLog:
        """Stack logs (for example the fold files of one dataset) into one, re-coding ids.

        A student id that appears in several logs is the same student; ``source_row`` counts on
        across the logs in the order given.
        """
        if not logs:
            raise ValueError("concat needs at least one log")
        student_names = [log.student_ids[c] for log in logs for c in log.student.tolist()]
        skill_names = [log.skill_ids[c] for log in logs for c in log.skill.tolist()]
        has_items = any(log.has_items for log in logs)
        item_names: list[str] | None = None
        if has_items:
            item_names = [
                log.item_ids[c] if c >= 0 else "" for log in logs for c in log.item.tolist()
            ]
        offset = 0
        rows, events = [], []
        ev_offset = 0
        for log in logs:
            rows.append(log.source_row + offset)
            events.append(log.event + ev_offset)
            offset += int(log.source_row.max()) + 1 if len(log) else 0
            ev_offset += int(log.event.max()) + 1 if len(log) else 0
        source = np.concatenate(rows)
        merged = ResponseLog.from_arrays(
            student_names,
            skill_names,
            np.concatenate([log.correct for log in logs]),
            item=item_names,
            event=np.concatenate(events),
        )
        return ResponseLog(
            student=merged.student,
            skill=merged.skill,
            correct=merged.correct,
            item=merged.item,
            event=merged.event,
            source_row=source[merged.source_row],
            student_ids=merged.student_ids,
            skill_ids=merged.skill_ids,
            item_ids=merged.item_ids,
        )


def _event_starts(event: IntArray) -> NDArray[np.bool_]:
    first = np.ones(len(event), dtype=bool)
    first[1:] = event[1:] != event[:-1]
    return first


def _event_ids(students: NDArray[np.int32], raw: IntArray) -> IntArray:
    """Number events 0, 1, ...: a new event starts where the student or the raw value changes."""
    if len(raw) == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(len(raw), dtype=bool)
    new[1:] = (students[1:] != students[:-1]) | (raw[1:] != raw[:-1])
    return np.cumsum(new, dtype=np.int64) - 1


# --- canonical CSV -------------------------------------------------------------------------------


def _parse_mapping(columns: Mapping[str, str] | str | None) -> dict[str, str]:
    """``--map`` text (``student_id=user_id,...``) or a dict: canonical name -> file column."""
    if columns is None:
        return {}
    if isinstance(columns, str):
        pairs: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in columns.split(","))):
            name, sep, column = part.partition("=")
            if not sep or not name.strip() or not column.strip():
                raise ValueError(f"--map entries look like canonical=column, got {part!r}")
            pairs[name.strip()] = column.strip()
        columns = pairs
    unknown = set(columns) - {*REQUIRED_COLUMNS, "item_id"}
    if unknown:
        raise ValueError(f"--map names unknown canonical columns: {', '.join(sorted(unknown))}")
    return dict(columns)


_INT = re.compile(r"[+-]?\d+")


def _timestamp(text: str) -> float:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def read_csv(
    path: str | Path,
    *,
    columns: Mapping[str, str] | str | None = None,
    source: str | None = None,
) -> ResponseLog:
    """Read the canonical responses CSV (``student_id, skill_id, correct, order[, item_id]``).

    ``columns`` renames file columns (``{"student_id": "user_id"}`` or the ``--map`` text).
    ``order`` holds integers or ISO-8601 timestamps; ties keep file order. Consecutive rows of a
    student with the same order and item form one multi-skill response (one event). The answer
    never decides grouping: event membership must not reveal labels.
    Raises :class:`InputError` naming the file, line and reason on any malformed input.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
        >>> _ = path.write_text("student_id,skill_id,correct,order\\nann,add,1,2\\nann,add,0,1\\n")
        >>> read_csv(path).correct.tolist()
        [0, 1]
    """
    path = Path(path)
    name = source or str(path)
    try:
        mapping = _parse_mapping(columns)
    except ValueError as exc:
        raise InputError(name, str(exc)) from None
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(name, f"cannot open: {exc.strerror}") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(name, f"unreadable CSV: {exc}", line=1) from None
        if header is None or not any(h.strip() for h in header):
            raise InputError(name, "empty file: expected a header row", line=1)
        header = [h.strip() for h in header]
        where: dict[str, int] = {}
        for canonical in (*REQUIRED_COLUMNS, "item_id"):
            column = mapping.get(canonical, canonical)
            if column in header:
                where[canonical] = header.index(column)
            elif canonical != "item_id":
                renamed = f" (mapped from '{column}')" if column != canonical else ""
                raise InputError(name, f"missing required column '{canonical}'{renamed}", line=1)
        has_item = "item_id" in where
        students: list[str] = []
        skills: list[str] = []
        items: list[str] = []
        orders: list[str] = []
        lines: list[int] = []
        correct: list[int] = []
        i_student, i_skill, i_correct, i_order = (where[c] for c in REQUIRED_COLUMNS)
        i_item = where.get("item_id", -1)
        width = max(where.values()) + 1
        try:
            for record in reader:
                line = reader.line_num
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue
                if len(record) < width:
                    missing = [c for c, i in where.items() if i >= len(record)]
                    raise InputError(name, f"row has no value for {', '.join(missing)}", line=line)
                student = record[i_student].strip()
                skill = record[i_skill].strip()
                if not student:
                    raise InputError(name, "empty student id", line=line, column="student_id")
                if not skill:
                    raise InputError(name, "empty skill id", line=line, column="skill_id")
                value = record[i_correct].strip()
                if value not in ("0", "1"):
                    raise InputError(
                        name, f"expected 0 or 1, got {value!r}", line=line, column="correct"
                    )
                students.append(student)
                skills.append(skill)
                correct.append(value == "1")
                orders.append(record[i_order].strip())
                lines.append(line)
                if has_item:
                    items.append(record[i_item].strip())
        except csv.Error as exc:
            raise InputError(name, f"unreadable CSV: {exc}", line=reader.line_num) from None
        except UnicodeDecodeError:
            raise InputError(name, "not UTF-8 text", line=reader.line_num + 1) from None
    if not students:
        raise InputError(name, "no responses after the header", line=2)
    order = _parse_orders(orders, lines, name)
    # Events: same student, same order value and same item (never the answer: grouping by the
    # answer would tell a model which rows share a label).
    n = len(students)
    log = ResponseLog.from_arrays(
        students,
        skills,
        np.asarray(correct, np.int8),
        item=items if has_item else None,
        order=order,
    )
    perm = log.source_row
    if n:
        key_order = order[perm]
        item_key = log.item
        same = np.zeros(n, dtype=bool)
        same[1:] = (
            (log.student[1:] == log.student[:-1])
            & (key_order[1:] == key_order[:-1])
            & (item_key[1:] == item_key[:-1])
        )
        event = np.cumsum(~same, dtype=np.int64) - 1
        log = ResponseLog(
            student=log.student,
            skill=log.skill,
            correct=log.correct,
            item=log.item,
            event=event,
            source_row=log.source_row,
            student_ids=log.student_ids,
            skill_ids=log.skill_ids,
            item_ids=log.item_ids,
        )
    return log


def _parse_orders(orders: list[str], lines: list[int], name: str) -> NDArray[np.float64]:
    """Integers if every value is one, else ISO-8601 timestamps (seconds since the epoch)."""
    if all(_INT.fullmatch(o) for o in orders):
        values = np.array([int(o) for o in orders], dtype=np.float64)
        if np.abs(values).max() >= 2.0**53:
            raise InputError(name, "order integers too large", line=lines[0], column="order")
        return values
    out = np.empty(len(orders), dtype=np.float64)
    for i, text in enumerate(orders):
        try:
            out[i] = float(int(text)) if _INT.fullmatch(text) else _timestamp(text)
        except (ValueError, OverflowError):
            reason = (
                "empty order" if not text else f"expected an integer or ISO-8601 time, got {text!r}"
            )
            raise InputError(name, reason, line=lines[i], column="order") from None
    return out


# --- research formats ----------------------------------------------------------------------------


def _split_ints(text: str, name: str, line: int, what: str) -> list[str]:
    values = [v.strip() for v in text.strip().rstrip(",").split(",")]
    if values == [""]:
        return []
    for v in values:
        if not v:
            raise InputError(name, f"empty value in the {what} list", line=line)
    return values


def _check_correct(values: list[str], name: str, line: int) -> None:
    for v in values:
        if v not in ("0", "1"):
            raise InputError(name, f"expected 0 or 1 in the answers, got {v!r}", line=line)


def _lines(path: Path, name: str) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(name, f"cannot open: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(name, "not UTF-8 text") from None
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise InputError(name, "empty file", line=1)
    return lines


def read_dkt(path: str | Path, *, source: str | None = None) -> ResponseLog:
    """Read the DKT three-line format: count; skill ids; 0/1 answers (one block per student).

    The format has no student ids: students are named ``<file stem>#<block number>`` so that the
    fold files of one dataset can be stacked without merging different students.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "train.csv"
        >>> _ = path.write_text("2\\n5,7,\\n0,1,\\n")
        >>> log = read_dkt(path)
        >>> log.student_ids, log.skill_ids, log.correct.tolist()
        (('train#1',), ('5', '7'), [0, 1])
    """
    path = Path(path)
    name = source or str(path)
    lines = _lines(path, name)
    if len(lines) % 3:
        raise InputError(
            name,
            f"{len(lines)} lines is not a multiple of 3 (count, skills, answers)",
            line=len(lines),
        )
    students: list[str] = []
    skills: list[str] = []
    correct: list[str] = []
    for block in range(len(lines) // 3):
        first = 3 * block + 1
        count_text = lines[first - 1].strip().rstrip(",")
        if not count_text.isdigit():
            raise InputError(name, f"expected a response count, got {count_text!r}", line=first)
        count = int(count_text)
        sk = _split_ints(lines[first], name, first + 1, "skill")
        ys = _split_ints(lines[first + 1], name, first + 2, "answer")
        if len(sk) != count or len(ys) != count:
            raise InputError(
                name,
                f"count says {count} responses, got {len(sk)} skills and {len(ys)} answers",
                line=first,
            )
        _check_correct(ys, name, first + 2)
        students.extend([f"{path.stem}#{block + 1}"] * count)
        skills.extend(sk)
        correct.extend(ys)
    return _finish(name, students, skills, correct)


def read_akt(path: str | Path, *, source: str | None = None) -> ResponseLog:
    """Read the AKT four-line format: ``index,user_id``; problem ids; skill ids; 0/1 answers.

    AKT expands a multi-skill problem into consecutive rows (one per skill, same answer); those
    rows become one event, so models predict them from earlier problems only. Use
    :meth:`ResponseLog.collapse_events` for one row per problem.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "fold1.csv"
        >>> _ = path.write_text("1,u7\\n10,11,11\\n1,2,3\\n1,0,0\\n")
        >>> read_akt(path).event.tolist()
        [0, 1, 1]
    """
    path = Path(path)
    name = source or str(path)
    lines = _lines(path, name)
    if len(lines) % 4:
        raise InputError(
            name,
            f"{len(lines)} lines is not a multiple of 4 (id, problems, skills, answers)",
            line=len(lines),
        )
    students: list[str] = []
    skills: list[str] = []
    items: list[str] = []
    correct: list[str] = []
    for block in range(len(lines) // 4):
        first = 4 * block + 1
        head = [v.strip() for v in lines[first - 1].split(",")]
        if not head or not head[-1]:
            raise InputError(name, "expected 'index,user_id'", line=first)
        user = head[-1]
        problems = _split_ints(lines[first], name, first + 1, "problem")
        sk = _split_ints(lines[first + 1], name, first + 2, "skill")
        ys = _split_ints(lines[first + 2], name, first + 3, "answer")
        if not len(problems) == len(sk) == len(ys):
            raise InputError(
                name,
                f"{len(problems)} problems, {len(sk)} skills and {len(ys)} answers differ",
                line=first,
            )
        _check_correct(ys, name, first + 3)
        students.extend([user] * len(ys))
        skills.extend(sk)
        items.extend(problems)
        correct.extend(ys)
    return _finish(name, students, skills, correct, items=items)


def read_pykt(path: str | Path, *, source: str | None = None) -> ResponseLog:
    """Read a pyKT sequence CSV: ``uid``, quoted ``concepts`` and ``responses`` lists per row.

    Optional ``questions`` become item ids; other columns (``fold``, ``cidxs``, ...) are ignored.
    Padding values (-1) that pyKT uses in windowed files are dropped.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "test.csv"
        >>> _ = path.write_text('fold,uid,concepts,responses\\n-1,9,"4,4","0,1"\\n')
        >>> read_pykt(path).correct.tolist()
        [0, 1]
    """
    path = Path(path)
    name = source or str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(name, f"cannot open: {exc.strerror}") from None
    students: list[str] = []
    skills: list[str] = []
    items: list[str] = []
    correct: list[str] = []
    with handle:
        reader = csv.DictReader(handle)
        try:
            fields = reader.fieldnames or []
            if not fields:
                raise InputError(name, "empty file: expected a header row", line=1)
            for column in ("uid", "concepts", "responses"):
                if column not in fields:
                    raise InputError(name, f"missing required column '{column}'", line=1)
            has_q = "questions" in fields
            for record in reader:
                line = reader.line_num
                uid = (record["uid"] or "").strip()
                if not uid:
                    raise InputError(name, "empty uid", line=line, column="uid")
                sk = _split_ints(record["concepts"] or "", name, line, "concept")
                ys = _split_ints(record["responses"] or "", name, line, "response")
                qs = _split_ints(record["questions"] or "", name, line, "question") if has_q else []
                if len(sk) != len(ys) or (has_q and len(qs) != len(ys)):
                    raise InputError(name, "concepts and responses differ in length", line=line)
                keep = [i for i, y in enumerate(ys) if y != "-1"]
                ys = [ys[i] for i in keep]
                _check_correct(ys, name, line)
                students.extend([uid] * len(keep))
                skills.extend(sk[i] for i in keep)
                correct.extend(ys)
                if has_q:
                    items.extend(qs[i] for i in keep)
        except (csv.Error, UnicodeDecodeError) as exc:
            # Not text, or not CSV (a NUL byte, an overlong field): say where, like any error.
            raise InputError(name, f"unreadable CSV: {exc}", line=max(1, reader.line_num)) from None
    if not students:
        raise InputError(name, "no responses after the header", line=2)
    return _finish(name, students, skills, correct, items=items if items else None)


def _finish(
    name: str,
    students: list[str],
    skills: list[str],
    correct: list[str],
    items: list[str] | None = None,
) -> ResponseLog:
    if not students:
        raise InputError(name, "no responses", line=1)
    y = np.fromiter((c == "1" for c in correct), np.int8, len(correct))
    event = None
    if items is not None:
        # Consecutive rows of one student on the same problem are one (multi-skill) response.
        n = len(items)
        new = np.ones(n, dtype=bool)
        if n > 1:
            same_student = np.fromiter(
                (students[i] == students[i - 1] for i in range(1, n)), bool, n - 1
            )
            same_item = np.fromiter((items[i] == items[i - 1] for i in range(1, n)), bool, n - 1)
            new[1:] = ~(same_student & same_item)
        event = np.cumsum(new) - 1
    return ResponseLog.from_arrays(students, skills, y, item=items, event=event)


def read_log(
    path: str | Path,
    *,
    format: str = "csv",
    columns: Mapping[str, str] | str | None = None,
    source: str | None = None,
) -> ResponseLog:
    """Read ``path`` in one of :data:`FORMATS` (``csv`` is the canonical layout; ``columns`` maps
    its column names and applies to it only)."""
    if format == "csv":
        return read_csv(path, columns=columns, source=source)
    if columns:
        raise InputError(source or str(path), f"--map applies to the csv format, not {format}")
    readers = {"dkt": read_dkt, "akt": read_akt, "pykt": read_pykt}
    if format not in readers:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    return readers[format](path, source=source)


def read_many(paths: Iterable[str | Path], *, format: str) -> ResponseLog:
    """Read several files of one dataset (its fold files) into one log."""
    return ResponseLog.concat([read_log(p, format=format) for p in paths])
