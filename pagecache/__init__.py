"""A whole-page cache for anonymous readers, shared by every web instance through Django's cache.

Why not Django's `cache_page`: pages carry a per-reader CSRF token and a per-response CSP nonce.
A stored page records where they were printed, and each hit splices in fresh ones, so forms work
on cached pages without JavaScript. Views opt in (`cached_page`), apps say what invalidates their
pages (`invalidate_on_change`, `register_next_change`: by path, view or `tag`) and what makes a request one reader's own
(`bypass`); this package imports nothing of the site.
"""

from pagecache.fragments import cached_fragment, fragment_key, keep, kept
from pagecache.invalidation import invalidate, invalidate_after_commit, invalidate_on_change
from pagecache.middleware import skip_storing, tag
from pagecache.policy import CachePolicy, bypass, cached_page, page_path
from pagecache.schedule import register_next_change
from pagecache.storage import local_copies
from pagecache.versions import remembered


def forget_local_copies():
    """Drop this process's in-memory copies and remembered versions (the shared cache is left alone)."""
    local_copies.clear()
    remembered.clear()


__all__ = [
    "CachePolicy",
    "bypass",
    "cached_fragment",
    "cached_page",
    "forget_local_copies",
    "fragment_key",
    "invalidate",
    "invalidate_after_commit",
    "invalidate_on_change",
    "keep",
    "kept",
    "page_path",
    "register_next_change",
    "skip_storing",
    "tag",
]
