"""Template tags of the editors' admin."""

from django import template

from kbapp.admin.dashboard import dashboard

register = template.Library()


@register.inclusion_tag("admin/kbapp/dashboard.html", takes_context=True)
def editors_dashboard(context) -> dict:
    """The dashboard, for staff who curate; others see the plain admin index."""
    user = context["request"].user
    if not user.has_perm("kbapp.view_thread"):
        return {"show": False}
    return {"show": True, "can_import": user.has_perm("kbapp.add_thread"), **dashboard()}
