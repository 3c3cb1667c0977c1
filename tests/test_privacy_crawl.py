"""Readers' emails, private names and address hashes appear on no public page, feed or sitemap.

The demo site is seeded, readers post comments and suggestions with known emails from known
addresses, staff approve and plan some of them, then every public URL reachable from the home
page, the sitemap and the feeds is fetched and searched.
"""

import re
from html import unescape
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Category
from comments.models import Comment
from topics.models import TopicSuggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]

MAX_PAGES = 400
_LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
_LOC = re.compile(r"<(?:loc|link|id)>([^<]+)</(?:loc|link|id)>|<link[^>]+href=\"([^\"]+)\"")
SKIPPED_PREFIXES = ("/static/", "/admin/", "/media/")


def _submit_everything(client):
    """Comments and suggestions with distinctive emails and private names, from distinct addresses."""
    secrets = {"emails": [], "private_names": []}
    articles = list(Article.objects.published()[:3])
    for number, article in enumerate(articles):
        email = f"Private.Reader{number}@Example-Patient.test"
        client.post(
            reverse("comments:post", kwargs={"slug": article.slug}),
            {"name": f"Reader {number}", "email": email, "body": f"My question number {number}.", "notify_me": "on"},
            REMOTE_ADDR=f"198.51.100.{number + 10}",
        )
        secrets["emails"].append(email)
    for number in range(3):
        email = f"topic.fan{number}@example-patient.test"
        name = f"Hidden Suggester {number}"
        client.post(
            reverse("topics:suggest"),
            {"topic": f"Pain and sleep part {number}", "email": email, "name": name, "notify_when_published": "on"},
            REMOTE_ADDR=f"203.0.113.{number + 10}",
        )
        secrets["emails"].append(email)
        secrets["private_names"].append(name)
    Comment.objects.filter(email__iendswith="example-patient.test").update(status=Comment.Status.APPROVED)
    suggestions = list(TopicSuggestion.objects.filter(email__iendswith="example-patient.test").order_by("id"))
    TopicSuggestion.objects.filter(pk=suggestions[0].pk).update(status=TopicSuggestion.Status.PLANNED)
    TopicSuggestion.objects.filter(pk=suggestions[1].pk).update(
        status=TopicSuggestion.Status.PUBLISHED, article=articles[0]
    )
    secrets["ip_hashes"] = [
        value
        for value in [
            *Comment.objects.values_list("ip_hash", flat=True),
            *TopicSuggestion.objects.values_list("ip_hash", flat=True),
        ]
        if value
    ]
    return secrets


def _needles(secrets):
    needles = set()
    for email in secrets["emails"]:
        local, _at, domain = email.partition("@")
        needles |= {email.lower(), quote(email.lower()), f"{local.lower()}&#64;", f"{local.lower()}%40"}
    needles |= {name.lower() for name in secrets["private_names"]}
    needles |= {value.lower() for value in secrets["ip_hashes"]}
    needles |= {value[:16].lower() for value in secrets["ip_hashes"]}
    return needles


def _links(base, text):
    found = list(_LINK.findall(text))
    found += [a or b for a, b in _LOC.findall(text)]
    for link in found:
        url = urljoin(base, unescape(link.strip()))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http", "https"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIPPED_PREFIXES):
            yield path


def test_no_public_page_feed_or_sitemap_shows_an_email_a_private_name_or_an_address_hash(client):
    call_command("seed_demo", verbosity=0)
    secrets = _submit_everything(client)
    assert len(secrets["ip_hashes"]) >= 6
    needles = _needles(secrets)

    start = [reverse("articles:home"), "/sitemap.xml", reverse("articles:feed"), reverse("articles:feed_atom")]
    start += [
        reverse("articles:category_feed", kwargs={"slug": slug})
        for slug in Category.objects.values_list("slug", flat=True)
    ]
    start += [reverse("topics:board"), reverse("shop:list"), "/robots.txt"]
    queue, seen, crawled = list(start), set(), []
    while queue and len(crawled) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        assert response.status_code < 500, path
        if response.status_code != 200 or response.streaming:
            continue
        text = response.content.decode("utf-8", "replace")
        crawled.append(path)
        lowered = text.lower()
        leaked = [needle for needle in needles if needle in lowered]
        assert not leaked, f"{path} shows {leaked}"
        if "html" in response["Content-Type"] or "xml" in response["Content-Type"]:
            queue.extend(link for link in _links(f"http://testserver{path}", text) if link not in seen)

    assert len(crawled) >= 20, crawled
    article_pages = [path for path in crawled if path.startswith("/articles/")]
    assert len(article_pages) >= Article.objects.published().count(), "the crawl reached every article"
    assert any(path.startswith("/topics/") for path in crawled)
    assert "/sitemap.xml" in crawled and reverse("articles:feed") in crawled
    # The approved comments and the planned topic are on the pages searched: the check had something to find.
    assert any("My question number 0." in client.get(path).content.decode() for path in article_pages)
