"""When public content changes next without a save (an article scheduled to go live): no page
or fragment is kept past it.

Apps register where the time comes from in `AppConfig.ready()` (`register_next_change`); the
cache knows no model. The time is shared through the default cache, worked out again when it has
passed, when its key expires, and after any invalidation (`forget`); a request reads it once.
"""

import time

from django.core.cache import cache

from pagecache.versions import this_request

NEXT_CHANGE_KEY = "pagecache:next-change"
# Callables returning the datetime of the next scheduled change of public content, or None.
_sources = []


def register_next_change(source):
    """`source()` gives the datetime of the next scheduled change of public content, or None; no
    page is kept past it."""
    if source not in _sources:
        _sources.append(source)


def next_change_timestamp(max_age):
    """The time (a Unix timestamp) of the next scheduled change of public content, or 0 for none,
    worked out at most every `max_age` seconds and again once it has passed."""
    request_versions = this_request()
    if request_versions is not None and request_versions.next_change is not None:
        return request_versions.next_change
    next_change = cache.get(NEXT_CHANGE_KEY)
    if next_change is None or 0 < next_change <= time.time():
        upcoming = [when for when in (source() for source in _sources) if when is not None]
        next_change = min(upcoming).timestamp() if upcoming else 0
        cache.set(NEXT_CHANGE_KEY, next_change, max_age)
    if request_versions is not None:
        request_versions.next_change = next_change
    return next_change


def seconds_to_keep(seconds, *, max_age):
    """`seconds`, cut short by the next scheduled change (the result may be 0 or less)."""
    next_change = next_change_timestamp(max_age)
    if not next_change:
        return seconds
    return min(seconds, int(next_change - time.time()))


def forget():
    """Work the next change out again: an invalidation may have moved it."""
    cache.delete(NEXT_CHANGE_KEY)
