"""Fixtures for the hostile-input, fault, security and privacy tests (tests/ at the repository root)."""

import io
import json
from unittest import mock

import pytest


class FakeGoogle:
    """Stands in for django_recaptcha.client.recaptcha_request: no test ever reaches Google."""

    def __init__(self):
        self.answer = {"success": True, "score": 0.9, "action": "comment", "hostname": "testserver"}
        self.calls = 0

    def __call__(self, params):
        self.calls += 1
        return io.BytesIO(json.dumps(self.answer).encode())


@pytest.fixture(autouse=True)
def google():
    fake = FakeGoogle()
    with mock.patch("django_recaptcha.client.recaptcha_request", fake):
        yield fake


@pytest.fixture
def no_rate_limit(settings):
    """The corpus sends hundreds of submissions from one address; the limit has its own tests."""
    settings.COMMENTS_RATE_LIMIT = 10**9


@pytest.fixture
def article(db):
    from articles.tests.factories import make_article

    return make_article(title="Easing lower back pain", slug="easing-back-pain")


@pytest.fixture
def recaptcha_keys(settings):
    settings.RECAPTCHA_PUBLIC_KEY = "test-site-key-not-google"
    settings.RECAPTCHA_PRIVATE_KEY = "test-secret-key-not-google"
    settings.RECAPTCHA_CONFIGURED = True
    settings.RECAPTCHA_EXPECTED_HOSTNAMES = ["testserver", "localhost", "127.0.0.1"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Password hashing is slow on purpose; these tests log staff in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
