"""Should I keep running?: three short steps and a result, every answer in the URL.

Step 1 asks the emergency questions first, then where it hurts; step 2 which programme
week; step 3 the red-flag questions for that place as yes/no radios, emergencies first.
The answers form redirects to the result's canonical URL (``?location=..&stage=..&flags=a,b``),
so a result can be shared and the back button works without JavaScript. A yes to an
emergency question leads straight to urgent help from any step, whatever is still blank.
/api/check returns the same result as JSON.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from kbapp.models import RedFlag, Stage, Thread
from kbapp.selectors import RemedySupport, attach_tags, places_with_content, red_flags_for
from kbapp.selectors.check import (
    NO_STAGE,
    Answers,
    BadAnswers,
    CheckResult,
    check_result,
    first_questions,
    questions_for,
    read_answers,
)
from kbapp.taxonomy import Taxonomy
from kbapp.views.api import advice_summary, api_view, error, red_flag_json, unknown_parameter
from kbapp.views.public.symptoms import with_answer_links

TEMPLATE = "kbapp/check.html"
ANSWERED = "answered"
API_PARAMS = {"location", "stage", "flags"}


def check(request: HttpRequest) -> HttpResponse:
    taxonomy = Taxonomy()
    context = {"taxonomy": taxonomy, "stages": stage_choices()}
    try:
        answers = read_answers(request.GET, taxonomy)
    except BadAnswers as bad:
        context |= partial_answers(request, taxonomy) | {"errors": bad.messages}
        return render(request, TEMPLATE, with_step(context, taxonomy), status=400)
    context["answers"] = answers
    if ANSWERED in request.GET:
        return from_the_form(request, answers, taxonomy, context)
    if answers.flags is not None and (urgent(answers) or answers.location and answers.stage_given):
        result = check_result(answers, taxonomy)
        if answers.location:
            with_answer_links(result.remedies, {"location": answers.location.slug})
        return render(request, TEMPLATE, context | {"result": result, "step": 4})
    return render(request, TEMPLATE, with_step(context, taxonomy))


def urgent(answers: Answers) -> bool:
    return any(flag.emergency for flag in answers.flags or [])


def with_step(context: dict, taxonomy: Taxonomy) -> dict:
    """The step the answers so far lead to, with the questions for step 3."""
    answers = context.get("answers") or Answers()
    if answers.location is None:
        return context | {
            "step": 1,
            "places": taxonomy.grouped(),
            "filled": places_with_content(taxonomy),
            "emergencies": first_questions(),
        }
    if not answers.stage_given:
        return context | {"step": 2}
    questions = [(flag, None) for flag in red_flags_for(answers.location, taxonomy)]
    return context | {"step": 3, "questions": questions}


def partial_answers(request: HttpRequest, taxonomy: Taxonomy) -> dict:
    """What can still be used of a query string with a bad value, so the runner goes on
    from the step with the mistake rather than from the start."""
    answers = Answers()
    for keep in (["location"], ["location", "stage"]):
        try:
            answers = read_answers({k: request.GET[k] for k in keep if k in request.GET}, taxonomy)
        except BadAnswers:
            break
    return {"answers": answers}


def from_the_form(
    request: HttpRequest, answers: Answers, taxonomy: Taxonomy, context: dict
) -> HttpResponse:
    """Step 3's yes/no answers, redirected to the result's URL. Any yes counts at once,
    whatever is left blank (an emergency most of all); only a form with no answer at all
    is sent back."""
    if answers.location is None or not answers.stage_given:
        return render(request, TEMPLATE, with_step(context, taxonomy))
    questions = red_flags_for(answers.location, taxonomy)
    replies = {flag.slug: request.GET.get(f"q-{flag.slug}") for flag in questions}
    if questions and not any(reply in ("yes", "no") for reply in replies.values()):
        context |= {"step": 3, "questions": [(flag, None) for flag in questions]}
        context["errors"] = ["Please answer at least one question with yes or no."]
        return render(request, TEMPLATE, context, status=400)
    answers.flags = [flag for flag in questions if replies[flag.slug] == "yes"]
    return redirect(result_url(answers))


def result_url(answers: Answers) -> str:
    return f"{reverse('check')}?{urlencode(answers.query())}"


def stage_choices() -> list[tuple[str, str]]:
    return [(str(value), label) for value, label in Stage.choices] + [
        (NO_STAGE, "Not on a programme")
    ]


# --- /api/check -------------------------------------------------------------------------------


@api_view
def api_check(request: HttpRequest) -> JsonResponse:
    if refused := unknown_parameter(request, API_PARAMS):
        return refused
    taxonomy = Taxonomy()
    try:
        answers = read_answers(request.GET, taxonomy)
    except BadAnswers as bad:
        return error(" ".join(bad.messages), 400)
    if missing := missing_answer(request, answers):
        return error(
            f"Missing “{missing}”: give flags (the red flags answered yes, comma-separated; "
            "empty for none), and, unless a flag is answered yes, location (a place's slug) "
            "and stage (1-9, 10 for a graduate, or none).",
            400,
        )
    result = check_result(answers, taxonomy)
    attach_tags(result.advice, taxonomy)
    return JsonResponse(result_json(request, result, questions_for(answers.location, taxonomy)))


def missing_answer(request: HttpRequest, answers: Answers) -> str | None:
    """The first answer the API still needs: any flag answered yes is enough on its own
    (urgent help must never wait for the rest), no flag needs the place and the week."""
    if "flags" not in request.GET:
        return "flags"
    if answers.flags:
        return None
    if answers.location is None:
        return "location"
    return None if answers.stage_given else "stage"


def result_json(request: HttpRequest, result: CheckResult, questions: list[RedFlag]) -> dict:
    """The result as JSON: only the lists of its outcome are filled (docs/api.md)."""
    answers, url = result.answers, request.build_absolute_uri
    place = answers.location
    return {
        "location": place
        and {"slug": place.slug, "name": place.name, "url": url(place.get_absolute_url())},
        "stage": answers.stage,
        "stage_label": answers.stage_label,
        "flags": [flag.slug for flag in answers.flags or []],
        "outcome": result.outcome,
        "url": url(result_url(answers)),
        "questions": [flag_json(flag) for flag in questions],
        "urgent": [flag_json(flag) for flag in result.urgent],
        "see_a_professional": [flag_json(flag) for flag in result.see_someone],
        "advice": [advice_summary(request, entry) for entry in result.advice],
        "remedies": [remedy_json(row) for row in result.remedies],
        "remedies_near_stage": result.remedies_near_stage,
        "threads": [thread_json(request, thread) for thread in result.threads],
    }


def flag_json(flag: RedFlag) -> dict:
    return {"slug": flag.slug, "question": flag.ask, **red_flag_json(flag)}


def remedy_json(row: RemedySupport) -> dict:
    return {
        "slug": row.remedy.slug,
        "name": row.remedy.name,
        "category": row.remedy.category,
        "runners": row.runners,
        "threads": row.threads,
        "helped": row.helped,
        "did_not_help": row.did_not_help,
    }


def thread_json(request: HttpRequest, thread: Thread) -> dict:
    return {
        "title": thread.title,
        "url": request.build_absolute_uri(thread.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("api_thread_detail", args=[thread.slug])),
        "stage": thread.stage,
        "stage_label": thread.stage_label,
        "reply_count": thread.reply_count,
    }
