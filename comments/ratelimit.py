"""A fixed-window rate limit kept in Django's cache, so every web process shares the count."""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from comments.privacy import hash_value


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    retry_after: int = 0  # seconds until the window that blocked the client ends

    @property
    def retry_after_minutes(self):
        return max(1, math.ceil(self.retry_after / 60))


def rate_limit_hit(*, scope, identities, limit=None, window=None, now=None):
    """Count one submission for each identity (address hash, email…); refuse past `limit` per window."""
    limit = settings.COMMENTS_RATE_LIMIT if limit is None else limit
    window = settings.COMMENTS_RATE_WINDOW_SECONDS if window is None else window
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    retry_after = int(window_start + window - now) or 1
    allowed = True
    for identity in filter(None, identities):
        key = f"ratelimit:{scope}:{hash_value(identity)}:{window_start}"
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add() and incr()
            cache.set(key, 1, timeout=window + 5)
            count = 1
        if count > limit:
            allowed = False
    return RateLimit(allowed=allowed, retry_after=0 if allowed else retry_after)
