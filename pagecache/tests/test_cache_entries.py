"""What the page cache writes to the shared caches: nothing for an answer it does not keep, and
nothing that never expires. Checked on the backends the site runs on, the file cache and Redis."""

import pickle
import uuid
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

import pagecache
from articles.tests.factories import make_article
from comments.tests.factories import make_comment
from core.models import SITE_SETTINGS_CACHE_KEY
from shop.tests.factories import make_product
from tests.support.redis import redis_is_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

REDIS_URL = "redis://127.0.0.1:6379/11"


class FileCaches:
    """The site's shared caches without Redis: one folder of files each."""

    def __init__(self, folder):
        self.folder = folder
        self.settings = {
            "default": {"BACKEND": "core.cache.FileCache", "LOCATION": str(folder)},
            "pages": {"BACKEND": "core.cache.FileCache", "LOCATION": str(folder / "pages")},
        }

    def entries(self):
        return sorted(str(path) for path in Path(self.folder).rglob("*.djcache"))

    def never_expiring(self):
        never = []
        for name in self.entries():
            with open(name, "rb") as entry:
                if pickle.load(entry) is None:  # noqa: S301 - the test's own cache files
                    never.append(name)
        return never

    def forget(self):
        pass


class RedisCaches:
    """The site's shared caches with Redis, under a prefix of this test's own."""

    def __init__(self):
        self.prefix = f"pagecache-test-{uuid.uuid4().hex}"
        self.client = redis.Redis.from_url(REDIS_URL)
        options = {"socket_connect_timeout": 1, "socket_timeout": 2}
        self.settings = {
            "default": {
                "BACKEND": "core.cache.ForgivingRedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": self.prefix,
                "OPTIONS": options,
            },
            "pages": {
                "BACKEND": "core.cache.ForgivingRedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"{self.prefix}-pages",
                "OPTIONS": options,
            },
        }

    def entries(self):
        return sorted(key.decode() for key in self.client.scan_iter(match=f"{self.prefix}*", count=1000))

    def never_expiring(self):
        return [key for key in self.entries() if self.client.ttl(key) == -1]

    def forget(self):
        for key in self.entries():
            self.client.delete(key)


@pytest.fixture(params=["file", "redis"])
def shared_caches(request, settings, tmp_path):
    """The default and pages caches on the file cache or on Redis (skipped when Redis is down);
    the fragments stay in this process's memory, as on the site."""
    if request.param == "redis" and not redis_is_up(REDIS_URL):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    backends = FileCaches(tmp_path / "cache") if request.param == "file" else RedisCaches()
    original = settings.CACHES
    settings.CACHES = {**backends.settings, "fragments": original["fragments"]}
    pagecache.forget_local_copies()
    yield backends
    backends.forget()
    settings.CACHES = original  # before the shared clean-up clears the default cache


def fragments():
    return sorted(caches["fragments"]._cache)


def test_missing_articles_add_no_cache_entries(shared_caches):
    article = make_article(title="Ice or heat", slug="ice-or-heat")
    assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert Client().get("/articles/no-such-article/").status_code == 404
    before, kept_before = shared_caches.entries(), fragments()

    for _ in range(200):
        assert Client().get(f"/articles/{uuid.uuid4().hex}/").status_code == 404

    assert shared_caches.entries() == before
    assert fragments() == kept_before


@pytest.mark.urls("pagecache.tests.urls")
@pytest.mark.parametrize("status", [301, 302, 400, 404, 410, 500, 503])
def test_an_answer_that_is_not_stored_writes_nothing_at_all(shared_caches, status):
    """Not the page, nor the versions of its tags, nor the fragments it rendered."""
    for _ in range(20):
        name = uuid.uuid4().hex
        response = Client().get(f"/answers/{status}/{name}/")
        assert response.status_code == status
        assert response.content == f"fragment {name}".encode()

    assert shared_caches.entries() == []
    assert fragments() == []


@pytest.mark.urls("pagecache.tests.urls")
def test_the_same_view_answering_200_is_stored_with_its_fragment(shared_caches):
    """The view of the test above keeps what it should when its answer is good."""
    assert Client().get("/answers/200/kept/")["X-Page-Cache"] == "miss"
    assert Client().get("/answers/200/kept/")["X-Page-Cache"] == "hit"
    assert shared_caches.entries() != []
    assert len(fragments()) == 1


def test_every_entry_written_while_readers_browse_and_editors_change_pages_expires(shared_caches):
    article = make_article(title="Sleep and back pain", slug="sleep-and-back-pain")
    make_comment(article, body="A pillow between the knees helps.")
    product = make_product(slug="warming-balm")
    pages = [
        "/",
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        article.author.get_absolute_url(),
        reverse("shop:list"),
        product.get_absolute_url(),
        reverse("topics:board"),
    ]
    for url in pages * 2:
        assert Client().get(url).status_code == 200, url
    article.title = "Sleeping with back pain"
    article.save()
    product.name = "Warming balm, large"
    product.save()
    pagecache.invalidate()
    for url in pages:
        assert Client().get(url).status_code == 200, url

    assert shared_caches.entries() != []
    assert shared_caches.never_expiring() == []
    kept_fragments = [key for key in fragments() if ":fragment:" in key]  # the ones the page cache keeps
    assert kept_fragments != []
    assert [key for key in kept_fragments if caches["fragments"]._expire_info[key] is None] == []


def test_a_page_rendered_afresh_reads_each_shared_key_once():
    article = make_article(title="Walking with sciatica", slug="walking-with-sciatica")
    for number in range(3):
        make_comment(article, body=f"Comment {number}")
    make_product(slug="cooling-gel", featured=True)
    Client().get(article.get_absolute_url())
    article.title = "Walking with sciatica, gently"
    article.save()
    read, inside_get_many = Counter(), []
    real_get, real_get_many = cache.get, cache.get_many

    def get(key, *args, **kwargs):
        if not inside_get_many:  # the memory cache's get_many() calls get() for each key
            read[key] += 1
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        read.update(keys)
        inside_get_many.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    with mock.patch.object(cache, "get", get), mock.patch.object(cache, "get_many", get_many):
        response = Client().get(article.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert "gently" in response.content.decode()
    del read[SITE_SETTINGS_CACHE_KEY]  # the site's own, read by the templates
    assert [key for key, times in read.items() if times > 1] == [], read
