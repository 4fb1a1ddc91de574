"""Every URL and every API operation x every demo role x own/other record, in one table.

The table is generated against the URL configuration (``django.urls.get_resolver()``) and the
OpenAPI document (``/api/v1/openapi.json``): a URL pattern or API operation that the table lacks
fails :func:`test_every_url_pattern_is_in_the_matrix` / :func:`test_every_api_operation_is_in_
the_matrix` with its name, so a new endpoint cannot ship without someone deciding who may use it.

How to add an endpoint: add one entry to ``WEB`` (key: the URL name, e.g. ``"web:schedule"``)
or ``API`` (key: ``"GET /api/v1/..."``) with its method, the kind of record its path points at
(``None``, ``"student"`` or ``"section"``) and the expected HTTP status for each role. For a
record endpoint the status is given for four targets, in this order:

- students: ``student1`` (Cedar Grove, Room 101: teacher1's class, guardian1's child),
  ``student3`` (student1's classmate), ``student2`` (Maple Ridge Middle: teacher2's class,
  another school) and ``outsider`` (a student of another district, made here);
- sections: Room 101 (student1's), Room 102 (same school, not teacher1's), Period 1 at Maple
  Ridge (student2's; other school) and the other district's section.

Statuses: 200/201/204 allowed; 302 a redirect (web: to sign-in for anonymous, or back to the page
after a write); 404 refused (the same answer as a missing record, never 403); 401 API without a
token; 400/405/409/422 as stated. ``PATHWAYS_MATRIX_OBSERVE=path`` writes what was observed to
``path`` (to review, never to paste blindly).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from pathways.apps.accounts import services as accounts
from pathways.apps.accounts.models import User
from pathways.apps.roster.models import (
    Course,
    District,
    Enrollment,
    Membership,
    Role,
    School,
    Section,
    Term,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "student1",
    "student2",
    "teacher1",
    "teacher2",
    "coach1",
    "principal1",
    "district1",
    "guardian1",
]
STUDENT_TARGETS = ["student1", "student3", "student2", "outsider"]
SECTION_TARGETS = ["room101", "room102", "period1", "outside"]
SCHOOL_TARGETS = ["cedar", "maple", "elsewhere"]  # student1's school, student2's, other district
TARGETS = {
    "cycle": SCHOOL_TARGETS,  # the demo's first PDSA cycle of that school (none: a missing id)
    "student": STUDENT_TARGETS,
    "section": SECTION_TARGETS,
    "school": SCHOOL_TARGETS,
    "schedule": SCHOOL_TARGETS,  # a draft daily schedule of that school
}


@dataclass(frozen=True)
class Row:
    method: str
    target: str | None  # None, "student" or "section"
    expect: dict[str, str]  # role -> "200" or, for a target, "200 404 404 404"
    data: Callable[[Context, str], dict[str, Any]] | None = None
    kwargs: Callable[[Context, str], dict[str, Any]] | None = None


@dataclass
class Context:
    users: dict[str, User]
    sections: dict[str, Section]
    extra: dict[str, Any] = field(default_factory=dict)

    def target_pk(self, kind: str | None, name: str) -> int | None:
        if kind == "student":
            return self.users[name].pk
        if kind == "section":
            return self.sections[name].pk
        if kind in ("school", "schedule", "cycle"):
            return int(self.extra[kind][name])
        return None


# ---------------------------------------------------------------------------------------------
# Helpers that fill a request for one target (valid content, so an allowed caller succeeds).


def _standard_of(ctx: Context, student: str) -> int:
    standards = ctx.extra["standards"]
    return int(standards.get(student, standards["student1"]))


def _rubric(ctx: Context, student: str) -> dict[str, Any]:
    return {"standard": _standard_of(ctx, student), "level": "3", "id": str(uuid.uuid4())}


def _grade_kwargs(ctx: Context, student: str) -> dict[str, Any]:
    return {"pk": ctx.users[student].pk, "standard_pk": _standard_of(ctx, student)}


def _about_kwargs(ctx: Context, student: str) -> dict[str, Any]:
    return {"pk": ctx.users[student].pk, "part": "about"}


def _about(ctx: Context, student: str) -> dict[str, Any]:
    return {"interests": "robots", "aspirations": "engineer"}


def _evidence(ctx: Context, student: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "student": ctx.users[student].pk,
        "standard": _standard_of(ctx, student),
        "correct": True,
    }


def _practice_kwargs(ctx: Context, target: str) -> dict[str, Any]:
    return {"standard_pk": _standard_of(ctx, "student1")}


def _item_kwargs(ctx: Context, target: str) -> dict[str, Any]:
    return {"item_pk": ctx.extra["item"]}


def _item_answer(ctx: Context, target: str) -> dict[str, Any]:
    return {"answer": "1", "evidence_id": str(uuid.uuid4())}


def _check_kwargs(ctx: Context, target: str) -> dict[str, Any]:
    return {"check_id": ctx.extra["check"]}  # student1's open mastery check


def _choice(ctx: Context, student: str) -> dict[str, Any]:
    offered = ctx.extra["offered"]
    return {
        "id": str(uuid.uuid4()),
        "standard": _standard_of(ctx, "student1"),
        "offered": [str(a) for a in offered],
        "chosen": str(offered[0]),
        "reason": "I like building things with my hands.",
    }


def _reflection(ctx: Context, student: str) -> dict[str, Any]:
    return {"choice": str(ctx.extra["choices"][student]), "how_it_went": "It went well."}


def _assignment(ctx: Context, section: str) -> dict[str, Any]:
    return {"activity": ctx.extra["offered"][0]}


def _prerequisite(ctx: Context, target: str) -> dict[str, Any]:
    a, b = ctx.extra["codes"]
    return {"standard": a, "prerequisite": b, "action": "remove"}


def _tickets(ctx: Context, section: str) -> dict[str, Any]:
    return {"standard": _standard_of(ctx, "student1"), "batch": str(uuid.uuid4())}


def _problem_vote(ctx: Context, target: str) -> dict[str, Any]:
    return {"pk": ctx.extra["problem"], "verb": "vote"}


def _cycle_note_kwargs(ctx: Context, school: str) -> dict[str, Any]:
    return {"pk": ctx.extra["cycle"][school], "verb": "note"}


def _cycle_note(ctx: Context, school: str) -> dict[str, Any]:
    return {"body": "Tried it in Room 101.", "link": ""}


def _practice_pk(ctx: Context, target: str) -> dict[str, Any]:
    return {"pk": ctx.extra["practice"]}


def _competition_pk(ctx: Context, target: str) -> dict[str, Any]:
    return {"pk": ctx.extra["competition"]}


def _proposal_pk(ctx: Context, target: str) -> dict[str, Any]:
    return {"pk": ctx.extra["proposal"]}


def _observation(ctx: Context, target: str) -> dict[str, Any]:
    return {"school": ctx.extra["school"]["cedar"], "seen": ctx.extra["look_fors"][:1]}


def _proposal(ctx: Context, target: str) -> dict[str, Any]:
    return {"school": ctx.extra["school"]["cedar"], "title": "A plan", "summary": "What changes."}


def _review(ctx: Context, target: str) -> dict[str, Any]:
    return {"score-0": "3", "score-1": "2", "score-2": "4"}


def _community_pk(ctx: Context, target: str) -> dict[str, Any]:
    return {"pk": ctx.extra["community"]}


def _csv_kwargs(ctx: Context, target: str) -> dict[str, Any]:
    return {"name": "growth"}


def _note_body(ctx: Context, school: str) -> dict[str, Any]:
    return {"body": "Tried it in Room 101."}


def _problem_pk(ctx: Context, target: str) -> dict[str, Any]:
    return {"problem_id": ctx.extra["problem"], "practice_id": ctx.extra["practice"]}


def _account_kwargs(ctx: Context, target: str) -> dict[str, Any]:
    return {"account_id": ctx.users["teacher1"].pk}


def _group_kwargs(ctx: Context, school: str) -> dict[str, Any]:
    return {"pk": ctx.extra["schedule"][school], "group_pk": ctx.extra["groups"][school]}


def _correction(ctx: Context, student: str) -> dict[str, Any]:
    return {"about": "Reading level", "details": "It says grade 2; she reads at grade 4."}


def _resolve_kwargs(ctx: Context, student: str) -> dict[str, Any]:
    return {"pk": ctx.users[student].pk, "request_pk": ctx.extra["correction_requests"][student]}


def _resolution(ctx: Context, student: str) -> dict[str, Any]:
    return {"status": "resolved", "response": "Corrected in the record."}


def _resources_kwargs(ctx: Context, school: str) -> dict[str, Any]:
    return {"pk": ctx.extra["school"][school], "kind": "licences"}


def _licence(ctx: Context, school: str) -> dict[str, Any]:
    return {"product": "Matrix Tutor", "modality": "VT", "seats": "5", "action": "save"}


def _resources_kwargs(ctx: Context, school: str) -> dict[str, Any]:
    return {"pk": ctx.extra["school"][school], "kind": "licences"}


def _licence(ctx: Context, school: str) -> dict[str, Any]:
    return {"product": "Matrix Tutor", "modality": "VT", "seats": "5", "action": "save"}


def _day_kwargs(ctx: Context, target: str) -> dict[str, Any]:
    return {"day": "2026-09-01"}


def _login(ctx: Context, target: str) -> dict[str, Any]:
    # A fresh unknown name each time: the per-account limit never applies, the answer is 401.
    return {"username": f"nobody-{uuid.uuid4().hex[:8]}", "password": "wrong"}


# ---------------------------------------------------------------------------------------------
# THE TABLE. Roles missing from an entry are an error (every role is stated).

A = "anonymous"


def grid(text: str) -> dict[str, str]:
    """``"role status..."`` per line -> {role: "status ..."}."""
    rows = [line.split(None, 1) for line in text.strip().splitlines() if line.strip()]
    return {role: " ".join(statuses.split()) for role, statuses in rows}


WEB: dict[str, Row] = {
    "web:home": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    302
            student2    302
            teacher1    302
            teacher2    302
            coach1      302
            principal1  302
            district1   302
            guardian1   302
            """
        ),
    ),
    "web:signin": Row(
        "GET",
        None,
        grid(
            """
            anonymous   200
            student1    302
            student2    302
            teacher1    302
            teacher2    302
            coach1      302
            principal1  302
            district1   302
            guardian1   302
            """
        ),
    ),
    "web:set-password": Row(
        "GET",
        None,
        grid(
            """
            anonymous   200
            student1    200
            student2    200
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   200
            """
        ),
        kwargs=lambda ctx, target: {"uidb64": "MQ", "token": "not-a-token"},
    ),
    "web:signout": Row(
        "POST",
        None,
        grid(
            """
            anonymous   302
            student1    302
            student2    302
            teacher1    302
            teacher2    302
            coach1      302
            principal1  302
            district1   302
            guardian1   302
            """
        ),
    ),
    "web:student": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    200
            student2    200
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
        ),
    ),
    "web:teacher": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
        ),
    ),
    "web:school": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      200
            principal1  200
            district1   404
            guardian1   404
            """
        ),
    ),
    "web:district": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
        ),
    ),
    "web:rosters": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
        ),
    ),
    "web:prerequisites": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
        ),
    ),
    "web:prerequisites-edit": Row(
        "POST",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   302
            guardian1   404
            """
        ),
        data=_prerequisite,
    ),
    "web:audit": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
        ),
    ),
    "web:guardian": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   404
            guardian1   200
            """
        ),
    ),
    "web:library": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
        ),
    ),
    "web:section": Row(
        "GET",
        "section",
        grid(
            """
            anonymous   302 302 302 302
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    200 404 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   404 404 404 404
            """
        ),
    ),
    "web:section-assign": Row(
        "POST",
        "section",
        grid(
            """
            anonymous   302 302 302 302
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    302 404 404 404
            teacher2    404 404 302 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
        ),
        data=_assignment,
    ),
    "web:pacing": Row(
        "GET",
        "section",
        grid(
            """
            anonymous   302 302 302 302
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    200 404 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   404 404 404 404
            """
        ),
    ),
    "web:exit-tickets": Row(
        "POST",
        "section",
        grid(
            """
            anonymous   302 302 302 302
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    302 404 404 404
            teacher2    404 404 302 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
        ),
        data=_tickets,
    ),
    "web:schedule": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    404
            student2    404
            teacher1    302
            teacher2    302
            coach1      302
            principal1  302
            district1   200
            guardian1   404
            """
        ),
    ),
    "web:school-schedule": Row(
        "GET",
        "school",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    200 404 404
            teacher2    404 200 404
            coach1      200 404 404
            principal1  200 404 404
            district1   200 200 404
            guardian1   404 404 404
            """
        ),
    ),
    "web:schedule-build": Row(
        "POST",
        "school",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    302 404 404
            teacher2    404 302 404
            coach1      302 404 404
            principal1  302 404 404
            district1   404 404 404
            guardian1   404 404 404
            """
        ),
    ),
    "web:schedule-move": Row(
        "POST",
        "schedule",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    404 404 404
            teacher2    404 404 404
            coach1      404 404 404
            principal1  404 404 404
            district1   404 404 404
            guardian1   404 404 404
            """
        ),
    ),
    "web:schedule-publish": Row(
        "POST",
        "schedule",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    302 404 404
            teacher2    404 302 404
            coach1      302 404 404
            principal1  302 404 404
            district1   404 404 404
            guardian1   404 404 404
            """
        ),
    ),
    # Without ?student=&block= every role gets 404 (the place is missing); staff of the school
    # with a real place get the panel (tests/web/test_schedule_pages.py).
    "web:schedule-move-choose": Row(
        "GET",
        "schedule",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    404 404 404
            teacher2    404 404 404
            coach1      404 404 404
            principal1  404 404 404
            district1   404 404 404
            guardian1   404 404 404
            """
        ),
    ),
    "web:schedule-tickets": Row(
        "GET",
        "schedule",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    200 404 404
            teacher2    404 200 404
            coach1      200 404 404
            principal1  200 404 404
            district1   404 404 404
            guardian1   404 404 404
            """
        ),
        kwargs=_group_kwargs,
    ),
    "web:schedule-rosters": Row(
        "GET",
        "schedule",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    200 404 404
            teacher2    404 200 404
            coach1      200 404 404
            principal1  200 404 404
            district1   200 200 404
            guardian1   404 404 404
            """
        ),
    ),
    "web:schedule-resources": Row(
        "GET",
        "school",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    200 404 404
            teacher2    404 200 404
            coach1      200 404 404
            principal1  200 404 404
            district1   200 200 404
            guardian1   404 404 404
            """
        ),
    ),
    # Teachers and coaches read the resources but only the principal and district
    # administrators change them (EDIT_RESOURCES); a saved licence redirects back to the page.
    "web:schedule-resources-save": Row(
        "POST",
        "school",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    404 404 404
            teacher2    404 404 404
            coach1      404 404 404
            principal1  302 404 404
            district1   302 302 404
            guardian1   404 404 404
            """
        ),
        data=_licence,
        kwargs=_resources_kwargs,
    ),
    "web:schedule-board": Row(
        "GET",
        "schedule",
        grid(
            """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    200 404 404
            teacher2    404 200 404
            coach1      200 404 404
            principal1  200 404 404
            district1   200 200 404
            guardian1   404 404 404
            """
        ),
    ),
    "web:student-record": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
    "web:score-rubric": Row(
        "POST",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    302 302 404 404
            teacher2    404 404 302 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
        ),
        data=_rubric,
    ),
    "web:corrections": Row(
        "POST",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    302 404 404 404
            student2    404 404 302 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   302 404 404 404
            """
        ),
        data=_correction,
    ),
    "web:correction-resolve": Row(
        "POST",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    302 302 404 404
            teacher2    404 404 302 404
            coach1      302 302 404 404
            principal1  302 302 404 404
            district1   302 302 302 404
            guardian1   404 404 404 404
            """
        ),
        data=_resolution,
        kwargs=_resolve_kwargs,
    ),
    "web:grades": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
    "web:grade": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
        kwargs=_grade_kwargs,
    ),
    "web:profile": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
    "web:path": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
    "web:choose": Row(
        "POST",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    302 404 404 404
            student2    404 404 404 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
        ),
        data=_choice,
    ),
    "web:reflect-choice": Row(
        "POST",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    302 404 404 404
            student2    404 404 302 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
        ),
        data=_reflection,
    ),
    "web:profile-update": Row(
        "POST",
        "student",
        grid(
            """
            anonymous   302 302 302 302
            student1    302 404 404 404
            student2    404 404 302 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
        ),
        data=_about,
        kwargs=_about_kwargs,
    ),
    "web:practice": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    200
            student2    200
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   200
            """
        ),
        kwargs=_practice_kwargs,
    ),
    "web:check-start": Row(
        "POST",
        None,
        grid(
            """
            anonymous   302
            student1    302
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
        ),
        kwargs=_practice_kwargs,
    ),
    "web:answer": Row(
        "POST",
        None,
        grid(
            """
            anonymous   302
            student1    200
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
        ),
        data=_item_answer,
        kwargs=_item_kwargs,
    ),
    "web:check": Row(
        "GET",
        None,
        grid(
            """
            anonymous   302
            student1    200
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
        ),
        kwargs=_check_kwargs,
    ),
}
# Innovation pages (apps/innovation).
WEB.update(
    {
        "web:innovation": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
        ),
        "web:innovation-problems": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
        ),
        "web:problem-act": Row(
            "POST",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    302
            teacher2    302
            coach1      302
            principal1  302
            district1   302
            guardian1   404
            """
            ),
            kwargs=_problem_vote,
        ),
        "web:observe": Row(
            "POST",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      302
            principal1  302
            district1   302
            guardian1   404
            """
            ),
            data=_observation,
            kwargs=_practice_pk,
        ),
        "web:competition": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
            kwargs=_competition_pk,
        ),
        "web:competition-propose": Row(
            "POST",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      302
            principal1  302
            district1   302
            guardian1   404
            """
            ),
            data=_proposal,
            kwargs=_competition_pk,
        ),
        "web:review": Row(
            "POST",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    302
            teacher2    302
            coach1      302
            principal1  302
            district1   302
            guardian1   404
            """
            ),
            data=_review,
            kwargs=_proposal_pk,
        ),
        "web:innovation-school": Row(
            "GET",
            "school",
            grid(
                """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    404 404 404
            teacher2    404 404 404
            coach1      200 404 404
            principal1  200 404 404
            district1   200 200 404
            guardian1   404 404 404
            """
            ),
        ),
        "web:communities": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
        ),
        "web:community": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
            kwargs=_community_pk,
        ),
        "web:cycle-new": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
            ),
        ),
        "web:cycle": Row(
            "GET",
            "cycle",
            grid(
                """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    200 404 404
            teacher2    404 200 404
            coach1      200 404 404
            principal1  200 404 404
            district1   200 200 404
            guardian1   404 404 404
            """
            ),
        ),
        "web:cycle-act": Row(
            "POST",
            "cycle",
            grid(
                """
            anonymous   302 302 302
            student1    404 404 404
            student2    404 404 404
            teacher1    302 404 404
            teacher2    404 302 404
            coach1      302 404 404
            principal1  302 404 404
            district1   404 404 404
            guardian1   404 404 404
            """
            ),
            data=_cycle_note,
            kwargs=_cycle_note_kwargs,
        ),
        "web:practices": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
        ),
        "web:innovation-practice": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
            kwargs=_practice_pk,
        ),
        "web:practice-adopt": Row(
            "POST",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
            ),
            kwargs=_practice_pk,
        ),
        "web:innovation-dashboard": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
            ),
        ),
        "web:dashboard-csv": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
            ),
            kwargs=_csv_kwargs,
        ),
        "web:survey": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
            ),
        ),
    }
)
# LTI 1.3 (web/views/lti.py): reached from the LMS without a Pathways session. Login and launch
# refuse a request without a registered issuer / valid state (400) whoever is signed in; the JWKS
# is public; the deep-linking picker needs a teacher with a deep-linking launch in progress (404).
WEB.update(
    {
        "web:lti-login": Row(
            "GET",
            None,
            grid(
                """
            anonymous   400
            student1    400
            student2    400
            teacher1    400
            teacher2    400
            coach1      400
            principal1  400
            district1   400
            guardian1   400
            """
            ),
        ),
        "web:lti-launch": Row(
            "POST",
            None,
            grid(
                """
            anonymous   400
            student1    400
            student2    400
            teacher1    400
            teacher2    400
            coach1      400
            principal1  400
            district1   400
            guardian1   400
            """
            ),
            data=lambda ctx, target: {"state": "not-a-state", "id_token": "x.y.z"},
        ),
        "web:lti-jwks": Row(
            "GET",
            None,
            grid(
                """
            anonymous   200
            student1    200
            student2    200
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   200
            """
            ),
        ),
        "web:lti-deep-link": Row(
            "GET",
            None,
            grid(
                """
            anonymous   302
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   404
            guardian1   404
            """
            ),
        ),
    }
)
API: dict[str, Row] = {
    "GET /api/v1/audit": Row(
        "GET",
        None,
        grid(
            """
            anonymous   401
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
        ),
    ),
    "GET /api/v1/audit/accounts/{account_id}/students": Row(
        "GET",
        None,
        grid(
            """
            anonymous   401
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
        ),
        kwargs=_account_kwargs,
    ),
    "POST /api/v1/auth/login": Row(
        "POST",
        None,
        grid(
            """
            anonymous   401
            student1    401
            student2    401
            teacher1    401
            teacher2    401
            coach1      401
            principal1  401
            district1   401
            guardian1   401
            """
        ),
        data=_login,
    ),
    "POST /api/v1/auth/logout": Row(
        "POST",
        None,
        grid(
            """
            anonymous   401
            student1    204
            student2    204
            teacher1    204
            teacher2    204
            coach1      204
            principal1  204
            district1   204
            guardian1   204
            """
        ),
    ),
    "POST /api/v1/evidence": Row(
        "POST",
        "student",
        grid(
            """
            anonymous   401 401 401 401
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    201 201 404 404
            teacher2    404 404 201 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
        ),
        data=_evidence,
    ),
    "GET /api/v1/me": Row(
        "GET",
        None,
        grid(
            """
            anonymous   401
            student1    200
            student2    200
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   200
            """
        ),
    ),
    "GET /api/v1/schools/{school_id}/schedules/{day}": Row(
        "GET",
        "school",
        grid(
            """
            anonymous   401 401 401
            student1    404 404 404
            student2    404 404 404
            teacher1    200 404 404
            teacher2    404 200 404
            coach1      200 404 404
            principal1  200 404 404
            district1   200 200 404
            guardian1   404 404 404
            """
        ),
        kwargs=_day_kwargs,
    ),
    "POST /api/v1/schedules/{schedule_id}/moves": Row(
        "POST",
        "schedule",
        grid(
            """
            anonymous   401 401 401
            student1    422 422 422
            student2    422 422 422
            teacher1    422 422 422
            teacher2    422 422 422
            coach1      422 422 422
            principal1  422 422 422
            district1   422 422 422
            guardian1   422 422 422
            """
        ),
    ),
    "GET /api/v1/sections": Row(
        "GET",
        None,
        grid(
            """
            anonymous   401
            student1    200
            student2    200
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   200
            """
        ),
    ),
    "GET /api/v1/sections/{section_id}/heatmap": Row(
        "GET",
        "section",
        grid(
            """
            anonymous   401 401 401 401
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    200 404 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   404 404 404 404
            """
        ),
    ),
    "GET /api/v1/sections/{section_id}/students": Row(
        "GET",
        "section",
        grid(
            """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 404 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
    "GET /api/v1/students": Row(
        "GET",
        None,
        grid(
            """
            anonymous   401
            student1    200
            student2    200
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   200
            """
        ),
    ),
    "GET /api/v1/students/{student_id}": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
    "GET /api/v1/students/{student_id}/grades": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
    "GET /api/v1/students/{student_id}/mastery": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
    "GET /api/v1/students/{student_id}/path": Row(
        "GET",
        "student",
        grid(
            """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
        ),
    ),
}
# Innovation operations (apps/innovation). Bodies the matrix does not fill answer 422 to everyone.
API.update(
    {
        "GET /api/v1/innovation/cycles": Row(
            "GET",
            None,
            grid(
                """
            anonymous   401
            student1    200
            student2    200
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   200
            """
            ),
        ),
        "POST /api/v1/innovation/cycles": Row(
            "POST",
            None,
            grid(
                """
            anonymous   401
            student1    422
            student2    422
            teacher1    422
            teacher2    422
            coach1      422
            principal1  422
            district1   422
            guardian1   422
            """
            ),
        ),
        "GET /api/v1/innovation/cycles/{cycle_id}": Row(
            "GET",
            "cycle",
            grid(
                """
            anonymous   401 401 401
            student1    404 404 404
            student2    404 404 404
            teacher1    200 404 404
            teacher2    404 200 404
            coach1      200 404 404
            principal1  200 404 404
            district1   200 200 404
            guardian1   404 404 404
            """
            ),
        ),
        "POST /api/v1/innovation/cycles/{cycle_id}/notes": Row(
            "POST",
            "cycle",
            grid(
                """
            anonymous   401 401 401
            student1    404 404 404
            student2    404 404 404
            teacher1    201 404 404
            teacher2    404 201 404
            coach1      201 404 404
            principal1  201 404 404
            district1   404 404 404
            guardian1   404 404 404
            """
            ),
            data=_note_body,
        ),
        "POST /api/v1/innovation/cycles/{cycle_id}/study": Row(
            "POST",
            "cycle",
            grid(
                """
            anonymous   401 401 401
            student1    404 404 404
            student2    404 404 404
            teacher1    409 404 404
            teacher2    404 200 404
            coach1      409 404 404
            principal1  409 404 404
            district1   404 404 404
            guardian1   404 404 404
            """
            ),
        ),
        "POST /api/v1/innovation/cycles/{cycle_id}/decision": Row(
            "POST",
            "cycle",
            grid(
                """
            anonymous   401 401 401
            student1    422 422 422
            student2    422 422 422
            teacher1    422 422 422
            teacher2    422 422 422
            coach1      422 422 422
            principal1  422 422 422
            district1   422 422 422
            guardian1   422 422 422
            """
            ),
        ),
        "GET /api/v1/innovation/problems": Row(
            "GET",
            None,
            grid(
                """
            anonymous   401
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
        ),
        "POST /api/v1/innovation/problems": Row(
            "POST",
            None,
            grid(
                """
            anonymous   401
            student1    422
            student2    422
            teacher1    422
            teacher2    422
            coach1      422
            principal1  422
            district1   422
            guardian1   422
            """
            ),
        ),
        "POST /api/v1/innovation/problems/{problem_id}/votes": Row(
            "POST",
            None,
            grid(
                """
            anonymous   401
            student1    404
            student2    404
            teacher1    200
            teacher2    201
            coach1      200
            principal1  200
            district1   201
            guardian1   404
            """
            ),
            kwargs=_problem_pk,
        ),
        "GET /api/v1/innovation/practices": Row(
            "GET",
            None,
            grid(
                """
            anonymous   401
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
        ),
        "POST /api/v1/innovation/practices/{practice_id}/adoptions": Row(
            "POST",
            None,
            grid(
                """
            anonymous   401
            student1    422
            student2    422
            teacher1    422
            teacher2    422
            coach1      422
            principal1  422
            district1   422
            guardian1   422
            """
            ),
            kwargs=_problem_pk,
        ),
        "GET /api/v1/innovation/dashboard": Row(
            "GET",
            None,
            grid(
                """
            anonymous   401
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
            ),
        ),
        "GET /api/v1/innovation/survey/comparison": Row(
            "GET",
            None,
            grid(
                """
            anonymous   401
            student1    404
            student2    404
            teacher1    404
            teacher2    404
            coach1      404
            principal1  404
            district1   200
            guardian1   404
            """
            ),
        ),
    }
)

# Editing the district's goals and survey (web/views/innovation_edit.py): district administrators.


def _goal_pk(ctx: Context, target: str) -> dict[str, Any]:
    from pathways.apps.innovation.models import Goal

    return {"pk": Goal.objects.order_by("pk").values_list("pk", flat=True).first() or 10**9}


def _survey_item_pk(ctx: Context, target: str) -> dict[str, Any]:
    from pathways.apps.innovation.models import SurveyItem

    return {"pk": SurveyItem.objects.order_by("pk").values_list("pk", flat=True).first() or 10**9}


_ADMIN_ONLY = grid(
    """
    anonymous   302
    student1    404
    student2    404
    teacher1    404
    teacher2    404
    coach1      404
    principal1  404
    district1   200
    guardian1   404
    """
)
WEB.update(
    {
        "web:innovation-goals": Row("GET", None, _ADMIN_ONLY),
        "web:innovation-goal": Row("GET", None, _ADMIN_ONLY, kwargs=_goal_pk),
        "web:survey-items": Row("GET", None, _ADMIN_ONLY),
        "web:survey-item": Row("GET", None, _ADMIN_ONLY, kwargs=_survey_item_pk),
    }
)

# Observations, design competitions and communities of practice in the API
# (api/v1/innovation_practice.py). Staff of the district read; writes as the pages allow them.


def _practice_id(ctx: Context, target: str) -> dict[str, Any]:
    return {"practice_id": ctx.extra["practice"]}


def _competition_id(ctx: Context, target: str) -> dict[str, Any]:
    return {"competition_id": ctx.extra["competition"]}


def _proposal_id(ctx: Context, target: str) -> dict[str, Any]:
    return {"proposal_id": ctx.extra["proposal"]}


def _community_id(ctx: Context, target: str) -> dict[str, Any]:
    return {"community_id": ctx.extra["community"]}


def _api_competition(ctx: Context, target: str) -> dict[str, Any]:
    return {"title": "A new hour", "criteria": ["Clear", "Feasible"], "closes_on": "2027-03-01"}


def _api_proposal(ctx: Context, target: str) -> dict[str, Any]:
    return {"school": ctx.extra["school"]["cedar"], "title": "A plan", "summary": "What changes."}


def _api_review(ctx: Context, target: str) -> dict[str, Any]:
    from pathways.apps.innovation.models import Competition

    criteria = Competition.objects.get(pk=ctx.extra["competition"]).criteria
    return {"scores": dict.fromkeys(criteria, 3)}


def _api_community(ctx: Context, target: str) -> dict[str, Any]:
    return {"name": "Exit tickets", "purpose": "Share items that work."}


def _api_share(ctx: Context, target: str) -> dict[str, Any]:
    return {"practice": ctx.extra["practice"]}


def _api_post(ctx: Context, target: str) -> dict[str, Any]:
    return {"body": "What worked this week?"}


def _staff(status: str, **others: str) -> dict[str, str]:
    """Anonymous 401, students and guardians 404, each staff role ``status`` unless given."""
    rows = {"anonymous": "401", "student1": "404", "student2": "404", "guardian1": "404"}
    for role in ("teacher1", "teacher2", "coach1", "principal1", "district1"):
        rows[role] = others.get(role, status)
    return rows


API.update(
    {
        "GET /api/v1/innovation/practices/{practice_id}/observations": Row(
            "GET", None, _staff("200"), kwargs=_practice_id
        ),
        # Only leaders of the observed school (coach1, principal1 of Cedar Grove; district1).
        "POST /api/v1/innovation/practices/{practice_id}/observations": Row(
            "POST",
            None,
            _staff("201", teacher1="404", teacher2="404"),
            data=_observation,  # the page's form and the API take the same fields
            kwargs=_practice_id,
        ),
        "GET /api/v1/innovation/competitions": Row("GET", None, _staff("200")),
        "POST /api/v1/innovation/competitions": Row(
            "POST", None, _staff("404", district1="201"), data=_api_competition
        ),
        "GET /api/v1/innovation/competitions/{competition_id}": Row(
            "GET", None, _staff("200"), kwargs=_competition_id
        ),
        "POST /api/v1/innovation/competitions/{competition_id}/proposals": Row(
            "POST",
            None,
            _staff("201", teacher1="404", teacher2="404"),
            data=_api_proposal,
            kwargs=_competition_id,
        ),
        # The proposal is Maple Ridge's: its own staff (teacher2) may not score it; district1
        # and coach1 already scored it in the demo (200: replaced), the others score it (201).
        "POST /api/v1/innovation/proposals/{proposal_id}/reviews": Row(
            "POST",
            None,
            _staff("201", teacher2="409", coach1="200", district1="200"),
            data=_api_review,
            kwargs=_proposal_id,
        ),
        "GET /api/v1/innovation/communities": Row("GET", None, _staff("200")),
        "POST /api/v1/innovation/communities": Row(
            "POST", None, _staff("201"), data=_api_community
        ),
        "GET /api/v1/innovation/communities/{community_id}": Row(
            "GET", None, _staff("200"), kwargs=_community_id
        ),
        # coach1 started the demo community and teacher2 joined it: already members (200).
        "POST /api/v1/innovation/communities/{community_id}/members": Row(
            "POST", None, _staff("201", teacher2="200", coach1="200"), kwargs=_community_id
        ),
        # Only members share and post; the others are told to join first (409).
        "POST /api/v1/innovation/communities/{community_id}/practices": Row(
            "POST",
            None,
            _staff("409", teacher2="200", coach1="200"),
            data=_api_share,
            kwargs=_community_id,
        ),
        "POST /api/v1/innovation/communities/{community_id}/posts": Row(
            "POST",
            None,
            _staff("409", teacher2="201", coach1="201"),
            data=_api_post,
            kwargs=_community_id,
        ),
    }
)

# Goals and survey items in the API (api/v1/innovation_goals.py): staff read, district
# administrators write.


def _goal_id(ctx: Context, target: str) -> dict[str, Any]:
    return {"goal_id": _goal_pk(ctx, target)["pk"]}


def _item_id(ctx: Context, target: str) -> dict[str, Any]:
    return {"item_id": _survey_item_pk(ctx, target)["pk"]}


def _api_goal(ctx: Context, target: str) -> dict[str, Any]:
    return {"area": "social", "title": "Students help each other"}


def _api_measure(ctx: Context, target: str) -> dict[str, Any]:
    item = _survey_item_pk(ctx, target)["pk"]
    return {"kind": "survey_item", "description": "Teachers agree", "survey_item": item}


def _api_item(ctx: Context, target: str) -> dict[str, Any]:
    return {"code": "matrix-item", "construct": "choice", "text": "Students choose."}


def _api_item_update(ctx: Context, target: str) -> dict[str, Any]:
    from pathways.apps.innovation.models import LIKERT

    return {"construct": "pacing", "text": "Reworded.", "scale": LIKERT}


API.update(
    {
        "GET /api/v1/innovation/goals": Row("GET", None, _staff("200")),
        "POST /api/v1/innovation/goals": Row(
            "POST", None, _staff("404", district1="201"), data=_api_goal
        ),
        "PUT /api/v1/innovation/goals/{goal_id}": Row(
            "PUT", None, _staff("404", district1="200"), data=_api_goal, kwargs=_goal_id
        ),
        "POST /api/v1/innovation/goals/{goal_id}/measures": Row(
            "POST", None, _staff("404", district1="201"), data=_api_measure, kwargs=_goal_id
        ),
        "GET /api/v1/innovation/survey/items": Row("GET", None, _staff("200")),
        "POST /api/v1/innovation/survey/items": Row(
            "POST", None, _staff("404", district1="201"), data=_api_item
        ),
        "PUT /api/v1/innovation/survey/items/{item_id}": Row(
            "PUT", None, _staff("404", district1="200"), data=_api_item_update, kwargs=_item_id
        ),
    }
)

# The daily loop in the API (issue 5): pacing, insights, assignments, the activity library.


def _assignment_kwargs(ctx: Context, student: str) -> dict[str, Any]:
    """The first assignment of the student's section (none in the outside district: no id)."""
    from pathways.apps.paths.models import Assignment

    found = (
        Assignment.objects.filter(
            section__enrollments__user=ctx.users[student], section__enrollments__role="student"
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {"assignment_id": found or 10**9}


def _activity_kwargs(ctx: Context, target: str) -> dict[str, Any]:
    return {"activity_id": ctx.extra["offered"][0]}


def _new_activity(ctx: Context, target: str) -> dict[str, Any]:
    from pathways.apps.standards.models import Standard

    code = Standard.objects.get(pk=_standard_of(ctx, "student1")).short_code
    return {
        "title": "Fraction recipes",
        "modality": "collaborative",
        "bloom_level": 3,
        "duration_minutes": 25,
        "standards": [code],
    }


API.update(
    {
        "GET /api/v1/sections/{section_id}/pacing": Row(
            "GET",
            "section",
            grid(
                """
            anonymous   401 401 401 401
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    200 404 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   404 404 404 404
            """
            ),
        ),
        "GET /api/v1/students/{student_id}/pacing": Row(
            "GET",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
            ),
        ),
        "GET /api/v1/sections/{section_id}/insights": Row(
            "GET",
            "section",
            grid(
                """
            anonymous   401 401 401 401
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    200 404 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   404 404 404 404
            """
            ),
        ),
        "GET /api/v1/sections/{section_id}/assignments": Row(
            "GET",
            "section",
            grid(
                """
            anonymous   401 401 401 401
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    200 404 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   404 404 404 404
            """
            ),
        ),
        "POST /api/v1/sections/{section_id}/assignments": Row(
            "POST",
            "section",
            grid(
                """
            anonymous   401 401 401 401
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    201 404 404 404
            teacher2    404 404 201 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_assignment,
        ),
        "GET /api/v1/students/{student_id}/assignments": Row(
            "GET",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
            ),
        ),
        "POST /api/v1/students/{student_id}/assignments/{assignment_id}/completion": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    201 404 404 404
            student2    404 404 201 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            kwargs=_assignment_kwargs,
        ),
        "GET /api/v1/activities": Row(
            "GET",
            None,
            grid(
                """
            anonymous   401
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
        ),
        "GET /api/v1/activities/{activity_id}": Row(
            "GET",
            None,
            grid(
                """
            anonymous   401
            student1    404
            student2    404
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   404
            """
            ),
            kwargs=_activity_kwargs,
        ),
        "POST /api/v1/activities": Row(
            "POST",
            None,
            grid(
                """
            anonymous   401
            student1    404
            student2    404
            teacher1    201
            teacher2    201
            coach1      201
            principal1  201
            district1   201
            guardian1   404
            """
            ),
            data=_new_activity,
        ),
    }
)


# The daily loop in the API, part 2: choice boards, the learner profile, and correction requests
# (issue 9). Writes by the student themself are 404 to everyone else, guardians included.


def _api_choice(ctx: Context, student: str) -> dict[str, Any]:
    """A real board for the student's own standard: two activities that differ in modality."""
    from pathways.apps.activities.models import Activity

    standard = _standard_of(ctx, student)
    activities = list(Activity.objects.filter(standards__pk=standard).order_by("pk"))
    other = next(a for a in activities if a.modality != activities[0].modality)
    return {
        "id": str(uuid.uuid4()),
        "standard": standard,
        "offered": [activities[0].pk, other.pk],
        "chosen": other.pk,
        "reason": "I understand better when I explain it to a partner.",
    }


def _choice_kwargs(ctx: Context, student: str) -> dict[str, Any]:
    return {"choice_id": ctx.extra["choices"][student]}


def _choice_reflection(ctx: Context, student: str) -> dict[str, Any]:
    return {"how_it_went": "It went well."}


def _api_about(ctx: Context, student: str) -> dict[str, Any]:
    return {"interests": ["robots"], "aspirations": "engineer"}


def _api_restricted(ctx: Context, student: str) -> dict[str, Any]:
    return {"accommodations": "Extended time", "language_status": "EL"}


def _api_goal(ctx: Context, student: str) -> dict[str, Any]:
    return {"title": "Finish the unit project", "target_date": "2027-01-15"}


def _goal_kwargs(ctx: Context, student: str) -> dict[str, Any]:
    from pathways.apps.profiles.models import Goal

    goal, _ = Goal.objects.get_or_create(student=ctx.users[student], title="Matrix goal")
    return {"goal_id": goal.pk}


def _api_check_in(ctx: Context, student: str) -> dict[str, Any]:
    return {"progress": 30, "note": "Started"}


def _api_habit(ctx: Context, student: str) -> dict[str, Any]:
    return {"habit": "persistence", "rating": 3}


def _api_reflection(ctx: Context, student: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "prompt": "This week", "text": "I learned a lot."}


def _api_resolve_kwargs(ctx: Context, student: str) -> dict[str, Any]:
    return {"request_id": ctx.extra["correction_requests"][student]}


API.update(
    {
        "GET /api/v1/students/{student_id}/choices": Row(
            "GET",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
            ),
        ),
        "POST /api/v1/students/{student_id}/choices": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    201 404 404 404
            student2    404 404 201 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_api_choice,
        ),
        "POST /api/v1/students/{student_id}/choices/{choice_id}/reflection": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_choice_reflection,
            kwargs=_choice_kwargs,
        ),
        "GET /api/v1/students/{student_id}/profile": Row(
            "GET",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
            ),
        ),
        "PUT /api/v1/students/{student_id}/profile/about": Row(
            "PUT",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_api_about,
        ),
        "PUT /api/v1/students/{student_id}/profile/restricted": Row(
            "PUT",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_api_restricted,
        ),
        "GET /api/v1/students/{student_id}/goals": Row(
            "GET",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
            ),
        ),
        "POST /api/v1/students/{student_id}/goals": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    201 404 404 404
            student2    404 404 201 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_api_goal,
        ),
        "POST /api/v1/students/{student_id}/goals/{goal_id}/check-ins": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    201 404 404 404
            student2    404 404 201 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_api_check_in,
            kwargs=_goal_kwargs,
        ),
        "POST /api/v1/students/{student_id}/habits": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    201 404 404 404
            student2    404 404 201 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_api_habit,
        ),
        "GET /api/v1/students/{student_id}/reflections": Row(
            "GET",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
            ),
        ),
        "POST /api/v1/students/{student_id}/reflections": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    201 404 404 404
            student2    404 404 201 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_api_reflection,
        ),
        "GET /api/v1/corrections": Row(
            "GET",
            None,
            grid(
                """
            anonymous   401
            student1    200
            student2    200
            teacher1    200
            teacher2    200
            coach1      200
            principal1  200
            district1   200
            guardian1   200
            """
            ),
        ),
        "GET /api/v1/students/{student_id}/corrections": Row(
            "GET",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    200 404 404 404
            student2    404 404 200 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   200 404 404 404
            """
            ),
        ),
        "POST /api/v1/students/{student_id}/corrections": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    201 404 404 404
            student2    404 404 201 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   201 404 404 404
            """
            ),
            data=_correction,
        ),
        "POST /api/v1/students/{student_id}/corrections/{request_id}/resolution": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    404 404 404 404
            student2    404 404 404 404
            teacher1    200 200 404 404
            teacher2    404 404 200 404
            coach1      200 200 404 404
            principal1  200 200 404 404
            district1   200 200 200 404
            guardian1   404 404 404 404
            """
            ),
            data=_resolution,
            kwargs=_api_resolve_kwargs,
        ),
    }
)


# xAPI statements (issue 10). The learner is named in the body (their opaque xAPI id). The
# matrix sends no X-Experience-API-Version header, which xAPI requires before anything else is
# looked at, so every signed-in caller gets 400 here; who may record for whom (the grid below
# with the header) is tested in tests/api/test_xapi.py::test_who_may_send_statements_for_whom.


def _xapi_statement(ctx: Context, student: str) -> dict[str, Any]:
    from pathways.apps.standards.models import Standard
    from pathways.apps.xapi.statements import learner_name

    standard = Standard.objects.get(pk=_standard_of(ctx, student))
    return {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://p.example", "name": learner_name(
            ctx.users[student])}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": f"urn:uuid:{standard.identifier}"},
        "result": {"success": True},
    }  # fmt: skip


API.update(
    {
        "POST /api/v1/xapi/statements": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   401 401 401 401
            student1    400 400 400 400
            student2    400 400 400 400
            teacher1    400 400 400 400
            teacher2    400 400 400 400
            coach1      400 400 400 400
            principal1  400 400 400 400
            district1   400 400 400 400
            guardian1   400 400 400 400
            """
            ),
            data=_xapi_statement,
        ),
    }
)


# Assigned work marked done on the path page (issue 5): only the student themself, on an
# assignment of their own (another student's record, or none in the outside district: 404).


def _done_kwargs(ctx: Context, student: str) -> dict[str, Any]:
    assignment = _assignment_kwargs(ctx, student)["assignment_id"]
    return {"pk": ctx.users[student].pk, "assignment_pk": assignment}


def _done_note(ctx: Context, student: str) -> dict[str, Any]:
    return {"note": "Finished it with my partner."}


WEB.update(
    {
        "web:assignment-done": Row(
            "POST",
            "student",
            grid(
                """
            anonymous   302 302 302 302
            student1    302 404 404 404
            student2    404 404 302 404
            teacher1    404 404 404 404
            teacher2    404 404 404 404
            coach1      404 404 404 404
            principal1  404 404 404 404
            district1   404 404 404 404
            guardian1   404 404 404 404
            """
            ),
            data=_done_note,
            kwargs=_done_kwargs,
        ),
    }
)


# The operators' Django admin: no demo account is staff, so every admin URL sends every demo
# role to the admin's own sign-in (302). Checked for every admin URL pattern, generated.
ADMIN_EXPECT = "302"

OBSERVED: dict[str, dict[str, str]] = {}


# ---------------------------------------------------------------------------------------------
# Enumerating what exists.


def _web_patterns() -> dict[str, tuple[str, list[str]]]:
    """URL name -> (route, converter names) for every named pattern outside the API."""
    found: dict[str, tuple[str, list[str]]] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}{entry.namespace}:"
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {route}>"
                if name in found:  # two patterns share a name: the later one says its route
                    name = f"{name} {route}"
                found[name] = (route, list(entry.pattern.converters))

    walk(get_resolver().url_patterns, "", "")
    return {k: v for k, v in found.items() if not v[0].startswith("api/v1/")}


def _api_operations(client: Client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    methods = {"get", "post", "put", "patch", "delete"}
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in methods
    )


def test_every_url_pattern_is_in_the_matrix() -> None:
    patterns = _web_patterns()
    web = {name for name, (route, _) in patterns.items() if not route.startswith("admin/")}
    missing = sorted(name for name in web if name not in WEB)
    unnamed = sorted(name for name in web if name.startswith("<unnamed"))
    stale = sorted(set(WEB) - set(patterns))
    assert not missing, (
        f"URL pattern(s) {missing} are not in the permission matrix: add a row per pattern to "
        "WEB in tests/security/test_permission_matrix.py stating what each role gets"
    )
    assert not unnamed, f"name these URL patterns so the matrix can refer to them: {unnamed}"
    assert not stale, f"the matrix lists URL names that no longer exist: {stale}"


def test_every_api_operation_is_in_the_matrix() -> None:
    operations = _api_operations(Client())
    missing = sorted(set(operations) - set(API))
    stale = sorted(set(API) - set(operations))
    assert not missing, (
        f"API operation(s) {missing} are not in the permission matrix: add a row per operation "
        "to API in tests/security/test_permission_matrix.py stating what each role gets"
    )
    assert not stale, f"the matrix lists API operations that no longer exist: {stale}"


def test_every_row_states_every_role() -> None:
    for name, row in {**WEB, **API}.items():
        assert set(row.expect) == set(ROLES), f"{name}: roles {set(ROLES) ^ set(row.expect)}"
        width = 1 if row.target is None else len(TARGETS[row.target])
        for role, cell in row.expect.items():
            assert len(cell.split()) == width, f"{name} {role}: {cell!r} needs {width} statuses"


# ---------------------------------------------------------------------------------------------
# The world: the demo district plus one outside district.


@pytest.fixture
def ctx(db: None) -> Context:
    from pathways.apps.activities.models import Activity, Item
    from pathways.apps.paths.models import Choice, MasteryCheck
    from pathways.apps.standards.models import Standard

    users = {u.username: u for u in User.objects.filter(username__in=[*ROLES, "student3"])}
    outside_district = District.objects.create(name="Elsewhere Unified")
    school = School.objects.create(district=outside_district, name="Elsewhere Elementary")
    term = Term.objects.create(
        district=outside_district,
        title="Year",
        kind=Term.Kind.SCHOOL_YEAR,
        start_date=date(2026, 8, 1),
        end_date=date(2027, 6, 30),
        school_year=2027,
    )
    course = Course.objects.create(district=outside_district, school=school, title="Math 4")
    outside = Section.objects.create(course=course, school=school, term=term, title="Room 9")
    outsider = User.objects.create(username="outsider", first_name="Out", last_name="Sider")
    Membership.objects.create(
        user=outsider, role=Role.STUDENT, district=outside_district, school=school
    )
    Enrollment.objects.create(section=outside, user=outsider, role="student")
    users["outsider"] = outsider

    def section_of(username: str) -> Section:
        return Enrollment.objects.get(user=users[username], role="student", active=True).section

    room101 = section_of("student1")
    room102 = Section.objects.filter(school=room101.school, title__contains="Room 102").first()
    assert room102 is not None
    sections = {
        "room101": room101,
        "room102": room102,
        "period1": section_of("student2"),
        "outside": outside,
    }
    standards = {}
    for name in ("student1", "student3", "student2"):
        course_standard = (
            Standard.objects.filter(courses__course=section_of(name).course, items__isnull=False)
            .order_by("pk")
            .first()
        )
        assert course_standard is not None
        standards[name] = course_standard.pk
    standards["outsider"] = standards["student1"]
    item = Item.objects.filter(standard_id=standards["student1"]).order_by("pk").first()
    assert item is not None
    activities = list(Activity.objects.filter(standards__pk=standards["student1"]).order_by("pk"))
    offered = [activities[0]]
    offered += [a for a in activities if a.modality != activities[0].modality][:1]
    assert len(offered) == 2, "the demo offers activities of two modalities per standard"
    choices = {}
    for name in STUDENT_TARGETS:
        choice = Choice.objects.create(
            id=uuid.uuid4(),
            student=users[name],
            standard_id=standards[name],
            chosen=offered[0],
            reason="Because I like it a lot.",
        )
        choices[name] = choice.pk
    check = MasteryCheck.objects.create(
        id=uuid.uuid4(),
        student=users["student1"],
        standard_id=standards["student1"],
        item_ids=[item.pk],
    )
    codes = list(
        Standard.objects.filter(pk__in=[standards["student1"], standards["student2"]]).values_list(
            "code", flat=True
        )
    )
    from pathways.apps.scheduling.models import DailySchedule

    schools = {"cedar": room101.school, "maple": sections["period1"].school, "elsewhere": school}
    schedules = {
        name: DailySchedule.objects.create(
            school=place,
            day=date(2026, 9, 1),
            objective=0.0,
            method="test",
            seconds=0.0,
            instance={},
        ).pk
        for name, place in schools.items()
    }
    from pathways.apps.innovation.models import (
        Community,
        Competition,
        Cycle,
        Practice,
        Problem,
        Proposal,
    )

    cycles = {}
    for name, place in schools.items():
        first = Cycle.objects.filter(school=place).order_by("pk").first()
        cycles[name] = first.pk if first else 10**9  # no cycle there: an id that does not exist
    problem, practice = (
        Problem.objects.order_by("pk").first(),
        Practice.objects.order_by("pk").first(),
    )
    competition = Competition.objects.order_by("pk").first()
    proposal = Proposal.objects.filter(school=schools["maple"]).order_by("pk").first()
    from pathways.apps.scheduling.models import ScheduleGroup

    groups = {
        name: ScheduleGroup.objects.create(
            schedule_id=schedules[name], key="g1", block=1, modality="IP"
        ).pk
        for name in schedules
    }
    from pathways.apps.access.models import CorrectionRequest

    correction_requests = {
        name: CorrectionRequest.objects.create(
            student=users[name], about="Grade", details="It should say 3, not 2."
        ).pk
        for name in STUDENT_TARGETS
    }
    extra = {
        "correction_requests": correction_requests,
        "groups": groups,
        "community": Community.objects.order_by("pk").values_list("pk", flat=True).first() or 0,
        "competition": competition.pk if competition else 0,
        "proposal": proposal.pk if proposal else 0,
        "look_fors": practice.look_for_list if practice else [],
        "cycle": cycles,
        "problem": problem.pk if problem else 0,
        "practice": practice.pk if practice else 0,
        "school": {name: place.pk for name, place in schools.items()},
        "schedule": schedules,
        "standards": standards,
        "item": item.pk,
        "offered": [a.pk for a in offered],
        "choices": choices,
        "check": check.pk,
        "codes": codes,
    }
    return Context(users, sections, extra)


def _web_client(ctx: Context, role: str) -> Client:
    client = Client()
    if role != A:
        client.force_login(ctx.users[role])
    return client


def _api_headers(ctx: Context, role: str, tokens: dict[str, str]) -> dict[str, str]:
    if role == A:
        return {}
    if role not in tokens:
        tokens[role] = accounts.issue_token(ctx.users[role]).token
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}


def _fill(route: str, kwargs: dict[str, Any]) -> str:
    import re

    def replace(match: re.Match[str]) -> str:
        return str(kwargs[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


def _request(
    client: Client,
    method: str,
    url: str,
    data: dict[str, Any] | None,
    api: bool,
    headers: dict[str, str],
) -> int:
    if method == "GET":
        return client.get(url, **headers).status_code
    if api and method in ("PUT", "PATCH"):
        return client.generic(
            method, url, json.dumps(data or {}), content_type="application/json", **headers
        ).status_code
    if api:
        return client.post(
            url, json.dumps(data or {}), content_type="application/json", **headers
        ).status_code
    return client.post(url, data or {}, **headers).status_code


def _observe(name: str, role: str, statuses: list[int]) -> None:
    OBSERVED.setdefault(name, {})[role] = " ".join(str(s) for s in statuses)


def _check(name: str, row: Row, observed: dict[str, str]) -> None:
    wrong = {
        role: f"expected {row.expect.get(role)!r}, got {observed[role]!r}"
        for role in ROLES
        if row.expect.get(role) != observed[role]
    }
    if os.environ.get("PATHWAYS_MATRIX_OBSERVE"):
        with open(os.environ["PATHWAYS_MATRIX_OBSERVE"], "a") as out:
            out.write(json.dumps({name: observed}) + "\n")
        return
    assert not wrong, f"{name}: {wrong}"


def _targets(kind: str | None) -> list[str]:
    return TARGETS[kind] if kind else [""]


@pytest.mark.parametrize("name", sorted(WEB))
def test_web_page_matrix(name: str, ctx: Context) -> None:
    route, _converters = _web_patterns()[name]
    row = WEB[name]
    observed: dict[str, str] = {}
    for role in ROLES:
        client = _web_client(ctx, role)
        statuses = []
        for target in _targets(row.target):
            if row.kwargs is not None:
                kwargs = row.kwargs(ctx, target)
            elif row.target is not None:
                kwargs = {"pk": ctx.target_pk(row.target, target)}
            else:
                kwargs = {}
            data = row.data(ctx, target) if row.data else None
            statuses.append(_request(client, row.method, _fill(route, kwargs), data, False, {}))
        observed[role] = " ".join(str(s) for s in statuses)
    _check(name, row, observed)


@pytest.mark.parametrize("operation", sorted(API))
def test_api_operation_matrix(operation: str, ctx: Context) -> None:
    import re

    row = API[operation]
    method, path = operation.split(" ", 1)
    tokens: dict[str, str] = {}
    observed: dict[str, str] = {}
    for role in ROLES:
        client = Client()
        statuses = []
        for target in _targets(row.target):
            pk = ctx.target_pk(row.target, target)
            fill = row.kwargs(ctx, target) if row.kwargs else {}
            url = re.sub(r"\{(\w+)\}", lambda m, f=fill, k=pk: str(f.get(m.group(1), k)), path)
            data = row.data(ctx, target) if row.data else None
            headers = _api_headers(ctx, role, tokens)
            statuses.append(_request(client, method, url, data, True, headers))
        observed[role] = " ".join(str(s) for s in statuses)
    _check(operation, row, observed)


def test_admin_urls_refuse_every_demo_role(ctx: Context) -> None:
    admin = {k: v for k, v in _web_patterns().items() if v[0].startswith("admin/")}
    assert admin
    failures = []
    for role in ROLES:
        client = _web_client(ctx, role)
        for name, (route, _converters) in admin.items():
            kwargs = {
                "app_label": "accounts",
                "object_id": "1",
                "content_type_id": "1",
                "url": "x",
                "id": "1",
                "uidb64": "x",
                "token": "x",
            }
            url = _fill(route.replace("^", "").replace("$", ""), kwargs)
            if "(?P" in url:
                continue  # a regex route (the admin's catch-all): covered by the others
            status = client.get(url).status_code
            if str(status) != ADMIN_EXPECT and not (name == "admin:login" and status == 200):
                failures.append(f"{role} {name} {url}: {status}")
    assert not failures, failures


@pytest.mark.parametrize("role", [r for r in ROLES if r != A])
def test_lists_and_single_records_agree(role: str, ctx: Context) -> None:
    """A student or section is in my list exactly when I can open it by id (API and pages)."""
    headers = _api_headers(ctx, role, {})
    client = Client()
    listed = {s["id"] for s in client.get("/api/v1/students?limit=500", **headers).json()["items"]}
    sections = {s["id"] for s in client.get("/api/v1/sections", **headers).json()}
    candidates = {u.pk for u in ctx.users.values()} | set(
        User.objects.filter(enrollments__section__in=ctx.sections.values())
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    web = _web_client(ctx, role)
    for pk in sorted(candidates):
        one = client.get(f"/api/v1/students/{pk}", **headers).status_code
        page = web.get(f"/students/{pk}/").status_code
        assert (one == 200) == (pk in listed), f"{role}: student {pk} list/record disagree"
        assert (page == 200) == (pk in listed), f"{role}: student {pk} page/list disagree"
    for section in ctx.sections.values():
        one = client.get(f"/api/v1/sections/{section.pk}/students", **headers).status_code
        assert (one == 200) == (section.pk in sections), f"{role}: section {section.pk}"
        roster = client.get(f"/api/v1/sections/{section.pk}/students", **headers)
        if roster.status_code == 200:
            assert {s["id"] for s in roster.json()} <= listed, f"{role}: section roster leaks"
    cycles = {c["id"] for c in client.get("/api/v1/innovation/cycles", **headers).json()}
    for pk in ctx.extra["cycle"].values():
        one = client.get(f"/api/v1/innovation/cycles/{pk}", **headers).status_code
        assert (one == 200) == (pk in cycles), f"{role}: cycle {pk} list/record disagree"
