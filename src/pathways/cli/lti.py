"""`pathways lti ...`: register an LMS, rotate Pathways' signing key, send queued grades."""

from __future__ import annotations

import click


@click.group()
def lti() -> None:
    """LTI 1.3: LMS platforms (Canvas, Moodle, Schoology), keys and grade pass-back."""


@lti.command("register")
@click.option("--name", required=True, help="A name people recognise, e.g. 'Riverbend Canvas'")
@click.option("--district", "district_sourced_id", required=True, help="District sourcedId")
@click.option("--issuer", required=True, help="The platform's issuer (iss)")
@click.option("--client-id", required=True, help="The client id the platform gave Pathways")
@click.option("--auth-login-url", required=True, help="The platform's OIDC authorization URL")
@click.option("--token-url", default="", help="The platform's OAuth2 token URL (for grades)")
@click.option("--jwks-url", required=True, help="The platform's public keyset URL")
@click.option("--deployment", "deployments", multiple=True, required=True, help="Deployment id")
def register(
    name: str,
    district_sourced_id: str,
    issuer: str,
    client_id: str,
    auth_login_url: str,
    token_url: str,
    jwks_url: str,
    deployments: tuple[str, ...],
) -> None:
    """Register (or update) an LMS platform for a district."""
    from pathways.cli.site import setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from pathways.apps.lti import queries, services

    district = queries.district_by_sourced_id(district_sourced_id)
    if district is None:
        raise click.ClickException(f"no district with sourcedId {district_sourced_id!r}")
    try:
        platform = services.register_platform(
            name=name,
            district_id=district.pk,
            issuer=issuer,
            client_id=client_id,
            auth_login_url=auth_login_url,
            token_url=token_url,
            jwks_url=jwks_url,
            deployment_ids=list(deployments),
        )
    except ValidationError as error:
        raise click.ClickException(f"not registered: {error.message_dict}") from None
    click.echo(f"registered {platform} for {district.name} (deployments: {', '.join(deployments)})")


@lti.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key; the old one stays published for two weeks, then drops out."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.apps.lti import keys

    key = keys.rotate_key()
    click.echo(f"new signing key {key.kid}")


@lti.command("flush")
@click.option("--limit", default=200, show_default=True, help="Most scores to send this run")
def flush(limit: int) -> None:
    """Send the scores waiting for LMS gradebooks (retries failures later, with backoff)."""
    from pathways.cli.site import setup_django

    setup_django()
    from pathways.apps.lti import queries, services

    report = services.flush_scores(limit=limit)
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    counts = queries.outbox_counts()
    click.echo(
        f"sent {report.sent}, will retry {report.retrying}, gave up {report.failed} "
        f"(outbox: {counts['pending']} pending, {counts['failed']} failed)"
    )
    if report.failed:
        raise SystemExit(1)
