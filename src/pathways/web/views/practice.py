"""The item player: practice questions and 'I'm ready' mastery checks, scored on the server."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathways.apps.access import policy
from pathways.apps.activities.models import Item
from pathways.apps.evidence.services import EvidenceConflict
from pathways.apps.mastery import grades as grade_queries
from pathways.apps.paths import queries as path_queries
from pathways.apps.paths import services as paths
from pathways.apps.paths.models import MasteryCheck
from pathways.apps.standards.models import Standard
from pathways.web.views._common import actor


def _standard(pk: int) -> Standard:
    standard = path_queries.standard_by_id(pk)
    if standard is None:
        raise Http404("standard not found")
    return standard


def _item_context(request: HttpRequest, item: Item, **extra: object) -> dict[str, object]:
    return {
        "item": item,
        "evidence_id": uuid.uuid4(),
        "player_error": request.session.pop("player_error", ""),
        **extra,
    }


@login_required
def practice(request: HttpRequest, standard_pk: int) -> HttpResponse:
    student = actor(request)
    standard = _standard(standard_pk)
    item = paths.next_practice_item(student, standard)
    if item is None:
        raise Http404("no items for this standard yet")
    return render(
        request,
        "web/student/practice.html",
        _item_context(request, item, standard=standard, mode="practice"),
    )


@require_POST
@login_required
def answer(request: HttpRequest, item_pk: int) -> HttpResponse:
    """Score one answer; htmx swaps in the feedback, plain posts get the full page."""
    student = actor(request)
    item = path_queries.item_by_id(item_pk)
    if item is None:
        raise Http404("item not found")
    check = None
    if request.POST.get("check"):
        check = path_queries.check_of(student, uuid.UUID(request.POST["check"]))
        if check is None:
            raise Http404("mastery check not found")
    multiple = item.kind == Item.Kind.MULTIPLE  # checkboxes: every ticked option
    try:
        recorded = paths.answer_item(
            student,
            student,
            item,
            answer=request.POST.getlist("answer") if multiple else request.POST.get("answer", ""),
            evidence_id=uuid.UUID(request.POST.get("evidence_id", "")),
            check=check,
        )
    except paths.NothingChosen:
        return _choose_something(request, item, check)
    except (policy.NotFound, ValueError):
        raise Http404("item not found") from None
    except EvidenceConflict:
        return HttpResponse("This answer was already recorded differently.", status=409)
    context = {
        "item": item,
        "correct": recorded.evidence.correct,
        "estimate": recorded.estimate,
        "check": check,
        "standard": item.standard,
    }
    if check is not None:
        return redirect("web:check", check_id=check.pk)
    template = (
        "web/student/_feedback.html"
        if request.headers.get("HX-Request")
        else "web/student/feedback.html"
    )
    return render(request, template, context)


NOTHING_CHOSEN = "Choose at least one answer, then submit."


def _choose_something(request: HttpRequest, item: Item, check: MasteryCheck | None) -> HttpResponse:
    """The same question again with a message (htmx: the form; otherwise back to the page)."""
    if not request.headers.get("HX-Request"):
        request.session["player_error"] = NOTHING_CHOSEN
        if check is not None:
            return redirect("web:check", check_id=check.pk)
        return redirect("web:practice", standard_pk=item.standard_id)
    return render(
        request,
        "web/student/_item_form.html",
        _item_context(
            request,
            item,
            standard=item.standard,
            mode="practice",
            player_error=NOTHING_CHOSEN,
        ),
    )


@require_POST
@login_required
def start_check(request: HttpRequest, standard_pk: int) -> HttpResponse:
    student = actor(request)
    standard = _standard(standard_pk)
    try:
        check = paths.request_mastery_check(student, student, standard, check_id=uuid.uuid4())
    except policy.NotFound:
        raise Http404("standard not found") from None
    except ValueError as error:
        return render(
            request,
            "web/student/check_unavailable.html",
            {"standard": standard, "error": str(error)},
        )
    return redirect("web:check", check_id=check.pk)


@login_required
def check(request: HttpRequest, check_id: uuid.UUID) -> HttpResponse:
    student = actor(request)
    found = path_queries.check_of(student, check_id)
    if found is None:
        raise Http404("mastery check not found")
    remaining = paths.unanswered(found)
    if remaining:
        item = path_queries.item_by_id(remaining[0])
        assert item is not None
        position = len(found.item_ids) - len(remaining) + 1
        return render(
            request,
            "web/student/practice.html",
            _item_context(
                request, item, standard=found.standard, mode="check", check=found, position=position
            ),
        )
    report = grade_queries.grades_for(student, [found.standard_id])[0].report
    return render(
        request,
        "web/student/check_done.html",
        {"check": found, "report": report, "student": student},
    )
