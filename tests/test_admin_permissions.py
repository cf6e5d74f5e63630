"""The permission matrix: anonymous, editor, publisher and superuser against every admin
page and action, including that an editor cannot open users or groups and cannot publish."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from reversion.models import Version

from kbapp.models import AdviceEntry, Evidence, RedFlag
from kbapp.services import curation
from tests.admin_support import (
    ROLES,
    client_for,
    curated_thread,
    form_data,
    make_user,
)
from tests.factories import location, make_advice, remedy

pytestmark = pytest.mark.django_db
Status = AdviceEntry.Status


def everyone(anonymous=302, editor=200, publisher=200, superuser=200) -> dict[str, int]:
    """Expected status per role; anonymous is always sent to the login page."""
    return {
        "anonymous": anonymous,
        "editor": editor,
        "publisher": publisher,
        "superuser": superuser,
    }


STAFF = everyone()
SUPERUSER_ONLY = everyone(editor=403, publisher=403)
PUBLISHERS = everyone(editor=403)


@dataclass
class World:
    thread: object
    draft: AdviceEntry
    published: AdviceEntry

    @property
    def reply(self):
        return self.thread.replies.get(position=2)


@pytest.fixture
def world() -> World:
    thread = curated_thread()
    draft = make_advice("Draft advice", status=Status.DRAFT)
    published = make_advice("Published advice", status=Status.PUBLISHED)
    curation.save_advice(
        entry=draft,
        user=None,
        locations=[location("upper-back")],
        remedies=[remedy("relax-shoulders")],
        sources=[thread.replies.get(position=2)],
        expected_version=1,
    )
    return World(thread=thread, draft=draft, published=published)


def url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


# (what, how to reach it, expected per role)
PAGES = [
    ("admin index", lambda w: url("index"), STAFF),
    ("users", lambda w: url("auth_user_changelist"), SUPERUSER_ONLY),
    ("add user", lambda w: url("auth_user_add"), SUPERUSER_ONLY),
    ("groups", lambda w: url("auth_group_changelist"), SUPERUSER_ONLY),
    (
        "a group",
        lambda w: url("auth_group_change", Group.objects.get(name="Editors").pk),
        SUPERUSER_ONLY,
    ),
    ("red flags", lambda w: url("kbapp_redflag_changelist"), SUPERUSER_ONLY),
    (
        "a red flag",
        lambda w: url("kbapp_redflag_change", RedFlag.objects.first().pk),
        SUPERUSER_ONLY,
    ),
    ("threads", lambda w: url("kbapp_thread_changelist"), STAFF),
    (
        "threads with suggestions",
        lambda w: url("kbapp_thread_changelist") + "?tags=suggested",
        STAFF,
    ),
    ("a thread", lambda w: url("kbapp_thread_change", w.thread.pk), STAFF),
    ("add thread", lambda w: url("kbapp_thread_add"), STAFF),
    ("thread history", lambda w: url("kbapp_thread_history", w.thread.pk), STAFF),
    ("import threads", lambda w: url("kbapp_thread_import"), STAFF),
    ("replies", lambda w: url("kbapp_reply_changelist"), STAFF),
    ("a reply", lambda w: url("kbapp_reply_change", w.reply.pk), STAFF),
    (
        "add reply (replies come by import)",
        lambda w: url("kbapp_reply_add"),
        everyone(302, 403, 403, 403),
    ),
    ("merge page", lambda w: url("kbapp_reply_merge", w.reply.pk), STAFF),
    ("split page", lambda w: url("kbapp_reply_split", w.reply.pk), STAFF),
    (
        "source autocomplete",
        lambda w: (
            url("kbapp_reply_source_autocomplete")
            + "?term=shoulders&app_label=kbapp&model_name=adviceentry&field_name=sources"
        ),
        STAFF,
    ),
    ("evidence", lambda w: url("kbapp_evidence_changelist"), STAFF),
    ("an evidence", lambda w: url("kbapp_evidence_change", Evidence.objects.first().pk), STAFF),
    ("add evidence", lambda w: url("kbapp_evidence_add"), STAFF),
    ("advice entries", lambda w: url("kbapp_adviceentry_changelist"), STAFF),
    ("a draft", lambda w: url("kbapp_adviceentry_change", w.draft.pk), STAFF),
    (
        "a published entry (read only for editors)",
        lambda w: url("kbapp_adviceentry_change", w.published.pk),
        STAFF,
    ),
    ("add advice entry", lambda w: url("kbapp_adviceentry_add"), STAFF),
    ("preview", lambda w: url("kbapp_adviceentry_preview", w.draft.pk), STAFF),
    ("advice history", lambda w: url("kbapp_adviceentry_history", w.draft.pk), STAFF),
    ("pain locations", lambda w: url("kbapp_painlocation_changelist"), STAFF),
    ("a pain location", lambda w: url("kbapp_painlocation_change", location("knees").pk), STAFF),
    ("remedies", lambda w: url("kbapp_remedy_changelist"), STAFF),
    ("a remedy", lambda w: url("kbapp_remedy_change", remedy("yoga").pk), STAFF),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("what", "where", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(world, role, what, where, expected):
    response = client_for(make_user(role)).get(where(world))
    assert response.status_code == expected[role], what
    if role == "anonymous":
        assert response["Location"].startswith(url("login"))


def post_action(w, action: str, extra: dict | None = None) -> tuple[str, dict]:
    data = {"action": action, "_selected_action": [w.thread.pk], **(extra or {})}
    return url("kbapp_thread_changelist"), data


def draft_form(w, client, button: str) -> tuple[str, dict]:
    where = url("kbapp_adviceentry_change", w.draft.pk)
    return where, {**form_data(client.get(where)), button: "1"}


# (what, how to post it, expected per role, what must hold afterwards per role)
# One row per action, written out in full so that a failing row names itself.
ACTIONS = [
    (
        "confirm button",
        lambda w, c: (url("kbapp_thread_confirm", w.thread.pk), {}),
        STAFF | {"editor": 302, "publisher": 302, "superuser": 302},
    ),
    ("add location action page", lambda w, c: post_action(w, "add_location"), STAFF),
    (
        "add location action",
        lambda w, c: post_action(
            w, "add_location", {"apply": "1", "location": location("knees").pk}
        ),
        everyone(302, 302, 302, 302),
    ),
    (
        "add remedy action",
        lambda w, c: post_action(w, "add_remedy", {"apply": "1", "remedy": remedy("yoga").pk}),
        everyone(302, 302, 302, 302),
    ),
    (
        "confirm action",
        lambda w, c: post_action(w, "confirm_suggested"),
        everyone(302, 302, 302, 302),
    ),
    ("hide action", lambda w, c: post_action(w, "hide"), everyone(302, 302, 302, 302)),
    (
        "merge",
        lambda w, c: (url("kbapp_reply_merge", w.reply.pk), {}),
        everyone(302, 302, 302, 302),
    ),
    (
        "split",
        lambda w, c: (url("kbapp_reply_split", w.reply.pk), {"at_paragraph": "1"}),
        everyone(302, 302, 302, 302),
    ),
    (
        "create advice from replies",
        lambda w, c: (
            url("kbapp_reply_changelist"),
            {"action": "create_advice", "_selected_action": [w.reply.pk]},
        ),
        everyone(302, 302, 302, 302),
    ),
    (
        "submit for review",
        lambda w, c: draft_form(w, c, "_submit_review"),
        everyone(302, 302, 302, 302),
    ),
    ("publish", lambda w, c: draft_form(w, c, "_publish"), everyone(302, 403, 302, 302)),
    (
        "change a published entry",
        lambda w, c: (
            url("kbapp_adviceentry_change", w.published.pk),
            {"title": "Changed", "version": "1"},
        ),
        everyone(302, 403, 200, 200),
    ),
    (
        "delete a published entry",
        lambda w, c: (url("kbapp_adviceentry_delete", w.published.pk), {"post": "yes"}),
        everyone(302, 403, 302, 302),
    ),
    (
        "revert a draft",
        lambda w, c: (
            url(
                "kbapp_adviceentry_revert",
                w.draft.pk,
                Version.objects.get_for_object(w.draft).first().pk,
            ),
            {"version": str(AdviceEntry.objects.get(pk=w.draft.pk).version)},
        ),
        everyone(302, 302, 302, 302),
    ),
    (
        "delete a user",
        lambda w, c: (url("auth_user_delete", make_user("editor", "victim").pk), {"post": "yes"}),
        everyone(302, 403, 403, 302),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("what", "request_for", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_actions(world, role, what, request_for, expected):
    client = client_for(make_user(role))
    where, data = request_for(
        world, client if role != "anonymous" else client_for(make_user("superuser", "helper"))
    )
    response = client.post(where, data)
    assert response.status_code == expected[role], what
    if role == "anonymous":
        assert response["Location"].startswith(url("login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_publishers_and_superusers_publish(world, role):
    client = client_for(make_user(role))
    helper = client if role != "anonymous" else client_for(make_user("superuser", "helper"))
    where, data = draft_form(world, helper, "_publish")
    client.post(where, data)
    world.draft.refresh_from_db()
    published = role in {"publisher", "superuser"}
    assert (world.draft.status == Status.PUBLISHED) is published
    assert (world.draft.published_at is not None) is published


def test_an_editor_cannot_publish_by_posting_the_status_field(world):
    editor = client_for(make_user("editor"))
    where = url("kbapp_adviceentry_change", world.draft.pk)
    data = {**form_data(editor.get(where)), "status": "published", "published_at_0": "2026-01-01"}
    assert editor.post(where, data).status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.status == Status.DRAFT
    assert world.draft.published_at is None


def test_an_editor_sees_a_published_entry_read_only_and_without_a_publish_button(world):
    editor = client_for(make_user("editor"))
    page = editor.get(url("kbapp_adviceentry_change", world.published.pk)).content.decode()
    assert 'name="_save"' not in page
    draft = editor.get(url("kbapp_adviceentry_change", world.draft.pk)).content.decode()
    assert 'name="_submit_review"' in draft
    assert 'name="_publish"' not in draft
    publisher = client_for(make_user("publisher"))
    assert (
        'name="_publish"'
        in publisher.get(url("kbapp_adviceentry_change", world.draft.pk)).content.decode()
    )


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_the_service_refuses_an_editor_publishing_whatever_the_path(world, role):
    user = make_user(role)
    if role == "editor":
        with pytest.raises(PermissionDenied):
            curation.publish(entry_id=world.draft.pk, user=user)
        assert AdviceEntry.objects.get(pk=world.draft.pk).status == Status.DRAFT
    else:
        curation.publish(entry_id=world.draft.pk, user=user)
        assert AdviceEntry.objects.get(pk=world.draft.pk).status == Status.PUBLISHED


def test_editors_group_holds_only_curation_permissions():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert {app for app, _ in codenames} == {"kbapp"}
    assert ("kbapp", "publish_adviceentry") not in codenames
    assert ("kbapp", "change_thread") in codenames
    publishers = set(
        Group.objects.get(name="Publishers").permissions.values_list("codename", flat=True)
    )
    assert publishers == {c for _, c in codenames} | {"publish_adviceentry"}
    assert not any(c.endswith(("_user", "_group", "_permission", "_redflag")) for _, c in codenames)
