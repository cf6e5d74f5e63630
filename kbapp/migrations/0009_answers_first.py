"""Answers first: emergency red flags, and advice entries in the search index.

RedFlag.emergency marks the flags that need urgent care the same day; the seeds' chest
pain and bladder or bowel flags are emergencies, and numbness that spreads (or weakness in
both legs) joins them as a flag of its own. The search schema moves to PostgreSQL
version 2 and SQLite version 3, which index published advice entries beside the threads
(kbapp/search/schema/).
"""

from django.db import migrations, models

from kbapp.search.schema import postgresql, sqlite, upgrade

EMERGENCIES = ["chest-pain", "bladder-bowel", "spreading-numbness"]

SPREADING_NUMBNESS = {
    "name": "Numbness spreading, or weakness in both legs",
    "advice": "Numbness that spreads, is around the bottom or genitals, or comes with "
    "weakness in both legs needs emergency care: call your local emergency number.",
    "phrases": "numbness spreading, spreading numbness, numbness is spreading, "
    "numb in both legs, both legs numb, numbness in both legs, weakness in both legs, "
    "both legs weak, numb around my bottom, saddle numbness",
    "position": 0,
}


def mark_emergencies(apps, schema_editor):
    RedFlag = apps.get_model("kbapp", "RedFlag")
    RedFlag.objects.get_or_create(slug="spreading-numbness", defaults=SPREADING_NUMBNESS)
    RedFlag.objects.filter(slug__in=EMERGENCIES).update(emergency=True)


# Operations as makemigrations wrote them: a shipped migration is never edited, so alike
# fields in other migrations stay where they are.
class Migration(migrations.Migration):
    dependencies = [("kbapp", "0008_importing")]

    operations = [
        migrations.AddField(
            model_name="redflag",
            name="emergency",
            field=models.BooleanField(
                default=False,
                help_text="Needs urgent care today (chest pain, bladder or bowel control): "
                "shown as urgent and never folded away.",
            ),
        ),
        migrations.AlterModelOptions(
            name="redflag", options={"ordering": ["-emergency", "position", "name"]}
        ),
        # Going back keeps the new flag: deleting rows here would leave PostgreSQL with
        # pending constraint checks when the column is dropped in the same transaction.
        migrations.RunPython(mark_emergencies, migrations.RunPython.noop),
        upgrade(postgresql.V1, postgresql.V2),
        upgrade(sqlite.V2, sqlite.V3),
    ]
