"""Without Redis, every worker process of one host sees a removal at once.

Two real processes share one SQLite file and the default cache settings, as `make serve`
runs its gunicorn workers: one keeps serving a page, the other hides its thread or rejects
a note it shows (moderation through the service, which changes rows with .update()).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.django_db(False)

WORKER = textwrap.dedent(
    """
    import os, sys, time
    import django
    django.setup()
    from django.test import Client
    client, go_on, url, marker = Client(HTTP_HOST="localhost"), *sys.argv[1:4]

    def show():
        response = client.get(url)
        shown = marker.encode() in response.content
        print(response.status_code, response.get("X-Page-Cache"), shown, flush=True)

    show()
    show()
    open(go_on + ".ready", "w").close()
    deadline = time.monotonic() + 60
    while not os.path.exists(go_on) and time.monotonic() < deadline:
        time.sleep(0.05)
    show()
    """
)

HIDE = textwrap.dedent(
    """
    import django
    django.setup()
    from kbapp.models import Thread
    from kbapp.services.curation.threads import set_hidden
    thread = Thread.objects.get(slug="knee-pain")
    set_hidden(thread_ids=[thread.pk], hidden=True, user=None)
    """
)

SETUP = textwrap.dedent(
    """
    import django
    django.setup()
    from datetime import date
    from django.utils import timezone
    from kbapp.models import AdviceEntry, AdviceVote, Thread
    Thread.objects.create(
        title="Knee pain", body="My knee hurts.", slug="knee-pain", source_key="k", content_hash="0"
    )
    entry = AdviceEntry.objects.create(
        title="Rest", slug="rest", summary="Rest a day.", body="Rest a day.",
        status="published", published_at=timezone.now(), review_due=date(2027, 6, 1),
    )
    AdviceVote.objects.create(
        entry=entry, helpful=False, missing="Say how long to rest.", moderation="approved"
    )
    """
)

REJECT = textwrap.dedent(
    """
    import django
    django.setup()
    from kbapp.models import AdviceVote
    from kbapp.services.feedback import moderate
    moderate(votes=AdviceVote.objects.all(), approve=False)
    """
)


@pytest.mark.parametrize(
    "editor, url, marker, after",
    [
        (HIDE, "/threads/knee-pain/", "My knee hurts.", "404 None False"),
        (REJECT, "/advice/rest/", "Say how long to rest.", "200 miss False"),
    ],
    ids=["hidden thread", "rejected note"],
)
def test_a_removal_through_one_worker_is_gone_from_the_others(tmp_path, editor, url, marker, after):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    env.update(DEBUG="1", CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=os.getcwd())
    env.update(DJANGO_SETTINGS_MODULE="kbapp.settings", RATELIMIT_SEARCH="", RATELIMIT_API="")
    env.pop("KB_TESTING", None)
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True)
    go_on = tmp_path / "go-on"
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(go_on), url, marker],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "go-on.ready").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    subprocess.run([sys.executable, "-c", editor], env=env, check=True)
    go_on.touch()
    out, _ = worker.communicate(timeout=60)
    assert out.split("\n")[:3] == ["200 miss True", "200 hit True", after], out
