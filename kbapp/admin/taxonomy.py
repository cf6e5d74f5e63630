"""The taxonomy: editors keep locations and remedies (with synonyms) up to date."""

from __future__ import annotations

from django.contrib import admin

from kbapp.models import PainLocation, RedFlag, Remedy


@admin.register(PainLocation)
class PainLocationAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "synonyms"]
    list_select_related = ["parent"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Remedy)
class RemedyAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "synonyms"]
    list_filter = ["category"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RedFlag)
class RedFlagAdmin(admin.ModelAdmin):
    list_display = ["name", "phrases"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["locations"]
