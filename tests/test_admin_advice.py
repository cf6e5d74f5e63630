"""Advice entries in the admin: writing, workflow, preview, history and revert."""

from __future__ import annotations

import pytest
from django.urls import reverse
from reversion.models import Version

from kbapp.models import AdviceEntry
from kbapp.services import curation
from tests.admin_support import (
    client_for,
    curated_thread,
    form_data,
    make_user,
)
from tests.factories import location, make_advice, remedy

pytestmark = pytest.mark.django_db
Status = AdviceEntry.Status
ADD = reverse("admin:kbapp_adviceentry_add")


@pytest.fixture
def editor():
    return client_for(make_user("editor"))


def change_url(entry) -> str:
    return reverse("admin:kbapp_adviceentry_change", args=[entry.pk])


def new_entry_data(**overrides) -> dict:
    thread = curated_thread()
    return {
        "title": "Relax your shoulders",
        "slug": "relax-your-shoulders",
        "summary": "Runners found that dropping their shoulders eased upper back pain.",
        "body": "Drop your shoulders **every mile**.\n\n<script>alert(1)</script>",
        "see_a_professional_if": "Numbness or pins and needles",
        "locations": [location("upper-back").pk],
        "remedies": [remedy("relax-shoulders").pk],
        "sources": [thread.replies.get(position=2).pk],
        "review_due": "2027-06-01",
        **overrides,
    }


def test_add_and_submit_for_review_in_one_go(editor):
    response = editor.post(ADD, {**new_entry_data(), "_submit_review": "1"})
    entry = AdviceEntry.objects.get()
    assert response["Location"] == change_url(entry)
    assert entry.status == Status.IN_REVIEW
    assert [s.position for s in entry.sources.all()] == [2]
    comments = [v.revision.comment for v in Version.objects.get_for_object(entry)]
    assert comments == ["Status: In review.", "Created."]


def test_a_new_entry_needs_a_location_and_a_unique_slug(editor):
    make_advice(slug="taken")
    response = editor.post(ADD, new_entry_data(locations=[], slug="taken"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"locations", "slug"}
    assert AdviceEntry.objects.count() == 1


def test_preview_renders_sanitized_markdown_of_a_draft(editor):
    editor.post(ADD, new_entry_data())
    entry = AdviceEntry.objects.get()
    page = editor.get(reverse("admin:kbapp_adviceentry_preview", args=[entry.pk]))
    html = page.content.decode()
    assert "<strong>every mile</strong>" in html
    assert "<script>" not in html
    assert "this entry is draft and not public." in html
    assert f'<a href="{change_url(entry)}">Back to editing</a>' in html
    assert "Relax your shoulders and drop them" in html
    # It is the public page's own template, not a look-alike.
    assert [t.name for t in page.templates][0] == "kbapp/adviceentry_detail.html"
    assert editor.get(reverse("admin:kbapp_adviceentry_preview", args=[99999])).status_code == 404


def test_history_lists_who_changed_what_and_revert_restores_it(editor):
    editor.post(ADD, new_entry_data())
    entry = AdviceEntry.objects.get()
    data = form_data(editor.get(change_url(entry)))
    editor.post(change_url(entry), {**data, "body": "A worse body", "locations": []})
    editor.post(change_url(entry), {**data, "body": "A worse body"})
    entry.refresh_from_db()
    assert entry.body == "A worse body"

    history = editor.get(reverse("admin:kbapp_adviceentry_history", args=[entry.pk]))
    html = history.content.decode()
    assert html.count("Revert to this") == 1
    assert "Changed body." in html and "editor" in html
    created = Version.objects.get_for_object(entry).order_by("pk").first()
    revert = reverse("admin:kbapp_adviceentry_revert", args=[entry.pk, created.pk])

    assert editor.post(revert, {"version": "1"}).status_code == 302  # stale: refused
    assert AdviceEntry.objects.get(pk=entry.pk).body == "A worse body"
    assert editor.post(revert, {}).status_code == 400
    assert editor.post(revert, {"version": str(entry.version)}).status_code == 302
    entry.refresh_from_db()
    assert entry.body.startswith("Drop your shoulders")
    assert entry.version == 3


def test_revert_of_a_version_of_another_entry_is_404(editor):
    editor.post(ADD, new_entry_data())
    entry = AdviceEntry.objects.get()
    other = make_advice(status=Status.DRAFT)
    version = Version.objects.get_for_object(entry).first()
    url = reverse("admin:kbapp_adviceentry_revert", args=[other.pk, version.pk])
    assert editor.post(url, {"version": "1"}).status_code == 404


def test_send_back_to_draft_and_publish_as_publisher():
    publisher = client_for(make_user("publisher"))
    entry = make_advice(status=Status.IN_REVIEW, sources=[curated_thread().replies.get(position=1)])
    data = form_data(publisher.get(change_url(entry)))
    publisher.post(change_url(entry), {**data, "_to_draft": "1"})
    assert AdviceEntry.objects.get(pk=entry.pk).status == Status.DRAFT
    data = form_data(publisher.get(change_url(entry)))
    publisher.post(change_url(entry), {**data, "_publish": "1"})
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED and entry.published_at is not None
    data = form_data(publisher.get(change_url(entry)))
    publisher.post(change_url(entry), {**data, "_to_draft": "1"})
    assert AdviceEntry.objects.get(pk=entry.pk).status == Status.DRAFT


def test_changelist_query_budget_and_review_filter(editor, django_assert_max_num_queries):
    for i in range(20):
        make_advice(f"Entry {i}", review_due=None if i % 2 else "2020-01-01")
    with django_assert_max_num_queries(12):
        page = editor.get(reverse("admin:kbapp_adviceentry_changelist"))
    assert page.status_code == 200
    overdue = editor.get(reverse("admin:kbapp_adviceentry_changelist") + "?review=overdue")
    assert len(overdue.context["cl"].result_list) == 10


def test_a_draft_saves_without_summary_or_body_and_publishing_still_needs_them():
    user = make_user("publisher")
    publisher = client_for(user)
    data = new_entry_data(summary="", body="")
    response = publisher.post(ADD, {**data, "_continue": "1"})
    entry = AdviceEntry.objects.get()
    assert response.status_code == 302 and (entry.status, entry.body) == (Status.DRAFT, "")
    page = publisher.post(
        change_url(entry), {**form_data(publisher.get(change_url(entry))), "_publish": "1"}
    )
    assert page.status_code == 200
    assert AdviceEntry.objects.get().status == Status.DRAFT
    html = page.content.decode()
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))
    ]
    assert '<a href="#id_summary">Summary</a>: Write the summary before publishing.' in summary
    assert '<a href="#id_body">Body</a>: Write the body before publishing.' in summary
    assert 'id="id_body"' in html
    with pytest.raises(curation.NotPublishable):
        curation.publish(entry_id=entry.pk, user=user)


def test_the_error_summary_links_every_field_in_error(editor):
    make_advice(slug="taken")
    html = editor.post(ADD, new_entry_data(locations=[], slug="taken")).content.decode()
    start = html.index('id="error-summary"')
    summary = html[start : html.index("</div>", start)]
    assert "2 fields need correcting" in summary
    assert '<a href="#id_slug">Slug</a>:' in summary
    assert '<a href="#id_locations">Locations</a>:' in summary


def test_saving_a_prefilled_draft_leaves_no_query_string(editor):
    data = new_entry_data()
    url = f"{ADD}?sources={data['sources'][0]}&title=Proposed"
    response = editor.post(url, {**data, "_continue": "1"})
    assert response.status_code == 302
    assert response["Location"] == change_url(AdviceEntry.objects.get())


def test_an_empty_slug_comes_from_the_title_or_is_an_error(editor):
    editor.post(ADD, new_entry_data(slug="", title="Hips: Stretching"))
    assert AdviceEntry.objects.get().slug == "hips-stretching"
    response = editor.post(ADD, new_entry_data(slug="", title="!!!"))
    assert response.status_code == 200
    assert "Enter a slug" in str(response.context["adminform"].form.errors["slug"])
