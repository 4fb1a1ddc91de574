"""Top-level URLs: the web pages, the REST API under /api/v1 and the operators' admin."""

from django.contrib import admin
from django.urls import include, path

from pathways.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("pathways.web.urls")),
]
