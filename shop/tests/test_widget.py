"""The sidebar's shop box is kept rendered, and a product change shows on the next render of any
page with the sidebar (the page cache is off in these tests)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db


def sidebar(client, url):
    html = client.get(url).content.decode()
    return html[html.index('class="sidebar"') :]


@pytest.fixture
def product():
    return make_product(name="Arnica Gel", featured=True, price=Decimal("18.00"))


@pytest.mark.parametrize("where", ["home", "article"])
def test_a_new_price_shows_on_the_next_render(client, article, product, where):
    url = reverse("articles:home") if where == "home" else article.get_absolute_url()
    assert "$18.00" in sidebar(client, url)

    product.price = Decimal("21.50")
    product.save()

    assert "$21.50" in sidebar(client, url)


def test_a_product_no_longer_featured_or_hidden_leaves_the_box(client, article, product):
    other = make_product(name="Capsaicin Cream", featured=True)
    url = article.get_absolute_url()
    assert "Arnica Gel" in sidebar(client, url) and "Capsaicin Cream" in sidebar(client, url)

    product.featured = False
    product.save()
    assert "Arnica Gel" not in sidebar(client, url)

    other.is_active = False
    other.save()
    assert "Capsaicin Cream" not in sidebar(client, url)


def test_a_product_back_in_stock_enters_the_box(client, article):
    product = make_product(name="Menthol Roll-on", featured=True, in_stock=False)
    url = article.get_absolute_url()
    assert "Menthol Roll-on" not in sidebar(client, url)

    product.in_stock = True
    product.save()

    assert "Menthol Roll-on" in sidebar(client, url)
