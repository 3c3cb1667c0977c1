from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Pain-cream shop"

    def ready(self):
        import pagecache
        from shop.models import Product

        pagecache.invalidate_on_change(Product)
