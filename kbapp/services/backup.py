"""Export and restore the whole knowledge base as versioned JSON Lines (export_kb, import_kb).

The first line is a header naming the format and its version; every other line is one row
in Django's own "jsonl" serialization, models in dependency order, rows by primary key.
Primary keys are kept, so a restore is identical row for row on either database vendor;
content types, permissions, groups and users are referred to by their natural keys, which
do not depend on the order in which a database created them. Password hashes are left out
unless asked for: a restored account then has no usable password until one is set.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import IO

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from kbapp.content import content_changed

FORMAT = "runners-kb-export"
VERSION = 1
# Dependency order: a row only refers to rows of models before it (or to itself).
MODELS = [
    "auth.group",
    "auth.user",
    "kbapp.painlocation",
    "kbapp.remedy",
    "kbapp.redflag",
    "kbapp.thread",
    "kbapp.reply",
    "kbapp.threadlocation",
    "kbapp.threadremedy",
    "kbapp.evidence",
    "kbapp.adviceentry",
    "kbapp.searchquery",
    "reversion.revision",
    "reversion.version",
    "admin.logentry",
]
# Rows the migrations create in a new database; a restore replaces them with the export's.
SEEDED = ["kbapp.redflag", "kbapp.remedy", "kbapp.painlocation", "auth.group"]
# What makes a database not empty: restoring over these would mix two knowledge bases.
CONTENT = ["kbapp.thread", "kbapp.adviceentry", "auth.user"]
NO_PASSWORD = "!"  # Django's marker of an unusable password
BATCH = 500


class BackupError(Exception):
    """An export file or a target database that a restore cannot use; the message says why."""


@dataclass
class Restored:
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{label} {n}" for label, n in self.counts.items())


def header(*, with_passwords: bool) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "models": MODELS,
        "with_passwords": with_passwords,
    }


def batched(items: Iterable, size: int) -> Iterator[list]:
    """itertools.batched arrives with Python 3.12."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def rows(label: str, *, with_passwords: bool) -> Iterator[str]:
    model = apps.get_model(label)
    for chunk in batched(model.objects.order_by("pk").iterator(chunk_size=BATCH), BATCH):
        text = serializers.serialize(
            "jsonl", chunk, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
        for line in text.splitlines():
            if label == "auth.user" and not with_passwords:
                row = json.loads(line)
                row["fields"]["password"] = NO_PASSWORD
                line = json.dumps(row, ensure_ascii=False)
            yield line


def export_kb(*, out: IO[str], with_passwords: bool = False) -> dict[str, int]:
    """Write the header and every row; returns the number of rows per model."""
    counts = {}
    with transaction.atomic():  # one consistent snapshot on PostgreSQL
        out.write(json.dumps(header(with_passwords=with_passwords)) + "\n")
        for label in MODELS:
            counts[label] = 0
            for line in rows(label, with_passwords=with_passwords):
                out.write(line + "\n")
                counts[label] += 1
    return counts


def read_header(lines: Iterator[str]) -> dict:
    try:
        head = json.loads(next(lines))
    except (StopIteration, ValueError):
        raise BackupError("the file is empty or its first line is not JSON") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise BackupError(f"not a knowledge-base export (first line lacks format={FORMAT!r})")
    if head.get("version") != VERSION:
        raise BackupError(f"export format version {head.get('version')!r}; this reads {VERSION}")
    return head


def check_empty() -> None:
    for label in CONTENT:
        if apps.get_model(label).objects.exists():
            raise BackupError(
                f"the database already holds {apps.get_model(label)._meta.verbose_name_plural}: "
                "restore into a new, migrated database"
            )


def clear_seeded() -> None:
    # The location tree protects its parents; cut it first so it can go in one delete.
    apps.get_model("kbapp.painlocation").objects.update(parent=None)
    for label in SEEDED:
        apps.get_model(label).objects.all().delete()


def import_kb(*, lines: Iterable[str]) -> Restored:
    """Restore an export into an empty database, in one transaction: all or nothing."""
    lines = iter(lines)
    read_header(lines)
    restored = Restored()
    try:
        with transaction.atomic():
            check_empty()
            clear_seeded()
            for label, objects in grouped(lines):
                restored.counts[label] = restored.counts.get(label, 0) + save_batch(objects)
            reset_sequences()
            content_changed()
    except (DeserializationError, IntegrityError, DatabaseError, ValueError) as error:
        raise BackupError(f"nothing was restored: {first_line(error)}") from None
    return restored


def grouped(lines: Iterator[str]) -> Iterator[tuple[str, list]]:
    """Batches of rows of one model, deserialized only when the batches before are saved,
    so natural keys (a user's groups, a revision's user) find the rows they name."""
    batch: list[str] = []
    label = ""
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        try:
            this = json.loads(line)["model"]
        except (ValueError, KeyError, TypeError):
            raise BackupError(f"line {number} is not an exported row") from None
        if this not in MODELS:
            raise BackupError(f"line {number}: unexpected model {this!r}")
        if batch and (this != label or len(batch) >= BATCH):
            yield label, list(serializers.deserialize("jsonl", batch))
            batch = []
        label = this
        batch.append(line)
    if batch:
        yield label, list(serializers.deserialize("jsonl", batch))


@contextmanager
def stored_times(model) -> Iterator[None]:
    """bulk_create stamps auto_now fields with the time of the restore; keep the export's."""
    fields = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    fields += [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def save_batch(objects: list) -> int:
    """bulk_create keeps primary keys and skips signals; many-to-many rows follow."""
    model = objects[0].object.__class__
    with stored_times(model):
        model.objects.bulk_create([obj.object for obj in objects])
    for name in {name for obj in objects for name in (obj.m2m_data or {})}:
        through = model._meta.get_field(name).remote_field.through
        source, target = through_columns(model, name)
        through.objects.bulk_create(
            through(**{source: obj.object.pk, target: pk})
            for obj in objects
            for pk in (obj.m2m_data or {}).get(name, [])
        )
    return len(objects)


def through_columns(model, name: str) -> tuple[str, str]:
    m2m = model._meta.get_field(name)
    return m2m.m2m_column_name(), m2m.m2m_reverse_name()


def reset_sequences() -> None:
    """PostgreSQL's id sequences must move past the restored keys; SQLite needs nothing."""
    models = [apps.get_model(label) for label in MODELS]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__
