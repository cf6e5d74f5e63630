"""The thread admin: the list editors work through, its filters, bulk actions and buttons."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from kbapp.models import Evidence, RedFlag, TagStatus, Thread
from kbapp.services import curation
from tests.admin_support import (
    client_for,
    curated_thread,
    form_data,
    make_user,
)
from tests.factories import location, make_evidence, make_thread, remedy

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:kbapp_thread_changelist")


@pytest.fixture
def editor():
    return client_for(make_user("editor"))


def many_threads(n: int) -> None:
    flag = RedFlag.objects.first()
    for i in range(n):
        thread = make_thread(
            f"Thread {i}",
            replies=[f"reply {j}" for j in range(3)],
            locations=["knees"] if i % 2 else [],
            remedies=["rest"] if i % 3 else [],
            status=TagStatus.SUGGESTED if i % 4 == 1 else TagStatus.CONFIRMED,
            stage=(i % 9) + 1,
        )
        if i % 5 == 0:
            thread.red_flags.add(flag)


def test_changelist_query_count_does_not_grow_with_threads(editor, django_assert_max_num_queries):
    many_threads(5)
    with django_assert_max_num_queries(12) as few:
        assert editor.get(CHANGELIST).status_code == 200
    many_threads(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert editor.get(CHANGELIST).status_code == 200


def row_titles(response) -> set[str]:
    return {thread.title for thread in response.context["cl"].result_list}


def test_list_shows_reply_count_tag_state_and_red_flag(editor):
    thread = curated_thread()
    thread.red_flags.add(RedFlag.objects.first())
    make_thread("Nobody tagged me")
    make_thread("All confirmed", locations=["knees"])
    page = editor.get(CHANGELIST)
    rows = {t.title: t for t in page.context["cl"].result_list}
    assert rows[thread.title].reply_count == 3
    assert rows[thread.title].has_suggested and rows[thread.title].has_red_flag
    assert not rows["Nobody tagged me"].has_tags
    html = page.content.decode()
    assert 'class="kb-badge kb-suggested"' in html
    assert 'class="kb-badge kb-untagged"' in html
    assert 'class="kb-badge kb-confirmed"' in html
    assert 'class="kb-flag"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tags=untagged", {"Nobody tagged me"}),
        ("tags=suggested", {"Pain between my shoulder blades after W7R1"}),
        ("tags=confirmed", {"Knees, confirmed"}),
        ("red_flag=yes", {"Pain between my shoulder blades after W7R1"}),
        ("red_flag=no", {"Nobody tagged me", "Knees, confirmed"}),
        ("q=W7R1", {"Pain between my shoulder blades after W7R1"}),
        ("q=sneezing", {"Nobody tagged me"}),
        ("q=Nobody", {"Nobody tagged me"}),
        ("stage__exact=7", {"Knees, confirmed"}),
        ("community=Other", {"Nobody tagged me"}),
    ],
)
def test_filters_and_search(editor, query, expected):
    curated_thread().red_flags.add(RedFlag.objects.first())
    make_thread("Nobody tagged me", body="It hurts when sneezing.", community="Other")
    make_thread("Knees, confirmed", locations=["knees"], stage=7)
    assert row_titles(editor.get(f"{CHANGELIST}?{query}")) == expected


def test_filter_by_location_and_remedy(editor):
    curated_thread()
    make_thread("Knees", locations=["knees"], remedies=["yoga"])
    by_location = editor.get(f"{CHANGELIST}?locations__id__exact={location('knees').pk}")
    assert row_titles(by_location) == {"Knees"}
    by_remedy = editor.get(f"{CHANGELIST}?remedies__id__exact={remedy('relax-shoulders').pk}")
    assert row_titles(by_remedy) == {"Pain between my shoulder blades after W7R1"}


def test_add_location_shows_a_choice_page_then_tags(editor):
    a, b = curated_thread(), make_thread("Other")
    data = {"action": "add_location", "_selected_action": [a.pk, b.pk]}
    page = editor.post(CHANGELIST, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="location"' in html and html.count('name="_selected_action"') == 2
    done = editor.post(CHANGELIST, {**data, "apply": "1", "location": location("knees").pk})
    assert done.status_code == 302
    for thread in (a, b):
        assert thread.location_tags.get(location__slug="knees").status == TagStatus.CONFIRMED


def test_add_remedy_with_a_bad_choice_shows_the_page_again(editor):
    thread = curated_thread()
    data = {
        "action": "add_remedy",
        "_selected_action": [thread.pk],
        "apply": "1",
        "remedy": "999999",
    }
    page = editor.post(CHANGELIST, data)
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert thread.remedy_tags.count() == 1


def test_confirm_hide_and_show_actions(editor):
    thread = curated_thread()
    editor.post(CHANGELIST, {"action": "confirm_suggested", "_selected_action": [thread.pk]})
    assert not thread.location_tags.filter(status=TagStatus.SUGGESTED).exists()
    assert Evidence.objects.get().status == TagStatus.CONFIRMED
    editor.post(CHANGELIST, {"action": "hide", "_selected_action": [thread.pk]})
    assert Thread.objects.get(pk=thread.pk).is_hidden
    editor.post(CHANGELIST, {"action": "show", "_selected_action": [thread.pk]})
    assert not Thread.objects.get(pk=thread.pk).is_hidden


def test_thread_page_confirms_in_one_click_and_shows_evidence_states(editor):
    thread = curated_thread()
    url = reverse("admin:kbapp_thread_change", args=[thread.pk])
    html = editor.get(url).content.decode()
    assert "Review suggested tags &amp; evidence (3)" in html
    assert "kb-badge kb-suggested" in html
    assert 'id="confirm-suggestions"' in html
    response = editor.post(reverse("admin:kbapp_thread_confirm", args=[thread.pk]))
    assert response.status_code == 302
    assert "confirmed on 1 thread" in str(list(editor.get(url).context["messages"])[0])
    assert Evidence.objects.get().status == TagStatus.CONFIRMED
    assert editor.get(reverse("admin:kbapp_thread_confirm", args=[thread.pk])).status_code == 405


def test_thread_page_query_budget_with_many_replies(editor, django_assert_max_num_queries):
    thread = make_thread(replies=[f"reply {i} about yoga" for i in range(40)])
    for reply in thread.replies.all()[:20]:
        make_evidence(reply, "yoga", "knees", quote="yoga")
    with django_assert_max_num_queries(20):
        editor.get(reverse("admin:kbapp_thread_change", args=[thread.pk]))


def test_advice_from_a_thread_prefills_only_what_an_editor_confirmed(editor):
    thread = curated_thread()
    # Suggestions only: a guessed place (glutes) and remedy (pilates) that nobody checked.
    make_evidence(thread.replies.get(position=3), "pilates", "glutes", status=TagStatus.SUGGESTED)
    url = reverse("admin:kbapp_thread_advice", args=[thread.pk])
    query = parse_qs(urlsplit(editor.get(url)["Location"]).query)
    assert "sources" not in query and "locations" not in query and "remedies" not in query
    curation.confirm_suggestions(
        thread_ids=[thread.pk],
        user=None,
        picked=curation.Picked(evidence=[Evidence.objects.get(remedy__slug="relax-shoulders").pk]),
    )
    response = editor.get(url)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["sources"] == [str(thread.replies.get(position=2).pk)]
    assert query["locations"] == [str(location("between-the-shoulder-blades").pk)]
    assert query["remedies"] == [str(remedy("relax-shoulders").pk)]
    assert query["title"] == ["Between the shoulder blades: Relax the shoulders"]
    form = editor.get(response["Location"]).context["adminform"].form
    assert form.initial["sources"] == [str(thread.replies.get(position=2).pk)]
    assert form.initial["title"] == "Between the shoulder blades: Relax the shoulders"


@pytest.mark.parametrize("name", ["kbapp_thread_confirm", "kbapp_thread_advice"])
def test_buttons_on_a_missing_thread_are_404(editor, name):
    response = editor.post(reverse(f"admin:{name}", args=[999999]))
    assert response.status_code == 404


def test_a_tag_added_on_the_thread_page_starts_confirmed(editor):
    thread = curated_thread()
    url = reverse("admin:kbapp_thread_change", args=[thread.pk])
    page = editor.get(url)
    empty = page.context["inline_admin_formsets"][0].formset.empty_form
    assert empty["status"].value() == TagStatus.CONFIRMED
    data = form_data(page)
    data.update(
        {
            "location_tags-TOTAL_FORMS": "2",
            "location_tags-1-location": str(location("knees").pk),
            "location_tags-1-status": TagStatus.CONFIRMED,
        }
    )
    assert editor.post(url, data).status_code == 302
    assert thread.location_tags.get(location__slug="knees").status == TagStatus.CONFIRMED


@pytest.mark.parametrize("object_id", ["²", "٣", "１"])
def test_a_thread_id_in_other_digits_is_not_found_not_a_500(editor, object_id):
    """Unicode digits pass str.isdigit; the suggestion count must not hand them to the ORM."""
    response = editor.get(f"/admin/kbapp/thread/{object_id}/change/")
    assert response.status_code in {302, 404}


def test_the_review_list_shows_each_suggestion_with_its_sentence_and_confirms_only_the_ticked(
    editor,
):
    thread = curated_thread()
    evidence = Evidence.objects.get()
    url = reverse("admin:kbapp_thread_change", args=[thread.pk])
    html = editor.get(url).content.decode()
    panel = html[html.index('id="confirm-panel"') :]
    assert f'name="evidence" value="{evidence.pk}"' in panel
    assert f"<q>{evidence.quote}</q>" in panel
    tag = thread.location_tags.get()
    data = {"reviewed": "1", "locations": [tag.pk], "evidence": ["", "x", "9" * 40]}
    editor.post(reverse("admin:kbapp_thread_confirm", args=[thread.pk]), data)
    assert thread.location_tags.get().status == TagStatus.CONFIRMED
    assert thread.remedy_tags.get().status == TagStatus.SUGGESTED
    assert Evidence.objects.get().status == TagStatus.SUGGESTED
