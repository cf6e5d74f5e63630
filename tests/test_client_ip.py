"""One client address, read one way: rate limits, the vote limit and the lock-out all see the
address CLIENT_IP_HEADER gives, a forged chain cannot choose it, and a missing or malformed
header falls back to the connection's address instead of failing, here and through a real
gunicorn."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from kbapp.clientip import client_ip, from_chain, valid_address
from tests.admin_support import PASSWORD, make_user
from tests.factories import make_advice
from tests.test_hardening import fetch, manage, production_env, serving

LOGIN = "/admin/login/?next=/admin/"
BAD_HEADERS = [None, "", "garbage", "1.2.3.4, not-an-address", "999.1.1.1", ",", "[::1"]


@pytest.fixture
def behind_a_proxy(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_TRUSTED_PROXIES = 1
    cache.clear()
    yield settings
    cache.clear()


def as_client(address: str | None) -> Client:
    """A browser behind the proxy: the proxy sets the header (or, when None, forgets to)."""
    return Client(HTTP_X_FORWARDED_FOR=address) if address is not None else Client()


class TestReading:
    @pytest.mark.parametrize(
        ("raw", "trusted", "address"),
        [
            ("203.0.113.7", 1, "203.0.113.7"),
            ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # the client forged the first entry
            ("203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),  # two proxies in front
            ("203.0.113.7:51234", 1, "203.0.113.7"),
            ("[2001:db8::1]:443", 1, "2001:db8::1"),
            ("2001:DB8::1", 1, "2001:db8::1"),
            ("10.0.0.2", 2, None),  # a chain shorter than the proxies in front
            ("garbage", 1, None),
            ("", 1, None),
        ],
    )
    def test_the_chain_is_read_from_the_right(self, raw, trusted, address):
        assert from_chain(raw, trusted) == address

    def test_only_addresses_are_addresses(self):
        assert valid_address("127.0.0.1") == "127.0.0.1"
        assert valid_address("localhost") is None and valid_address("1.2.3") is None

    def test_without_a_header_setting_it_is_the_connection(self, rf, settings):
        settings.CLIENT_IP_HEADER = ""
        request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.9")
        assert client_ip(request) == "10.0.0.9"

    @pytest.mark.parametrize("raw", BAD_HEADERS)
    def test_a_bad_header_falls_back_to_the_connection(self, rf, behind_a_proxy, raw):
        meta = {"REMOTE_ADDR": "10.0.0.9"} | ({"HTTP_X_FORWARDED_FOR": raw} if raw else {})
        assert client_ip(rf.get("/", **meta)) == "10.0.0.9"


@pytest.mark.django_db
class TestEveryPath:
    @pytest.mark.parametrize("raw", BAD_HEADERS)
    def test_a_bad_header_is_never_an_error(self, behind_a_proxy, raw):
        entry = make_advice("Rest a day")
        client = as_client(raw)
        assert client.get("/search/", {"q": "knee"}).status_code == 200
        assert client.get("/api/search", {"q": "knee"}).status_code == 200
        vote = client.post(f"{entry.get_absolute_url()}helpful", {"helpful": "yes"})
        assert vote.status_code == 302

    def test_rate_limits_count_each_client_behind_the_proxy(self, behind_a_proxy):
        behind_a_proxy.RATELIMIT_API = "1/m"
        assert as_client("203.0.113.7").get("/api/advice").status_code == 200
        assert as_client("203.0.113.7").get("/api/advice").status_code == 429
        # A forged start of the chain changes nothing: the proxy's entry is the last one.
        assert as_client("198.51.100.1, 203.0.113.7").get("/api/advice").status_code == 429
        assert as_client("198.51.100.1").get("/api/advice").status_code == 200

    def test_the_vote_limit_counts_each_client(self, behind_a_proxy, monkeypatch):
        monkeypatch.setattr("kbapp.views.public.feedback.VOTE_LIMIT", 1)
        first, second = make_advice("One"), make_advice("Two")
        url = "{}helpful".format
        ann = as_client("203.0.113.7")
        assert ann.post(url(first.get_absolute_url()), {"helpful": "yes"}).status_code == 302
        assert ann.post(url(second.get_absolute_url()), {"helpful": "yes"}).status_code == 429
        bob = as_client("198.51.100.1")
        assert bob.post(url(second.get_absolute_url()), {"helpful": "yes"}).status_code == 302

    def test_the_lock_out_locks_the_client_not_everyone_behind_the_proxy(self, behind_a_proxy):
        make_user("editor")
        attacker = as_client("203.0.113.7")
        for _ in range(5):
            attacker.post(LOGIN, {"username": "editor", "password": "wrong"})
        locked = attacker.post(LOGIN, {"username": "editor", "password": PASSWORD})
        assert locked.status_code == 429
        editor = as_client("198.51.100.1")
        signed_in = editor.post(LOGIN, {"username": "editor", "password": PASSWORD})
        assert signed_in.status_code == 302 and editor.session["_auth_user_id"]


@pytest.fixture
def gunicorn_behind_a_proxy(tmp_path):
    env = production_env(
        tmp_path,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
        RATELIMIT_API="2/m",
        CACHE_DIR=str(tmp_path / "cache"),
        STATIC_ROOT=str(tmp_path / "static"),
        # Its own database on either run: what is tested is the address, not the vendor.
        DATABASE_URL=f"sqlite:///{tmp_path / 'proxy.sqlite3'}",
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = manage(env, *command, "-v0")
        assert done.returncode == 0, done.stderr
    with serving(env, workers=2) as base:
        yield base


def test_through_a_real_gunicorn(gunicorn_behind_a_proxy):
    base = gunicorn_behind_a_proxy

    asked = iter(range(1000))

    def api(**headers: str) -> int:
        # A new query each time: a page the cache answers costs nothing and is not counted.
        return fetch(f"{base}/api/search?q=knee{next(asked)}", **headers).status

    assert [api(**{"X-Forwarded-For": "203.0.113.7"}) for _ in range(3)] == [200, 200, 429]
    assert api(**{"X-Forwarded-For": "6.6.6.6, 203.0.113.7"}) == 429  # forged start
    assert api(**{"X-Forwarded-For": "198.51.100.1"}) == 200
    # No header, junk, an empty value: the connection's address, never a 500.
    assert api() == 200
    assert api(**{"X-Forwarded-For": "garbage"}) == 200
    assert api(**{"X-Forwarded-For": ""}) == 429  # the connection's third request
    assert fetch(f"{base}/search/?q=knee", **{"X-Forwarded-For": "garbage"}).status == 200


@pytest.mark.parametrize("value", ["0", "-1", "two", "²"])
def test_a_bad_number_of_proxies_stops_start_up_with_a_message(tmp_path, value):
    env = production_env(tmp_path, CLIENT_IP_TRUSTED_PROXIES=value)
    result = manage(env, "check")
    assert result.returncode != 0
    assert "CLIENT_IP_TRUSTED_PROXIES must be a whole number from 1" in result.stderr
