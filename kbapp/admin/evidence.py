"""Evidence across threads: review what the importer suggested, confirm in bulk."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.text import Truncator

from kbapp.admin.base import CurationAdmin, status_badge
from kbapp.admin.forms import EvidenceForm
from kbapp.models import Evidence
from kbapp.services import curation


@admin.register(Evidence)
class EvidenceAdmin(CurationAdmin):
    form = EvidenceForm
    list_display = ["state", "remedy", "location", "stance", "quote_excerpt", "reply_link"]
    list_display_links = ["quote_excerpt"]
    list_filter = ["status", "stance", "location", "remedy"]
    search_fields = ["quote", "reply__thread__title"]
    list_select_related = ["reply__thread", "remedy", "location"]
    autocomplete_fields = ["reply", "remedy", "location"]
    list_per_page = 100
    actions = ["confirm"]

    @admin.display(description="status", ordering="status")
    def state(self, evidence: Evidence) -> str:
        return status_badge(evidence.status, evidence.get_status_display())

    @admin.display(description="quote")
    def quote_excerpt(self, evidence: Evidence) -> str:
        return Truncator(" ".join(evidence.quote.split())).chars(120) or "(no quote)"

    @admin.display(description="reply")
    def reply_link(self, evidence: Evidence) -> str:
        return f"{evidence.reply.thread.title} #{evidence.reply.position}"

    def save_model(self, request, obj, form, change):
        curation.save_evidence(
            evidence=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("version") if change else None,
        )

    @admin.action(description="Confirm selected evidence", permissions=["change"])
    def confirm(self, request, queryset):
        count = curation.confirm_evidence(
            evidence_ids=list(queryset.values_list("pk", flat=True)), user=request.user
        )
        self.message_user(request, f"Confirmed {count} evidence.", messages.SUCCESS)
