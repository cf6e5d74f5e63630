import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kbapp.models import PainLocation
from tests.factories import make_advice, make_thread
from tests.public_support import page_text

pytestmark = pytest.mark.django_db

REGION = re.compile(
    r'<a href="([^"]+)" class="region[^"]*" data-slug="([^"]+)"[^>]*>(.*?)</a>', re.S
)


def regions(html: str) -> dict[str, tuple[str, str]]:
    """Body map regions by slug: (link, visible label)."""
    return {
        slug: (
            href,
            " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<title>.*?</title>", "", inner)).split()),
        )
        for href, slug, inner in REGION.findall(html)
    }


def test_body_map_links_every_top_level_location_with_its_label(client):
    html = client.get("/").content.decode()
    drawn = regions(html)
    top_level = list(PainLocation.objects.top_level())
    assert len(top_level) >= 10
    for location in top_level:
        assert drawn[location.slug] == (location.get_absolute_url(), location.name)
    assert drawn["upper-back"] == ("/symptoms/upper-back/", "Upper back")
    assert html.count("<svg") == 2  # front and back


def test_the_same_places_are_a_plain_list_too(client):
    html = client.get("/").content.decode()
    places = re.search(r'<nav class="place-list".*?</nav>', html, re.S).group(0)
    for location in PainLocation.objects.all():
        assert f'<a href="{location.get_absolute_url()}">{location.name}</a>' in places


def test_renamed_location_shows_its_new_name_on_the_map(client):
    PainLocation.objects.filter(slug="knees").update(name="Knee caps")
    assert regions(client.get("/").content.decode())["knees"][1] == "Knee caps"


def test_home_lists_the_advice_with_most_support_first(client):
    thread = make_thread(replies=["a", "b", "c", "d"])
    hidden = make_thread(replies=["e", "f", "g"], is_hidden=True)
    one, two, three, four = thread.replies.all()
    make_advice("Least", sources=[one])
    make_advice("Most", sources=[one, two, three])
    make_advice("Middle", sources=[three, four])
    make_advice("Hidden sources count for nothing", sources=list(hidden.replies.all()))
    make_advice("A draft", sources=[one, two, three, four], status="draft")
    words = page_text(client.get("/"))
    assert words.index("Most") < words.index("Middle") < words.index("Least")
    assert "A draft" not in words
    assert "Based on 3 replies" in words and "Based on 0 replies" in words


def test_home_has_the_search_box_the_disclaimer_and_page_metadata(client):
    response = client.get("/")
    html = response.content.decode()
    assert re.search(r'<form[^>]*role="search"[^>]*action="/search/"', html)
    assert 'name="q"' in html and '<label for="site-search">' in html
    assert "Community experience, not medical advice." in html
    assert "local emergency number" in html
    assert '<link rel="canonical" href="http://testserver/">' in html
    assert '<meta property="og:title" content="Runners\' aches and pains">' in html
    assert 'property="og:description"' in html
    assert 'class="skip-link" href="#main"' in html and 'id="main"' in html


def test_home_without_any_advice_says_so(client):
    assert "No advice has been published yet." in page_text(client.get("/"))


def test_between_the_shoulder_blades_has_its_own_spot(client):
    drawn = regions(client.get("/").content.decode())
    assert drawn["between-the-shoulder-blades"] == (
        "/symptoms/between-the-shoulder-blades/",
        "Between the shoulder blades",
    )


def test_places_with_nothing_yet_look_different_and_say_so(client):
    make_thread("Knees", locations=["knees"])  # confirmed, visible
    make_thread("Hidden shins", locations=["shins"], is_hidden=True)
    make_advice("Calf stretch", locations=["calves"])
    make_advice("Draft ankles", locations=["ankles"], status="draft")
    html = client.get("/").content.decode()
    classes = {
        slug: cls for cls, slug in re.findall(r'class="(region[^"]*)" data-slug="([^"]+)"', html)
    }
    assert classes["knees"] == classes["calves"] == "region"
    assert classes["shins"] == classes["ankles"] == "region region--empty"
    assert 'aria-label="Shins: nothing yet"' in html
    places = re.search(r'<nav class="place-list".*?</nav>', html, re.S).group(0)
    assert re.search(r'>Shins</a> <span class="nothing-yet">\(nothing yet\)</span>', places)
    assert not re.search(r'>Knees</a> <span class="nothing-yet">', places)


def test_home_shows_the_latest_published_entries_newest_first(
    client, django_assert_max_num_queries
):
    now = timezone.now()
    for n in range(7):
        make_advice(f"Entry number {n}", published_at=now - timedelta(days=7 - n))
    make_advice("Unpublished draft", status="draft")
    response = client.get("/")
    html = response.content.decode()
    latest = re.search(r'<section class="latest-advice".*?</section>', html, re.S).group(0)
    shown = re.findall(r">(Entry number \d)</a>", latest)
    assert shown == [f"Entry number {n}" for n in (6, 5, 4, 3, 2)]
    assert "Unpublished draft" not in latest
    with django_assert_max_num_queries(12) as queries:
        client.get("/")
    assert sum("published_at" in q["sql"] and "LIMIT 5" in q["sql"] for q in queries) >= 1
