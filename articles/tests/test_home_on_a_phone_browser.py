"""The home page on a phone (375×812): an article on the first screen, the clinic named once at the top."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.tests.factories import make_article, make_category
from core.demo import SITE_SETTINGS
from core.models import SiteSettings
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def home(settings):
    """The demo clinic's settings and topics, and a few articles with titles of a usual length."""
    settings.PAGE_CACHE_SECONDS = 0
    SiteSettings.objects.update_or_create(pk=1, defaults=SITE_SETTINGS)
    names = ["Back & Spine", "Neck & Shoulders", "Joints & Arthritis", "Nerve Pain", "Headaches", "Living Well"]
    categories = [make_category(name=name, slug=f"topic-{n}") for n, name in enumerate(names)]
    now = timezone.now()
    for n in range(5):
        make_article(
            title=f"Interventional treatments for lower back pain, part {n + 1}",
            slug=f"part-{n}",
            category=categories[n % len(categories)],
            publish_at=now - timedelta(days=n + 1),
        )
    return SiteSettings.load()


def test_the_first_article_title_is_on_the_first_screen_of_a_phone(live_server, page, home):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    title = page.locator("main .card-title").first
    box = title.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box


def test_the_clinic_is_named_once_at_the_top_and_the_page_keeps_one_heading_one(live_server, page, home):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    shown = page.evaluate(
        """name => [...document.querySelectorAll('body *')].filter(element => {
            const own = [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim() === name);
            const box = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            return own && box.width > 1 && box.height > 1 && box.top < innerHeight && style.visibility !== 'hidden';
        }).length""",
        home.clinic_name,
    )
    assert shown == 1
    assert page.locator("h1").count() == 1
    assert home.clinic_name in page.locator("h1").inner_text()
    assert_accessible(page)
