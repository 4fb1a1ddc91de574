"""Writes to the organisation model from the web: a district administrator's roster upload."""

from __future__ import annotations

from pathlib import Path

from pathways.apps.access import policy
from pathways.apps.accounts.models import User
from pathways.apps.roster.importers import import_oneroster, known_ids
from pathways.apps.roster.models import District, Membership, Role
from pathways.apps.standards.importers import ImportReport
from pathways.engines.errors import InputError
from pathways.interop.oneroster import read_oneroster


def administered(user: User) -> list[District]:
    return list(
        District.objects.filter(
            pk__in=Membership.objects.filter(
                user=user, active=True, role=Role.DISTRICT_ADMIN
            ).values("district")
        )
    )


def import_roster_upload(actor: User, path: Path, *, name: str, dry_run: bool) -> ImportReport:
    """Validate and import an uploaded OneRoster folder or zip, all or nothing.

    A district administrator may only import files whose district orgs are districts they
    administer (matched by sourcedId): a file can never write into another district.
    """
    districts = administered(actor)
    if not districts:
        raise policy.NotFound("no district")
    package = read_oneroster(path, known=known_ids())
    allowed = {d.sourced_id for d in districts if d.sourced_id}
    named = [org for org in package.orgs if org.type == "district"]
    if not named:
        raise InputError(
            f"{name}/orgs.csv", "the file must name your district (an org of type district)"
        )
    for org in named:
        if org.sourced_id not in allowed:
            raise InputError(
                f"{name}/orgs.csv",
                f"district {org.sourced_id!r} ({org.name}) is not a district you administer",
                line=org.line,
                column="sourcedId",
            )
    return import_oneroster(package, dry_run=dry_run)
