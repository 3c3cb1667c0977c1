"""Redis as the shared cache, without making Redis a reason to fail a reader's request.

When Redis is down or restarting, reads answer "not cached", writes and deletes are skipped, and
the site renders from the database: slower for those seconds, never an error page. Counters
(`incr`) still raise, as their callers count on the answer (the rate limit falls back to the
database; the page cache treats a lost version as changed).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_WARN_EVERY_SECONDS = 10


class ForgivingRedisCache(RedisCache):
    _last_warning = 0.0

    def _unavailable(self, operation, error):
        now = time.monotonic()
        if now - ForgivingRedisCache._last_warning > _WARN_EVERY_SECONDS:
            ForgivingRedisCache._last_warning = now
            logger.warning("Cache unavailable (%s): %r; answering without it", operation, error)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._unavailable("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            self._unavailable("get_many", error)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError as error:
            self._unavailable("set", error)
            return None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            self._unavailable("add", error)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            self._unavailable("set_many", error)
            return list(data)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            self._unavailable("delete", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._unavailable("incr", error)
            raise ValueError(f"Key '{key}' could not be counted: the cache is unavailable.") from error
