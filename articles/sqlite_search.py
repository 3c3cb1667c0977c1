"""Full-text search on SQLite: an FTS5 index over article titles, summaries and bodies.

Without it, search on SQLite read every body of the archive on every request (about a second
at 100,000 articles; bench/, docs/PERFORMANCE.md). The index is an external-content FTS5
table kept in step by triggers, so every write path (save, bulk_create, update, delete, the
test database's flush) updates it. Django rebuilds a SQLite table for some schema changes and
drops its triggers then, so `install()` runs after every `migrate` (post_migrate) and puts back
whatever is missing; it builds the index from the table's rows only when it creates it.
"""

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


# The vocabulary for "did you mean" (articles/suggestions.py): a second FTS5 index, unstemmed and
# without positions, holding published articles only (the triggers below skip drafts), and the
# fts5vocab table that reads each of its words with the number of articles using it. Both follow
# every write to articles as the search index does; nothing needs rebuilding.
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
# Words that start with `first` and have a length in a range, with how many published articles use
# them. Parameters: lowest term, first term past the range, shortest, longest.
WORDS_LIKE = (
    "SELECT term, doc FROM articles_article_vocabulary WHERE term >= %s AND term < %s "
    "AND length(term) BETWEEN %s AND %s"
)


def rebuild_words(using="default"):
    """Index the published articles' words afresh (after rows were written without the triggers)."""
    with connections[using].cursor() as cursor:
        cursor.execute(EMPTY_WORDS)
        cursor.execute(FILL_WORDS)


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
