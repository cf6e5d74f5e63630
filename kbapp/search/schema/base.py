"""What a search schema is made of, and the migration operation that applies one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import migrations


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    sql: str


@dataclass(frozen=True)
class Schema:
    """One version of one vendor's search schema: tables, functions, triggers and their SQL."""

    vendor: str
    version: int
    tables: tuple[str, ...]
    create: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    populate: tuple[str, ...]
    drop: tuple[str, ...]

    @property
    def install(self) -> list[str]:
        return [*self.create, *(t.sql for t in self.triggers), *self.populate]

    @property
    def uninstall(self) -> list[str]:
        return list(self.drop)

    def drop_trigger(self, trigger: Trigger) -> str:
        on = f" ON {trigger.table}" if self.vendor == "postgresql" else ""
        return f"DROP TRIGGER IF EXISTS {trigger.name}{on}"


def changes(old: Schema, new: Schema) -> list[str]:
    """From one version to another: changed triggers re-created, new tables added, old
    ones dropped, new tables filled. A changed (or new, so that going back and forth
    works) PostgreSQL function must be written ``CREATE OR REPLACE``."""
    old_triggers = {t.name: t for t in old.triggers}
    new_triggers = {t.name: t for t in new.triggers}
    return [
        *(new.drop_trigger(t) for t in old.triggers if new_triggers.get(t.name) != t),
        *(f"DROP TABLE IF EXISTS {name}" for name in old.tables if name not in new.tables),
        *(sql for sql in new.create if sql not in old.create),
        *(t.sql for t in new.triggers if old_triggers.get(t.name) != t),
        *(sql for sql in new.populate if sql not in old.populate),
    ]


class VendorRunSQL(migrations.RunSQL):
    """RunSQL for one database vendor only; elsewhere a no-op, so sqlmigrate shows the SQL
    of the database it is pointed at, and the other vendor's dialect never reaches it."""

    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def describe(self) -> str:
        return f"Search schema SQL for {self.vendor}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def apply(schema: Schema) -> VendorRunSQL:
    """The migration operation that installs a schema version (and drops it going back)."""
    return VendorRunSQL(schema.vendor, schema.install, schema.uninstall)


def upgrade(old: Schema, new: Schema) -> VendorRunSQL:
    """The migration operation from one version to the next (and back)."""
    return VendorRunSQL(new.vendor, changes(old, new), changes(new, old))
