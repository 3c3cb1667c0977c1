"""Fixtures the article tests share."""

import pytest

from articles.tests.migrating import at_migration
from articles.tests.people import make_user
from core.groups import EDITORS, MEDICAL_REVIEWERS


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "eddie", EDITORS)


@pytest.fixture
def reviewer(django_user_model):
    return make_user(django_user_model, "rita", MEDICAL_REVIEWERS)


@pytest.fixture
def before_migration(request):
    """The models as they were at the test module's BEFORE migrations; the newest state again after."""
    yield from at_migration(request.module.BEFORE)
