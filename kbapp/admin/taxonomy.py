"""The taxonomy: editors keep locations, remedies and red flags (with synonyms) up to date.

Each change form carries the version it was opened at, so two editors cannot overwrite
each other's synonyms.
"""

from __future__ import annotations

from django.contrib import admin

from kbapp.admin.base import VersionedAdmin
from kbapp.models import PainLocation, RedFlag, Remedy


@admin.register(PainLocation)
class PainLocationAdmin(VersionedAdmin):
    list_display = ["name", "parent", "synonyms"]
    list_select_related = ["parent"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


# One admin per taxonomy model, as the admin registers them; their options differ.
@admin.register(Remedy)
class RemedyAdmin(VersionedAdmin):
    list_display = ["name", "category", "synonyms"]
    list_filter = ["category"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RedFlag)
class RedFlagAdmin(VersionedAdmin):
    list_display = ["name", "phrases"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["locations"]
