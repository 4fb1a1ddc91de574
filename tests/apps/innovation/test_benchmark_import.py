"""The benchmark survey sample imported from CSV: every answer kept exactly, or nothing changed and
the problem named by line and column (hypothesis draws the files)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.apps.innovation import services
from pathways.apps.innovation.models import BenchmarkResponse
from pathways.apps.roster.models import District

pytestmark = pytest.mark.django_db

_FUNCTION_FIXTURES = settings(
    max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Values as a survey tool exports them: any printable text, commas, quotes and line breaks included.
_value = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(str.strip)
_row = st.tuples(_value.filter(bool), _value.filter(bool), _value)


def _csv(rows: list[tuple[str, str, str]], header: str = "respondent_id,item_id,answer") -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return out.getvalue()


def _sample(district: District) -> list[tuple[str, str, str]]:
    stored = BenchmarkResponse.objects.filter(district=district).order_by("pk")
    return [(b.respondent_id, b.item_code, b.answer) for b in stored]


@_FUNCTION_FIXTURES
@given(rows=st.lists(_row, min_size=1, max_size=30))
def test_every_answer_of_a_well_formed_file_is_kept_exactly(person, rows) -> None:
    district = District.objects.first()
    with transaction.atomic():  # rolled back: every example starts from the same sample
        n = services.import_benchmark(person("district1"), district, source="s", text=_csv(rows))
        assert n == len(rows)
        assert _sample(district) == rows
        transaction.set_rollback(True)


@_FUNCTION_FIXTURES
@given(text=st.text(max_size=300))
def test_any_file_is_imported_whole_or_refused_with_the_old_sample_kept(person, text) -> None:
    district = District.objects.first()
    with transaction.atomic():  # rolled back: every example starts from the same sample
        old = _csv([("r1", "pace-own", "Agree")])
        services.import_benchmark(person("district1"), district, source="old", text=old)
        before, problem = _sample(district), ""
        try:
            n = services.import_benchmark(person("district1"), district, source="s", text=text)
        except ValueError as refused:
            problem = str(refused)
        if problem:
            assert _sample(district) == before
        else:
            assert len(_sample(district)) == n > 0
        transaction.set_rollback(True)


def test_a_value_too_long_is_named_by_line_and_column_not_cut(person) -> None:
    district = District.objects.first()
    long_answer = _csv([("r1", "pace-own", "Agree"), ("r2", "pace-own", "A" * 33)])
    with pytest.raises(ValueError, match="line 3, column answer: longer than 32 characters"):
        services.import_benchmark(person("district1"), district, source="s", text=long_answer)
    assert not BenchmarkResponse.objects.filter(district=district, respondent_id="r2").exists()


def test_a_missing_id_is_named_by_line(person) -> None:
    district = District.objects.first()
    with pytest.raises(ValueError, match="line 2: respondent_id and item_id are required"):
        services.import_benchmark(
            person("district1"), district, source="s", text=_csv([("", "pace-own", "Agree")])
        )
