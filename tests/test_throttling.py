"""Admin lock-out (django-axes), rate limits on search and the API, the search log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from kbapp.models import SearchQuery
from kbapp.search.log import prune_search_log, record_search
from tests.admin_support import PASSWORD, make_user
from tests.test_hardening import production_env, setting

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def log_in(client, password: str, username: str = "editor"):
    return client.post(LOGIN, {"username": username, "password": password})


class TestLockOut:
    def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(self, client):
        make_user("editor")
        for _ in range(4):
            assert log_in(client, "wrong").status_code == 200
        locked = log_in(client, "wrong")
        assert locked.status_code == 429
        assert b"Sign-in locked" in locked.content
        assert b"axes_reset_username editor" in locked.content
        right = log_in(client, PASSWORD)
        assert right.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_documented_command_unlocks_it(self, client):
        make_user("editor")
        for _ in range(5):
            log_in(client, "wrong")
        call_command("axes_reset_username", "editor", verbosity=0)
        assert log_in(client, PASSWORD).status_code == 302
        assert client.session["_auth_user_id"]

    def test_the_lock_is_per_user_name(self, client):
        make_user("editor")
        make_user("publisher")
        for _ in range(5):
            log_in(client, "wrong", "editor")
        assert log_in(client, PASSWORD, "publisher").status_code == 302

    def test_a_success_before_the_limit_starts_the_count_again(self, client):
        make_user("editor")
        for _ in range(4):
            log_in(client, "wrong")
        assert log_in(client, PASSWORD).status_code == 302
        client.logout()
        for _ in range(4):
            assert log_in(client, "wrong").status_code == 200


class TestRateLimits:
    def test_search_page_answers_429_with_retry_after_past_the_limit(self, client, settings):
        settings.RATELIMIT_SEARCH = "3/m"
        for _ in range(3):
            assert client.get("/search/", {"q": "knee"}).status_code == 200
        limited = client.get("/search/", {"q": "knee"})
        assert limited.status_code == 429
        assert 1 <= int(limited["Retry-After"]) <= 60
        assert b"Too many requests from your address" in limited.content

    def test_the_api_answers_429_in_json(self, client, settings):
        settings.RATELIMIT_API = "2/m"
        assert client.get("/api/search", {"q": "knee"}).status_code == 200
        assert client.get("/api/advice").status_code == 200
        limited = client.get("/api/advice")
        assert limited.status_code == 429
        assert limited["Content-Type"] == "application/json"
        body = json.loads(limited.content)
        assert body["retry_after"] == int(limited["Retry-After"])
        assert "try again in" in body["error"]

    def test_limits_are_per_client_address(self, client, settings):
        settings.RATELIMIT_API = "1/m"
        assert client.get("/api/advice", REMOTE_ADDR="10.0.0.1").status_code == 200
        assert client.get("/api/advice", REMOTE_ADDR="10.0.0.1").status_code == 429
        assert client.get("/api/advice", REMOTE_ADDR="10.0.0.2").status_code == 200

    def test_other_pages_are_not_limited(self, client, settings):
        settings.RATELIMIT_SEARCH = settings.RATELIMIT_API = "1/m"
        for _ in range(3):
            assert client.get("/advice/").status_code == 200

    def test_limits_are_on_outside_the_test_run(self, tmp_path):
        env = production_env(tmp_path)
        assert setting(env, "settings.RATELIMIT_SEARCH, settings.RATELIMIT_API") == "60/m 120/m"


class TestSearchLog:
    def test_one_row_per_query_and_day_with_a_count(self):
        for results in (3, 3, 4):
            record_search("  Sore   KNEE ", results)
        record_search("shin splints", 0)
        rows = SearchQuery.objects.order_by("query").values_list("query", "count", "results")
        assert list(rows) == [("shin splints", 1, 0), ("sore knee", 3, 4)]
        assert set(SearchQuery.objects.values_list("day", flat=True)) == {timezone.localdate()}

    def test_days_are_counted_apart_and_old_days_pruned(self):
        today = timezone.localdate()
        SearchQuery.objects.create(query="knee", day=today - timedelta(days=91), results=1)
        SearchQuery.objects.create(query="knee", day=today - timedelta(days=90), results=1)
        record_search("knee", 2)
        assert prune_search_log() == 1
        assert sorted(SearchQuery.objects.values_list("day", flat=True)) == [
            today - timedelta(days=90),
            today,
        ]

    def test_the_prune_command_reports_and_refuses_bad_input(self, capsys):
        SearchQuery.objects.create(
            query="knee", day=timezone.localdate() - timedelta(days=10), results=1
        )
        call_command("prune_search_log", "--days", "5")
        assert "Deleted 1 search-log rows older than 5 days." in capsys.readouterr().out
        with pytest.raises(Exception, match="--days must be 0 or more"):
            call_command("prune_search_log", "--days", "-1")
