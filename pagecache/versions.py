"""The versions of page tags: one memory per process, read through once per request.

Every stored page and kept fragment records the version of each tag it shows (its path, its
view, tags added with `tag()`, and `SITE`, which everything carries). A change bumps the
versions of the tags it affects, then a shared change counter. Each process remembers the
versions it has read under the counter's value: while the counter has not moved, no version
has either, so a request reads the counter once (one file of the file cache, one Redis key) and
reads from the shared cache only the tags this process has not seen under that value.

A tag the shared cache does not hold gets a provisional version (the time in milliseconds, never
one an older page recorded), which no stored page matches. It is written only once the request
is known to keep something (`RequestVersions.finish`): an address made up by a crawler writes
nothing. Every key written here expires (`version_seconds()`); a version lost counts as changed.
"""

import hashlib
import time
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

SITE = "site"  # the tag of the whole site: every page and fragment carries it
CHANGES_KEY = "pagecache:changes"
_DAY = 24 * 3600
_UNREAD = object()
_this_request = ContextVar("pagecache_request_versions", default=None)


def _now_ms():
    return int(time.time() * 1000)


def version_seconds():
    """How long a version is kept after it was written: longer than what records it is kept."""
    return max(_DAY, settings.PAGE_CACHE_SECONDS, settings.FRAGMENT_CACHE_SECONDS)


@lru_cache(maxsize=4096)
def version_key(tag):
    """The default cache's key for `tag`'s version (hashed: tags hold paths of any length)."""
    return "pagecache:version:" + hashlib.blake2b(tag.encode(), digest_size=16).hexdigest()


class _Remembered:
    """The versions this process has read, good while the change counter keeps the value `label`."""

    def __init__(self):
        self._state = (None, {})

    def at(self, label):
        """The versions remembered under `label`, or a fresh empty map if the counter moved.
        Replaced as one tuple, so a thread never files a version under another label."""
        current_label, versions = self._state
        if current_label != label:
            versions = {}
            self._state = (label, versions)
        return versions

    def clear(self):
        self._state = (None, {})


remembered = _Remembered()


class RequestVersions:
    """What one request knows of tag versions: the counter read once, this process's memory
    under it, and the provisional versions of tags the shared cache does not hold yet.

    The middleware opens one per request (`with RequestVersions():`); outside a request each
    `read_versions()` uses one of its own.
    """

    def __init__(self):
        self.changed = False  # this request bumped versions: what it rendered may be older
        self._start_over()

    def _start_over(self):
        self._label = _UNREAD
        self._versions = None
        self.provisional = {}
        self.next_change = None  # the next scheduled change, once read (pagecache.schedule)
        self._writes = []

    def __enter__(self):
        self._token = _this_request.set(self)
        return self

    def __exit__(self, *exc_info):
        _this_request.reset(self._token)

    def read(self, tags):
        """{tag: version} of `tags`, each read from the shared cache at most once per request."""
        versions, provisional = self._remembered(), self.provisional
        missing = [tag for tag in tags if tag not in versions and tag not in provisional]
        if missing:
            self._read_shared(missing, versions)
        return {tag: provisional.get(tag) or versions[tag] for tag in tags}

    def matches(self, recorded):
        """Whether `recorded` (a stored page's versions) holds the current version of each tag."""
        versions = self._remembered()
        missing = [tag for tag in recorded if tag not in versions and tag not in self.provisional]
        if missing:
            self._read_shared(missing, versions)
        return all(versions.get(tag) == version for tag, version in recorded.items())

    def _remembered(self):
        if self._versions is None:
            self._label = cache.get(CHANGES_KEY)
            # Without the counter nothing remembered can be trusted: this request reads alone.
            self._versions = remembered.at(self._label) if self._label is not None else {}
        return self._versions

    def _read_shared(self, tags, versions):
        keys = {version_key(tag): tag for tag in tags}
        found = cache.get_many(list(keys))
        for key, tag in keys.items():
            version = found.get(key)
            if version is None:
                self.provisional[tag] = _now_ms()
            else:
                versions[tag] = version

    def when_kept(self, write):
        """Run `write()` at the end of the request, if its answer is kept (`finish`)."""
        self._writes.append(write)

    def finish(self, *, keep):
        """Write the provisional versions, then what waited for them, when the answer is `keep`;
        False when nothing may be kept (not `keep`, or another request wrote a version first:
        what this one rendered may be older than it)."""
        writes, self._writes = self._writes, []
        if not keep:
            return False
        if self._label is None:  # read and not found: start the counter for the next requests
            cache.add(CHANGES_KEY, _now_ms(), version_seconds())
        if self.provisional:
            seconds = version_seconds()
            for tag, version in self.provisional.items():
                if not cache.add(version_key(tag), version, seconds):
                    return False
            self._remembered().update(self.provisional)
            self.provisional = {}
        for write in writes:
            write()
        return True

    def forget(self):
        """After a change made by this request: read everything again, keep nothing rendered before."""
        self._start_over()
        self.changed = True


def this_request():
    """The `RequestVersions` of the request being answered, or None outside one."""
    return _this_request.get()


def read_versions(tags):
    """{tag: version} of `tags`: within a request, through its `RequestVersions`; outside one (a
    command, a task), with the missing versions written at once; None when they cannot be."""
    request_versions = this_request()
    if request_versions is not None:
        return request_versions.read(tags)
    request_versions = RequestVersions()
    versions = request_versions.read(tags)
    return versions if request_versions.finish(keep=True) else None


def _bump(key):
    seconds = version_seconds()
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _now_ms(), seconds)
    else:
        cache.touch(key, seconds)


def bump(tags):
    """Drop, on every instance, each stored page and fragment that recorded one of `tags`.
    The counter moves last, so whoever reads its new value reads the new versions too."""
    for tag in dict.fromkeys(tags):
        _bump(version_key(tag))
    remembered.clear()
    _bump(CHANGES_KEY)
    request_versions = this_request()
    if request_versions is not None:
        request_versions.forget()
