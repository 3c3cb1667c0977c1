import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import caches
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import make_article
from core.models import SiteSettings
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db

LIST_URL = "/shop/"


def structured_data(response):
    match = re.search(rb'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content, re.S)
    assert match, "the page has no JSON-LD"
    return json.loads(match.group(1))


def widget_html():
    return Template("{% load shop_tags %}{% shop_widget %}").render(Context())


# --- The list -------------------------------------------------------------------------


def test_the_list_shows_products_in_position_order(client):
    make_product(name="Second Balm", position=2)
    make_product(name="First Gel", position=1)
    make_product(name="Third Lotion", position=3)
    content = client.get(LIST_URL).content.decode()
    assert content.index("First Gel") < content.index("Second Balm") < content.index("Third Lotion")


def test_the_list_shows_price_size_and_availability(client):
    make_product(name="Gel", price=Decimal("18.00"), size_label="4 oz tube")
    make_product(name="Lotion", in_stock=False, size_label="8 oz pump bottle")
    content = client.get(LIST_URL).content.decode()
    assert "$18.00" in content
    assert "4 oz tube" in content
    assert "8 oz pump bottle" in content
    assert "In stock" in content
    assert "Out of stock" in content


def test_a_sale_price_is_shown_against_the_struck_through_price(client):
    make_product(price=Decimal("24.00"), sale_price=Decimal("19.50"))
    content = client.get(LIST_URL).content.decode()
    assert re.search(r"<del>.*\$24\.00</del>\s*<ins>.*\$19\.50</ins>", content)
    assert '<span class="visually-hidden">Was </span>' in content


def test_inactive_products_are_left_out_of_the_list(client):
    make_product(name="Retired Cream", is_active=False)
    assert "Retired Cream" not in client.get(LIST_URL).content.decode()


def test_an_empty_shop_says_so_kindly(client):
    make_product(is_active=False)
    content = client.get(LIST_URL).content.decode()
    assert "There are no products to show just now." in content
    assert 'class="product-grid"' not in content


def test_a_price_change_shows_at_once_on_the_cached_list(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    product = make_product(price=Decimal("20.00"))
    client.get(LIST_URL)
    assert client.get(LIST_URL)["X-Page-Cache"] == "hit"
    product.price = Decimal("23.00")
    product.save()
    assert "$23.00" in client.get(LIST_URL).content.decode()


def test_the_list_page_costs_one_query_however_many_products(client, django_assert_num_queries):
    for _ in range(15):
        make_product(with_image=True, sale_price=Decimal("15.00"))
    client.get(LIST_URL)  # fills the site settings and navigation caches
    with django_assert_num_queries(1):
        response = client.get(LIST_URL)
    assert response.content.decode().count('class="product-card"') == 15


# --- The product page -------------------------------------------------------------------


def test_an_inactive_product_answers_404(client):
    product = make_product(is_active=False)
    assert client.get(product.get_absolute_url()).status_code == 404


def test_the_product_page_shows_its_description_and_the_product_disclaimer(client):
    settings_row = SiteSettings.load()
    settings_row.product_disclaimer = "Talk to your clinician before starting any new cream."
    settings_row.save()
    product = make_product(description="## How to use it\n\nRub in gently.")
    content = client.get(product.get_absolute_url()).content.decode()
    assert "<h2 id=" in content and "How to use it" in content
    assert "Talk to your clinician before starting any new cream." in content


def test_the_buy_link_is_marked_external_and_names_the_shop(client):
    product = make_product(buy_url="https://shop.example.com/gel", buy_button_text="Order online")
    content = client.get(product.get_absolute_url()).content.decode()
    link = re.search(r'<a class="button" href="https://shop.example.com/gel"[^>]*>(.*?)</a>', content)
    assert link
    assert 'rel="noopener external"' in link.group(0)
    assert "Order online" in link.group(1)
    assert "(on the clinic's online shop)" in link.group(1)
    assert "Ask at the clinic" not in content


def test_the_buy_button_says_buy_now_unless_the_editor_says_otherwise(client):
    product = make_product()
    assert "Buy now<span" in client.get(product.get_absolute_url()).content.decode()


def test_without_a_buy_link_readers_are_asked_to_ask_at_the_clinic_with_its_phone_and_email(client):
    settings_row = SiteSettings.load()
    settings_row.contact_phone = "(555) 010-2030"
    settings_row.contact_email = "desk@clinic.example"
    settings_row.save()
    product = make_product(buy_url="")
    content = client.get(product.get_absolute_url()).content.decode()
    assert "Ask at the clinic" in content
    assert '<a href="tel:5550102030">(555) 010-2030</a>' in content
    assert '<a href="mailto:desk@clinic.example">desk@clinic.example</a>' in content
    assert 'class="button"' not in content


def test_an_out_of_stock_product_offers_no_buy_button(client):
    product = make_product(in_stock=False)
    content = client.get(product.get_absolute_url()).content.decode()
    assert "Out of stock" in content
    assert f'href="{product.buy_url}"' not in content
    assert "Ask at the clinic" in content


def test_the_json_ld_carries_the_exact_price_currency_and_availability(client, settings):
    settings.SHOP_CURRENCY = "EUR"
    product = make_product(name="Warming Balm", price=Decimal("24.00"), with_image=True)
    data = structured_data(client.get(product.get_absolute_url()))
    assert data["@type"] == "Product"
    assert data["name"] == "Warming Balm"
    assert data["url"] == f"http://testserver{product.get_absolute_url()}"
    assert data["image"][0].startswith("http://testserver/media/")
    assert data["offers"] == {
        "@type": "Offer",
        "price": "24.00",
        "priceCurrency": "EUR",
        "availability": "https://schema.org/InStock",
        "url": product.buy_url,
    }


def test_the_json_ld_offers_the_sale_price_and_says_when_stock_is_out(client):
    product = make_product(price=Decimal("24.00"), sale_price=Decimal("19.50"), in_stock=False, buy_url="")
    offer = structured_data(client.get(product.get_absolute_url()))["offers"]
    assert offer["price"] == "19.50"
    assert offer["priceCurrency"] == "USD"
    assert offer["availability"] == "https://schema.org/OutOfStock"
    assert offer["url"] == f"http://testserver{product.get_absolute_url()}"


def test_the_json_ld_cannot_be_broken_out_of_by_a_product_name(client):
    product = make_product(name="</script><script>alert(1)</script>")
    response = client.get(product.get_absolute_url())
    assert structured_data(response)["name"] == "</script><script>alert(1)</script>"
    assert b"<script>alert(1)" not in response.content


def test_the_product_page_costs_one_query(client, django_assert_num_queries):
    product = make_product(with_image=True)
    client.get(product.get_absolute_url())
    with django_assert_num_queries(1):
        client.get(product.get_absolute_url())


# --- Preview for staff -----------------------------------------------------------------


def staff_user(*, can_change):
    user = User.objects.create_user("editor", password="a long test password", is_staff=True)
    if can_change:
        user.user_permissions.add(Permission.objects.get(codename="change_product"))
    return user


def test_staff_who_edit_products_preview_an_inactive_one_with_a_banner(client):
    product = make_product(name="Coming Soon Cream", is_active=False)
    client.force_login(staff_user(can_change=True))
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Preview — not visible to the public." in content
    assert '<meta name="robots" content="noindex">' in content


def test_staff_without_the_change_permission_get_404_for_an_inactive_product(client):
    product = make_product(is_active=False)
    client.force_login(staff_user(can_change=False))
    assert client.get(product.get_absolute_url()).status_code == 404


def test_an_active_product_shows_no_preview_banner_to_staff(client):
    product = make_product()
    client.force_login(staff_user(can_change=True))
    assert "Preview" not in client.get(product.get_absolute_url()).content.decode()


# --- The sidebar widget ------------------------------------------------------------------


def test_the_widget_shows_up_to_three_featured_products_with_their_prices():
    for position in range(1, 5):
        make_product(name=f"Featured {position}", featured=True, position=position, price=Decimal("12.00"))
    html = widget_html()
    assert "Pain Cream Shop" in html
    assert [name for name in ("Featured 1", "Featured 2", "Featured 3", "Featured 4") if name in html] == [
        "Featured 1",
        "Featured 2",
        "Featured 3",
    ]
    assert "$12.00" in html
    assert reverse("shop:list") in html


def test_out_of_stock_and_inactive_products_stay_out_of_the_widget_but_out_of_stock_ones_are_listed(client):
    make_product(name="Sold Out Gel", featured=True, in_stock=False)
    make_product(name="Retired Balm", featured=True, is_active=False)
    make_product(name="Everyday Lotion", featured=True)
    html = widget_html()
    assert "Everyday Lotion" in html
    assert "Sold Out Gel" not in html
    assert "Retired Balm" not in html
    assert "Sold Out Gel" in client.get(LIST_URL).content.decode()


def test_the_widget_draws_nothing_without_featured_products():
    make_product(featured=False)
    assert widget_html().strip() == ""


def test_the_widget_costs_one_query_with_or_without_products(django_assert_num_queries, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0  # rendered on every call, never kept
    with django_assert_num_queries(1):
        widget_html()
    for _ in range(5):
        make_product(featured=True, with_image=True)
    with django_assert_num_queries(1):
        widget_html()


def test_the_kept_widget_costs_no_query(django_assert_num_queries):
    make_product(featured=True)
    widget_html()

    with django_assert_num_queries(0):
        widget_html()


def test_the_widget_is_in_the_sidebar_of_article_pages_and_the_home_page(client):
    make_product(name="Cooling Gel", featured=True)
    article = make_article()
    for url in (article.get_absolute_url(), reverse("articles:home")):
        content = client.get(url).content.decode()
        sidebar = content[content.index('<aside class="sidebar"') :]
        assert "Pain Cream Shop" in sidebar and "Cooling Gel" in sidebar, url


def test_featured_products_add_no_query_to_the_article_page(client, django_assert_max_num_queries):
    """The widget's one query runs whether or not there is anything to show, and not at all
    while the rendered widget is kept."""
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)
    caches["fragments"].clear()  # every piece of the page rendered again, as after a change
    with django_assert_max_num_queries(100) as without_products:
        client.get(url)
    for _ in range(5):
        make_product(featured=True, with_image=True, sale_price=Decimal("10.00"))
    client.get(url)
    caches["fragments"].clear()
    with django_assert_max_num_queries(100) as with_products:
        response = client.get(url)
    with django_assert_max_num_queries(100) as kept:
        client.get(url)
    assert "Pain Cream Shop" in response.content.decode()
    assert len(with_products.captured_queries) == len(without_products.captured_queries)
    assert sum("shop_product" in query["sql"] for query in with_products.captured_queries) == 1
    assert not any("shop_product" in query["sql"] for query in kept.captured_queries)


# --- Sitemap -----------------------------------------------------------------------------


def test_the_sitemap_lists_active_products_only_with_their_last_change(client):
    shown = make_product(slug="cooling-gel")
    make_product(slug="retired-balm", is_active=False)
    content = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{shown.get_absolute_url()}</loc>" in content
    assert "retired-balm" not in content
    assert f"<lastmod>{timezone.localdate(shown.updated).isoformat()}" in content
