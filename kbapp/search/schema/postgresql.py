"""PostgreSQL search schema: weighted tsvectors, GIN and pg_trgm, kept by statement triggers.

A stored, weighted tsvector per thread (title A, question B, replies C) with a GIN index; a
tsvector per part (the question or one reply) to pick the snippet; a word table with a
pg_trgm index for typo tolerance. Statement-level triggers with transition tables, so a bulk
insert of 10,000 replies refreshes each thread once, not 10,000 times.

Each version is frozen once a migration applies it: change the schema by adding a version
and a migration that upgrades to it, never by editing one that has shipped.
"""

from dataclasses import replace

from kbapp.search.schema.base import Schema, Trigger

TABLES = [
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
FUNCTIONS = [
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
TRIGGER_SPECS = [
    ("kbapp_thread", "INSERT", "kbapp_search_thread_inserted", NEW_ROWS),
    ("kbapp_thread", "UPDATE", "kbapp_search_thread_updated", BOTH_ROWS),
    ("kbapp_thread", "DELETE", "kbapp_search_thread_deleted", OLD_ROWS),
    ("kbapp_thread", "TRUNCATE", "kbapp_search_thread_truncated", ""),
    ("kbapp_reply", "INSERT", "kbapp_search_reply_inserted", NEW_ROWS),
    ("kbapp_reply", "UPDATE", "kbapp_search_reply_updated", BOTH_ROWS),
    ("kbapp_reply", "DELETE", "kbapp_search_reply_deleted", OLD_ROWS),
    ("kbapp_reply", "TRUNCATE", "kbapp_search_reply_truncated", ""),
]

DROP = [
    *(f"DROP TRIGGER IF EXISTS {f} ON {t}" for t, _, f, _ in TRIGGER_SPECS),
    *(f"DROP FUNCTION IF EXISTS {f}()" for _, _, f, _ in TRIGGER_SPECS),
    "DROP FUNCTION IF EXISTS kbapp_search_index_threads(bigint[])",
    "DROP FUNCTION IF EXISTS kbapp_search_refresh_threads(bigint[])",
    "DROP FUNCTION IF EXISTS kbapp_search_count_words(text[], integer)",
    "DROP AGGREGATE IF EXISTS kbapp_search_concat(tsvector)",
    "DROP TABLE IF EXISTS kbapp_search_thread, kbapp_search_part, kbapp_search_word",
]


V1 = Schema(
    vendor="postgresql",
    version=1,
    tables=("kbapp_search_thread", "kbapp_search_part", "kbapp_search_word"),
    create=(*TABLES, *FUNCTIONS),
    triggers=tuple(
        Trigger(
            name=function,
            table=table,
            sql=f"CREATE TRIGGER {function} AFTER {event} ON {table} {transition} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        )
        for table, event, function, transition in TRIGGER_SPECS
    ),
    populate=("SELECT kbapp_search_index_threads(ARRAY(SELECT id FROM kbapp_thread))",),
    drop=tuple(DROP),
)


# --- Version 2: published advice entries are searched beside the threads ----------------
#
# One weighted document per published entry: title A, summary B, body C, and the names and
# synonyms of its places and remedies D, so "scapula" finds an entry tagged "between the
# shoulder blades" whose text never says it. Drafts and entries in review have no row.
# Statement triggers on the entry, its two tag tables and the taxonomy refresh it.

ADVICE_TABLES = [
    """CREATE TABLE kbapp_search_advice (
        advice_id bigint PRIMARY KEY,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX kbapp_search_advice_document ON kbapp_search_advice USING gin (document)",
]

ADVICE_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION kbapp_search_refresh_advice(ids bigint[]) RETURNS void
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        DELETE FROM kbapp_search_advice WHERE advice_id = ANY(ids);
        INSERT INTO kbapp_search_advice (advice_id, document)
        SELECT a.id,
               setweight(to_tsvector('english', a.title), 'A')
               || setweight(to_tsvector('english', a.summary), 'B')
               || setweight(to_tsvector('english', a.body), 'C')
               || setweight(to_tsvector('english', concat_ws(' ',
                    (SELECT string_agg(l.name || ' ' || l.synonyms, ' ')
                     FROM kbapp_adviceentry_locations al
                     JOIN kbapp_painlocation l ON l.id = al.painlocation_id
                     WHERE al.adviceentry_id = a.id),
                    (SELECT string_agg(r.name || ' ' || r.synonyms, ' ')
                     FROM kbapp_adviceentry_remedies ar
                     JOIN kbapp_remedy r ON r.id = ar.remedy_id
                     WHERE ar.adviceentry_id = a.id))), 'D')
        FROM kbapp_adviceentry a
        WHERE a.id = ANY(ids) AND a.status = 'published';
    END $$""",
    """CREATE OR REPLACE FUNCTION kbapp_search_advice_written() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        PERFORM kbapp_search_refresh_advice(ARRAY(SELECT id FROM new_rows));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION kbapp_search_advice_deleted() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        DELETE FROM kbapp_search_advice WHERE advice_id IN (SELECT id FROM old_rows);
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION kbapp_search_advice_truncated() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        TRUNCATE kbapp_search_advice;
        RETURN NULL;
    END $$""",
    # The tag tables: an INSERT has only new rows, a DELETE only old ones.
    """CREATE OR REPLACE FUNCTION kbapp_search_advice_tagged() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM kbapp_search_refresh_advice(ARRAY(SELECT adviceentry_id FROM new_rows));
        ELSE
            PERFORM kbapp_search_refresh_advice(ARRAY(SELECT adviceentry_id FROM old_rows));
        END IF;
        RETURN NULL;
    END $$""",
    # A renamed place or remedy, or new synonyms, change the entries tagged with it. Two
    # functions rather than one given the link table: static SQL keeps its plan cached.
    """CREATE OR REPLACE FUNCTION kbapp_search_location_renamed() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        PERFORM kbapp_search_refresh_advice(ARRAY(
            SELECT adviceentry_id FROM kbapp_adviceentry_locations
            WHERE painlocation_id IN (SELECT id FROM new_rows)));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION kbapp_search_remedy_renamed() RETURNS trigger
    LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        PERFORM kbapp_search_refresh_advice(ARRAY(
            SELECT adviceentry_id FROM kbapp_adviceentry_remedies
            WHERE remedy_id IN (SELECT id FROM new_rows)));
        RETURN NULL;
    END $$""",
]

ADVICE_TRIGGER_SPECS = [
    ("kbapp_adviceentry", "INSERT", "kbapp_search_advice_inserted", "written", NEW_ROWS),
    ("kbapp_adviceentry", "UPDATE", "kbapp_search_advice_updated", "written", NEW_ROWS),
    ("kbapp_adviceentry", "DELETE", "kbapp_search_advice_deleted", "deleted", OLD_ROWS),
    ("kbapp_adviceentry", "TRUNCATE", "kbapp_search_advice_truncated", "truncated", ""),
    *(
        (f"kbapp_adviceentry_{table}", event, f"kbapp_search_advice_{kind}_{verb}", "tagged", rows)
        for kind, table in (("place", "locations"), ("remedy", "remedies"))
        for verb, event, rows in (("added", "INSERT", NEW_ROWS), ("gone", "DELETE", OLD_ROWS))
    ),
    ("kbapp_painlocation", "UPDATE", "kbapp_search_location_renamed", "", NEW_ROWS),
    ("kbapp_remedy", "UPDATE", "kbapp_search_remedy_renamed", "", NEW_ROWS),
]


def advice_trigger(table: str, event: str, name: str, kind: str, transition: str) -> Trigger:
    function = f"kbapp_search_advice_{kind}" if kind else name
    return Trigger(
        name=name,
        table=table,
        sql=f"CREATE TRIGGER {name} AFTER {event} ON {table} {transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    )


ADVICE_TRIGGERS = tuple(advice_trigger(*spec) for spec in ADVICE_TRIGGER_SPECS)

V2 = replace(
    V1,
    version=2,
    tables=(*V1.tables, "kbapp_search_advice"),
    create=(*V1.create, *ADVICE_TABLES, *ADVICE_FUNCTIONS),
    triggers=(*V1.triggers, *ADVICE_TRIGGERS),
    populate=(
        *V1.populate,
        "SELECT kbapp_search_refresh_advice(ARRAY(SELECT id FROM kbapp_adviceentry))",
    ),
    drop=(
        *(f"DROP TRIGGER IF EXISTS {t.name} ON {t.table}" for t in ADVICE_TRIGGERS),
        "DROP FUNCTION IF EXISTS kbapp_search_advice_written()",
        "DROP FUNCTION IF EXISTS kbapp_search_advice_deleted()",
        "DROP FUNCTION IF EXISTS kbapp_search_advice_truncated()",
        "DROP FUNCTION IF EXISTS kbapp_search_advice_tagged()",
        "DROP FUNCTION IF EXISTS kbapp_search_location_renamed()",
        "DROP FUNCTION IF EXISTS kbapp_search_remedy_renamed()",
        "DROP FUNCTION IF EXISTS kbapp_search_refresh_advice(bigint[])",
        "DROP TABLE IF EXISTS kbapp_search_advice",
        *V1.drop,
    ),
)


# --- Version 3: a head document for a cheap candidate window -----------------------------
#
# head is the title (A) and question (B) alone, with a GIN index of its own: a broad query
# takes its candidates from the threads saying the words up front before ranking anything,
# so the first page costs the same at 500 matches as at 50,000 (kbapp/search/postgres.py).
# It reuses the stored part vectors, like the document, so nothing is parsed twice. The old
# function text stays in `create` and the new one follows it, so going back never tries
# to create a function that exists.

HEAD_TABLES = [
    "ALTER TABLE kbapp_search_thread ADD COLUMN IF NOT EXISTS head tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS kbapp_search_thread_head ON kbapp_search_thread USING gin (head)",
]

HEAD_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION kbapp_search_refresh_threads(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO kbapp_search_thread AS s (thread_id, document, hidden, head)
        SELECT h.id, h.head || setweight(coalesce(r.document, ''::tsvector), 'C'),
               h.is_hidden, h.head
        FROM (
            SELECT t.id, t.is_hidden,
                   setweight(to_tsvector('english', t.title), 'A')
                   || setweight(coalesce(q.document, ''::tsvector), 'B') AS head
            FROM kbapp_thread t
            LEFT JOIN kbapp_search_part q ON q.part_id = -t.id
            WHERE t.id = ANY(ids)
        ) h
        LEFT JOIN LATERAL (
            SELECT kbapp_search_concat(p.document ORDER BY p.part_id) AS document
            FROM kbapp_search_part p
            WHERE p.thread_id = h.id AND p.part_id > 0
        ) r ON true
        ON CONFLICT (thread_id) DO UPDATE
            SET document = EXCLUDED.document, hidden = EXCLUDED.hidden, head = EXCLUDED.head
    $$""",
]

V3 = replace(
    V2,
    version=3,
    create=(*V2.create, *HEAD_TABLES, *HEAD_FUNCTIONS),
    populate=(
        *V2.populate,
        """UPDATE kbapp_search_thread s
        SET head = setweight(to_tsvector('english', t.title), 'A')
                   || setweight(coalesce(q.document, ''::tsvector), 'B')
        FROM kbapp_thread t LEFT JOIN kbapp_search_part q ON q.part_id = -t.id
        WHERE t.id = s.thread_id""",
        "ANALYZE kbapp_search_thread",
    ),
)
