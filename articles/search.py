"""Site search over published articles: full-text on both databases, title matches first.

PostgreSQL stems words ("injections" finds "injection") with its English configuration and a
narrow, GIN-indexed table of documents (SearchEntry); SQLite uses an FTS5 index with the Porter
stemmer (articles/sqlite_search.py). Either way only a bounded number of matches is ranked, the
page is chosen from narrow data, and only the page's article rows are read.

The same single query also counts the matches (up to one more than are ranked) and cuts a
snippet around the matched words from each row of the page (FTS5's `snippet()`, PostgreSQL's
`ts_headline()`). The database marks the words with random sentinels that no article can
contain; the snippet is then HTML-escaped and only the sentinels become `<mark>`, so an
article's own text can never add markup to the results page.
"""

import re
import secrets
import unicodedata

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Left
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import SEARCH_CONFIG, Article
from articles.synonyms import search_alternatives

MAX_QUERY_LENGTH = 200
# Matches ranked per search, the newest. Ranking reads each match, so without a bound a common
# word gets slower as the archive grows (docs/PERFORMANCE.md).
RANKED_MATCHES = 200
# How much of an article the snippet reads on PostgreSQL: ts_headline parses all the text it is given
# (12 rows of 12,000 characters cost about 40 ms, of 2,000 about 15 ms). A match further in shows
# the summary instead.
HEADLINE_TEXT = 5_000
SNIPPET_WORDS = 24


def clean_query(raw):
    """The reader's words, without control characters (PostgreSQL refuses NUL), cut to a sane length."""
    printable = "".join(
        character for character in raw or "" if unicodedata.category(character) != "Cc" or character.isspace()
    )
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


def normalise_query(raw):
    """The query a search page is built from and cached under: clean, lower case, so "Sciatica  "
    and "sciatica" are one search and one stored page."""
    return clean_query((raw or "").lower())


def search_articles(query):
    """Published articles matching `query`, best first; none for an empty query."""
    query = clean_query(query)
    if not query:
        return Article.objects.published().for_listing().none()
    return SearchResults(query, alternatives=search_alternatives(normalise_query(query)))


class SearchResults:
    """The matches of one search, best first, read a slice (a page) at a time.

    Slicing gives one query that ranks the candidates on narrow data and reads the article rows of
    that slice only: reading every ranked match's full row made search slower as the archive grew.
    """

    def __init__(self, query, *, alternatives=()):
        self.query = query
        # The query and its variants with synonyms (articles/synonyms.py): an article matching any is found.
        self.alternatives = list(alternatives) or [query]
        # Fresh for every search: article text cannot contain, or guess, these markers.
        token = secrets.token_hex(12)
        self.mark_start, self.mark_end = f"qs{token}s", f"qe{token}e"

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
            return []
        if connection.vendor == "postgresql":
            rows = _postgres_page(articles, self, start, stop)
        else:
            rows = _sqlite_page(articles, self, start, stop)
        rows = list(rows)
        for article in rows:
            texts = [getattr(article, name) for name in ("body_snippet", "summary_snippet") if hasattr(article, name)]
            article.snippet = next(
                (self.highlight(text) for text in texts if text and self.mark_start in text),
                "",
            )
        return rows

    def highlight(self, text):
        """The snippet as safe HTML: the text escaped, then only our sentinels turned into <mark>."""
        marked = escape(plain_text(text))
        marked = marked.replace(self.mark_start, "<mark>").replace(self.mark_end, "</mark>")
        return mark_safe(marked)  # noqa: S308 - escaped above; only our own <mark> tags were added


def has_matches(query):
    """Whether any live article matches `query`: one query that stops at the first match."""
    now, published = timezone.now(), Article.Status.PUBLISHED.value
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_ANY_MATCH, [SEARCH_CONFIG, query, published, now])
        else:
            from articles import sqlite_search

            match = sqlite_search.match_expression(query)
            now = connection.ops.adapt_datetimefield_value(now)
            cursor.execute(sqlite_search.MATCH_COUNT, [match, published, now, 1])
        return bool(cursor.fetchone()[0])


def match_count(page):
    """(matches, more): how many articles match, counted up to RANKED_MATCHES, and whether there are more."""
    rows = page.object_list
    count = getattr(rows[0], "match_count", len(rows)) if rows else 0
    return min(count, RANKED_MATCHES), count > RANKED_MATCHES


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LINE_MARKER = re.compile(r"(?m)^\s*(?:#{1,6}|[-*+]|\d+\.|>)\s+")
_EMPHASIS = re.compile(r"[*`]+")


def plain_text(markdown):
    """Editor Markdown read as plain words: no heading, list or quote markers, links as their text."""
    text = _EMPHASIS.sub("", _LINE_MARKER.sub("", _LINK.sub(r"\1", markdown)))
    return " ".join(text.split())


# The ids of one page of results, best first: the RANKED_MATCHES newest live matches, read from the
# narrow SearchEntry rows (GIN index) and ranked there. The visibility rule of
# Article.objects.published() is applied to the entry's copies of status and publish_at; a match in the
# title (weight A) comes before any other. Parameters: config, query, status, now, ranked matches,
# config, query, config, query, page size, offset.
POSTGRES_PAGE_IDS = (
    "SELECT candidate.article_id FROM (SELECT article_id, publish_at, document FROM articles_searchentry "
    "WHERE document @@ websearch_to_tsquery(%s::regconfig, %s) AND status = %s AND publish_at <= %s "
    "ORDER BY publish_at DESC, article_id DESC LIMIT %s) AS candidate "
    "ORDER BY ts_filter(candidate.document, '{a}') @@ websearch_to_tsquery(%s::regconfig, %s) DESC, "
    "ts_rank(candidate.document, websearch_to_tsquery(%s::regconfig, %s)) DESC, "
    "candidate.publish_at DESC, candidate.article_id DESC LIMIT %s OFFSET %s"
)


# How many live articles match, up to one more than are ranked. Parameters: config, query, status,
# now, ranked matches + 1. Uncorrelated, so PostgreSQL runs it once per query.
POSTGRES_MATCH_COUNT = (
    "SELECT COUNT(*) FROM (SELECT 1 FROM articles_searchentry "
    "WHERE document @@ websearch_to_tsquery(%s::regconfig, %s) AND status = %s AND publish_at <= %s "
    "LIMIT %s) AS matches"
)


# Whether a live article matches. Parameters: config, query, status, now.
POSTGRES_ANY_MATCH = (
    "SELECT EXISTS (SELECT 1 FROM articles_searchentry "
    "WHERE document @@ websearch_to_tsquery(%s::regconfig, %s) AND status = %s AND publish_at <= %s)"
)


def _postgres_page(articles, results, start, stop):
    """The page's ids come from SearchEntry (narrow rows); only the page's article rows are read,
    ordered the same way (title matches first, then ts_rank over the same query). Snippets are
    cut from these rows only, and from at most HEADLINE_TEXT characters of each."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField

    # websearch_to_tsquery reads `or` between words as OR, binding looser than the words' AND.
    query = " or ".join(results.alternatives)
    now, published = timezone.now(), Article.Status.PUBLISHED.value
    # Fixed SQL with bound parameters; raw because the ranking reads a subquery's rows.
    page_ids = RawSQL(  # noqa: S611
        POSTGRES_PAGE_IDS,
        [SEARCH_CONFIG, query, published, now, RANKED_MATCHES]
        + [SEARCH_CONFIG, query, SEARCH_CONFIG, query, stop - start, start],
    )
    count = RawSQL(POSTGRES_MATCH_COUNT, [SEARCH_CONFIG, query, published, now, RANKED_MATCHES + 1])  # noqa: S611
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    title_words = Func(
        F("search_entry__document"), Value("{a}"), function="ts_filter", output_field=SearchVectorField()
    )
    text = Concat(F("summary"), Value(" \n\n"), Left(F("body"), HEADLINE_TEXT))
    return (
        articles.filter(pk__in=page_ids)
        .annotate(
            title_words=title_words,
            title_match=ExpressionWrapper(Q(title_words=search_query), output_field=BooleanField()),
            rank=SearchRank(F("search_entry__document"), search_query),
            match_count=count,
            body_snippet=SearchHeadline(
                text,
                search_query,
                config=SEARCH_CONFIG,
                start_sel=results.mark_start,
                stop_sel=results.mark_end,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-title_match", "-rank", "-publish_at", "-id")
    )


def _sqlite_page(articles, results, start, stop):
    """The page's ids come from the FTS5 index and a narrow index (articles/sqlite_search.py); the
    page's rows are then read and ordered the same way, with their snippets and the match count."""
    from articles import sqlite_search

    match = sqlite_search.any_of(results.alternatives)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    published = Article.Status.PUBLISHED.value
    marks = [results.mark_start, results.mark_end, SNIPPET_WORDS]
    # Fixed SQL with bound parameters; `extra` because the ranking needs a join with the index.
    return articles.extra(  # noqa: S610
        tables=[sqlite_search.TABLE],
        where=[
            "articles_article_fts.rowid = articles_article.id",
            "articles_article_fts MATCH %s",
            f"articles_article.id IN ({sqlite_search.PAGE_IDS})",
        ],
        params=[match, match, published, now, RANKED_MATCHES, stop - start, start],
        select={
            "rank": sqlite_search.RANK,
            "match_count": sqlite_search.MATCH_COUNT,
            "summary_snippet": sqlite_search.snippet("summary"),
            "body_snippet": sqlite_search.snippet("body"),
        },
        select_params=[match, published, now, RANKED_MATCHES + 1, *marks, *marks],
        order_by=["rank", "-publish_at", "-id"],
    )
