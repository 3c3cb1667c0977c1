from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from articles.tests.factories import make_image_file
from shop.models import Product
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:shop_product_changelist"


@pytest.fixture
def editor(client, staff_member):
    """A member of the Editors group, with only what the data migrations grant."""
    user = staff_member("editor", "Editors")
    client.force_login(user)
    return user


def changelist_post(products, **changes):
    """The changelist form as the browser sends it, with `changes` {(index, field): value}."""
    data = {
        "form-TOTAL_FORMS": str(len(products)),
        "form-INITIAL_FORMS": str(len(products)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, product in enumerate(products):
        row = {
            "id": product.pk,
            "price": product.price,
            "sale_price": product.sale_price or "",
            "position": product.position,
        }
        if product.in_stock:
            row["in_stock"] = "on"
        if product.featured:
            row["featured"] = "on"
        for field, value in row.items():
            data[f"form-{index}-{field}"] = value
    for (index, field), value in changes.items():
        data[f"form-{index}-{field}"] = value
    return data


def test_the_editors_group_can_add_change_delete_and_view_products():
    permissions = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_product", "change_product", "delete_product", "view_product"} <= permissions


def test_editors_change_price_stock_featured_and_position_from_the_list(client, editor):
    product = make_product(price=Decimal("20.00"), in_stock=True, featured=False, position=5)
    data = changelist_post([product])
    data.update({"form-0-price": "22.50", "form-0-sale_price": "18.00", "form-0-position": "1"})
    data.pop("form-0-in_stock")
    data["form-0-featured"] = "on"
    response = client.post(reverse(CHANGELIST), data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.price, product.sale_price, product.in_stock, product.featured, product.position) == (
        Decimal("22.50"),
        Decimal("18.00"),
        False,
        True,
        1,
    )


def test_a_sale_price_above_the_price_is_refused_in_the_list_with_a_message(client, editor):
    product = make_product(price=Decimal("20.00"))
    data = changelist_post([product])
    data["form-0-sale_price"] = "25.00"
    response = client.post(reverse(CHANGELIST), data)
    assert response.status_code == 200
    assert "The sale price must be lower than the price, or left empty." in response.content.decode()
    product.refresh_from_db()
    assert product.sale_price is None


def test_the_list_filters_and_searches(client, editor):
    make_product(name="Cooling Gel", in_stock=False)
    make_product(name="Warming Balm")
    response = client.get(reverse(CHANGELIST), {"in_stock__exact": "0"})
    assert list(response.context["cl"].result_list.values_list("name", flat=True)) == ["Cooling Gel"]
    response = client.get(reverse(CHANGELIST), {"q": "balm"})
    assert list(response.context["cl"].result_list.values_list("name", flat=True)) == ["Warming Balm"]


def test_the_add_form_refuses_a_gif_and_an_image_without_a_description(client, editor):
    form = {
        "name": "New Gel",
        "slug": "new-gel",
        "short_description": "A gel.",
        "description": "",
        "price": "10.00",
        "buy_button_text": "Buy now",
        "position": "0",
        "is_active": "on",
        "image": make_image_file("gel.gif", size=(40, 40), image_format="GIF"),
        "image_alt": "A gel",
    }
    response = client.post(reverse("admin:shop_product_add"), form)
    assert "Please upload a JPEG, PNG or WebP image (this file is GIF)." in response.content.decode()
    form.update(image=make_image_file("gel.png", image_format="PNG"), image_alt="")
    response = client.post(reverse("admin:shop_product_add"), form)
    assert "Please describe the image for readers who cannot see it." in response.content.decode()
    assert not Product.objects.exists()


def test_the_change_form_loads_the_markdown_toolbar_and_links_to_the_inactive_page(client, editor):
    product = make_product(is_active=False)
    response = client.get(reverse("admin:shop_product_change", args=[product.pk]))
    content = response.content.decode()
    assert "admin/markdown-toolbar.js" in content
    content_type = ContentType.objects.get_for_model(Product)
    view_on_site = reverse("admin:view_on_site", args=[content_type.pk, product.pk])
    assert view_on_site in content
    page = client.get(view_on_site, follow=True)
    assert page.status_code == 200
    assert "Preview — not visible to the public." in page.content.decode()
