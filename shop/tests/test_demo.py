import io

import pytest

from shop.demo import PRODUCTS
from shop.demo import seed as seed_products
from shop.models import Product

pytestmark = pytest.mark.django_db


def test_seeding_creates_the_demo_products_with_drawn_images():
    output = io.StringIO()
    assert seed_products(output) == len(PRODUCTS)
    products = list(Product.objects.all())
    assert 3 <= len(products) <= 4
    for product in products:
        product.full_clean()
        assert product.picture, product.name
        assert product.image_alt
    assert Product.objects.for_widget().count() >= 2
    assert Product.objects.filter(sale_price__isnull=False).exists()
    assert Product.objects.filter(buy_url="").exists()
    assert Product.objects.filter(in_stock=False).exists()
    assert "4 demo products created" in output.getvalue()


def test_seeding_twice_changes_nothing_and_duplicates_nothing():
    seed_products(io.StringIO())
    before = {product.slug: (product.updated, product.image.name) for product in Product.objects.all()}
    output = io.StringIO()
    assert seed_products(output) == 0
    after = {product.slug: (product.updated, product.image.name) for product in Product.objects.all()}
    assert after == before
    assert "0 demo products created, 4 already there" in output.getvalue()
