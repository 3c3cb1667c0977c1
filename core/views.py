from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core.queue_state import oldest_wait_seconds
from pagecache import CachePolicy


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /search/", "", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _database_check():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return "unavailable"


def _cache_check():
    try:
        cache.set("healthz", "ok", 5)
        return "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception:  # noqa: BLE001
        return "unavailable"


def _storage_check():
    """Object storage (or the media folder) answers a lookup; a missing file is an answer too."""
    try:
        default_storage.exists("healthz-probe")
        return "ok"
    except Exception:  # noqa: BLE001
        return "unavailable"


def _task_queue_check():
    """The worker keeps up: no job has waited longer than TASKS_READY_MAX_WAIT_SECONDS."""
    try:
        return "ok" if oldest_wait_seconds() <= settings.TASKS_READY_MAX_WAIT_SECONDS else "behind"
    except Exception:  # noqa: BLE001
        return "unavailable"


def _health_response(checks):
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


class FollowView(TemplateView):
    """ "Follow the clinic": the site's feeds and the community link, for readers who want to hear
    of new articles without checking the site. The same for every reader, so cached."""

    template_name = "core/follow.html"
    http_method_names = ["get", "head"]
    page_cache = CachePolicy()


@require_GET
def healthz(request):
    """For load balancers: 200 when the database and cache answer, 503 otherwise."""
    return _health_response({"database": _database_check(), "cache": _cache_check()})


@require_GET
def healthz_live(request):
    """Liveness: the process answers requests. Restart it only when this fails."""
    return _health_response({})


@require_GET
def healthz_ready(request):
    """Readiness: the database, the cache and the media storage answer, and the task queue keeps up
    (no mail or scheduled work waiting too long: start a worker). Send readers elsewhere while this
    fails; the process itself may be fine."""
    return _health_response(
        {
            "database": _database_check(),
            "cache": _cache_check(),
            "storage": _storage_check(),
            "tasks": _task_queue_check(),
        }
    )
