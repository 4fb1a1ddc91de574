"""Operators' admin for the organisation model (district staff use the pages, not this)."""

from django.contrib import admin

from pathways.apps.roster.models import (
    Course,
    District,
    Enrollment,
    Guardianship,
    Membership,
    School,
    Section,
    Term,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
    list_display = ["name", "sourced_id"]
    search_fields = ["name", "sourced_id"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin[School]):
    list_display = ["name", "district", "lowest_grade", "highest_grade"]
    list_filter = ["district"]
    search_fields = ["name", "sourced_id"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin[Term]):
    list_display = ["title", "kind", "start_date", "end_date", "district"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ["title", "code", "subject", "school"]
    search_fields = ["title", "code"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin[Section]):
    list_display = ["title", "course", "school", "term"]
    list_filter = ["school", "term"]
    search_fields = ["title", "code", "sourced_id"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin[Enrollment]):
    list_display = ["user", "section", "role", "active"]
    list_filter = ["role", "active"]
    raw_id_fields = ["user", "section"]
    search_fields = ["user__username", "section__title"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "school", "district", "active"]
    list_filter = ["role", "active", "school"]
    raw_id_fields = ["user"]
    search_fields = ["user__username"]


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin[Guardianship]):
    list_display = ["guardian", "student", "relation", "active"]
    raw_id_fields = ["guardian", "student"]
    search_fields = ["guardian__username", "student__username"]
