"""The sitemap lists the pages that are no model's: the home page, the topic board and the shop."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


def test_the_sitemap_lists_the_home_topic_board_and_shop_pages():
    root = ET.fromstring(Client().get("/sitemap.xml").content)  # noqa: S314 - our own test response
    locations = {element.text for element in root.iter(LOC)}
    assert {"http://testserver/", "http://testserver/topics/", "http://testserver/shop/"} <= locations


def test_each_of_them_answers():
    root = ET.fromstring(Client().get("/sitemap.xml").content)  # noqa: S314 - our own test response
    for element in root.iter(LOC):
        assert Client().get(element.text.removeprefix("http://testserver")).status_code == 200, element.text
