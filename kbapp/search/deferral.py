"""Index maintenance once per transaction, for writers of many replies at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from kbapp.search.schema import sqlite


@contextmanager
def deferred_index() -> Iterator[None]:
    """Inside it, SQLite's reply triggers leave each thread's document to one rebuild at the
    end (see schema version 2). PostgreSQL's triggers work per statement already.

    It is a transaction (a savepoint inside another): nested uses defer to the outermost,
    which alone flushes, and an exception rolls the flag, the marks and the writes back.
    """
    with transaction.atomic():
        if connection.vendor != "sqlite":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("INSERT OR IGNORE INTO kbapp_search_defer (id) VALUES (1)")
            outermost = cursor.rowcount == 1
        yield
        if outermost:
            with connection.cursor() as cursor:
                for sql in sqlite.FLUSH:
                    cursor.execute(sql)
                cursor.execute("DELETE FROM kbapp_search_defer")
