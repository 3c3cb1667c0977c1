"""What search engines and link previews read: canonical links, descriptions, Open Graph, JSON-LD."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.tests.factories import make_article, make_reviewed_article

pytestmark = pytest.mark.django_db


class HeadReader(HTMLParser):
    """Collects <meta>, <link rel=canonical> and JSON-LD blocks from a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.canonical, self.json_ld, self.nonces = {}, [], [], []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.nonces.append(attrs.get("nonce"))

    def handle_endtag(self, tag):
        self._in_json_ld = False if tag == "script" else self._in_json_ld

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))


def read(response):
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


@pytest.fixture
def article():
    return make_reviewed_article(summary="What happens during an injection, and who it helps.")


def page_urls(article):
    return {
        "home": (reverse("articles:home"), 200),
        "category": (article.category.get_absolute_url(), 200),
        "article": (article.get_absolute_url(), 200),
        "clinician": (article.author.get_absolute_url(), 200),
        "search": (reverse("articles:search") + "?q=injection", 200),
        "empty search": (reverse("articles:search"), 200),
        "404": ("/articles/not-here/", 404),
    }


@pytest.mark.parametrize("kind", ["home", "category", "article", "clinician", "search", "empty search", "404"])
def test_every_page_type_has_canonical_description_and_open_graph(client, article, kind):
    url, status = page_urls(article)[kind]
    response = client.get(url)
    assert response.status_code == status
    head = read(response)
    assert len(head.canonical) == 1
    assert head.canonical[0].startswith("http://testserver/")
    assert "?" not in head.canonical[0]
    assert head.meta.get("description")
    for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert head.meta.get(key), key
    assert head.meta["og:url"] == head.canonical[0]


def test_article_page_description_and_canonical_are_the_articles_own(client, article):
    head = read(client.get(article.get_absolute_url() + "?utm_source=newsletter"))
    assert head.canonical == ["http://testserver/articles/injections-lower-back/"]
    assert head.meta["description"] == "What happens during an injection, and who it helps."
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "Injections for lower back pain"


def test_seo_fields_override_the_title_and_summary(client, article):
    article.seo_title = "Back pain injections explained"
    article.seo_description = "A short guide to spinal injections."
    article.save()
    head = read(client.get(article.get_absolute_url()))
    assert head.meta["og:title"] == "Back pain injections explained"
    assert head.meta["description"] == "A short guide to spinal injections."


def test_article_json_ld_is_a_medical_web_page_with_its_people_and_dates(client, article):
    head = read(client.get(article.get_absolute_url()))
    assert len(head.json_ld) == 1
    page, breadcrumbs = head.json_ld[0]
    assert page["@type"] == "MedicalWebPage"
    assert page["author"]["name"] == "Dr Ada Lane"
    assert page["author"]["url"] == "http://testserver/clinicians/ada-lane/"
    assert page["reviewedBy"]["name"] == "Dr Ben Ode"
    assert page["lastReviewed"] == "2026-10-01"
    assert page["datePublished"] == article.publish_at.isoformat()
    assert page["dateModified"] == article.updated.isoformat()
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in breadcrumbs["itemListElement"]][1:] == [
        "Back & Spine",
        "Injections for lower back pain",
    ]


def test_json_ld_script_carries_the_csp_nonce(client, article):
    response = client.get(article.get_absolute_url())
    head = read(response)
    assert head.nonces[0]
    assert f"'nonce-{head.nonces[0]}'" in response["Content-Security-Policy"]


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, article):
    article.title = "</script><script>alert(1)</script>"
    article.save()
    response = client.get(article.get_absolute_url())
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert read(response).json_ld[0][0]["headline"] == "</script><script>alert(1)</script>"


def test_list_pages_beyond_the_first_have_their_own_canonical(client, settings, article):
    settings.ARTICLES_PER_PAGE = 1
    make_article(slug="second", category=article.category)
    head = read(client.get(article.category.get_absolute_url(), {"page": "2"}))
    assert head.canonical == ["http://testserver/categories/back-spine/?page=2"]


def test_search_and_404_pages_ask_not_to_be_indexed(client, article):
    assert read(client.get(reverse("articles:search"))).meta["robots"] == "noindex"
    assert read(client.get("/articles/not-here/")).meta["robots"] == "noindex"


def test_500_page_renders_without_a_request(article):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, something went wrong on our side" in html
    assert "style=" not in html


def test_public_templates_have_no_inline_styles_or_handlers():
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR, "templates")
    for path in [templates / "base.html", templates / "404.html", templates / "500.html"] + sorted(
        [*templates.joinpath("articles").glob("*.html"), *templates.joinpath("includes").glob("*.html")]
    ):
        text = path.read_text()
        assert "style=" not in text, path
        assert " onclick=" not in text and " onload=" not in text, path
