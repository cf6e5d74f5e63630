import pytest

from kbapp.models import Evidence, Stage, TagStatus
from tests.factories import make_evidence, make_thread
from tests.public_support import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers():
    upper = make_thread(
        "Upper back thread",
        replies=[("Ann", "Relaxing my shoulders helped."), ("Bob", "Yoga did not help me.")],
        stage=Stage.WEEK_5,
    )
    knees = make_thread("Knee thread", replies=[("Cat", "New shoes fixed my knees.")])
    hidden = make_thread("Hidden thread", replies=[("Dan", "Secret remedy.")], is_hidden=True)
    ann, bob = upper.replies.all()
    make_evidence(ann, "relax-shoulders", "between-the-shoulder-blades")
    make_evidence(bob, "yoga", "upper-back", stance=Evidence.Stance.DID_NOT_HELP)
    make_evidence(knees.replies.get(), "new-shoes-gait", "knees", stance="recommends")
    make_evidence(hidden.replies.get(), "rest", "knees")
    unconfirmed = make_thread("Unconfirmed thread", replies=[("Eve", "Swimming!")])
    make_evidence(unconfirmed.replies.get(), "swimming", "knees", status=TagStatus.SUGGESTED)
    return ann, bob


def test_lists_confirmed_answers_on_visible_threads_only(client, answers):
    text = page_text(client.get("/answers/"))
    assert "3 replies" in text
    for shown in ("Relaxing my shoulders helped.", "Yoga did not help me.", "New shoes fixed"):
        assert shown in text
    assert "Secret remedy" not in text and "Swimming!" not in text


def test_each_answer_links_to_its_place_in_its_thread(client, answers):
    ann, _ = answers
    html = client.get("/answers/").content.decode()
    assert f'<a href="/threads/{ann.thread.slug}/#reply-{ann.pk}">Upper back thread</a>' in html
    assert "Tried it and it helped: relax the shoulders for between the shoulder blades" in (
        page_text(client.get("/answers/"))
    )


@pytest.mark.parametrize(
    "query, shown, not_shown",
    [
        ("location=back", ["Relaxing", "Yoga did not"], ["New shoes fixed"]),
        ("location=between-the-shoulder-blades", ["Relaxing"], ["Yoga did not", "New shoes fixed"]),
        ("remedy=yoga", ["Yoga did not"], ["Relaxing", "New shoes fixed"]),
        ("stance=did_not_help", ["Yoga did not"], ["Relaxing", "New shoes fixed"]),
        ("stance=recommends", ["New shoes fixed"], ["Relaxing", "Yoga did not"]),
        ("stage=5", ["Relaxing", "Yoga did not"], ["New shoes fixed"]),
        ("category=gear", ["New shoes fixed"], ["Relaxing", "Yoga did not"]),
    ],
)
def test_filters(client, answers, query, shown, not_shown):
    response = client.get(f"/answers/?{query}")
    assert response.status_code == 200
    text = page_text(response)
    assert all(words in text for words in shown)
    assert not any(words in text for words in not_shown)


def test_a_reply_with_two_claims_is_listed_once(client, answers):
    ann, _ = answers
    make_evidence(ann, "posture", "upper-back")
    text = page_text(client.get("/answers/?location=back"))
    assert text.count("Relaxing my shoulders helped.") == 1
    assert "2 replies" in text


def test_pagination_of_answers(client):
    thread = make_thread(replies=[(f"R{n}", f"Answer number {n}") for n in range(25)])
    for reply in thread.replies.all():
        make_evidence(reply, "rest", "knees")
    assert "Page 2 of 2" in page_text(client.get("/answers/?page=2"))
    past = client.get("/answers/?page=3")
    assert past.status_code == 404
    assert "There is no page 3: these results fit on 2 pages." in past.content.decode()
    assert client.get("/answers/?page=x").status_code == 400


@pytest.mark.parametrize(
    "query, message",
    [
        ("stance=maybe", "What they said: “maybe” is not a stance we know."),
        ("location=elbow", "Where it hurts: “elbow” is not a body region we know."),
        ("page=-1", "Page numbers start at 1."),
    ],
)
# Parallel to the advice list's test, kept apart: each page has its own filters and words.
def test_bad_values_are_a_400(client, answers, query, message):
    response = client.get(f"/answers/?{query}")
    assert response.status_code == 400
    assert message in page_text(response)
