"""Was this helpful?: two buttons under each advice entry, in a form that needs no JavaScript.

One vote per browser per entry: the browser keeps the ids it voted on in a signed cookie,
and nothing about it is stored on our side. Votes are limited per client through the
cache (the client's address is only hashed into a cache key that expires). The POST is
never cached, and its answer is a redirect back to the entry.

The form carries no CSRF token: the vote is anonymous, once per browser and rate-limited,
so a token would guard nothing a stranger could not do by voting, and a token in a page
served from the page cache (or revalidated with a 304) would belong to another browser or
an older cookie. What a token would stop, a vote cast from another site's page, is refused
by the browser's own word on where the form came from (Origin, Sec-Fetch-Site).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kbapp.models import AdviceEntry
from kbapp.paging import ascii_digits
from kbapp.services.feedback import MAX_MISSING, record_vote
from kbapp.throttle import retry_after

COOKIE = "kb_helpful"
COOKIE_SALT = "kbapp.helpful"
COOKIE_AGE = 365 * 24 * 3600
MAX_REMEMBERED = 300
VOTE_LIMIT = 20
TEMPLATE = "kbapp/vote_refused.html"


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes"
    )
    missing = forms.CharField(
        required=False,
        max_length=MAX_MISSING,
        error_messages={"max_length": f"Please keep it to {MAX_MISSING} characters."},
    )


def from_another_site(request: HttpRequest) -> bool:
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and origin != f"{request.scheme}://{request.get_host()}"


@csrf_exempt
@never_cache
@require_POST
def advice_vote(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(AdviceEntry.objects.published(), slug=slug)
    if from_another_site(request):
        return refused(request, entry, ["Answer from this site's own page, please."], 403)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages = [m for errors in form.errors.values() for m in errors]
        return refused(request, entry, messages, 400)
    voted = voted_on(request)
    if entry.pk in voted:
        return redirect(f"{entry.get_absolute_url()}?vote=already#helpful")
    if over_limit(request):
        return refused(request, entry, ["Too many answers from here: try again later."], 429)
    record_vote(entry=entry, **form.cleaned_data)
    response = redirect(f"{entry.get_absolute_url()}?vote=thanks#helpful")
    remember(response, [*voted, entry.pk])
    return response


def refused(request: HttpRequest, entry: AdviceEntry, messages: list[str], status: int):
    return render(request, TEMPLATE, {"entry": entry, "errors": messages}, status=status)


def voted_on(request: HttpRequest) -> list[int]:
    """The entries this browser voted on; a cookie that was tampered with counts as none."""
    raw = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    return [int(part) for part in raw.split(",") if ascii_digits(part)]


def remember(response: HttpResponse, ids: list[int]) -> None:
    response.set_signed_cookie(
        COOKIE,
        ",".join(str(pk) for pk in ids[-MAX_REMEMBERED:]),
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def over_limit(request: HttpRequest) -> bool:
    """Counts this client's votes in the current hour, in the shared cache only."""
    return retry_after(request, "vote", f"{VOTE_LIMIT}/h") is not None
