import logging
import re
import time
import uuid
from json.encoder import encode_basestring_ascii as _json_string

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control


def _is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy, and who may keep a copy of what.

    - admin pages, and a form shown again after a POST (it repeats what the reader typed, their
      email included): `no-store`;
    - an HTML page carrying a CSRF token (the reader's own, on cached pages too; CsrfViewMiddleware
      sends its cookie with every page that used one): `private`, so no shared cache hands one
      reader's token to another;
    - a public answer that says nothing itself (feeds, the sitemap, uploads): `public` for a while.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.media_prefix = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else None

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith("/" + settings.ADMIN_URL):
            response.headers.setdefault("Cache-Control", "no-store, private")
        elif request.method == "POST" and 400 <= response.status_code < 500 and _is_html(response):
            response["Cache-Control"] = "no-store, private"
        elif _is_html(response) and settings.CSRF_COOKIE_NAME in response.cookies:
            if "no-store" not in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True, no_cache=True)
        elif self._is_public(request, response):
            seconds = settings.PUBLIC_CACHE_SECONDS
            if self.media_prefix and request.path.startswith(self.media_prefix):
                seconds = settings.MEDIA_CACHE_SECONDS
            response["Cache-Control"] = f"public, max-age={seconds}"
        return response

    @staticmethod
    def _is_public(request, response):
        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Cache-Control")
            and not response.cookies
            and not _is_html(response)
            and not response.has_header("Vary")
        )


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_logger = logging.getLogger("clinic.requests")


def request_log_line(request_id, method, path, status, duration_ms, cache, instance):
    """The request's JSON line, written out field by field: the same text `json.dumps` gives for
    the dict, at a fraction of its cost on every request (the id is checked to need no escaping)."""
    return (
        f'{{"request_id":"{request_id}","method":{_json_string(method)},"path":{_json_string(path)},'
        f'"status":{status:d},"duration_ms":{duration_ms!r},"cache":{_json_string(cache)},'
        f'"instance":{_json_string(instance)}}}'
    )


# URL parts that work as keys (a password reset link's, an unsubscribe link's): never logged.
SECRET_URL_PARTS = ("token",)


def logged_path(request, response):
    """The path, with each URL part named in SECRET_URL_PARTS blanked (`[token]`): the log is read by
    more people, and kept longer, than a reset link may be.

    A request answered before its URL was resolved (sent to sign in, or to the second step) is
    resolved here; the 200s that skip resolving (static files, cached pages) carry no key."""
    match = getattr(request, "resolver_match", None)
    if match is None and response.status_code not in (200, 404):  # a 404 found no route to resolve
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            match = None
    secrets = {match.kwargs[name] for name in SECRET_URL_PARTS if match and match.kwargs.get(name)}
    if not secrets:
        return request.path[:300]
    return "/".join("[token]" if part in secrets else part for part in request.path.split("/"))[:300]


class RequestLogMiddleware:
    """One JSON line per request: request id, method, path, status, duration, page cache, instance.

    The id is the proxy's `X-Request-ID` when it sends a well-formed one (nginx's `$request_id`),
    so a request can be followed from the proxy's log to the instance's; else a fresh one. It is
    sent back in `X-Request-ID`. Listed first in MIDDLEWARE, so the duration covers the whole stack.
    No address, query string, cookie or key in the path is logged. The record is handed to the logger's handlers
    directly: looking up the caller's file and line, as `logger.info()` does, would say nothing here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if settings.REQUEST_LOG and request_logger.isEnabledFor(logging.INFO):
            line = request_log_line(
                request.request_id,
                request.method,
                logged_path(request, response),
                response.status_code,
                round((time.monotonic() - started) * 1000, 1),
                response.get("X-Page-Cache", "-"),
                settings.INSTANCE_NAME,
            )
            request_logger.handle(request_logger.makeRecord(request_logger.name, logging.INFO, "", 0, line, (), None))
        return response
