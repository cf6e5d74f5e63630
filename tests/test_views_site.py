"""Site-wide pieces: sitemap, robots.txt, error pages and the static files pipeline."""

import json
import re

import pytest
from django.core.management import call_command
from django.template import loader
from django.urls import path

from kbapp.views.public import not_found, server_error
from tests.factories import make_advice, make_thread
from tests.public_support import page_text


def boom(request):
    raise RuntimeError("a bug")


# This module doubles as a URLconf with a view that fails, to exercise the real 500 handler.
urlpatterns = [path("advice/boom/", boom), path("api/boom", boom)]
handler404 = not_found
handler500 = server_error


@pytest.mark.django_db
def test_sitemap_lists_public_pages_only(client):
    visible = make_thread("Visible thread")
    hidden = make_thread("Hidden thread", is_hidden=True)
    published = make_advice("Published entry")
    draft = make_advice("Draft entry", status="draft")
    index = client.get("/sitemap.xml").content.decode()
    for section in ("pages", "symptoms", "advice", "threads"):
        assert f"http://testserver/sitemap-{section}.xml" in index
    threads = client.get("/sitemap-threads.xml").content.decode()
    assert visible.get_absolute_url() in threads and hidden.get_absolute_url() not in threads
    advice = client.get("/sitemap-advice.xml").content.decode()
    assert published.get_absolute_url() in advice and draft.get_absolute_url() not in advice
    symptoms = client.get("/sitemap-symptoms.xml").content.decode()
    assert "http://testserver/symptoms/between-the-shoulder-blades/" in symptoms
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/advice/</loc>" in pages
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines and "Disallow: /api/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_404_page_is_in_the_site_style_without_a_database(client):
    # No django_db mark: any query in here would fail the test.
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in page_text(response)
    assert 'class="site-header"' in html and "Community experience, not medical advice." in html


def test_500_template_renders_without_request_or_database():
    html = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in html
    assert "Community experience, not medical advice." in html
    assert "site.css" in html


def test_a_failing_view_gets_the_styled_500(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/advice/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    api = client.get("/api/boom")
    assert api.status_code == 500 and "error" in json.loads(api.content)


PRODUCTION_STATIC = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.django_db
def test_static_files_are_hashed_and_compressed(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC}}
    call_command("collectstatic", "--noinput", verbosity=0)
    hashed = [p.name for p in (tmp_path / "kbapp").glob("site.*.css")]
    assert len(hashed) == 1 and re.fullmatch(r"site\.[0-9a-f]{12}\.css", hashed[0])
    assert (tmp_path / "kbapp" / f"{hashed[0]}.gz").exists()
    html = client.get("/").content.decode()
    assert f'href="/static/kbapp/{hashed[0]}"' in html
