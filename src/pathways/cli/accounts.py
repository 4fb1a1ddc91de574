"""`pathways accounts invite`: a one-time set-password link for a rostered person."""

from __future__ import annotations

import click


@click.group()
def accounts() -> None:
    """People's accounts (rostered accounts have no password until they set one)."""


@accounts.command("invite")
@click.argument("usernames", nargs=-1, required=True)
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True)
def invite(usernames: tuple[str, ...], base_url: str) -> None:
    """Print a one-time link per person to choose a password (valid 3 days)."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.apps.accounts.models import User
    from pathways.apps.accounts.services import set_password_path

    missing = False
    for username in usernames:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            click.echo(f"{username}: no active account", err=True)
            missing = True
            continue
        click.echo(f"{username}\t{base_url.rstrip('/')}{set_password_path(user)}")
    if missing:
        raise SystemExit(2)
