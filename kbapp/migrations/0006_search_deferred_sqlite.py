"""SQLite search schema version 2: bulk writers rebuild each thread's document once per
transaction instead of once per reply (kbapp/search/schema/sqlite.py). PostgreSQL's
statement-level triggers already do, so it has no change here."""

from django.db import migrations

from kbapp.search.schema import sqlite, upgrade


class Migration(migrations.Migration):
    dependencies = [("kbapp", "0005_search_index")]

    operations = [upgrade(sqlite.V1, sqlite.V2)]
