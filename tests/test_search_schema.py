"""The search schema survives later migrations: visible SQL, a repair step, a system check."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader

from kbapp.models import AdviceEntry, PainLocation, Thread
from kbapp.search import get_backend, schema
from kbapp.search.schema import postgresql, sqlite
from tests.factories import make_advice, make_thread

pytestmark = pytest.mark.django_db


def found(text: str) -> list[int]:
    return [hit.thread.pk for hit in get_backend().search(text).hits]


def drop_trigger(name: str, table: str) -> None:
    on = f" ON {table}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}{on}")


def deploy_check() -> None:
    call_command("check", "--deploy", "--fail-level", "ERROR", stdout=io.StringIO())


def test_the_applied_schema_is_whole_and_the_deploy_check_passes():
    found_now = schema.inspect(connection)
    assert found_now.schema is not None and found_now.schema.vendor == connection.vendor
    assert found_now.ok, (found_now.missing_tables, found_now.missing_triggers)
    deploy_check()


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor refuses a transaction
def test_sqlmigrate_shows_this_vendors_sql_and_not_the_others():
    out = io.StringIO()
    call_command("sqlmigrate", "kbapp", "0005", stdout=out)
    sql = out.getvalue()
    assert "CREATE TRIGGER kbapp_search_reply_inserted" in sql
    other = "fts5" if connection.vendor == "postgresql" else "tsvector"
    assert other not in sql


def test_a_missing_trigger_is_an_error_on_deploy_and_migrate_puts_it_back():
    trigger = next(t for t in schema.inspect(connection).schema.triggers if "reply" in t.name)
    drop_trigger(trigger.name, trigger.table)
    with pytest.raises(SystemCheckError, match=rf"kbapp.E001.*{trigger.name}"):
        deploy_check()
    out = io.StringIO()
    call_command("migrate", "--verbosity", "1", stdout=out)
    assert schema.inspect(connection).ok
    deploy_check()


def test_a_missing_table_is_reported_not_papered_over():
    table = schema.inspect(connection).schema.tables[0]
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_gone")
    with pytest.raises(SystemCheckError, match=rf"kbapp.E001.*{table}"):
        deploy_check()
    assert schema.repair(connection) == []


def test_migrate_warns_rather_than_stopping_itself():
    errors = schema_messages(databases=["default"])
    assert errors == []
    trigger = schema.inspect(connection).schema.triggers[0]
    drop_trigger(trigger.name, trigger.table)
    [warning] = schema_messages(databases=["default"])
    assert warning.id == "kbapp.W001" and not warning.is_serious()


def schema_messages(**kwargs):
    from kbapp.search.schema.checks import check_search_schema

    return check_search_schema(**kwargs)


def longer_title() -> models.CharField:
    field = models.CharField(max_length=Thread._meta.get_field("title").max_length + 1)
    field.set_attributes_from_name("title")
    field.model = Thread
    return field


@pytest.mark.django_db(transaction=True)
def test_a_later_table_rebuild_keeps_search_working():
    """Altering a column rebuilds the table on SQLite, dropping its triggers; migrate's
    post-migrate step must bring them back before anything is written."""
    old = Thread._meta.get_field("title")
    new = longer_title()
    try:
        with connection.schema_editor() as editor:
            editor.alter_field(Thread, old, new)
        if connection.vendor == "sqlite":
            assert schema.inspect(connection).missing_triggers, "the remake should drop them"
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        assert schema.inspect(connection).ok
        thread = make_thread("Peroneal tendon", "Peroneal pain on the outside of my ankle.")
        assert found("peroneal") == [thread.pk]
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(Thread, new, old)
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert schema.inspect(connection).ok


def longer(model, name: str) -> tuple[models.Field, models.Field]:
    old = model._meta.get_field(name)
    new = models.CharField(max_length=old.max_length + 1)
    new.set_attributes_from_name(name)
    new.model = model
    return old, new


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model", [AdviceEntry, PainLocation])
def test_rebuilding_a_table_the_advice_triggers_read_keeps_advice_search_working(model):
    """The tag tables' triggers read the entry and the taxonomy; a remake of either must
    leave them working once migrate's post-migrate step has run."""
    old, new = longer(model, "title" if model is AdviceEntry else "name")
    try:
        with connection.schema_editor() as editor:
            editor.alter_field(model, old, new)
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        assert schema.inspect(connection).ok
        PainLocation.objects.create(name="Peroneal", slug="peroneal")
        entry = make_advice("Peroneal drills", locations=["peroneal"], remedies=[])
        PainLocation.objects.filter(slug="peroneal").update(synonyms="wobblebone")
        assert [pk for pk, _ in get_backend().search("wobblebone").advice_ids] == [entry.pk]
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(model, new, old)
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert schema.inspect(connection).ok


@pytest.mark.django_db(transaction=True)
def test_the_advice_version_is_installed_by_its_own_migration():
    name, version = next(
        (name, version)
        for name, version in schema.VERSIONS[connection.vendor]
        if name.endswith("_answers_first")
    )
    assert version == {"postgresql": postgresql.V2, "sqlite": sqlite.V3}[connection.vendor]
    out = io.StringIO()
    call_command("sqlmigrate", "kbapp", name, stdout=out)
    assert "kbapp_search_advice" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_advice_version_migrates_back_and_forth():
    name = next(
        migration
        for migration, version in schema.VERSIONS[connection.vendor]
        if {"kbapp_search_advice", "kbapp_search_fts_advice"} & set(version.tables)
    )
    [(_, previous)] = MigrationLoader(connection).graph.node_map[("kbapp", name)].parents
    call_command("migrate", "kbapp", previous, verbosity=0)
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert not {"kbapp_search_advice", "kbapp_search_fts_advice"} & tables
    call_command("migrate", verbosity=0)
    assert schema.inspect(connection).ok
    entry = make_advice("Peroneal drills", locations=[], remedies=[])
    assert [pk for pk, _ in get_backend().search("peroneal").advice_ids] == [entry.pk]
