"""Site search over published articles: full-text on PostgreSQL, a plain match on SQLite.

PostgreSQL stems words ("injections" finds "injection") and ranks title matches above
summary and body matches; SQLite, used in development, has no such engine, so it falls
back to a case-insensitive substring match with title matches first.
"""

import unicodedata

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from articles.models import SEARCH_CONFIG, Article

MAX_QUERY_LENGTH = 200


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
    return _simple_search(articles, query)


def _postgres_search(articles, query):
    """Uses the stored, GIN-indexed document (kept fresh by Article.save()), not one built per row."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return (
        articles.filter(search_document=search_query)
        .annotate(rank=SearchRank(F("search_document"), search_query))
        .order_by("-rank", "-publish_at", "-id")
    )


def _simple_search(articles, query):
    return (
        articles.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query))
        .annotate(
            title_match=Case(When(title__icontains=query, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("title_match", "-publish_at", "-id")
    )
