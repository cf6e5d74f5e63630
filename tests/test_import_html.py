"""Saved forum pages: read as text through an HTML parser; markup never reaches a title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kbapp.admin.forms import IMPORT_HELP
from kbapp.importing.files import IMPORTABLE_SUFFIXES, parse_file
from kbapp.models import Thread
from tests.admin_support import client_for, make_user

README = Path(__file__).resolve().parent.parent / "README.md"
PAGE = """<!doctype html>
<html><head><title>Knee pain week 2 - Couch to 5K</title>
<style>body { color: red }</style><script>var tracking = "Reply";</script></head>
<body>
<header class="site"><nav><a href="/">Home</a> <a href="/forums">Forums</a></nav></header>
<main>
  <h1>Knee pain week 2</h1>
  <p>My knees ache after W2R1, <b>mostly</b> on the stairs.</p>
  <p>Is this normal?</p>
  <article><header><a class="author" href="/u/jo">RunnerJo</a> <time>2h ago</time></header>
    <p>Rest for a few days &amp; then repeat the week.</p>
    <p>Ice helped me too.</p>
    <footer><button>Reply</button> <button>Share</button></footer></article>
  <article><header><a class="author" href="/u/sam">SamRuns</a></header>
    <p>New shoes after a gait analysis sorted my knees.</p><div>12 likes</div></article>
</main>
<aside>Related threads: Shin splints</aside>
<footer>© Forum 2026 · Privacy</footer>
<script>alert("x")</script>
</body></html>
"""


def test_a_page_is_read_as_text_without_furniture():
    [thread] = parse_file("knee.html", PAGE.encode())
    assert (thread.title, thread.community) == ("Knee pain week 2", "Couch to 5K")
    assert thread.body == "My knees ache after W2R1, mostly on the stairs.\n\nIs this normal?"
    assert [(r.author, r.body) for r in thread.replies] == [
        ("RunnerJo", "Rest for a few days & then repeat the week.\n\nIce helped me too."),
        ("SamRuns", "New shoes after a gait analysis sorted my knees."),
    ]
    everything = "\n".join([thread.title, thread.body, *(r.body for r in thread.replies)])
    for furniture in ("<", "Home", "Forums", "Reply", "Share", "tracking", "alert", "likes",
                      "Related", "Privacy", "color"):  # fmt: skip
        assert furniture not in everything


def test_a_page_without_a_heading_takes_the_browser_title():
    page = "<html><head><title>Sore shins | Runners</title></head><body><p>Both shins.</p>"
    [thread] = parse_file("shins.htm", page.encode())
    assert (thread.title, thread.body, thread.community) == ("Sore shins", "Both shins.", "Runners")


def test_deep_nesting_is_no_problem():
    page = "<html><body><h1>Deep</h1>" + "<div>" * 5000 + "<p>Text.</p>" + "</div>" * 5000
    [thread] = parse_file("deep.html", page.encode())
    assert (thread.title, thread.body) == ("Deep", "Text.")


@pytest.mark.django_db
def test_markup_in_a_title_is_refused_with_the_file_named(tmp_path, capsys):
    (tmp_path / "page.txt").write_text(PAGE)
    (tmp_path / "page.html").write_text(PAGE)
    with pytest.raises(CommandError):
        call_command("import_threads", str(tmp_path))
    err = capsys.readouterr().err
    assert f"{tmp_path / 'page.txt'}: the title looks like markup ('<!doctype html>')" in err
    assert Thread.objects.get().title == "Knee pain week 2"


@pytest.mark.django_db
def test_hidden_imports_stay_off_the_public_site_until_shown(tmp_path, client):
    (tmp_path / "knee.html").write_text(PAGE)
    call_command("import_threads", str(tmp_path), "--hidden")
    thread = Thread.objects.get()
    assert thread.is_hidden
    assert client.get(f"/threads/{thread.slug}/").status_code == 404
    Thread.objects.update(is_hidden=False)
    (tmp_path / "knee.html").write_text(PAGE.replace("Is this normal?", "Normal?"))
    call_command("import_threads", str(tmp_path), "--hidden")
    assert not Thread.objects.get().is_hidden  # an editor's decision stands


@pytest.mark.django_db
def test_the_admin_imports_a_page_hidden():
    editor = client_for(make_user("editor"))
    upload = SimpleUploadedFile("knee.html", PAGE.encode(), content_type="text/html")
    response = editor.post(
        reverse("admin:kbapp_thread_import"), {"files": [upload], "hidden": "on"}
    )
    assert response.status_code == 200
    assert Thread.objects.get().is_hidden
    assert 'name="hidden"' in editor.get(reverse("admin:kbapp_thread_import")).content.decode()


def test_readme_and_admin_help_list_the_same_extensions():
    readme = README.read_text(encoding="utf-8")
    section = readme[readme.index("## Importing threads") :]
    listed = set(re.findall(r"`(\.[a-z]+)`", section[: section.index("\n- ")]))
    assert listed == IMPORTABLE_SUFFIXES
    assert set(re.findall(r"\.[a-z]+", IMPORT_HELP)) == IMPORTABLE_SUFFIXES
