"""The two editorial roles: Editors curate, Publishers also publish.

Editors get the kbapp models they curate and nothing else (no users, no groups,
no red flags, which ship with the taxonomy). Permissions are created here first:
Django only creates them after all migrations, too late for a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_MODELS = [
    "thread",
    "reply",
    "threadlocation",
    "threadremedy",
    "evidence",
    "adviceentry",
    "painlocation",
    "remedy",
]
ACTIONS = ["add", "change", "delete", "view"]
PUBLISH = "publish_adviceentry"


def create_roles(apps, schema_editor):
    app_config = apps.get_app_config("kbapp")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in CURATED_MODELS for action in ACTIONS]
    editing = list(
        Permission.objects.filter(content_type__app_label="kbapp", codename__in=codenames)
    )
    publish = Permission.objects.get(content_type__app_label="kbapp", codename=PUBLISH)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(editing)
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set([*editing, publish])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kbapp", "0003_adviceentry_publish_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
