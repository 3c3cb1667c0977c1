"""The shop as a reader's browser sees it (Debian Chromium through Playwright)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from articles.tests.factories import make_article
from core.models import SiteSettings
from shop.tests.factories import make_product
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOP_URL = "https://shop.example.com/products/cooling-gel"


@pytest.fixture
def shop_content():
    settings_row = SiteSettings.load()
    settings_row.contact_phone = "(555) 010-2030"
    settings_row.contact_email = "desk@clinic.example"
    settings_row.save()
    gel = make_product(
        name="Cooling Gel",
        slug="cooling-gel",
        featured=True,
        with_image=True,
        price=Decimal("24.00"),
        sale_price=Decimal("19.50"),
        buy_url=SHOP_URL,
    )
    make_product(name="Warming Balm", featured=True, with_image=True, buy_url="")
    make_product(name="Night Lotion", in_stock=False, with_image=True)
    return gel


def test_a_reader_goes_from_an_article_to_a_product_to_the_clinic_shop(live_server, page, shop_content, console_errors):
    article = make_article(title="Easing lower back pain")
    # The clinic's shop is another site: answer for it here, so the test never leaves the machine.
    page.route(
        "https://shop.example.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Clinic shop</title>"),
    )
    page.goto(live_server.url + article.get_absolute_url())
    widget = page.get_by_role("region", name="Pain Cream Shop")
    widget.get_by_role("link", name="Cooling Gel").click()

    page.wait_for_url(re.compile(r"/shop/cooling-gel/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Cooling Gel"
    assert "$19.50" in page.locator(".product-price").inner_text()
    buy = page.get_by_role("link", name=re.compile(r"^Buy now"))
    assert buy.get_attribute("rel") == "noopener external"
    buy.click()
    page.wait_for_url(SHOP_URL)
    assert page.title() == "Clinic shop"
    assert console_errors == []


def test_the_shop_list_has_no_accessibility_violations(live_server, page, shop_content, console_errors):
    page.goto(live_server.url + "/shop/")
    assert page.locator(".product-card").count() == 3
    assert_accessible(page)
    assert console_errors == []


def test_product_pages_have_no_accessibility_violations(live_server, page, shop_content, console_errors):
    page.goto(live_server.url + shop_content.get_absolute_url())
    assert_accessible(page)
    page.goto(live_server.url + "/shop/")
    page.get_by_role("link", name="Warming Balm").click()
    expect(page.get_by_role("heading", name="Ask at the clinic")).to_be_visible()  # waits for the page the click opens
    assert_accessible(page)
    assert console_errors == []
