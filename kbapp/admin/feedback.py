"""Runners' answers to "Was this helpful?": counts per entry, and moderation of their notes.

A note is shown to nobody but editors until one approves it (kbapp.services.feedback).
"""

from __future__ import annotations

from django.contrib import admin, messages

from kbapp.models import AdviceVote
from kbapp.services import feedback


@admin.register(AdviceVote)
class AdviceVoteAdmin(admin.ModelAdmin):
    list_display = ["entry", "helpful", "missing", "moderation", "created_on"]
    list_filter = ["moderation", "helpful", ("entry", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["entry"]
    search_fields = ["missing", "entry__title"]
    readonly_fields = ["entry", "helpful", "missing", "moderation", "created_on"]
    actions = ["approve", "reject"]
    date_hierarchy = "created_on"

    def has_add_permission(self, request) -> bool:
        return False  # votes come from runners only

    @admin.action(description="Approve the notes: show them on the entry", permissions=["change"])
    def approve(self, request, queryset) -> None:
        done = feedback.moderate(votes=queryset, approve=True)
        self.message_user(request, f"{done} note(s) approved.", messages.SUCCESS)

    @admin.action(description="Reject the notes: never show them", permissions=["change"])
    def reject(self, request, queryset) -> None:
        done = feedback.moderate(votes=queryset, approve=False)
        self.message_user(request, f"{done} note(s) rejected.", messages.SUCCESS)
