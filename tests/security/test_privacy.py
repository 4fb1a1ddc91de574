"""The privacy registry, one student's export and deletion, and districts' retention policies."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.apps import apps
from django.utils import timezone

from pathways.apps.access import privacy
from pathways.apps.access.models import AccessLog
from pathways.apps.accounts.models import User
from pathways.apps.evidence.models import Evidence
from pathways.cli.main import cli as main


def test_every_model_declares_whether_it_holds_student_data() -> None:
    undeclared = privacy.undeclared_models()
    assert not undeclared, (
        f"model(s) {undeclared} are not in the privacy registry: add each to STUDENT_DATA (how "
        "its rows are exported, deleted and purged) or NO_STUDENT_DATA (why it holds none) in "
        "src/pathways/apps/access/privacy.py"
    )


def test_the_registry_names_only_real_models_and_fields() -> None:
    labels = {m._meta.label for m in apps.get_models()}
    declared = set(privacy.STUDENT_DATA) | set(privacy.NO_STUDENT_DATA)
    assert declared <= labels, f"no such model: {sorted(declared - labels)}"
    assert not set(privacy.STUDENT_DATA) & set(privacy.NO_STUDENT_DATA)


def test_every_model_with_a_link_to_a_student_is_declared_as_student_data() -> None:
    """A model whose foreign key is named student/respondent/user must say how it is deleted."""
    user_model = apps.get_model("accounts.User")
    suspicious = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is user_model
                and field.name in ("student", "user", "respondent", "learner")
                and model._meta.label not in privacy.STUDENT_DATA
            ):
                suspicious.append(f"{model._meta.label}.{field.name}")
    assert not suspicious, suspicious


@pytest.mark.django_db
def test_every_declared_lookup_runs(person) -> None:
    student = person("student1")
    for label, holds in privacy.STUDENT_DATA.items():
        privacy._rows(label, holds, [student.pk]).count()


def _counts(student_ids: list[int]) -> dict[str, int]:
    return {
        label: privacy._rows(label, holds, student_ids).count()
        for label, holds in privacy.STUDENT_DATA.items()
        if holds.on_delete == "delete"
    }


@pytest.mark.django_db
def test_export_holds_all_of_one_students_data_and_nobody_elses(person) -> None:
    student = person("student1")
    exported = privacy.export_student(student)
    records = exported["records"]
    json.dumps(exported, default=str)  # JSON-ready
    assert records["accounts.User"][0]["username"] == "student1"
    assert "password" not in records["accounts.User"][0]
    assert len(records["evidence.Evidence"]) == Evidence.objects.filter(student=student).count()
    assert records["evidence.Evidence"], "the demo student has evidence"
    assert {row["student"] for row in records["evidence.Evidence"]} == {student.pk}
    assert records["mastery.MasteryEstimate"]
    assert "accounts.ApiToken" not in records


@pytest.mark.django_db
def test_delete_removes_the_student_everywhere_and_leaves_others_untouched(person) -> None:
    student, teacher = person("student1"), person("teacher1")
    others = list(User.objects.exclude(pk=student.pk).values_list("pk", flat=True))
    AccessLog.objects.create(
        actor=teacher,
        action="view_student",
        object_type="user",
        object_id="x",
        student=student,
        scope="test",
    )
    before_others = _counts(others)
    logs_before = AccessLog.objects.count()
    done = privacy.delete_student(student, operator=None, reason="parent request")
    assert done.counts["evidence.Evidence"] > 0
    assert not User.objects.filter(pk=student.pk).exists()
    assert all(n == 0 for n in _counts([student.pk]).values())
    assert _counts(others) == before_others
    # The access log keeps every entry (detached) and records the deletion.
    assert AccessLog.objects.count() == logs_before + 1
    entry = AccessLog.objects.get(action="privacy_delete")
    assert entry.object_id == str(done.student_id)
    assert entry.channel == "cli"


@pytest.mark.django_db
def test_cli_export_then_delete(person, tmp_path: Path) -> None:
    student = person("student2")
    out = tmp_path / "student2.json"
    runner = CliRunner()
    result = runner.invoke(main, ["privacy", "export", "student2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["student"]["id"] == student.pk
    dry = runner.invoke(main, ["privacy", "delete", "student2"])
    assert dry.exit_code == 0
    assert User.objects.filter(pk=student.pk).exists()
    result = runner.invoke(main, ["privacy", "delete", "student2", "--yes", "--reason", "moved"])
    assert result.exit_code == 0, result.output
    assert not User.objects.filter(pk=student.pk).exists()
    assert runner.invoke(main, ["privacy", "export", "nobody"]).exit_code == 2


@pytest.mark.django_db
def test_retention_policy_purges_expired_records_of_its_district_only(person) -> None:
    from pathways.apps.roster.models import Membership

    student = person("student1")
    district_id = Membership.objects.filter(user=student, role="student").first().district_id
    old = Evidence.objects.filter(student=student).order_by("pk").first()
    assert old is not None
    Evidence.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - timedelta(days=400))
    recent = Evidence.objects.filter(student=student).count() - 1
    AccessLog.objects.create(
        actor=person("teacher1"),
        action="view",
        object_type="user",
        object_id="1",
        student=student,
        scope="test",
    )
    result = CliRunner().invoke(
        main,
        ["privacy", "retention", str(district_id), "--keep-days", "365", "--log-keep-days", "30"],
    )
    assert result.exit_code == 0, result.output
    counts = privacy.purge_expired()
    assert counts["evidence.Evidence"] == 1
    assert Evidence.objects.filter(student=student).count() == recent
    assert AccessLog.objects.filter(student=student).exists()  # recent entries stay
    later = privacy.purge_expired(now=timezone.now() + timedelta(days=31))
    assert later["access.AccessLog"] >= 1
    assert not AccessLog.objects.filter(student=student).exists()


def test_privacy_command_is_listed() -> None:
    result = CliRunner().invoke(main, ["privacy", "--help"])
    assert result.exit_code == 0
    assert "export" in result.output
    assert "delete" in result.output
