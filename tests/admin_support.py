"""Accounts in each editorial role, and helpers for driving the admin in tests."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.forms import CheckboxInput, MultiWidget
from django.test import Client

from kbapp.models import Evidence, PainLocation, Reply, TagStatus, Thread
from tests.factories import make_evidence, make_thread

PASSWORD = "a long editorial passphrase 42"
ROLES = ["anonymous", "editor", "publisher", "superuser"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Unhashed static names for templates (settings already do this when KB_TESTING is set;
    other test modules import this fixture, so it stays)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(role: str, username: str | None = None) -> User | None:
    """A user in one of the roles; "anonymous" is no user at all."""
    if role == "anonymous":
        return None
    username = username or role
    ensure_roles()
    if role == "superuser":
        return User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Publishers" if role == "publisher" else "Editors"))
    return user


def ensure_roles() -> None:
    """The groups come from a data migration; a transactional test's flush empties them."""
    if Group.objects.filter(name__in=["Editors", "Publishers"]).count() < 2:
        import_module("kbapp.migrations.0004_editor_roles").create_roles(django_apps, None)


def ensure_taxonomy() -> None:
    """Locations and remedies, reloaded by the migration's own code after a flush."""
    if not PainLocation.objects.exists():
        import_module("kbapp.migrations.0002_taxonomy").load_taxonomy(django_apps, None)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def confirmed_thread(**fields) -> Thread:
    """curated_thread() after an editor confirmed everything the importer suggested."""
    from kbapp.services import curation

    thread = curated_thread(**fields)
    curation.confirm_suggestions(thread_ids=[thread.pk], user=None)
    return thread


def curated_thread(**fields) -> Thread:
    """A thread as the importer leaves it: suggested tags, suggested evidence, a red flag."""
    thread = make_thread(
        "Pain between my shoulder blades after W7R1",
        replies=[
            ("Deano5", "My upper back hurts after long runs, right between the shoulder blades."),
            (
                "Bluebird",
                "Relax your shoulders and drop them every few minutes.\n\n"
                "Core strength helped me too: planks every morning.",
            ),
            ("Jo", "Try pilates, it made my back feel so much better."),
        ],
        locations=["between-the-shoulder-blades"],
        remedies=["relax-shoulders"],
        status=TagStatus.SUGGESTED,
        **fields,
    )
    second = thread.replies.get(position=2)
    make_evidence(
        second,
        "relax-shoulders",
        "between-the-shoulder-blades",
        stance=Evidence.Stance.RECOMMENDS,
        status=TagStatus.SUGGESTED,
        quote="Relax your shoulders and drop them every few minutes.",
    )
    return thread


def reply(thread: Thread, position: int) -> Reply:
    return thread.replies.get(position=position)


def form_data(response) -> dict:
    """What a browser would post back from the admin change form in this response."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for field in form:
            data.update(_posted(field))
    return data


def _posted(field) -> dict:
    value, widget = field.value(), field.field.widget
    if isinstance(widget, MultiWidget):
        parts = widget.decompress(value)
        return {f"{field.html_name}_{n}": _text(part) for n, part in enumerate(parts)}
    if isinstance(widget, CheckboxInput):
        return {field.html_name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {field.html_name: [str(v) for v in value]}
    return {field.html_name: _text(value)}


def _text(value) -> str:
    return "" if value is None else str(value)
