import json
import logging
import re
import time
import uuid

from django.conf import settings
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


class RequestLogMiddleware:
    """One JSON line per request: request id, method, path, status, duration, page cache, instance.

    The id is the proxy's `X-Request-ID` when it sends a well-formed one (nginx's `$request_id`),
    so a request can be followed from the proxy's log to the instance's; else a fresh one. It is
    sent back in `X-Request-ID`. Listed first in MIDDLEWARE, so the duration covers the whole stack.
    No address, query string or cookie is logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if settings.REQUEST_LOG:
            line = {
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path[:300],
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "cache": response.get("X-Page-Cache", "-"),
                "instance": settings.INSTANCE_NAME,
            }
            request_logger.info(json.dumps(line, separators=(",", ":")))
        return response
