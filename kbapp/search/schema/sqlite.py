"""SQLite search schema: FTS5 external-content tables kept by row triggers.

FTS5 external-content tables over shadow tables this schema owns (documents per thread,
parts per question or reply). The triggers on kbapp_thread and kbapp_reply read only NEW/OLD
and these shadow tables, never each other's table, so Django's table remakes on SQLite do
not trip over them; a remake does drop the triggers of the remade table, which the
post-migrate step re-creates (kbapp/search/schema/__init__.py).

Each version is frozen once a migration applies it: change the schema by adding a version
and a migration that upgrades to it, never by editing one that has shipped.
"""

from dataclasses import replace

from kbapp.search.schema.base import Schema, Trigger

FTS_TABLES = ("kbapp_search_fts_thread", "kbapp_search_fts_part", "kbapp_search_fts_word")

TABLES = [
    # What the thread index holds, so FTS5 "delete" gets exactly the values it indexed.
    """CREATE TABLE kbapp_search_document (
        thread_id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        replies TEXT NOT NULL
    )""",
    # part_id is the reply's id, or minus the thread's id for the question (position 0).
    """CREATE TABLE kbapp_search_part (
        part_id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    "CREATE INDEX kbapp_search_part_thread ON kbapp_search_part (thread_id, position)",
    # What filters need of a thread, in rows small enough that joining 50,000 matches to
    # them is cheap (kbapp_thread's rows carry the whole question).
    """CREATE TABLE kbapp_search_meta (
        id INTEGER PRIMARY KEY,
        is_hidden INTEGER NOT NULL,
        stage INTEGER
    )""",
    """CREATE VIRTUAL TABLE kbapp_search_fts_thread USING fts5(
        title, body, replies,
        content='kbapp_search_document', content_rowid='thread_id',
        tokenize='porter unicode61'
    )""",
    """CREATE VIRTUAL TABLE kbapp_search_fts_part USING fts5(
        body,
        content='kbapp_search_part', content_rowid='part_id',
        tokenize='porter unicode61'
    )""",
    # Unstemmed and without positions: only its vocabulary is read, for "Did you mean".
    """CREATE VIRTUAL TABLE kbapp_search_fts_word USING fts5(
        title, body,
        content='kbapp_search_part', content_rowid='part_id',
        tokenize='unicode61', detail='none'
    )""",
    "CREATE VIRTUAL TABLE kbapp_search_vocabulary USING fts5vocab(kbapp_search_fts_word, 'row')",
]


def fts_thread(ids: str, command: str = "") -> str:
    """Add (or with command 'delete', remove) the thread documents of ids to the index."""
    head = "kbapp_search_fts_thread, " if command else ""
    value = f"'{command}', " if command else ""
    return (
        f"INSERT INTO kbapp_search_fts_thread({head}rowid, title, body, replies) "
        f"SELECT {value}thread_id, title, body, replies FROM kbapp_search_document "
        f"WHERE thread_id IN ({ids});"
    )


def fts_parts(where: str, command: str = "") -> str:
    """Add (or remove) the parts matching where to the part and word indexes."""
    statements = []
    for table, columns in (
        ("kbapp_search_fts_part", "body"),
        ("kbapp_search_fts_word", "title, body"),
    ):
        head = f"{table}, " if command else ""
        value = f"'{command}', " if command else ""
        statements.append(
            f"INSERT INTO {table}({head}rowid, {columns}) "
            f"SELECT {value}part_id, {columns} FROM kbapp_search_part WHERE {where};"
        )
    return " ".join(statements)


def refresh_replies(ids: str) -> str:
    """Rebuild the replies text of thread documents, in reply order, from the parts."""
    return (
        "UPDATE kbapp_search_document SET replies = coalesce(("
        "SELECT group_concat(p.body, char(10)) FROM ("
        "SELECT body FROM kbapp_search_part WHERE thread_id = kbapp_search_document.thread_id "
        "AND part_id > 0 ORDER BY position, part_id) AS p), '') "
        f"WHERE thread_id IN ({ids});"
    )


def reindex_threads(ids: str) -> str:
    return fts_thread(ids, "delete") + refresh_replies(ids) + fts_thread(ids)


def sqlite_trigger(name: str, event: str, body: str, when: str = "") -> Trigger:
    condition = f" WHEN {when}" if when else ""
    return Trigger(
        name=name,
        table=event.rsplit(" ON ", 1)[1],
        sql=f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW{condition} BEGIN {body} END",
    )


TRIGGERS = [
    sqlite_trigger(
        "kbapp_search_thread_inserted",
        "INSERT ON kbapp_thread",
        "INSERT INTO kbapp_search_part (part_id, thread_id, position, title, body) "
        "VALUES (-new.id, new.id, 0, new.title, new.body);"
        + fts_parts("part_id = -new.id")
        + "INSERT INTO kbapp_search_meta (id, is_hidden, stage) "
        "VALUES (new.id, new.is_hidden, new.stage);"
        + "INSERT INTO kbapp_search_document (thread_id, title, body, replies) "
        "VALUES (new.id, new.title, new.body, '');"
        + refresh_replies("new.id")
        + fts_thread("new.id"),
    ),
    sqlite_trigger(
        "kbapp_search_thread_updated",
        "UPDATE OF title, body ON kbapp_thread",
        fts_thread("old.id", "delete")
        + "UPDATE kbapp_search_document SET title = new.title, body = new.body "
        "WHERE thread_id = old.id;"
        + fts_thread("old.id")
        + fts_parts("part_id = -old.id", "delete")
        + "UPDATE kbapp_search_part SET title = new.title, body = new.body "
        "WHERE part_id = -old.id;" + fts_parts("part_id = -old.id"),
        when="old.title IS NOT new.title OR old.body IS NOT new.body",
    ),
    sqlite_trigger(
        "kbapp_search_thread_flagged",
        "UPDATE OF is_hidden, stage ON kbapp_thread",
        "UPDATE kbapp_search_meta SET is_hidden = new.is_hidden, stage = new.stage "
        "WHERE id = old.id;",
        when="old.is_hidden IS NOT new.is_hidden OR old.stage IS NOT new.stage",
    ),
    sqlite_trigger(
        "kbapp_search_thread_deleted",
        "DELETE ON kbapp_thread",
        "DELETE FROM kbapp_search_meta WHERE id = old.id;"
        + fts_thread("old.id", "delete")
        + "DELETE FROM kbapp_search_document WHERE thread_id = old.id;"
        + fts_parts("thread_id = old.id", "delete")
        + "DELETE FROM kbapp_search_part WHERE thread_id = old.id;",
    ),
    sqlite_trigger(
        "kbapp_search_reply_inserted",
        "INSERT ON kbapp_reply",
        "INSERT INTO kbapp_search_part (part_id, thread_id, position, title, body) "
        "VALUES (new.id, new.thread_id, new.position, '', new.body);"
        + fts_parts("part_id = new.id")
        + reindex_threads("new.thread_id"),
    ),
    sqlite_trigger(
        "kbapp_search_reply_updated",
        "UPDATE OF body, thread_id, position ON kbapp_reply",
        fts_parts("part_id = old.id", "delete")
        + "UPDATE kbapp_search_part SET part_id = new.id, thread_id = new.thread_id, "
        "position = new.position, body = new.body WHERE part_id = old.id;"
        + fts_parts("part_id = new.id")
        + reindex_threads("old.thread_id, new.thread_id"),
        when="old.body IS NOT new.body OR old.thread_id IS NOT new.thread_id "
        "OR old.position IS NOT new.position",
    ),
    sqlite_trigger(
        "kbapp_search_reply_deleted",
        "DELETE ON kbapp_reply",
        fts_parts("part_id = old.id", "delete")
        + "DELETE FROM kbapp_search_part WHERE part_id = old.id;"
        + reindex_threads("old.thread_id"),
    ),
]

POPULATE = [
    "INSERT INTO kbapp_search_meta (id, is_hidden, stage) "
    "SELECT id, is_hidden, stage FROM kbapp_thread",
    "INSERT INTO kbapp_search_part (part_id, thread_id, position, title, body) "
    "SELECT -id, id, 0, title, body FROM kbapp_thread "
    "UNION ALL SELECT id, thread_id, position, '', body FROM kbapp_reply",
    "INSERT INTO kbapp_search_document (thread_id, title, body, replies) "
    "SELECT id, title, body, '' FROM kbapp_thread",
    refresh_replies("SELECT thread_id FROM kbapp_search_document").rstrip(";"),
    "INSERT INTO kbapp_search_fts_thread(kbapp_search_fts_thread) VALUES ('rebuild')",
    "INSERT INTO kbapp_search_fts_part(kbapp_search_fts_part) VALUES ('rebuild')",
    "INSERT INTO kbapp_search_fts_word(kbapp_search_fts_word) VALUES ('rebuild')",
]


V1 = Schema(
    vendor="sqlite",
    version=1,
    tables=(
        "kbapp_search_document",
        "kbapp_search_part",
        "kbapp_search_meta",
        *FTS_TABLES,
        "kbapp_search_vocabulary",
    ),
    create=tuple(TABLES),
    triggers=tuple(TRIGGERS),
    populate=tuple(POPULATE),
    drop=(
        *(f"DROP TRIGGER IF EXISTS {trigger.name}" for trigger in TRIGGERS),
        "DROP TABLE IF EXISTS kbapp_search_vocabulary",
        *(f"DROP TABLE IF EXISTS {table}" for table in reversed(FTS_TABLES)),
        "DROP TABLE IF EXISTS kbapp_search_part",
        "DROP TABLE IF EXISTS kbapp_search_document",
        "DROP TABLE IF EXISTS kbapp_search_meta",
    ),
)


# --- Version 2: bulk writers defer the thread documents to one rebuild per transaction ----
#
# A reply trigger rebuilt its thread's whole document (every reply, re-tokenized) on each
# row, so importing a thread of n replies cost n² and held the write lock for minutes.
# While a row sits in kbapp_search_defer (inside the importer's own transaction, so no
# other connection ever sees it), the reply triggers index the reply alone and note its
# thread in kbapp_search_dirty; FLUSH rebuilds those threads once, before the commit.

DEFERRING = "EXISTS (SELECT 1 FROM kbapp_search_defer)"


def now_or_later(*ids: str) -> str:
    """Rebuild the threads' documents now, or mark them for the deferring writer's flush."""
    marked = " UNION ".join(f"SELECT {pk} WHERE {DEFERRING}" for pk in ids)
    unless = " UNION ".join(f"SELECT {pk} WHERE NOT {DEFERRING}" for pk in ids)
    return f"INSERT OR IGNORE INTO kbapp_search_dirty (thread_id) {marked};" + reindex_threads(
        unless
    )


# Version 1's reply triggers as they shipped, but for now_or_later(): a shipped version is
# never edited, so the two stand side by side.
DEFERRED_REPLY_TRIGGERS = [
    sqlite_trigger(
        "kbapp_search_reply_inserted",
        "INSERT ON kbapp_reply",
        "INSERT INTO kbapp_search_part (part_id, thread_id, position, title, body) "
        "VALUES (new.id, new.thread_id, new.position, '', new.body);"
        + fts_parts("part_id = new.id")
        + now_or_later("new.thread_id"),
    ),
    sqlite_trigger(
        "kbapp_search_reply_updated",
        "UPDATE OF body, thread_id, position ON kbapp_reply",
        fts_parts("part_id = old.id", "delete")
        + "UPDATE kbapp_search_part SET part_id = new.id, thread_id = new.thread_id, "
        "position = new.position, body = new.body WHERE part_id = old.id;"
        + fts_parts("part_id = new.id")
        + now_or_later("old.thread_id", "new.thread_id"),
        when="old.body IS NOT new.body OR old.thread_id IS NOT new.thread_id "
        "OR old.position IS NOT new.position",
    ),
    sqlite_trigger(
        "kbapp_search_reply_deleted",
        "DELETE ON kbapp_reply",
        fts_parts("part_id = old.id", "delete")
        + "DELETE FROM kbapp_search_part WHERE part_id = old.id;"
        + now_or_later("old.thread_id"),
    ),
]

DIRTY = "SELECT thread_id FROM kbapp_search_dirty"
FLUSH = [
    fts_thread(DIRTY, "delete"),
    refresh_replies(DIRTY),
    fts_thread(DIRTY),
    "DELETE FROM kbapp_search_dirty",
]

V2 = replace(
    V1,
    version=2,
    tables=(*V1.tables, "kbapp_search_defer", "kbapp_search_dirty"),
    create=(
        *V1.create,
        # At most one row: present while a writer defers.
        "CREATE TABLE kbapp_search_defer (id INTEGER PRIMARY KEY CHECK (id = 1))",
        "CREATE TABLE kbapp_search_dirty (thread_id INTEGER PRIMARY KEY)",
    ),
    triggers=(*(t for t in V1.triggers if t.table != "kbapp_reply"), *DEFERRED_REPLY_TRIGGERS),
    drop=(
        *V1.drop,
        "DROP TABLE IF EXISTS kbapp_search_defer",
        "DROP TABLE IF EXISTS kbapp_search_dirty",
    ),
)


# --- Version 3: published advice entries are searched beside the threads ----------------
#
# An FTS5 table over a document per published entry: title, summary, body, and the names
# and synonyms of its places and remedies ("tags"); drafts and entries in review have none.
# As in version 1, every trigger reads only NEW/OLD and tables this schema owns: copies of
# the entries, their tag links and the taxonomy's words. A trigger naming another Django
# table would make SQLite refuse to remake that table ("error in trigger ... no such
# table") in a later migration.

ADVICE_TABLES = (
    """CREATE TABLE kbapp_search_advice_entry (
        advice_id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL,
        published INTEGER NOT NULL
    )""",
    # kind: 'location' or 'remedy'.
    """CREATE TABLE kbapp_search_advice_tag (
        advice_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        tag_id INTEGER NOT NULL,
        PRIMARY KEY (advice_id, kind, tag_id)
    )""",
    "CREATE INDEX kbapp_search_advice_tag_by_tag ON kbapp_search_advice_tag (kind, tag_id)",
    """CREATE TABLE kbapp_search_taxon (
        kind TEXT NOT NULL,
        tag_id INTEGER NOT NULL,
        words TEXT NOT NULL,
        PRIMARY KEY (kind, tag_id)
    )""",
    """CREATE TABLE kbapp_search_advice_document (
        advice_id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL,
        tags TEXT NOT NULL
    )""",
    """CREATE VIRTUAL TABLE kbapp_search_fts_advice USING fts5(
        title, summary, body, tags,
        content='kbapp_search_advice_document', content_rowid='advice_id',
        tokenize='porter unicode61'
    )""",
)

ADVICE_TAGS = (
    "coalesce((SELECT group_concat(x.words, ' ') FROM kbapp_search_advice_tag t "
    "JOIN kbapp_search_taxon x ON x.kind = t.kind AND x.tag_id = t.tag_id "
    "WHERE t.advice_id = e.advice_id), '')"
)


def advice_statements(ids: str) -> list[str]:
    """Take the entries out of the index, then put back those that are published."""
    return [
        "INSERT INTO kbapp_search_fts_advice(kbapp_search_fts_advice, rowid, title, summary, "
        "body, tags) SELECT 'delete', advice_id, title, summary, body, tags "
        f"FROM kbapp_search_advice_document WHERE advice_id IN ({ids});",
        f"DELETE FROM kbapp_search_advice_document WHERE advice_id IN ({ids});",
        "INSERT INTO kbapp_search_advice_document (advice_id, title, summary, body, tags) "
        f"SELECT e.advice_id, e.title, e.summary, e.body, {ADVICE_TAGS} "
        f"FROM kbapp_search_advice_entry e WHERE e.advice_id IN ({ids}) AND e.published;",
        "INSERT INTO kbapp_search_fts_advice(rowid, title, summary, body, tags) "
        "SELECT advice_id, title, summary, body, tags FROM kbapp_search_advice_document "
        f"WHERE advice_id IN ({ids});",
    ]


def refresh_advice(ids: str) -> str:
    return "".join(advice_statements(ids))


def copy_entry(row: str) -> str:
    return (
        "INSERT OR REPLACE INTO kbapp_search_advice_entry "
        "(advice_id, title, summary, body, published) "
        f"VALUES ({row}.id, {row}.title, {row}.summary, {row}.body, "
        f"{row}.status = 'published');"
    )


def tag_triggers(kind: str, short: str, table: str, column: str) -> list[Trigger]:
    link = f"(advice_id, kind, tag_id) VALUES (new.adviceentry_id, '{kind}', new.{column})"
    return [
        sqlite_trigger(
            f"kbapp_search_advice_{short}_added",
            f"INSERT ON {table}",
            f"INSERT OR IGNORE INTO kbapp_search_advice_tag {link};"
            + refresh_advice("new.adviceentry_id"),
        ),
        sqlite_trigger(
            f"kbapp_search_advice_{short}_gone",
            f"DELETE ON {table}",
            "DELETE FROM kbapp_search_advice_tag WHERE advice_id = old.adviceentry_id "
            f"AND kind = '{kind}' AND tag_id = old.{column};"
            + refresh_advice("old.adviceentry_id"),
        ),
    ]


def taxon_triggers(kind: str, table: str) -> list[Trigger]:
    tagged = f"SELECT advice_id FROM kbapp_search_advice_tag WHERE kind = '{kind}' AND tag_id"
    words = "new.name || ' ' || new.synonyms"
    return [
        sqlite_trigger(
            f"kbapp_search_{kind}_added",
            f"INSERT ON {table}",
            "INSERT OR REPLACE INTO kbapp_search_taxon (kind, tag_id, words) "
            f"VALUES ('{kind}', new.id, {words});",
        ),
        sqlite_trigger(
            f"kbapp_search_{kind}_renamed",
            f"UPDATE OF name, synonyms ON {table}",
            f"UPDATE kbapp_search_taxon SET words = {words} "
            f"WHERE kind = '{kind}' AND tag_id = new.id;" + refresh_advice(f"{tagged} = new.id"),
        ),
        sqlite_trigger(
            f"kbapp_search_{kind}_gone",
            f"DELETE ON {table}",
            f"DELETE FROM kbapp_search_taxon WHERE kind = '{kind}' AND tag_id = old.id;",
        ),
    ]


ADVICE_TRIGGERS = (
    sqlite_trigger(
        "kbapp_search_advice_inserted",
        "INSERT ON kbapp_adviceentry",
        copy_entry("new") + refresh_advice("new.id"),
    ),
    sqlite_trigger(
        "kbapp_search_advice_updated",
        "UPDATE OF title, summary, body, status ON kbapp_adviceentry",
        copy_entry("new") + refresh_advice("new.id"),
        when="old.title IS NOT new.title OR old.summary IS NOT new.summary "
        "OR old.body IS NOT new.body OR old.status IS NOT new.status",
    ),
    sqlite_trigger(
        "kbapp_search_advice_deleted",
        "DELETE ON kbapp_adviceentry",
        "UPDATE kbapp_search_advice_entry SET published = 0 WHERE advice_id = old.id;"
        + refresh_advice("old.id")
        + "DELETE FROM kbapp_search_advice_entry WHERE advice_id = old.id;"
        "DELETE FROM kbapp_search_advice_tag WHERE advice_id = old.id;",
    ),
    *tag_triggers("location", "place", "kbapp_adviceentry_locations", "painlocation_id"),
    *tag_triggers("remedy", "remedy", "kbapp_adviceentry_remedies", "remedy_id"),
    *taxon_triggers("location", "kbapp_painlocation"),
    *taxon_triggers("remedy", "kbapp_remedy"),
)

# What the triggers would have copied, for the migration and rebuild_search_index.
ADVICE_COPIES = (
    "INSERT INTO kbapp_search_fts_advice(kbapp_search_fts_advice) VALUES ('delete-all')",
    "DELETE FROM kbapp_search_advice_document",
    "DELETE FROM kbapp_search_advice_entry",
    "DELETE FROM kbapp_search_advice_tag",
    "DELETE FROM kbapp_search_taxon",
    "INSERT INTO kbapp_search_advice_entry (advice_id, title, summary, body, published) "
    "SELECT id, title, summary, body, status = 'published' FROM kbapp_adviceentry",
    "INSERT INTO kbapp_search_advice_tag (advice_id, kind, tag_id) "
    "SELECT adviceentry_id, 'location', painlocation_id FROM kbapp_adviceentry_locations "
    "UNION ALL SELECT adviceentry_id, 'remedy', remedy_id FROM kbapp_adviceentry_remedies",
    "INSERT INTO kbapp_search_taxon (kind, tag_id, words) "
    "SELECT 'location', id, name || ' ' || synonyms FROM kbapp_painlocation "
    "UNION ALL SELECT 'remedy', id, name || ' ' || synonyms FROM kbapp_remedy",
    *(
        sql.rstrip(";")
        for sql in advice_statements("SELECT advice_id FROM kbapp_search_advice_entry")
    ),
)

ADVICE_TABLE_NAMES = (
    "kbapp_search_advice_entry",
    "kbapp_search_advice_tag",
    "kbapp_search_taxon",
    "kbapp_search_advice_document",
    "kbapp_search_fts_advice",
)

V3 = replace(
    V2,
    version=3,
    tables=(*V2.tables, *ADVICE_TABLE_NAMES),
    create=(*V2.create, *ADVICE_TABLES),
    triggers=(*V2.triggers, *ADVICE_TRIGGERS),
    populate=(*V2.populate, *ADVICE_COPIES),
    drop=(
        *(f"DROP TRIGGER IF EXISTS {trigger.name}" for trigger in ADVICE_TRIGGERS),
        *(f"DROP TABLE IF EXISTS {name}" for name in reversed(ADVICE_TABLE_NAMES)),
        *V2.drop,
    ),
)
