"""The full-text search index, kept in sync by database triggers (see kbapp/search/).

Every write path (the ORM, bulk_create/update, QuerySet.update/delete, the admin, raw
SQL) goes through the triggers, so the index cannot drift from the threads and replies.

PostgreSQL: a stored, weighted tsvector per thread (title A, question B, replies C) with a
GIN index; a tsvector per part (the question or one reply) to pick the snippet; a word
table with a pg_trgm index for typo tolerance. Statement-level triggers with transition
tables, so a bulk insert of 10,000 replies refreshes each thread once, not 10,000 times.

SQLite: FTS5 external-content tables over two shadow tables this migration owns
(documents per thread, parts per question or reply). The triggers on kbapp_thread and
kbapp_reply read only NEW/OLD and these shadow tables, never each other's table, so
Django's table remakes on SQLite do not trip over them; a remake does drop the triggers
of the remade table, which tests/test_search_sync.py checks for.

Kept inline (not imported from the app) so the migration stays what it was when it ran.
"""

from django.db import migrations

# --- PostgreSQL -------------------------------------------------------------------------------

PG_TABLES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # hidden copies kbapp_thread.is_hidden, so a search without filters needs no join.
    """CREATE TABLE kbapp_search_thread (
        thread_id bigint PRIMARY KEY,
        document tsvector NOT NULL,
        hidden boolean NOT NULL DEFAULT false
    )""",
    "CREATE INDEX kbapp_search_thread_document ON kbapp_search_thread USING gin (document)",
    # part_id is the reply's id, or minus the thread's id for the question itself.
    """CREATE TABLE kbapp_search_part (
        part_id bigint PRIMARY KEY,
        thread_id bigint NOT NULL,
        document tsvector NOT NULL
    )""",
    # (thread_id, part_id) serves "this thread's replies in order" with no other index:
    # even without statistics (autovacuum off, mid bulk load) the planner cannot wander.
    "CREATE INDEX kbapp_search_part_thread ON kbapp_search_part (thread_id, part_id)",
    # Unstemmed words and how many parts hold them: the "Did you mean" vocabulary.
    """CREATE TABLE kbapp_search_word (
        word text PRIMARY KEY,
        ndoc integer NOT NULL
    )""",
    "CREATE INDEX kbapp_search_word_trgm ON kbapp_search_word USING gin (word gin_trgm_ops)",
    """CREATE AGGREGATE kbapp_search_concat(tsvector) (
        SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = ''
    )""",
]

# JIT is off inside the write-side functions: compiling would cost more than they run.
PG_FUNCTIONS = [
    # Words are counted in sorted order so concurrent writers lock rows in the same order.
    """CREATE FUNCTION kbapp_search_count_words(texts text[], delta integer) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO kbapp_search_word AS w (word, ndoc)
        SELECT word, delta * count(*)::integer
        FROM unnest(texts) AS t(body)
        CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', t.body))) AS word
        WHERE word ~ '^[[:alpha:]]+$' AND length(word) BETWEEN 2 AND 40
        GROUP BY word
        ORDER BY word
        ON CONFLICT (word) DO UPDATE SET ndoc = w.ndoc + EXCLUDED.ndoc
    $$""",
    # The thread document reuses the stored part vectors: each text is parsed once.
    """CREATE FUNCTION kbapp_search_refresh_threads(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO kbapp_search_thread AS s (thread_id, document, hidden)
        SELECT t.id,
               setweight(to_tsvector('english', t.title), 'A')
               || setweight(coalesce(q.document, ''::tsvector), 'B')
               || setweight(coalesce(r.document, ''::tsvector), 'C'),
               t.is_hidden
        FROM kbapp_thread t
        LEFT JOIN kbapp_search_part q ON q.part_id = -t.id
        LEFT JOIN LATERAL (
            SELECT kbapp_search_concat(p.document ORDER BY p.part_id) AS document
            FROM kbapp_search_part p
            WHERE p.thread_id = t.id AND p.part_id > 0
        ) r ON true
        WHERE t.id = ANY(ids)
        ON CONFLICT (thread_id) DO UPDATE
            SET document = EXCLUDED.document, hidden = EXCLUDED.hidden
    $$""",
    """CREATE FUNCTION kbapp_search_index_threads(ids bigint[]) RETURNS void
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        INSERT INTO kbapp_search_part (part_id, thread_id, document)
            SELECT -id, id, to_tsvector('english', body) FROM kbapp_thread WHERE id = ANY(ids)
            UNION ALL
            SELECT id, thread_id, to_tsvector('english', body)
            FROM kbapp_reply WHERE thread_id = ANY(ids)
        ON CONFLICT (part_id) DO UPDATE
            SET thread_id = EXCLUDED.thread_id, document = EXCLUDED.document;
        PERFORM kbapp_search_count_words(ARRAY(
            SELECT title || ' ' || body FROM kbapp_thread WHERE id = ANY(ids)
            UNION ALL
            SELECT body FROM kbapp_reply WHERE thread_id = ANY(ids)
        ), 1);
        PERFORM kbapp_search_refresh_threads(ids);
    END $$""",
    """CREATE FUNCTION kbapp_search_thread_inserted() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        INSERT INTO kbapp_search_part (part_id, thread_id, document)
            SELECT -id, id, to_tsvector('english', body) FROM new_rows
        ON CONFLICT (part_id) DO UPDATE
            SET thread_id = EXCLUDED.thread_id, document = EXCLUDED.document;
        PERFORM kbapp_search_count_words(ARRAY(SELECT title || ' ' || body FROM new_rows), 1);
        PERFORM kbapp_search_refresh_threads(ARRAY(SELECT id FROM new_rows));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION kbapp_search_thread_updated() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    DECLARE
        changed bigint[];
    BEGIN
        UPDATE kbapp_search_thread s SET hidden = n.is_hidden
        FROM new_rows n WHERE s.thread_id = n.id AND s.hidden IS DISTINCT FROM n.is_hidden;
        SELECT array_agg(n.id) INTO changed
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.title IS DISTINCT FROM o.title OR n.body IS DISTINCT FROM o.body;
        IF changed IS NULL THEN
            RETURN NULL;
        END IF;
        PERFORM kbapp_search_count_words(
            ARRAY(SELECT title || ' ' || body FROM old_rows WHERE id = ANY(changed)), -1);
        PERFORM kbapp_search_count_words(
            ARRAY(SELECT title || ' ' || body FROM new_rows WHERE id = ANY(changed)), 1);
        INSERT INTO kbapp_search_part (part_id, thread_id, document)
            SELECT -id, id, to_tsvector('english', body) FROM new_rows WHERE id = ANY(changed)
        ON CONFLICT (part_id) DO UPDATE
            SET thread_id = EXCLUDED.thread_id, document = EXCLUDED.document;
        PERFORM kbapp_search_refresh_threads(changed);
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION kbapp_search_thread_deleted() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        PERFORM kbapp_search_count_words(ARRAY(SELECT title || ' ' || body FROM old_rows), -1);
        DELETE FROM kbapp_search_part WHERE thread_id IN (SELECT id FROM old_rows);
        DELETE FROM kbapp_search_thread WHERE thread_id IN (SELECT id FROM old_rows);
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION kbapp_search_reply_inserted() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        INSERT INTO kbapp_search_part (part_id, thread_id, document)
            SELECT id, thread_id, to_tsvector('english', body) FROM new_rows
        ON CONFLICT (part_id) DO UPDATE
            SET thread_id = EXCLUDED.thread_id, document = EXCLUDED.document;
        PERFORM kbapp_search_count_words(ARRAY(SELECT body FROM new_rows), 1);
        PERFORM kbapp_search_refresh_threads(ARRAY(SELECT DISTINCT thread_id FROM new_rows));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION kbapp_search_reply_updated() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    DECLARE
        changed bigint[];
    BEGIN
        SELECT array_agg(n.id) INTO changed
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.body IS DISTINCT FROM o.body OR n.thread_id IS DISTINCT FROM o.thread_id;
        IF changed IS NULL THEN
            RETURN NULL;
        END IF;
        PERFORM kbapp_search_count_words(
            ARRAY(SELECT body FROM old_rows WHERE id = ANY(changed)), -1);
        PERFORM kbapp_search_count_words(
            ARRAY(SELECT body FROM new_rows WHERE id = ANY(changed)), 1);
        INSERT INTO kbapp_search_part (part_id, thread_id, document)
            SELECT id, thread_id, to_tsvector('english', body) FROM new_rows WHERE id = ANY(changed)
        ON CONFLICT (part_id) DO UPDATE
            SET thread_id = EXCLUDED.thread_id, document = EXCLUDED.document;
        PERFORM kbapp_search_refresh_threads(ARRAY(
            SELECT thread_id FROM old_rows WHERE id = ANY(changed)
            UNION SELECT thread_id FROM new_rows WHERE id = ANY(changed)
        ));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION kbapp_search_reply_deleted() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        PERFORM kbapp_search_count_words(ARRAY(SELECT body FROM old_rows), -1);
        DELETE FROM kbapp_search_part WHERE part_id IN (SELECT id FROM old_rows);
        PERFORM kbapp_search_refresh_threads(ARRAY(SELECT DISTINCT thread_id FROM old_rows));
        RETURN NULL;
    END $$""",
    # TRUNCATE (Django's flush between transactional tests) fires no row triggers.
    """CREATE FUNCTION kbapp_search_thread_truncated() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        TRUNCATE kbapp_search_thread, kbapp_search_part, kbapp_search_word;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION kbapp_search_reply_truncated() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        DELETE FROM kbapp_search_part WHERE part_id > 0;
        PERFORM kbapp_search_refresh_threads(ARRAY(SELECT thread_id FROM kbapp_search_thread));
        RETURN NULL;
    END $$""",
]


NEW_ROWS = "REFERENCING NEW TABLE AS new_rows"
OLD_ROWS = "REFERENCING OLD TABLE AS old_rows"
BOTH_ROWS = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"

# (table, event, function, transition tables)
PG_TRIGGER_SPECS = [
    ("kbapp_thread", "INSERT", "kbapp_search_thread_inserted", NEW_ROWS),
    ("kbapp_thread", "UPDATE", "kbapp_search_thread_updated", BOTH_ROWS),
    ("kbapp_thread", "DELETE", "kbapp_search_thread_deleted", OLD_ROWS),
    ("kbapp_thread", "TRUNCATE", "kbapp_search_thread_truncated", ""),
    ("kbapp_reply", "INSERT", "kbapp_search_reply_inserted", NEW_ROWS),
    ("kbapp_reply", "UPDATE", "kbapp_search_reply_updated", BOTH_ROWS),
    ("kbapp_reply", "DELETE", "kbapp_search_reply_deleted", OLD_ROWS),
    ("kbapp_reply", "TRUNCATE", "kbapp_search_reply_truncated", ""),
]

PG_TRIGGERS = [
    f"CREATE TRIGGER {function} AFTER {event} ON {table} {transition} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    for table, event, function, transition in PG_TRIGGER_SPECS
]

PG_POPULATE = ["SELECT kbapp_search_index_threads(ARRAY(SELECT id FROM kbapp_thread))"]

PG_INSTALL = PG_TABLES + PG_FUNCTIONS + PG_TRIGGERS + PG_POPULATE

PG_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {f} ON {t}" for t, _, f, _ in PG_TRIGGER_SPECS),
    *(f"DROP FUNCTION IF EXISTS {f}()" for _, _, f, _ in PG_TRIGGER_SPECS),
    "DROP FUNCTION IF EXISTS kbapp_search_index_threads(bigint[])",
    "DROP FUNCTION IF EXISTS kbapp_search_refresh_threads(bigint[])",
    "DROP FUNCTION IF EXISTS kbapp_search_count_words(text[], integer)",
    "DROP AGGREGATE IF EXISTS kbapp_search_concat(tsvector)",
    "DROP TABLE IF EXISTS kbapp_search_thread, kbapp_search_part, kbapp_search_word",
]

# --- SQLite -----------------------------------------------------------------------------------

SQLITE_TABLES = [
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


def sqlite_trigger(name: str, event: str, body: str, when: str = "") -> str:
    condition = f" WHEN {when}" if when else ""
    return f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW{condition} BEGIN {body} END"


SQLITE_TRIGGERS = [
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

SQLITE_POPULATE = [
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

SQLITE_INSTALL = SQLITE_TABLES + SQLITE_TRIGGERS + SQLITE_POPULATE

SQLITE_UNINSTALL = [
    *(
        f"DROP TRIGGER IF EXISTS kbapp_search_{name}"
        for name in (
            "thread_inserted",
            "thread_updated",
            "thread_flagged",
            "thread_deleted",
            "reply_inserted",
            "reply_updated",
            "reply_deleted",
        )
    ),
    "DROP TABLE IF EXISTS kbapp_search_vocabulary",
    "DROP TABLE IF EXISTS kbapp_search_fts_word",
    "DROP TABLE IF EXISTS kbapp_search_fts_part",
    "DROP TABLE IF EXISTS kbapp_search_fts_thread",
    "DROP TABLE IF EXISTS kbapp_search_part",
    "DROP TABLE IF EXISTS kbapp_search_document",
    "DROP TABLE IF EXISTS kbapp_search_meta",
]

INSTALL = {"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL}
UNINSTALL = {"postgresql": PG_UNINSTALL, "sqlite": SQLITE_UNINSTALL}


def run(statements: dict[str, list[str]], schema_editor) -> None:
    """Run this vendor's statements; other databases get no search index (and no search)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def install(apps, schema_editor):
    run(INSTALL, schema_editor)


def uninstall(apps, schema_editor):
    run(UNINSTALL, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("kbapp", "0004_editor_roles")]

    operations = [migrations.RunPython(install, uninstall)]
