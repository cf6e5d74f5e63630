import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from kbapp.models import AdviceEntry, Stage
from tests.factories import make_advice, make_thread
from tests.public_support import page_text, section, words

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    html = response.content.decode()
    cards = re.findall(r'<h3 class="card__title"><a href="[^"]+">(.*?)</a>', html)
    return cards


def option_label(response, name: str, value: str) -> str:
    html = response.content.decode()
    select = re.search(rf'<select id="f-{name}" name="{name}".*?</select>', html, re.S).group(0)
    match = re.search(rf'<option value="{value}"( selected)?>(.*?)</option>', select)
    assert match, f"no option {value} in {name}"
    return " ".join(match.group(2).split())


@pytest.fixture
def library():
    """Entries on different places, remedies and stages, with different support."""
    week7 = make_thread("Week 7 thread", replies=["a", "b", "c"], stage=Stage.WEEK_7)
    grad = make_thread("Graduate thread", replies=["d", "e"], stage=Stage.GRADUATE)
    a, b, c = week7.replies.all()
    d, e = grad.replies.all()
    now = timezone.now()
    return {
        "shoulders": make_advice(
            "Relax your shoulders",
            locations=["between-the-shoulder-blades"],
            remedies=["relax-shoulders"],
            sources=[a, b, c],
            published_at=now - timedelta(days=30),
        ),
        "core": make_advice(
            "Build core strength",
            locations=["lower-back"],
            remedies=["core-strength"],
            sources=[d],
            body="Planks and **dead bugs**, a few minutes a day.",
            published_at=now - timedelta(days=1),
        ),
        "shoes": make_advice(
            "Check your shoes",
            locations=["knees"],
            remedies=["new-shoes-gait"],
            sources=[d, e],
            published_at=now - timedelta(days=10),
        ),
        "draft": make_advice("Unfinished draft", locations=["knees"], status="draft"),
    }


def test_list_shows_published_entries_newest_first_by_default(client, library):
    response = client.get("/advice/")
    assert titles(response) == ["Build core strength", "Check your shoes", "Relax your shoulders"]
    assert "3 entries, most recent first" in page_text(response)
    assert titles(client.get("/advice/?sort=recent")) == titles(response)


def test_sort_by_support_on_the_control(client, library):
    response = client.get("/advice/?sort=support")
    assert titles(response) == ["Relax your shoulders", "Check your shoes", "Build core strength"]
    assert "3 entries, most support first" in page_text(response)
    assert '<option value="support" selected>' in response.content.decode()


def test_location_filter_includes_places_below_it(client, library):
    assert titles(client.get("/advice/?location=back")) == [
        "Build core strength",
        "Relax your shoulders",
    ]
    assert titles(client.get("/advice/?location=upper-back")) == ["Relax your shoulders"]
    assert titles(client.get("/advice/?location=shins")) == []


def test_remedy_category_stage_and_text_filters(client, library):
    assert titles(client.get("/advice/?remedy=core-strength")) == ["Build core strength"]
    assert titles(client.get("/advice/?category=gear")) == ["Check your shoes"]
    assert titles(client.get("/advice/?stage=7")) == ["Relax your shoulders"]
    assert titles(client.get("/advice/?stage=10")) == ["Build core strength", "Check your shoes"]
    assert titles(client.get("/advice/?q=dead+BUGS")) == ["Build core strength"]
    assert titles(client.get("/advice/?q=planks+shoes")) == []


def test_filters_combine_and_stay_in_the_url(client, library):
    response = client.get("/advice/?location=back&stage=10&sort=recent")
    assert titles(response) == ["Build core strength"]
    html = response.content.decode()
    assert '<option value="back" selected>' in html and '<option value="10" selected>' in html
    assert '<option value="recent" selected>' in html
    # Each chip removes its own filter and keeps the rest.
    assert 'href="/advice/?stage=10&amp;sort=recent"' in html


def test_facet_counts_beside_each_option(client, library):
    response = client.get("/advice/")
    assert option_label(response, "location", "back") == "Back (2)"
    assert option_label(response, "location", "knees") == "Knees (1)"
    assert option_label(response, "location", "shins") == "Shins (0)"
    assert option_label(response, "remedy", "core-strength") == "Core strength (1)"
    assert option_label(response, "category", "technique") == "Technique (1)"
    assert option_label(response, "stage", "10") == "Graduate (2)"
    assert option_label(response, "stage", "7") == "Week 7 (1)"


def test_facets_count_under_the_other_filters(client, library):
    response = client.get("/advice/?stage=10")
    # The location counts follow the stage filter...
    assert option_label(response, "location", "back") == "Back (1)"
    assert option_label(response, "location", "knees") == "Knees (1)"
    # ...while the stage counts ignore it, so the other stages stay reachable.
    assert option_label(response, "stage", "7") == "Week 7 (1)"
    response = client.get("/advice/?category=strength")
    assert option_label(response, "category", "gear") == "Gear (1)"
    assert option_label(response, "remedy", "new-shoes-gait") == "New shoes or gait analysis (0)"


def test_pagination(client):
    for n in range(23):
        make_advice(f"Entry {n:02d}")
    first, third = client.get("/advice/"), client.get("/advice/?page=3&sort=recent")
    assert len(titles(first)) == 10 and len(titles(third)) == 3
    assert "Page 1 of 3" in page_text(first)
    assert 'href="?page=2"' in first.content.decode()
    assert 'href="?page=2&amp;sort=recent"' in third.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("page=-1", "Page numbers start at 1."),
        ("page=0", "Page numbers start at 1."),
        ("page=abc", "“abc” is not a page number."),
        ("sort=bogus", "Sort by: “bogus” is not a way to sort."),
        ("location=nope", "Where it hurts: “nope” is not a body region we know."),
        ("stage=abc", "Programme stage: “abc” is not a Couch to 5K week."),
        ("q=%00", "Words: Null characters are not allowed."),
    ],
)
def test_bad_values_are_a_400_with_a_clear_message(client, library, query, message):
    response = client.get(f"/advice/?{query}")
    assert response.status_code == 400
    assert message in page_text(response)
    assert titles(response) == []


def test_detail_shows_summary_body_red_flags_and_sources(client, library):
    entry = library["shoulders"]
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert entry.summary in page_text(response)
    assert "<strong>relaxed</strong>" in html  # Markdown, rendered
    flags = words(section_or_aside(html, "see-a-professional"))
    assert "Numbness or pins and needles" in flags
    sources = section(response, "sources-heading")
    for reply in entry.sources.all():
        assert f'href="/threads/{reply.thread.slug}/#reply-{reply.pk}"' in sources
    assert '<meta property="og:type" content="article">' in html


def section_or_aside(html: str, heading_id: str) -> str:
    return re.search(rf'<aside[^>]*aria-labelledby="{heading_id}".*?</aside>', html, re.S).group(0)


def test_detail_body_is_sanitized(client):
    entry = make_advice("Tricky", body="Hi <script>alert(1)</script> [x](javascript:alert(2))")
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "javascript:" not in html


def test_detail_hides_sources_on_hidden_threads(client):
    hidden = make_thread("Hidden one", replies=["secret"], is_hidden=True)
    entry = make_advice("Cites a hidden thread", sources=list(hidden.replies.all()))
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Hidden one" not in html and "This entry cites no public replies." in html


def test_related_entries_share_a_place(client, library):
    make_advice("Upper back yoga", locations=["between-the-shoulder-blades"])
    related = words(section(client.get(library["shoulders"].get_absolute_url()), "related-heading"))
    assert "Upper back yoga" in related and "Check your shoes" not in related


@pytest.mark.parametrize("status", [AdviceEntry.Status.DRAFT, AdviceEntry.Status.IN_REVIEW])
def test_unpublished_entries_are_404_for_the_public(client, django_user_model, status):
    entry = make_advice("Not yet", status=status)
    assert client.get(entry.get_absolute_url()).status_code == 404
    user = django_user_model.objects.create_user("runner", password="x")
    client.force_login(user)
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert "Not yet" not in page_text(client.get("/advice/"))


def test_those_who_may_change_advice_can_preview_a_draft(client, django_user_model):
    entry = make_advice("Draft preview", status=AdviceEntry.Status.DRAFT)
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_adviceentry"))
    client.force_login(editor)
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    assert "Preview for editors: this entry is draft and not public." in page_text(response)
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_staff_without_the_permission_to_change_advice_cannot_read_drafts(
    client, django_user_model
):
    entry = make_advice("Draft preview", status=AdviceEntry.Status.IN_REVIEW)
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_unknown_entry_is_404(client):
    assert client.get("/advice/no-such-entry/").status_code == 404


@pytest.mark.parametrize("page", ["999", "9" * 30])
def test_a_page_past_the_end_is_a_404_and_no_filter_error(client, library, page):
    response = client.get("/advice/", {"page": page, "q": "shoulders", "location": "back"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "past the last page" in html if len(page) > 6 else "There is no page 999" in html
    assert "We could not use that filter" not in html
    assert 'href="?q=shoulders&amp;location=back">Go to the first page' in html


def test_start_again_keeps_the_words(client, library):
    html = client.get("/advice/", {"q": "shoulders", "stage": "abc"}).content.decode()
    assert 'href="/advice/?q=shoulders">Start again with no filters' in html
