"""Writes for LTI 1.3: login initiation, launches, deep linking responses and the score outbox.

Who a launch signs in (the documented matching rule, in order):

1. an existing link of the platform's ``sub`` to a Pathways account (:class:`LmsAccount`);
2. the LIS ``person_sourcedid`` equal to the account's OneRoster sourcedId;
3. the ``email`` claim equal to exactly one account's email.

Rules 2 and 3 only match people who hold an active role in the platform's district, and a match is
remembered as a link. Nobody is created: an unmatched person gets a refusal that says what to do.
The LMS role must agree with the account: an Instructor must be a Pathways teacher, a Learner a
Pathways student (an LMS can never raise anyone's rights here).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone

from pathways.apps.access import policy
from pathways.apps.access.policy import Action
from pathways.apps.access.roles import roles_of
from pathways.apps.accounts.models import User
from pathways.apps.activities.models import Activity
from pathways.apps.evidence.models import Evidence
from pathways.apps.lti import http, keys
from pathways.apps.lti import queries as lti_queries
from pathways.apps.lti.models import (
    GradeTarget,
    LaunchState,
    LineItem,
    LmsAccount,
    LmsContext,
    Platform,
    ResourceLink,
    ScoreOutbox,
)
from pathways.apps.lti.tokens import (
    AGS_ENDPOINT,
    CONTEXT,
    CUSTOM,
    DEEP_LINKING_REQUEST,
    DEEP_LINKING_SETTINGS,
    DEPLOYMENT_ID,
    LIS,
    MESSAGE_TYPE,
    RESOURCE_LINK,
    ROLES,
    SCORE_SCOPE,
    LaunchRefused,
    validate_id_token,
)
from pathways.apps.paths.models import MasteryCheck
from pathways.apps.roster.models import Membership, Role, Section

STATE_LIFETIME = timedelta(minutes=10)
ACTIVITY_CUSTOM = "pathways_activity"  # custom parameter deep linking puts on the links it makes

_INSTRUCTOR = {"Instructor", "TeachingAssistant", "ContentDeveloper", "Mentor"}
_LEARNER = {"Learner", "Student"}


# ---------------------------------------------------------------------------------------------
# Login initiation


@dataclass(frozen=True)
class LoginRedirect:
    url: str
    state: str


def begin_login(params: dict[str, str], *, redirect_uri: str) -> LoginRedirect:
    """Third-party login initiation: a fresh state/nonce, and where to send the browser next."""
    issuer = params.get("iss", "")
    login_hint = params.get("login_hint", "")
    if not issuer or not login_hint or not params.get("target_link_uri"):
        raise LaunchRefused("login initiation needs iss, login_hint and target_link_uri")
    platform = lti_queries.platform_for(issuer, params.get("client_id", ""))
    if platform is None:
        raise LaunchRefused("this LMS is not registered with Pathways (unknown iss or client_id)")
    deployment = params.get("lti_deployment_id", "")
    if deployment and deployment not in platform.deployment_ids:
        raise LaunchRefused(f"deployment {deployment!r} is not registered for {platform.name}")
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    LaunchState.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    LaunchState.objects.create(
        state=state, nonce=nonce, platform=platform, expires_at=timezone.now() + STATE_LIFETIME
    )
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": login_hint,
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return LoginRedirect(url=f"{platform.auth_login_url}{separator}{urlencode(query)}", state=state)


# ---------------------------------------------------------------------------------------------
# Launch


@dataclass
class Launch:
    user: User
    role: Role
    platform: Platform
    message_type: str
    deployment_id: str
    section: Section | None = None
    link: ResourceLink | None = None
    deep_linking: dict[str, Any] = field(default_factory=dict)


def _consume_state(state: str, browser_bound: bool) -> LaunchState:
    if not state:
        raise LaunchRefused("the launch has no state: start it again from the LMS")
    if not browser_bound:
        raise LaunchRefused("the launch state does not belong to this browser: start it again")
    now = timezone.now()
    # One UPDATE both checks and spends the state, so two racing posts cannot both pass.
    spent = LaunchState.objects.filter(state=state, used_at__isnull=True, expires_at__gt=now)
    if spent.update(used_at=now) != 1:
        raise LaunchRefused("this launch was already used or has expired: start it again")
    return LaunchState.objects.select_related("platform").get(state=state)


def lms_role(roles: list[str]) -> Role | None:
    """Instructor-like LIS roles -> teacher, Learner -> student (full URIs or short forms)."""
    names = {role.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for role in roles}
    if names & _INSTRUCTOR:
        return Role.TEACHER
    if names & _LEARNER:
        return Role.STUDENT
    return None


def _in_district(platform: Platform) -> Any:
    return Membership.objects.filter(district=platform.district, active=True).values("user")


def _identify(platform: Platform, claims: dict[str, Any]) -> tuple[User, str] | None:
    # Every rule (a stored link too) only finds active people who still belong to the district.
    people = User.objects.filter(is_active=True, pk__in=_in_district(platform))
    linked = LmsAccount.objects.filter(
        platform=platform, subject=claims["sub"], user__in=people
    ).first()
    if linked is not None:
        return linked.user, linked.matched_by
    lis = claims.get(LIS) if isinstance(claims.get(LIS), dict) else {}
    sourced_id = lis.get("person_sourcedid") if isinstance(lis, dict) else None
    if isinstance(sourced_id, str) and sourced_id:
        match = people.filter(sourced_id=sourced_id).first()
        if match is not None:
            return match, "sourcedid"
    email = claims.get("email")
    if isinstance(email, str) and "@" in email:
        matches = list(people.filter(email__iexact=email.strip())[:2])
        if len(matches) == 1:
            return matches[0], "email"
    return None


def _context(platform: Platform, claims: dict[str, Any]) -> LmsContext | None:
    raw = claims.get(CONTEXT)
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    context, _ = LmsContext.objects.get_or_create(
        platform=platform, context_id=raw["id"], defaults={"title": str(raw.get("title", ""))[:255]}
    )
    lis = claims.get(LIS)
    section_sid = lis.get("course_section_sourcedid") if isinstance(lis, dict) else None
    if context.section_id is None and isinstance(section_sid, str) and section_sid:
        # Documented rule: the LMS course's section sourcedId names the Pathways class.
        section = Section.objects.filter(
            sourced_id=section_sid, school__district=platform.district
        ).first()
        if section is not None:
            context.section = section
            context.save(update_fields=["section"])
    return context


def _resource_link(
    platform: Platform, claims: dict[str, Any], context: LmsContext | None
) -> ResourceLink | None:
    raw = claims.get(RESOURCE_LINK)
    if not isinstance(raw, dict):
        return None
    link, _ = ResourceLink.objects.update_or_create(
        platform=platform,
        link_id=raw["id"],
        defaults={
            "deployment_id": claims[DEPLOYMENT_ID],
            "context": context,
            "title": str(raw.get("title", ""))[:255],
        },
    )
    custom = claims.get(CUSTOM)
    activity_id = custom.get(ACTIVITY_CUSTOM) if isinstance(custom, dict) else None
    if link.activity_id is None and isinstance(activity_id, str) and activity_id.isdigit():
        link.activity = Activity.objects.filter(
            pk=int(activity_id), district=platform.district
        ).first()
        link.save(update_fields=["activity"])
    ags = claims.get(AGS_ENDPOINT)
    if isinstance(ags, dict) and isinstance(ags.get("lineitem"), str):
        LineItem.objects.update_or_create(
            link=link,
            defaults={"url": ags["lineitem"], "scopes": list(ags.get("scope") or [])},
        )
    return link


def complete_launch(*, state: str, id_token: str, browser_bound: bool) -> Launch:
    """Check a launch fully and return who to sign in where; raise :class:`LaunchRefused` if not.

    The state is spent (its own UPDATE) before the token is checked, so a refused launch cannot be
    tried again with it; a re-fetched JWKS stays cached. The writes after the checks are atomic.
    """
    launch_state = _consume_state(state, browser_bound)
    platform = launch_state.platform
    if not platform.active:
        raise LaunchRefused(f"{platform.name} is switched off in Pathways")
    claims = validate_id_token(platform, id_token)
    if not secrets.compare_digest(str(claims["nonce"]), launch_state.nonce):
        raise LaunchRefused("the id_token's nonce does not match this launch")
    if claims[DEPLOYMENT_ID] not in platform.deployment_ids:
        raise LaunchRefused(f"deployment {claims[DEPLOYMENT_ID]!r} is not registered")
    role = lms_role(claims[ROLES])
    if role is None:
        raise LaunchRefused(
            "Pathways opens for instructors and learners only; your LMS role is neither", 403
        )
    found = _identify(platform, claims)
    if found is None:
        raise LaunchRefused(
            "your LMS account is not linked to a Pathways account: ask your district's Pathways "
            "administrator to link it (the same email or roster id in both systems links it)",
            403,
        )
    user, matched_by = found
    if not user.is_active or role not in roles_of(user):
        raise LaunchRefused(
            f"the LMS says you are a {role.label.lower()}, but your Pathways account is not", 403
        )
    if claims[MESSAGE_TYPE] == DEEP_LINKING_REQUEST and role is not Role.TEACHER:
        raise LaunchRefused("only teachers can add Pathways activities to a course", 403)
    with transaction.atomic():
        return _record_launch(platform, claims, user, role, matched_by)


def _record_launch(
    platform: Platform, claims: dict[str, Any], user: User, role: Role, matched_by: str
) -> Launch:
    account, _ = LmsAccount.objects.update_or_create(
        platform=platform,
        subject=claims["sub"],
        defaults={"user": user, "matched_by": matched_by, "last_launch_at": timezone.now()},
    )
    context = _context(platform, claims)
    launch = Launch(
        user=user,
        role=role,
        platform=platform,
        message_type=claims[MESSAGE_TYPE],
        deployment_id=claims[DEPLOYMENT_ID],
    )
    section = context.section if context is not None else None
    if section is not None and policy.can(user, Action.VIEW_SECTION, section):
        launch.section = section
    if launch.message_type == DEEP_LINKING_REQUEST:
        launch.deep_linking = dict(claims[DEEP_LINKING_SETTINGS])
        return launch
    launch.link = _resource_link(platform, claims, context)
    line_item = LineItem.objects.filter(link=launch.link).first()
    if role is Role.STUDENT and line_item is not None and SCORE_SCOPE in line_item.scopes:
        GradeTarget.objects.get_or_create(account=account, line_item=line_item)
    return launch


# ---------------------------------------------------------------------------------------------
# Deep linking


def deep_link_response(
    *,
    teacher: User,
    platform: Platform,
    deployment_id: str,
    settings_claim: dict[str, Any],
    activities: list[Activity],
    launch_url: str,
) -> tuple[str, str]:
    """(return URL, signed JWT) carrying one ltiResourceLink per chosen activity."""
    allowed = {a.pk for a in lti_queries.pickable_activities(teacher, platform)}
    if not activities or any(a.pk not in allowed for a in activities):
        raise policy.NotFound("activity not in this district's library")
    if settings_claim.get("accept_multiple") is False and len(activities) > 1:
        raise ValueError("this LMS accepts one activity at a time")
    items: list[dict[str, Any]] = [
        {
            "type": "ltiResourceLink",
            "title": activity.title,
            "text": activity.description[:500],
            "url": launch_url,
            "custom": {ACTIVITY_CUSTOM: str(activity.pk)},
            "lineItem": {"scoreMaximum": 100, "label": activity.title},
        }
        for activity in activities
    ]
    targets = settings_claim.get("accept_presentation_document_targets")
    if not isinstance(targets, list) or "window" in targets:
        # Pathways pages refuse to be framed (X-Frame-Options DENY): ask for a new window.
        for item in items:
            item["window"] = {"targetName": "_blank"}
    claims: dict[str, Any] = {
        "iss": platform.client_id,
        "aud": platform.issuer,
        "azp": platform.client_id,
        "nonce": secrets.token_urlsafe(16),
        MESSAGE_TYPE: "LtiDeepLinkingResponse",
        "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
        DEPLOYMENT_ID: deployment_id,
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": items,
    }
    if "data" in settings_claim:
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = settings_claim["data"]
    return str(settings_claim["deep_link_return_url"]), keys.sign(claims)


# ---------------------------------------------------------------------------------------------
# Assignment and Grade Services: the score outbox

MAX_ATTEMPTS = 8
_PERMANENT = {400, 403, 404, 405, 410, 422}  # the platform will never take this score


def queue_check_scores(check: MasteryCheck) -> int:
    """Queue a finished mastery check for every graded LMS link of an activity on its standard."""
    if check.state != MasteryCheck.State.DONE:
        return 0
    targets = GradeTarget.objects.filter(
        account__user_id=check.student_id,
        line_item__link__activity__standards=check.standard_id,
    ).distinct()
    answers = Evidence.objects.filter(
        student_id=check.student_id,
        kind=Evidence.Kind.MASTERY_CHECK,
        response__check=str(check.pk),
    )
    correct = answers.filter(correct=True).count()
    total = len(check.item_ids) or 1
    occurred = check.completed_at or timezone.now()
    queued = 0
    for target in targets:
        _, created = ScoreOutbox.objects.get_or_create(
            target=target,
            source=f"check:{check.pk}",
            defaults={
                "student_id": check.student_id,
                "score_given": float(correct),
                "score_maximum": float(total),
                "comment": f"Mastery check on {check.standard}: {correct} of {total} correct",
                "occurred_at": occurred,
                "next_attempt_at": timezone.now(),
            },
        )
        queued += int(created)
    return queued


def scores_url(line_item_url: str) -> str:
    """The AGS scores endpoint of a line item: '/scores' after its path, query kept."""
    parts = urlsplit(line_item_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def access_token(platform: Platform, scope: str = SCORE_SCOPE) -> str:
    """An AGS access token: client-credentials grant with a signed JWT assertion (RFC 7523)."""
    if not platform.token_url:
        raise http.PlatformUnreachable(platform.issuer, "no token URL registered")
    assertion = keys.sign(
        {"iss": platform.client_id, "sub": platform.client_id, "aud": platform.token_url}
    )
    answer = http.post_form(
        platform.token_url,
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": scope,
        },
    )
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise http.PlatformUnreachable(platform.token_url, "no access_token in the answer")
    return token


@dataclass
class Flushed:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _score_body(row: ScoreOutbox) -> dict[str, Any]:
    return {
        "userId": row.target.account.subject,
        "scoreGiven": row.score_given,
        "scoreMaximum": row.score_maximum,
        "comment": row.comment,
        "timestamp": row.occurred_at.isoformat(),
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
    }


def _failed(
    row: ScoreOutbox, error: http.PlatformUnreachable, report: Flushed, *, permanent: bool
) -> None:
    row.attempts += 1
    row.last_error = str(error)[:500]
    report.errors.append(f"{row.source}: {error}")
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.state = ScoreOutbox.State.FAILED
        report.failed += 1
    else:
        row.next_attempt_at = timezone.now() + timedelta(minutes=2**row.attempts)
        report.retrying += 1
    row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])


def flush_scores(*, limit: int = 200) -> Flushed:
    """Send due scores; each failure is retried later with backoff, then given up (and reported)."""
    report = Flushed()
    tokens: dict[int, str] = {}
    for row in lti_queries.due_scores(limit):
        platform = row.target.line_item.link.platform
        try:
            if platform.pk not in tokens:
                tokens[platform.pk] = access_token(platform)
        except http.PlatformUnreachable as error:
            # A refused token is usually registration to fix (our JWKS URL, scopes): retry later.
            _failed(row, error, report, permanent=False)
            continue
        try:
            http.post_json(
                scores_url(row.target.line_item.url),
                _score_body(row),
                content_type="application/vnd.ims.lis.v1.score+json",
                bearer=tokens[platform.pk],
            )
        except http.PlatformUnreachable as error:
            _failed(row, error, report, permanent=error.status in _PERMANENT)
            continue
        row.state = ScoreOutbox.State.SENT
        row.sent_at = timezone.now()
        row.attempts += 1
        row.last_error = ""
        row.save(update_fields=["state", "sent_at", "attempts", "last_error"])
        report.sent += 1
    return report


# ---------------------------------------------------------------------------------------------
# Registration (CLI and admin)


def register_platform(
    *,
    name: str,
    district_id: int,
    issuer: str,
    client_id: str,
    auth_login_url: str,
    token_url: str,
    jwks_url: str,
    deployment_ids: list[str],
) -> Platform:
    """Register (or update) an LMS by issuer and client id; invalid fields raise ValidationError."""
    platform = Platform.objects.filter(issuer=issuer, client_id=client_id).first() or Platform(
        issuer=issuer, client_id=client_id
    )
    platform.name = name
    platform.district_id = district_id
    platform.auth_login_url = auth_login_url
    platform.token_url = token_url
    platform.jwks_url = jwks_url
    platform.deployment_ids = deployment_ids
    platform.active = True
    platform.full_clean()  # before saving: a bad URL never reaches the table
    platform.save()
    return platform
