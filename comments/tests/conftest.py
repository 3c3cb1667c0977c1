"""Fixtures for comment tests. No test ever reaches Google: its client is always patched."""

import io
import json
from unittest import mock

import pytest

from articles.tests.factories import make_article
from comments.tests.factories import SECRET_KEY, SITE_KEY


class FakeGoogle:
    """Stands in for django_recaptcha.client.recaptcha_request; set `.answer` or `.error`."""

    def __init__(self):
        self.answer = {"success": True, "score": 0.95, "action": "comment", "hostname": "testserver"}
        self.raw = None
        self.error = None
        self.calls = 0

    def __call__(self, params):
        self.calls += 1
        if self.error is not None:
            raise self.error
        body = self.raw if self.raw is not None else json.dumps(self.answer).encode()
        return io.BytesIO(body)


@pytest.fixture(autouse=True)
def google():
    fake = FakeGoogle()
    with mock.patch("django_recaptcha.client.recaptcha_request", fake):
        yield fake


@pytest.fixture
def recaptcha_keys(settings):
    settings.RECAPTCHA_PUBLIC_KEY = SITE_KEY
    settings.RECAPTCHA_PRIVATE_KEY = SECRET_KEY
    settings.RECAPTCHA_CONFIGURED = True
    settings.RECAPTCHA_EXPECTED_HOSTNAMES = ["testserver", "localhost", "127.0.0.1"]


@pytest.fixture
def article(db):
    return make_article(title="Easing lower back pain", slug="easing-back-pain")


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages are rendered fresh so each test sees its own rows (the page cache has its own tests)."""
    settings.PAGE_CACHE_SECONDS = 0
