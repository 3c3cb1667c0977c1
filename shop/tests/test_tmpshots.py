import pytest
from shop.tests.test_browser import shop_content  # noqa
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
def test_shots(live_server, page, shop_content):
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.goto(live_server.url + shop_content.get_absolute_url())
    page.screenshot(path="/tmp/shop-detail.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/shop/")
    page.screenshot(path="/tmp/shop-mobile.png", full_page=True)
