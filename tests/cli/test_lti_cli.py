"""``pathways lti register | rotate-key | flush``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pathways.apps.lti.models import Platform, ToolKey
from pathways.cli.main import cli

pytestmark = pytest.mark.django_db

REGISTER = [
    "lti",
    "register",
    "--name",
    "Riverbend Canvas",
    "--district",
    "demo-district",
    "--issuer",
    "https://canvas.instructure.com",
    "--client-id",
    "10000000000042",
    "--auth-login-url",
    "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "--token-url",
    "https://sso.canvaslms.com/login/oauth2/token",
    "--jwks-url",
    "https://sso.canvaslms.com/api/lti/security/jwks",
    "--deployment",
    "7:abc",
    "--deployment",
    "8:def",
]


def test_register_creates_then_updates_the_platform() -> None:
    result = CliRunner().invoke(cli, REGISTER)
    assert result.exit_code == 0, result.output
    platform = Platform.objects.get(client_id="10000000000042")
    assert platform.deployment_ids == ["7:abc", "8:def"]
    assert platform.district.sourced_id == "demo-district"
    again = CliRunner().invoke(cli, [*REGISTER[:-2]])
    assert again.exit_code == 0
    assert Platform.objects.get(client_id="10000000000042").deployment_ids == ["7:abc"]


def test_register_refuses_an_unknown_district_and_bad_urls() -> None:
    unknown = [*REGISTER]
    unknown[unknown.index("demo-district")] = "nowhere"
    result = CliRunner().invoke(cli, unknown)
    assert result.exit_code != 0
    assert "no district" in result.output
    bad = [*REGISTER]
    bad[bad.index("https://canvas.instructure.com")] = "not a url"
    result = CliRunner().invoke(cli, bad)
    assert result.exit_code != 0
    assert "issuer" in result.output
    assert not Platform.objects.exists()


def test_rotate_key_and_flush_report() -> None:
    first = CliRunner().invoke(cli, ["lti", "rotate-key"])
    second = CliRunner().invoke(cli, ["lti", "rotate-key"])
    assert first.exit_code == second.exit_code == 0
    assert ToolKey.objects.filter(retired_at__isnull=True).count() == 1
    assert ToolKey.objects.count() == 2
    flushed = CliRunner().invoke(cli, ["lti", "flush"])
    assert flushed.exit_code == 0
    assert "sent 0" in flushed.output
