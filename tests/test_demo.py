import pytest
from django.core.management import call_command

from kbapp.models import AdviceEntry, Evidence, TagStatus, Thread, ThreadLocation
from kbapp.services import curation
from tests.test_import import snapshot

pytestmark = pytest.mark.django_db


def test_load_demo_publishes_sourced_advice_and_is_idempotent(capsys):
    call_command("load_demo")
    assert "Demo threads: created 3 / updated 0 / unchanged 0 / failed 0" in capsys.readouterr().out
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
    assert "unchanged 3" in capsys.readouterr().out
    assert snapshot() == first
    assert dict(AdviceEntry.objects.values_list("slug", "published_at")) == published_at
    assert Thread.objects.count() == 3
