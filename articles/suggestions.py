"""“Did you mean …”: each misspelt word of a search that found nothing, replaced by the closest word
published articles use; offered only when the corrected search finds a live article, so the words
of a draft or of an article not yet live are never suggested.

The vocabulary is the SearchWord table on both databases. PostgreSQL compares trigrams (pg_trgm, GIN
index). SQLite has no trigram index, so it reads the few words that share the typed word's first
letter and are about as long (a range of the primary key) and keeps the closest by edit distance,
which counts a dropped, added, changed or swapped letter as the one slip it is even in a short word
("artritis"), where trigrams of an eight-letter word change a lot for one slip.
"""

import re

from django.db import connection

from articles import search, sqlite_search
from articles.text import edit_distance

# Words shorter than this are too often right, or too short to tell what was meant.
SHORTEST = 4
LONGEST = 40
MOST_WORDS = 6
_WORD = re.compile(r"[^\W\d_]+")

# For each typed word: whether published articles use it, and the closest word they use (pg_trgm's
# `%` finds words over its similarity threshold, 0.3, with the trigram index). Parameter: the words.
POSTGRES_CLOSEST = (
    "SELECT typed.word, EXISTS (SELECT 1 FROM articles_searchword AS known "
    "WHERE known.word = typed.word AND known.articles > 0), "
    "(SELECT known.word FROM articles_searchword AS known WHERE known.articles > 0 AND known.word %% typed.word "
    "ORDER BY similarity(known.word, typed.word) DESC, known.articles DESC, known.word LIMIT 1) "
    "FROM unnest(%s::text[]) AS typed(word)"
)


def suggest_query(query):
    """The query with its misspelt words corrected, or "" when there is nothing better to offer."""
    words = [word for word in dict.fromkeys(_WORD.findall(query)) if SHORTEST <= len(word) <= LONGEST]
    words = words[:MOST_WORDS]
    if not words:
        return ""
    fixes = _postgres_fixes(words) if connection.vendor == "postgresql" else _sqlite_fixes(words)
    if not fixes:
        return ""
    corrected = _WORD.sub(lambda match: fixes.get(match.group(0), match.group(0)), query)
    return corrected if search.has_matches(corrected) else ""


def _postgres_fixes(words):
    with connection.cursor() as cursor:
        cursor.execute(POSTGRES_CLOSEST, [words])
        rows = cursor.fetchall()
    return {typed: closest for typed, known, closest in rows if not known and closest and closest != typed}


def _sqlite_fixes(words):
    fixes = {}
    with connection.cursor() as cursor:
        for word in words:
            first = word[0]
            cursor.execute(sqlite_search.WORDS_LIKE, [first, chr(ord(first) + 1), len(word) - 2, len(word) + 2])
            closest = _closest(word, cursor.fetchall())
            if closest and closest != word:
                fixes[word] = closest
    return fixes


def _closest(word, known):
    """The known word nearest to `word` by edit distance (the most used of equals), or None when
    none is near enough: one slip in a word of up to five letters, two in a longer one."""
    most = 1 if len(word) <= 5 else 2
    best = None
    for term, articles in known:
        if term == word:
            return word
        distance = edit_distance(word, term, most)
        if distance <= most and (best is None or (distance, -articles, term) < best):
            best = (distance, -articles, term)
    return best[2] if best else None
