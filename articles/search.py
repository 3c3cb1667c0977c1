"""Site search over published articles: full-text on both databases, title matches first.

PostgreSQL stems words ("injections" finds "injection") with its English configuration and a
narrow, GIN-indexed table of documents (SearchEntry); SQLite uses an FTS5 index with the Porter
stemmer (articles/sqlite_search.py). Either way only a bounded number of matches is ranked, the
page is chosen from narrow data, and only the page's article rows are read.
"""

import unicodedata

from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone

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
    if not query:
        return Article.objects.published().for_listing().none()
    return SearchResults(query)


class SearchResults:
    """The matches of one search, best first, read a slice (a page) at a time.

    Slicing gives one query that ranks the candidates on narrow data and reads the article rows of
    that slice only: reading every ranked match's full row made search slower as the archive grew.
    """

    def __init__(self, query):
        self.query = query

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop = item.start or 0, RANKED_MATCHES if item.stop is None else item.stop
            if item.step is not None or start < 0 or stop < 0:
                raise ValueError("Search results are read in plain, forward slices.")
            return self._articles(start, max(min(stop, RANKED_MATCHES), start))
        return list(self[item : item + 1])[0]

    def __iter__(self):
        return iter(self[:RANKED_MATCHES])

    def _articles(self, start, stop):
        articles = Article.objects.published().for_listing()
        if start == stop:
            return articles.none()
        if connection.vendor == "postgresql":
            return _postgres_page(articles, self.query, start, stop)
        return _sqlite_page(articles, self.query, start, stop)


# The ids of one page of results, best first: the RANKED_MATCHES newest live matches, read from the
# narrow SearchEntry rows (GIN index) and ranked there. The visibility rule of
# Article.objects.published() is applied to the entry's copies of status and publish_at. Parameters:
# config, query, status, now, ranked matches, config, query, page size, offset.
POSTGRES_PAGE_IDS = (
    "SELECT candidate.article_id FROM (SELECT article_id, publish_at, document FROM articles_searchentry "
    "WHERE document @@ websearch_to_tsquery(%s::regconfig, %s) AND status = %s AND publish_at <= %s "
    "ORDER BY publish_at DESC, article_id DESC LIMIT %s) AS candidate "
    "ORDER BY ts_rank(candidate.document, websearch_to_tsquery(%s::regconfig, %s)) DESC, "
    "candidate.publish_at DESC, candidate.article_id DESC LIMIT %s OFFSET %s"
)


def _postgres_page(articles, query, start, stop):
    """The page's ids come from SearchEntry (narrow rows); only the page's article rows are read,
    ordered by the same rank (ts_rank over the same query)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    # Fixed SQL with bound parameters; raw because the ranking reads a subquery's rows.
    page_ids = RawSQL(  # noqa: S611
        POSTGRES_PAGE_IDS,
        [SEARCH_CONFIG, query, Article.Status.PUBLISHED.value, timezone.now(), RANKED_MATCHES]
        + [SEARCH_CONFIG, query, stop - start, start],
    )
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return (
        articles.filter(pk__in=page_ids)
        .annotate(rank=SearchRank(F("search_entry__document"), search_query))
        .order_by("-rank", "-publish_at", "-id")
    )


def _sqlite_page(articles, query, start, stop):
    """The page's ids come from the FTS5 index and a narrow index (articles/sqlite_search.py); the
    page's rows are then read and ordered the same way."""
    from articles import sqlite_search

    match = sqlite_search.match_expression(query)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # Fixed SQL with bound parameters; `extra` because the ranking needs a join with the index.
    return articles.extra(  # noqa: S610
        tables=[sqlite_search.TABLE],
        where=[
            "articles_article_fts.rowid = articles_article.id",
            "articles_article_fts MATCH %s",
            f"articles_article.id IN ({sqlite_search.PAGE_IDS})",
        ],
        params=[match, match, Article.Status.PUBLISHED.value, now, RANKED_MATCHES, stop - start, start],
        select={"rank": sqlite_search.RANK},
        order_by=["rank", "-publish_at", "-id"],
    )
