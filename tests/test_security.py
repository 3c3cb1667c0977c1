"""CSRF on every POST, redirects that stay on the site, and pages that cannot be framed.

Admin lockout after repeated failed logins is tested in core/tests/test_admin_hardening.py;
hostile uploads (polyglots, SVG, renamed files) in tests/test_hostile_admin.py.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from comments.models import Comment
from shop.tests.factories import make_product
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]

OFFSITE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver.evil.example/",
    "https://testserver@evil.example/",
    " https://evil.example/",
    "\thttps://evil.example/",
    "https://evil.example/%2F..",
]


@pytest.fixture
def site(db):
    article = make_article(title="Easing lower back pain", slug="easing-back-pain")
    product = make_product(name="Warm cream", slug="warm-cream")
    planned = TopicSuggestion.objects.create(topic="Sleep", status=TopicSuggestion.Status.PLANNED)
    return article, product, planned


def post_endpoints(site):
    """Every URL of the site a browser could POST to, forms or not (POST-only views included)."""
    article, product, planned = site
    return {
        "comment": (
            reverse("comments:post", kwargs={"slug": article.slug}),
            {"name": "A", "email": "a@example.com", "body": "Hi"},
        ),
        "suggestion": (reverse("topics:suggest"), {"topic": "Sleep"}),
        "vote": (reverse("topics:vote", args=[planned.pk]), {}),
        "admin-login": (reverse("admin:login"), {"username": "chief", "password": "right horse battery"}),
        "home": (reverse("articles:home"), {}),
        "article": (article.get_absolute_url(), {}),
        "earlier-comments": (reverse("comments:earlier", kwargs={"slug": article.slug}) + "?before=1", {}),
        "search": (reverse("articles:search"), {"q": "back"}),
        "topics": (reverse("topics:board"), {}),
        "shop": (reverse("shop:list"), {}),
        "product": (product.get_absolute_url(), {}),
        "feed": (reverse("articles:feed"), {}),
        "sitemap": ("/sitemap.xml", {}),
        "robots": ("/robots.txt", {}),
    }


ENDPOINTS = [
    "comment", "suggestion", "vote", "admin-login", "home", "article", "earlier-comments", "search", "topics", "shop",
    "product", "feed", "sitemap", "robots",
]  # fmt: skip


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(site, name):
    User.objects.create_superuser("chief", password="right horse battery")
    url, data = post_endpoints(site)[name]
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, data)
    assert response.status_code == 403, response.status_code
    assert Comment.objects.count() == 0
    assert TopicSuggestion.objects.count() == 1 and TopicSuggestion.objects.get().votes == 0
    assert "_auth_user_id" not in client.session


def _token(client, page):
    html = client.get(page).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("name", ["comment", "suggestion", "vote"])
def test_a_post_with_the_pages_csrf_token_is_accepted(site, name):
    """The control for the test above: the same POST with the page's token goes through."""
    article, _product, _planned = site
    url, data = post_endpoints(site)[name]
    client = Client(enforce_csrf_checks=True)
    page = article.get_absolute_url() if name == "comment" else reverse("topics:board")
    response = client.post(url, {**data, "csrfmiddlewaretoken": _token(client, page)})
    assert response.status_code == 302


def test_a_csrf_token_from_another_browser_is_refused(site):
    article, _product, _planned = site
    other = Client(enforce_csrf_checks=True)
    stolen = _token(other, article.get_absolute_url())
    client = Client(enforce_csrf_checks=True)
    client.get(article.get_absolute_url())
    url, data = post_endpoints(site)["comment"]
    response = client.post(url, {**data, "csrfmiddlewaretoken": stolen[:-2] + "xx"})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


# --- Redirects stay on the site -------------------------------------------------------------


@pytest.mark.parametrize("target", OFFSITE)
def test_the_admin_login_never_sends_anyone_off_site(client, db, target):
    User.objects.create_superuser("chief", password="right horse battery")
    response = client.post(
        f"{reverse('admin:login')}?next={target}",
        {"username": "chief", "password": "right horse battery", "next": target},
    )
    assert response.status_code == 302
    assert_on_site(response["Location"])


@pytest.mark.parametrize("target", OFFSITE)
def test_a_suggestion_never_sends_the_reader_off_site(client, db, target):
    response = client.post(reverse("topics:suggest"), {"topic": "Sleep", "next": target})
    assert response.status_code == 302
    assert_on_site(response["Location"])
    assert TopicSuggestion.objects.get().topic == "Sleep"


def test_a_suggestion_returns_to_the_page_it_came_from(client, db):
    response = client.post(reverse("topics:suggest"), {"topic": "Sleep", "next": "/articles/x/"})
    assert response["Location"].startswith("/articles/x/")


@pytest.mark.parametrize("target", OFFSITE[:4])
def test_the_admin_logout_never_sends_anyone_off_site(admin_client, target):
    response = admin_client.post(f"{reverse('admin:logout')}?next={target}", {"next": target})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_on_site(response["Location"])


def assert_on_site(location):
    cleaned = location.strip()
    assert cleaned.startswith("/") and not cleaned.startswith(("//", "/\\")), location
    assert "evil.example" not in cleaned.split("?")[0], location


# --- Clickjacking ---------------------------------------------------------------------------


def _framing_pages(site):
    article, product, _planned = site
    return [
        article.get_absolute_url(),
        reverse("comments:earlier", kwargs={"slug": article.slug}) + "?before=1",
        reverse("articles:home"),
        reverse("topics:board"),
        product.get_absolute_url(),
        reverse("articles:search") + "?q=back",
        "/no-such-page/",
        reverse("admin:login"),
    ]


def test_no_page_can_be_framed_by_another_site(client, site):
    for url in _framing_pages(site):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_error_answers_cannot_be_framed_either(client, site):
    article, _product, _planned = site
    refused = client.post(reverse("comments:post", kwargs={"slug": article.slug}), {"name": ""})
    assert refused.status_code == 400
    assert refused["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in refused["Content-Security-Policy"]
