"""Indexes for browsing a place at community scale (docs/performance.md).

- Threads in the order lists read them (newest first, undated last), so a place's newest
  threads are found by walking the index instead of sorting every thread of the place.
- Each thread's id with its stage and whether it is hidden, and each remedy tag's thread
  with its remedy and status: the facet counts of a symptom page read these narrow copies
  instead of the wide rows (a thread row carries its whole text).
- The hidden threads alone, which public claims are checked against (few of them).

Written per database: PostgreSQL puts NULLs first in a descending index unless told, and
SQLite, which puts them last anyway, accepts neither NULLS LAST nor INCLUDE in an index.
"""

from django.db import migrations

INDEXES = {
    "postgresql": [
        (
            "kbapp_thread_newest_first",
            "kbapp_thread (posted_at DESC NULLS LAST, imported_at DESC, id DESC)",
        ),
        ("kbapp_thread_facets", "kbapp_thread (id) INCLUDE (stage, is_hidden)"),
        ("kbapp_threadremedy_facets", "kbapp_threadremedy (thread_id) INCLUDE (remedy_id, status)"),
        ("kbapp_thread_hidden", "kbapp_thread (id) WHERE is_hidden"),
    ],
    "sqlite": [
        ("kbapp_thread_newest_first", "kbapp_thread (posted_at DESC, imported_at DESC, id DESC)"),
        ("kbapp_thread_facets", "kbapp_thread (id, stage, is_hidden)"),
        ("kbapp_threadremedy_facets", "kbapp_threadremedy (thread_id, remedy_id, status)"),
        ("kbapp_thread_hidden", "kbapp_thread (id) WHERE is_hidden"),
    ],
}


def create(apps, schema_editor):
    for name, columns in INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def drop(apps, schema_editor):
    for name, _ in INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("kbapp", "0012_search_scale")]

    operations = [migrations.RunPython(create, drop)]
