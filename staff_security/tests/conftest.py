import pytest


@pytest.fixture
def required(settings):
    """The production rule: every staff member needs a second factor."""
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
