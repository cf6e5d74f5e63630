"""Secure by default with DEBUG off: the deploy check, opt-outs, headers, static files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_settings import STRONG

# Variables that change what the deploy check sees; each test names the ones it wants.
SETTINGS_VARS = {
    "KB_TESTING",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "CLIENT_IP_HEADER",
    "CLIENT_IP_TRUSTED_PROXIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_COOKIES",
    "SECURE_PROXY_SSL_HEADER",
    "PAGE_CACHE_SECONDS",
    "STATIC_ROOT",
    # Set by the browser fixture in this process; never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(tmp_path: Path, **env: str) -> dict[str, str]:
    """Only SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, as the deploy documentation says."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    clean.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'deploy.sqlite3'}")
    # No developer's .env either: it may say DEBUG=true.
    clean["KB_ENV_FILE"] = str(tmp_path / "no.env")
    return {**clean, "SECRET_KEY": STRONG, "ALLOWED_HOSTS": "kb.example.org", **env}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True
    )


def setting(env: dict[str, str], expression: str) -> str:
    code = f"from django.conf import settings; print({expression})"
    result = manage(env, "shell", "-v0", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_deploy_check_passes_with_three_variables(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_secure_defaults_and_their_opt_outs(tmp_path):
    names = "SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE"
    expression = f"[getattr(settings, n) for n in '{names}'.split(', ')]"
    assert setting(production_env(tmp_path), expression) == "[True, 31536000, True, True]"
    laptop = production_env(
        tmp_path, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0", SECURE_COOKIES="false"
    )
    assert setting(laptop, expression) == "[False, 0, False, False]"


def test_the_proxy_header_is_trusted_only_when_configured(tmp_path):
    expression = "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)"
    assert setting(production_env(tmp_path), expression) == "None"
    proxied = production_env(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert setting(proxied, expression) == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    csp = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_https_is_enforced_when_redirect_and_hsts_are_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = client.get("/advice/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/advice/"
    secure = client.get("/advice/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as error:
        return error


@pytest.fixture
def gunicorn(tmp_path):
    """The production server on collected static files, DEBUG off, plain HTTP on loopback."""
    env = production_env(
        tmp_path,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"),
        SECURE_SSL_REDIRECT="false",
    )
    collected = manage(env, "collectstatic", "--noinput", "-v0")
    assert collected.returncode == 0, collected.stderr
    with serving(env, workers=1) as base:
        yield base, tmp_path / "static"


@contextmanager
def serving(env: dict[str, str], *, workers: int) -> Iterator[str]:
    """gunicorn with this environment on a free loopback port, once /healthz answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kbapp.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["-w", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def test_gunicorn_leaks_no_version_and_serves_brotli_not_the_manifest(gunicorn):
    base, static_root = gunicorn
    health = fetch(f"{base}/healthz")
    assert health.status == 200
    assert not any(ch.isdigit() for ch in health.headers.get("Server", ""))
    css = next(static_root.glob("kbapp/site.*.css"))
    assert css.with_name(css.name + ".br").exists() and css.with_name(css.name + ".gz").exists()
    served = fetch(f"{base}/static/kbapp/{css.name}", **{"Accept-Encoding": "br"})
    assert served.status == 200 and served.headers["Content-Encoding"] == "br"
    assert not (static_root / "staticfiles.json").exists()
    assert fetch(f"{base}/static/staticfiles.json").status == 404
