from django.apps import AppConfig
from django.urls import reverse

# The shop's list, and the pages with the sidebar widget of featured products.
PRODUCT_LISTS = ["view:shop:list", "view:articles:home", "view:articles:detail"]


def product_pages(product, previous):
    """A product shows on its page, the list and the widget while active; a hidden one nowhere."""
    if not (product.is_active or previous.get("is_active")):
        return []
    slugs = {product.slug, previous.get("slug")} - {None}
    return [*(reverse("shop:detail", kwargs={"slug": slug}) for slug in slugs), *PRODUCT_LISTS]


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Pain-cream shop"

    def ready(self):
        import pagecache
        from shop.models import Product

        pagecache.invalidate_on_change(Product, fields=["is_active", "slug"], pages=product_pages)
