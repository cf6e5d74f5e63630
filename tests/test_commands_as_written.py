"""The README's commands work as written on a fresh clone: `make run`'s .env, `make serve`."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PASSWORD = "a long editorial passphrase 42"
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def fresh_env(**extra: str) -> dict[str, str]:
    """A shell on a fresh clone: none of the settings variables, not a test run."""
    unset = {"SECRET_KEY", "DEBUG", "KB_TESTING", "ALLOWED_HOSTS", "SECURE_COOKIES"}
    unset |= {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "KB_ENV_FILE"}
    return {**{k: v for k, v in os.environ.items() if k not in unset}, **extra}


def readme_commands() -> list[str]:
    return sorted(set(re.findall(r"manage\.py ([a-z_]+)", README)))


def test_the_readme_names_its_commands_with_the_virtualenv_python():
    assert len(readme_commands()) >= 5
    assert not re.search(r"(?<!bin/)python manage\.py", README)


@needs_make
def test_every_readme_command_runs_after_make_writes_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    subprocess.run(["make", "-s", str(env_file), f"ENV_FILE={env_file}"], cwd=ROOT, check=True)
    assert "DEBUG=true" in env_file.read_text().splitlines()
    for command in readme_commands():
        ran = subprocess.run(
            [sys.executable, "manage.py", command, "--help"],
            cwd=ROOT,
            env=fresh_env(KB_ENV_FILE=str(env_file)),
            capture_output=True,
            text=True,
        )
        assert ran.returncode == 0, (command, ran.stderr)
    without = subprocess.run(
        [sys.executable, "manage.py", "import_threads", "--help"],
        cwd=ROOT,
        env=fresh_env(KB_ENV_FILE=str(tmp_path / "missing.env")),
        capture_output=True,
        text=True,
    )
    assert without.returncode == 1 and "SECRET_KEY is missing or weak" in without.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        # A read timeout is no URLError: a worker still booting on a busy machine.
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def manage(env: dict, *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, text=True, check=True
    )


@needs_make
def test_make_serve_on_a_laptop_serves_pages_and_admin_login_over_plain_http(tmp_path):
    database = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    setup = fresh_env(DATABASE_URL=database, DEBUG="true")
    manage(setup, "migrate", "--noinput", "-v", "0")
    manage(setup, "create_editor", "laptop", stdin=PASSWORD + "\n")
    port = free_port()
    server = subprocess.Popen(
        ["make", "-s", "serve", f"PORT={port}", "WEB_CONCURRENCY=1"],
        cwd=ROOT,
        env=fresh_env(DATABASE_URL=database, KB_ENV_FILE=str(tmp_path / "none.env")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # so the test stops make, gunicorn and its worker together
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", 120)
        with urllib.request.urlopen(f"{base}/") as home:
            assert home.status == 200
        assert log_in(base) == f"{base}/admin/"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def log_in(base: str) -> str:
    """Log in through the admin form as a browser would; returns where it lands."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/admin/login/?next=/admin/"
    page = opener.open(login).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert all(not cookie.secure for cookie in jar), "secure cookies are never sent over http"
    form = {"csrfmiddlewaretoken": token, "username": "laptop", "password": PASSWORD}
    request = urllib.request.Request(
        login, data=urllib.parse.urlencode(form).encode(), headers={"Referer": login}
    )
    with opener.open(request) as landed:
        assert landed.status == 200
        assert "Editors' dashboard" in landed.read().decode()
        return landed.url
