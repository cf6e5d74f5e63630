"""The search log becomes one row per normalised query and day, with a count."""

import django.utils.timezone
from django.db import migrations, models


def aggregate_per_day(apps, schema_editor):
    """Fold the one-row-a-search log into one row per (query, day), keeping the last result."""
    SearchQuery = apps.get_model("kbapp", "SearchQuery")
    kept: dict[tuple[str, object], object] = {}
    for row in SearchQuery.objects.order_by("pk").iterator():
        row.day = django.utils.timezone.localdate(row.created_at)
        first = kept.get((row.query, row.day))
        if first is None:
            kept[(row.query, row.day)] = row
            row.save(update_fields=["day"])
        else:
            first.count += 1
            first.results = row.results
            first.save(update_fields=["count", "results"])
            row.delete()


# Operations as makemigrations wrote them: a shipped migration is never edited, so alike
# fields in other migrations stay where they are.
class Migration(migrations.Migration):
    dependencies = [
        ("kbapp", "0010_check_and_feedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchquery",
            name="count",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="searchquery",
            name="day",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
        migrations.RunPython(aggregate_per_day, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="searchquery",
            name="kbapp_searc_results_ff7626_idx",
        ),
        migrations.RemoveField(
            model_name="searchquery",
            name="created_at",
        ),
        migrations.AddIndex(
            model_name="searchquery",
            index=models.Index(fields=["results", "day"], name="kbapp_searc_results_ae6861_idx"),
        ),
        migrations.AddIndex(
            model_name="searchquery",
            index=models.Index(fields=["day"], name="kbapp_searc_day_c03c55_idx"),
        ),
        migrations.AddConstraint(
            model_name="searchquery",
            constraint=models.UniqueConstraint(
                fields=("query", "day"), name="kbapp_searchquery_query_day"
            ),
        ),
    ]
