"""Ranked thread ids turned into hits: threads, confirmed tags, a marked-up snippet, a link."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from kbapp.models import Reply, TagStatus, Thread, ThreadLocation, ThreadRemedy
from kbapp.search.types import SearchHit

if TYPE_CHECKING:
    from kbapp.taxonomy import Taxonomy

# The backends mark matches with these control characters, which never survive into
# HTML: the snippet is escaped first and only then are the marks turned into <mark>.
START, STOP = "\x02", "\x03"
FALLBACK_WORDS = 40


def highlight(marked: str) -> SafeString:
    """Escaped text with <mark> around the matches; stray marks cannot unbalance it."""
    html, open_mark = [], False
    for index, piece in enumerate(marked.replace(STOP, START).split(START)):
        if index:
            html.append("</mark>" if open_mark else "<mark>")
            open_mark = not open_mark
        html.append(escape(piece))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html).replace("<mark></mark>", ""))  # noqa: S308 (escaped above)


def confirmed_tags(model, column: str, thread_ids: list[int]) -> dict[int, list[int]]:
    tags: dict[int, list[int]] = defaultdict(list)
    rows = model.objects.filter(thread_id__in=thread_ids, status=TagStatus.CONFIRMED)
    for thread_id, tag_id in rows.order_by("pk").values_list("thread_id", column):
        tags[thread_id].append(tag_id)
    return tags


def build_hits(
    rows: list[tuple[int, float]],
    parts: dict[int, tuple[int, str, int]],
    taxonomy: Taxonomy,
) -> list[SearchHit]:
    """One hit per row, in rank order: three queries whatever the number of rows."""
    ids = [thread_id for thread_id, _ in rows]
    if not ids:
        return []
    threads = Thread.objects.with_reply_count().in_bulk(ids)
    places = confirmed_tags(ThreadLocation, "location_id", ids)
    remedies = confirmed_tags(ThreadRemedy, "remedy_id", ids)
    return [
        make_hit(
            threads[thread_id],
            score,
            parts.get(thread_id),
            [taxonomy.location_by_id(pk) for pk in places[thread_id]],
            [taxonomy.remedy_by_id(pk) for pk in remedies[thread_id]],
        )
        for thread_id, score in rows
        if thread_id in threads
    ]


def make_hit(thread: Thread, score: float, part, locations, remedies) -> SearchHit:
    if part is None:
        snippet = escape(Truncator(thread.body).words(FALLBACK_WORDS, truncate=" …"))
        part_id, snippet, position = 0, mark_safe(snippet), 0  # noqa: S308 (escaped above)
    else:
        part_id, snippet, position = part[0], highlight(part[1]), part[2]
    reply_id = part_id if part_id > 0 else None
    reply = Reply(pk=reply_id, thread=thread, position=position)
    url = reply.get_absolute_url() if reply_id else None
    return SearchHit(
        thread=thread,
        score=float(score or 0.0),
        snippet=snippet,
        url=url or thread.get_absolute_url(),
        reply_id=reply_id,
        locations=locations,
        remedies=remedies,
    )
