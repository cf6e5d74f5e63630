"""Should I keep running?: red flags asked as yes/no questions, and "Was this helpful?".

RedFlag.question is the plain question the check asks for each flag; the seeded flags get
theirs here. AdviceVote keeps each answer to "Was this helpful?" with no personal data;
AdviceHelpfulness (a proxy of AdviceEntry) lists the entries by their votes in the admin.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

QUESTIONS = {
    "spreading-numbness": "Is numbness spreading, or are both of your legs weak or numb?",
    "chest-pain": "Have you had chest pain or tightness, dizziness, fainting or a racing "
    "heartbeat?",
    "bladder-bowel": "Have you noticed any change in bladder or bowel control, numbness "
    "around your bottom, or a fever?",
    "numbness": "Do you have numbness, tingling, pins and needles or weakness in an arm or leg?",
    "breathing": "Does it hurt more when you breathe in, cough or sneeze?",
    "worse-on-waking": "Is it worst when you wake up and does not ease as you move, or does "
    "it wake you at night?",
    "not-better": "Has it not got better after a week of rest, or is it getting worse?",
    "after-a-fall": "Did it start after a fall, a collision or a twist?",
    "cannot-bear-weight": "Is it hard to put weight on it, is it swollen, or does one spot "
    "of bone hurt when you press it?",
}


def ask_questions(apps, schema_editor):
    RedFlag = apps.get_model("kbapp", "RedFlag")
    for slug, question in QUESTIONS.items():
        RedFlag.objects.filter(slug=slug, question="").update(question=question)


MODERATING = ["view_advicevote", "change_advicevote", "view_advicehelpfulness"]


def let_editors_moderate(apps, schema_editor):
    """Editors and Publishers read the votes and moderate their notes; nobody adds votes."""
    app_config = apps.get_app_config("kbapp")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    moderating = Permission.objects.filter(content_type__app_label="kbapp", codename__in=MODERATING)
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.add(*moderating)


# Operations as makemigrations wrote them: a shipped migration is never edited, so alike
# fields in other migrations stay where they are.
class Migration(migrations.Migration):
    dependencies = [("kbapp", "0004_editor_roles"), ("kbapp", "0009_answers_first")]

    operations = [
        migrations.AddField(
            model_name="redflag",
            name="question",
            field=models.CharField(
                blank=True,
                help_text='Asked in "Should I keep running?" as a plain yes/no question; '
                "empty: the name is asked.",
                max_length=200,
            ),
        ),
        migrations.RunPython(ask_questions, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AdviceVote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("helpful", models.BooleanField()),
                (
                    "missing",
                    models.TextField(blank=True, help_text="What was missing?", max_length=500),
                ),
                (
                    "moderation",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "No text"),
                            ("pending", "Waiting for an editor"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                        ],
                        default="",
                        max_length=10,
                    ),
                ),
                ("created_on", models.DateField(auto_now_add=True)),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="votes",
                        to="kbapp.adviceentry",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["moderation", "entry"], name="kbapp_advic_moderat_dde82e_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AdviceHelpfulness",
            fields=[],
            options={
                "verbose_name": "advice entry by helpfulness",
                "verbose_name_plural": "advice entries by helpfulness",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("kbapp.adviceentry",),
        ),
        migrations.RunPython(let_editors_moderate, migrations.RunPython.noop),
    ]
