"""The header's links, the "Follow the clinic" page, and the community link switch."""

import pytest
from django.urls import reverse

from articles.tests.factories import make_article
from core.models import SiteSettings

pytestmark = pytest.mark.django_db

FOLLOW = reverse("follow")


def test_the_follow_page_lists_the_site_and_category_feeds_and_says_what_a_feed_reader_is(client):
    article = make_article(slug="easing-back-pain")
    slug = article.category.slug

    html = client.get(FOLLOW).content.decode()

    assert "<h1>Follow the clinic</h1>" in html
    assert "A feed reader is an app or website" in html
    for url in (
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:category_feed", args=[slug]),
    ):
        assert f'href="{url}"' in html


def test_the_footer_sends_readers_to_the_follow_page(client):
    html = client.get(reverse("articles:home")).content.decode()
    footer = html[html.index('class="site-footer"') :]
    assert f'href="{FOLLOW}"' in footer


def test_the_follow_page_is_cached_for_everyone(client, page_cache):
    assert client.get(FOLLOW)["X-Page-Cache"] == "miss"
    assert client.get(FOLLOW)["X-Page-Cache"] == "hit"


def test_the_header_links_the_topic_board_and_the_shop(client):
    html = client.get(reverse("articles:home")).content.decode()
    header = html[html.index('class="site-header"') : html.index("</header>")]
    assert f'href="{reverse("topics:board")}"' in header
    assert f'href="{reverse("shop:list")}"' in header
    board = client.get(reverse("topics:board")).content.decode()
    assert f'href="{reverse("topics:board")}" aria-current="page"' in board


def test_the_community_blocks_show_only_when_a_community_link_is_set(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"community_url": ""})
    for url in (reverse("articles:home"), FOLLOW):
        assert "Join our community" not in client.get(url).content.decode()

    SiteSettings.objects.update_or_create(pk=1, defaults={"community_url": "https://community.example.org/"})
    for url in (reverse("articles:home"), FOLLOW):
        assert 'href="https://community.example.org/"' in client.get(url).content.decode()


def test_the_demo_settings_leave_the_community_link_for_staff_to_fill_in():
    from core.demo import SITE_SETTINGS

    assert not SITE_SETTINGS.get("community_url")
