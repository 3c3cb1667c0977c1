"""sitemap.xml sections: published articles, the categories and clinicians that have some.

The root URLconf lists them, with other apps' sections, in its `sitemaps` dict.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Q, Subquery

from articles.models import Article, Category, Clinician
from articles.review import publish_due_changes


def _latest_update(condition):
    """The newest `updated` among the published articles matching `condition` (with OuterRef)."""
    return Subquery(Article.objects.published().filter(condition).order_by("-updated").values("updated")[:1])


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        publish_due_changes()
        return Article.objects.published().only("slug", "updated").order_by("-publish_at", "-id")

    def lastmod(self, item):
        return item.updated


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return (
            Category.objects.annotate(last_update=_latest_update(Q(category=OuterRef("pk"))))
            .filter(last_update__isnull=False)
            .only("slug")
        )

    def lastmod(self, item):
        return item.last_update


class ClinicianSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return (
            Clinician.objects.annotate(
                last_update=_latest_update(Q(author=OuterRef("pk")) | Q(reviewer=OuterRef("pk")))
            )
            .filter(last_update__isnull=False)
            .only("slug")
        )

    def lastmod(self, item):
        return item.last_update
