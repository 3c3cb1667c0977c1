"""The signed cookie a browser keeps its own ids in (held comments, topic votes)."""

import time
from unittest import mock

import pytest
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from submissions.signed_cookies import SignedIdsCookie

COOKIE = SignedIdsCookie(name="my_ids", salt="tests.ids", max_age=600, max_ids=3)


def request_with(value):
    request = RequestFactory().get("/")
    if value is not None:
        request.COOKIES[COOKIE.name] = value
    return request


def signed(value, *, at=None, salt=COOKIE.salt):
    signer = signing.get_cookie_signer(salt=COOKIE.name + salt)
    with mock.patch("django.core.signing.time.time", return_value=time.time() if at is None else at):
        return signer.sign(value)


def written(response):
    return response.cookies[COOKIE.name]


def test_ids_written_are_read_back():
    response = HttpResponse()
    COOKIE.add(response, request=request_with(None), pk=7)
    assert COOKIE.read(request_with(written(response).value)) == {7}


def test_adding_keeps_the_ids_already_there_and_only_the_newest_few():
    response = HttpResponse()
    COOKIE.add(response, request=request_with(signed("1,2,3")), pk=9)
    assert COOKIE.read(request_with(written(response).value)) == {2, 3, 9}


def test_a_missing_cookie_reads_as_no_ids():
    assert COOKIE.read(request_with(None)) == set()


@pytest.mark.parametrize(
    "value",
    [
        "7",  # unsigned
        "7:forged-signature",
        signed("7").replace("7", "8", 1),  # another id under the same signature
        signed("7", salt="another.cookie"),  # signed for another cookie
    ],
    # Named, not shown: a signed value carries the time it was made, and parallel workers must
    # collect the same test names.
    ids=["unsigned", "forged", "another-id", "another-cookie"],
)
def test_a_tampered_cookie_reads_as_no_ids(value):
    assert COOKIE.read(request_with(value)) == set()


def test_an_expired_cookie_reads_as_no_ids():
    assert COOKIE.read(request_with(signed("7", at=time.time() - 601))) == set()
    assert COOKIE.read(request_with(signed("7", at=time.time() - 590))) == {7}


def test_anything_but_ids_in_a_signed_cookie_is_ignored():
    assert COOKIE.read(request_with(signed("7,x,-3,,8"))) == {7, 8}


def test_the_cookie_is_kept_from_scripts_and_other_sites(settings):
    settings.SESSION_COOKIE_SECURE = True
    response = HttpResponse()
    COOKIE.add(response, request=request_with(None), pk=7)
    cookie = written(response)
    assert cookie["max-age"] == 600
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"


def test_a_cookie_may_be_sent_to_some_pages_only():
    board_only = SignedIdsCookie(name="my_ids", salt="tests.ids", max_age=600, max_ids=3, path="/topics/")
    response = HttpResponse()
    board_only.add(response, request=request_with(None), pk=7)
    assert written(response)["path"] == "/topics/"
