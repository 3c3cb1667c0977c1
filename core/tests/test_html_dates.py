"""`datetime` attributes in the form HTML accepts: no more than three fractional digits."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from articles.tests.factories import make_article

HTML_DATETIME = re.compile(r'datetime="(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?)"')


def render(value):
    return Template("{% load html_dates %}{{ value|html_datetime }}").render(Context({"value": value}))


def test_a_datetime_drops_its_microseconds_and_keeps_the_local_offset(settings):
    settings.TIME_ZONE = "America/New_York"
    with timezone.override("America/New_York"):
        assert render(datetime(2026, 11, 22, 16, 36, 9, 132995, tzinfo=UTC)) == "2026-11-22T11:36:09-05:00"


def test_a_date_stays_a_date_and_anything_else_is_empty():
    assert render(date(2026, 10, 1)) == "2026-10-01"
    assert render(None) == ""
    assert render("2026-10-01") == ""


@pytest.mark.django_db
def test_article_and_card_dates_have_whole_seconds(client):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    first = make_article(reviewed_on=date(2026, 10, 1), publish_at=an_hour_ago.replace(microsecond=123456))
    second = make_article(category=first.category, publish_at=an_hour_ago.replace(microsecond=654321))
    for url in (first.get_absolute_url(), second.get_absolute_url(), "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        attributes = re.findall(r'datetime="([^"]*)"', html)
        assert attributes, url
        for value in attributes:
            assert HTML_DATETIME.fullmatch(f'datetime="{value}"'), value
