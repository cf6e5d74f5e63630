"""The search index's schema: one versioned module per vendor, applied by migrations.

Migrations apply a version with ``VendorRunSQL`` (so ``sqlmigrate`` shows the SQL), and
after every ``migrate`` the post-migrate step re-creates any trigger that a later migration
dropped: on SQLite, Django rebuilds a table to alter most columns, and the rebuilt table
comes back without its triggers. A system check reports what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from kbapp.search.schema import postgresql, sqlite
from kbapp.search.schema.base import Schema, Trigger, VendorRunSQL, apply, upgrade

__all__ = [
    "Schema",
    "Trigger",
    "VendorRunSQL",
    "apply",
    "expected",
    "inspect",
    "repair",
    "upgrade",
]

# Each vendor's versions, oldest first, with the migration that installs each one.
VERSIONS: dict[str, list[tuple[str, Schema]]] = {
    "postgresql": [
        ("0005_search_index", postgresql.V1),
        ("0009_answers_first", postgresql.V2),
        ("0012_search_scale", postgresql.V3),
    ],
    "sqlite": [
        ("0005_search_index", sqlite.V1),
        ("0006_search_deferred_sqlite", sqlite.V2),
        ("0009_answers_first", sqlite.V3),
    ],
}


@dataclass
class Inspection:
    schema: Schema | None
    missing_tables: list[str]
    missing_triggers: list[Trigger]

    @property
    def missing(self) -> list[str]:
        """The names of every table and trigger the applied version lacks."""
        return self.missing_tables + [trigger.name for trigger in self.missing_triggers]

    @property
    def ok(self) -> bool:
        return not self.missing


def expected(connection: BaseDatabaseWrapper) -> Schema | None:
    """The newest version whose migration this database has applied, if any."""
    applied = {
        name for app, name in MigrationRecorder(connection).applied_migrations() if app == "kbapp"
    }
    found = None
    for migration, schema in VERSIONS.get(connection.vendor, []):
        if migration in applied:
            found = schema
    return found


def present_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    sql = {
        "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {name for (name,) in cursor.fetchall()}


def inspect(connection: BaseDatabaseWrapper) -> Inspection:
    """What the applied schema version needs and the database lacks: three small queries."""
    schema = expected(connection)
    if schema is None:
        return Inspection(None, [], [])
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    triggers = present_triggers(connection)
    return Inspection(
        schema,
        [name for name in schema.tables if name not in tables],
        [trigger for trigger in schema.triggers if trigger.name not in triggers],
    )


def repair(connection: BaseDatabaseWrapper) -> list[str]:
    """Re-create the triggers the applied version lacks; the names of those re-created.

    Only triggers: a missing table or function is no migration's side effect, so it is left
    to the system check to report rather than papered over.
    """
    found = inspect(connection)
    if found.schema is None or found.missing_tables or not found.missing_triggers:
        return []
    with connection.cursor() as cursor:
        for trigger in found.missing_triggers:
            cursor.execute(trigger.sql)
    return [trigger.name for trigger in found.missing_triggers]
