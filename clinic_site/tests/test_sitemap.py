"""The sitemap lists the pages that are no model's (the home page, the topic board and the shop),
and answers a crawler whose copy is still good with 304 for one summing query per section."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from articles.tests.factories import make_article, make_category, make_clinician
from shop.tests.factories import make_product

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


def etag():
    return Client().get("/sitemap.xml")["ETag"]


@pytest.fixture
def articles():
    category, author = make_category(), make_clinician()
    return [make_article(category=category, author=author) for _ in range(3)]


@pytest.mark.parametrize("count", [3, 30])
def test_a_crawler_revalidating_the_sitemap_costs_one_summing_query_per_section(count, django_assert_num_queries):
    for _ in range(count):
        make_article()  # each with a category and a clinician of its own
    make_product()
    known = etag()
    with django_assert_num_queries(4) as queries:  # articles, categories, clinicians, products
        assert Client().get("/sitemap.xml", HTTP_IF_NONE_MATCH=known).status_code == 304
    assert [query["sql"] for query in queries.captured_queries if "COUNT(" not in query["sql"]] == []


@pytest.mark.parametrize("count", [3, 30])
def test_the_whole_sitemap_costs_the_same_queries_however_many_articles(count, django_assert_num_queries):
    for _ in range(count):
        make_article()
    with django_assert_num_queries(13):
        assert Client().get("/sitemap.xml").status_code == 200


def test_the_etag_changes_when_an_article_is_edited(articles):
    before = etag()
    articles[0].title = "Ice or heat for a sore knee"
    articles[0].save()
    assert etag() != before


def test_the_etag_changes_when_an_article_is_added_or_removed(articles):
    before = etag()
    articles[1].delete()  # neither the newest nor its category's or author's only one
    after_removal = etag()
    assert after_removal != before
    make_article(category=articles[0].category, author=articles[0].author)
    assert etag() not in (before, after_removal)


def test_the_etag_changes_when_a_category_or_clinician_gets_its_first_article(articles):
    before = etag()
    make_article(category=make_category(), author=articles[0].author)
    with_category = etag()
    make_article(category=articles[0].category, author=articles[0].author, reviewer=make_clinician())
    assert len({before, with_category, etag()}) == 3


def test_the_etag_changes_when_a_product_is_added(articles):
    before = etag()
    make_product()
    assert etag() != before


def test_the_etag_is_the_same_while_nothing_changes(articles):
    assert etag() == etag()
