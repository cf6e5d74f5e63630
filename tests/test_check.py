"""Should I keep running?: the three steps, each outcome, bad answers, and /api/check."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbapp.models import Evidence, RedFlag, Stage
from tests.factories import make_advice, make_evidence, make_thread

pytestmark = pytest.mark.django_db

URL = "/check/"


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def main_text(response) -> str:
    """The page's own content, without header and footer."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.fixture
def knees():
    """Knee pain at weeks 3, 4 and 8: evidence, advice, threads at each week."""
    week3 = make_thread(
        "Sore knees in week 3",
        "My knees ache after run 2.",
        [("Ann", "New shoes fixed it."), ("Bob", "Rest did nothing for me.")],
        locations=["knees"],
        stage=Stage.WEEK_3,
    )
    ann, bob = week3.replies.all()
    make_evidence(ann, "new-shoes-gait", "knees")
    make_evidence(bob, "rest", "knees", stance=Evidence.Stance.DID_NOT_HELP)
    # One thread per week, written out: the tests count what each week holds.
    week4 = make_thread(
        "Knee twinge week 4",
        "A twinge.",
        [("Cat", "Shoes again.")],
        locations=["knees"],
        stage=Stage.WEEK_4,
    )
    make_evidence(week4.replies.all()[0], "new-shoes-gait", "knees")
    week8 = make_thread(
        "Knees at week 8",
        "Ouch.",
        [("Dan", "Yoga helped me.")],
        locations=["knees"],
        stage=Stage.WEEK_8,
    )
    make_evidence(week8.replies.all()[0], "yoga", "knees")
    strong = make_advice(
        "Check your shoes",
        locations=["knees"],
        remedies=["new-shoes-gait"],
        sources=[ann, week4.replies.all()[0]],
    )
    weak = make_advice("Knee basics", locations=["knees"], remedies=["rest"], sources=[bob])
    other = make_advice("Shoulders only", locations=["shoulders"])
    return {
        "week3": week3,
        "week4": week4,
        "week8": week8,
        "strong": strong,
        "weak": weak,
        "other": other,
    }


class TestSteps:
    def test_step_one_asks_where_with_the_body_map_and_the_list(self, client):
        response = client.get(URL)
        assert response.status_code == 200
        assert "Step 1 of 3" in text(response)
        html = response.content.decode()
        assert 'href="/check/?location=knees"' in html  # the body map's knee region
        assert 'href="?location=between-the-shoulder-blades"' in html  # the list

    def test_step_two_asks_the_week_or_none(self, client):
        response = client.get(URL, {"location": "knees"})
        page = text(response)
        assert "Step 2 of 3" in page and "Where it hurts Knees Change" in page
        html = response.content.decode()
        assert 'href="?location=knees&amp;stage=3"' in html
        assert 'href="?location=knees&amp;stage=none"' in html
        assert 'href="?location=knees&amp;stage=10"' in html

    def test_step_three_asks_the_red_flags_of_that_place_as_yes_no(self, client):
        response = client.get(URL, {"location": "knees", "stage": "3"})
        html = response.content.decode()
        assert "Step 3 of 3" in text(response)
        flags = {f.slug: f for f in RedFlag.objects.all()}
        assert 'name="q-cannot-bear-weight" value="yes"' in html
        assert 'name="q-cannot-bear-weight" value="no"' in html
        assert flags["cannot-bear-weight"].question in unescape(html)
        # Breathing is asked about the back, not the knees.
        assert "q-breathing" not in html
        assert "Does it hurt more when you breathe in" in text(
            client.get(URL, {"location": "upper-back", "stage": "3"})
        )

    def test_the_answers_redirect_to_the_canonical_result_url(self, client):
        answers = {f"q-{f.slug}": "no" for f in RedFlag.objects.filter(locations__isnull=True)}
        answers |= {"q-cannot-bear-weight": "yes"}
        response = client.get(URL, {"location": "knees", "stage": "3", "answered": "1", **answers})
        assert response.status_code == 302
        assert response["Location"] == "/check/?location=knees&stage=3&flags=cannot-bear-weight"

    def test_all_no_redirects_to_empty_flags(self, client):
        answers = {f"q-{f.slug}": "no" for f in RedFlag.objects.all()}
        response = client.get(
            URL, {"location": "knees", "stage": "none", "answered": "1", **answers}
        )
        assert response["Location"] == "/check/?location=knees&stage=none&flags="

    def test_an_emergency_yes_leads_to_urgent_help_whatever_is_blank(self, client):
        response = client.get(
            URL, {"location": "knees", "stage": "3", "answered": "1", "q-chest-pain": "yes"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/check/?location=knees&stage=3&flags=chest-pain"
        assert "Get urgent medical help now" in text(client.get(response["Location"]))

    def test_another_yes_with_the_rest_blank_leads_to_its_result(self, client):
        response = client.get(
            URL, {"location": "knees", "stage": "3", "answered": "1", "q-after-a-fall": "yes"}
        )
        assert response["Location"] == "/check/?location=knees&stage=3&flags=after-a-fall"

    def test_some_answered_no_and_the_rest_blank_is_a_result_too(self, client):
        response = client.get(
            URL, {"location": "knees", "stage": "3", "answered": "1", "q-chest-pain": "no"}
        )
        assert response["Location"] == "/check/?location=knees&stage=3&flags="

    def test_only_a_form_with_no_answer_at_all_is_sent_back(self, client):
        response = client.get(URL, {"location": "knees", "stage": "3", "answered": "1"})
        assert response.status_code == 400
        page = text(response)
        assert "Please answer at least one question with yes or no" in page
        assert "Step 3 of 3" in page
        # Nothing is required, so the browser never blocks a yes from reaching the server.
        assert " required" not in response.content.decode().split("<main", 1)[1]

    def test_step_one_asks_the_emergency_questions_first(self, client):
        html = client.get(URL).content.decode()
        main = html[html.index("<main") :]
        assert main.index("First: is it an emergency?") < main.index("Where does it hurt?")
        assert 'href="?flags=chest-pain"' in main
        page = text(client.get(URL, {"flags": "chest-pain"}))
        assert "Get urgent medical help now" in page and "Step 1 of 3" not in page

    def test_step_three_asks_emergencies_first(self, client):
        html = client.get(URL, {"location": "lower-back", "stage": "3"}).content.decode()
        slugs = re.findall(r'name="q-([a-z-]+)" value="yes"', html)
        emergency = set(RedFlag.objects.filter(emergency=True).values_list("slug", flat=True))
        flags = [slug in emergency for slug in slugs]
        assert flags == sorted(flags, reverse=True) and flags[0] and not flags[-1]


class TestOutcomes:
    def test_an_emergency_yes_shows_urgent_help_first_and_alone(self, client, knees):
        response = client.get(
            URL, {"location": "knees", "stage": "3", "flags": "cannot-bear-weight,chest-pain"}
        )
        assert response.status_code == 200
        page = main_text(response)
        assert "Get urgent medical help now" in page
        assert "Chest pain, dizziness or fainting" in page
        # Nothing that reads like carry on: no advice, remedies, threads or other flags.
        for absent in (
            "Check your shoes",
            "New shoes",
            "Sore knees in week 3",
            "Meanwhile",
            "Cannot bear weight",
            "helped other runners",
        ):
            assert absent not in page
        assert (
            page.split("Should I keep running?", 1)[1]
            .strip()
            .startswith("Get urgent medical help now")
        )

    def test_another_flag_says_see_a_gp_then_advice_for_meanwhile(self, client, knees):
        response = client.get(
            URL, {"location": "knees", "stage": "3", "flags": "cannot-bear-weight"}
        )
        page = main_text(response)
        see = page.index("See a GP or physiotherapist before you run again")
        flag = RedFlag.objects.get(slug="cannot-bear-weight")
        assert page.index(flag.advice) > see
        meanwhile = page.index("Meanwhile, until you are seen")
        assert meanwhile > page.index(flag.advice)
        assert page.index("Check your shoes") > meanwhile
        assert "urgent" not in page.lower()
        assert "Sore knees in week 3" not in page  # threads are for the no-flag outcome

    def test_no_flags_shows_advice_by_evidence_remedies_near_the_week_and_threads(
        self, client, knees
    ):
        response = client.get(URL, {"location": "knees", "stage": "3", "flags": ""})
        assert response.status_code == 200
        page = main_text(response)
        assert "None of the warning signs" in page
        assert page.index("Check your shoes") < page.index("Knee basics")  # 2 replies > 1
        assert "Shoulders only" not in page
        # Weeks 3 and 4 are near week 3; week 8 is not.
        assert "New shoes or gait analysis" in page and "Yoga" not in page
        assert "2 said it helped" in page and "1 said it did not help" in page
        assert "Sore knees in week 3" in page
        assert "Knee twinge week 4" not in page and "Knees at week 8" not in page

    def test_advice_about_the_parent_and_children_of_the_place(self, client):
        parent = make_advice("About the back", locations=["back"], remedies=["core-strength"])
        child = make_advice("Between the blades", locations=["between-the-shoulder-blades"])
        sibling = make_advice("Lower back only", locations=["lower-back"])
        page = main_text(client.get(URL, {"location": "upper-back", "stage": "none", "flags": ""}))
        assert parent.title in page and child.title in page
        assert sibling.title not in page

    def test_advice_about_a_sign_answered_no_is_left_out(self, client):
        sneeze = make_advice(
            "Pain when you sneeze or breathe: get it checked", locations=["upper-back"]
        )
        stretch = make_advice("Stretch gently after your run", locations=["upper-back"])
        calm = main_text(client.get(URL, {"location": "upper-back", "stage": "3", "flags": ""}))
        assert stretch.title in calm and sneeze.title not in calm
        said_yes = {"location": "upper-back", "stage": "3", "flags": "breathing"}
        assert sneeze.title in main_text(client.get(URL, said_yes))
        api = client.get("/api/check", {"location": "upper-back", "stage": "3", "flags": ""})
        assert [a["title"] for a in api.json()["advice"]] == [stretch.title]

    def test_with_nothing_near_the_week_the_remedies_come_from_every_week(self, client, knees):
        page = main_text(client.get(URL, {"location": "knees", "stage": "6", "flags": ""}))
        assert "No runner near week 6 said yet, so these are from every week." in page
        assert "Yoga" in page and "New shoes or gait analysis" in page
        body = client.get("/api/check", {"location": "knees", "stage": "6", "flags": ""}).json()
        assert body["remedies_near_stage"] is False and len(body["remedies"]) == 3

    def test_not_on_a_programme_uses_every_week(self, client, knees):
        page = main_text(client.get(URL, {"location": "knees", "stage": "none", "flags": ""}))
        assert "Yoga" in page and "Knees at week 8" in page

    def test_repeated_flags_parameters_mean_the_same(self, client, knees):
        response = client.get(URL + "?location=knees&stage=3&flags=&flags=chest-pain")
        assert "Get urgent medical help now" in main_text(response)


class TestBadAnswers:
    @pytest.mark.parametrize(
        "query, message, step",
        [
            ({"location": "elbow"}, "“elbow” is not a place on the body map", "Step 1 of 3"),
            ({"location": "knees", "stage": "12"}, "“12” is not a programme week", "Step 2"),
            ({"location": "knees", "stage": "week 3"}, "is not a programme week", "Step 2"),
            ({"location": "knees", "stage": "²"}, "“²” is not a programme week", "Step 2"),
            ({"location": "knees", "stage": ""}, "“(empty)” is not a programme week", "Step 2"),
            (
                {"location": "knees", "stage": "3", "flags": "hiccups"},
                "“hiccups” is not one of the questions we ask",
                "Step 3 of 3",
            ),
            (
                {"location": "x" * 5000, "stage": "9" * 5000, "flags": "y" * 5000},
                "is not a place on the body map",
                "Step 1 of 3",
            ),
        ],
    )
    def test_each_is_a_400_with_a_message_on_the_step_to_fix(self, client, query, message, step):
        response = client.get(URL, query)
        assert response.status_code == 400
        page = text(response)
        assert message in page and step in page
        assert "We could not use that answer" in page


class TestQueries:
    def test_each_step_and_result_has_a_small_fixed_budget(
        self, client, knees, django_assert_max_num_queries
    ):
        for query, budget in [
            ({}, 4),
            ({"location": "knees"}, 2),
            ({"location": "knees", "stage": "3"}, 3),
            ({"location": "knees", "stage": "3", "flags": ""}, 9),
            ({"location": "knees", "stage": "3", "flags": "cannot-bear-weight"}, 8),
            ({"location": "knees", "stage": "3", "flags": "chest-pain"}, 3),
        ]:
            with django_assert_max_num_queries(budget):
                assert client.get(URL, query).status_code == 200


def test_the_check_is_in_the_sitemap_and_its_answers_are_not_indexed(client):
    assert (
        "<loc>http://testserver/check/</loc>" in client.get("/sitemap-pages.xml").content.decode()
    )
    step = client.get(URL, {"location": "knees"}).content.decode()
    assert '<meta name="robots" content="noindex">' in step
    assert '<link rel="canonical" href="http://testserver/check/">' in step
    assert 'content="noindex"' not in client.get(URL).content.decode()


class TestApi:
    def get(self, client, status=200, **params):
        response = client.get("/api/check", params)
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/json"
        return response.json()

    def test_no_flags_returns_the_same_result_as_the_page(self, client, knees):
        body = self.get(client, location="knees", stage="3", flags="")
        assert body["outcome"] == "self_care"
        assert body["location"]["slug"] == "knees" and body["stage"] == 3
        assert [a["title"] for a in body["advice"]] == ["Check your shoes", "Knee basics"]
        shoes = next(r for r in body["remedies"] if r["slug"] == "new-shoes-gait")
        assert (shoes["helped"], shoes["did_not_help"]) == (2, 0)
        assert [r["slug"] for r in body["remedies"]] == ["new-shoes-gait", "rest"]
        assert [t["title"] for t in body["threads"]] == ["Sore knees in week 3"]
        assert body["urgent"] == [] and body["see_a_professional"] == []
        assert "cannot-bear-weight" in {q["slug"] for q in body["questions"]}
        assert body["url"].endswith("/check/?location=knees&stage=3&flags=")

    def test_an_emergency_returns_only_the_urgent_flags(self, client, knees):
        body = self.get(client, location="knees", stage="none", flags="chest-pain")
        assert body["outcome"] == "urgent"
        assert [f["slug"] for f in body["urgent"]] == ["chest-pain"]
        assert body["urgent"][0]["emergency"] is True
        assert body["advice"] == body["remedies"] == body["threads"] == []

    def test_an_emergency_needs_no_other_answer(self, client):
        body = self.get(client, flags="chest-pain")
        assert body["outcome"] == "urgent" and body["location"] is None
        assert [f["slug"] for f in body["urgent"]] == ["chest-pain"]
        assert {q["slug"] for q in body["questions"]} >= {"chest-pain"}
        assert self.get(client, location="knees", flags="chest-pain")["outcome"] == "urgent"

    def test_another_yes_needs_no_week(self, client, knees):
        body = self.get(client, location="knees", flags="cannot-bear-weight")
        assert body["outcome"] == "see_a_professional" and body["advice"]

    def test_another_flag_returns_see_a_professional_and_meanwhile_advice(self, client, knees):
        body = self.get(client, location="knees", stage="3", flags="cannot-bear-weight")
        assert body["outcome"] == "see_a_professional"
        assert [f["slug"] for f in body["see_a_professional"]] == ["cannot-bear-weight"]
        assert body["advice"] and body["threads"] == []

    @pytest.mark.parametrize(
        "params, message",
        [
            ({"location": "elbow", "stage": "3", "flags": ""}, "“elbow” is not a place"),
            ({"location": "knees", "stage": "0", "flags": ""}, "“0” is not a programme week"),
            ({"location": "knees", "stage": "3", "flags": "zzz"}, "“zzz” is not one of"),
            ({"location": "knees", "stage": "3"}, "Missing “flags”"),
            ({"stage": "3", "flags": ""}, "Missing “location”"),
            ({"location": "knees", "flags": ""}, "Missing “stage”"),
            (
                {"location": "knees", "stage": "3", "flags": "", "page": "2"},
                "Unknown parameter “page”",
            ),
        ],
    )
    def test_bad_input_is_a_json_400(self, client, params, message):
        assert message in self.get(client, status=400, **params)["error"]

    def test_post_is_a_json_405_and_head_and_caching_follow_the_conventions(self, client):
        response = client.post("/api/check")
        assert response.status_code == 405 and response.json()["error"]
        query = {"location": "knees", "stage": "3", "flags": ""}
        assert client.head("/api/check", query).status_code == 200
        assert client.get("/api/check", query)["Cache-Control"] == "public, max-age=60"
        assert "/api/check" in client.get("/api/chekc").json()["error"]


VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["knees", "upper-back", "3", "none", "10", "chest-pain", "breathing", ""]),
    st.sampled_from(["²", "٣", "+1", " 1", "0", "-0", "1" * 400, "\x00", ",", ",,chest-pain,"]),
)
NAMES = st.sampled_from(["location", "stage", "flags", "answered", "q-chest-pain", "q-numbness"])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pairs=st.lists(st.tuples(NAMES, VALUES), max_size=6))
def test_no_answers_ever_give_a_500(client, pairs):
    """Any mix of the check's parameters, repeated, empty or odd: a page, a redirect or a 400."""
    query = urlencode(pairs)
    assert client.get(f"{URL}?{query}").status_code in {200, 302, 400}, pairs
    assert client.get(f"/api/check?{query}").status_code in {200, 400}, pairs
