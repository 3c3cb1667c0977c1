from core.sitemaps import DatedSitemap
from shop.models import Product


class ProductSitemap(DatedSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Product.objects.active().only("slug", "updated")
