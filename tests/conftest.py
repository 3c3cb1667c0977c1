"""Fixtures for the hostile-input, fault, security and privacy tests (tests/ at the repository root)."""

import pytest


@pytest.fixture
def no_rate_limit(settings):
    """The corpus sends hundreds of submissions from one address; the limit has its own tests."""
    settings.SUBMISSIONS_RATE_LIMIT = 10**9
