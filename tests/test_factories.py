import pytest

from kbapp.models import Evidence, PainLocation, Thread
from tests.factories import make_advice, make_evidence, make_thread

pytestmark = pytest.mark.django_db


def test_taxonomy_is_loaded_by_migration():
    upper = PainLocation.objects.get(slug="upper-back")
    between = PainLocation.objects.get(slug="between-the-shoulder-blades")
    assert between.parent == upper
    assert "scapula" in between.terms
    assert set(PainLocation.objects.get(slug="back").descendant_ids()) >= {upper.pk, between.pk}


def test_builders_write_threads_evidence_and_advice():
    thread = make_thread(replies=[("Cazvs", "Yoga helped my shoulders.")], locations=["neck"])
    reply = thread.replies.get()
    make_evidence(reply, "yoga", "shoulders")
    entry = make_advice(sources=[reply])
    assert Thread.objects.for_location(PainLocation.objects.get(slug="neck")).get() == thread
    assert Evidence.objects.public().support_counts()["helped"] == 1
    assert list(entry.sources.all()) == [reply]
