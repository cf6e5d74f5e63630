import re
from html import unescape

import pytest

from kbapp.models import Evidence, Stage, TagStatus
from tests.factories import make_advice, make_evidence, make_thread
from tests.public_support import page_text, section, words

pytestmark = pytest.mark.django_db

HELPED, RECOMMENDS, DID_NOT = (
    Evidence.Stance.HELPED,
    Evidence.Stance.RECOMMENDS,
    Evidence.Stance.DID_NOT_HELP,
)


@pytest.fixture
def yoga_answers():
    """Yoga for the upper back: A helped, B recommends (two threads), C said it did not help."""
    first = make_thread(
        "W7 upper back ache",
        replies=[("A", "Yoga helped."), ("B", "Try yoga.")],
        locations=["upper-back"],
        stage=Stage.WEEK_7,
    )
    second = make_thread(
        "Shoulder blade pain",
        replies=[("B", "Yoga again."), ("C", "Yoga did nothing for me.")],
        locations=["between-the-shoulder-blades"],
        stage=Stage.WEEK_3,
    )
    a, b = first.replies.all()
    b2, c = second.replies.all()
    make_evidence(a, "yoga", "upper-back", HELPED)
    make_evidence(b, "yoga", "upper-back", RECOMMENDS)
    make_evidence(b2, "yoga", "between-the-shoulder-blades", RECOMMENDS)
    make_evidence(c, "yoga", "between-the-shoulder-blades", DID_NOT)
    return first, second


def support_row(response, remedy: str) -> str:
    html = section(response, "answers-heading")
    match = re.search(rf"<li>\s*<h3>{remedy} .*?</li>", html, re.S)
    assert match, f"no row for {remedy}"
    return match.group(0)


def test_unknown_place_is_a_404_in_the_site_style(client):
    response = client.get("/symptoms/elbow/")
    assert response.status_code == 404
    assert "We could not find that page" in page_text(response)


def test_red_flags_come_first_for_the_place_its_parents_and_everywhere(client):
    response = client.get("/symptoms/upper-back/")
    html = response.content.decode()
    flags = words(section(response, "red-flags-heading"))
    assert "Pain when breathing, coughing or sneezing" in flags  # tagged upper back
    assert "Back pain with bladder or bowel changes or fever" in flags  # tagged back, a parent
    assert "Numbness, tingling or pins and needles" in flags  # no locations: everywhere
    assert "Cannot bear weight" not in flags  # legs only
    headings = ["red-flags-heading", "advice-heading", "answers-heading", "threads-heading"]
    order = [html.index(f'id="{h}"') for h in headings]
    assert order == sorted(order)


def test_red_flags_on_a_leg_are_the_leg_ones(client):
    flags = words(section(client.get("/symptoms/shins/"), "red-flags-heading"))
    assert "Cannot bear weight" in flags
    assert "Pain when breathing" not in flags


def test_support_counts_read_like_a_sentence(client, yoga_answers):
    row = words(support_row(client.get("/symptoms/upper-back/"), "Yoga"))
    # C said it did not help: counted apart, never as support.
    assert "Recommended by 2 runners in 2 threads, 1 said it helped; 1 said it did not help." in row


def test_each_count_links_to_the_replies_behind_it(client, yoga_answers):
    row = support_row(client.get("/symptoms/upper-back/"), "Yoga")
    links = {
        words(text): unescape(href)
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', row)
    }
    assert links["2 runners"] == "/answers/?location=upper-back&remedy=yoga"
    assert links["1 said it helped"] == "/answers/?location=upper-back&remedy=yoga&stance=helped"
    helped = page_text(client.get(links["1 said it helped"]))
    assert "Yoga helped." in helped and "Try yoga." not in helped
    everyone = page_text(client.get(links["2 runners"]))
    assert "4 replies" in everyone


def test_a_place_includes_everything_under_it(client, yoga_answers):
    assert "Yoga" in words(section(client.get("/symptoms/back/"), "answers-heading"))
    row = words(support_row(client.get("/symptoms/back/"), "Yoga"))
    assert "Where: Between the shoulder blades (2), Upper back (2)" in row
    lower = section(client.get("/symptoms/lower-back/"), "answers-heading")
    assert "Yoga" not in lower
    # The shoulder-blade page has only its own replies.
    row = words(support_row(client.get("/symptoms/between-the-shoulder-blades/"), "Yoga"))
    assert "Recommended by 1 runner in 1 thread; 1 said it did not help." in row


def test_only_confirmed_evidence_on_visible_threads_counts(client):
    thread = make_thread(replies=[("D", "Swimming helped")], locations=["upper-back"])
    make_evidence(thread.replies.get(), "swimming", "upper-back", status=TagStatus.SUGGESTED)
    hidden = make_thread(replies=[("E", "Pilates")], locations=["upper-back"], is_hidden=True)
    make_evidence(hidden.replies.get(), "pilates", "upper-back")
    answers = words(section(client.get("/symptoms/upper-back/"), "answers-heading"))
    assert "Swimming" not in answers and "Pilates" not in answers
    assert "No confirmed answers from runners yet." in answers


def test_stage_filter_narrows_answers_and_threads(client, yoga_answers):
    response = client.get("/symptoms/upper-back/?stage=7")
    assert response.status_code == 200
    row = words(support_row(response, "Yoga"))
    assert "Recommended by 2 runners in 1 thread, 1 said it helped." in row
    threads = words(section(response, "threads-heading"))
    assert "W7 upper back ache" in threads and "Shoulder blade pain" not in threads
    # The count links keep the stage.
    assert "stage=7" in support_row(response, "Yoga")
    assert '<option value="7" selected>' in response.content.decode()


def test_graduate_stage_is_a_filter_value(client):
    make_thread("Graduate question", locations=["upper-back"], stage=Stage.GRADUATE)
    threads = words(section(client.get("/symptoms/upper-back/?stage=10"), "threads-heading"))
    assert "Graduate question" in threads


def test_remedy_category_filter(client, yoga_answers):
    thread = make_thread(
        replies=[("F", "Planks")], locations=["upper-back"], remedies=["core-strength"]
    )
    make_evidence(thread.replies.get(), "core-strength", "upper-back")
    make_advice("Core advice", locations=["upper-back"], remedies=["core-strength"])
    make_advice("Yoga advice", locations=["upper-back"], remedies=["yoga"])
    response = client.get("/symptoms/upper-back/?category=strength")
    answers = words(section(response, "answers-heading"))
    assert "Core strength" in answers and "Yoga" not in answers
    advice = words(section(response, "advice-heading"))
    assert "Core advice" in advice and "Yoga advice" not in advice
    threads = words(section(response, "threads-heading"))
    assert thread.title in threads and "W7 upper back ache" not in threads


def test_remedy_filter(client, yoga_answers):
    make_advice("Core advice", locations=["upper-back"], remedies=["core-strength"])
    make_advice("Yoga advice", locations=["upper-back"], remedies=["yoga"])
    advice = words(section(client.get("/symptoms/upper-back/?remedy=yoga"), "advice-heading"))
    assert "Yoga advice" in advice and "Core advice" not in advice


def test_published_advice_for_the_place_and_below_only(client):
    make_advice("Shoulder blade advice", locations=["between-the-shoulder-blades"])
    make_advice("Knee advice", locations=["knees"])
    make_advice("Draft advice", locations=["upper-back"], status="draft")
    advice = words(section(client.get("/symptoms/upper-back/"), "advice-heading"))
    assert "Shoulder blade advice" in advice
    assert "Knee advice" not in advice and "Draft advice" not in advice


def test_related_threads_are_visible_and_confirmed(client):
    make_thread("Confirmed thread", locations=["upper-back"])
    make_thread("Suggested only", locations=["upper-back"], status=TagStatus.SUGGESTED)
    make_thread("Hidden thread", locations=["upper-back"], is_hidden=True)
    threads = words(section(client.get("/symptoms/upper-back/"), "threads-heading"))
    assert "Confirmed thread" in threads
    assert "Suggested only" not in threads and "Hidden thread" not in threads


def test_many_threads_link_on_to_search(client):
    for n in range(12):
        make_thread(f"Thread {n}", locations=["knees"])
    html = section(client.get("/symptoms/knees/"), "threads-heading")
    assert html.count("<li>") == 10
    assert 'href="/search/?q=Knees&amp;location=knees"' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("stage=abc", "Programme stage: “abc” is not a Couch to 5K week."),
        ("stage=11", "Programme stage: “11” is not a Couch to 5K week."),
        ("category=bogus", "Kind of remedy: “bogus” is not a kind of remedy."),
        ("remedy=nope", "What they tried: “nope” is not a remedy we know."),
    ],
)
def test_bad_filters_are_a_400_with_a_clear_message(client, query, message):
    response = client.get(f"/symptoms/upper-back/?{query}")
    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert "See a professional if" in text  # the red flags still show
