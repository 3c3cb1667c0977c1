"""sitemap.xml sections: published articles, the categories and clinicians that have some.

The root URLconf lists them, with other apps' sections, in its `sitemaps` dict.
"""

from django.db.models import OuterRef, Q, Subquery

from articles.models import Article, Category, Clinician
from core.sitemaps import DatedSitemap


class ArticleSitemap(DatedSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated").order_by("-publish_at", "-id")


class ArticleListSitemap(DatedSitemap):
    """Pages listing published articles (`articles_of`, with OuterRef("pk")): listed while they
    list one, and changed when their newest article did."""

    model = None
    articles_of = None
    date_field = "last_update"

    def items(self):
        newest = Article.objects.published().filter(self.articles_of).order_by("-updated").values("updated")[:1]
        return self.model.objects.annotate(last_update=Subquery(newest)).filter(last_update__isnull=False).only("slug")


class CategorySitemap(ArticleListSitemap):
    model = Category
    articles_of = Q(category=OuterRef("pk"))
    changefreq = "weekly"
    priority = 0.6


class ClinicianSitemap(ArticleListSitemap):
    model = Clinician
    articles_of = Article.credited_to(OuterRef("pk"))  # as their page lists
    changefreq = "monthly"
    priority = 0.4
