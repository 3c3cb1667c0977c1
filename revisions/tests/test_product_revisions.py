"""Products keep every saved version too: a history, a word-level comparison and a revert."""

from decimal import Decimal

import pytest
from django.urls import reverse

from revisions.models import Revision
from shop.models import Product
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db


def product_form(product, **changes):
    return {
        "name": product.name,
        "slug": product.slug,
        "short_description": product.short_description,
        "description": product.description,
        "image_alt": product.image_alt,
        "price": str(product.price),
        "sale_price": "" if product.sale_price is None else str(product.sale_price),
        "size_label": product.size_label,
        "in_stock": "on",
        "buy_url": product.buy_url,
        "buy_button_text": product.buy_button_text,
        "is_active": "on",
        "position": product.position,
        **changes,
    }


def test_each_save_of_a_product_keeps_a_revision_that_can_be_compared_and_reverted(admin_client):
    product = make_product(short_description="Cooling menthol cream for sore knees.")
    url = reverse("admin:shop_product_change", args=[product.pk])
    first = product_form(product, revision_message="Opening price")
    assert admin_client.post(url, first).status_code == 302
    second = product_form(product, short_description="Warming cream for sore knees.", price="18.50")
    assert admin_client.post(url, second).status_code == 302

    history = list(Revision.objects.for_object(product).order_by("number"))
    assert [r.number for r in history] == [1, 2]
    assert history[0].message == "Opening price"
    assert history[1].content["price"] == "18.50"

    compare = admin_client.get(reverse("admin:shop_product_compare", args=[product.pk]), {"from": 1, "to": 2})
    page = compare.content.decode()
    assert "<del>Cooling menthol</del><ins>Warming</ins> cream" in page
    assert "Changed: Short description, Price" in page

    admin_client.post(reverse("admin:shop_product_revert", args=[product.pk, 1]))

    product = Product.objects.get(pk=product.pk)
    assert product.short_description == "Cooling menthol cream for sore knees."
    assert product.price == Decimal("20.00")
    latest = Revision.objects.for_object(product).first()
    assert latest.number == 3 and latest.content == history[0].content
    change_page = admin_client.get(url).content.decode()
    assert reverse("admin:shop_product_revisions", args=[product.pk]) in change_page
