"""Correction requests on a student's record: guardians and the student ask, staff answer."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathways.apps.access import corrections, policy
from pathways.apps.access.policy import Action
from pathways.web.views._common import student_for


def corrections_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The student's requests and their answers; a form for those who may ask."""
    if not request.user.is_authenticated:
        return redirect(f"/signin/?next={request.path}")
    user, student = student_for(request, pk)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            corrections.request_correction(
                user,
                student,
                about=request.POST.get("about", ""),
                details=request.POST.get("details", ""),
            )
        except policy.NotFound:
            raise Http404("student not found") from None
        except ValueError as problem:
            error, status = str(problem), 400
        else:
            return redirect("web:corrections", pk=student.pk)
    return render(
        request,
        "web/shared/corrections.html",
        {
            "student": student,
            "requests": corrections.requests_for(student),
            "can_request": policy.can(user, Action.REQUEST_CORRECTION, student),
            "can_resolve": policy.can(user, Action.RESOLVE_CORRECTION, student),
            "error": error,
        },
        status=status,
    )


@require_POST
def resolve(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("/signin/")
    user, student = student_for(request, pk)
    found = corrections.request_by_id(student, request_pk)
    if found is None:
        raise Http404("request not found")
    try:
        corrections.resolve(
            user,
            found,
            status=request.POST.get("status", ""),
            response=request.POST.get("response", ""),
        )
    except policy.NotFound:
        raise Http404("request not found") from None
    except ValueError:
        return HttpResponse("Choose corrected or declined and write an answer.", status=400)
    return redirect("web:corrections", pk=student.pk)
