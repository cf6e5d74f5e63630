"""An index in the order thread lists are read (newest first, undated last), so a place's
newest threads are found by walking it instead of sorting every thread of the place.

Written per database: PostgreSQL puts NULLs first in a descending index unless told, and
SQLite, which puts them last anyway, does not accept NULLS LAST in an index.
"""

from django.db import migrations

NAME = "kbapp_thread_newest_first"
COLUMNS = {
    "postgresql": "posted_at DESC NULLS LAST, imported_at DESC, id DESC",
    "sqlite": "posted_at DESC, imported_at DESC, id DESC",
}


def create(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON kbapp_thread ({columns})")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("kbapp", "0012_search_scale")]

    operations = [migrations.RunPython(create, drop)]
