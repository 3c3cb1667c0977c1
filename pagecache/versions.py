"""The versions of page tags, read from the shared cache with one key per request.

A change bumps the versions of the tags it affects, then a shared change counter. Each process
remembers the versions it has read, labelled with the counter's value read just before them: while
the counter has not moved, no version has either, so a request reads the counter alone (one file
of the file cache, one Redis key) instead of every tag of its page. A change made by any process
moves the counter, and every process reads the tags again on its next request.

A version never seen (or evicted) starts at the current time in milliseconds, so it can never
come back to a value an older page recorded. When the shared cache does not answer, versions read
as 0 and nothing remembered is trusted.
"""

import hashlib
import time
from functools import lru_cache

from django.core.cache import cache

GENERATION_KEY = "page-cache:generation"
CHANGES_KEY = "page-cache:changes"


def _now_ms():
    return int(time.time() * 1000)


@lru_cache(maxsize=4096)
def version_key(tag):
    """The default cache's key for `tag`'s version (hashed: tags hold paths of any length)."""
    return "page-cache:tag:" + hashlib.blake2b(tag.encode(), digest_size=16).hexdigest()


def _read_shared(keys):
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _now_ms(), None)
            found[key] = cache.get(key, 0)
    return found


class _Remembered:
    """Versions this process has read, good while the change counter keeps the value `label`."""

    def __init__(self):
        self._state = (None, {})

    def at(self, label):
        """The remembered versions if the counter still reads `label`, else a fresh empty set.
        Replaced as one tuple, so a thread never files a version under another label."""
        current_label, known = self._state
        if current_label != label:
            known = {}
            self._state = (label, known)
        return known

    def clear(self):
        self._state = (None, {})


remembered = _Remembered()


class Read(dict):
    """{key: version}, with the change counter's value they were read under (`changes`), so
    more keys can be read for the same request without reading the counter again."""

    changes = None


def _read_changes():
    changes = cache.get(CHANGES_KEY)
    if changes is None:
        cache.add(CHANGES_KEY, _now_ms(), None)
        changes = cache.get(CHANGES_KEY)
    return changes


def current(keys, *, changes=None):
    """{key: version} of `keys` as the shared cache holds them now (or when the counter read
    `changes`, earlier in the same request)."""
    read = Read()
    read.changes = changes or _read_changes()
    if not read.changes:
        read.update(_read_shared(keys))
        return read
    known = remembered.at(read.changes)
    missing = [key for key in keys if key not in known]
    if missing:
        found = _read_shared(missing)
        known.update((key, value) for key, value in found.items() if value)
        read.update((key, known.get(key) or found[key]) for key in keys)
    else:
        read.update((key, known[key]) for key in keys)
    return read


def tag_versions(tags):
    """{key: version} of the site-wide generation and of each tag."""
    return current([GENERATION_KEY, *dict.fromkeys(version_key(tag) for tag in tags)])


def generation():
    return current([GENERATION_KEY])[GENERATION_KEY]


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _now_ms(), None)


def _announce_change():
    """Moved only after the versions it announces, so whoever reads the new value reads them too."""
    remembered.clear()
    _bump(CHANGES_KEY)


def bump_tags(tags):
    """Drop, on every instance, each stored page that recorded one of `tags`."""
    for key in dict.fromkeys(version_key(tag) for tag in tags):
        _bump(key)
    _announce_change()


def bump_generation():
    """Drop every stored page on every instance."""
    _bump(GENERATION_KEY)
    _announce_change()
