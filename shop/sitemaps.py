from django.contrib.sitemaps import Sitemap

from shop.models import Product


class ProductSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Product.objects.active().only("slug", "updated")

    def lastmod(self, product):
        return product.updated
