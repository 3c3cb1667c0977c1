from django.views.generic import DetailView, ListView

from core.staff_access import staff_may
from pagecache import CachePolicy
from shop.models import Product


class ProductListView(ListView):
    page_cache = CachePolicy()
    queryset = Product.objects.for_listing()
    context_object_name = "products"


class ProductDetailView(DetailView):
    context_object_name = "product"
    page_cache = CachePolicy()

    def get_queryset(self):
        """Staff who can edit products preview inactive ones; everyone else gets 404 for them."""
        if can_preview(self.request):
            return Product.objects.all()
        return Product.objects.active()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_active
        context["structured_data"] = structured_data = self.object.structured_data(self.request.build_absolute_uri)
        context["canonical_url"] = structured_data["url"]
        context["og_image"] = structured_data.get("image", [""])[0]
        context["og_image_alt"] = self.object.image_alt
        return context


def can_preview(request):
    """Staff who edit products, once their session has confirmed its staff powers (the second factor)."""
    return staff_may(request, "shop.change_product")
