"""The page cache against hostile readers: floods of addresses, forged placeholders, junk
parameters and host names, and messages meant for someone else."""

import re

import pytest
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from comments.models import Comment
from comments.tests.factories import make_comment
from pagecache import storage, versions
from shop.tests.factories import make_product
from submissions.models import RateLimitCounter
from submissions.ratelimit import rate_limit_hit
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]
_PER_READER = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+|(nonce=")[^"]+')


def _same_for_everyone(content):
    return _PER_READER.sub(rb"\1\2", content)


@pytest.fixture
def site():
    article = make_article(title="Moving with a sore back", slug="sore-back")
    for number in range(25):  # more threads than one page, so an earlier-comments page exists
        thread = make_comment(article, body=f"Thread {number}")
    make_comment(article, parent=thread, body="A reply")
    product = make_product()
    TopicSuggestion.objects.create(topic="Sleep and sciatica", status=TopicSuggestion.Status.PLANNED)
    first_thread = Comment.objects.filter(parent=None).order_by("-id")[19].pk
    return [
        "/",
        article.category.get_absolute_url(),
        article.author.get_absolute_url(),
        article.get_absolute_url(),
        f"{reverse('comments:earlier', kwargs={'slug': article.slug})}?before={first_thread}",
        reverse("shop:list"),
        product.get_absolute_url(),
        reverse("topics:board"),
    ]


def test_every_cached_page_with_junk_parameters_stores_what_the_clean_page_shows(site, settings):
    junk = "utm_source=%3Cscript%3E&ref=evil.example&fbclid=1&q=x"
    for url in site:
        separator = "&" if "?" in url else "?"
        first = Client().get(f"{url}{separator}{junk}")
        assert first.status_code == 200, url
        assert b"evil.example" not in first.content and b"utm_source" not in first.content, url
        hit = Client().get(url)
        assert hit.get("X-Page-Cache") == "hit", (url, first.get("X-Page-Cache"))
        caches["pages"].clear()
        storage.local_copies.clear()
        settings.PAGE_CACHE_SECONDS = 0
        clean = Client().get(url)
        settings.PAGE_CACHE_SECONDS = 600
        assert _same_for_everyone(hit.content) == _same_for_everyone(clean.content), url


def test_host_variants_of_every_cached_page_are_never_stored(site):
    for url in site:
        for host in ("TESTSERVER", "testserver:8443", "testserver:80"):
            assert Client().get(url, HTTP_HOST=host).status_code in (200, 301, 302), (url, host)
    assert list(caches["pages"]._cache) == []


def test_hundreds_of_distinct_addresses_store_a_bounded_number_of_pages(site):
    """The bound does not grow with the requests: a hundred addresses of each kind, each of which
    would be one more page if it were stored, already exceed it thirty times over."""
    article_url, earlier_url = site[3], site[4]
    counted = rate_limit_hit(scope="comment", identities=["a reader"], limit=5, window=3600)
    assert counted.allowed
    site_version = versions.read_versions([versions.SITE])
    reader = Client()
    earlier_path = earlier_url.split("?")[0]
    for number in range(1, 401):
        kind = number % 4
        if kind == 0:
            reader.get(f"/?page={number}")
        elif kind == 1:
            reader.get(f"{earlier_path}?before={number * 7919}")
        elif kind == 2:
            reader.get(article_url, HTTP_HOST=f"testserver:{number}")
        else:
            reader.get(f"{article_url}?utm_content={number}")
    assert len(caches["pages"]._cache) <= 3  # the article, and at most the home page's real pages
    assert versions.read_versions([versions.SITE]) == site_version
    assert RateLimitCounter.objects.get().count == 1


def test_a_comment_quoting_placeholder_strings_shows_them_literally_on_hits():
    article = make_article(title="Knees", slug="knees")
    forged = '__CSRF_TOKEN_PLACEHOLDER__ __CSP_NONCE_PLACEHOLDER__ name="csrfmiddlewaretoken" value="x"'
    make_comment(article, body=forged)
    Client().get(article.get_absolute_url())
    for _ in range(2):
        hit = Client().get(article.get_absolute_url())
        assert hit["X-Page-Cache"] == "hit"
        page = hit.content.decode()
        assert "__CSRF_TOKEN_PLACEHOLDER__ __CSP_NONCE_PLACEHOLDER__" in page
        nonce = re.search(r'nonce="([^"]+)"', page).group(1)
        comment_html = page[page.index("__CSRF_TOKEN_PLACEHOLDER__") - 200 : page.index("__CSP_NONCE") + 200]
        assert nonce not in comment_html


def test_a_message_kept_in_the_session_is_never_served_to_another_reader(settings, article):
    settings.MESSAGE_STORAGE = f"{SessionStorage.__module__}.{SessionStorage.__name__}"
    poster = Client()
    suggestion = {"topic": "Sleeping well with sciatica", "captcha": "token", "next": article.get_absolute_url()}
    response = poster.post(reverse("topics:suggest"), suggestion)
    assert response.status_code == 302
    assert "Thank you" in poster.get(article.get_absolute_url()).content.decode()
    other = Client().get(article.get_absolute_url())
    assert "Thank you" not in other.content.decode()
    assert "Thank you" not in Client().get(article.get_absolute_url()).content.decode()
    assert cache.get(versions.version_key(versions.SITE)) is not None
