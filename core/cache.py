"""The shared cache backends: Redis that never fails a reader's request, and the file cache.

`ForgivingRedisCache`: when Redis is down or restarting, reads answer "not cached", writes and deletes are skipped, and
the site renders from the database: slower for those seconds, never an error page. Counters
(`incr`) still raise, as their callers count on the answer (the rate limit falls back to the
database; the page cache treats a lost version as changed).
"""

import functools
import logging
import time

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_WARN_EVERY_SECONDS = 10


def _forgiving(method, fallback):
    """`method`, answering `fallback(*arguments)` instead of raising while Redis is unreachable."""

    @functools.wraps(method)
    def forgiving(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            self._unavailable(method.__name__, error)
            return fallback(*args, **kwargs)

    return forgiving


class ForgivingRedisCache(RedisCache):
    _last_warning = 0.0

    def _unavailable(self, operation, error):
        now = time.monotonic()
        if now - ForgivingRedisCache._last_warning > _WARN_EVERY_SECONDS:
            ForgivingRedisCache._last_warning = now
            logger.warning("Cache unavailable (%s): %r; answering without it", operation, error)

    get = _forgiving(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _forgiving(RedisCache.get_many, lambda *args, **kwargs: {})
    set = _forgiving(RedisCache.set, lambda *args, **kwargs: None)
    add = _forgiving(RedisCache.add, lambda *args, **kwargs: False)
    set_many = _forgiving(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    delete = _forgiving(RedisCache.delete, lambda *args, **kwargs: False)
    touch = _forgiving(RedisCache.touch, lambda *args, **kwargs: False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._unavailable("incr", error)
            raise ValueError(f"Key '{key}' could not be counted: the cache is unavailable.") from error


class FileCache(FileBasedCache):
    """Django's file cache, working out each key's file name once per process.

    A page-cache hit reads one key of this cache; checking the key and hashing it into a file
    name was two fifths of that read. The name depends only on the key, version, prefix and
    folder, so it is kept (up to a bound, then all are forgotten and worked out again).
    """

    _MAX_NAMES = 4096

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._names = {}

    def _key_to_file(self, key, version=None):
        name = self._names.get((key, version))
        if name is None:
            name = super()._key_to_file(key, version)
            if len(self._names) >= self._MAX_NAMES:
                self._names = {}
            self._names[(key, version)] = name
        return name
