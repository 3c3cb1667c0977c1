"""One middleware, right after CsrfViewMiddleware: answers hits early, stores misses on the way out.

A hit skips everything after it in the stack (authentication, messages, the view). A miss is
stored only when nothing about the response was the reader's own: status 200, no cookie set
by the view, no `Cache-Control: private`/`no-store`, nothing written to the session and no
message added or shown while it was rendered (those cookies are added further out in the stack,
so the request's own state is what tells). Reading the session is harmless here: a request
without a session cookie has an empty one, which is every anonymous reader's.
"""

from pagecache import policy, store, versions


def _was_personal(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return True
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return True
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return True
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages._queued_messages or getattr(messages, "_loaded_data", None)):
        return True
    return getattr(request, "page_cache_skip", False)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        shared = policy.cacheable(request)
        if shared is None:
            return self.get_response(request)
        request.page_cache = shared
        key = store.key_for(shared.address)
        # Read before rendering: a change committed while the page renders leaves it stale-marked.
        recorded = versions.tag_versions(shared.tags)
        entry = store.lookup(key, recorded)
        if entry is not None:
            return store.response_from(entry, request)
        request.page_cache_versions = recorded
        response = self.get_response(request)
        if not _was_personal(request, response) and store.store(key, request, response, request.page_cache_versions):
            response["X-Page-Cache"] = "miss"
        return response


def skip_storing(request):
    """Mark this response as one reader's own (it shows something only they may see)."""
    request.page_cache_skip = True


def tag(request, *tags):
    """Record that the page being rendered shows what `tags` name (`"product:7"`), so that
    `invalidate(pages=["product:7"])` drops it. Call it before reading what the tag stands for."""
    recorded = getattr(request, "page_cache_versions", None)
    if recorded is not None and tags:
        recorded.update(versions.tag_versions(tags))
