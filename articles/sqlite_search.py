"""Full-text search on SQLite: an FTS5 index over article titles, summaries and bodies.

Without it, search on SQLite read every body of the archive on every request (about a second
at 100,000 articles; bench/, docs/PERFORMANCE.md). The index is an external-content FTS5
table kept in step by triggers, so every write path (save, bulk_create, update, delete, the
test database's flush) updates it. Django rebuilds a SQLite table for some schema changes and
drops its triggers then, so `install()` runs after every `migrate` (post_migrate) and puts back
whatever is missing; it builds the index from the table's rows only when it creates it.
"""

import re
import unicodedata

from django.db import connections

TABLE = "articles_article_fts"
# Title matches count most, then the summary, then the body (bm25 column weights).
RANK = "bm25(articles_article_fts, 10.0, 5.0, 1.0)"

CREATE_TABLE = (
    "CREATE VIRTUAL TABLE articles_article_fts USING fts5(title, summary, body, content='articles_article', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
)
REBUILD = "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')"
# What search filters and sorts its candidates by, so choosing a page never reads an article's long row
# (reaching `publish_at` behind the body walks its overflow pages). Also made by migration 0006.
CREATE_FILTER_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_search_filter_idx ON articles_article (id, status, publish_at)"
)
# The ids of one page of results, best first: the `limit` most recently added published matches
# (FTS5 reads its matches newest first and the narrow index tells which are live, so a common word
# costs the same at any archive size; drafts and scheduled articles take no place among them),
# ranked by the bm25 of RANK, then date. Parameters: match, status, now, ranked matches, page size, offset.
PAGE_IDS = (
    "SELECT candidate.id FROM (SELECT articles_article_fts.rowid AS id, narrow.publish_at AS publish_at, "
    "bm25(articles_article_fts, 10.0, 5.0, 1.0) AS rank FROM articles_article_fts "
    "JOIN articles_article AS narrow INDEXED BY article_search_filter_idx ON narrow.id = articles_article_fts.rowid "
    "WHERE articles_article_fts MATCH %s AND narrow.status = %s AND narrow.publish_at <= %s "
    "ORDER BY articles_article_fts.rowid DESC LIMIT %s) AS candidate "
    "ORDER BY candidate.rank, candidate.publish_at DESC, candidate.id DESC LIMIT %s OFFSET %s"
)
# How many live articles match, up to a bound. Parameters: match, status, now, limit.
MATCH_COUNT = (
    "SELECT COUNT(*) FROM (SELECT matches.rowid FROM articles_article_fts AS matches "
    "JOIN articles_article AS narrow INDEXED BY article_search_filter_idx ON narrow.id = matches.rowid "
    "WHERE matches.articles_article_fts MATCH %s AND narrow.status = %s AND narrow.publish_at <= %s LIMIT %s)"
)
COLUMNS = ("title", "summary", "body")


def snippet(column):
    """FTS5's snippet of one column around the matched words. Parameters: start mark, end mark, words."""
    return f"snippet(articles_article_fts, {COLUMNS.index(column)}, %s, %s, '…', %s)"


TRIGGERS = {
    "articles_article_fts_insert": (
        "CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN "
        "INSERT INTO articles_article_fts(rowid, title, summary, body) "
        "VALUES (new.id, new.title, new.summary, new.body); END"
    ),
    "articles_article_fts_delete": (
        "CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN "
        "INSERT INTO articles_article_fts(articles_article_fts, rowid, title, summary, body) "
        "VALUES ('delete', old.id, old.title, old.summary, old.body); END"
    ),
    "articles_article_fts_update": (
        "CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF title, summary, body ON articles_article BEGIN "
        "INSERT INTO articles_article_fts(articles_article_fts, rowid, title, summary, body) "
        "VALUES ('delete', old.id, old.title, old.summary, old.body); "
        "INSERT INTO articles_article_fts(rowid, title, summary, body) "
        "VALUES (new.id, new.title, new.summary, new.body); END"
    ),
}


# The vocabulary for "did you mean" (articles/suggestions.py) is the SearchWord table, as on
# PostgreSQL: each word of published articles with how many use it. Reading word counts from FTS5
# itself costs a walk over every matching document (seconds at 100,000 articles), so the table is
# filled from an unstemmed FTS5 index of published articles (kept by the triggers below) through
# its fts5vocab view when that index is built or refreshed, and follows each article saved or
# deleted through the ORM (`count_saved_words`, `count_deleted_words`).
WORDS_TABLE = "articles_article_words"
VOCABULARY_TABLE = "articles_article_vocabulary"
CREATE_WORDS_TABLE = (
    "CREATE VIRTUAL TABLE articles_article_words USING fts5(title, summary, body, content='articles_article', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail=none, columnsize=0)"
)
CREATE_VOCABULARY_TABLE = (
    "CREATE VIRTUAL TABLE articles_article_vocabulary USING fts5vocab(articles_article_words, 'row')"
)
FILL_WORDS = (
    "INSERT INTO articles_article_words(rowid, title, summary, body) "
    "SELECT id, title, summary, body FROM articles_article WHERE status = 'published'"
)
EMPTY_WORDS = "INSERT INTO articles_article_words(articles_article_words) VALUES ('delete-all')"
FILL_SEARCH_WORDS = (
    "INSERT INTO articles_searchword (word, articles) SELECT term, doc FROM articles_article_vocabulary "
    "WHERE length(term) BETWEEN 3 AND 40 AND term NOT GLOB '*[0-9_]*'"
)
WORDS_TRIGGERS = {
    "articles_article_words_insert": (
        "CREATE TRIGGER articles_article_words_insert AFTER INSERT ON articles_article "
        "WHEN new.status = 'published' BEGIN "
        "INSERT INTO articles_article_words(rowid, title, summary, body) "
        "VALUES (new.id, new.title, new.summary, new.body); END"
    ),
    "articles_article_words_delete": (
        "CREATE TRIGGER articles_article_words_delete AFTER DELETE ON articles_article "
        "WHEN old.status = 'published' BEGIN "
        "INSERT INTO articles_article_words(articles_article_words, rowid, title, summary, body) "
        "VALUES ('delete', old.id, old.title, old.summary, old.body); END"
    ),
    "articles_article_words_update": (
        "CREATE TRIGGER articles_article_words_update AFTER UPDATE OF title, summary, body, status "
        "ON articles_article BEGIN "
        "INSERT INTO articles_article_words(articles_article_words, rowid, title, summary, body) "
        "SELECT 'delete', old.id, old.title, old.summary, old.body WHERE old.status = 'published'; "
        "INSERT INTO articles_article_words(rowid, title, summary, body) "
        "SELECT new.id, new.title, new.summary, new.body WHERE new.status = 'published'; END"
    ),
}
# Known words that start with given letters and have a length in a range, with how many published
# articles use them. Parameters: lowest word, first word past the range, shortest, longest.
WORDS_LIKE = (
    "SELECT word, articles FROM articles_searchword WHERE word >= %s AND word < %s "
    "AND length(word) BETWEEN %s AND %s AND articles > 0"
)
_WORD = re.compile(r"[^\W\d_]{3,40}")


def article_words(title, summary, body):
    """The words FTS5's unicode61 tokenizer makes of an article, as the vocabulary keeps them."""
    text = unicodedata.normalize("NFKD", f"{title} {summary} {body}".lower())
    text = "".join(character for character in text if not unicodedata.combining(character))
    return {word for word in re.findall(r"[^\W_]+", text) if _WORD.fullmatch(word)}


def refresh_words(using="default"):
    """Count the published articles' words afresh, from their FTS5 index (SQLite only)."""
    if connections[using].vendor != "sqlite":
        return
    with connections[using].cursor() as cursor:
        cursor.execute("DELETE FROM articles_searchword")
        cursor.execute(FILL_SEARCH_WORDS)


def _published_words(values):
    if not values or values.get("status") != "published":
        return set()
    return article_words(values.get("title", ""), values.get("summary", ""), values.get("body", ""))


def _change_counts(using, gone, added):
    with connections[using].cursor() as cursor:
        if gone:
            cursor.executemany(
                "UPDATE articles_searchword SET articles = articles - 1 WHERE word = %s", [[w] for w in sorted(gone)]
            )
            cursor.execute("DELETE FROM articles_searchword WHERE articles <= 0")
        if added:
            cursor.executemany(
                "INSERT INTO articles_searchword (word, articles) VALUES (%s, 1) "
                "ON CONFLICT (word) DO UPDATE SET articles = articles + 1",
                [[w] for w in sorted(added)],
            )


_TEXT = ("title", "summary", "body", "status")


def remember_words(sender, instance, using="default", raw=False, **kwargs):
    """Before an article is saved on SQLite: its text and status as stored, to count the change."""
    if connections[using].vendor != "sqlite" or raw:
        return
    previous = sender._base_manager.using(using).filter(pk=instance.pk).values(*_TEXT).first() if instance.pk else None
    instance._search_words_before = previous or {}


def count_saved_words(sender, instance, using="default", raw=False, **kwargs):
    if connections[using].vendor != "sqlite" or raw:
        return
    before = _published_words(getattr(instance, "_search_words_before", {}))
    after = _published_words({name: getattr(instance, name) for name in _TEXT})
    _change_counts(using, before - after, after - before)


def count_deleted_words(sender, instance, using="default", **kwargs):
    if connections[using].vendor != "sqlite":
        return
    _change_counts(using, _published_words({name: getattr(instance, name) for name in _TEXT}), set())


def rebuild_words(using="default"):
    """Index and count the published articles' words afresh (after rows were written without the triggers)."""
    with connections[using].cursor() as cursor:
        cursor.execute(EMPTY_WORDS)
        cursor.execute(FILL_WORDS)
    refresh_words(using)


def install(using="default", **kwargs):
    """Create the index, its triggers and the filter index where missing (SQLite only; safe to call again)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        existing = {
            row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        }
        if "articles_article" not in existing:
            return  # migrated backwards past the articles tables
        if TABLE not in existing:
            cursor.execute(CREATE_TABLE)
            cursor.execute(REBUILD)
        if WORDS_TABLE not in existing:
            cursor.execute(CREATE_WORDS_TABLE)
            cursor.execute(FILL_WORDS)
        if VOCABULARY_TABLE not in existing:
            cursor.execute(CREATE_VOCABULARY_TABLE)
        if "articles_searchword" in existing:
            cursor.execute("SELECT 1 FROM articles_searchword LIMIT 1")
            if cursor.fetchone() is None:
                cursor.execute(FILL_SEARCH_WORDS)
        for name, statement in {**TRIGGERS, **WORDS_TRIGGERS}.items():
            if name not in existing:
                cursor.execute(statement)
        cursor.execute(CREATE_FILTER_INDEX)


def match_expression(query):
    """The reader's words as an FTS5 query: each word a quoted phrase, all of them required.

    Quoting makes every character literal, so no input can be read as FTS5 syntax.
    """
    return " ".join('"{}"'.format(word.replace('"', '""')) for word in query.split())


def any_of(queries):
    """An FTS5 query matching what any of `queries` matches (each read as by `match_expression`)."""
    if len(queries) == 1:
        return match_expression(queries[0])
    return " OR ".join(f"({match_expression(query)})" for query in queries)
