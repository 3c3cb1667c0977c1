"""Where stored pages live: the shared page cache, and each worker's most recent copies.

Pages live in their own cache alias (`PAGE_CACHE_ALIAS`), so floods of pages can only evict
pages. Each stored page records the versions of its tags as they were before it was rendered
(`pagecache.versions`) and is served only while all of them are unchanged; none is kept past
`PAGE_CACHE_SECONDS` nor the next scheduled change (`pagecache.schedule`).
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches

from pagecache import compression, schedule, splicing

_STORED_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag", "Last-Modified")


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

    def contents(self):
        """The content of every copy, for checking what was kept."""
        with self._lock:
            return [entry["content"] for entry in self._entries.values()]

    def __len__(self):
        return len(self._entries)


local_copies = _LocalCopies()


def key_for(address):
    return f"pagecache:page:{address}"


def lookup(key, request_versions):
    """The stored page under `key` if it has not expired and none of its tags has changed since
    (`request_versions`: the request's `pagecache.versions.RequestVersions`).

    This worker's copy is served without reading the shared cache; one that is missing, expired
    or outdated is looked up there once, where another worker may have stored the fresh page."""
    entry = local_copies.get(key)
    if entry is not None and _servable(entry, request_versions):
        return entry
    entry = pages().get(key)
    if entry is None or not _servable(entry, request_versions):
        return None
    local_copies.put(key, entry)
    return entry


def _servable(entry, request_versions):
    return entry["expires"] > time.time() and request_versions.matches(entry["versions"])


def store(key, request, response, versions):
    """Keep a copy of a fresh page with the offsets of its reader's own parts and `versions`,
    those of its tags read before it was rendered; False if not kept."""
    nonce = getattr(request, "_csp_nonce", None)
    content = response.content
    splices = splicing.find(content, nonce if isinstance(nonce, str) else "")
    if splices is None:
        return False
    timeout = max(1, schedule.seconds_to_keep(settings.PAGE_CACHE_SECONDS, max_age=settings.PAGE_CACHE_SECONDS))
    headers = {header: response[header] for header in _STORED_HEADERS if response.has_header(header)}
    deflated = None
    if compression.compressible(headers.get("Content-Type", "")) and len(content) >= compression.MIN_LENGTH:
        deflated = compression.deflate_segments(content, splices)
    entry = {
        "content": content,
        "etag": splicing.etag(content, splices),
        "splices": splices,
        "deflated": deflated,  # compressed once here, for every hit from a client that takes gzip
        "status": response.status_code,
        "headers": headers,
        "expires": time.time() + timeout,
        "versions": dict(versions),
    }
    pages().set(key, entry, timeout)
    local_copies.put(key, entry)
    response["ETag"] = entry["etag"]
    return True
