"""What the page cache stores, under which key, and what it refuses to store."""

import pytest
from django.core.cache import caches
from django.test import Client

pytestmark = [pytest.mark.urls("pagecache.tests.urls"), pytest.mark.usefixtures("page_cache")]


def stored_keys():
    return list(caches["pages"]._cache)


def test_an_opted_in_view_is_stored_and_then_answered_from_the_cache(db):
    assert Client().get("/plain/")["X-Page-Cache"] == "miss"
    assert Client().get("/plain/")["X-Page-Cache"] == "hit"


def test_a_view_that_did_not_opt_in_is_never_stored(db):
    for _ in range(2):
        assert "X-Page-Cache" not in Client().get("/not-opted-in/")
    assert stored_keys() == []


def test_a_page_that_wrote_to_the_session_is_not_stored(db):
    Client().get("/session/")
    assert stored_keys() == []


def test_a_page_that_only_asked_whether_the_reader_is_signed_in_is_stored(db):
    """Without a session cookie the answer is "no" for everyone."""
    assert b"signed in: False" in Client().get("/user/").content
    assert Client().get("/user/")["X-Page-Cache"] == "hit"


def test_a_page_that_added_a_message_is_not_stored(db):
    Client().get("/message/")
    assert stored_keys() == []


def test_only_declared_parameters_are_keyed_and_others_never_reach_the_page(db):
    Client().get("/paged/?page=2&utm_source=newsletter")
    hit = Client().get("/paged/?page=2&utm_campaign=other")
    assert hit["X-Page-Cache"] == "hit"
    assert b"utm_" not in hit.content
    assert len(stored_keys()) == 1


@pytest.mark.parametrize("query", ["page=0", "page=01", "page=-1", "page=x", "page=1&page=2", "page=" + "9" * 19])
def test_a_declared_parameter_with_an_odd_value_is_answered_fresh_and_not_stored(db, query):
    assert "X-Page-Cache" not in Client().get(f"/paged/?{query}")
    assert stored_keys() == []


@pytest.mark.parametrize("host", ["TESTSERVER", "testserver:8080", "testserver:80", "Testserver"])
def test_another_spelling_of_the_host_is_answered_fresh_and_not_stored(db, host):
    response = Client().get("/plain/", HTTP_HOST=host)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert stored_keys() == []


def test_the_scheme_is_part_of_the_key(db):
    Client().get("/plain/")
    assert Client().get("/plain/", secure=True)["X-Page-Cache"] == "miss"
    assert len(stored_keys()) == 2


def test_a_browser_whose_copy_is_current_gets_304_and_a_changed_page_in_full(db):
    first = Client().get("/plain/")
    etag = first["ETag"]
    assert etag and Client().get("/plain/")["ETag"] == etag
    unchanged = Client().get("/plain/", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert Client().get("/plain/", HTTP_IF_NONE_MATCH='"another-version"').status_code == 200
