"""Every door refuses to start without a strong SECRET_KEY, and the server exits with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

MESSAGE = "SECRET_KEY is missing or weak: with DEBUG off"
VENV_BIN = Path(sys.executable).parent


def production_env() -> dict[str, str]:
    """The environment of a production host that forgot SECRET_KEY."""
    unset = {"SECRET_KEY", "DEBUG", "KB_TESTING", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    # No developer .env either: DEBUG stays off whatever the working copy holds.
    return {**env, "ALLOWED_HOSTS": "kb.example.org", "KB_ENV_FILE": os.devnull}


@pytest.mark.parametrize("module", ["kbapp.wsgi", "kbapp.asgi"])
def test_entry_point_refuses_with_the_one_line_message(module):
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4  # gunicorn's "App failed to load": the master halts
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(MESSAGE), result.stderr


def test_gunicorn_exits_instead_of_booting_workers_forever():
    gunicorn = VENV_BIN / "gunicorn"
    if not gunicorn.exists():
        pytest.skip(f"gunicorn is not installed beside {sys.executable}")
    result = subprocess.run(
        [str(gunicorn), "kbapp.wsgi", "--bind", "127.0.0.1:0", "--workers", "2"],
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,  # before the fix the master never exited
    )
    assert result.returncode != 0
    assert MESSAGE in result.stderr
    assert "App failed to load" in result.stderr
    assert result.stderr.count("Booting worker") <= 2, result.stderr
