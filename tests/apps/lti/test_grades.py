"""Assignment and Grade Services: a finished mastery check reaches the LMS gradebook.

The test platform's token and score endpoints run on loopback: they check our client assertion
against our published keys, demand the bearer token they issued and the score media type.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from tests.apps.lti.platform import LEARNER, LTI, SCORE_SCOPE, TestPlatform

from pathways.apps.activities.models import Activity, Item
from pathways.apps.lti import keys, services
from pathways.apps.lti.models import GradeTarget, Platform, ScoreOutbox
from pathways.apps.mastery.queries import student_course_standards
from pathways.apps.paths import services as paths
from pathways.apps.paths.models import MasteryCheck

pytestmark = pytest.mark.django_db

AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


def _graded_activity(student: Any) -> tuple[Activity, Any]:
    for standard in student_course_standards(student):
        if not Item.objects.filter(standard=standard).exists():
            continue
        activity = Activity.objects.filter(standards=standard).first()
        if activity is not None:
            return activity, standard
    raise AssertionError("the demo has no activity with items for student1")


def _student_launch(lms: TestPlatform, activity: Activity, scopes: list[str]) -> services.Launch:
    redirect = services.begin_login(
        {"iss": lms.issuer, "login_hint": "x", "target_link_uri": "http://testserver/lti/launch/"},
        redirect_uri="http://testserver/lti/launch/",
    )
    nonce = parse_qs(urlsplit(redirect.url).query)["nonce"][0]
    claims = lms.claims(
        nonce=nonce,
        sub="lms-student-1",
        roles=[LEARNER],
        **{
            LTI + "lis": {"person_sourcedid": "demo-student1"},
            LTI + "resource_link": {"id": "graded-1", "title": activity.title},
            LTI + "custom": {"pathways_activity": str(activity.pk)},
            AGS: {
                "scope": scopes,
                "lineitem": lms.line_item_url("42"),
                "lineitems": lms.url + "/courses/7/lineitems",
            },
        },
    )
    return services.complete_launch(
        state=redirect.state, id_token=lms.sign(claims), browser_bound=True
    )


def _finish_check(student: Any, standard: Any, right: int) -> MasteryCheck:
    check = paths.request_mastery_check(student, student, standard, check_id=uuid.uuid4())
    for index, item in enumerate(Item.objects.filter(pk__in=check.item_ids).order_by("pk")):
        good = item.answer[0] if isinstance(item.answer, list) else item.answer
        paths.answer_item(
            student,
            student,
            item,
            answer=good if index < right else "definitely wrong",
            evidence_id=uuid.uuid4(),
            check=check,
        )
    check.refresh_from_db()
    assert check.state == MasteryCheck.State.DONE
    return check


@pytest.fixture
def graded(lms: TestPlatform, registered: Platform, person: Any) -> dict[str, Any]:
    lms.tool_jwks = keys.public_jwks()  # the platform knows our keys (it fetched our JWKS URL)
    student = person("student1")
    activity, standard = _graded_activity(student)
    launch = _student_launch(lms, activity, [LINEITEM_SCOPE, SCORE_SCOPE])
    assert launch.link is not None
    assert launch.link.activity == activity
    return {"student": student, "standard": standard, "activity": activity}


def test_a_finished_check_is_queued_and_posted_as_a_score(
    lms: TestPlatform, graded: dict[str, Any]
) -> None:
    check = _finish_check(graded["student"], graded["standard"], right=1)
    row = ScoreOutbox.objects.get(source=f"check:{check.pk}")
    assert row.state == ScoreOutbox.State.PENDING
    assert (row.score_given, row.score_maximum) == (1.0, float(len(check.item_ids)))

    report = services.flush_scores()
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0), report.errors
    assert len(lms.token_requests) == 1
    assert lms.token_requests[0]["scope"] == SCORE_SCOPE
    [score] = lms.scores
    assert score["path"] == "/courses/7/lineitems/42/scores?type=pathways"
    body = score["body"]
    assert body["userId"] == "lms-student-1"
    assert body["scoreGiven"] == 1.0
    assert body["scoreMaximum"] == float(len(check.item_ids))
    assert body["activityProgress"] == "Completed"
    assert body["gradingProgress"] == "FullyGraded"
    assert body["timestamp"] == check.completed_at.isoformat()
    row.refresh_from_db()
    assert row.state == ScoreOutbox.State.SENT
    assert row.sent_at is not None
    # Sent once: flushing again sends nothing; re-saving the check queues nothing new.
    check.save()
    assert services.flush_scores().sent == 0
    assert len(lms.scores) == 1


def test_a_platform_outage_is_retried_later(lms: TestPlatform, graded: dict[str, Any]) -> None:
    lms.fail_scores = 1
    _finish_check(graded["student"], graded["standard"], right=2)
    first = services.flush_scores()
    assert (first.sent, first.retrying) == (0, 1)
    assert "503" in first.errors[0]
    row = ScoreOutbox.objects.get()
    assert row.attempts == 1
    assert row.next_attempt_at > timezone.now()
    assert services.flush_scores().sent == 0  # not due yet
    ScoreOutbox.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert services.flush_scores().sent == 1
    assert len(lms.scores) == 1


def test_a_score_the_platform_will_never_take_is_given_up(
    lms: TestPlatform, graded: dict[str, Any]
) -> None:
    lms.score_status = 404  # the line item was deleted in the LMS
    _finish_check(graded["student"], graded["standard"], right=0)
    report = services.flush_scores()
    assert report.failed == 1
    assert ScoreOutbox.objects.get().state == ScoreOutbox.State.FAILED


def test_the_platform_refuses_an_assertion_it_cannot_verify(
    lms: TestPlatform, graded: dict[str, Any]
) -> None:
    lms.tool_jwks = {"keys": []}  # the platform never fetched our keys
    _finish_check(graded["student"], graded["standard"], right=1)
    report = services.flush_scores()
    assert report.retrying == 1
    assert "unknown tool key" in report.errors[0]
    assert lms.scores == []


def test_no_score_scope_no_grade_target(
    lms: TestPlatform, registered: Platform, person: Any
) -> None:
    activity, standard = _graded_activity(person("student1"))
    _student_launch(lms, activity, [LINEITEM_SCOPE])
    assert not GradeTarget.objects.exists()
    _finish_check(person("student1"), standard, right=1)
    assert not ScoreOutbox.objects.exists()


def test_scores_url_keeps_the_line_items_query() -> None:
    assert (
        services.scores_url("https://lms.example/api/lti/courses/1/line_items/5?x=1")
        == "https://lms.example/api/lti/courses/1/line_items/5/scores?x=1"
    )
