"""The cached page's CSRF token and the once-built CSP header equal what Django and django-csp make."""

import pytest
from csp.utils import build_policy
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import RequestFactory

from articles.tests.factories import make_article
from pagecache import csrf_tokens


def test_random_chars_use_only_the_csrf_alphabet_and_the_length_asked():
    for length in (1, 32, 64, 500):
        chars = csrf_tokens.random_chars(length)
        assert len(chars) == length
        assert set(chars) <= set(CSRF_ALLOWED_CHARS)


def test_random_chars_cover_the_whole_alphabet():
    assert set(csrf_tokens.random_chars(5000)) == set(CSRF_ALLOWED_CHARS)


def test_a_masked_token_unmasks_to_its_secret_with_djangos_own_code():
    secret = csrf_tokens.random_chars(32)
    tokens = {csrf_tokens.masked_token(secret) for _ in range(20)}
    assert len(tokens) == 20
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_get_token_reuses_the_readers_secret_and_asks_for_the_cookie_to_be_renewed():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    token = csrf_tokens.get_token(request)
    assert _unmask_cipher_token(token) == "a" * 32
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_get_token_starts_a_secret_for_a_new_reader():
    request = RequestFactory().get("/")
    token = csrf_tokens.get_token(request)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert len(request.META["CSRF_COOKIE"]) == 32


@pytest.mark.django_db
def test_the_served_policy_is_exactly_django_csps_with_this_responses_nonce(client):
    article = make_article()
    header = client.get(article.get_absolute_url())["Content-Security-Policy"]
    nonce = header.split("'nonce-")[1].split("'")[0]
    assert header == build_policy(nonce=nonce)


@pytest.mark.django_db
def test_a_page_without_inline_scripts_gets_the_policy_without_a_nonce(client):
    header = client.get("/robots.txt")["Content-Security-Policy"]
    assert header == build_policy()
    assert "nonce" not in header


@pytest.mark.django_db
def test_a_changed_policy_setting_is_served_at_once(client, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'"]}}
    header = client.get("/shop/")["Content-Security-Policy"]
    assert sorted(header.split("; ")) == ["default-src 'self'", "img-src 'self'"]
