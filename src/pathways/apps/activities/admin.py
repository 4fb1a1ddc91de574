"""Operators' admin for the activity library and the item bank."""

from django.contrib import admin

from pathways.apps.activities.models import Activity, Item


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    list_display = ["title", "modality", "bloom_level", "duration_minutes", "district"]
    list_filter = ["modality", "bloom_level"]
    search_fields = ["title", "description"]
    filter_horizontal = ["standards"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ["identifier", "kind", "standard"]
    list_filter = ["kind"]
    search_fields = ["identifier", "prompt"]
    raw_id_fields = ["standard"]
