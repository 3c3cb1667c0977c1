"""The sitemap's sections listed from a queryset: each page's date is one field of its row, so a
section's size and newest date are one aggregate query (the sitemap's ETag), never a row per page."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max


class DatedSitemap(Sitemap):
    date_field = "updated"  # a field or annotation of each item: its lastmod

    def lastmod(self, item):
        return getattr(item, self.date_field)

    def summary(self):
        """(how many pages the section lists, the newest of their dates), in one query."""
        found = self.items().aggregate(pages=Count("pk"), newest=Max(self.date_field))
        return found["pages"], found["newest"]
