"""Fixtures for the hostile-input, fault, security and privacy tests (tests/ at the repository root)."""

import pytest


@pytest.fixture
def no_rate_limit(settings):
    """The corpus sends hundreds of submissions from one address; the limit has its own tests."""
    settings.SUBMISSIONS_RATE_LIMIT = 10**9


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Password hashing is slow on purpose; these tests log staff in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
