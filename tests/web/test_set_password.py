"""Rostered people choose their password from a one-time link (no password is ever imported)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.test import Client

from pathways.apps.accounts.services import set_password_path
from pathways.cli.accounts import accounts

pytestmark = pytest.mark.django_db
NEW = "a-long-new-passphrase-42"


def test_the_link_sets_a_password_once(person) -> None:
    user = person("teacher3")
    link = set_password_path(user)
    client = Client()
    assert "Choose your password" in client.get(link).content.decode()
    page = client.post(link, {"new_password1": NEW, "new_password2": NEW}).content.decode()
    assert "Your password is set" in page
    assert Client().post("/signin/", {"username": "teacher3", "password": NEW}).status_code == 302
    assert "expired or was already used" in client.get(link).content.decode()


def test_weak_passwords_are_refused_with_the_reason(person) -> None:
    link = set_password_path(person("teacher3"))
    weak = {"new_password1": "12345", "new_password2": "12345"}
    page = Client().post(link, weak).content.decode()
    assert "too short" in page
    assert person("teacher3").check_password("pathways-demo")


def test_a_forged_link_is_refused() -> None:
    page = Client().get("/set-password/MQ/forged-token/").content.decode()
    assert "expired or was already used" in page


def test_invite_prints_a_link_per_person_and_fails_for_unknown_accounts() -> None:
    result = CliRunner().invoke(accounts, ["invite", "teacher3", "nobody-here"])
    assert result.exit_code == 2
    assert "teacher3\thttp://127.0.0.1:8000/set-password/" in result.output
    assert "nobody-here: no active account" in result.output
