"""One middleware, right after CsrfViewMiddleware: answers hits early, stores misses on the way out.

Every request gets its `RequestVersions` here, so everything rendered for it (the page, its
fragments) reads each tag's version once, and writes to the shared caches only when the answer
is a 200: a 404, a redirect or an error leaves nothing behind, whatever address was asked for.

A hit skips everything after it in the stack (authentication, messages, the view). A miss is
stored only when nothing about the response was the reader's own: status 200, no cookie set
by the view, no `Cache-Control: private`/`no-store`, nothing written to the session and no
message added or shown while it was rendered (those cookies are added further out in the stack,
so the request's own state is what tells). Reading the session is harmless here: a request
without a session cookie has an empty one, which is every anonymous reader's.
"""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

from pagecache import compression, policy, splicing, storage
from pagecache.versions import RequestVersions, this_request

_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def _may_keep(response):
    """Only a good answer keeps anything: what a 404 or an error rendered may be junk."""
    return response.status_code == 200 and not response.streaming


def _was_personal(request, response):
    if response.cookies:
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


def _answer(entry, request):
    """The stored page, with this reader's own token and nonce; gzipped from its stored
    compressed pieces when the client takes gzip."""
    deflated = entry.get("deflated")
    content = None
    if deflated is not None and compression.accepted(request, offered=("gzip",)):
        content = splicing.fill_gzip(entry, request)
    packed = content is not None
    if not packed:
        content = splicing.fill(entry, request)  # compressed on the way out if the client takes it
    response = HttpResponse(content, status=entry["status"])
    for header, value in entry["headers"].items():
        response[header] = value
    if deflated is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    if packed:
        response["Content-Encoding"] = "gzip"
    if splicing.carries_token(entry):
        # The token is this reader's: no shared cache may hand it to another.
        response["Cache-Control"] = "private, no-cache"
    response["Content-Length"] = str(len(content))
    response["X-Page-Cache"] = "hit"
    response["ETag"] = compression.weak_etag(entry["etag"]) if packed else entry["etag"]
    if any(header in request.META for header in _CONDITIONAL_HEADERS):
        # A browser asking whether its copy is still good gets 304 and no body.
        return get_conditional_response(request, etag=entry["etag"], response=response) or response
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with RequestVersions() as request_versions:
            shared = policy.cacheable(request)
            if shared is None:
                response = self.get_response(request)
                request_versions.finish(keep=_may_keep(response))
                return response
            request.page_cache = shared
            key = storage.key_for(shared.address)
            entry = storage.lookup(key, request_versions)
            if entry is not None:
                return _answer(entry, request)
            # Read before rendering: a change committed while the page renders leaves it stale-marked.
            request_versions.read(shared.tags)
            response = self.get_response(request)
            if (
                request_versions.finish(keep=_may_keep(response))
                and not request_versions.changed
                and not _was_personal(request, response)
                and storage.store(key, request, response, request_versions.read(shared.tags))
            ):
                response["X-Page-Cache"] = "miss"
            return response


def skip_storing(request):
    """Mark this response as one reader's own (it shows something only they may see)."""
    request.page_cache_skip = True


def tag(request, *tags):
    """Record that the page being rendered shows what `tags` name (`"product:7"`), so that
    `invalidate(pages=["product:7"])` drops it. Call it before reading what the tag stands for."""
    shared = getattr(request, "page_cache", None)
    request_versions = this_request()
    if shared is not None and request_versions is not None and tags:
        shared.tags.extend(tags)
        request_versions.read(tags)
