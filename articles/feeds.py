"""RSS 2.0 and Atom feeds of published articles, for the whole site and per category.

Items carry the summary, not the body, and name authors without any email address. Each item's
id is a `tag:` URI (RFC 4151) made of the site's host, the article's creation date and its id, so
readers never see an article twice after its title or address changes. Feeds answer conditional
requests (`If-None-Match`, `If-Modified-Since`) with 304 Not Modified, so polling readers cost a small
query instead of a rendered feed.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC

from django.contrib.syndication.views import Feed
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from articles.models import Article, Category
from core.models import SiteSettings

FEED_ITEMS = 20


@dataclass
class FeedScope:
    """What one request's feed is about: the host it was asked on, and the category if any."""

    host: str
    category: Category | None = None


def article_tag_uri(article, host):
    """`tag:clinic.example.org,2026-11-02:article-42`: stays the same whatever the slug or title."""
    created = article.created.astimezone(UTC).date().isoformat()
    return f"tag:{host},{created}:article-{article.pk}"


def _host(request):
    domain, _port = split_domain_port(request.get_host())
    return domain or request.get_host()


class LatestArticlesFeed(Feed):
    def get_object(self, request, *args, **kwargs):
        return FeedScope(host=_host(request))

    def title(self):
        return _("%(clinic)s: latest articles") % {"clinic": SiteSettings.load().clinic_name}

    def description(self):
        return SiteSettings.load().tagline

    def link(self):
        return reverse("articles:home")

    def feed_url(self):
        return reverse("articles:feed")

    def articles(self):
        return Article.objects.published().for_listing()

    def items(self, scope):
        items = list(self.articles()[:FEED_ITEMS])
        for item in items:
            item.feed_guid = article_tag_uri(item, scope.host)
        return items

    def item_guid(self, item):
        return item.feed_guid

    def item_guid_is_permalink(self, item):
        return False

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        return item.author.name

    def item_categories(self, item):
        return [item.category.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()

    def feed_url(self):
        return reverse("articles:feed_atom")


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return FeedScope(host=_host(request), category=get_object_or_404(Category, slug=slug))

    def title(self, scope):
        return _("%(clinic)s: %(category)s") % {
            "clinic": SiteSettings.load().clinic_name,
            "category": scope.category.name,
        }

    def description(self, scope):
        return scope.category.description or SiteSettings.load().tagline

    def link(self, scope):
        return scope.category.get_absolute_url()

    def feed_url(self, scope):
        return reverse("articles:category_feed", kwargs={"slug": scope.category.slug})

    def items(self, scope):
        items = list(self.articles().filter(category=scope.category)[:FEED_ITEMS])
        for item in items:
            item.feed_guid = article_tag_uri(item, scope.host)
        return items


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed

    def subtitle(self, scope):
        return self.description(scope)

    def feed_url(self, scope):
        return reverse("articles:category_feed_atom", kwargs={"slug": scope.category.slug})


def _feed_state(request, slug=None):
    """The feed's items as (id, updated, publish_at), with the words around them: one query, read once."""
    state = getattr(request, "_feed_state", None)
    if state is None:
        articles = Article.objects.published()
        words = [SiteSettings.load().clinic_name, SiteSettings.load().tagline]
        if slug is not None:
            articles = articles.filter(category__slug=slug)
            # Renaming or describing the category changes the feed's title and description.
            category = Category.objects.filter(slug=slug).values_list("name", "description").first()
            words += list(category or ())
        rows = list(articles.order_by("-publish_at", "-id").values_list("id", "updated", "publish_at")[:FEED_ITEMS])
        state = request._feed_state = (rows, words)
    return state


def feed_etag(request, slug=None):
    rows, words = _feed_state(request, slug)
    fingerprint = repr(([(pk, updated.isoformat(), published.isoformat()) for pk, updated, published in rows], words))
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


def feed_last_modified(request, slug=None):
    """The newest change or publication among the feed's items (None for an empty feed)."""
    rows, _words = _feed_state(request, slug)
    return max((max(updated, published) for _pk, updated, published in rows), default=None)


def conditional(feed):
    """A feed view that sends ETag and Last-Modified and answers a matching conditional GET with 304."""
    return condition(etag_func=feed_etag, last_modified_func=feed_last_modified)(feed)
