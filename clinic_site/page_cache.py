"""Whole-page cache for anonymous readers, shared by every web instance through Django's cache.

Why not Django's `cache_page`: our pages carry a CSRF token (comment and suggestion forms)
and a per-request CSP nonce, and both must be fresh for each reader. The cached copy
stores placeholders instead, and each hit gets a new token and nonce by a plain string
replacement, so forms keep working on cached pages without JavaScript.

A hit is answered by `PageCacheHitMiddleware`, early in the middleware stack (before sessions,
authentication and URL resolution), for requests without a session cookie; each worker keeps its
recently served pages in memory as well, so a hit rarely reads the shared cache beyond the
generation counter. `PageCacheMiddleware`, late in the stack, decides what may be stored.

Invalidation is by generation: any change to public content bumps one counter in the
cache, and every page key contains it, so all instances stop serving the old copies at
once. Scheduled articles are handled by never caching a page past the next `publish_at`.
"""

import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from clinic_site.csrf_tokens import get_token

GENERATION_KEY = "page-cache:generation"
NEXT_CHANGE_KEY = "page-cache:next-change"
CSRF_PLACEHOLDER = "__CSRF_TOKEN_PLACEHOLDER__"
NONCE_PLACEHOLDER = "__CSP_NONCE_PLACEHOLDER__"
_CSRF_BYTES = CSRF_PLACEHOLDER.encode()
_PLACEHOLDERS = re.compile(b"(" + re.escape(_CSRF_BYTES) + b"|" + re.escape(NONCE_PLACEHOLDER.encode()) + b")")
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{32,64})(")')
# Namespaces whose GET pages are public and the same for every anonymous reader.
CACHED_NAMESPACES = {"articles", "shop", "comments"}
# Views that vary by query string without bound (search) or act on a signed link.
UNCACHED_VIEW_NAMES = {"articles:search", "comments:unsubscribe", "comments:topic_unsubscribe"}
_STORED_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag", "Last-Modified")


class _LocalCopies:
    """The pages this worker served or stored most recently, newest last.

    Keys carry the generation, so a content change makes every copy unreachable at once in every
    worker; the oldest copies are dropped beyond `PAGE_CACHE_LOCAL_ENTRIES`.
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


_local_copies = _LocalCopies()


def forget_local_copies():
    """Drop this process's in-memory copies (the shared cache is left alone)."""
    _local_copies.clear()


def invalidate():
    """Forget every cached page, on every instance sharing this cache."""
    _local_copies.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)
    cache.delete(NEXT_CHANGE_KEY)


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = int(time.time() * 1000)
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def _seconds_until_next_change():
    """Seconds until the next scheduled article goes live (None if none is scheduled)."""
    next_change = cache.get(NEXT_CHANGE_KEY)
    if next_change is None:
        from articles.models import Article

        upcoming = (
            Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )
        next_change = upcoming.timestamp() if upcoming else 0
        cache.set(NEXT_CHANGE_KEY, next_change, settings.PAGE_CACHE_SECONDS)
    if not next_change:
        return None
    return next_change - time.time()


def _is_plain_read(request):
    """A GET or HEAD while the cache is on, with no one-time message waiting for this reader."""
    return request.method in ("GET", "HEAD") and settings.PAGE_CACHE_SECONDS and "messages" not in request.COOKIES


def _is_cacheable_request(request):
    if not _is_plain_read(request):
        return False
    match = request.resolver_match
    if match is None or match.namespace not in CACHED_NAMESPACES or match.view_name in UNCACHED_VIEW_NAMES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


# Query parameters a cached page depends on, each a positive whole number. Any other parameter
# (a newsletter's campaign tags, say) is left out of the key: no view reads it, and it must neither
# split one page into many copies nor fill the cache.
_KEYED_PARAMETERS = {"page", "before"}
# A reply form is one reader's: such pages are rendered fresh and never stored.
_UNCACHED_PARAMETERS = {"reply_to"}
_WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,17}")


def _keyed_query(request):
    """The part of the query string the page depends on, or None when it must not be cached."""
    parts = []
    for name in sorted(request.GET):
        if name in _UNCACHED_PARAMETERS:
            return None
        if name in _KEYED_PARAMETERS:
            values = request.GET.getlist(name)
            if len(values) != 1 or not _WHOLE_NUMBER.fullmatch(values[0]):
                return None
            parts.append(f"{name}={values[0]}")
    return "&".join(parts)


def _key(request):
    """The cache key of this request's page, or None when the page is not to be cached."""
    query = _keyed_query(request) if request.META.get("QUERY_STRING") else ""
    if query is None:
        return None
    return f"page:{_generation()}:{request.get_host()}:{escape_uri_path(request.path)}?{query}"


def _cached_entry(key):
    entry = _local_copies.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is None:
            return None
        _local_copies.put(key, entry)
    if entry["expires"] <= time.time():
        return None
    return entry


def _may_answer_early(request):
    """A plain read by a reader who is anonymous for certain (no session cookie)."""
    return _is_plain_read(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES


class PageCacheHitMiddleware:
    """Answers anonymous readers from the page cache; sits right after CsrfViewMiddleware.

    Only pages that PageCacheMiddleware judged public were stored, so the address alone decides.
    CsrfViewMiddleware has read the reader's CSRF cookie before this runs and sets it on the way
    out; everything after this in the stack (sessions are never touched, authentication, messages,
    URL resolution, the view) is skipped for a hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request) if _may_answer_early(request) else None
        if key is not None:
            entry = _cached_entry(key)
            if entry is not None:
                return _response_from_entry(request, entry)
        return self.get_response(request)


class PageCacheMiddleware:
    """Stores anonymous GET pages, and serves them to anonymous readers who carry a session
    cookie (a signed-out editor); sits after the auth and messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_page_cache_key", None) and response.get("X-Page-Cache") != "hit":
            store(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _is_cacheable_request(request):
            return None
        request._page_cache_key = _key(request)
        if request._page_cache_key is None:
            return None
        entry = _cached_entry(request._page_cache_key)
        if entry is None:
            return None
        return _response_from_entry(request, entry)


def _parts(entry):
    """The stored page cut at its placeholders (odd items), worked out once per copy in memory."""
    parts = entry.get("parts")
    if parts is None:
        parts = entry["parts"] = _PLACEHOLDERS.split(entry["content"])
    return parts


def _response_from_entry(request, entry):
    parts = _parts(entry)
    if len(parts) == 1:
        content = parts[0]
    else:
        fresh = {}  # one token and one nonce per response, however many forms and scripts use them
        for placeholder in parts[1::2]:
            if placeholder not in fresh:
                value = get_token(request) if placeholder == _CSRF_BYTES else str(request.csp_nonce)
                fresh[placeholder] = value.encode()
        content = b"".join(fresh[part] if index % 2 else part for index, part in enumerate(parts))
    response = HttpResponse(content, status=entry["status"])
    for header, value in entry["headers"].items():
        response[header] = value
    response["Content-Length"] = str(len(content))
    response["X-Page-Cache"] = "hit"
    return response


def store(request, response):
    """Keep a copy of a fresh anonymous page, with the per-reader parts replaced by placeholders."""
    key = getattr(request, "_page_cache_key", None)
    if key is None or response.status_code != 200 or response.streaming:
        return
    if settings.SESSION_COOKIE_NAME in response.cookies or "messages" in response.cookies:
        return
    if response.has_header("Cache-Control") and "private" in response["Cache-Control"]:
        return
    content = response.content
    content = _CSRF_INPUT.sub(rb"\1" + _CSRF_BYTES + rb"\3", content)
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):
        content = content.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
    timeout = settings.PAGE_CACHE_SECONDS
    until_next = _seconds_until_next_change()
    if until_next is not None:
        timeout = max(1, min(timeout, int(until_next)))
    headers = {header: response[header] for header in _STORED_HEADERS if response.has_header(header)}
    entry = {"content": content, "status": 200, "headers": headers, "expires": time.time() + timeout}
    cache.set(key, entry, timeout)
    _local_copies.put(key, entry)
    response["X-Page-Cache"] = "miss"


# --- Invalidation ---------------------------------------------------------------------

# Apps whose every change shows on public pages.
CONTENT_APPS = {"articles", "shop", "clinic_site"}
# Reader submissions only show on public pages in these states (comments, topic board).
PUBLIC_SUBMISSION_STATUSES = {"approved", "planned", "published"}


def _remember_status(sender, instance, **kwargs):
    if sender._meta.app_label != "comments" or not hasattr(instance, "status") or instance.pk is None:
        return
    instance._page_cache_old_status = (
        sender._default_manager.filter(pk=instance.pk).values_list("status", flat=True).first()
    )


def _invalidate_now_and_after_commit():
    """Now, and again once the change is committed: a page rendered from the old rows in between
    (another request reading before the commit) is dropped too."""
    invalidate()
    transaction.on_commit(invalidate)


def _content_changed(sender, instance, **kwargs):
    app_label = sender._meta.app_label
    if app_label in CONTENT_APPS:
        _invalidate_now_and_after_commit()
    elif app_label == "comments":
        statuses = {getattr(instance, "status", None), getattr(instance, "_page_cache_old_status", None)}
        if statuses & PUBLIC_SUBMISSION_STATUSES:
            _invalidate_now_and_after_commit()


def connect_invalidation():
    from django.db.models.signals import post_delete, post_save, pre_save

    pre_save.connect(_remember_status, dispatch_uid="page-cache-remember-status")
    post_save.connect(_content_changed, dispatch_uid="page-cache-save")
    post_delete.connect(_content_changed, dispatch_uid="page-cache-delete")
