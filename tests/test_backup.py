"""export_kb / import_kb: the whole knowledge base across vendors, identical row for row."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection

from kbapp.models import AdviceEntry, PainLocation, SearchQuery, Thread
from tests.admin_support import ensure_taxonomy, make_user
from tests.factories import make_advice, make_evidence, make_thread
from tests.scratch_db import scratch_database
from tests.test_hardening import production_env

pytestmark = pytest.mark.django_db(transaction=True)
SEARCH = (
    "from kbapp.search import search; r = search('shoulder blades'); "
    "print(r.count, [h.thread.slug for h in r.hits])"
)


def fill() -> None:
    """A bit of everything: tags, evidence, advice with sources and history, users, the log."""
    ensure_taxonomy()  # a transactional test before may have flushed it
    thread = make_thread(
        "Pain between my shoulder blades",
        replies=[("Deano5", "Relax your shoulders, it helped."), "Yoga twice a week."],
        locations=["between-the-shoulder-blades"],
        remedies=["relax-shoulders"],
    )
    evidence = make_evidence(thread.replies.get(position=1), "relax-shoulders", "upper-back")
    make_thread("Sore shins on week three", locations=["shins"], is_hidden=True)
    editor = make_user("editor")
    with reversion.create_revision():
        entry = make_advice("Relax your shoulders", sources=[evidence.reply])
        reversion.set_user(editor)
        reversion.add_to_revision(entry)
    LogEntry.objects.log_actions(
        user_id=editor.pk, queryset=[entry], action_flag=CHANGE, change_message="Published."
    )
    SearchQuery.objects.create(query="scapula", results=0, count=3)


def body(path: Path) -> list[str]:
    return path.read_text().splitlines()[1:]


def manage(url: str, tmp_path: Path, *args: str) -> str:
    env = production_env(tmp_path, DATABASE_URL=url, KB_TESTING="1")
    result = subprocess.run(
        [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def restore(url: str, tmp_path: Path, source: Path, target: Path) -> str:
    """Migrate a new database, restore source into it, export it again; the search it answers."""
    manage(url, tmp_path, "migrate", "-v0")
    manage(url, tmp_path, "import_kb", str(source))
    manage(url, tmp_path, "export_kb", str(target))
    return manage(url, tmp_path, "shell", "-v0", "-c", SEARCH)


def test_round_trip_to_the_other_vendor_and_back_is_identical(tmp_path):
    fill()
    here = connection.vendor
    there = "postgresql" if here == "sqlite" else "sqlite"
    first, second, third = (tmp_path / f"{n}.jsonl" for n in ("first", "second", "third"))
    call_command("export_kb", str(first))
    with scratch_database(there, tmp_path, "there") as other:
        found_there = restore(other, tmp_path, first, second)
    with scratch_database(here, tmp_path, "back") as back:
        found_back = restore(back, tmp_path, second, third)
    assert body(second) == body(first)
    assert body(third) == body(first)
    assert found_there == found_back and found_there.startswith("1 ")
    models = {json.loads(line)["model"] for line in body(first)}
    assert {"auth.user", "auth.group", "kbapp.evidence", "reversion.version"} <= models
    assert {"admin.logentry", "kbapp.threadlocation", "kbapp.searchquery"} <= models


def test_the_header_names_format_and_version_and_passwords_stay_out(tmp_path):
    fill()
    call_command("export_kb", str(tmp_path / "kb.jsonl"))
    lines = (tmp_path / "kb.jsonl").read_text().splitlines()
    head = json.loads(lines[0])
    assert (head["format"], head["version"], head["with_passwords"]) == (
        "runners-kb-export",
        1,
        False,
    )
    users = [json.loads(line) for line in lines if '"model": "auth.user"' in line]
    assert [u["fields"]["password"] for u in users] == ["!"]
    assert users[0]["fields"]["groups"] == [["Editors"]]
    call_command("export_kb", str(tmp_path / "with.jsonl"), "--with-passwords")
    with_hashes = (tmp_path / "with.jsonl").read_text()
    assert User.objects.get().password in with_hashes


def test_a_restored_account_has_its_groups_but_no_usable_password(tmp_path):
    fill()
    call_command("export_kb", str(tmp_path / "kb.jsonl"))
    with scratch_database(connection.vendor, tmp_path, "accounts") as url:
        manage(url, tmp_path, "migrate", "-v0")
        manage(url, tmp_path, "import_kb", str(tmp_path / "kb.jsonl"))
        code = (
            "from django.contrib.auth.models import User; u = User.objects.get(); "
            "groups = list(u.groups.values_list('name', flat=True)); "
            "print(u.username, u.has_usable_password(), groups)"
        )
        assert manage(url, tmp_path, "shell", "-v0", "-c", code).strip() == (
            "editor False ['Editors']"
        )


def test_restoring_over_content_is_refused(tmp_path):
    fill()
    call_command("export_kb", str(tmp_path / "kb.jsonl"))
    with pytest.raises(CommandError, match="already holds threads"):
        call_command("import_kb", str(tmp_path / "kb.jsonl"))
    assert Thread.objects.count() == 2


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty or its first line is not JSON"),
        ("not json\n", "empty or its first line is not JSON"),
        ('{"format": "something-else"}\n', "not a knowledge-base export"),
        ('{"format": "runners-kb-export", "version": 99}\n', "version 99; this reads 1"),
        ('{"format": "runners-kb-export", "version": 1}\n{"model": "auth.permission"}\n', "line 2"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(tmp_path, text, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("import_kb", str(path))


def test_a_broken_row_restores_nothing(tmp_path):
    fill()
    call_command("export_kb", str(tmp_path / "kb.jsonl"))
    lines = (tmp_path / "kb.jsonl").read_text().splitlines()
    for model in (AdviceEntry, Thread, User):
        model.objects.all().delete()
    locations = PainLocation.objects.count()
    # A reply pointing at a thread that is not in the file: found only at commit time.
    broken = [
        line.replace('"thread": ', '"thread": 9999') if '"kbapp.reply"' in line else line
        for line in lines
    ]
    (tmp_path / "broken.jsonl").write_text("\n".join(broken) + "\n")
    with pytest.raises(CommandError, match="nothing was restored"):
        call_command("import_kb", str(tmp_path / "broken.jsonl"))
    assert Thread.objects.count() == 0 and PainLocation.objects.count() == locations


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_kb", str(tmp_path / "nowhere.jsonl"))
    with pytest.raises(CommandError, match="cannot write"):
        call_command("export_kb", str(tmp_path / "no-such-dir" / "kb.jsonl"))
