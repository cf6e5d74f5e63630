"""Was this helpful?: one vote per browser, the per-client limit, no personal data,
moderation of "what was missing?", counts for editors and from 10 votes for everyone."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from kbapp import pagecache
from kbapp.models import AdviceEntry, AdviceVote
from kbapp.services.feedback import moderate, record_vote
from kbapp.views.public import feedback
from tests.admin_support import client_for, make_user, plain_static_files  # noqa: F401
from tests.factories import make_advice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    """The per-client counts live in the cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def entry() -> AdviceEntry:
    return make_advice("Relax your shoulders")


def vote_url(entry: AdviceEntry) -> str:
    return f"/advice/{entry.slug}/helpful"


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


class TestTheForm:
    def test_the_entry_page_has_two_buttons_in_a_form_without_a_token(self, client, entry):
        """Nothing in the page belongs to one browser, so a cached copy or a 304 is right
        for everyone (kbapp/views/public/feedback.py says why the vote needs no token)."""
        html = client.get(entry.get_absolute_url()).content.decode()
        form = html[html.index('<section class="helpful"') :]
        assert f'<form method="post" action="/advice/{entry.slug}/helpful">' in form
        assert "csrfmiddlewaretoken" not in form
        assert '<button type="submit" name="helpful" value="yes">' in form
        assert '<button type="submit" name="helpful" value="no">' in form
        assert 'maxlength="500"' in form

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_ORIGIN": "https://elsewhere.example"},
            {"HTTP_SEC_FETCH_SITE": "cross-site"},
        ],
    )
    def test_a_vote_from_another_sites_page_is_refused(self, entry, headers):
        client = Client(enforce_csrf_checks=True)
        response = client.post(vote_url(entry), {"helpful": "yes"}, **headers)
        assert response.status_code == 403
        assert not AdviceVote.objects.exists()

    def test_from_its_own_page_it_counts_and_redirects_back_with_thanks(self, entry):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            vote_url(entry),
            {"helpful": "yes"},
            HTTP_ORIGIN="http://testserver",
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        assert response.status_code == 302
        assert response["Location"] == f"{entry.get_absolute_url()}?vote=thanks#helpful"
        assert "no-store" in response["Cache-Control"]
        assert AdviceVote.objects.get().helpful is True
        thanks = client.get(response["Location"])
        assert "Thank you: your answer is counted." in text(thanks)

    def test_get_is_not_allowed_and_drafts_take_no_votes(self, client, entry):
        assert client.get(vote_url(entry)).status_code == 405
        draft = make_advice("Draft", status=AdviceEntry.Status.DRAFT)
        assert client.post(vote_url(draft), {"helpful": "yes"}).status_code == 404
        assert client.post("/advice/no-such-entry/helpful", {"helpful": "no"}).status_code == 404
        assert not AdviceVote.objects.exists()

    @pytest.mark.parametrize(
        "data, message",
        [
            ({}, "This field is required."),
            ({"helpful": "maybe"}, "Select a valid choice."),
            ({"helpful": "no", "missing": "x" * 501}, "Please keep it to 500 characters."),
        ],
    )
    def test_bad_input_is_a_400_page_saying_why(self, client, entry, data, message):
        response = client.post(vote_url(entry), data)
        assert response.status_code == 400
        assert message in text(response)
        assert not AdviceVote.objects.exists()


class TestOneVotePerBrowser:
    def test_a_second_vote_from_the_same_browser_is_not_counted(self, client, entry):
        client.post(vote_url(entry), {"helpful": "yes"})
        again = client.post(vote_url(entry), {"helpful": "no"})
        assert again["Location"].endswith("?vote=already#helpful")
        assert AdviceVote.objects.count() == 1
        other = make_advice("Another entry")
        client.post(vote_url(other), {"helpful": "no"})
        assert AdviceVote.objects.count() == 2
        assert feedback.COOKIE in client.cookies

    def test_after_voting_the_entry_says_so_instead_of_the_form_even_when_cached(
        self, client, entry, settings
    ):
        settings.PAGE_CACHE_SECONDS = 600
        assert "Yes, it helped" in Client().get(entry.get_absolute_url()).content.decode()
        client.post(vote_url(entry), {"helpful": "yes"})
        page = client.get(entry.get_absolute_url()).content.decode()
        assert "Yes, it helped" not in page and "already answered" in page
        assert pagecache.PERSONAL_COOKIES[feedback.COOKIE] == "/advice/"
        # Everyone else still gets the form, from the cache.
        other = Client().get(entry.get_absolute_url())
        assert "Yes, it helped" in other.content.decode()

    def test_a_forged_cookie_counts_as_no_votes(self, client, entry):
        client.post(vote_url(entry), {"helpful": "yes"})
        client.cookies[feedback.COOKIE] = f"{entry.pk}"  # unsigned: tampered with
        response = client.post(vote_url(entry), {"helpful": "yes"})
        assert response["Location"].endswith("?vote=thanks#helpful")
        assert AdviceVote.objects.count() == 2

    def test_another_browser_may_vote(self, entry):
        Client().post(vote_url(entry), {"helpful": "yes"})
        Client().post(vote_url(entry), {"helpful": "no"})
        assert AdviceVote.objects.count() == 2


class TestRateLimit:
    def test_a_client_over_the_limit_gets_429_and_nothing_is_stored(self, client, settings):
        entries = [make_advice(f"Entry {n}") for n in range(feedback.VOTE_LIMIT + 1)]
        for entry in entries[:-1]:
            assert client.post(vote_url(entry), {"helpful": "yes"}).status_code == 302
        refused = client.post(vote_url(entries[-1]), {"helpful": "yes"})
        assert refused.status_code == 429
        assert "Too many answers from here" in text(refused)
        assert AdviceVote.objects.count() == feedback.VOTE_LIMIT
        # Another address still may.
        other = Client(REMOTE_ADDR="10.0.0.2")
        assert other.post(vote_url(entries[-1]), {"helpful": "yes"}).status_code == 302


class TestNoPersonalData:
    def test_a_vote_row_holds_the_entry_the_answer_the_text_and_the_day_only(self, entry):
        Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Secret Browser 1.0").post(
            vote_url(entry), {"helpful": "no", "missing": "Nothing on shoes."}
        )
        fields = {f.name for f in AdviceVote._meta.get_fields()}
        assert fields == {"id", "entry", "helpful", "missing", "moderation", "created_on"}
        row = AdviceVote.objects.values().get()
        assert "203.0.113.9" not in str(row) and "Secret Browser" not in str(row)

    def test_the_cookie_holds_entry_ids_only(self, client, entry):
        client.post(vote_url(entry), {"helpful": "yes"})
        cookie = client.cookies[feedback.COOKIE]
        assert cookie.value.split(":")[0] == str(entry.pk)
        assert cookie["httponly"] and cookie["samesite"] == "Lax"


class TestModeration:
    def test_a_note_is_hidden_until_an_editor_approves_it(self, client, entry):
        client.post(vote_url(entry), {"helpful": "no", "missing": "<script>alert(1)</script>"})
        vote = AdviceVote.objects.get()
        assert vote.moderation == AdviceVote.Moderation.PENDING
        page = client.get(entry.get_absolute_url()).content.decode()
        assert "alert(1)" not in page
        moderate(votes=AdviceVote.objects.all(), approve=True)
        page = client.get(entry.get_absolute_url()).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)" not in page

    def test_rejected_notes_never_show(self, client, entry):
        record_vote(entry=entry, helpful=False, missing="Rude words")
        moderate(votes=AdviceVote.objects.all(), approve=False)
        assert "Rude words" not in client.get(entry.get_absolute_url()).content.decode()

    def test_votes_without_text_need_no_moderation(self, entry):
        record_vote(entry=entry, helpful=True, missing="   ")
        assert AdviceVote.objects.get().moderation == AdviceVote.Moderation.NONE
        assert moderate(votes=AdviceVote.objects.all(), approve=True) == 0

    def test_editors_approve_in_the_admin(self, entry):
        record_vote(entry=entry, helpful=False, missing="More on hills")
        editor = client_for(make_user("editor"))
        changelist = "/admin/kbapp/advicevote/"
        listing = editor.get(changelist + "?moderation__exact=pending")
        assert listing.status_code == 200 and "More on hills" in text(listing)
        vote = AdviceVote.objects.get()
        response = editor.post(
            changelist, {"action": "approve", "_selected_action": [vote.pk]}, follow=True
        )
        assert "1 note(s) approved." in text(response)
        vote.refresh_from_db()
        assert vote.moderation == AdviceVote.Moderation.APPROVED
        assert editor.get("/admin/kbapp/advicevote/add/").status_code == 403

    def test_anonymous_visitors_cannot_reach_the_moderation(self, client, entry):
        response = client.get("/admin/kbapp/advicevote/")
        assert response.status_code == 302 and "/login/" in response["Location"]


class TestCounts:
    def test_public_counts_only_from_ten_votes(self, client, entry):
        for n in range(9):
            record_vote(entry=entry, helpful=n % 3 != 0)
        assert "runners found this helpful" not in text(client.get(entry.get_absolute_url()))
        record_vote(entry=entry, helpful=True)
        assert "7 of 10 runners found this helpful." in text(client.get(entry.get_absolute_url()))

    def test_the_dashboard_shows_least_and_most_helpful_to_editors(self, entry):
        bad = make_advice("Unhelpful entry")
        for _ in range(3):
            record_vote(entry=entry, helpful=True)
            record_vote(entry=bad, helpful=False)
        record_vote(entry=bad, helpful=True, missing="Pictures")
        page = text(client_for(make_user("editor")).get("/admin/"))
        least = page[page.index("Least helpful advice") : page.index("Most helpful advice")]
        most = page[page.index("Most helpful advice") :]
        assert least.index("Unhelpful entry") < least.index("Relax your shoulders")
        assert "Unhelpful entry 1 yes · 3 no" in least
        assert most.index("Relax your shoulders 3 yes · 0 no") < most.index("Unhelpful entry")
        assert "notes to moderate: 1" in page

    def test_editors_see_every_entry_by_helpfulness_in_the_admin(self, entry):
        bad = make_advice("Unhelpful entry")
        make_advice("Nobody voted")
        record_vote(entry=entry, helpful=True)
        record_vote(entry=bad, helpful=False, missing="Pictures")
        record_vote(entry=bad, helpful=True)
        editor = client_for(make_user("editor"))
        response = editor.get("/admin/kbapp/advicehelpfulness/")
        assert response.status_code == 200
        html = response.content.decode()
        table = html[
            html.index('id="result_list"') : html.index("</table>", html.index('id="result_list"'))
        ]
        rows = re.findall(r"<tr.*?</tr>", table, re.S)[1:]
        cells = [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", r))).strip() for r in rows]
        assert cells[0].startswith("Unhelpful entry Published 1 1 50% 1")
        assert cells[1].startswith("Relax your shoulders Published 1 0 100% 0")
        assert cells[2].startswith("Nobody voted Published 0 0 — 0")
        assert editor.get("/admin/kbapp/advicehelpfulness/add/").status_code == 403
        assert client_for(None).get("/admin/kbapp/advicehelpfulness/").status_code == 302

    def test_the_entry_page_stays_in_its_budget(self, client, entry, django_assert_max_num_queries):
        record_vote(entry=entry, helpful=True, missing="x")
        with django_assert_max_num_queries(9):
            assert client.get(entry.get_absolute_url()).status_code == 200
