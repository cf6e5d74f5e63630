"""Writes parsed threads to the database: one transaction per file, idempotent by hash."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from kbapp.content import one_change
from kbapp.importing.files import IMPORTABLE_SUFFIXES, parse_file, read_limited
from kbapp.importing.stage import parse_stage
from kbapp.importing.types import ParsedThread, ParseError
from kbapp.models import Reply, Thread
from kbapp.search.deferral import deferred_index
from kbapp.services.tagging import apply_suggestions
from kbapp.taxonomy import Taxonomy

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportSource:
    name: str
    data: bytes


@dataclass
class FileResult:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None
    # [id, title] of each thread created or updated, for the report's links (JSON-safe).
    threads: list[list] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def describe(self) -> str:
        if self.error:
            return f"failed     {self.name}: {self.error}"
        counts = {k: n for k in (CREATED, UPDATED, UNCHANGED) if (n := getattr(self, k))}
        line = f"{next(iter(counts)):<10} {self.name}"
        if sum(counts.values()) > 1:  # a JSON Lines file: say what happened to each thread
            line += " (" + ", ".join(f"{n} {k}" for k, n in counts.items()) + ")"
        return line


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    def total(self, outcome: str) -> int:
        return sum(getattr(f, outcome) for f in self.files)

    @property
    def failed(self) -> bool:
        return any(f.failed for f in self.files)

    def summary_line(self) -> str:
        failed = sum(f.failed for f in self.files)
        return (
            f"created {self.total(CREATED)} / updated {self.total(UPDATED)} / "
            f"unchanged {self.total(UNCHANGED)} / failed {failed}"
        )


def content_hash(parsed: ParsedThread) -> str:
    canonical = json.dumps(asdict(parsed), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def source_key(parsed: ParsedThread, file_name: str) -> str:
    """What makes a re-import the same thread: its id, else its URL, else its file."""
    if parsed.external_id:
        return f"id:{parsed.external_id}"[:600]
    if parsed.source_url:
        return f"url:{parsed.source_url}"[:600]
    base = Path(file_name).name
    if Path(base).suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        return f"file:{base}#{slugify(parsed.title)[:200]}"
    return f"file:{base}"


def unique_slug(title: str) -> str:
    base = slugify(title)[:80].strip("-") or "thread"
    taken = set(Thread.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def thread_fields(parsed: ParsedThread, file_name: str, digest: str) -> dict:
    stage, run = parse_stage(parsed.title, parsed.body)
    return {
        "title": parsed.title[:300],
        "body": parsed.body,
        "community": parsed.community[:120],
        "source_url": parsed.source_url,
        "source_file": Path(file_name).name[:255],
        "author": parsed.author[:120],
        "posted_at": parsed.posted_at,
        "stage": stage,
        "stage_run": run,
        "content_hash": digest,
    }


def sync_replies(thread: Thread, parsed: ParsedThread) -> None:
    """Update replies in place by position, so evidence on unchanged replies survives."""
    existing = {r.position: r for r in thread.replies.all()}
    changed, new = [], []
    for position, reply in enumerate(parsed.replies, start=1):
        values = {
            "author": reply.author[:120],
            "in_reply_to": reply.in_reply_to[:120],
            "body": reply.body,
            "posted_at": reply.posted_at,
        }
        current = existing.get(position)
        if current is None:
            new.append(Reply(thread=thread, position=position, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            changed.append(current)
    thread.replies.filter(position__gt=len(parsed.replies)).delete()
    Reply.objects.bulk_update(changed, ["author", "in_reply_to", "body", "posted_at"])
    # One statement: PostgreSQL's search trigger runs per statement and refreshes the thread.
    Reply.objects.bulk_create(new)


def save_thread(
    parsed: ParsedThread, *, file_name: str, taxonomy: Taxonomy, hidden: bool = False
) -> tuple[str, Thread]:
    """Create or update one thread; hidden applies to new threads only (editors decide after)."""
    digest = content_hash(parsed)
    key = source_key(parsed, file_name)
    thread = Thread.objects.filter(source_key=key).first()
    if thread is not None and thread.content_hash == digest:
        return UNCHANGED, thread
    fields = thread_fields(parsed, file_name, digest)
    if thread is None:
        thread = Thread.objects.create(
            source_key=key, slug=unique_slug(parsed.title), is_hidden=hidden, **fields
        )
        outcome = CREATED
    else:
        for name, value in fields.items():
            setattr(thread, name, value)
        thread.version += 1
        thread.save()
        outcome = UPDATED
    sync_replies(thread, parsed)
    apply_suggestions(thread, parsed, taxonomy)
    return outcome, thread


def planned_outcome(parsed: ParsedThread, file_name: str) -> str:
    """What save_thread would do, without writing: for --dry-run."""
    key = source_key(parsed, file_name)
    stored = Thread.objects.filter(source_key=key).values_list("content_hash", flat=True).first()
    if stored is None:
        return CREATED
    return UNCHANGED if stored == content_hash(parsed) else UPDATED


def check_unique_keys(threads: list[ParsedThread], file_name: str) -> None:
    seen: dict[str, int] = {}
    for number, parsed in enumerate(threads, 1):
        key = source_key(parsed, file_name)
        if key in seen:
            raise ParseError(f"thread {number} repeats thread {seen[key]} (same id, URL or title)")
        seen[key] = number


def import_source(
    source: ImportSource, *, taxonomy: Taxonomy, dry_run: bool, hidden: bool = False
) -> FileResult:
    """One file, whole or not at all; whatever goes wrong is this file's report, never a raise."""
    result = FileResult(source.name)
    try:
        threads = parse_file(source.name, source.data)
        check_unique_keys(threads, source.name)
        if dry_run:
            for parsed in threads:
                result.count(planned_outcome(parsed, source.name))
            return result
        with transaction.atomic(), deferred_index(), one_change():
            for parsed in threads:
                outcome, thread = save_thread(
                    parsed, file_name=source.name, taxonomy=taxonomy, hidden=hidden
                )
                result.count(outcome)
                if outcome != UNCHANGED:
                    result.threads.append([thread.pk, thread.title])
    except ParseError as exc:
        return FileResult(source.name, error=str(exc))
    except DatabaseError as exc:
        # The transaction rolled back: nothing of this file was written.
        return FileResult(source.name, error=f"database refused it ({exc.__class__.__name__})")
    except Exception as exc:  # noqa: BLE001 - one odd file must not end the whole run
        logger.exception("import of %s failed", source.name)
        return FileResult(source.name, error=f"could not be imported ({exc.__class__.__name__})")
    return result


def import_files(
    sources: Iterable[ImportSource | FileResult],
    *,
    dry_run: bool = False,
    hidden: bool = False,
    on_progress: Callable[[FileResult], None] | None = None,
) -> ImportReport:
    """Import each source on its own: a bad file is reported and the others still go in.

    A FileResult among the sources is a file already refused while reading it."""
    taxonomy = Taxonomy()
    report = ImportReport()
    for source in sources:
        if isinstance(source, FileResult):
            result = source
        else:
            result = import_source(source, taxonomy=taxonomy, dry_run=dry_run, hidden=hidden)
        report.files.append(result)
        if on_progress:
            on_progress(result)
    return report


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the importable files under each folder, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in IMPORTABLE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def read_source(path: Path) -> ImportSource | FileResult:
    """The file's bytes, or why they cannot be read (missing, unreadable, too large)."""
    try:
        with path.open("rb") as stream:
            return ImportSource(str(path), read_limited(stream, settings.KB_IMPORT_MAX_BYTES))
    except ParseError as exc:
        return FileResult(str(path), error=str(exc))
    except FileNotFoundError:
        return FileResult(str(path), error="no such file or folder")
    except OSError as exc:
        return FileResult(str(path), error=f"cannot be read ({exc.strerror})")


def read_upload(name: str, stream: BinaryIO) -> ImportSource | FileResult:
    """An uploaded file's bytes, or why it is refused: the same check as files on disk."""
    try:
        return ImportSource(name, read_limited(stream, settings.KB_IMPORT_MAX_BYTES))
    except ParseError as exc:
        return FileResult(name, error=str(exc))
