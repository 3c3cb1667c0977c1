"""Cached pages answered early: the same headers, a working CSRF cookie, nothing stale."""

from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from comments.models import Comment
from pagecache import storage, versions
from pagecache.policy import path_tag

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def _form_token(response):
    return response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


@pytest.fixture
def cached_article():
    article = make_article(title="Moving with a sore back")
    assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    return article


def test_a_hit_carries_every_security_header_of_a_fresh_page(cached_article, settings):
    settings.SECURE_HSTS_SECONDS = 0
    fresh = Client().get(cached_article.get_absolute_url() + "?fresh=1")
    hit = Client().get(cached_article.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    for header in (
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "Content-Type",
    ):
        assert hit[header] == fresh[header], header
    nonce = hit["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert hit["Content-Security-Policy"].replace(nonce, "N") == fresh["Content-Security-Policy"].replace(
        fresh["Content-Security-Policy"].split("'nonce-")[1].split("'")[0], "N"
    )
    assert int(hit["Content-Length"]) == len(hit.content)


def test_a_new_reader_gets_a_csrf_cookie_matching_the_form_token(cached_article):
    hit = Client().get(cached_article.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    secret = hit.cookies["csrftoken"].value
    token = _form_token(hit)
    assert len(token) == 64
    assert _unmask_cipher_token(token) == secret
    assert hit.cookies["csrftoken"]["httponly"]


def test_a_returning_reader_keeps_the_secret_so_forms_in_other_tabs_still_post(cached_article):
    reader = Client(enforce_csrf_checks=True)
    first_tab = reader.get(cached_article.get_absolute_url())
    second_tab = reader.get(cached_article.get_absolute_url())
    assert second_tab["X-Page-Cache"] == "hit"
    assert _form_token(first_tab) != _form_token(second_tab)  # a fresh mask each time
    assert reader.cookies["csrftoken"].value == first_tab.cookies["csrftoken"].value

    response = reader.post(
        reverse("comments:post", kwargs={"slug": cached_article.slug}),
        {
            "name": "Ines",
            "email": "ines@example.org",
            "body": "Short walks every hour help me.",
            "csrfmiddlewaretoken": _form_token(first_tab),
        },
    )
    assert response.status_code == 302
    assert Comment.objects.filter(name="Ines").count() == 1


def test_a_reader_with_a_waiting_message_gets_a_fresh_page(cached_article):
    reader = Client()
    reader.cookies["messages"] = "anything"
    assert reader.get(cached_article.get_absolute_url()).get("X-Page-Cache") != "hit"


def test_a_reader_with_a_session_cookie_gets_a_fresh_page_that_is_not_stored(cached_article):
    """Whether a session is signed in is known only by reading it: such readers are answered fresh."""
    reader = Client()
    reader.cookies["sessionid"] = "no-such-session"
    response = reader.get(cached_article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "Moving with a sore back" in response.content.decode()


def test_a_change_made_by_another_worker_is_seen_despite_this_workers_memory(cached_article):
    assert Client().get(cached_article.get_absolute_url())["X-Page-Cache"] == "hit"
    # Another process saves the article: the row changes and the site's version and the change
    # counter move on, but this process's in-memory copies and remembered versions are not told.
    type(cached_article).objects.filter(pk=cached_article.pk).update(title="Moving gently with back pain")
    cache.incr(versions.version_key(versions.SITE))
    cache.incr(versions.CHANGES_KEY)

    response = Client().get(cached_article.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Moving gently with back pain" in response.content.decode()


def test_pages_are_kept_in_memory_only_up_to_the_limit(settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 2
    articles = [make_article(title=f"Stretch {n}", slug=f"stretch-{n}") for n in range(3)]
    for article in articles:
        Client().get(article.get_absolute_url())
    caches["pages"].clear()  # the shared copies are gone; only the newest two remain in this process
    answers = [Client().get(article.get_absolute_url())["X-Page-Cache"] for article in reversed(articles)]
    assert answers == ["hit", "hit", "miss"]


def test_campaign_tags_in_the_address_share_the_cached_copy(cached_article):
    response = Client().get(cached_article.get_absolute_url(), {"utm_source": "newsletter", "utm_medium": "email"})
    assert response["X-Page-Cache"] == "hit"
    assert "Moving with a sore back" in response.content.decode()


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=1&page=2", "page=007", "reply_to=1"])
def test_pages_for_odd_or_personal_addresses_are_rendered_fresh_and_not_stored(query):
    make_article(title="Sleep when pain wakes you")
    for _ in range(2):
        response = Client().get(f"/?{query}")
        assert "X-Page-Cache" not in response, query


def test_a_later_page_of_a_list_is_a_copy_of_its_own():
    for n in range(13):
        make_article(title=f"Gentle exercise {n}", slug=f"gentle-exercise-{n}")
    assert Client().get("/", {"page": "2"})["X-Page-Cache"] == "miss"
    second = Client().get("/", {"page": "2"})
    assert second["X-Page-Cache"] == "hit"
    assert second.content != Client().get("/").content


def test_a_change_inside_a_transaction_clears_the_cache_again_once_committed(
    cached_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        cached_article.title = "Moving gently"
        cached_article.save()
        page_tags = [path_tag(cached_article.get_absolute_url())]
        versions_before_commit = versions.read_versions(page_tags)
    assert callbacks, "no invalidation waits for the commit"
    for callback in callbacks:
        callback()
    assert versions.read_versions(page_tags) != versions_before_commit


def test_after_an_edit_a_worker_serves_the_page_another_worker_stored_without_rendering(cached_article):
    """Each worker keeps its own copies: one left holding the page from before the edit takes the
    fresh page another worker stored from the shared cache rather than render it again."""
    url = cached_article.get_absolute_url()
    other_worker = type(storage.local_copies)()
    with mock.patch.object(storage, "local_copies", other_worker):
        assert Client().get(url)["X-Page-Cache"] == "hit"  # now in the other worker's memory too
    cached_article.title = "Moving gently with a sore back"
    cached_article.save()
    assert Client().get(url)["X-Page-Cache"] == "miss"  # this worker renders and stores it

    with mock.patch.object(storage, "local_copies", other_worker):
        response = Client().get(url)
    assert response["X-Page-Cache"] == "hit"
    assert response.templates == []  # nothing rendered
    assert "Moving gently with a sore back" in response.content.decode()


def test_a_valid_copy_in_memory_is_served_without_reading_the_shared_page_cache(cached_article):
    with mock.patch.object(caches["pages"], "get", side_effect=AssertionError("read the shared page cache")):
        assert Client().get(cached_article.get_absolute_url())["X-Page-Cache"] == "hit"
