"""District administrator tools: roster upload (OneRoster) and the prerequisite graph editor."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathways.apps.access import policy
from pathways.apps.roster import services as rosters
from pathways.apps.roster.models import Role
from pathways.apps.standards import queries as standard_queries
from pathways.apps.standards import services as standards
from pathways.engines.errors import InputError, InputErrors
from pathways.web.views._common import actor, role_required

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@role_required(Role.DISTRICT_ADMIN)
def rosters_upload(request: HttpRequest) -> HttpResponse:
    """Upload a OneRoster zip; validate everything, then import all of it or nothing."""
    context: dict[str, object] = {"districts": rosters.administered(actor(request))}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("package")
        dry_run = bool(request.POST.get("dry_run"))
        if upload is None or not upload.name or not upload.name.lower().endswith(".zip"):
            context["errors"] = [
                "Choose a OneRoster .zip file exported by your student information system."
            ]
            status = 400
        elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            context["errors"] = [f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB."]
            status = 400
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "upload.zip"
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                try:
                    report = rosters.import_roster_upload(
                        actor(request), path, name=upload.name, dry_run=dry_run
                    )
                except InputErrors as problems:
                    context["errors"] = [
                        str(e).replace(str(path), upload.name) for e in problems.errors
                    ]
                    status = 400
                except InputError as problem:
                    context["errors"] = [str(problem).replace(str(path), upload.name)]
                    status = 400
                except policy.NotFound:
                    raise Http404("not found") from None
                else:
                    context["report"] = report.lines()
                    context["dry_run"] = dry_run
    return render(request, "web/district/rosters.html", context, status=status)


@role_required(Role.DISTRICT_ADMIN)
def prerequisites(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    standard = standard_queries.standard_by_code(code) if code else None
    context = {
        "code": code,
        "standard": standard,
        "requires": standard_queries.prerequisites_of(standard) if standard else [],
        "unlocks": standard_queries.dependents_of(standard) if standard else [],
        "error": request.session.pop("graph_error", ""),
        "missing": bool(code) and standard is None,
    }
    return render(request, "web/district/prerequisites.html", context)


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def prerequisites_edit(request: HttpRequest) -> HttpResponse:
    target = standard_queries.standard_by_code(request.POST.get("standard", ""))
    other = standard_queries.standard_by_code(request.POST.get("prerequisite", ""))
    if target is None:
        raise Http404("standard not found")
    try:
        if other is None:
            raise ValueError(f"no standard with the code {request.POST.get('prerequisite', '')!r}")
        if request.POST.get("action") == "remove":
            standards.remove_prerequisite(actor(request), other, target)
        else:
            standards.add_prerequisite(actor(request), other, target)
    except policy.NotFound:
        raise Http404("not found") from None
    except ValueError as error:
        request.session["graph_error"] = str(error)
    return redirect(f"/district/prerequisites/?code={target.short_code}")
