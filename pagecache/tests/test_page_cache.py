"""Anonymous pages come from the shared cache and change the moment their content does."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article
from comments.models import Comment
from core.models import SiteSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def test_second_anonymous_request_is_served_from_the_cache(client):
    article = make_article(title="Pacing your day")
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert "Pacing your day" in second.content.decode()


def test_each_cached_copy_gets_its_own_nonce_matching_its_header(client):
    article = make_article()
    client.get(article.get_absolute_url())
    hits = [Client().get(article.get_absolute_url()) for _ in range(2)]
    nonces = []
    for response in hits:
        assert response["X-Page-Cache"] == "hit"
        header = response["Content-Security-Policy"]
        nonce = header.split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"' in response.content.decode()
        assert "__CSP_NONCE_PLACEHOLDER__" not in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_publishing_a_draft_shows_on_the_next_anonymous_request(client):
    make_article(title="Already live")
    draft = make_article(title="Brand new advice", status=Article.Status.DRAFT)
    assert "Brand new advice" not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"

    draft.status = Article.Status.PUBLISHED
    draft.save()

    assert "Brand new advice" in client.get("/").content.decode()


def test_editing_an_article_shows_on_the_next_anonymous_request(client):
    article = make_article(title="Old title")
    client.get(article.get_absolute_url())
    article.title = "Clearer title"
    article.save()
    assert "Clearer title" in client.get(article.get_absolute_url()).content.decode()


def test_changing_site_settings_shows_on_the_next_anonymous_request(client):
    make_article()
    client.get("/")
    site = SiteSettings.load()
    site.clinic_name = "Northside Pain Care"
    site.save()
    assert "Northside Pain Care" in client.get("/").content.decode()


def test_a_scheduled_article_appears_when_its_time_comes_without_any_save(client):
    make_article(title="Live now")
    make_article(title="Coming soon", publish_at=timezone.now() + timedelta(seconds=30))
    assert "Coming soon" not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"

    later = timezone.now() + timedelta(seconds=31)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("pagecache.storage.time.time", return_value=time.time() + 31),
    ):
        response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Coming soon" in response.content.decode()


def test_staff_always_see_fresh_pages(client):
    article = make_article(title="Staff view")
    client.get(article.get_absolute_url())
    staff = User.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_search_results_are_cached_per_query(client):
    make_article(title="Sleep and pain")
    client.get("/search/?q=sleep")
    assert client.get("/search/?q=Sleep")["X-Page-Cache"] == "hit"
    assert client.get("/search/?q=pain")["X-Page-Cache"] == "miss"


def test_a_comment_can_be_posted_from_a_cached_page_with_csrf_enforced():
    article = make_article(title="Heat or ice?")
    Client().get(article.get_absolute_url())  # another reader fills the cache

    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    html = page.content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token != "__CSRF_TOKEN_PLACEHOLDER__"

    response = reader.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {"name": "Rosa", "email": "rosa@example.org", "body": "Ice helped me most.", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert Comment.objects.filter(article=article, name="Rosa").count() == 1


def test_approving_a_comment_shows_on_the_next_anonymous_request(client):
    article = make_article()
    comment = Comment.objects.create(
        article=article, name="Sam", email="sam@example.org", body="Gentle walks help.", status="pending"
    )
    assert "Gentle walks help." not in client.get(article.get_absolute_url()).content.decode()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    comment.status = "approved"
    comment.save()

    assert "Gentle walks help." in client.get(article.get_absolute_url()).content.decode()


def test_a_new_pending_comment_does_not_empty_the_cache(client):
    article = make_article()
    client.get(article.get_absolute_url())
    Comment.objects.create(article=article, name="Bot", email="bot@example.org", body="Buy now", status="spam")
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_reader_revalidating_an_unchanged_article_gets_304_and_an_edited_one_in_full(client):
    from pagecache import storage

    article = make_article(title="Heat or ice", slug="heat-or-ice")
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    # Another reader's copy differs only in its token and nonce: the same version.
    assert Client().get(article.get_absolute_url())["ETag"] == etag
    assert Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    article.title = "Heat or ice: which helps"
    article.save()
    storage.local_copies.clear()
    again = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and "which helps" in again.content.decode()
