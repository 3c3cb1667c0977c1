"""Search synonyms editors keep in the admin (SearchSynonym), applied to every search.

A query containing a term (whole words) is searched together with the same query in which the term
is replaced by each of its synonyms: "slipped disc pain" also finds "herniated disc pain". The table
is small and read on every search, so it is kept in the cache and forgotten when an editor changes it.
"""

import re

from django.core.cache import cache
from django.db import transaction

from articles.models import SearchSynonym

CACHE_KEY = "search-synonyms:v1"
CACHE_SECONDS = 3600
# A query and its variants are one search; a bound keeps a query naming many terms cheap.
MOST_ALTERNATIVES = 8


def synonym_table():
    """[(term, [phrase, ...]), ...] for every synonym, from the cache when it is there."""
    table = cache.get(CACHE_KEY)
    if table is None:
        table = [(synonym.term, synonym.phrases) for synonym in SearchSynonym.objects.all()]
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def forget_synonyms(**kwargs):
    """Drop the cached table, now and once the change is committed (a search in between read the old)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def search_alternatives(query):
    """`query` first, then its variants with each synonym term it contains replaced by a synonym."""
    alternatives = [query]
    for term, phrases in synonym_table():
        pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")
        for alternative in list(alternatives):
            if pattern.search(alternative):
                alternatives += [pattern.sub(lambda match, phrase=phrase: phrase, alternative) for phrase in phrases]
    return list(dict.fromkeys(alternatives))[:MOST_ALTERNATIVES]
