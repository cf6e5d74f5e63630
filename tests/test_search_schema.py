"""The search schema survives later migrations: visible SQL, a repair step, a system check."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, models

from kbapp.models import Thread
from kbapp.search import get_backend, schema
from tests.factories import make_thread

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
