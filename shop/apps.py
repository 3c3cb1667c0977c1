from django.apps import AppConfig
from django.urls import reverse

# The shop's list, and the pages with the sidebar widget of featured products (and the kept
# widget itself, shop.widget.WIDGET_TAG).
PRODUCT_LISTS = ["view:shop:list", "view:articles:home", "view:articles:detail", "shop:widget"]
# What a product revision keeps: everything an editor writes about the product.
REVISED_FIELDS = [
    "name",
    "slug",
    "short_description",
    "description",
    "image",
    "image_alt",
    "price",
    "sale_price",
    "size_label",
    "in_stock",
    "buy_url",
    "buy_button_text",
    "featured",
    "position",
    "is_active",
]


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
        import revisions
        from shop.models import Product

        pagecache.invalidate_on_change(Product, fields=["is_active", "slug"], pages=product_pages)
        revisions.register(Product, fields=REVISED_FIELDS)
