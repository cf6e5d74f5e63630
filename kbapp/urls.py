from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from kbapp.sitemaps import SITEMAPS
from kbapp.views import api, health, public, search

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # The public site and its read-only API (docs/api.md).
    path("", public.home, name="home"),
    path("symptoms/<slug:slug>/", public.symptom_detail, name="symptom_detail"),
    path("advice/", public.advice_list, name="advice_list"),
    path("advice/<slug:slug>/", public.advice_detail, name="advice_detail"),
    path("advice/<slug:slug>/helpful", public.advice_vote, name="advice_vote"),
    path("answers/", public.answer_list, name="answer_list"),
    path("check/", public.check, name="check"),
    path("threads/<slug:slug>/", public.thread_detail, name="thread_detail"),
    path("api/advice", api.advice_list, name="api_advice_list"),
    path("api/advice/<slug:slug>", api.advice_detail, name="api_advice_detail"),
    path("api/threads/<slug:slug>", api.thread_detail, name="api_thread_detail"),
    path("search/", search.search_page, name="search"),
    path("api/search", search.api_search, name="api_search"),
    path("api/check", public.api_check, name="api_check"),
    re_path(r"^api/(?P<path>.*)$", api.not_found, name="api_not_found"),
    path("robots.txt", public.robots_txt, name="robots_txt"),
    path("favicon.ico", public.favicon, name="favicon"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

handler404 = "kbapp.views.public.not_found"
handler500 = "kbapp.views.public.server_error"
