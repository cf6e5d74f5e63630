"""The Content-Security-Policy in a real browser: nothing the site or the admin needs is blocked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kbapp.models import AdviceEntry
from tests.admin_support import PASSWORD, curated_thread, ensure_taxonomy, make_user
from tests.factories import make_advice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script; the CSP cannot block what the browser itself injects.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def visit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return violations(page)


def test_public_pages_and_the_admin_run_without_a_violation(page):
    ensure_taxonomy()
    thread = curated_thread()
    entry = make_advice("Relax your shoulders", status=AdviceEntry.Status.DRAFT)
    make_user("superuser")
    page.context.add_init_script(RECORD_VIOLATIONS)
    for url in ["/", "/advice/", "/search/?q=shoulder+blade", f"/threads/{thread.slug}/"]:
        assert visit(page, url) == [], url

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "superuser")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(".kb-dashboard")
    assert violations(page) == []
    for url in [
        reverse("admin:kbapp_thread_changelist"),
        reverse("admin:kbapp_thread_change", args=[thread.pk]),
        reverse("admin:kbapp_reply_change", args=[thread.replies.first().pk]),
        reverse("admin:kbapp_redflag_add"),
        reverse("admin:kbapp_adviceentry_change", args=[entry.pk]),
    ]:
        assert visit(page, url) == [], url
        if url.endswith("/redflag/add/"):
            # The two-box picker is drawn by the admin's script: scripts ran.
            assert page.locator("#id_locations_from").count() == 1

    # Scripts still work under the policy: the advice form's autocomplete opens and searches.
    page.click("#id_remedies + .select2 .select2-selection")
    page.keyboard.type("yoga")
    page.wait_for_selector(".select2-results__option:has-text('Yoga')")
    assert violations(page) == []


def test_an_inline_script_is_blocked(page, live_server):
    """The policy is really enforced: a script written into a page does not run."""
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.goto("/healthz")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.ran === undefined")
    assert any(v.startswith("script-src") for v in violations(page))
