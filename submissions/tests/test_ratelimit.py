"""Rate limits hold under concurrency: counted atomically, for the window's whole length."""

import threading
import time
import uuid
from types import SimpleNamespace

import pytest
import redis
from django.db import connections
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.tests.factories import comment_data
from submissions.models import RateLimitCounter
from submissions.ratelimit import _redis, rate_limit_hit
from tests.support.redis import redis_is_up

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each test runs with counters in the database (no Redis configured) and in Redis."""
    if request.param == "redis":
        if not redis_is_up(REDIS_URL):
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CACHES = {**settings.CACHES, "limits": redis_cache(REDIS_URL, "clinic-limits")}
    return request.param


def redis_cache(url, prefix):
    return {"BACKEND": "core.cache.ForgivingRedisCache", "LOCATION": url, "KEY_PREFIX": prefix}


def _post_concurrently(url, count, *, address, email):
    """`count` comment posts from one address at once; returns their status codes and bodies."""
    results = []
    start = threading.Barrier(count)

    def post(number):
        try:
            start.wait()
            response = Client().post(
                url, comment_data(email=email, body=f"Concurrent comment number {number}."), REMOTE_ADDR=address
            )
            results.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_against_a_limit_of_five_store_exactly_five(article, settings, store, monkeypatch):
    settings.SUBMISSIONS_RATE_LIMIT = 5
    settings.SUBMISSIONS_RATE_WINDOW_SECONDS = 3600
    # All twenty count in one window, even when the run crosses the hour: the limit's clock stands
    # at the start of the next window, which ends an hour after the real time at the earliest.
    standing = (int(time.time()) // 3600 + 1) * 3600 + 1
    monkeypatch.setattr("submissions.ratelimit.time", SimpleNamespace(time=lambda: standing))
    # Fresh identities: Redis keeps counters from earlier runs for the rest of their window.
    address = f"2001:db8:{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}::1"  # a /64 of its own
    email = f"{uuid.uuid4().hex}@example.com"

    url = reverse("comments:post", kwargs={"slug": article.slug})
    results = _post_concurrently(url, 20, address=address, email=email)

    statuses = sorted(status for status, _body in results)
    assert statuses == [302] * 5 + [429] * 15
    assert Comment.objects.count() == 5
    refused = [body for status, body in results if status == 429]
    # The refusal keeps what the reader typed, in the form, with the reason.
    assert all("several comments in a short time" in body for body in refused)
    assert all("Concurrent comment number" in body for body in refused)


@pytest.mark.django_db
def test_the_counter_lives_for_the_whole_window(store):
    scope = f"test-{uuid.uuid4().hex}"
    window_start = (int(time.time()) // 600) * 600
    rate_limit_hit(scope=scope, identities=["reader"], limit=5, window=600)
    rate_limit_hit(scope=scope, identities=["reader"], limit=5, window=600)
    if store == "redis":
        (key,) = _redis().keys(f"*ratelimit:{scope}:*")
        assert _redis().get(key) == b"2"
        expires_at = time.time() + _redis().ttl(key)
    else:
        counter = RateLimitCounter.objects.get(key__startswith=f"ratelimit:{scope}:")
        assert counter.count == 2
        expires_at = counter.expires_at.timestamp()
    # It expires when the window ends, not after a cache's default lifetime (300 s).
    assert window_start + 600 <= expires_at <= window_start + 602


@pytest.mark.django_db
def test_a_request_without_any_address_is_still_limited(store):
    scope = f"test-{uuid.uuid4().hex}"
    answers = [rate_limit_hit(scope=scope, identities=["", ""], limit=2, window=600).allowed for _ in range(3)]
    assert answers == [True, True, False]


@pytest.mark.django_db
def test_counters_live_in_the_limits_cache_never_beside_cached_pages(settings):
    """The limits cache is its own Redis database: a flush or a flood of pages there spares them."""
    if not redis_is_up(REDIS_URL):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    pages_url, limits_url = "redis://127.0.0.1:6379/11", "redis://127.0.0.1:6379/12"
    settings.CACHES = {
        **settings.CACHES,
        "default": redis_cache(pages_url, "clinic"),
        "pages": redis_cache(pages_url, "clinic-pages"),
        "limits": redis_cache(limits_url, "clinic-limits"),
    }
    scope = f"test-{uuid.uuid4().hex}"
    rate_limit_hit(scope=scope, identities=["reader", "reader@example.com"], limit=5, window=600)

    limits = redis.Redis.from_url(limits_url)
    pages = redis.Redis.from_url(pages_url)
    keys = limits.keys(f"*ratelimit:{scope}:*")
    assert len(keys) == 2
    assert pages.keys(f"*ratelimit:{scope}:*") == []
    assert RateLimitCounter.objects.count() == 0
    # Every key in the limits database expires.
    assert all(limits.ttl(key) > 0 for key in limits.keys("*"))
