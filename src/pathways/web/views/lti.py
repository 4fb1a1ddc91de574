"""LTI 1.3 endpoints: OIDC login initiation, launch, our public keys, and the deep-linking picker.

The login and launch endpoints take cross-site requests from the LMS, so they are exempt from
Django's CSRF check; the launch's protection is the single-use state (bound to this browser by a
cookie set at login initiation) and the nonce inside the signed id_token. That cookie has to be
``SameSite=None; Secure`` because the platform's form post to the launch is a cross-site POST.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pathways.apps.access import policy
from pathways.apps.lti import keys, queries, services
from pathways.apps.lti.tokens import DEEP_LINKING_REQUEST, LaunchRefused
from pathways.apps.roster.models import Role
from pathways.web.middleware import CONTENT_SECURITY_POLICY
from pathways.web.views._common import actor, form_ids, role_required

logger = logging.getLogger(__name__)

STATE_COOKIE_PREFIX = "lti_state_"
STATE_COOKIE_SALT = "pathways.lti.state"
DEEP_LINK_SESSION = "lti_deep_link"


def _refused(request: HttpRequest, error: LaunchRefused) -> HttpResponse:
    # The reason only (never the id_token): what an administrator needs to fix a registration.
    logger.info("LTI launch refused (%s): %s", error.status, error.reason)
    return render(request, "web/lti/refused.html", {"reason": error.reason}, status=error.status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def login_initiation(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    try:
        redirect = services.begin_login(
            {key: params.get(key, "") for key in params},
            redirect_uri=request.build_absolute_uri(reverse("web:lti-launch")),
        )
    except LaunchRefused as error:
        return _refused(request, error)
    response = HttpResponseRedirect(redirect.url)
    response.set_signed_cookie(
        STATE_COOKIE_PREFIX + redirect.state,
        redirect.state,
        salt=STATE_COOKIE_SALT,
        max_age=int(services.STATE_LIFETIME.total_seconds()),
        secure=True,  # SameSite=None requires Secure; browsers treat localhost as secure too
        httponly=True,
        samesite="None",
    )
    return response


def _browser_holds(request: HttpRequest, state: str) -> bool:
    if not state:
        return False
    held = request.get_signed_cookie(
        STATE_COOKIE_PREFIX + state,
        default=None,
        salt=STATE_COOKIE_SALT,
        max_age=int(services.STATE_LIFETIME.total_seconds()),
    )
    return held == state


def _landing(launch: services.Launch) -> str:
    if launch.message_type == DEEP_LINKING_REQUEST:
        return reverse("web:lti-deep-link")
    if launch.role is Role.STUDENT:
        return reverse("web:path", kwargs={"pk": launch.user.pk})
    if launch.section is not None and policy.can(
        launch.user, policy.Action.VIEW_SECTION_MASTERY, launch.section
    ):
        return reverse("web:section", kwargs={"pk": launch.section.pk})
    return reverse("web:teacher")


@csrf_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    state = request.POST.get("state", "")
    if request.POST.get("error"):
        reason = request.POST.get("error_description") or request.POST["error"]
        return _refused(request, LaunchRefused(f"the LMS reported an error: {reason}"[:300]))
    try:
        result = services.complete_launch(
            state=state,
            id_token=request.POST.get("id_token", ""),
            browser_bound=_browser_holds(request, state),
        )
    except LaunchRefused as error:
        response = _refused(request, error)
    else:
        login(request, result.user)  # a new session key: no session fixation through the LMS
        if result.deep_linking:
            request.session[DEEP_LINK_SESSION] = {
                "platform": result.platform.pk,
                "deployment_id": result.deployment_id,
                "settings": result.deep_linking,
            }
        response = HttpResponseRedirect(_landing(result))
    if state:
        response.delete_cookie(STATE_COOKIE_PREFIX + state, samesite="None")
    return response


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """Our public keys (never a private half), for platforms to check what we sign."""
    return JsonResponse(keys.public_jwks())


def _deep_link_context(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    pending = request.session.get(DEEP_LINK_SESSION)
    platform = queries.platform_by_id(int(pending["platform"])) if pending else None
    if not pending or platform is None:
        raise Http404("no deep linking request in progress")
    return pending, platform


@role_required(Role.TEACHER)
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest) -> HttpResponse:
    """The picker a teacher sees inside the LMS; posting it returns the chosen activities."""
    pending, platform = _deep_link_context(request)
    user = actor(request)
    activities = queries.pickable_activities(user, platform)
    settings_claim = pending["settings"]
    multiple = settings_claim.get("accept_multiple", True) is not False
    context = {"platform": platform, "activities": activities, "multiple": multiple, "error": ""}
    if request.method == "GET":
        return render(request, "web/lti/deep_link.html", context)
    chosen_ids = set(form_ids(request.POST.getlist("activity")))
    chosen = [a for a in activities if a.pk in chosen_ids]
    if len(chosen) != len(chosen_ids) or not chosen:
        context["error"] = "Choose at least one activity from the list."
        return render(request, "web/lti/deep_link.html", context, status=400)
    try:
        return_url, token = services.deep_link_response(
            teacher=user,
            platform=platform,
            deployment_id=pending["deployment_id"],
            settings_claim=settings_claim,
            activities=chosen,
            launch_url=request.build_absolute_uri(reverse("web:lti-launch")),
        )
    except ValueError as error:
        context["error"] = str(error)
        return render(request, "web/lti/deep_link.html", context, status=400)
    except policy.NotFound:
        raise Http404("activity not found") from None
    del request.session[DEEP_LINK_SESSION]
    response = render(
        request, "web/lti/deep_link_return.html", {"return_url": return_url, "jwt": token}
    )
    # Our strict CSP allows forms to post to ourselves only; this one goes back to the LMS.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(return_url))
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )
    return response
