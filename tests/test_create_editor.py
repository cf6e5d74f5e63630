"""create_editor: a staff account in the Editors or Publishers group, password checked."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db
GOOD = "correct horse battery staple"


def create(*argv: str, stdin: str = GOOD + "\n", monkeypatch) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_editor", *argv, stdout=out)
    return out.getvalue()


def test_editor_from_standard_input(monkeypatch):
    out = create("ann", monkeypatch=monkeypatch)
    user = User.objects.get(username="ann")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.check_password(GOOD)
    assert user.has_perm("kbapp.change_thread")
    assert not user.has_perm("kbapp.publish_adviceentry")
    assert not user.has_perm("auth.view_user")
    assert "Created editor “ann”" in out


def test_publisher(monkeypatch):
    create("pat", "--publisher", monkeypatch=monkeypatch)
    user = User.objects.get(username="pat")
    assert list(user.groups.values_list("name", flat=True)) == ["Publishers"]
    assert user.has_perm("kbapp.publish_adviceentry")


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("\n", "must not be empty"),
        ("", "must not be empty"),
        ("short\n", "too short"),
        ("password123\n", "too common"),
        ("12345678901234\n", "entirely numeric"),
    ],
)
def test_bad_passwords_are_refused_and_nothing_is_created(monkeypatch, stdin, message):
    with pytest.raises(CommandError, match=message):
        create("ann", stdin=stdin, monkeypatch=monkeypatch)
    assert not User.objects.filter(username="ann").exists()


def test_an_existing_user_is_refused(monkeypatch):
    User.objects.create_user("ann")
    with pytest.raises(CommandError, match="already exists"):
        create("ann", monkeypatch=monkeypatch)


def test_a_terminal_asks_twice_and_refuses_different_answers(monkeypatch):
    answers = iter([GOOD, "something else"])

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("create_editor", "ann")
    answers = iter([GOOD, GOOD])
    call_command("create_editor", "ann", stdout=io.StringIO())
    assert User.objects.get(username="ann").check_password(GOOD)


def test_exit_status_of_the_real_command(tmp_path):
    """Run as a process, as an operator would, on a scratch database of its own."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}"}
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, env=env, check=True, capture_output=True)
    command = [sys.executable, "manage.py", "create_editor", "ann"]
    ok = subprocess.run(command, input=GOOD + "\n", capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run(command, input=GOOD + "\n", capture_output=True, text=True, env=env)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr
    weak = [sys.executable, "manage.py", "create_editor", "bob"]
    refused = subprocess.run(weak, input="bob\n", capture_output=True, text=True, env=env)
    assert refused.returncode == 1
    assert "Password refused" in refused.stderr
