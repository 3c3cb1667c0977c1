"""Stored pages: where they live, how the per-reader parts are put back, how they expire.

A stored page keeps the offsets where the reader's CSRF token and CSP nonce were printed; a hit
splices fresh values in at those offsets. Nothing in the content is searched for or replaced on
a hit, so no text (a comment quoting any string at all) can make the cache insert a secret.

Pages live in their own cache alias (`PAGE_CACHE_ALIAS`), so floods of pages can only evict
pages. Each stored page records the versions of its tags (its path, its view, anything added with
`tag()`, and the site-wide generation) as they were before it was rendered; it is served only
while all of them are unchanged (`pagecache.versions`: one shared read per request). A change
bumps the versions of the tags it affects, so it drops exactly the pages that show it. The
versions, and the time of the next scheduled change, live in the default cache.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from pagecache import versions
from pagecache.csrf_tokens import get_token

NEXT_CHANGE_KEY = "page-cache:next-change"
_CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')
_STORED_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag", "Last-Modified")
CSRF, NONCE = 0, 1
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
# Callables returning the datetime of the next scheduled change of public content, or None.
_next_change_sources = []


def pages():
    return caches[settings.PAGE_CACHE_ALIAS]


class _LocalCopies:
    """The pages this worker served or stored most recently, newest last.

    Each copy is checked against the shared tag versions before it is served, so a content change
    made anywhere makes it unusable at once; the oldest copies are dropped beyond
    `PAGE_CACHE_LOCAL_ENTRIES`.
    """

    def __init__(self):
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = settings.PAGE_CACHE_LOCAL_ENTRIES
        if limit <= 0:
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


local_copies = _LocalCopies()


def bump_generation():
    local_copies.clear()
    request_versions.forget()
    versions.bump_generation()
    cache.delete(NEXT_CHANGE_KEY)


class _RequestVersions:
    """The versions a request has read so far, so the pieces of one page read each tag once.

    Only within a request (request_started to request_finished, PageCacheConfig.ready()); a
    change made in this thread forgets them, so it is seen at once.
    """

    def __init__(self):
        self._local = Local()

    def start(self, **kwargs):
        self._local.found = {}

    def finish(self, **kwargs):
        self._local.found = None

    def tag_versions(self, tags):
        """{key: version} of the site-wide generation and of each tag (`versions.tag_versions`)."""
        found = getattr(self._local, "found", None)
        if found is None:
            return versions.tag_versions(tags)
        keys = [versions.GENERATION_KEY, *dict.fromkeys(versions.version_key(tag) for tag in tags)]
        if not all(key in found for key in keys):
            found.update(versions.tag_versions(tags))
        return {key: found[key] for key in keys}

    def forget(self):
        if getattr(self._local, "found", None):
            self._local.found = {}


request_versions = _RequestVersions()


def bump_tags(tags):
    """Drop, on every instance, each stored page that recorded one of `tags`."""
    request_versions.forget()
    versions.bump_tags(tags)
    cache.delete(NEXT_CHANGE_KEY)


def register_next_change(source):
    """`source()` gives the datetime of the next scheduled change of public content, or None; no
    page is kept past it."""
    if source not in _next_change_sources:
        _next_change_sources.append(source)


def next_change_timestamp(max_age):
    """The time (a Unix timestamp) of the next scheduled change of public content, or 0 for none.

    Worked out at most every `max_age` seconds, and again once it has passed; any invalidation
    makes it be worked out again.
    """
    next_change = cache.get(NEXT_CHANGE_KEY)
    if next_change is None or 0 < next_change <= time.time():
        upcoming = [when for when in (source() for source in _next_change_sources) if when is not None]
        next_change = min(upcoming).timestamp() if upcoming else 0
        cache.set(NEXT_CHANGE_KEY, next_change, max_age)
    return next_change


def _seconds_until_next_change():
    next_change = next_change_timestamp(settings.PAGE_CACHE_SECONDS)
    if not next_change:
        return None
    return next_change - time.time()


def key_for(address):
    return f"page:{address}"


def _still_valid(entry, current):
    recorded = entry["versions"]
    if any(current.get(key, recorded[key]) != recorded[key] for key in recorded):
        return False
    extra = [key for key in recorded if key not in current]
    if extra:
        now = versions.current(extra, changes=getattr(current, "changes", None))
        return all(now[key] == recorded[key] for key in extra)
    return True


def lookup(key, current):
    """The stored page under `key` if it has not expired and none of its tags has changed since;
    `current` holds the versions of the request's own tags."""
    entry = local_copies.get(key)
    if entry is None:
        entry = pages().get(key)
        if entry is None:
            return None
        local_copies.put(key, entry)
    if entry["expires"] <= time.time() or not _still_valid(entry, current):
        return None
    return entry


def _splices(content, nonce):
    """(start, end, kind) of each CSRF token and nonce printed in `content`, in order; None when
    they overlap (then the page is not stored)."""
    spans = [(match.start(1), match.end(1), CSRF) for match in _CSRF_VALUE.finditer(content)]
    if nonce:
        needle = nonce.encode()
        start = content.find(needle)
        while start != -1:
            spans.append((start, start + len(needle), NONCE))
            start = content.find(needle, start + len(needle))
    spans.sort()
    for (_start, end, _kind), (next_start, _end, _next_kind) in zip(spans, spans[1:], strict=False):
        if next_start < end:
            return None
    return spans


def store(key, request, response, recorded):
    """Keep a copy of a fresh page with the offsets of its per-reader parts and the versions of
    its tags read before it was rendered (`recorded`); False if not kept."""
    if not all(recorded.values()):
        return False  # the shared cache did not answer: a later change could not reach this copy
    nonce = getattr(request, "_csp_nonce", None)
    content = response.content
    splices = _splices(content, nonce if isinstance(nonce, str) else "")
    if splices is None:
        return False
    timeout = settings.PAGE_CACHE_SECONDS
    until_next = _seconds_until_next_change()
    if until_next is not None:
        timeout = max(1, min(timeout, int(until_next)))
    headers = {header: response[header] for header in _STORED_HEADERS if response.has_header(header)}
    entry = {
        "content": content,
        "etag": _etag(content, splices),
        "splices": splices,
        "status": response.status_code,
        "headers": headers,
        "expires": time.time() + timeout,
        "versions": dict(recorded),
    }
    pages().set(key, entry, timeout)
    local_copies.put(key, entry)
    response["ETag"] = entry["etag"]
    return True


def _etag(content, splices):
    """The page's version for conditional GETs: a hash of everything but the per-reader parts,
    so a reader's browser may keep its copy (and its own token) while the page is unchanged."""
    digest, position = hashlib.sha256(), 0
    for start, end, _kind in splices:
        digest.update(content[position:start])
        position = end
    digest.update(content[position:])
    return f'"{digest.hexdigest()[:32]}"'


def _pieces(entry):
    """The stored page cut at its splices (odd items are CSRF or NONCE), once per copy in memory."""
    pieces = entry.get("pieces")
    if pieces is None:
        content, pieces, position = entry["content"], [], 0
        for start, end, kind in entry["splices"]:
            pieces += [content[position:start], kind]
            position = end
        pieces.append(content[position:])
        entry["pieces"] = pieces
    return pieces


def response_from(entry, request):
    pieces = _pieces(entry)
    if len(pieces) == 1:
        content = pieces[0]
    else:
        fresh = {}  # one token and one nonce per response, however many forms and scripts use them
        for kind in pieces[1::2]:
            if kind not in fresh:
                fresh[kind] = (get_token(request) if kind == CSRF else str(request.csp_nonce)).encode()
        content = b"".join(fresh[piece] if index % 2 else piece for index, piece in enumerate(pieces))
    response = HttpResponse(content, status=entry["status"])
    for header, value in entry["headers"].items():
        response[header] = value
    if CSRF in pieces[1::2]:
        # The token is this reader's: no shared cache may hand it to another.
        response["Cache-Control"] = "private, no-cache"
    response["Content-Length"] = str(len(content))
    response["X-Page-Cache"] = "hit"
    response["ETag"] = entry["etag"]
    if any(header in request.META for header in _CONDITIONAL_HEADERS):
        # A browser asking whether its copy is still good gets 304 and no body.
        return get_conditional_response(request, etag=entry["etag"], response=response) or response
    return response
