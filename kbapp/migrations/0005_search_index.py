"""The full-text search index, kept in sync by database triggers (see kbapp/search/).

Every write path (the ORM, bulk_create/update, QuerySet.update/delete, the admin, raw
SQL) goes through the triggers, so the index cannot drift from the threads and replies.
The SQL is version 1 of each vendor's schema module in kbapp/search/schema/, frozen there;
`sqlmigrate kbapp 0005` shows the statements for the database it is pointed at.
"""

from django.db import migrations

from kbapp.search.schema import apply, postgresql, sqlite


class Migration(migrations.Migration):
    dependencies = [("kbapp", "0004_editor_roles")]

    operations = [apply(postgresql.V1), apply(sqlite.V1)]
