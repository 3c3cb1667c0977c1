"""The article's text, byline and related articles are kept rendered between requests, and every
change readers must see shows on the next render (the page cache is off in these tests)."""

import time
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from articles.models import Article, Category, Clinician
from articles.tests.factories import make_article, make_category
from articles.tests.test_views import staff_editor
from core.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return make_category(name="Knees", slug="knees")


@pytest.fixture
def article(category):
    return make_article(title="Living with knee pain", slug="knee-pain", category=category)


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def kept_keys(name):
    return [key for key in caches["fragments"]._cache if f"fragment:{name}:" in key]


def test_the_article_part_is_kept_after_the_first_render(client, article):
    page(client, article)

    assert len(kept_keys("article-content")) == 1


def test_an_edit_to_the_article_shows_on_the_next_render(client, article):
    page(client, article)

    article.title = "Knee pain: what helps"
    article.body = "## Moving\n\nGentle cycling keeps the joint moving."
    article.save()

    html = page(client, article)
    assert "Knee pain: what helps" in html
    assert "Gentle cycling keeps the joint moving." in html


@pytest.mark.parametrize(
    ("shown", "field", "value"),
    [
        (lambda article: Category.objects.get(pk=article.category_id), "name", "Knee and leg"),
        (lambda article: Clinician.objects.get(pk=article.author_id), "credentials", "FRCP, Rheumatology"),
        (
            lambda article: SiteSettings.load(),
            "medical_disclaimer",
            "Ask your own doctor before changing any treatment.",
        ),
    ],
    ids=["category", "clinician", "site-settings"],
)
def test_a_change_to_what_the_article_shows_appears_on_the_next_render(client, article, shown, field, value):
    page(client, article)

    row = shown(article)
    setattr(row, field, value)
    row.save()

    assert value in page(client, article)


def test_a_newly_published_article_of_the_category_shows_among_related_ones(client, article, category):
    page(client, article)

    make_article(title="Knee braces explained", category=category)

    assert "Knee braces explained" in page(client, article)


def test_a_scheduled_article_shows_among_related_ones_once_its_time_has_come(client, article, category):
    """No save happens when its time comes: the kept part must not outlive the publication time."""
    soon = timezone.now() + timedelta(seconds=2)
    make_article(title="Knee surgery: the first week", category=category, publish_at=soon)
    assert "Knee surgery: the first week" not in page(client, article)
    assert "Knee surgery: the first week" not in page(client, article)

    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.2)

    assert "Knee surgery: the first week" in page(client, article)


def test_unpublishing_a_related_article_removes_it(client, article, category):
    other = make_article(title="Knee braces explained", category=category)
    assert "Knee braces explained" in page(client, article)

    other.status = Article.Status.DRAFT
    other.save()

    assert "Knee braces explained" not in page(client, article)


def test_a_staff_preview_is_never_kept_nor_served_from_the_kept_copy(client, category):
    draft = make_article(title="Draft about knee injections", category=category, status=Article.Status.DRAFT)
    editor = staff_editor()
    client.force_login(editor)

    html = page(client, draft)

    assert "Draft about knee injections" in html and "Preview" in html
    assert kept_keys("article-content") == []


def test_two_readers_get_their_own_csrf_token_and_nonce_around_the_kept_part(article):
    first, second = page(Client(), article), page(Client(), article)

    assert len(kept_keys("article-content")) == 1
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:64] != second.split(token)[1][:64]
    assert first.split('nonce="')[1][:20] != second.split('nonce="')[1][:20]
