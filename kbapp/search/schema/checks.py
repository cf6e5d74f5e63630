"""The system check and the post-migrate step that keep the search schema whole."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError, connections

from kbapp.search.schema import inspect, repair

HINT = (
    "Run `python manage.py migrate` (its last step re-creates missing triggers), then "
    "`python manage.py rebuild_search_index` to index what was written without them."
)


def schema_errors(aliases, level=checks.Error, id="kbapp.E001") -> list[checks.CheckMessage]:
    errors = []
    for alias in aliases:
        try:
            found = inspect(connections[alias])
        except DatabaseError:
            continue  # an unreachable database is reported by Django's own checks
        if missing := found.missing:
            errors.append(
                level(
                    f"The search index on database '{alias}' is incomplete: "
                    f"missing {', '.join(missing)}.",
                    hint=HINT,
                    id=id,
                )
            )
    return errors


@checks.register(checks.Tags.database)
def check_search_schema(app_configs=None, databases=None, **kwargs):
    """With ``check --database`` and ``migrate``: a warning, since an error would stop the
    very ``migrate`` whose last step repairs the triggers."""
    return schema_errors(databases or [], checks.Warning, "kbapp.W001")


@checks.register(checks.Tags.database, deploy=True)
def check_search_schema_deploy(app_configs=None, databases=None, **kwargs):
    """With ``check --deploy`` the default database is inspected even when none is named."""
    return [] if databases else schema_errors(["default"])


def repair_search_triggers(sender, using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """post_migrate: put back the triggers a table rebuild dropped, before anyone writes."""
    created = repair(connections[using])
    if created and verbosity:
        print(f"  Re-created search triggers: {', '.join(created)}")
