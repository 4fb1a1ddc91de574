"""Guardians and eligible students request corrections to a record; staff answer; all tracked."""

from __future__ import annotations

import pytest
from django.test import Client

from pathways.apps.access.models import AccessLog, CorrectionRequest

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_guardian_asks_and_the_teacher_answers(person) -> None:
    guardian, teacher, student = person("guardian1"), person("teacher1"), person("student1")
    url = f"/students/{student.pk}/corrections/"
    sent = _client(guardian).post(url, {"about": "Reading", "details": "She reads at grade 4."})
    assert sent.status_code == 302
    made = CorrectionRequest.objects.get(student=student)
    assert made.status == "open"
    assert made.requested_by == guardian
    page = _client(teacher).get(url).content.decode()
    assert "She reads at grade 4." in page
    answered = _client(teacher).post(
        f"{url}{made.pk}/resolve/", {"status": "resolved", "response": "Updated."}
    )
    assert answered.status_code == 302
    made.refresh_from_db()
    assert made.status == "resolved"
    assert made.resolved_by == teacher
    assert "Updated." in _client(guardian).get(url).content.decode()
    assert AccessLog.objects.filter(actor=teacher, action="resolve_correction").exists()


def test_a_request_needs_content(person) -> None:
    student = person("student1")
    bad = _client(student).post(
        f"/students/{student.pk}/corrections/", {"about": "", "details": ""}
    )
    assert bad.status_code == 400
    assert not CorrectionRequest.objects.filter(student=student).exists()
