"""Operators' admin for standards frameworks."""

from django.contrib import admin

from pathways.apps.standards.models import Association, CourseStandard, Framework, Standard


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin[Framework]):
    list_display = ["title", "creator", "subject", "version"]
    search_fields = ["title", "identifier"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin[Standard]):
    list_display = ["code", "item_type", "framework", "statement"]
    list_filter = ["framework", "item_type"]
    search_fields = ["code", "statement", "identifier"]
    raw_id_fields = ["parent"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin[Association]):
    list_display = ["origin", "kind", "destination"]
    list_filter = ["kind"]
    raw_id_fields = ["origin", "destination"]


@admin.register(CourseStandard)
class CourseStandardAdmin(admin.ModelAdmin[CourseStandard]):
    list_display = ["course", "position", "standard"]
    list_filter = ["course"]
    raw_id_fields = ["standard"]
