"""Rendered pieces of pages kept between requests, under keys that carry their own versions.

A page the page cache cannot answer (a reader with a session, a reply form, the cache switched
off) is still mostly the same for everyone. A fragment names what it shows the way an
invalidation names pages (paths, `"view:<url name>"`s, tags), and the current versions of those
tags and of the site's are part of its key: a change that drops those pages makes
the fragment unreachable on every instance at once, with nothing to delete. No fragment outlives
the next scheduled change of public content, nor `FRAGMENT_CACHE_SECONDS`. Fragments live in the
`fragments` cache alias (each process's memory); they must hold nothing of one reader's.
Within a request a fragment is written only if the answer is a 200 (`pagecache.middleware`).
"""

import hashlib

from django.conf import settings
from django.core.cache import caches

from pagecache import schedule
from pagecache.invalidation import page_tags
from pagecache.versions import SITE, read_versions, this_request

ALIAS = "fragments"


def fragment_key(name, *, pages, vary=()):
    """The key of fragment `name` showing `pages` now, with `vary` (its other inputs: the
    language, a flag of the page); None when the shared cache did not answer (then a later
    change could not reach a kept copy)."""
    versions = read_versions([SITE, *page_tags(pages)])
    if versions is None:
        return None
    digest = hashlib.blake2b(repr((tuple(vary), sorted(versions.items()))).encode(), digest_size=16)
    return f"fragment:{name}:{digest.hexdigest()}"


def kept(key):
    """The value kept under `key` (from `fragment_key`), or None."""
    if key is None or settings.FRAGMENT_CACHE_SECONDS <= 0:
        return None
    return caches[ALIAS].get(key)


def _write(key, value):
    seconds = settings.FRAGMENT_CACHE_SECONDS
    timeout = schedule.seconds_to_keep(seconds, max_age=max(seconds, settings.PAGE_CACHE_SECONDS))
    if timeout > 0:
        caches[ALIAS].set(key, value, timeout)


def keep(key, value):
    """Keep `value` under `key` (from `fragment_key`) until its time is up; within a request,
    once the request's answer is known to be kept (`RequestVersions.finish`)."""
    if key is None or value is None or settings.FRAGMENT_CACHE_SECONDS <= 0:
        return
    request_versions = this_request()
    if request_versions is None:
        _write(key, value)
    else:
        request_versions.when_kept(lambda: _write(key, value))


def cached_fragment(name, *, pages, vary=(), render):
    """The kept value of fragment `name` (see `fragment_key`), or `render()`'s, kept for the next
    request (unless it is None). `render` must build it from shared content only."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return render()
    key = fragment_key(name, pages=pages, vary=vary)
    value = kept(key)
    if value is None:
        value = render()
        keep(key, value)
    return value
