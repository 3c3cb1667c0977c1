"""The site's header and footer are kept between requests: a settings or category change shows on
the next render, the current page stays marked, and a search query is never kept."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from articles.tests.factories import make_article, make_category
from core.models import SiteSettings

pytestmark = pytest.mark.django_db


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def kept_frames():
    return [key for key in caches["fragments"]._cache if "fragment:sitewide-" in key]


def test_new_site_settings_show_in_the_kept_header_and_footer(client):
    article = make_article()
    html(client, article.get_absolute_url())
    assert kept_frames()

    row = SiteSettings.load()
    row.clinic_name = "Riverside Pain Clinic"
    row.contact_phone = "+1 555 0100 200"
    row.save()

    page = html(client, article.get_absolute_url())
    header, footer = page[: page.index("<main")], page[page.index('<footer class="site-footer"') :]
    assert "Riverside Pain Clinic" in header and "Riverside Pain Clinic" in footer
    assert "+1 555 0100 200" in footer


def test_a_new_category_shows_in_the_kept_navigation(client):
    article = make_article()
    html(client, article.get_absolute_url())

    make_category(name="Pelvic pain", slug="pelvic-pain")

    assert 'href="/categories/pelvic-pain/">Pelvic pain</a>' in html(client, article.get_absolute_url())


def test_each_page_marks_its_own_link_and_others_share_one_copy(client):
    knees, backs = make_category(name="Knees", slug="knees"), make_category(name="Backs", slug="backs")
    make_article(category=knees), make_article(category=backs)
    first, second = make_article(category=knees), make_article(category=knees)

    for url in (first.get_absolute_url(), second.get_absolute_url()):
        assert 'aria-current="page"' not in html(client, url)
    shared = len(kept_frames())
    knees_page = html(client, knees.get_absolute_url())
    backs_page = html(client, backs.get_absolute_url())
    again = html(client, first.get_absolute_url())

    assert f'href="{knees.get_absolute_url()}" aria-current="page"' in knees_page
    assert f'href="{backs.get_absolute_url()}" aria-current="page"' in backs_page
    assert 'aria-current="page"' not in again
    shop = html(client, reverse("shop:list"))
    assert f'href="{reverse("shop:list")}" aria-current="page"' in shop
    # Addresses the frame does not link to add no copy of their own.
    html(client, second.get_absolute_url())
    assert client.get("/articles/no-such-article/").status_code == 404
    assert len(kept_frames()) == shared + 3 * 1  # knees, backs and the shop: one header copy each


def test_a_search_query_is_never_kept_in_the_header(client):
    make_article(title="Sleeping with sciatica")
    mine = html(client, reverse("articles:search") + "?q=sciatica")
    theirs = html(client, reverse("articles:search") + "?q=knees")

    assert 'value="sciatica"' in mine
    assert 'value="sciatica"' not in theirs and 'value="knees"' in theirs
