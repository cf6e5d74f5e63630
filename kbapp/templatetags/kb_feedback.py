"""Was this helpful?: the box under an advice entry, and the editors' dashboard panel."""

from django import template

from kbapp.models import AdviceEntry
from kbapp.selectors.feedback import (
    PUBLIC_MIN_VOTES,
    helpfulness,
    least_and_most_helpful,
    pending_notes,
)
from kbapp.services.feedback import MAX_MISSING

register = template.Library()


@register.inclusion_tag("includes/_helpful.html", takes_context=True)
def helpful_box(context, entry: AdviceEntry) -> dict:
    """The two buttons, or thanks after a vote (read from the URL, so a cached page is right
    for everyone), or "already" for a browser that voted here; counts only from
    PUBLIC_MIN_VOTES votes."""
    request = context["request"]
    outcome = request.GET.get("vote") or ("already" if context.get("voted_already") else None)
    return {
        "entry": entry,
        "outcome": outcome,
        "rating": helpfulness(entry),
        "max_missing": MAX_MISSING,
        "min_votes": PUBLIC_MIN_VOTES,
    }


@register.inclusion_tag("admin/kbapp/helpful_panel.html", takes_context=True)
def helpful_panel(context) -> dict:
    """Least and most helpful advice by runners' votes, for editors who may see advice."""
    if not context["request"].user.has_perm("kbapp.view_adviceentry"):
        return {"show": False}
    least, most = least_and_most_helpful()
    return {"show": True, "least": least, "most": most, "pending": pending_notes()}
