"""The community's answers: replies with confirmed evidence, filtered."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kbapp.filters import AnswerFilter
from kbapp.models import Evidence
from kbapp.paging import BadPage, paginate
from kbapp.selectors import answer_replies, attach_claims
from kbapp.taxonomy import Taxonomy
from kbapp.views.public.common import bad_request, controls

TEMPLATE = "kbapp/answer_list.html"
PER_PAGE = 20
FILTERS = ["location", "remedy", "stance", "stage"]


def answer_list(request: HttpRequest) -> HttpResponse:
    taxonomy = Taxonomy()
    filterset = AnswerFilter(request.GET, queryset=Evidence.objects.public(), taxonomy=taxonomy)
    context = {
        "filterset": filterset,
        "controls": controls(filterset, FILTERS),
        "active": filterset.active,
    }
    if not filterset.is_valid():
        return bad_request(request, TEMPLATE, context, filterset.error_messages())
    try:
        page = paginate(answer_replies(filterset.qs), request.GET.get("page"), PER_PAGE)
    except BadPage as error:
        return bad_request(request, TEMPLATE, context, [str(error)])
    page.object_list = list(page.object_list)
    attach_claims(page.object_list, taxonomy)
    context["page"] = page
    return render(request, TEMPLATE, context)
