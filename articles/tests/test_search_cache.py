"""Search pages are stored per normalised query and dropped when what they show changes."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from articles.models import Article, SearchSynonym
from articles.search import MAX_QUERY_LENGTH
from articles.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def search(query, **extra):
    response = Client().get(reverse("articles:search"), {"q": query, **extra})
    assert response.status_code == 200
    return response


def stored_keys():
    return [key for key in caches["pages"]._cache if "/search/" in key]


def test_queries_that_normalise_alike_share_one_stored_page(db):
    make_article(title="Sciatica")
    assert search("Sciatica  ")["X-Page-Cache"] == "miss"
    assert search("sciatica")["X-Page-Cache"] == "hit"
    assert search("  SCIATICA")["X-Page-Cache"] == "hit"
    assert len(stored_keys()) == 1


def test_the_stored_page_is_built_from_the_normalised_query_only(db, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article(title="Sciatica at work")
    make_article(title="Sciatica at night")
    html = search("  SCIATICA   At ")["X-Page-Cache"] and search("sciatica at").content.decode()
    assert "SCIATICA" not in html and "  " not in html.split('name="q"')[1].split(">")[0]
    assert 'value="sciatica at"' in html
    assert "?q=sciatica%20at&amp;page=2" in html


def test_the_suggestion_on_a_stored_page_comes_from_the_normalised_query(db):
    make_article(title="Living with sciatica")
    search("SCIATCA")
    hit = search("sciatca")
    assert hit["X-Page-Cache"] == "hit"
    assert 'Did you mean <a href="?q=sciatica">sciatica</a>?' in hit.content.decode()


@pytest.mark.parametrize(
    "junk",
    ["pain " * 2000, "\x00\x07back\x1b[31m pain\x7f", "\u202ebackwards\u202c", "<script>" * 300, "'; DROP TABLE x; --"],
)
def test_junk_queries_are_answered_and_stored_within_the_bound(db, junk):
    response = search(junk)
    assert response.status_code == 200
    for key in stored_keys():
        assert len(key) < 3 * MAX_QUERY_LENGTH + 100
        assert "\x00" not in key and "\x1b" not in key


def test_a_very_long_query_shares_the_page_of_its_first_words(db):
    search("pain " * 2000)
    assert search(("pain " * 2000)[:MAX_QUERY_LENGTH])["X-Page-Cache"] == "hit"


def test_publishing_an_article_drops_the_stored_search_pages(db):
    live = make_article(title="Knee pain")
    search("sciatica")
    assert search("sciatica")["X-Page-Cache"] == "hit"
    draft = make_article(
        title="Sciatica explained", status=Article.Status.DRAFT, category=live.category, author=live.author
    )
    assert search("sciatica")["X-Page-Cache"] == "hit"
    draft.status = Article.Status.PUBLISHED
    draft.save()
    response = search("sciatica")
    assert response["X-Page-Cache"] == "miss"
    assert "Sciatica explained" in response.content.decode()


def test_editing_a_live_article_drops_the_stored_search_pages(db):
    article = make_article(title="Knee pain")
    search("knee")
    article.title = "Knee and hip pain"
    article.save()
    response = search("knee")
    assert response["X-Page-Cache"] == "miss"
    assert "Knee and hip pain" in response.content.decode()


def test_changing_a_synonym_drops_the_stored_search_pages(db):
    make_article(title="Herniated disc")
    assert "Herniated disc" not in search("slipped disc").content.decode()
    assert search("slipped disc")["X-Page-Cache"] == "hit"
    SearchSynonym.objects.create(term="slipped disc", synonyms="herniated disc")
    response = search("slipped disc")
    assert response["X-Page-Cache"] == "miss"
    assert "Herniated disc" in response.content.decode()


def test_a_stored_search_page_costs_no_query(db, django_assert_num_queries):
    make_article(title="Sciatica")
    search("sciatica")
    with django_assert_num_queries(0):
        assert search("Sciatica")["X-Page-Cache"] == "hit"
