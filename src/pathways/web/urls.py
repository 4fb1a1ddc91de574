"""URLs of the server-rendered pages."""

from django.urls import path

from pathways.web.views import auth, people, staff, student

app_name = "web"
urlpatterns = [
    path("", auth.home, name="home"),
    path("signin/", auth.signin, name="signin"),
    path("signout/", auth.signout, name="signout"),
    path("student/", student.home, name="student"),
    path("teacher/", staff.teacher_home, name="teacher"),
    path("sections/<int:pk>/", staff.section_detail, name="section"),
    path("school/", staff.school_home, name="school"),
    path("district/", staff.district_home, name="district"),
    path("guardian/", people.guardian_home, name="guardian"),
    path("students/<int:pk>/", people.student_record, name="student-record"),
]
