"""The `pathways` entry point: every command listed, configuration shown, no Django for engines."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from pathways.cli.main import SUBCOMMANDS, cli


def test_help_lists_every_subcommand() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in SUBCOMMANDS:
        assert name in result.output


def test_config_show_names_every_variable_and_hides_secrets(monkeypatch) -> None:
    monkeypatch.setenv("PATHWAYS_SECRET_KEY", "do-not-print-me")
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 0
    assert "DATABASE_URL" in result.output
    assert "PATHWAYS_DEBUG" in result.output
    assert "do-not-print-me" not in result.output


def test_help_does_not_start_django() -> None:
    code = (
        "import sys; from pathways.cli.main import main; sys.argv=['pathways','--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'django.db' not in sys.modules, 'django.db imported by --help'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
