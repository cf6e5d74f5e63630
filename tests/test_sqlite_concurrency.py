"""SQLite stays up while a long thread is imported: searches neither fail nor queue.

Two real processes on one SQLite file, as `make run` serves it: one imports a thread of
5,000 replies while the other searches through Django's test client, page and API.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db(False)]

REPLIES = 5_000

SEARCHER = textwrap.dedent(
    """
    import json, os, sys, time
    import django
    django.setup()
    from django.test import Client
    client, latencies, failures = Client(HTTP_HOST="localhost"), [], []
    stop_file, deadline = sys.argv[1], time.monotonic() + 120
    urls = ["/search/?q=calves+ache", "/api/search?q=shin+splints", "/search/?q=w5+knee"]
    while not os.path.exists(stop_file) and time.monotonic() < deadline:
        for url in urls:
            started = time.monotonic()
            try:
                status = client.get(url).status_code
            except Exception as exc:
                status = repr(exc)
            latencies.append(time.monotonic() - started)
            if status != 200:
                failures.append(str(status))
    print(json.dumps({"latencies": latencies, "failures": failures}))
    """
)


def long_thread(path) -> None:
    replies = [
        {"author": f"runner{n}", "body": f"Reply {n}: my calves ache after week {n % 9 + 1}."}
        for n in range(REPLIES)
    ]
    thread = {"id": "long-1", "title": "Calves ache", "body": "Whose calves ache?"}
    path.write_text(json.dumps({**thread, "replies": replies}) + "\n")


def test_searches_keep_answering_during_a_long_import(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "kbapp.settings",
        "PYTHONPATH": os.getcwd(),
    }
    env.pop("KB_TESTING", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_demo", "-v0"], env=env, check=True)
    dump, stop = tmp_path / "long.jsonl", tmp_path / "stop"
    long_thread(dump)

    searcher = subprocess.Popen(
        [sys.executable, "-c", SEARCHER, str(stop)], env=env, stdout=subprocess.PIPE, text=True
    )
    time.sleep(1.0)  # searches are under way before the import starts
    started = time.monotonic()
    imported = subprocess.run(
        [*manage, "import_threads", str(dump)], env=env, capture_output=True, text=True
    )
    import_seconds = time.monotonic() - started
    stop.touch()
    out, _ = searcher.communicate(timeout=60)
    report = json.loads(out)

    latencies = sorted(report["latencies"])
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    # The import's own speed is measured elsewhere; here only the searches beside it count.
    print(f"import {import_seconds:.1f} s, {len(latencies)} searches, p99 {p99 * 1000:.0f} ms")
    assert imported.returncode == 0, imported.stderr
    assert "created 1 /" in imported.stdout
    assert report["failures"] == []
    assert len(latencies) >= 10
    assert p99 < 1.0, f"p99 {p99:.2f} s over {len(latencies)} searches"
