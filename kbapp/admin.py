"""The editors' workplace. Kept deliberately plain until the curation work lands."""

from django.contrib import admin

from kbapp import models


class ReplyInline(admin.StackedInline):
    model = models.Reply
    extra = 0
    fields = ["position", "author", "in_reply_to", "body"]


@admin.register(models.Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "stage", "is_hidden"]
    list_filter = ["community", "stage", "is_hidden"]
    search_fields = ["title", "body"]
    inlines = [ReplyInline]


@admin.register(models.PainLocation)
class PainLocationAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "synonyms"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Remedy)
class RemedyAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "synonyms"]
    list_filter = ["category"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.RedFlag)
class RedFlagAdmin(admin.ModelAdmin):
    list_display = ["name", "phrases"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["reply", "remedy", "location", "stance", "status"]
    list_filter = ["status", "stance"]


@admin.register(models.AdviceEntry)
class AdviceEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "review_due"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
