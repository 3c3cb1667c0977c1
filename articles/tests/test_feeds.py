"""Feeds and the sitemap: valid XML listing exactly the published articles."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article, make_category, make_clinician

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def content():
    back = make_category(name="Back & Spine", slug="back-spine")
    knee = make_category(name="Knee", slug="knee")
    empty = make_category(name="Nothing yet", slug="nothing-yet")
    author = make_clinician(name="Dr Ada Lane", slug="ada-lane")
    reviewer = make_clinician(name="Dr Ben Ode", slug="ben-ode")
    hidden_only = make_clinician(name="Dr Draft Only", slug="draft-only")
    now = timezone.now()
    published = [
        make_article(
            slug=f"back-{n}",
            category=back,
            author=author,
            reviewer=reviewer,
            reviewed_on=now.date(),
            publish_at=now - timedelta(days=n + 1),
        )
        for n in range(3)
    ] + [make_article(slug="knee-1", category=knee, author=author, publish_at=now - timedelta(days=10))]
    make_article(slug="draft", category=back, author=hidden_only, status=Article.Status.DRAFT)
    make_article(slug="future", category=empty, author=hidden_only, publish_at=now + timedelta(days=1))
    return {"published": published, "back": back, "knee": knee}


def xml_of(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - our own test response, not untrusted input


def rss_links(root):
    return [item.findtext("link") for item in root.iter("item")]


def atom_links(root):
    return [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]


def absolute(article):
    return f"http://testserver{article.get_absolute_url()}"


def test_site_rss_feed_lists_exactly_the_published_articles_newest_first(client, content):
    root = xml_of(client.get(reverse("articles:feed")))
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert rss_links(root) == [absolute(a) for a in content["published"]]


def test_site_atom_feed_lists_exactly_the_published_articles(client, content):
    root = xml_of(client.get(reverse("articles:feed_atom")))
    assert root.tag == f"{ATOM}feed"
    assert atom_links(root) == [absolute(a) for a in content["published"]]


def test_category_feeds_list_only_that_categorys_published_articles(client, content):
    back = [absolute(a) for a in content["published"] if a.category == content["back"]]
    rss = xml_of(client.get(reverse("articles:category_feed", kwargs={"slug": "back-spine"})))
    atom = xml_of(client.get(reverse("articles:category_feed_atom", kwargs={"slug": "back-spine"})))
    assert rss_links(rss) == back
    assert atom_links(atom) == back
    assert rss.findtext("channel/title").endswith("Back & Spine")


def test_unknown_category_feed_is_404(client, content):
    assert client.get(reverse("articles:category_feed", kwargs={"slug": "nope"})).status_code == 404


def test_feed_items_carry_the_summary_and_the_author_name_but_no_email(client, content):
    response = client.get(reverse("articles:feed"))
    root = xml_of(response)
    item = next(root.iter("item"))
    assert item.findtext("description") == content["published"][0].summary
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Dr Ada Lane"
    assert b"@" not in response.content


def test_feeds_hold_at_most_twenty_items(client):
    category = make_category()
    author = make_clinician()
    for n in range(22):
        make_article(slug=f"many-{n}", category=category, author=author)
    assert len(rss_links(xml_of(client.get(reverse("articles:feed"))))) == 20


def test_sitemap_lists_published_articles_and_the_categories_and_clinicians_that_have_them(client, content):
    root = xml_of(client.get(reverse("sitemap")))
    locations = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root}
    article_urls = {u for u in locations if "/articles/" in u}
    assert article_urls == {absolute(a) for a in content["published"]}
    assert "http://testserver/categories/back-spine/" in locations
    assert "http://testserver/categories/knee/" in locations
    assert "http://testserver/categories/nothing-yet/" not in locations  # only a scheduled article
    assert "http://testserver/clinicians/ada-lane/" in locations
    assert "http://testserver/clinicians/ben-ode/" in locations
    assert "http://testserver/clinicians/draft-only/" not in locations
    assert all(locations[u] for u in article_urls)  # every article has its lastmod
    knee_lastmod = timezone.localtime(content["published"][3].updated).date().isoformat()
    assert locations["http://testserver/categories/knee/"] == knee_lastmod


def test_robots_txt_names_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


FEEDS = [
    ("articles:feed", {}),
    ("articles:feed_atom", {}),
    ("articles:category_feed", {"slug": "back-spine"}),
    ("articles:category_feed_atom", {"slug": "back-spine"}),
]


def feed_ids(response):
    root = xml_of(response)
    return [item.findtext("guid") for item in root.iter("item")] + [
        entry.findtext(f"{ATOM}id") for entry in root.iter(f"{ATOM}entry")
    ]


@pytest.mark.parametrize(("name", "kwargs"), FEEDS)
def test_item_ids_are_tag_uris_that_survive_a_new_slug_and_title(client, content, name, kwargs):
    article = content["published"][0]
    created = article.created.astimezone(UTC).date().isoformat()
    before = feed_ids(client.get(reverse(name, kwargs=kwargs)))
    assert before[0] == f"tag:testserver,{created}:article-{article.pk}"
    assert all(re.fullmatch(r"tag:testserver,\d{4}-\d{2}-\d{2}:article-\d+", value) for value in before)

    article.slug = "a-brand-new-address"
    article.title = "A brand new title"
    article.save()
    assert feed_ids(client.get(reverse(name, kwargs=kwargs))) == before


def test_rss_guids_are_not_presented_as_links(client, content):
    root = xml_of(client.get(reverse("articles:feed")))
    assert {item.find("guid").get("isPermaLink") for item in root.iter("item")} == {"false"}


@pytest.mark.parametrize(("name", "kwargs"), FEEDS)
def test_a_matching_conditional_get_is_answered_with_304_until_the_feed_changes(client, content, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200

    article = content["published"][1]
    Article.objects.filter(pk=article.pk).update(
        title="Sitting comfortably at work", updated=timezone.now() + timedelta(seconds=2)
    )
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert b"Sitting comfortably at work" in changed.content
    assert changed["ETag"] != etag
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 200


def test_a_newly_published_article_changes_the_etag(client, content):
    url = reverse("articles:feed")
    etag = client.get(url)["ETag"]
    make_article(slug="fresh", category=content["back"])
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_a_304_reads_only_the_items_dates_and_the_category(client, content, django_assert_num_queries):
    url = reverse("articles:category_feed", kwargs={"slug": "back-spine"})
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(2):  # the category's words and the items' dates
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_the_sitemap_answers_an_unchanged_crawler_with_304_and_a_changed_one_in_full(client):
    from articles.tests.factories import make_article

    article = make_article(title="Knee pain", slug="knee-pain")
    first = client.get("/sitemap.xml")
    assert first.status_code == 200 and first.has_header("ETag")
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    article.status = article.Status.DRAFT
    article.save()
    again = client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert b"knee-pain" not in again.content
