"""Practice across schools in the API: observations against look-fors, design competitions and
communities of practice (members, shared practices, threaded discussion).

Same rules as the pages (``access.policy``): a practice, competition, proposal or community of a
district the caller is not staff of answers 404, exactly like a missing one; so does a write the
caller may not make (observing or proposing for a school they do not lead, opening a competition
without administering the district). 409 answers a request the record's state refuses (a look-for
the practice does not list, a class of another school, scoring one's own school's proposal,
posting before joining).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from pathways.api.v1._access import caller
from pathways.api.v1.schemas import SOME_TEXT, Error, ValidationErrorOut
from pathways.apps.access import policy, scopes
from pathways.apps.access.policy import Action
from pathways.apps.accounts.models import User
from pathways.apps.innovation import queries, services
from pathways.apps.innovation.models import Community, Competition, Observation, Practice
from pathways.apps.roster.models import District

router = Router(tags=["innovation"])
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Text = Annotated[str, Field(min_length=1, max_length=5000, pattern=SOME_TEXT)]
WRITE = {400: Error, 401: Error, 404: Error, 409: Error, 422: ValidationErrorOut}
READ = {401: Error, 404: Error, 422: ValidationErrorOut}


def _district(actor: User) -> District:
    district = queries.first_district(scopes.innovation_districts(actor))
    if district is None:
        raise policy.NotFound("district not found")
    return district


def _joined(actor: User, district: District) -> None:
    policy.require(actor, Action.JOIN_INNOVATION, district)


# Observations ----------------------------------------------------------------------------------


class ObservationIn(Schema):
    school: Id
    section: Id | None = None
    seen: list[Annotated[str, Field(max_length=300)]] = Field(default=[], max_length=50)
    vision_link: str = Field(default="", max_length=5000)
    notes: str = Field(default="", max_length=5000)


class ObservationOut(Schema):
    id: int
    practice: int
    school: int
    section: int | None
    observer: str
    seen: list[str]
    vision_link: str
    notes: str
    at: datetime


class LookForOut(Schema):
    look_for: str
    seen: int
    observations: int


class ObservationsOut(Schema):
    practice: int
    look_fors: list[LookForOut]
    observations: list[ObservationOut]


def _practice(actor: User, pk: int) -> Practice:
    practice = queries.practice_by_id(pk)
    if practice is None:
        raise policy.NotFound("practice not found")
    _joined(actor, practice.district)
    return practice


def _observation_out(o: Observation) -> dict[str, object]:
    return {
        "id": o.pk,
        "practice": o.practice_id,
        "school": o.school_id,
        "section": o.section_id,
        "observer": o.observer.display_name if o.observer else "",
        "seen": list(o.seen),
        "vision_link": o.vision_link,
        "notes": o.notes,
        "at": o.at,
    }


@router.get(
    "/innovation/practices/{practice_id}/observations",
    response={200: ObservationsOut, **READ},
    summary="Observations of a practice and how often each look-for was seen",
)
def list_observations(request: HttpRequest, practice_id: Id) -> dict[str, object]:
    practice = _practice(caller(request), practice_id)
    return {
        "practice": practice.pk,
        "look_fors": [
            {"look_for": item, "seen": seen, "observations": total}
            for item, seen, total in queries.look_for_counts(practice)
        ],
        "observations": [_observation_out(o) for o in queries.observations(practice)],
    }


@router.post(
    "/innovation/practices/{practice_id}/observations",
    response={201: ObservationOut, **WRITE},
    summary="A coach or principal records the look-fors seen in a class of their school",
)
def observe(request: HttpRequest, practice_id: Id, body: ObservationIn) -> Status[object]:
    actor = caller(request)
    practice = _practice(actor, practice_id)
    school = queries.school_by_id(body.school)
    if school is None:
        raise policy.NotFound("school not found")
    policy.require(actor, Action.LEAD_INNOVATION, school)
    section = None
    if body.section is not None:
        found = queries.sections_by_id([body.section])
        if not found:
            raise policy.NotFound("class not found")
        section = found[0]
    try:
        observation = services.observe(
            actor,
            practice,
            school,
            seen=body.seen,
            section=section,
            vision_link=body.vision_link,
            notes=body.notes,
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _observation_out(observation))


# Design competitions ---------------------------------------------------------------------------


class CompetitionIn(Schema):
    title: str = Field(min_length=1, max_length=200, pattern=SOME_TEXT)
    criteria: list[Annotated[str, Field(min_length=1, max_length=200, pattern=SOME_TEXT)]] = Field(
        min_length=1, max_length=20
    )
    closes_on: date
    max_score: int = Field(default=4, ge=2, le=10)


class CompetitionOut(Schema):
    id: int
    title: str
    criteria: list[str]
    max_score: int
    closes_on: date


class StandingOut(Schema):
    proposal: int
    title: str
    school: str
    rank: int
    mean_total: float
    reviewers: int


class CompetitionResultOut(CompetitionOut):
    standings: list[StandingOut]
    agreement: float | None = Field(
        description="Kendall's W over reviewers who scored every proposal (null: fewer than two)"
    )
    reviewers: int


class ProposalIn(Schema):
    school: Id
    title: str = Field(min_length=1, max_length=200, pattern=SOME_TEXT)
    summary: Text


class ProposalOut(Schema):
    id: int
    competition: int
    school: int
    title: str
    summary: str


class ReviewIn(Schema):
    scores: dict[Annotated[str, Field(max_length=200)], Annotated[int, Field(ge=1, le=10)]] = Field(
        description="Every criterion of the rubric, scored 1 to the competition's max_score"
    )
    comment: str = Field(default="", max_length=5000)


class ReviewOut(Schema):
    proposal: int
    scores: dict[str, int]
    total: int
    comment: str


def _competition_out(c: Competition) -> dict[str, object]:
    return {
        "id": c.pk,
        "title": c.title,
        "criteria": list(c.criteria),
        "max_score": c.max_score,
        "closes_on": c.closes_on,
    }


def _competition(actor: User, pk: int) -> Competition:
    competition = queries.competition_by_id(pk)
    if competition is None:
        raise policy.NotFound("competition not found")
    _joined(actor, competition.district)
    return competition


@router.get(
    "/innovation/competitions",
    response={200: list[CompetitionOut], **READ},
    summary="The district's design competitions",
)
def list_competitions(request: HttpRequest) -> list[dict[str, object]]:
    return [_competition_out(c) for c in queries.competitions(_district(caller(request)))]


@router.post(
    "/innovation/competitions",
    response={201: CompetitionOut, **WRITE},
    summary="Open a design competition with a rubric (district administrators)",
)
def open_competition(request: HttpRequest, body: CompetitionIn) -> Status[object]:
    actor = caller(request)
    district = _district(actor)
    policy.require(actor, Action.MANAGE_INNOVATION, district)
    try:
        competition = services.open_competition(
            actor,
            district,
            title=body.title,
            criteria=body.criteria,
            closes_on=body.closes_on,
            max_score=body.max_score,
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _competition_out(competition))


@router.get(
    "/innovation/competitions/{competition_id}",
    response={200: CompetitionResultOut, **READ},
    summary="A competition's proposals ranked by mean rubric total, with reviewer agreement",
)
def get_competition(request: HttpRequest, competition_id: Id) -> dict[str, object]:
    competition = _competition(caller(request), competition_id)
    result = queries.competition_result(competition)
    return {
        **_competition_out(competition),
        "standings": [
            {
                "proposal": s.proposal.pk,
                "title": s.proposal.title,
                "school": s.proposal.school.name,
                "rank": s.rank,
                "mean_total": s.mean_total,
                "reviewers": s.reviewers,
            }
            for s in result.standings
        ],
        "agreement": result.agreement,
        "reviewers": result.reviewers,
    }


@router.post(
    "/innovation/competitions/{competition_id}/proposals",
    response={201: ProposalOut, **WRITE},
    summary="Submit a proposal for a school the caller leads (principal, coach, district)",
)
def propose(request: HttpRequest, competition_id: Id, body: ProposalIn) -> Status[object]:
    actor = caller(request)
    competition = _competition(actor, competition_id)
    school = queries.school_by_id(body.school)
    if school is None:
        raise policy.NotFound("school not found")
    try:
        proposal = services.propose(
            actor, competition, school, title=body.title, summary=body.summary
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(
        201,
        {
            "id": proposal.pk,
            "competition": competition.pk,
            "school": school.pk,
            "title": proposal.title,
            "summary": proposal.summary,
        },
    )


@router.post(
    "/innovation/proposals/{proposal_id}/reviews",
    response={200: ReviewOut, 201: ReviewOut, **WRITE},
    summary="Score a proposal on every criterion (201 when new; 200 when it replaces the"
    " caller's earlier scores)",
)
def review(request: HttpRequest, proposal_id: Id, body: ReviewIn) -> Status[object]:
    actor = caller(request)
    proposal = queries.proposal_by_id(proposal_id)
    if proposal is None:
        raise policy.NotFound("proposal not found")
    _joined(actor, proposal.competition.district)
    earlier = queries.my_reviews(actor, proposal.competition).get(proposal.pk)
    try:
        row = services.review(actor, proposal, scores=body.scores, comment=body.comment)
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(
        200 if earlier else 201,
        {"proposal": proposal.pk, "scores": row.scores, "total": row.total, "comment": row.comment},
    )


# Communities of practice -----------------------------------------------------------------------


class CommunityIn(Schema):
    name: str = Field(min_length=1, max_length=200, pattern=SOME_TEXT)
    purpose: Text


class CommunityOut(Schema):
    id: int
    name: str
    purpose: str
    members: int
    posts: int


class MemberOut(Schema):
    id: int
    name: str


class SharedPracticeOut(Schema):
    id: int
    title: str


class PostOut(Schema):
    id: int
    parent: int | None = Field(description="The post this one answers (null: starts a thread)")
    author: str
    body: str
    at: datetime


class CommunityDetailOut(Schema):
    id: int
    name: str
    purpose: str
    members: list[MemberOut]
    schools: list[str]
    practices: list[SharedPracticeOut]
    posts: list[PostOut] = Field(description="Oldest first; replies name their parent")
    is_member: bool


class ShareIn(Schema):
    practice: Id


class PostIn(Schema):
    body: Text
    parent: Id | None = None


def _community(actor: User, pk: int) -> Community:
    community = queries.community_by_id(pk)
    if community is None:
        raise policy.NotFound("community not found")
    _joined(actor, community.district)
    return community


def _community_detail(community: Community, actor: User) -> dict[str, object]:
    view = queries.community_view(community, actor)
    posts = []
    stack = list(reversed(view.threads))
    while stack:  # depth first, in the order the page shows them
        thread = stack.pop()
        p = thread.post
        posts.append(
            {
                "id": p.pk,
                "parent": p.parent_id,
                "author": p.author.display_name if p.author else "",
                "body": p.body,
                "at": p.at,
            }
        )
        stack.extend(reversed(thread.replies))
    return {
        "id": community.pk,
        "name": community.name,
        "purpose": community.purpose,
        "members": [{"id": m.pk, "name": m.display_name} for m in view.members],
        "schools": view.schools,
        "practices": [{"id": p.pk, "title": p.title} for p in view.practices],
        "posts": posts,
        "is_member": view.is_member,
    }


@router.get(
    "/innovation/communities",
    response={200: list[CommunityOut], **READ},
    summary="Communities of practice of the caller's district",
)
def list_communities(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "id": c.pk,
            "name": c.name,
            "purpose": c.purpose,
            "members": c.n_members,  # type: ignore[attr-defined]
            "posts": c.n_posts,  # type: ignore[attr-defined]
        }
        for c in queries.communities(_district(caller(request)))
    ]


@router.post(
    "/innovation/communities",
    response={201: CommunityDetailOut, **WRITE},
    summary="Start a community of practice (any staff member; they are its first member)",
)
def start_community(request: HttpRequest, body: CommunityIn) -> Status[object]:
    actor = caller(request)
    try:
        community = services.start_community(
            actor, _district(actor), name=body.name, purpose=body.purpose
        )
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _community_detail(community, actor))


@router.get(
    "/innovation/communities/{community_id}",
    response={200: CommunityDetailOut, **READ},
    summary="A community: members and their schools, shared practices, the discussion",
)
def get_community(request: HttpRequest, community_id: Id) -> dict[str, object]:
    actor = caller(request)
    return _community_detail(_community(actor, community_id), actor)


@router.post(
    "/innovation/communities/{community_id}/members",
    response={200: CommunityDetailOut, 201: CommunityDetailOut, **READ},
    summary="Join a community (201 when joined, 200 when the caller was already a member)",
)
def join(request: HttpRequest, community_id: Id) -> Status[object]:
    actor = caller(request)
    community = _community(actor, community_id)
    already = queries.community_view(community, actor).is_member
    services.join_community(actor, community)
    return Status(200 if already else 201, _community_detail(community, actor))


@router.post(
    "/innovation/communities/{community_id}/practices",
    response={200: CommunityDetailOut, **WRITE},
    summary="A member shares a practice of the district's library with the community",
)
def share(request: HttpRequest, community_id: Id, body: ShareIn) -> Status[object]:
    actor = caller(request)
    community = _community(actor, community_id)
    practice = queries.practice_by_id(body.practice)
    if practice is None:
        raise policy.NotFound("practice not found")
    try:
        services.share_practice(actor, community, practice)
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _community_detail(community, actor))


@router.post(
    "/innovation/communities/{community_id}/posts",
    response={201: PostOut, **WRITE},
    summary="A member posts to the discussion, or replies to a post (parent) of it",
)
def post(request: HttpRequest, community_id: Id, body: PostIn) -> Status[object]:
    actor = caller(request)
    community = _community(actor, community_id)
    parent = queries.post_by_id(body.parent) if body.parent else None
    if body.parent and (parent is None or parent.community_id != community.pk):
        raise policy.NotFound("post not found")
    try:
        created = services.post(actor, community, body.body, parent=parent)
    except ValueError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(
        201,
        {
            "id": created.pk,
            "parent": created.parent_id,
            "author": actor.display_name,
            "body": created.body,
            "at": created.at,
        },
    )
