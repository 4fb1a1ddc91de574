"""The district's activity library: browse with filters, and add activities aligned to standards."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pathways.apps.access import policy
from pathways.apps.activities import queries, services
from pathways.apps.activities.models import BloomLevel, Modality
from pathways.apps.roster.models import STAFF_ROLES
from pathways.web.views._common import actor, form_id, role_required


@role_required(*STAFF_ROLES)
def library(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    districts = queries.library_districts(user)
    if not districts:
        raise Http404("no library")
    district = districts[0]
    bloom = request.GET.get("bloom", "")
    code, modality = request.GET.get("code", "").strip(), request.GET.get("modality", "")
    level = form_id(bloom)
    filters = {"code": code, "modality": modality, "bloom": level}
    activities = queries.library(district, code=code, modality=modality, bloom=level)
    context = {
        "district": district,
        "activities": activities[:100],
        "count": activities.count(),
        "filters": filters,
        "modalities": Modality.choices,
        "blooms": BloomLevel.choices,
        "error": "",
        "form": {},
    }
    if request.method == "POST":
        form = request.POST
        context["form"] = form
        try:
            services.create_activity(
                user,
                district,
                title=form.get("title", ""),
                description=form.get("description", ""),
                modality=form.get("modality", ""),
                bloom_level=int(form.get("bloom_level", "0") or 0),
                duration_minutes=int(form.get("duration_minutes", "0") or 0),
                materials=form.get("materials", ""),
                interest_tags=form.get("interests", "").split(","),
                standards=queries.standards_by_codes(form.get("standards", "").split(",")),
            )
        except policy.NotFound:
            raise Http404("no library") from None
        except ValueError as error:
            context["error"] = str(error)
            return render(request, "web/teacher/library.html", context, status=400)
        return redirect(f"{request.path}?code=")
    return render(request, "web/teacher/library.html", context)
