"""Tomorrow's groups and stations: by block, by station, one-click moves, rosters and the board."""

from __future__ import annotations

import re
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathways.apps.access import audit, policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.evidence.services import EvidenceConflict
from pathways.apps.roster.models import Role, School
from pathways.apps.scheduling import queries, services
from pathways.apps.scheduling.models import DailySchedule, Modality
from pathways.web.views._common import actor, form_id, role_required

STAFF = (Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_ADMIN)
CODES = re.compile(r"\b(" + "|".join(Modality.values) + r")\b")
BUILD_SECONDS = 5.0


def _day(request: HttpRequest) -> date:
    raw = request.GET.get("day") or request.POST.get("day") or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return queries.next_school_day(timezone.localdate())


def _explain(refused: services.MoveRefused, student: User) -> str:
    """The engine's reasons in the page's words: names, modality labels, the rule number."""
    labels = dict(Modality.choices)
    parts = []
    for v in refused.violations[:3]:
        reason = CODES.sub(lambda m: labels[m.group(1)].lower(), v.reason)
        who = "" if v.subject == f"student {student.username}" else f"{v.subject}: "
        parts.append(f"{who}{reason} (rule {v.rule})")
    return "; ".join(parts)


def _school(user: User, pk: int) -> School:
    school = queries.school_by_id(pk)
    try:
        policy.require(user, Action.VIEW_SCHEDULE, school)
    except policy.NotFound:
        raise Http404("school not found") from None
    assert school is not None
    return school


def _schedule(user: User, pk: int) -> DailySchedule:
    schedule = queries.schedule_by_id(pk)
    try:
        policy.require(user, Action.VIEW_SCHEDULE, schedule.school if schedule else None)
    except policy.NotFound:
        raise Http404("schedule not found") from None
    assert schedule is not None
    return schedule


@role_required(*STAFF)
def schedule_home(request: HttpRequest) -> HttpResponse:
    schools = list(scopes.schedule_viewing_schools(actor(request)))
    if len(schools) == 1:
        return redirect("web:school-schedule", pk=schools[0].pk)
    return render(request, "web/schedule/home.html", {"schools": schools})


def _page(
    request: HttpRequest,
    school: School,
    day: date,
    *,
    message: str = "",
    refusal: str = "",
    block: int | None = None,
) -> HttpResponse:
    """The day's page; ``block``: show the message next to that block (after a move there)."""
    user = actor(request)
    schedule = queries.schedule_for(school, day)
    view = queries.schedule_view(schedule) if schedule is not None else None
    if view is not None and schedule is not None:
        audit.log_access(
            user,
            "view_schedule",
            schedule,
            students=[row.student for row in view.board],
            scope=f"school {school.pk}",
        )
    mode = request.GET.get("view", "block")
    return render(
        request,
        "web/schedule/page.html",
        {
            "school": school,
            "day": day,
            "schedule": schedule,
            "view": view,
            "mode": "station" if mode == "station" else "block",
            "can_manage": policy.can(user, Action.MANAGE_SCHEDULE, school),
            "message": message or request.session.pop("schedule_message", ""),
            "refusal": refusal,
            "feedback_block": block,
        },
    )


@role_required(*STAFF)
def school_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _school(actor(request), pk), _day(request))


@role_required(*STAFF)
@require_POST
def build(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    school = _school(user, pk)
    day = _day(request)
    try:
        schedule = services.build_schedule(user, school, day, time_limit=BUILD_SECONDS)
    except policy.NotFound:
        raise Http404("school not found") from None
    except services.ScheduleError as error:
        return _page(request, school, day, refusal=str(error))
    gap = f", {100 * schedule.gap:.1f}% from the bound" if schedule.gap is not None else ""
    request.session["schedule_message"] = (
        f"Schedule built in {schedule.seconds:.1f} s ({schedule.method}{gap})."
    )
    return redirect(f"{reverse('web:school-schedule', args=[pk])}?day={day.isoformat()}")


def _block_number(raw: str) -> int:
    """A block's number in the day from a form; ValueError (the page's 404) when it is not one."""
    if not (raw.isascii() and raw.isdecimal() and len(raw) <= 4):
        raise ValueError(f"not a block number: {raw[:20]!r}")
    return int(raw)


@role_required(*STAFF)
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one student in one block; refused moves show the broken rule and change nothing."""
    user = actor(request)
    schedule = _schedule(user, pk)
    try:
        student = queries.student_in(schedule, form_id(request.POST.get("student")) or 0)
        block = _block_number(request.POST.get("block", ""))
        group = queries.group_by_id(schedule, form_id(request.POST.get("group")) or 0)
    except ValueError:
        raise Http404("no such place") from None
    if student is None or group is None:
        raise Http404("no such place")
    try:
        moved = services.move_student(user, schedule, student, block, group)
    except policy.NotFound:
        raise Http404("no such place") from None
    except services.MoveRefused as refused:
        return _page(
            request,
            schedule.school,
            schedule.day,
            refusal=f"{student.display_name} was not moved: {_explain(refused, student)}.",
            block=block,
        )
    where = group.station.name if group.station else group.get_modality_display()
    return _page(
        request,
        schedule.school,
        schedule.day,
        message=f"{student.display_name} moved to {where} in block {block + 1} "
        f"(objective now {moved.objective:.1f}).",
        block=block,
    )


@role_required(*STAFF)
def move_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """Where one student could go in one block: one button per place (an htmx panel, or a page)."""
    user = actor(request)
    schedule = _schedule(user, pk)
    if not policy.can(user, Action.MANAGE_SCHEDULE, schedule.school):
        raise Http404("schedule not found")
    try:
        place = queries.place_of(
            schedule,
            form_id(request.GET.get("student")) or 0,
            _block_number(request.GET.get("block", "")),
        )
    except ValueError:
        raise Http404("no such place") from None
    if place is None:
        raise Http404("no such place")
    context = {
        "schedule": schedule,
        "place": place,
        "destinations": queries.destinations(schedule, place),
    }
    if request.headers.get("HX-Request"):
        return render(request, "web/schedule/_move_choices.html", context)
    return render(request, "web/schedule/move_choices.html", context)


@role_required(*STAFF)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    schedule = _schedule(user, pk)
    try:
        services.publish(user, schedule)
    except policy.NotFound:
        raise Http404("schedule not found") from None
    request.session["schedule_message"] = "Published: rosters and the board show this schedule."
    return redirect(
        f"{reverse('web:school-schedule', args=[schedule.school_id])}?day={schedule.day}"
    )


def _read(request: HttpRequest, pk: int, template: str) -> HttpResponse:
    user = actor(request)
    schedule = _schedule(user, pk)
    view = queries.schedule_view(schedule)
    audit.log_access(
        user,
        "view_schedule",
        schedule,
        students=[row.student for row in view.board],
        scope=f"school {schedule.school_id}",
    )
    return render(request, template, {"schedule": schedule, "view": view})


@role_required(*STAFF)
def rosters(request: HttpRequest, pk: int) -> HttpResponse:
    """One printable roster per station: who comes in which block, on what."""
    return _read(request, pk, "web/schedule/rosters.html")


@role_required(*STAFF)
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """The projectable "where do I go" board: first names and the station for each block."""
    return _read(request, pk, "web/schedule/board.html")


@role_required(*STAFF)
def exit_tickets(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    """A station's exit tickets, met or not yet, for the students the person may score; they
    feed the next schedule (re-teach, effectiveness per modality)."""
    user = actor(request)
    schedule = _schedule(user, pk)
    group = queries.group_by_id(schedule, group_pk)
    if group is None or not policy.can(user, Action.MANAGE_SCHEDULE, schedule.school):
        raise Http404("group not found")
    places = queries.group_places(group)
    scorable = queries.scorable_students(user, [p.student_id for p in places])
    if request.method == "POST":
        recorded = conflicts = 0
        for place in places:
            answer = request.POST.get(f"ticket-{place.pk}")
            if answer not in ("met", "not_yet") or place.student_id not in scorable:
                continue
            try:
                services.record_station_exit_ticket(user, place, correct=answer == "met")
                recorded += 1
            except EvidenceConflict:
                conflicts += 1
        note = f" ({conflicts} already recorded otherwise, kept)" if conflicts else ""
        plural = "" if recorded == 1 else "s"
        request.session["tickets_message"] = f"Recorded {recorded} exit ticket{plural}{note}."
        return redirect("web:schedule-tickets", pk=schedule.pk, group_pk=group.pk)
    audit.log_access(
        user,
        "view_schedule",
        schedule,
        students=[p.student for p in places],
        scope=f"school {schedule.school_id}",
    )
    done = queries.station_tickets(places)
    rows = [(p, p.student_id in scorable, done.get(p.pk)) for p in places]
    return render(
        request,
        "web/schedule/exit_tickets.html",
        {
            "schedule": schedule,
            "group": group,
            "rows": rows,
            "message": request.session.pop("tickets_message", ""),
        },
    )
