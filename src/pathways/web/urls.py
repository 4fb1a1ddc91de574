"""URLs of the server-rendered pages."""

from django.urls import path

from pathways.web.views import (
    auth,
    district_tools,
    learner,
    library,
    people,
    practice,
    schedule,
    staff,
    student,
)

app_name = "web"
urlpatterns = [
    path("", auth.home, name="home"),
    path("signin/", auth.signin, name="signin"),
    path("signout/", auth.signout, name="signout"),
    path("student/", student.home, name="student"),
    path("teacher/", staff.teacher_home, name="teacher"),
    path("sections/<int:pk>/", staff.section_detail, name="section"),
    path("sections/<int:pk>/assign/", staff.section_assign, name="section-assign"),
    path("sections/<int:pk>/exit-tickets/", staff.exit_tickets, name="exit-tickets"),
    path("sections/<int:pk>/pacing/", staff.pacing, name="pacing"),
    path("school/", staff.school_home, name="school"),
    path("district/", staff.district_home, name="district"),
    path("district/rosters/", district_tools.rosters_upload, name="rosters"),
    path("district/prerequisites/", district_tools.prerequisites, name="prerequisites"),
    path(
        "district/prerequisites/edit/", district_tools.prerequisites_edit, name="prerequisites-edit"
    ),
    path("guardian/", people.guardian_home, name="guardian"),
    path("activities/", library.library, name="library"),
    path("students/<int:pk>/", people.student_record, name="student-record"),
    path("students/<int:pk>/rubric/", people.score_rubric, name="score-rubric"),
    path("students/<int:pk>/grades/", learner.grades, name="grades"),
    path("students/<int:pk>/grades/<int:standard_pk>/", learner.grade_detail, name="grade"),
    path("students/<int:pk>/profile/", learner.profile, name="profile"),
    path("students/<int:pk>/path/", learner.path, name="path"),
    path("students/<int:pk>/path/choose/", learner.choose, name="choose"),
    path("students/<int:pk>/path/reflect/", learner.reflect_on_choice, name="reflect-choice"),
    path("students/<int:pk>/profile/<slug:part>/", learner.profile_update, name="profile-update"),
    path("practice/<int:standard_pk>/", practice.practice, name="practice"),
    path("practice/<int:standard_pk>/check/", practice.start_check, name="check-start"),
    path("items/<int:item_pk>/answer/", practice.answer, name="answer"),
    path("checks/<uuid:check_id>/", practice.check, name="check"),
    path("schedule/", schedule.schedule_home, name="schedule"),
    path("schools/<int:pk>/schedule/", schedule.school_schedule, name="school-schedule"),
    path("schools/<int:pk>/schedule/build/", schedule.build, name="schedule-build"),
    path("schedules/<int:pk>/move/", schedule.move, name="schedule-move"),
    path("schedules/<int:pk>/publish/", schedule.publish, name="schedule-publish"),
    path("schedules/<int:pk>/rosters/", schedule.rosters, name="schedule-rosters"),
    path("schedules/<int:pk>/board/", schedule.board, name="schedule-board"),
]
