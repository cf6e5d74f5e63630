import pytest

from kbapp.models import Stage, TagStatus, ThreadLocation
from tests.factories import location, make_advice, make_evidence, make_thread
from tests.public_support import page_text

pytestmark = pytest.mark.django_db


# Like the threads other modules build, yet its own: these tests assert on its exact words.
@pytest.fixture
def thread():
    thread = make_thread(
        "W7R1 done but upper back pain",
        "It hurts between my shoulder blades.",
        [("Ann", "Relax your shoulders."), ("Bob", "Core work helped me.")],
        locations=["upper-back"],
        remedies=["relax-shoulders"],
        stage=Stage.WEEK_7,
        stage_run=1,
        author="Deano",
    )
    ThreadLocation.objects.create(
        thread=thread, location=location("knees"), status=TagStatus.SUGGESTED
    )
    return thread


def test_question_and_every_reply_with_author_and_anchor(client, thread):
    response = client.get(thread.get_absolute_url())
    html = response.content.decode()
    text = page_text(response)
    assert "It hurts between my shoulder blades." in text and "Asked by Deano" in text
    for reply in thread.replies.all():
        assert f'id="reply-{reply.pk}"' in html
        assert f'href="#reply-{reply.pk}"' in html
        assert reply.author in text and reply.body in text
    assert text.index("Relax your shoulders.") < text.index("Core work helped me.")
    assert "Week 7, run 1" in text


def test_only_confirmed_tags_are_shown(client, thread):
    html = client.get(thread.get_absolute_url()).content.decode()
    assert '<a href="/symptoms/upper-back/">Upper back</a>' in html
    assert "/symptoms/knees/" not in html
    assert "Relax the shoulders" in html


def test_confirmed_claims_show_on_their_reply(client, thread):
    ann, bob = thread.replies.all()
    make_evidence(ann, "relax-shoulders", "upper-back")
    make_evidence(bob, "core-strength", "upper-back", status=TagStatus.SUGGESTED)
    text = page_text(client.get(thread.get_absolute_url()))
    assert "Tried it and it helped: relax the shoulders for upper back" in text
    assert "core strength for upper back" not in text


def test_advice_citing_the_thread_is_linked_published_only(client, thread):
    reply = thread.replies.first()
    entry = make_advice("Relax your shoulders", sources=[reply])
    make_advice("Secret draft", sources=[reply], status="draft")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert f'<a href="{entry.get_absolute_url()}">Relax your shoulders</a>' in html
    assert "Secret draft" not in html


def test_hidden_thread_is_404(client, thread):
    thread.is_hidden = True
    thread.save()
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 404
    assert "W7R1" not in page_text(response)


def test_unknown_thread_is_404(client):
    assert client.get("/threads/no-such-thread/").status_code == 404
