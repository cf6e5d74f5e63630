from pathlib import Path

import pytest
from django.core.management import call_command

from kbapp.models import AdviceEntry, Evidence, TagStatus, Thread, ThreadLocation
from kbapp.services import curation
from tests.test_import import snapshot

pytestmark = pytest.mark.django_db


def test_load_demo_publishes_sourced_advice_and_is_idempotent(capsys):
    call_command("load_demo")
    # The 3 real seed threads and the 8 sample threads written for the demo.
    assert (
        "Demo threads: created 11 / updated 0 / unchanged 0 / failed 0" in capsys.readouterr().out
    )
    first = snapshot()
    entries = AdviceEntry.objects.published().prefetch_related("sources__thread", "locations")
    assert len(entries) >= 8
    for entry in entries:
        assert entry.sources.exists(), entry.slug
        assert entry.locations.exists(), entry.slug
        assert entry.summary and entry.body and entry.red_flag_lines
        assert entry.published_at is not None
        curation.check_publishable(entry)  # the publishing rules hold for the demo too
        frozen = {item["reply"] for item in entry.cited_snapshot}
        assert frozen == {reply.pk for reply in entry.sources.all()}
    assert Evidence.objects.confirmed().count() >= 15
    assert ThreadLocation.objects.filter(status=TagStatus.CONFIRMED).exists()
    published_at = dict(AdviceEntry.objects.values_list("slug", "published_at"))

    call_command("load_demo")
    assert "unchanged 11" in capsys.readouterr().out
    assert snapshot() == first
    assert dict(AdviceEntry.objects.values_list("slug", "published_at")) == published_at
    assert Thread.objects.count() == 11


DEMO_DIR = Path(__file__).resolve().parent.parent / "kbapp" / "demo"
# Every place the README and docs name, as runners say it.
NAMED_PLACES = ["between-the-shoulder-blades", "shoulders", "lower-back", "shins", "knees",
                "calves", "neck", "hips", "feet"]  # fmt: skip


def test_every_place_the_docs_name_has_a_thread_and_advice():
    call_command("load_demo", verbosity=0)
    for slug in NAMED_PLACES:
        tagged = ThreadLocation.objects.filter(location__slug=slug, status=TagStatus.CONFIRMED)
        assert tagged.filter(thread__is_hidden=False).exists(), slug
        assert AdviceEntry.objects.published().filter(locations__slug=slug).exists(), slug


def test_sample_threads_are_labelled_and_the_seeds_are_as_they_were(client):
    call_command("load_demo", verbosity=0)
    samples = Thread.objects.filter(community=Thread.SAMPLE_COMMUNITY)
    assert samples.count() == 8
    for thread in samples:
        assert thread.is_sample
        assert "Sample data" in client.get(thread.get_absolute_url()).content.decode()
    shins = client.get("/symptoms/shins/").content.decode()
    assert "Shin splints in week 3" in shins and "Sample data" in shins
    search = client.get("/search/", {"q": "shin splints"}).content.decode()
    assert "Sample data" in search
    for seed in Thread.objects.exclude(community=Thread.SAMPLE_COMMUNITY):
        assert not seed.is_sample
        assert seed.source_key.startswith("file:") and seed.source_key.endswith(".txt")
        assert "Sample data" not in client.get(seed.get_absolute_url()).content.decode()
    shipped = {p.name: p.read_bytes() for p in (DEMO_DIR / "seeds").glob("*.txt")}
    assert set(shipped) == {
        "back-pain-after-longer-runs.txt",
        "help-mid-to-upper-back-pain.txt",
        "w7r1-upper-back-pain.txt",
    }
