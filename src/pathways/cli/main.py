"""The `pathways` command: one entry point for every tool.

Subcommand modules load lazily, so engine commands (``pathways mastery ...``) start without Django,
and Django is configured only by the commands that need the database (``cli/site.py``).
"""

from __future__ import annotations

import importlib

import click

import pathways

# name -> "module:attribute". Each module owns one command or group; add yours here.
SUBCOMMANDS: dict[str, str] = {
    "accounts": "pathways.cli.accounts:accounts",
    "backup": "pathways.cli.backup:backup",
    "config": "pathways.cli.site:config",
    "demo": "pathways.cli.site:demo",
    "export": "pathways.cli.interop:export_group",
    "import": "pathways.cli.interop:import_group",
    "lti": "pathways.cli.lti:lti",
    "manage": "pathways.cli.site:manage",
    "mastery": "pathways.cli.mastery:mastery",
    "migrate": "pathways.cli.site:migrate",
    "openapi": "pathways.cli.site:openapi",
    "plan": "pathways.cli.plan:plan",
    "privacy": "pathways.cli.privacy:privacy",
    "restore": "pathways.cli.backup:restore",
    "schedule": "pathways.cli.schedule:schedule",
    "serve": "pathways.cli.site:serve",
    "survey": "pathways.cli.survey:survey",
    "tomorrow": "pathways.cli.tomorrow:tomorrow",
    "xapi": "pathways.cli.xapi:xapi",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when used (or listed in --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *SUBCOMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in SUBCOMMANDS:
            module_name, attribute = SUBCOMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(pathways.__version__, prog_name="pathways")
def cli() -> None:
    """Pathways: personalized learning for K-12 schools and districts."""


def main() -> None:
    cli(prog_name="pathways")


if __name__ == "__main__":
    main()
