from django.apps import AppConfig

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


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Pain-cream shop"

    def ready(self):
        import pagecache
        import revisions
        from shop.models import Product

        pagecache.invalidate_on_change(Product)
        revisions.register(Product, fields=REVISED_FIELDS)
