"""Every page a reader may share names an image and says what it shows (og:image, og:image:alt);
the footer names the clinic once."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from articles.tests.factories import make_article, make_clinician, make_image_file
from core.models import SiteSettings
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db


def _meta(html, name):
    match = re.search(rf'<meta property="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.fixture
def pages():
    pictured = make_article(
        title="Heat or ice", hero_image=make_image_file("hero.jpg", size=(1200, 700)), hero_alt="A warm compress"
    )
    plain = make_article(title="Sleeping with back pain", category=pictured.category)
    clinician = make_clinician(name="Dr Ada Brook")
    with_image = make_product(with_image=True, name="Cooling gel")
    without_image = make_product(name="Warming balm")
    return {
        "home": "/",
        "category": pictured.category.get_absolute_url(),
        "article with a picture": pictured.get_absolute_url(),
        "article without one": plain.get_absolute_url(),
        "clinician": clinician.get_absolute_url(),
        "search": "/search/?q=back",
        "shop": "/shop/",
        "product with a picture": with_image.get_absolute_url(),
        "product without one": without_image.get_absolute_url(),
        "topic board": "/topics/",
        "follow": "/follow/",
    }


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "category",
        "article with a picture",
        "article without one",
        "clinician",
        "search",
        "shop",
        "product with a picture",
        "product without one",
        "topic board",
        "follow",
    ],
)
def test_every_page_type_names_an_image_and_describes_it(pages, page):
    response = Client().get(pages[page])
    assert response.status_code == 200
    html = response.content.decode()
    image, alt = _meta(html, "og:image"), _meta(html, "og:image:alt")
    assert image and image.startswith("http://testserver/"), image
    assert alt and alt.strip(), alt
    path = image.removeprefix("http://testserver")
    if path.startswith("/static/"):
        assert finders.find(path.removeprefix("/static/")), path


def test_a_page_with_its_own_picture_shares_it_with_its_own_description(pages):
    html = Client().get(pages["article with a picture"]).content.decode()
    assert "/media/" in _meta(html, "og:image")
    assert _meta(html, "og:image:alt") == "A warm compress"


def test_the_home_page_shares_the_site_image(pages):
    html = Client().get("/").content.decode()
    assert "/static/" in _meta(html, "og:image")
    assert 'name="twitter:card" content="summary_large_image"' in html


def test_the_footer_names_the_clinic_once_when_the_address_starts_with_its_name():
    settings = SiteSettings.load()
    settings.address = f"{settings.clinic_name}\n12 Willow Lane\nRiverside"
    settings.save()
    footer = Client().get("/").content.decode().split('<footer class="site-footer">')[1]
    assert footer.count(settings.clinic_name) == 1
    assert "12 Willow Lane" in footer


def test_the_footer_still_names_the_clinic_when_the_address_does_not():
    settings = SiteSettings.load()
    settings.address = "12 Willow Lane\nRiverside"
    settings.save()
    footer = Client().get("/").content.decode().split('<footer class="site-footer">')[1]
    assert footer.count(settings.clinic_name) == 1
