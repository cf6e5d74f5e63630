"""Runners' answers to "Was this helpful?": counts per entry, and moderation of their notes.

A note is shown to nobody but editors until one approves it (kbapp.services.feedback).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html

from kbapp.models import AdviceHelpfulness, AdviceVote
from kbapp.selectors.feedback import with_votes
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


@admin.register(AdviceHelpfulness)
class AdviceHelpfulnessAdmin(admin.ModelAdmin):
    """Every advice entry with its votes, to sort by the share of runners it helped."""

    list_display = ["title", "status", "helpful", "not_helpful", "share_helpful", "notes"]
    list_filter = ["status"]
    search_fields = ["title"]

    def get_queryset(self, request):
        return with_votes(super().get_queryset(request))

    def get_ordering(self, request) -> list:
        # Least helpful first; an annotation, so not in the class's checked ``ordering``.
        return [F("share").asc(nulls_last=True), "title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="helped", ordering="helpful")
    def helpful(self, entry) -> int:
        return entry.helpful

    @admin.display(description="did not help", ordering="not_helpful")
    def not_helpful(self, entry) -> int:
        return entry.not_helpful

    @admin.display(description="share helped", ordering="share")
    def share_helpful(self, entry) -> str:
        return "—" if entry.share is None else f"{entry.share:.0%}"

    @admin.display(description="notes to moderate", ordering="notes_waiting")
    def notes(self, entry) -> str:
        if not entry.notes_waiting:
            return "0"
        url = reverse("admin:kbapp_advicevote_changelist")
        query = f"?entry__id__exact={entry.pk}&moderation__exact=pending"
        return format_html('<a href="{}{}">{}</a>', url, query, entry.notes_waiting)
