"""A declared text parameter is keyed by its normalised value: spellings that mean the same share one
stored page, and nothing beyond the normalised value reaches the key or the page."""

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from pagecache.policy import MAX_TEXT_LENGTH, CachePolicy, keyed_query

pytestmark = [pytest.mark.urls("pagecache.tests.urls"), pytest.mark.usefixtures("page_cache")]


def stored_keys():
    return list(caches["pages"]._cache)


def test_spellings_with_the_same_normalised_value_share_one_stored_page(db):
    assert Client().get("/searched/", {"q": "Back   Pain "})["X-Page-Cache"] == "miss"
    hit = Client().get("/searched/", {"q": "back pain"})
    assert hit["X-Page-Cache"] == "hit"
    assert b"<p>back pain at /searched/?q=back%20pain</p>" in hit.content
    assert len(stored_keys()) == 1


def test_other_values_are_other_pages(db):
    Client().get("/searched/", {"q": "back"})
    assert Client().get("/searched/", {"q": "knee"})["X-Page-Cache"] == "miss"
    assert Client().get("/searched/", {"q": "knee", "page": "2"})["X-Page-Cache"] == "miss"
    assert len(stored_keys()) == 3


def test_the_key_holds_the_normalised_value_only(db):
    Client().get("/searched/", {"q": "x" * 5000, "utm_source": "mail"})
    [key] = stored_keys()
    assert "x" * 21 not in key and "utm" not in key
    assert Client().get("/searched/", {"q": "X" * 20})["X-Page-Cache"] == "hit"


def test_a_value_that_normalises_to_nothing_is_the_page_without_it(db):
    Client().get("/searched/")
    assert Client().get("/searched/", {"q": "   "})["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("query", ["q=a&q=b", "page=x&q=back"])
def test_a_repeated_or_odd_parameter_is_answered_fresh_and_not_stored(db, query):
    assert "X-Page-Cache" not in Client().get(f"/searched/?{query}")
    assert stored_keys() == []


def test_a_normaliser_that_returns_too_much_is_not_stored():
    policy = CachePolicy(text={"q": lambda value: value})
    assert keyed_query(RequestFactory().get("/", {"q": "y" * MAX_TEXT_LENGTH}), policy) == "q=" + "y" * MAX_TEXT_LENGTH
    assert keyed_query(RequestFactory().get("/", {"q": "y" * (MAX_TEXT_LENGTH + 1)}), policy) is None


def test_a_policy_with_text_parameters_can_be_compared_and_hashed():
    def normalise(value):
        return value

    assert CachePolicy(text={"q": normalise}) == CachePolicy(text={"q": normalise})
    assert hash(CachePolicy(query=("page",), text={"q": normalise}))
