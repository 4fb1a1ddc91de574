"""The system for innovation: problems, PDSA cycles, the practice library, the district dashboard,
the teacher practice survey. Thin views: access, then the innovation app's queries and services."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathways.apps.access import policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.innovation import queries, services
from pathways.apps.innovation.models import (
    Competition,
    Cycle,
    Flexibility,
    Practice,
    SchoolCase,
)
from pathways.apps.roster.models import STAFF_ROLES, District, Role
from pathways.web.views._common import actor, form_id, form_ids, role_required


def _year(district: District) -> int:
    return queries.current_school_year(district, timezone.localdate())


def _district(user: User) -> District:
    district = queries.first_district(scopes.innovation_districts(user))
    if district is None:
        raise Http404("no district")
    return district


def _cycle(user: User, pk: int, action: Action = Action.VIEW_CYCLE) -> Cycle:
    cycle = queries.cycle_by_id(pk)
    try:
        policy.require(user, action, cycle)
    except policy.NotFound:
        raise Http404("cycle not found") from None
    assert cycle is not None
    return cycle


@role_required(*STAFF_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    district = _district(user)
    return render(
        request,
        "web/innovation/home.html",
        {
            "district": district,
            "goals": queries.goals(district),
            "problems": queries.problems(district, user)[:5],
            "cycles": queries.cycles(scopes.visible_cycles(user)),
            "can_run": scopes.teachable_sections(user).exists(),
            "is_admin": policy.can(user, Action.MANAGE_INNOVATION, district),
            "cases": queries.cases(district),
            "competitions": queries.competitions(district),
            "flexibilities": queries.flexibilities(list(scopes.led_schools(user))),
            "led": list(scopes.led_schools(user)),
        },
    )


@role_required(*STAFF_ROLES)
def problems(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    district = _district(user)
    error = ""
    if request.method == "POST":
        try:
            services.raise_problem(
                user,
                district,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
            )
            return redirect("web:innovation-problems")
        except ValueError as exc:
            error = str(exc)
    return render(
        request,
        "web/innovation/problems.html",
        {
            "district": district,
            "problems": queries.problems(district, user),
            "is_admin": policy.can(user, Action.MANAGE_INNOVATION, district),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_POST
@role_required(*STAFF_ROLES)
def problem_act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    user = actor(request)
    problem = queries.problem_by_id(pk)
    if problem is None:
        raise Http404("problem not found")
    try:
        if verb == "vote":
            services.vote(user, problem)
        elif verb == "discuss":
            services.discuss(user, problem, request.POST.get("body", ""))
        elif verb == "prioritize":
            services.prioritize(user, problem)
        else:
            raise Http404("unknown action")
    except policy.NotFound:
        raise Http404("problem not found") from None
    except ValueError:
        pass
    return redirect("web:innovation-problems")


@role_required(Role.TEACHER)
def cycle_new(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    district = _district(user)
    own = list(scopes.teachable_sections(user).select_related("school"))
    others = [
        s
        for s in scopes.comparison_sections(user).select_related("school")
        if s.pk not in {o.pk for o in own}
    ]
    error = ""
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            trying = queries.sections_by_id(form_ids(request.POST.getlist("trying")))
            comparison = queries.sections_by_id(form_ids(request.POST.getlist("comparison")))
            predicted = request.POST.get("predicted_difference", "").strip()
            problem_id = form_id(request.POST.get("problem"))
            item_id = form_id(request.POST.get("survey_item"))
            practice_id = form_id(request.POST.get("practice"))
            cycle = services.plan_cycle(
                user,
                title=request.POST.get("title", ""),
                change_idea=request.POST.get("change_idea", ""),
                prediction=request.POST.get("prediction", ""),
                predicted_difference=float(predicted) if predicted else None,
                measure=request.POST.get("measure", ""),
                trying=trying,
                comparison=comparison,
                start=date.fromisoformat(request.POST.get("start", "")),
                end=date.fromisoformat(request.POST.get("end", "")),
                problem=queries.problem_by_id(problem_id) if problem_id else None,
                survey_item=queries.survey_item_by_id(item_id) if item_id else None,
                practice=queries.practice_by_id(practice_id) if practice_id else None,
            )
            return redirect("web:cycle", pk=cycle.pk)
        except policy.NotFound:
            error = "You can try a change only in your own classes."
        except ValueError as exc:
            error = str(exc) or "Check the dates and numbers."
    return render(
        request,
        "web/innovation/cycle_new.html",
        {
            "own": own,
            "others": others,
            "measures": Cycle.Measure.choices,
            "problems": queries.problems(district, user),
            "survey_items": queries.survey_items(district),
            "practices": queries.practices(district),
            "error": error,
            "form": form,
        },
        status=400 if error else 200,
    )


@role_required(*STAFF_ROLES)
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    cycle = _cycle(user, pk)
    view = queries.cycle_view(cycle)
    return render(
        request,
        "web/innovation/cycle.html",
        {
            "view": view,
            "cycle": cycle,
            "result": cycle.result,
            "chart": queries.run_chart_data(cycle),
            "weekly_rows": queries.run_chart_rows(cycle),
            "can_edit": policy.can(user, Action.EDIT_CYCLE, cycle),
            "decisions": Cycle.Decision.choices,
            "spans": Practice.Span.choices,
            "error": request.session.pop("cycle_error", ""),
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def cycle_act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    user = actor(request)
    cycle = _cycle(user, pk, Action.EDIT_CYCLE)
    target = cycle
    try:
        if verb == "note":
            services.add_note(
                user, cycle, request.POST.get("body", ""), request.POST.get("link", "")
            )
        elif verb == "study":
            services.study_cycle(user, cycle)
        elif verb == "decide":
            fields = {
                k: request.POST.get(k, "")
                for k in ("title", "summary", "how_to", "materials", "look_fors", "subject")
            }
            fields["grade_span"] = request.POST.get("grade_span", "")
            codify = request.POST.get("codify") == "yes"
            _, made = services.decide(
                user,
                cycle,
                decision=request.POST.get("decision", ""),
                notes=request.POST.get("notes", ""),
                practice=fields if codify else None,
            )
            if isinstance(made, Cycle):
                target = made
            elif isinstance(made, Practice):
                return redirect("web:innovation-practice", pk=made.pk)
        else:
            raise Http404("unknown action")
    except ValueError as exc:
        request.session["cycle_error"] = str(exc)
    return redirect("web:cycle", pk=target.pk)


@role_required(*STAFF_ROLES)
def practices(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    district = _district(user)
    filters = {
        "q": request.GET.get("q", "").strip(),
        "span": request.GET.get("span", ""),
        "subject": request.GET.get("subject", "").strip(),
        "strength": request.GET.get("strength", ""),
    }
    problem = request.GET.get("problem", "")
    problem_id = form_id(problem)
    cards = queries.practice_library(
        district,
        text=filters["q"],
        grade_span=filters["span"],
        subject=filters["subject"],
        strength=filters["strength"],
        problem_id=problem_id,
    )
    return render(
        request,
        "web/innovation/practices.html",
        {
            "district": district,
            "cards": cards,
            "filters": {**filters, "problem": problem_id},
            "problems": queries.problems(district, user),
            "spans": Practice.Span.choices,
            "strengths": list(queries.STRENGTHS.items()),
        },
    )


@role_required(*STAFF_ROLES)
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    practice = queries.practice_by_id(pk)
    if practice is None or not policy.can(user, Action.JOIN_INNOVATION, practice.district):
        raise Http404("practice not found")
    card = queries.practice_card(practice)
    adopted = {s.pk for s in card.adopted_by}
    can_adopt = [
        s
        for s in scopes.led_schools(user).filter(district=practice.district)
        if s.pk not in adopted
    ]
    return render(
        request,
        "web/innovation/practice.html",
        {
            "card": card,
            "practice": practice,
            "can_adopt": can_adopt,
            "observers_of": list(scopes.led_schools(user).filter(district=practice.district)),
            "observations": queries.observations(practice),
            "look_for_counts": queries.look_for_counts(practice),
            "error": request.session.pop("practice_error", ""),
        },
    )


@require_POST
@role_required(Role.PRINCIPAL, Role.COACH, Role.DISTRICT_ADMIN)
def practice_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    practice = queries.practice_by_id(pk)
    school_id = request.POST.get("school", "")
    school = queries.school_by_id(form_id(school_id) or 0)
    if practice is None or school is None:
        raise Http404("not found")
    try:
        services.adopt_practice(user, practice, school)
    except policy.NotFound:
        raise Http404("not found") from None
    return redirect("web:innovation-practice", pk=practice.pk)


def _dashboard_data(user: User) -> tuple[District, queries.Dashboard]:
    district = queries.first_district(scopes.innovation_districts(user))
    if district is None or not policy.can(user, Action.VIEW_DISTRICT, district):
        raise Http404("no district")
    return district, queries.dashboard(district, today=timezone.localdate())


@role_required(Role.DISTRICT_ADMIN)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    district, board = _dashboard_data(user)
    year = _year(district)
    survey = queries.survey_comparison(district, year)
    return render(
        request,
        "web/innovation/dashboard.html",
        {
            "district": district,
            "board": board,
            "cohorts": queries.cohorts(district, year),
            "survey": survey,
            "school_year": year,
            "share_chart": {
                "labels": ["Now", "Target, year one", "Target, year four"],
                "datasets": [
                    {
                        "label": "% of students",
                        "data": [
                            board.share_percent,
                            100 * board.targets["year one"],
                            100 * board.targets["year four"],
                        ],
                    }
                ],
            },
            "growth_chart": {
                "labels": [s.name for s, _, _ in board.growth],
                "datasets": [
                    {
                        "label": "Standards mastered per student, last 28 days",
                        "data": [g for _, _, g in board.growth],
                    }
                ],
            },
            "survey_chart": {
                "labels": [
                    f"{r.item.text}{' *' if r.comparison.significant else ''}" for r in survey
                ],
                "datasets": [
                    {
                        "label": "Our teachers (% top two)",
                        "data": [round(100 * r.comparison.share, 1) for r in survey],
                    },
                    {
                        "label": "Benchmark (% top two)",
                        "data": [round(100 * r.comparison.benchmark_share, 1) for r in survey],
                    },
                ],
                "horizontal": True,
            },
        },
    )


@role_required(Role.DISTRICT_ADMIN)
def dashboard_csv(request: HttpRequest, name: str) -> HttpResponse:
    """The numbers behind each dashboard chart, as CSV."""
    user = actor(request)
    district, board = _dashboard_data(user)
    out = io.StringIO()
    writer = csv.writer(out)
    if name == "personalized":
        writer.writerow(
            ["students", "in_personalized_models", "share", "target_year_one", "target_year_four"]
        )
        writer.writerow(
            [board.students, board.personalized, round(board.share, 4), *board.targets.values()]
        )
    elif name == "growth":
        writer.writerow(["school", "students", "standards_mastered_per_student_last_28_days"])
        writer.writerows([s.name, n, g] for s, n, g in board.growth)
    elif name == "adoption":
        writer.writerow(["practice", "schools_adopting"])
        writer.writerows([p.title, n] for p, n in board.adoption)
    elif name == "survey":
        writer.writerow(
            [
                "item_id",
                "item",
                "n",
                "share",
                "benchmark_n",
                "benchmark_share",
                "difference",
                "p_value",
                "p_holm",
                "significant",
            ]
        )
        for row in queries.survey_comparison(district, _year(district)):
            c = row.comparison
            writer.writerow(
                [
                    c.item_id,
                    row.item.text,
                    c.n,
                    round(c.share, 4),
                    c.benchmark_n,
                    round(c.benchmark_share, 4),
                    round(c.difference, 4),
                    round(c.p_value, 6),
                    round(c.p_holm, 6),
                    c.significant,
                ]
            )
    else:
        raise Http404("unknown table")
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@role_required(Role.TEACHER)
def survey(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    district = _district(user)
    items = queries.survey_items(district)
    year = _year(district)
    message, error = "", ""
    if request.method == "POST":
        answers = {i.code: request.POST.get(i.code, "") for i in items}
        try:
            services.answer_survey(
                user,
                district,
                school_year=year,
                answers={k: v for k, v in answers.items() if v},
            )
            message = "Thank you: your answers are saved."
        except (ValueError, policy.NotFound) as exc:
            error = str(exc)
    return render(
        request,
        "web/innovation/survey.html",
        {
            "items": items,
            "answers": queries.my_answers(user, district, year),
            "message": message,
            "error": error,
            "school_year": year,
        },
        status=400 if error else 200,
    )


@require_POST
@role_required(Role.PRINCIPAL, Role.COACH, Role.DISTRICT_ADMIN)
def practice_observe(request: HttpRequest, pk: int) -> HttpResponse:
    """A coach records which look-fors of a practice they saw in a class of their school."""
    user = actor(request)
    practice = queries.practice_by_id(pk)
    school_id = request.POST.get("school", "")
    school = queries.school_by_id(form_id(school_id) or 0)
    if practice is None or school is None:
        raise Http404("not found")
    try:
        services.observe(
            user,
            practice,
            school,
            seen=request.POST.getlist("seen"),
            vision_link=request.POST.get("vision_link", ""),
            notes=request.POST.get("notes", ""),
        )
    except policy.NotFound:
        raise Http404("not found") from None
    except ValueError as exc:
        request.session["practice_error"] = str(exc)
    return redirect("web:innovation-practice", pk=practice.pk)


def _competition(user: User, pk: int) -> Competition:
    competition = queries.competition_by_id(pk)
    if competition is None or not policy.can(user, Action.JOIN_INNOVATION, competition.district):
        raise Http404("competition not found")
    return competition


@role_required(*STAFF_ROLES)
def competition(request: HttpRequest, pk: int) -> HttpResponse:
    """A design competition: proposals ranked by reviewers' rubric totals, reviewer agreement."""
    user = actor(request)
    found = _competition(user, pk)
    result = queries.competition_result(found)
    return render(
        request,
        "web/innovation/competition.html",
        {
            "result": result,
            "competition": found,
            "scale": list(range(1, found.max_score + 1)),
            "can_propose": list(scopes.led_schools(user).filter(district=found.district)),
            "mine": queries.my_reviews(user, found),
            "error": request.session.pop("competition_error", ""),
        },
    )


@require_POST
@role_required(Role.PRINCIPAL, Role.COACH, Role.DISTRICT_ADMIN)
def competition_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    found = _competition(user, pk)
    school_id = request.POST.get("school", "")
    school = queries.school_by_id(form_id(school_id) or 0)
    if school is None:
        raise Http404("school not found")
    try:
        services.propose(
            user,
            found,
            school,
            title=request.POST.get("title", ""),
            summary=request.POST.get("summary", ""),
        )
    except policy.NotFound:
        raise Http404("school not found") from None
    except ValueError as exc:
        request.session["competition_error"] = str(exc)
    return redirect("web:competition", pk=found.pk)


@require_POST
@role_required(*STAFF_ROLES)
def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    proposal = queries.proposal_by_id(pk)
    if proposal is None:
        raise Http404("proposal not found")
    found = _competition(user, proposal.competition_id)
    scores = {}
    for criterion in found.criteria:
        value = request.POST.get(f"score-{found.criteria.index(criterion)}", "")
        scores[criterion] = form_id(value) or 0
    try:
        services.review(user, proposal, scores=scores, comment=request.POST.get("comment", ""))
    except ValueError as exc:
        request.session["competition_error"] = str(exc)
    return redirect("web:competition", pk=found.pk)


def _float(value: str, default: float = -1.0) -> float:
    try:
        return float(value)
    except ValueError:
        return default


@role_required(Role.PRINCIPAL, Role.COACH, Role.DISTRICT_ADMIN)
def school_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A school's case, readiness this year, flexibilities and waivers: for its leaders."""
    user = actor(request)
    school = queries.school_by_id(pk)
    try:
        policy.require(user, Action.LEAD_INNOVATION, school)
    except policy.NotFound:
        raise Http404("school not found") from None
    assert school is not None
    year = _year(school.district)
    error = ""
    if request.method == "POST":
        form = request.POST
        part = form.get("part", "")
        try:
            if part == "case":
                services.describe_school(
                    user,
                    school,
                    grade_span=form.get("grade_span", ""),
                    english_learner_share=_float(form.get("english_learner_percent", "")) / 100,
                    setting=form.get("setting", ""),
                    prior_personalization=form.get("prior_personalization", ""),
                    notes=form.get("notes", ""),
                )
            elif part == "readiness":
                services.record_readiness(
                    user,
                    school,
                    school_year=year,
                    principal_committed=form.get("principal_committed") == "yes",
                    staff_stability=_float(form.get("stability_percent", "")) / 100,
                    collaboration_minutes=int(_float(form.get("collaboration_minutes", ""))),
                    sharing_norms=form.get("sharing_norms") == "yes",
                )
            elif part == "flexibility":
                services.record_flexibility(
                    user,
                    school,
                    kind=form.get("kind", ""),
                    rule=form.get("rule", ""),
                    description=form.get("description", ""),
                    status=form.get("status", ""),
                )
            else:
                raise ValueError("unknown form")
            return redirect("web:innovation-school", pk=school.pk)
        except ValueError as exc:
            error = str(exc)
    view = queries.school_view(school, year)
    return render(
        request,
        "web/innovation/school.html",
        {
            "school": school,
            "view": view,
            "school_year": year,
            "settings": SchoolCase.Setting.choices,
            "priors": SchoolCase.Prior.choices,
            "kinds": Flexibility.Kind.choices,
            "statuses": Flexibility.Status.choices,
            "error": error,
        },
        status=400 if error else 200,
    )


@role_required(*STAFF_ROLES)
def communities(request: HttpRequest) -> HttpResponse:
    """Communities of practice across schools; any staff member starts one."""
    user = actor(request)
    district = _district(user)
    error = ""
    if request.method == "POST":
        try:
            found = services.start_community(
                user,
                district,
                name=request.POST.get("name", ""),
                purpose=request.POST.get("purpose", ""),
            )
            return redirect("web:community", pk=found.pk)
        except ValueError as exc:
            error = str(exc)
    return render(
        request,
        "web/innovation/communities.html",
        {"communities": queries.communities(district), "error": error},
        status=400 if error else 200,
    )


@role_required(*STAFF_ROLES)
def community(request: HttpRequest, pk: int) -> HttpResponse:
    """Members and their schools, shared practices, threaded discussion; join, share, post."""
    user = actor(request)
    found = queries.community_by_id(pk)
    if found is None or not policy.can(user, Action.JOIN_INNOVATION, found.district):
        raise Http404("community not found")
    error = ""
    if request.method == "POST":
        verb = request.POST.get("verb", "")
        try:
            if verb == "join":
                services.join_community(user, found)
            elif verb == "share":
                practice_id = form_id(request.POST.get("practice"))
                practice = queries.practice_by_id(practice_id) if practice_id else None
                if practice is None:
                    raise Http404("practice not found")
                services.share_practice(user, found, practice)
            elif verb == "post":
                parent_id = request.POST.get("parent", "")
                parent = queries.post_by_id(form_id(parent_id) or 0)
                services.post(user, found, request.POST.get("body", ""), parent=parent)
            else:
                raise ValueError("unknown action")
            return redirect("web:community", pk=found.pk)
        except policy.NotFound:
            raise Http404("not found") from None
        except ValueError as exc:
            error = str(exc)
    return render(
        request,
        "web/innovation/community.html",
        {
            "view": queries.community_view(found, user),
            "library": queries.practice_library(found.district),
            "error": error,
        },
        status=400 if error else 200,
    )
