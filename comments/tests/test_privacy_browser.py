"""While typing, a reader is warned beside the comment field that their text holds personal details."""

import pytest
from playwright.sync_api import expect

from articles.tests.factories import make_article
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_number_typed_in_a_comment_brings_a_warning_beside_the_field(page, live_server, console_errors):
    article = make_article(title="Living with sciatica", slug="living-with-sciatica")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + article.get_absolute_url())
    warning = page.locator("#id_body_privacy")
    expect(warning).to_have_attribute("aria-live", "polite")

    page.locator("#id_body").fill("Take 2 tablets twice a day, my L4-L5 disc since 2019.")
    page.locator("#id_body").press("End")
    page.wait_for_timeout(700)
    expect(warning).to_be_empty()

    page.locator("#id_body").press_sequentially(" Ring me on 07700 900123.")
    expect(warning).to_contain_text("For your privacy: this looks like a phone number.")
    expect(warning).to_be_in_viewport()
    expect(page.locator("#id_body")).to_have_attribute("aria-describedby", "id_body_helptext id_body_privacy")
    assert_accessible(page)
    assert console_errors == []
