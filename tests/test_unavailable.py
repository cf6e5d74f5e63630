"""A database that cannot be reached gives a styled 503 and one log line, never a 500."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Real unreachable databases: nothing listens on port 1; a SQLite file in a missing folder.
UNREACHABLE = {
    "postgres": "postgres://postgres@127.0.0.1:1/kb",
    "sqlite": "sqlite:////nonexistent-folder/kb.sqlite3",
}
REQUESTS = """
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for path in ["/advice/", "/api/advice", "/symptoms/upper-back/"]:
    response = client.get(path)
    print("RESULT", path, response.status_code, response.get("Retry-After"),
          response.content.decode()[:2000].replace("\\n", " "))
"""


@pytest.mark.parametrize("vendor", sorted(UNREACHABLE))
def test_unreachable_database_answers_a_styled_503_with_one_log_line_per_failure(vendor):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kbapp.settings",
        "DATABASE_URL": UNREACHABLE[vendor],
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "INFO",
    }
    done = subprocess.run(
        [sys.executable, "-W", "ignore::UserWarning", "-c", REQUESTS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    results = [line.split(" ", 4) for line in done.stdout.splitlines() if line.startswith("RESULT")]
    assert len(results) == 3, done.stderr[-3000:]
    for _, path, status, retry_after, body in results:
        assert (status, retry_after) == ("503", "30"), (path, body)
    assert "Back in a moment" in results[0][4] and "site.css" in results[0][4]
    assert '"error": "The service is unavailable' in results[1][4]
    log = done.stderr.strip().splitlines()
    assert len(log) == 3, done.stderr[-3000:]
    assert all(line.startswith("Database unavailable: GET /") for line in log)
    assert "Traceback" not in done.stderr
