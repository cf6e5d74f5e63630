"""The benchmark's commands: generate_corpus (idempotent per seed) and bench_search."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from kbapp.models import AdviceEntry, AdviceVote, Evidence, Reply, Thread, ThreadLocation
from kbapp.search import get_backend
from tests.factories import make_advice

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_corpus", *args, stdout=out)
    return out.getvalue()


def corpus(seed: int) -> dict[str, tuple[str, str, int]]:
    threads = Thread.objects.filter(source_key__startswith=f"corpus:{seed}:")
    return {t.source_key: (t.title, t.body, t.replies.count()) for t in threads}


def test_generate_corpus_is_idempotent_per_seed():
    assert "Created 30 threads (0 of seed 7" in generate("--threads", "30", "--seed", "7")
    first = corpus(7)
    assert "Created 0 threads (30 of seed 7 were there already)" in generate(
        "--threads", "30", "--seed", "7"
    )
    assert corpus(7) == first
    assert "Created 10 threads (30 of seed 7" in generate("--threads", "40", "--seed", "7")
    assert Thread.objects.count() == 40


def test_the_same_seed_writes_the_same_threads_and_another_seed_others():
    generate("--threads", "15", "--seed", "3")
    first = corpus(3)
    Thread.objects.all().delete()
    generate("--threads", "15", "--seed", "3", "--batch-size", "4")
    assert corpus(3) == first
    generate("--threads", "15", "--seed", "4")
    assert {title for title, _, _ in corpus(4).values()} != {t for t, _, _ in first.values()}


def test_generated_threads_look_like_the_forum_and_are_searchable():
    generate("--threads", "60", "--replies", "6")
    replies = Reply.objects.count()
    assert 60 * 3 <= replies <= 60 * 9
    assert ThreadLocation.objects.filter(status="confirmed").exists()
    assert Thread.objects.exclude(stage=None).exists()
    assert get_backend().search("pain").count > 10


def test_the_corpus_looks_curated_and_curating_again_adds_nothing(client):
    generate("--threads", "200", "--seed", "5")
    claims = Evidence.objects.filter(status="confirmed")
    assert set(claims.values_list("stance", flat=True)) == set(Evidence.Stance.values)
    assert 0.01 < claims.count() / Reply.objects.count() < 0.06  # a few percent of replies
    entries = AdviceEntry.objects.published()
    assert entries.exists()
    for entry in entries:
        assert entry.sources.exists() and entry.cited_snapshot
        assert entry.votes.count() >= 10
    assert client.get(entries.first().get_absolute_url()).status_code == 200
    counts = (claims.count(), entries.count(), AdviceVote.objects.count())
    assert "0 confirmed claims, 0 published advice entries and 0 helpful votes" in generate(
        "--threads", "200", "--seed", "5"
    )
    assert (claims.count(), entries.count(), AdviceVote.objects.count()) == counts


def test_generate_corpus_refuses_nonsense():
    with pytest.raises(CommandError):
        generate("--threads", "-1")
    with pytest.raises(CommandError):
        generate("--replies", "0")


def test_bench_search_reports_percentiles_for_each_way_of_searching(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    generate("--threads", "40", "--replies", "4")
    out = io.StringIO()
    call_command("bench_search", "--repeat", "1", stdout=out)
    report = out.getvalue()
    names = [
        "search()",
        "search() + facets",
        "GET /api/search",
        "GET /search/",
        "GET /api/search warm",
        "GET /search/ warm",
        "icontains baseline",
    ]
    for name in names:
        line = next(line for line in report.splitlines() if line.startswith(name + "  "))
        p50, p95, p99, runs = line[len(name) :].split()
        assert 0 < float(p50) <= float(p95) <= float(p99) and runs == "50"
    speed = r"Speed-up of GET /api/search over icontains: \d+x at p50, \d+x at p95"
    assert re.search(speed, report)
    assert re.search(r"Matches per query: median [\d,]+, max [\d,]+", report)
    assert "40 threads" in report
    (written,) = tmp_path.glob("bench-search-*.txt")
    assert "GET /search/ warm" in written.read_text(encoding="utf-8")


def test_bench_write_times_an_import_and_reply_edits_in_the_admin(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("bench_write", "--threads", "4", "--edits", "2", stdout=out)
    report = out.getvalue()
    assert re.search(r"import_threads of 4 threads \(bench-write-7-4\.jsonl\) [\d.]+ s", report)
    assert re.search(r"edited in the admin: median [\d.]+ ms; the save alone: median", report)
    edited = Reply.objects.filter(
        thread__source_file="bench-write-7-4.jsonl", body__contains="Edited"
    )
    assert edited.count() == 4  # two through the admin's form, two saved directly
    assert not get_user_model().objects.exists()  # its editor is gone again
    with pytest.raises(CommandError, match="imported here already"):
        call_command("bench_write", "--threads", "4", "--edits", "2", stdout=io.StringIO())


def test_bench_browse_reports_cold_percentiles_for_every_page_type(settings):
    generate("--threads", "40", "--replies", "4")
    make_advice("Relax your shoulders")  # so few threads may bring no advice of their own
    out = io.StringIO()
    call_command("bench_browse", "--samples", "3", stdout=out)
    report = out.getvalue().splitlines()
    types = ["home", "symptom", "symptom + stage", "symptom + remedy", "answers"]
    types += ["advice list", "advice entry", "thread", "check", "API thread"]
    for name in types:
        line = next(line for line in report if line.startswith(name + "  "))
        p50, p95, top, n = line[len(name) :].split()
        assert 0 < float(p50) <= float(p95) <= float(top) and int(n) >= 1
    with pytest.raises(CommandError):
        call_command("bench_browse", "--samples", "1", stdout=io.StringIO())
