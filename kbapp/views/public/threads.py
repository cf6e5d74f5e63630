"""One thread as it was asked and answered, with its confirmed tags."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kbapp.models import Thread
from kbapp.pagecache import page_params
from kbapp.paging import BadPage
from kbapp.selectors import thread_page


@page_params("page")
def thread_detail(request: HttpRequest, slug: str) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.visible(), slug=slug)
    try:
        view = thread_page(thread, request.GET.get("page"))
    except BadPage as bad:
        context = {"thread": thread, "errors": [str(bad)]}
        return render(request, "kbapp/thread_bad_page.html", context, status=400)
    return render(request, "kbapp/thread_detail.html", {"view": view})
