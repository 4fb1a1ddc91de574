"""Reading response logs: the canonical CSV of the CLI contract and the research formats."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pathways.engines.errors import InputError
from pathways.engines.tracing import (
    ResponseLog,
    read_akt,
    read_csv,
    read_dkt,
    read_log,
    read_many,
    read_pykt,
)


def write(tmp_path: Path, text: str, name: str = "responses.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(log: ResponseLog) -> list[tuple[str, str, int]]:
    return [
        (log.student_ids[s], log.skill_ids[k], int(y))
        for s, k, y in zip(log.student, log.skill, log.correct, strict=True)
    ]


def test_each_students_rows_are_taken_in_order_column_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "student_id,skill_id,correct,order\nann,add,1,3\nbo,add,0,1\nann,add,0,1\nann,sub,1,2\n",
    )
    log = read_csv(path)
    assert rows_of(log) == [
        ("ann", "add", 0),
        ("ann", "sub", 1),
        ("ann", "add", 1),
        ("bo", "add", 0),
    ]
    assert log.source_row.tolist() == [2, 3, 0, 1]


def test_ties_in_order_keep_file_order(tmp_path: Path) -> None:
    path = write(tmp_path, "student_id,skill_id,correct,order\na,k,1,5\na,m,0,5\na,n,1,5\n")
    assert [log_skill for _, log_skill, _ in rows_of(read_csv(path))] == ["k", "m", "n"]


def test_iso_timestamps_order_rows_across_time_zones(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "student_id,skill_id,correct,order\n"
        "a,late,1,2024-09-01T10:00:00+02:00\n"  # 08:00 UTC
        "a,early,0,2024-09-01T07:30:00Z\n"
        "a,latest,1,2024-09-01 09:00\n",  # naive: read as UTC
    )
    assert [k for _, k, _ in rows_of(read_csv(path))] == ["early", "late", "latest"]


def test_map_renames_columns_of_another_layout(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "user_id,skill_name,correct,order_id,problem_id,ignored\n7,Area,1,10,p1,x\n7,Area,0,11,p2,y\n",
    )
    log = read_csv(
        path, columns="student_id=user_id,skill_id=skill_name,order=order_id,item_id=problem_id"
    )
    assert rows_of(log) == [("7", "Area", 1), ("7", "Area", 0)]
    assert log.item_ids == ("p1", "p2")


def test_one_response_tagged_with_two_skills_is_one_event(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "student_id,skill_id,correct,order,item_id\na,k,1,1,q1\na,m,1,1,q1\na,k,0,2,q2\n",
    )
    log = read_csv(path)
    assert log.event.tolist() == [0, 0, 1]
    collapsed = log.collapse_events()
    assert [collapsed.skill_ids[s] for s in collapsed.skill] == ["k+m", "k"]
    assert [log.skill_ids[s] for s in log.collapse_events("first").skill] == ["k", "k"]


def test_answers_never_decide_which_rows_are_one_event(tmp_path: Path) -> None:
    # Grouping rows by their answer would tell a model which rows share a label.
    path = write(
        tmp_path,
        "student_id,skill_id,correct,order,item_id\na,k,0,1,q1\na,m,1,1,q1\na,k,1,1,q1\n",
    )
    assert read_csv(path).event.tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 1, "empty file"),
        ("student_id,skill_id,correct,order\n", 2, "no responses"),
        ("student_id,skill_id,order\na,k,1\n", 1, "missing required column 'correct'"),
        ("student_id,skill_id,correct,order\na,k,1,1\na,k,yes,2\n", 3, "expected 0 or 1"),
        ("student_id,skill_id,correct,order\na,k,2,1\n", 2, "expected 0 or 1, got '2'"),
        ("student_id,skill_id,correct,order\na,k,1,1\na,k,1,last tuesday\n", 3, "ISO-8601"),
        ("student_id,skill_id,correct,order\na,k,1,\n", 2, "empty order"),
        ("student_id,skill_id,correct,order\n,k,1,1\n", 2, "empty student id"),
        ("student_id,skill_id,correct,order\na,k,1\n", 2, "no value for order"),
    ],
)
def test_bad_csv_names_file_line_and_reason(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_csv(path)
    assert caught.value.line == line
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}:")


def test_map_to_a_column_the_file_lacks_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "student_id,skill_id,correct,order\na,k,1,1\n")
    with pytest.raises(InputError, match="mapped from 'user_id'"):
        read_csv(path, columns={"student_id": "user_id"})


def test_dkt_three_line_blocks(tmp_path: Path) -> None:
    path = write(tmp_path, "3\n5,5,7,\n0,1,1,\n1\n7,\n0,\n", "train.csv")
    log = read_dkt(path)
    assert rows_of(log) == [
        ("train#1", "5", 0),
        ("train#1", "5", 1),
        ("train#1", "7", 1),
        ("train#2", "7", 0),
    ]


def test_dkt_count_that_disagrees_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "3\n5,5,\n0,1,\n")
    with pytest.raises(InputError, match="count says 3"):
        read_dkt(path)


def test_akt_multi_skill_problem_rows_form_one_event(tmp_path: Path) -> None:
    path = write(tmp_path, "1,u9\n10,11,11,12\n1,2,3,1\n1,0,0,1\n")
    log = read_akt(path)
    assert log.item_ids == ("10", "11", "12")
    assert log.event.tolist() == [0, 1, 1, 2]
    assert len(log.collapse_events()) == 3


def test_akt_answer_that_is_not_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "1,u9\n10,11\n1,2\n1,x\n")
    with pytest.raises(InputError) as caught:
        read_akt(path)
    assert caught.value.line == 4


def test_pykt_sequences(tmp_path: Path) -> None:
    path = write(
        tmp_path, 'fold,uid,concepts,responses\n0,17,"3,3,4","1,0,1"\n-1,18,"4,-1","0,-1"\n'
    )
    log = read_pykt(path)
    assert rows_of(log) == [("17", "3", 1), ("17", "3", 0), ("17", "4", 1), ("18", "4", 0)]


def test_read_log_refuses_map_outside_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "1\n5,\n1,\n")
    with pytest.raises(InputError, match="--map"):
        read_log(path, format="dkt", columns="student_id=x")


def test_real_statics_fold_has_the_documented_size(kt_path: Callable[..., Path]) -> None:
    log = read_dkt(kt_path("statics2011", "statics_fold1.csv"))
    assert (len(log), log.n_students) == (36_412, 66)


def test_real_assist2009_fold_expands_multi_skill_problems(kt_path: Callable[..., Path]) -> None:
    log = read_akt(kt_path("assist2009_pid", "assist2009_pid_fold1.csv"))
    assert (len(log), log.n_students) == (60_915, 830)
    n_events = len(np.unique(log.event))
    assert n_events < len(log)  # some problems carry several skills
    assert len(log.collapse_events()) == n_events


def test_real_assist2015_is_read_with_pykt_folds_ignored(kt_path: Callable[..., Path]) -> None:
    log = read_many([kt_path("assist2015_pykt", "test.csv")], format="pykt")
    assert log.n_students == 3_818
    assert set(np.unique(log.correct).tolist()) == {0, 1}


def test_id_codes_are_by_text_whether_or_not_ids_come_in_runs() -> None:
    # _codes takes shortcuts (runs of one id coded once; text ids not converted): the result
    # must equal coding every row's text in order of first appearance.
    from pathways.engines.tracing._log import _codes

    rng = np.random.default_rng(0)
    for run in (1, 3, 40):
        for pool in (["a", "b", "c", "d"], [1, "1", True, 2.0, "2.0", "x"]):
            values = [pool[i] for i in rng.integers(0, len(pool), 300) for _ in range(run)]
            table: dict[str, int] = {}
            want = [table.setdefault(str(v), len(table)) for v in values]
            codes, ids = _codes(values)
            assert codes.tolist() == want
            assert ids == tuple(table)
