"""Search at community scale: PostgreSQL search schema version 3 adds each thread's head
document (title and question) with a GIN index of its own, from which a broad query takes
a bounded window of candidates before ranking (kbapp/search/schema/postgresql.py)."""

from django.db import migrations

from kbapp.search.schema import postgresql, upgrade


class Migration(migrations.Migration):
    dependencies = [("kbapp", "0011_production")]

    operations = [upgrade(postgresql.V2, postgresql.V3)]
