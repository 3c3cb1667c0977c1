"""A fixed-window rate limit that counts exactly across every web process and instance.

Counters live in the "limits" cache, apart from cached pages. When it is Redis, one `INCR` and an
`EXPIREAT … NX` run in a MULTI transaction, so the counter lives for the window's real length.
Otherwise a row per window in the database is incremented with `F()` inside a transaction: the
file cache's `incr()` is a read and a write (concurrent posts slip through) and it resets the
counter's lifetime.
"""

import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import ngettext

from submissions.conf import submission_setting
from submissions.models import RateLimitCounter
from submissions.privacy import hash_value

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    retry_after: int = 0  # seconds until the window that blocked the client ends

    @property
    def retry_after_minutes(self):
        return max(1, math.ceil(self.retry_after / 60))

    def refusal(self, singular, plural):
        """The reader's message: `singular`/`plural` carry a `%(minutes)d` placeholder."""
        minutes = self.retry_after_minutes
        return ngettext(singular, plural, minutes) % {"minutes": minutes}

    def refuse(self, response):
        """Mark `response` as the 429 answer to a client past the limit."""
        response.status_code = 429
        response["Retry-After"] = str(self.retry_after)
        return response


def _limits_cache():
    return caches[settings.LIMITS_CACHE_ALIAS]


def _redis():
    """The Redis client of the limits cache, or None when that cache is not Redis."""
    cache = _limits_cache()
    if not isinstance(cache, RedisCache):
        return None
    return cache._cache.get_client(write=True)


def _count_in_redis(client, keys, window_end):
    cache = _limits_cache()
    pipe = client.pipeline(transaction=True)
    for key in keys:
        stored_key = cache.make_and_validate_key(key)
        pipe.incr(stored_key)
        pipe.expireat(stored_key, int(window_end) + 1, nx=True)
    return pipe.execute()[::2]


def _count_in_database(keys, window_end):
    expires_at = datetime.fromtimestamp(window_end, tz=UTC)
    counts = []
    with transaction.atomic():
        for key in keys:
            if not RateLimitCounter.objects.filter(key=key).update(count=F("count") + 1):
                try:
                    with transaction.atomic():
                        RateLimitCounter.objects.create(key=key, count=1, expires_at=expires_at)
                    counts.append(1)
                    continue
                except IntegrityError:  # another process created the row first
                    RateLimitCounter.objects.filter(key=key).update(count=F("count") + 1)
            counts.append(RateLimitCounter.objects.values_list("count", flat=True).get(key=key))
    return counts


def _count(keys, window_end):
    """One more for each key, all in one transaction: a request's identities are counted together,
    so two requests never each see one identity under the limit and the other over it."""
    client = _redis()
    if client is not None:
        import redis

        try:
            return _count_in_redis(client, keys, window_end)
        except redis.RedisError:
            logger.warning("Redis unavailable for rate limits; counting in the database")
    return _count_in_database(keys, window_end)


def rate_limit_hit(*, scope, identities, limit=None, window=None, now=None):
    """Count one submission for each identity (address hash, email…); refuse past `limit` per window.

    An empty identity is skipped, but at least one must be given: a request with no address at
    all (a unix socket without a proxy header) is counted under a shared "unknown" identity
    rather than not at all.
    """
    limit = submission_setting("SUBMISSIONS_RATE_LIMIT") if limit is None else limit
    window = submission_setting("SUBMISSIONS_RATE_WINDOW_SECONDS") if window is None else window
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    window_end = window_start + window
    retry_after = int(window_end - now) or 1
    counted = [identity for identity in identities if identity] or ["unknown"]
    moment = datetime.fromtimestamp(now, tz=UTC)
    keys = sorted({f"ratelimit:{scope}:{hash_value(identity, now=moment)}:{window_start}" for identity in counted})
    allowed = all(count <= limit for count in _count(keys, window_end))
    return RateLimit(allowed=allowed, retry_after=0 if allowed else retry_after)


def counters_purge(*, now=None):
    """Delete database counters whose window has ended; returns how many."""
    cutoff = datetime.fromtimestamp(time.time() if now is None else now, tz=UTC)
    deleted, _per_model = RateLimitCounter.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
