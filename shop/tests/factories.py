"""Small builders for shop test data."""

import itertools
from decimal import Decimal

from articles.tests.factories import make_image_file
from shop.models import Product

_sequence = itertools.count(1)


def make_product(*, with_image=False, **fields):
    """An active, in-stock product with a buy link unless the caller says otherwise."""
    n = next(_sequence)
    fields.setdefault("name", f"Test Cream {n}")
    fields.setdefault("slug", f"test-cream-{n}")
    fields.setdefault("short_description", f"A soothing test cream number {n}.")
    fields.setdefault("description", f"## About it\n\nCream number {n}.")
    fields.setdefault("price", Decimal("20.00"))
    fields.setdefault("size_label", "4 oz tube")
    fields.setdefault("buy_url", f"https://shop.example.com/cream-{n}")
    fields.setdefault("position", n)
    if with_image:
        fields.setdefault("image", make_image_file(f"cream-{n}.png", size=(900, 600), image_format="PNG"))
        fields.setdefault("image_alt", f"A white tube of test cream {n}.")
    return Product.objects.create(**fields)
