"""Every response-log reader and the model file parser, under generated input.

Valid logs written in each format read back as the same students' sequences; garbage and
mutated files either read or raise ``InputError`` naming the file, never another exception.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.engines.errors import InputError
from pathways.engines.tracing import (
    BKT,
    ResponseLog,
    dump_model,
    parse_model,
    read_akt,
    read_csv,
    read_dkt,
    read_pykt,
)

Reader = Callable[..., ResponseLog]
# One student's responses: (skill id, correct) in order.
Sequences = dict[str, list[tuple[str, int]]]

student_ids = st.from_regex(r"[A-Za-z0-9_.\-]{1,8}", fullmatch=True)
responses = st.lists(
    st.tuples(st.integers(0, 40).map(str), st.integers(0, 1)), min_size=1, max_size=8
)
logs: st.SearchStrategy[Sequences] = st.dictionaries(student_ids, responses, min_size=1, max_size=4)
many = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sequences(log: ResponseLog) -> Sequences:
    out: Sequences = {}
    for student, skill, correct in zip(log.student, log.skill, log.correct, strict=True):
        out.setdefault(log.student_ids[student], []).append((log.skill_ids[skill], int(correct)))
    return out


def _canonical(seqs: Sequences) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student_id", "skill_id", "correct", "order"])
    for student, rows in seqs.items():
        for order, (skill, correct) in enumerate(rows):
            writer.writerow([student, skill, correct, order])
    return out.getvalue()


def _dkt(seqs: Sequences) -> str:
    blocks = []
    for rows in seqs.values():
        blocks += [
            str(len(rows)),
            ",".join(s for s, _ in rows) + ",",
            ",".join(str(c) for _, c in rows) + ",",
        ]
    return "\n".join(blocks) + "\n"


def _akt(seqs: Sequences) -> str:
    blocks = []
    for index, (student, rows) in enumerate(seqs.items(), start=1):
        blocks += [
            f"{index},{student}",
            ",".join(str(100 + k) for k in range(len(rows))),  # one problem per response
            ",".join(s for s, _ in rows),
            ",".join(str(c) for _, c in rows),
        ]
    return "\n".join(blocks) + "\n"


def _pykt(seqs: Sequences) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["fold", "uid", "concepts", "responses"])
    for student, rows in seqs.items():
        writer.writerow(
            [0, student, ",".join(s for s, _ in rows), ",".join(str(c) for _, c in rows)]
        )
    return out.getvalue()


FORMATS: dict[str, tuple[Reader, Callable[[Sequences], str]]] = {
    "csv": (read_csv, _canonical),
    "dkt": (read_dkt, _dkt),
    "akt": (read_akt, _akt),
    "pykt": (read_pykt, _pykt),
}


def _read(reader: Reader, content: bytes) -> ResponseLog | InputError:
    """Read ``content`` from a file; an InputError is returned (and must name the file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fold1.csv"
        path.write_bytes(content)
        try:
            return reader(path, source="upload.csv")
        except InputError as error:
            failure = error
    assert failure.source == "upload.csv"
    assert str(failure).startswith("upload.csv")
    return failure


@many
@given(logs)
def test_canonical_csv_round_trips(seqs: Sequences) -> None:
    log = _read(read_csv, _canonical(seqs).encode())
    assert isinstance(log, ResponseLog), log
    assert _sequences(log) == seqs


@many
@given(logs)
def test_pykt_round_trips(seqs: Sequences) -> None:
    log = _read(read_pykt, _pykt(seqs).encode())
    assert isinstance(log, ResponseLog), log
    assert _sequences(log) == seqs


@many
@given(logs)
def test_akt_round_trips(seqs: Sequences) -> None:
    log = _read(read_akt, _akt(seqs).encode())
    assert isinstance(log, ResponseLog), log
    assert _sequences(log) == seqs


@many
@given(logs)
def test_dkt_round_trips_with_students_named_by_block(seqs: Sequences) -> None:
    """DKT files carry no student ids: students become ``<file stem>#<block>``."""
    log = _read(read_dkt, _dkt(seqs).encode())
    assert isinstance(log, ResponseLog), log
    expected = {f"fold1#{k}": rows for k, rows in enumerate(seqs.values(), start=1)}
    assert _sequences(log) == expected


NASTY = st.sampled_from(
    [",", "\n", "\r", '"', "-1", "2", "x", " ", "\x00", "\ufeff", "é", "1e9", "", "\t", ",,"]
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid file in one of the formats with a few edits: characters replaced, inserted or
    deleted, a line dropped or repeated, the end cut off."""
    name = draw(st.sampled_from(sorted(FORMATS)))
    text = FORMATS[name][1](draw(logs))
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(["replace", "insert", "delete", "line", "repeat", "cut"]))
        at = draw(st.integers(0, max(0, len(text) - 1)))
        if edit == "replace":
            text = text[:at] + draw(NASTY) + text[at + 1 :]
        elif edit == "insert":
            text = text[:at] + draw(NASTY) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit in ("line", "repeat"):
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            lines[k:k] = [lines[k]] if edit == "repeat" else []
            if edit == "line":
                del lines[k]
            text = "\n".join(lines)
        else:
            text = text[:at]
    return name, text.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_read_or_raise_input_errors_only(case: tuple[str, bytes]) -> None:
    name, content = case
    result = _read(FORMATS[name][0], content)
    if isinstance(result, ResponseLog):
        assert len(result) > 0
        assert set(result.correct.tolist()) <= {0, 1}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(FORMATS)), st.binary(max_size=300))
def test_arbitrary_bytes_read_or_raise_input_errors_only(name: str, content: bytes) -> None:
    _read(FORMATS[name][0], content)


def _fitted() -> BKT:
    log = ResponseLog.from_arrays(["a", "a", "b", "b"], ["k", "k", "k", "j"], [0, 1, 1, 0])
    return BKT(random_state=0).fit(log)


MODEL = dump_model(_fitted())
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def test_a_model_file_round_trips() -> None:
    model = parse_model(json.loads(json.dumps(MODEL)), source="model.json")
    assert dump_model(model) == MODEL


@st.composite
def damaged_models(draw: st.DrawFn) -> object:
    """The model file's content with one value somewhere replaced by any JSON value, or a key
    dropped."""
    data = json.loads(json.dumps(MODEL))
    node = data
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, dict | list) and child and draw(st.booleans()):
            node = child
            continue
        if isinstance(node, dict) and draw(st.booleans()):
            del node[key]
        else:
            node[key] = draw(json_values)
        break
    return data


@settings(max_examples=200, deadline=None)
@given(damaged_models() | json_values)
def test_damaged_model_files_load_or_raise_input_errors_only(data: object) -> None:
    try:
        parse_model(data, source="model.json")
    except InputError as error:
        failure: InputError | None = error
    else:
        failure = None
    assert failure is None or failure.source == "model.json"
