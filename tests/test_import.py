"""import_threads against the real database: idempotence, atomicity, reports."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kbapp.models import (
    Evidence,
    Reply,
    TagStatus,
    Thread,
    ThreadLocation,
    ThreadRemedy,
)
from tests.dumps import SEED_CASES, SEEDS_DIR

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row the importer can write, so "exactly as it was" can be compared."""
    return {
        "threads": sorted(Thread.objects.values_list("source_key", "content_hash", "version")),
        "replies": sorted(Reply.objects.values_list("thread__source_key", "position", "body")),
        "locations": sorted(
            ThreadLocation.objects.values_list("thread_id", "location_id", "status")
        ),
        "remedies": sorted(ThreadRemedy.objects.values_list("thread_id", "remedy_id", "status")),
        "evidence": sorted(Evidence.objects.values_list("reply_id", "remedy_id", "location_id")),
        "red_flags": sorted(
            Thread.red_flags.through.objects.values_list("thread_id", "redflag_id")
        ),
    }


def run(*argv: str) -> int:
    """The command's exit status; Django exits with CommandError.returncode (1)."""
    try:
        call_command("import_threads", *argv)
    except CommandError as error:
        return error.returncode
    return 0


def test_every_seed_imports_and_reimport_changes_nothing(capsys):
    assert run(str(SEEDS_DIR)) == 0
    assert "created 3 / updated 0 / unchanged 0 / failed 0" in capsys.readouterr().out
    before = snapshot()
    assert run(str(SEEDS_DIR)) == 0
    out = capsys.readouterr().out
    assert "created 0 / updated 0 / unchanged 3 / failed 0" in out
    assert out.count("unchanged  ") == 3
    assert snapshot() == before


@pytest.mark.parametrize("case", SEED_CASES, ids=lambda c: c.name)
def test_stored_seed_threads_match_their_dumps(case):
    run(str(SEEDS_DIR / case.name))
    thread = Thread.objects.get(source_key=f"file:{case.name}")
    replies = list(thread.replies.order_by("position"))
    assert (thread.title, thread.community, len(replies)) == (
        case.title,
        case.community,
        case.replies,
    )
    assert [r.position for r in replies] == list(range(1, case.replies + 1))
    for number, author in case.authors.items():
        assert replies[number - 1].author == author
    assert thread.source_file == case.name


def test_seed_stages_tags_and_red_flags():
    run(str(SEEDS_DIR))
    w7 = Thread.objects.get(source_file="w7r1-upper-back-pain.txt")
    assert (w7.stage, w7.stage_run, w7.stage_label) == (7, 1, "Week 7, run 1")
    assert Thread.objects.get(source_file="back-pain-after-longer-runs.txt").stage == 10
    help_thread = Thread.objects.get(source_file="help-mid-to-upper-back-pain.txt")
    assert list(help_thread.red_flags.values_list("slug", flat=True)) == ["breathing"]
    assert not w7.red_flags.exists()
    suggested = set(w7.location_tags.values_list("location__slug", "status"))
    assert ("between-the-shoulder-blades", TagStatus.SUGGESTED) in suggested
    assert w7.remedy_tags.filter(remedy__slug="water-belt", status=TagStatus.SUGGESTED).exists()
    helped = Evidence.objects.get(
        reply__thread=w7, reply__position=1, remedy__slug="swimming", location__slug="shoulders"
    )
    assert (helped.stance, helped.status) == ("helped", TagStatus.SUGGESTED)
    assert "back-stroke swimming has also helped" in helped.quote


def test_changed_file_updates_its_thread_in_place(tmp_path):
    dump = tmp_path / "w7r1-upper-back-pain.txt"
    shutil.copy(SEEDS_DIR / dump.name, dump)
    run(str(dump))
    thread = Thread.objects.get()
    first = thread.replies.get(position=1)
    kept = first.evidence.first()
    Evidence.objects.filter(pk=kept.pk).update(status=TagStatus.CONFIRMED)
    thread.location_tags.update(status=TagStatus.CONFIRMED)

    text = dump.read_text(encoding="utf-8")
    text = text.replace("Ooops... a lot of = some :D", "Ooops... I meant some :D")
    text = text.replace("You may also like...", "Good luck with week 8!\n\n\nYou may also like...")
    dump.write_text(text, encoding="utf-8")
    assert run(str(dump)) == 0

    updated = Thread.objects.get()
    assert (updated.pk, updated.slug, updated.version) == (thread.pk, thread.slug, 2)
    assert updated.replies.get(position=1).pk == first.pk
    assert updated.replies.get(position=2).body == "Ooops... I meant some :D"
    assert updated.replies.get(position=6).body == "Good luck with week 8!"
    assert Evidence.objects.get(pk=kept.pk).status == TagStatus.CONFIRMED
    assert not updated.location_tags.filter(status=TagStatus.SUGGESTED).exists()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


GOOD_LINE = json.dumps({"title": "Tight calves", "body": "My calves are tight.", "id": "c1"})
BAD_FILES = {
    "corrupt.jsonl": (GOOD_LINE + '\n{"title": "Knees", "body": \n').encode(),
    "empty.txt": b"",
    "binary.txt": b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00",
    "latin1.txt": "Genou douloureux après la course".encode("latin-1"),
    "nul.jsonl": json.dumps({"title": "x", "body": "a\u0000b"}).encode(),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_leaves_the_database_exactly_as_it_was(tmp_path, capsys, name):
    run(str(SEEDS_DIR))
    before = snapshot()
    path = write(tmp_path, name, BAD_FILES[name])
    assert run(str(path)) == 1
    err = capsys.readouterr().err
    assert f"failed     {path}:" in err
    assert "Traceback" not in err
    assert snapshot() == before


def test_bad_file_does_not_stop_the_others(tmp_path, capsys):
    bad = write(tmp_path, "empty.txt", b"")
    assert run(str(bad), str(SEEDS_DIR)) == 1
    captured = capsys.readouterr()
    assert "created 3 / updated 0 / unchanged 0 / failed 1" in captured.out
    assert f"{bad}: file is empty" in captured.err
    assert Thread.objects.count() == 3


def test_missing_path_and_oversized_file_are_reported(tmp_path, capsys, settings):
    settings.KB_IMPORT_MAX_BYTES = 1000
    missing = tmp_path / "nope.txt"
    assert run(str(missing), str(SEEDS_DIR / "w7r1-upper-back-pain.txt")) == 1
    err = capsys.readouterr().err
    assert f"{missing}: no such file or folder" in err
    assert "larger than the import limit of 1,000 bytes" in err
    assert not Thread.objects.exists()


def test_dry_run_reports_without_writing(capsys):
    assert run("--dry-run", str(SEEDS_DIR)) == 0
    assert "Dry run, nothing written: created 3 / updated 0" in capsys.readouterr().out
    assert not Thread.objects.exists()


def test_folders_are_walked_for_importable_files_only(tmp_path, capsys):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(SEEDS_DIR / "w7r1-upper-back-pain.txt", nested)
    write(tmp_path, "notes.md", b"# not a dump")
    write(tmp_path / "a", ".hidden.txt", b"Hidden\n\nSecret.")
    write(tmp_path, "threads.jsonl", (GOOD_LINE + "\n").encode())
    assert run(str(tmp_path)) == 0
    assert sorted(Thread.objects.values_list("title", flat=True)) == [
        "Tight calves",
        "W7R1 Done! But Upper Back pain bothering me :(",
    ]


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(
        CommandError, match="nothing to import: no .txt, .html or .jsonl files under"
    ):
        call_command("import_threads", str(tmp_path))


def test_jsonl_threads_are_keyed_by_id_and_updated_in_place(tmp_path):
    thread = {"id": "t-1", "title": "Achilles", "body": "Sore.", "replies": [{"body": "Rest."}]}
    path = write(tmp_path, "a.jsonl", (json.dumps(thread) + "\n").encode())
    run(str(path))
    thread["replies"].append({"body": "Calf raises helped me.", "author": "Kim"})
    moved = write(tmp_path, "renamed.jsonl", (json.dumps(thread) + "\n").encode())
    run(str(moved))
    stored = Thread.objects.get()
    assert stored.source_key == "id:t-1"
    assert list(stored.replies.values_list("author", "body")) == [
        ("", "Rest."),
        ("Kim", "Calf raises helped me."),
    ]


def test_repeated_thread_in_one_file_is_refused(tmp_path, capsys):
    line = json.dumps({"id": 1, "title": "Hips", "body": "Ache."})
    path = write(tmp_path, "twice.jsonl", f"{line}\n{line}\n".encode())
    assert run(str(path)) == 1
    assert "thread 2 repeats thread 1" in capsys.readouterr().err
    assert not Thread.objects.exists()


def test_progress_bar_on_request(capsys):
    call_command("import_threads", str(SEEDS_DIR), "--progress", verbosity=0)
    assert "[##############################] 100% 3/3" in capsys.readouterr().err


def test_confirmed_tags_survive_a_reimport_of_a_changed_file(tmp_path):
    dump = write(tmp_path, "t.txt", b"Knee pain\n\nMy knees hurt.\n\n1 Replies\n\nTry new shoes.\n")
    run(str(dump))
    ThreadRemedy.objects.update(status=TagStatus.CONFIRMED)
    dump.write_bytes(b"Knee pain\n\nMy knees hurt a lot.\n\n1 Replies\n\nTry new shoes.\n")
    run(str(dump))
    assert list(ThreadRemedy.objects.values_list("remedy__slug", "status")) == [
        ("new-shoes-gait", TagStatus.CONFIRMED)
    ]


@pytest.mark.django_db(False)
def test_shell_exit_codes_and_messages(tmp_path):
    """End to end in a child process, on a throwaway SQLite file of its own."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "DEBUG": "1"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    bad = write(tmp_path, "binary.txt", BAD_FILES["binary.txt"])
    result = subprocess.run(
        [*manage, "import_threads", str(bad), str(SEEDS_DIR)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"failed     {bad}: binary file" in result.stderr
    assert "Traceback" not in result.stderr
    assert "created 3 / updated 0 / unchanged 0 / failed 1" in result.stdout
    again = subprocess.run(
        [*manage, "import_threads", str(SEEDS_DIR)], env=env, capture_output=True, text=True
    )
    assert (again.returncode, again.stdout.splitlines()[-1]) == (
        0,
        "created 0 / updated 0 / unchanged 3 / failed 0",
    )
