"""The sidebar's "Pain Cream Shop" box, kept rendered between product changes.

Every page with the sidebar shows the same box, so it is rendered once per process and kept as a
fragment under the version of `WIDGET_TAG`, which every change of a shown product bumps
(ShopConfig.ready()). On a page rendered fresh that saves its query and its templates.
"""

from django.template.loader import render_to_string
from django.utils import translation

import pagecache
from shop.models import Product

WIDGET_TAG = "shop:widget"


def widget_html():
    def render():
        return render_to_string("shop/product_widget.html", {"widget_products": list(Product.objects.for_widget())})

    return pagecache.cached_fragment(
        "shop-widget", pages=[WIDGET_TAG], vary=(translation.get_language(),), render=render
    )
