"""Redis as the shared cache, without making Redis a reason to fail a reader's request.

When Redis is down or restarting, reads answer "not cached", writes and deletes are skipped, and
the site renders from the database: slower for those seconds, never an error page. Counters
(`incr`) still raise, as their callers count on the answer (the rate limit falls back to the
database; the page cache treats a lost version as changed).
"""

import functools
import logging
import time

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

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._unavailable("incr", error)
            raise ValueError(f"Key '{key}' could not be counted: the cache is unavailable.") from error
