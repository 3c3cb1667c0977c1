"""Site search over published articles: full-text on both databases, title matches first.

PostgreSQL stems words ("injections" finds "injection") with its English configuration and a
stored, GIN-indexed document; SQLite uses an FTS5 index with the Porter stemmer
(articles/sqlite_search.py). Either way only a bounded number of matches is ranked.
"""

import unicodedata

from django.db import connection
from django.db.models import F

from articles.models import SEARCH_CONFIG, Article

MAX_QUERY_LENGTH = 200
# Matches ranked per search, the newest. Ranking reads each match, so without a bound a common
# word gets slower as the archive grows (docs/PERFORMANCE.md).
RANKED_MATCHES = 200


def clean_query(raw):
    """The reader's words, without control characters (PostgreSQL refuses NUL), cut to a sane length."""
    printable = "".join(
        character for character in raw or "" if unicodedata.category(character) != "Cc" or character.isspace()
    )
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


def search_articles(query):
    """Published articles matching `query`, best first; none for an empty query."""
    query = clean_query(query)
    articles = Article.objects.published().for_listing()
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        return _postgres_search(articles, query)
    return _sqlite_search(articles, query)


def _postgres_search(articles, query):
    """Uses the stored, GIN-indexed document (kept fresh by Article.save()), not one built per row."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    newest_matches = articles.filter(search_document=search_query).order_by("-publish_at", "-id").values("pk")
    return (
        articles.filter(pk__in=newest_matches[:RANKED_MATCHES])
        .annotate(rank=SearchRank(F("search_document"), search_query))
        .order_by("-rank", "-publish_at", "-id")
    )


def _sqlite_search(articles, query):
    """Matches through the FTS5 index (articles/sqlite_search.py), best first. Only the
    RANKED_MATCHES most recently added matches are ranked, so a common word costs the same at
    any archive size (FTS5 reads its matches newest first without ranking them all)."""
    from articles.sqlite_search import RANK, match_expression

    match = match_expression(query)
    # Fixed SQL with bound parameters; `extra` because the ranking needs a join with the index.
    return articles.extra(  # noqa: S610
        tables=["articles_article_fts"],
        where=[
            "articles_article_fts.rowid = articles_article.id",
            "articles_article_fts MATCH %s",
            "articles_article.id IN (SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT %s)",
        ],
        params=[match, match, RANKED_MATCHES],
        select={"rank": RANK},
        order_by=["rank", "-publish_at", "-id"],
    )
