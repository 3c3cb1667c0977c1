"""Every response carries the security headers; /healthz tells load balancers the truth."""

import re
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from articles.tests.factories import make_article, make_clinician

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls():
    article = make_article()
    clinician = make_clinician()
    return [
        "/",
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        clinician.get_absolute_url(),
        reverse("articles:search") + "?q=article",
        reverse("shop:list"),
        "/robots.txt",
        "/sitemap.xml",
        "/no-such-page/",
    ]


def test_every_page_type_carries_the_security_headers(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        csp = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
        assert directives["default-src"] == "'self'"
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'self'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_inline_scripts_on_html_pages_all_carry_the_request_nonce(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        for tag in re.findall(r"<script\b[^>]*>", html):
            if "src=" in tag:
                continue
            assert nonce and f'nonce="{nonce.group(1)}"' in tag, f"{url}: inline script without nonce: {tag}"
        assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), f"{url}: inline event handler"


def test_healthz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_answers_503_when_the_cache_is_unreachable(client):
    with mock.patch("django.core.cache.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"


def test_admin_login_page_works_under_the_policy_and_is_never_cached(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_pages_with_reader_forms_load_the_form_script_and_styles_exactly_once(client):
    article = make_article()
    for url in ["/", article.get_absolute_url(), reverse("topics:board")]:
        html = client.get(url).content.decode()
        assert html.count("js/forms.js") == 1, url
        assert html.count("css/comments.css") == 1, url
    assert "js/forms.js" not in client.get(article.category.get_absolute_url()).content.decode()
