"""Every form post of the web pages, damaged field by field, is refused or handled: never a server
error. Uses the permission matrix's rows, so a new form is covered as soon as it has its row."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.security.test_permission_matrix import WEB, Context, _fill, _targets, _web_patterns, ctx

pytestmark = pytest.mark.django_db
__all__ = ["ctx"]  # the matrix's fixture, used here by name

# What a damaged or hand-made form sends: nothing, a word, a number no table holds, a negative,
# and text with a NUL character (PostgreSQL cannot store it).
DAMAGE = ["", "x", "123456789012345678901234567890", "-1", "a\x00b"]
ALLOWED = {"200", "201", "204", "302"}


def _first_allowed(expect: dict[str, str]) -> str | None:
    for role, statuses in expect.items():
        if role != "anonymous" and statuses.split()[0] in ALLOWED:
            return role
    return None


POSTS = sorted(
    name
    for name, row in WEB.items()
    if row.method == "POST" and row.data is not None and _first_allowed(row.expect)
)


@pytest.mark.parametrize("name", POSTS)
def test_a_damaged_form_is_never_a_server_error(name: str, ctx: Context) -> None:
    row = WEB[name]
    role = _first_allowed(row.expect)
    assert role is not None
    route, _ = _web_patterns()[name]
    target = _targets(row.target)[0]
    if row.kwargs is not None:
        kwargs = row.kwargs(ctx, target)
    elif row.target is not None:
        kwargs = {"pk": ctx.target_pk(row.target, target)}
    else:
        kwargs = {}
    client = Client(raise_request_exception=False)
    client.force_login(ctx.users[role])
    assert row.data is not None
    fields = row.data(ctx, target)
    errors = []
    for field in fields:
        for damage in DAMAGE:
            data = {**row.data(ctx, target), field: damage}  # fresh ids for idempotent writes
            status = client.post(_fill(route, kwargs), data).status_code
            if status >= 500:
                errors.append(f"{field}={damage!r}: {status}")
    assert errors == [], f"{name} as {role}"
