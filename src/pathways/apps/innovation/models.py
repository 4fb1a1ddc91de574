"""The system for innovation: goals, problems, PDSA cycles, practices, readiness, surveys.

A district sets goals; educators raise problems of practice and vote on them; teachers test a
change in a PDSA cycle whose measure the platform collects itself from evidence; a cycle that
works is codified as a practice other schools adopt; the district watches adoption, readiness
and a teacher practice survey against a national benchmark.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pathways.apps.accounts.models import User
from pathways.apps.roster.models import District, School, Section
from pathways.apps.standards.models import Standard

USER = settings.AUTH_USER_MODEL


class Goal(models.Model):
    """One goal of the district's framework (academic, social or emotional)."""

    class Area(models.TextChoices):
        ACADEMIC = "academic", "Academic"
        SOCIAL = "social", "Social"
        EMOTIONAL = "emotional", "Emotional"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(max_length=16, choices=Area.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area", "title"]

    def __str__(self) -> str:
        return self.title


class GoalMeasure(models.Model):
    """How a goal is measured: mastery of standards, a grade level's results or a survey item."""

    class Kind(models.TextChoices):
        STANDARDS = "standards", "Mastery of standards"
        GRADE = "grade", "Results of a grade level"
        SURVEY_ITEM = "survey_item", "Survey item"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.CharField(max_length=300)
    standards = models.ManyToManyField(Standard, blank=True, related_name="goal_measures")
    grade = models.CharField(max_length=8, blank=True)
    survey_item = models.ForeignKey(
        "SurveyItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="goal_measures"
    )
    target = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.description


class SchoolCase(models.Model):
    """A school described as a case, so schools facing the same problem find each other."""

    class Setting(models.TextChoices):
        URBAN = "urban", "Urban"
        SUBURBAN = "suburban", "Suburban"
        RURAL = "rural", "Rural"

    class Prior(models.TextChoices):
        NONE = "none", "None"
        SOME = "some", "Some classrooms"
        SCHOOLWIDE = "schoolwide", "School-wide"

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="case")
    grade_span = models.CharField(max_length=16)
    english_learner_share = models.FloatField(help_text="Share of students learning English, 0-1")
    setting = models.CharField(max_length=16, choices=Setting.choices)
    prior_personalization = models.CharField(max_length=16, choices=Prior.choices)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(english_learner_share__gte=0, english_learner_share__lte=1),
                name="case_el_share_is_a_share",
            )
        ]

    def __str__(self) -> str:
        return f"case of {self.school}"


class Problem(models.Model):
    """A problem of practice raised by an educator, discussed, prioritized by vote."""

    class Status(models.TextChoices):
        RAISED = "raised", "Raised"
        PRIORITIZED = "prioritized", "Prioritized"
        CLOSED = "closed", "Closed"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="problems")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="problems"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    raised_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RAISED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ProblemVote(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["problem", "voter"], name="one_vote_per_problem")
        ]

    def __str__(self) -> str:
        return f"vote of {self.voter_id} for {self.problem_id}"


class ProblemComment(models.Model):
    """The discussion of a problem (one thread per problem)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"comment on {self.problem_id}"


class Flexibility(models.Model):
    """A flexibility or waiver a school holds, or a pain point it raises against a district rule."""

    class Kind(models.TextChoices):
        FLEXIBILITY = "flexibility", "Flexibility"
        WAIVER = "waiver", "Waiver"
        PAIN_POINT = "pain_point", "Pain point"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        GRANTED = "granted", "Granted"
        DECLINED = "declined", "Declined"
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="flexibilities")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    rule = models.CharField(max_length=200, help_text="The district or state rule concerned")
    description = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices)
    raised_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school__name", "kind", "rule"]
        verbose_name_plural = "flexibilities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.rule}"


class Practice(models.Model):
    """A codified practice: the problem it addresses, how to do it, and what observers look for."""

    class Span(models.TextChoices):
        ELEMENTARY = "elementary", "Elementary (K-5)"
        MIDDLE = "middle", "Middle (6-8)"
        HIGH = "high", "High (9-12)"
        ANY = "any", "Any grade"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="practices")
    title = models.CharField(max_length=200)
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="practices"
    )
    summary = models.TextField(help_text="The problem it addresses and what changes")
    how_to = models.TextField()
    materials = models.TextField(blank=True)
    look_fors = models.TextField(blank=True, help_text="What an observer sees; one per line")
    subject = models.CharField(max_length=64, blank=True)
    grade_span = models.CharField(max_length=16, choices=Span.choices, default=Span.ANY)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def look_for_list(self) -> list[str]:
        return [line.strip() for line in self.look_fors.splitlines() if line.strip()]


class Adoption(models.Model):
    """A school adopting a practice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="adoptions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="adoptions")
    adopted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    adopted_on = models.DateField()
    sections = models.ManyToManyField(
        Section, blank=True, related_name="adoptions", help_text="Classes using the practice"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "school"], name="one_adoption_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} adopted by {self.school_id}"


class Cycle(models.Model):
    """A Plan-Do-Study-Act cycle testing one change idea in some classes against others."""

    class Measure(models.TextChoices):
        MASTERY_GAIN = "mastery_gain", "Mastery gain on chosen standards"
        EXIT_TICKET = "exit_ticket", "Exit-ticket pass rate"
        SURVEY_ITEM = "survey_item", "A survey item (mean teacher response)"
        ATTENDANCE = "attendance", "Attendance of the practice (share of observations seeing it)"

    class Stage(models.TextChoices):
        PLAN = "plan", "Plan"
        DO = "do", "Do"
        STUDY = "study", "Study"
        ACT = "act", "Act (decided)"

    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt"
        ADAPT = "adapt", "Adapt"
        ABANDON = "abandon", "Abandon"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="cycles")
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycles"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycles"
    )
    owner = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    change_idea = models.TextField()
    prediction = models.TextField()
    predicted_difference = models.FloatField(
        null=True, blank=True, help_text="Predicted difference in the measure (trying - comparison)"
    )
    measure = models.CharField(max_length=16, choices=Measure.choices)
    survey_item = models.ForeignKey(
        "SurveyItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cycles",
        help_text="The item a survey-item measure reads",
    )
    standards = models.ManyToManyField(Standard, blank=True, related_name="cycles")
    trying_sections = models.ManyToManyField(Section, related_name="trying_cycles")
    comparison_sections = models.ManyToManyField(Section, related_name="comparison_cycles")
    start = models.DateField()
    end = models.DateField()
    stage = models.CharField(max_length=8, choices=Stage.choices, default=Stage.PLAN)
    do_notes = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="The study, as last computed")
    studied_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decision_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="cycle_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CycleNote(models.Model):
    """A dated note or artefact link recorded while the change is tried (the Do stage)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    link = models.URLField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"note on {self.cycle_id}"


class Readiness(models.Model):
    """A school's readiness to innovate in one school year (the report's four indicators)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="readiness")
    school_year = models.PositiveSmallIntegerField()
    principal_committed = models.BooleanField()
    staff_stability = models.FloatField(help_text="Share of teachers who stayed from last year")
    collaboration_minutes = models.PositiveIntegerField(help_text="Common planning per week")
    sharing_norms = models.BooleanField(help_text="Teachers routinely open classrooms and share")
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="readiness_per_year"),
            models.CheckConstraint(
                condition=models.Q(staff_stability__gte=0, staff_stability__lte=1),
                name="readiness_stability_is_a_share",
            ),
        ]
        verbose_name_plural = "readiness"

    def __str__(self) -> str:
        return f"readiness of {self.school_id} in {self.school_year}"


class SurveyItem(models.Model):
    """A Likert item of the teacher practice survey (pacing, mastery, choice, reflection)."""

    class Construct(models.TextChoices):
        PACING = "pacing", "Pacing"
        MASTERY = "mastery", "Mastery"
        CHOICE = "choice", "Choice"
        REFLECTION = "reflection", "Reflection"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="survey_items")
    code = models.SlugField(max_length=64)
    construct = models.CharField(max_length=16, choices=Construct.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    scale = models.JSONField(
        default=list, blank=True, help_text="Answer labels, top first; empty means LIKERT"
    )
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="No longer asked; past answers are kept"
    )

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="survey_item_code")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def labels(self) -> list[str]:
        """The answer labels, top first (the district's Likert scale unless edited)."""
        return list(self.scale) if self.scale else list(LIKERT)

    @property
    def top(self) -> list[str]:
        """The two top labels: the answers that count as agreement."""
        return self.labels[:2]

    def score(self, answer: str) -> int | None:
        """The answer as a number, bottom label 1 and top label highest; None if not a label."""
        labels = self.labels
        return len(labels) - labels.index(answer) if answer in labels else None


# The answer scale, top first; the top two count as agreement (as in the report's figures).
LIKERT = ["Agree a lot", "Mostly agree", "Disagree", "Strongly disagree"]
TOP_TWO = LIKERT[:2]


class SurveyResponse(models.Model):
    """One teacher's answer to one item in one administration (school year)."""

    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    answer = models.CharField(max_length=32)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "respondent", "school_year"], name="one_answer_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id} on {self.item_id}: {self.answer}"


class BenchmarkResponse(models.Model):
    """An answer from the benchmark sample (imported as CSV: respondent_id, item_id, answer)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=200)
    respondent_id = models.CharField(max_length=64)
    item_code = models.SlugField(max_length=64)
    answer = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["district", "item_code"], name="benchmark_item")]

    def __str__(self) -> str:
        return f"{self.respondent_id} on {self.item_code}: {self.answer}"


class Observation(models.Model):
    """A coach's (or principal's) classroom observation against a practice's look-fors."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="observations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="observations")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    observer = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    seen = models.JSONField(default=list, help_text="The look-fors the observer saw")
    vision_link = models.TextField(blank=True, help_text="How what was seen ties to the vision")
    notes = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"observation of {self.practice_id} at {self.school_id}"


class Competition(models.Model):
    """A design competition: schools propose, several reviewers score against a rubric."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="competitions")
    title = models.CharField(max_length=200)
    criteria = models.JSONField(help_text="Rubric criteria, each scored 1 to max_score")
    max_score = models.PositiveSmallIntegerField(default=4)
    closes_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_on"]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="proposals")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=200)
    summary = models.TextField()
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    """One reviewer's rubric scores for one proposal (scoring again replaces them)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    scores = models.JSONField(help_text="criterion -> score")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_review_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"review of {self.proposal_id} by {self.reviewer_id}"

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.scores.values())


class Community(models.Model):
    """A community of practice across schools: members, shared practices, a threaded discussion."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="communities")
    name = models.CharField(max_length=200)
    purpose = models.TextField()
    members = models.ManyToManyField(User, blank=True, related_name="innovation_communities")
    practices = models.ManyToManyField(Practice, blank=True, related_name="communities")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A message in a community's discussion; a reply names the post it answers."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"post in {self.community_id}"


class EditLog(models.Model):
    """Who changed the district's goals and survey, when, and what (append-only)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    object_type = models.CharField(max_length=32)  # "goal", "measure", "survey item"
    object_id = models.PositiveIntegerField()
    action = models.CharField(max_length=16)  # created, edited, removed, retired, restored
    summary = models.TextField(help_text="What changed, old -> new")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["district", "object_type", "object_id"], name="editlog_obj")
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.object_type} {self.object_id}"
