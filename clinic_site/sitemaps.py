"""The sitemap section of pages that are no model's own: the home page, the topic board, the shop."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticViewSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6
    url_names = ("articles:home", "topics:board", "shop:list")

    def items(self):
        return list(self.url_names)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        """Unknown: each lists other pages, and those carry their own dates."""
        return None

    def summary(self):
        """(how many pages, no date), as `core.sitemaps.DatedSitemap` gives, without a query."""
        return len(self.url_names), None
