"""RSS 2.0 and Atom feeds of published articles, for the whole site and per category.

Items carry the summary, not the body, and name authors without any email address.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.models import Article, Category
from core.models import SiteSettings

FEED_ITEMS = 20


class LatestArticlesFeed(Feed):
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

    def items(self):
        return self.articles()[:FEED_ITEMS]

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
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return _("%(clinic)s: %(category)s") % {"clinic": SiteSettings.load().clinic_name, "category": obj.name}

    def description(self, obj):
        return obj.description or SiteSettings.load().tagline

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse("articles:category_feed", kwargs={"slug": obj.slug})

    def items(self, obj):
        return self.articles().filter(category=obj)[:FEED_ITEMS]


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)

    def feed_url(self, obj):
        return reverse("articles:category_feed_atom", kwargs={"slug": obj.slug})
